// A report page's charts: for each canvas, the JSON the server put in the
// script element it names; bars on the left axis, lines on the right.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-for"));
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var styles = getComputedStyle(document.documentElement);
    var accent = styles.getPropertyValue("--accent").trim() || "#1f5fbf";
    var palette = [accent, "#8fb3e8", "#e0a040", "#5a9e6f", "#b05a7a"];
    var datasets = [];
    var both = data.bars.length > 0 && data.lines.length > 0;
    data.bars.forEach(function (series, i) {
      datasets.push({
        type: "bar",
        label: series.label,
        data: series.data,
        yAxisID: "y",
        backgroundColor: palette[(i + 1) % palette.length],
        stack: data.stacked ? "bars" : undefined
      });
    });
    data.lines.forEach(function (series, i) {
      var colour = palette[i % palette.length];
      datasets.push({
        type: "line",
        label: series.label,
        data: series.data,
        yAxisID: both ? "y2" : "y",
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: 0,
        tension: 0.2
      });
    });
    var scales = {
      x: { stacked: data.stacked, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
      y: { type: "linear", position: "left", beginAtZero: true, stacked: data.stacked }
    };
    if (both) {
      scales.y2 = {
        type: "linear",
        position: "right",
        beginAtZero: true,
        grid: { drawOnChartArea: false }
      };
    }
    new Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        locale: document.documentElement.lang,
        scales: scales
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }
  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas.report-chart"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
