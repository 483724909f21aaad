// The kiosk's face check: this page is reached only after consent; the camera starts here.
// On the button: two frames while the person looks straight, then the server's challenge (turn
// the head left or right) is shown and six more frames are taken while they follow it; the
// frames are sent once, together, and the stream and the canvas are wiped.
(function () {
  "use strict";
  var config = document.getElementById("face-config").dataset;
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var button = document.getElementById("capture");
  var again = document.getElementById("again");
  var status = document.getElementById("status");
  var stream = null;
  var total = parseInt(config.frames, 10) || 8;
  var STRAIGHT = 2, GAP_MS = 350, PROMPT_MS = 700;

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

  function grab() {
    return new Promise(function (resolve) {
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(resolve, "image/jpeg", 0.9);
    });
  }
  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  async function takeFrames() {
    var frames = [];
    status.textContent = config.straight;
    for (var i = 0; i < STRAIGHT; i++) { frames.push(await grab()); await wait(GAP_MS); }
    status.textContent = config.prompt;
    await wait(PROMPT_MS);
    while (frames.length < total) { frames.push(await grab()); await wait(GAP_MS); }
    return frames;
  }

  button.addEventListener("click", async function () {
    button.disabled = true;
    var frames = await takeFrames();
    status.textContent = config.checking;
    var form = new FormData();
    frames.forEach(function (blob, i) { form.append("frame", blob, "frame-" + i + ".jpg"); });
    frames = null;
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    fetch(config.checkUrl, { method: "POST", body: form, headers: { "X-CSRFToken": config.csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        stop();
        if (answer.ok) { window.location.assign(answer.next); return; }
        status.textContent = answer.message;
        again.hidden = false;  // each check spends its challenge: a new try starts over
      })
      .catch(function () { stop(); status.textContent = config.noCamera; again.hidden = false; });
  });
})();
