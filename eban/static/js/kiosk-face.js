// The kiosk's face check: this page is reached only after consent; the camera starts here,
// one frame is captured, sent once, and the stream and the frame are wiped.
(function () {
  "use strict";
  var config = document.getElementById("face-config").dataset;
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var button = document.getElementById("capture");
  var status = document.getElementById("status");
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.srcObject = null;
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  }
  window.addEventListener("pagehide", stop);

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = config.noCamera;
    return;
  }
  navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, facingMode: "user" }, audio: false })
    .then(function (s) {
      stream = s;
      video.srcObject = s;
      status.textContent = config.ready;
      button.disabled = false;
    })
    .catch(function () { status.textContent = config.noCamera; });

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = config.checking;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      var form = new FormData();
      form.append("capture", blob, "capture.jpg");
      fetch(config.checkUrl, { method: "POST", body: form, headers: { "X-CSRFToken": config.csrf }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
          if (answer.ok) { stop(); window.location.assign(answer.next); return; }
          status.textContent = answer.message;
          button.disabled = false;
        })
        .catch(function () { status.textContent = config.noCamera; button.disabled = false; });
    }, "image/jpeg", 0.9);
  });
})();
