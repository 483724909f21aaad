// The kiosk's idle timeout. After data-idle-seconds (on <body>; 60 by default) without a touch,
// a warning strip (in the page, not a pop-up) counts down data-idle-warning-seconds with a big
// "I'm still here" button. At zero the page wipes itself (camera streams stopped, canvases and
// captured pictures cleared, forms emptied, frames removed) and submits the sign-out form: the
// server flushes the session (sign-in, form data, consent) and the screen goes home. The sign-out
// buttons wipe the page the same way. Pages with data-idle="off" (the empty home) only wipe.
(function () {
  "use strict";
  var body = document.body;
  var signOutForm = document.getElementById("kiosk-sign-out");

  // `submitting`: a sign-out form in the page is being submitted: the page is hidden, not
  // emptied (a form taken out of the document would not be sent).
  function wipe(submitting) {
    Array.prototype.forEach.call(document.querySelectorAll("video"), function (video) {
      var stream = video.srcObject;
      if (stream && stream.getTracks) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      video.srcObject = null;
      video.removeAttribute("src");
    });
    Array.prototype.forEach.call(document.querySelectorAll("canvas"), function (canvas) {
      var context = canvas.getContext("2d");
      if (context) { context.clearRect(0, 0, canvas.width, canvas.height); }
      canvas.width = canvas.width; // drops the bitmap
    });
    Array.prototype.forEach.call(document.querySelectorAll("img[data-capture]"), function (img) {
      img.removeAttribute("src");
    });
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      if (form === signOutForm) { return; }
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll("input, textarea, select"), function (field) {
        if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return; }
        if (field.type === "checkbox" || field.type === "radio") { field.checked = false; }
        else if (field.tagName === "SELECT") { field.selectedIndex = 0; }
        else { field.value = ""; }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("iframe"), function (frame) { frame.remove(); });
    if (window.kioskVoice) { window.kioskVoice.stop(); }
    var main = document.getElementById("main");
    if (main) {
      main.hidden = true;
      if (submitting !== true) { main.textContent = ""; }
    }
    body.setAttribute("data-wiped", "true");
  }
  window.kioskWipe = wipe;

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    if (/\/kiosk\/sign-out\/$/.test(form.getAttribute("action") || "")) {
      form.addEventListener("submit", function () { wipe(true); });
    }
  });

  if (body.dataset.idle === "off" || !signOutForm) { return; }
  var idleSeconds = parseInt(body.dataset.idleSeconds, 10) || 60;
  var warningSeconds = parseInt(body.dataset.idleWarningSeconds, 10) || 20;
  var strip = document.getElementById("idle-warning");
  var count = document.getElementById("idle-count");
  var stay = document.getElementById("idle-stay");
  var idleTimer = null;
  var tickTimer = null;
  var left = 0;

  function signOut() {
    window.clearTimeout(idleTimer);
    window.clearInterval(tickTimer);
    wipe();
    signOutForm.submit();
  }
  function warn() {
    left = warningSeconds;
    count.textContent = String(left);
    strip.hidden = false;
    if (window.kioskVoice) { window.kioskVoice.say(strip.querySelector("p").textContent.replace(/\s+/g, " ")); }
    tickTimer = window.setInterval(function () {
      left -= 1;
      count.textContent = String(Math.max(left, 0));
      if (left <= 0) { signOut(); }
    }, 1000);
  }
  function active() {
    window.clearTimeout(idleTimer);
    window.clearInterval(tickTimer);
    strip.hidden = true;
    idleTimer = window.setTimeout(warn, idleSeconds * 1000);
  }
  ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true, capture: true });
  });
  stay.addEventListener("click", active);
  active();
})();
