// The sign-in code page: count down to when a new code may be asked for, then enable the button.
// Without JavaScript the page works too: the button is enabled when the page is reloaded in time.
(function () {
  var form = document.querySelector("form[data-countdown]");
  if (!form) return;
  var left = parseInt(form.getAttribute("data-countdown"), 10) || 0;
  var seconds = form.querySelector("[data-countdown-seconds]");
  var wait = form.querySelector("[data-countdown-wait]");
  var ready = form.querySelector("[data-countdown-ready]");
  var button = form.querySelector("button[name=resend]");
  if (left <= 0) return;
  var timer = setInterval(function () {
    left -= 1;
    if (left > 0) {
      if (seconds) seconds.textContent = String(left);
      return;
    }
    clearInterval(timer);
    if (wait) wait.hidden = true;
    if (ready) ready.hidden = false;
    if (button) button.disabled = false;
  }, 1000);
})();
