/* A progress bar that follows a long job in the back office (an import, a coverage run).
   Markup: <div class="eban-progress" data-status-url="…" data-finished="0|1"> with a <progress>
   and elements marked data-status, data-phase, data-count. The status URL answers JSON
   {percent, status_label, phase_label, done, total, finished}; the page reloads when finished. */
(function () {
  document.querySelectorAll(".eban-progress[data-status-url]").forEach(function (box) {
    if (box.dataset.finished === "1") return;
    var bar = box.querySelector("progress");
    function poll() {
      fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.percent;
          bar.textContent = s.percent + "%";
          box.querySelector("[data-status]").textContent = s.status_label;
          box.querySelector("[data-phase]").textContent = s.phase_label;
          box.querySelector("[data-count]").textContent = s.total ? s.done + " / " + s.total : "";
          if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  });
})();
