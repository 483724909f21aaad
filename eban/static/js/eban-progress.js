/* A progress bar that follows a long job in the back office (an import, a coverage run).

   Markup: <div class="eban-progress" data-status-url="…" data-finished="0|1"
                data-error-text="(translated) The progress could not be read …">
             <span data-status></span> <span data-phase></span> <span data-count></span>
             <progress max="100"></progress>
             <p data-error hidden></p>   (optional: created when missing)
           </div>
   The status URL answers JSON {percent, status, status_label, phase_label, done, total, finished}.

   The script may be loaded anywhere in the page (Wagtail puts `extra_js` before the content):
   it starts once the document is parsed. It stops polling when the job is finished (done,
   refused or failed) and reloads the page once, which then shows the report; when the status
   cannot be read it says so in the box and, for a temporary failure, tries again more slowly. */
(function () {
  "use strict";

  var FIRST_POLL_MS = 300;
  var POLL_MS = 1000;
  var MAX_BACKOFF_MS = 15000;

  function text(box, selector, value) {
    var element = box.querySelector(selector);
    if (element) element.textContent = value;
  }

  function errorLine(box) {
    var line = box.querySelector("[data-error]");
    if (!line) {
      line = document.createElement("p");
      line.setAttribute("data-error", "");
      line.setAttribute("role", "alert");
      line.className = "help-block help-critical";
      box.appendChild(line);
    }
    return line;
  }

  function showError(box, detail) {
    var line = errorLine(box);
    var message = box.dataset.errorText || line.dataset.text || "";
    line.textContent = detail ? message + " (" + detail + ")" : message;
    line.hidden = false;
    box.dataset.state = "error";
  }

  function clearError(box) {
    var line = box.querySelector("[data-error]");
    if (line) line.hidden = true;
  }

  function follow(box) {
    if (box.dataset.following === "1") return;
    box.dataset.following = "1";
    if (box.dataset.finished === "1") {
      box.dataset.state = "finished";
      return;
    }
    var bar = box.querySelector("progress");
    var failures = 0;
    box.dataset.state = "polling";

    function show(s) {
      if (bar) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
      }
      text(box, "[data-status]", s.status_label);
      text(box, "[data-phase]", s.phase_label);
      text(box, "[data-count]", s.total ? s.done + " / " + s.total : "");
      box.dataset.status = s.status || "";
    }

    function poll() {
      fetch(box.dataset.statusUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: {Accept: "application/json"},
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || response.redirected || type.indexOf("json") < 0) {
            // A redirect or an HTML answer is the sign-in page: the session has ended.
            var error = new Error(response.ok ? "signed out" : "HTTP " + response.status);
            error.permanent = response.redirected || (response.status >= 400 && response.status < 500);
            throw error;
          }
          return response.json();
        })
        .then(function (s) {
          failures = 0;
          clearError(box);
          show(s);
          if (s.finished) {
            box.dataset.state = "finished";
            // The page itself carries the report: fetch it once (the server now renders it).
            window.location.reload();
          } else {
            box.dataset.state = "polling";
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function (error) {
          failures += 1;
          showError(box, error && error.message);
          if (error && error.permanent) {
            box.dataset.state = "stopped";  // signed out, no permission, no such job: stop
            return;
          }
          window.setTimeout(poll, Math.min(POLL_MS * Math.pow(2, failures), MAX_BACKOFF_MS));
        });
    }

    window.setTimeout(poll, FIRST_POLL_MS);
  }

  function start() {
    document.querySelectorAll(".eban-progress[data-status-url]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
