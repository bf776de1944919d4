/* Draw each [data-chart] element with ECharts from the JSON beside it (json_script).
   The same numbers are in a table next to every chart, so without JavaScript nothing is lost.
   On a phone the chart and its table are alternatives: a button switches between them. */
(function () {
  "use strict";
  if (!window.echarts) return;
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    element.hidden = false;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: ["#b0282f", "#1f4f9c", "#2f8f5b", "#c98a1a"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", name: spec.unit },
      series: spec.series.map(function (series) {
        return { name: series.name, type: "bar", data: series.data, barMaxWidth: 40 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    var figure = element.closest(".chart-figure");
    if (!figure) return;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "chart-toggle";
    toggle.textContent = "查看数据表";
    toggle.setAttribute("aria-pressed", "false");
    toggle.addEventListener("click", function () {
      var table = figure.classList.toggle("show-table");
      toggle.textContent = table ? "查看图表" : "查看数据表";
      toggle.setAttribute("aria-pressed", String(table));
      if (!table) chart.resize();
    });
    figure.insertBefore(toggle, element);
    figure.classList.add("charted");
  });
})();
