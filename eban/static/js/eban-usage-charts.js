/* Kiosks → Usage: draws the bar charts of the usage page with ECharts (vendored). The figures
   come from the page's json_script "usage-charts"; each chart has a table with the same figures
   after it, so nothing depends on this script. */
(function () {
  "use strict";
  var source = document.getElementById("usage-charts");
  if (!source || typeof window.echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var drawn = [];
  document.querySelectorAll("[data-usage-chart]").forEach(function (el) {
    var data = charts[el.getAttribute("data-usage-chart")];
    if (!data || !data.values.length) { el.hidden = true; return; }
    var horizontal = el.getAttribute("data-horizontal") === "true";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var categories = { type: "category", data: data.labels, axisLabel: { width: 160, overflow: "truncate" } };
    var values = { type: "value", minInterval: 1 };
    if (horizontal) { categories.inverse = true; }
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      grid: { left: horizontal ? 170 : 50, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: [{ type: "bar", name: data.title, data: data.values, itemStyle: { color: "#2e5c8a" } }]
    });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
