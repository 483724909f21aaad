// On narrow screens the filter panel starts folded (unless filters are in force), so results come first.
(function () {
  if (!window.matchMedia || !window.matchMedia("(max-width: 899px)").matches) return;
  document.querySelectorAll("details[data-filters]:not([data-chosen])").forEach(function (panel) {
    panel.removeAttribute("open");
  });
})();
