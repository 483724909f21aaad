// The result page of an application at the kiosk: while the worker issues the certificate the
// page polls the case's status (the signed-in applicant's own case only); once it is ready,
// "Print the certificate" loads the PDF into a hidden frame and prints it with
// contentWindow.print(). A terminal's Chromium runs in kiosk mode with silent printing, e.g.
//   chromium --kiosk --kiosk-printing --autoplay-policy=no-user-gesture-required \
//            --noerrdialogs --disable-pinch --overscroll-history-navigation=0 https://<eban>/kiosk/
// and then the PDF goes to the default printer without a dialog. "Print again" prints once more.
(function () {
  "use strict";
  var config = document.getElementById("case-config");
  if (!config) { return; }
  config = config.dataset;
  var waiting = document.getElementById("certificate-waiting");
  var ready = document.getElementById("certificate-ready");
  var link = document.getElementById("print");
  var again = document.getElementById("print-again");
  var status = document.getElementById("print-status");
  var receipt = document.getElementById("print-receipt");

  function poll() {
    fetch(config.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.state === "ready") {
          waiting.hidden = true;
          ready.hidden = false;
          if (window.kioskVoice) { window.kioskVoice.say(config.ready); }
        } else if (answer.state === "waiting") {
          window.setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (config.state === "waiting") { window.setTimeout(poll, 1000); }

  function print() {
    var old = document.getElementById("print-frame");
    if (old) { old.remove(); }
    var frame = document.createElement("iframe");
    frame.id = "print-frame";
    frame.title = link.textContent;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.className = "kiosk-print-frame";
    frame.addEventListener("load", function () {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
        status.textContent = config.printing;
        again.hidden = false;
        document.body.setAttribute("data-printed", String((parseInt(document.body.getAttribute("data-printed"), 10) || 0) + 1));
        if (window.kioskVoice) { window.kioskVoice.say(config.printing); }
      } catch (e) {
        status.textContent = config.failed;
      }
    });
    frame.src = link.dataset.printUrl;
    document.body.appendChild(frame);
  }
  if (link) { link.addEventListener("click", function (event) { event.preventDefault(); print(); }); }
  if (again) { again.addEventListener("click", print); }
  if (receipt) { receipt.addEventListener("click", function () { window.print(); }); }
})();
