// The home page's chart: the last 90 days' receipts (bars) and revenue
// (line), from the JSON the server put in #sales-data.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("sales-chart");
    var source = document.getElementById("sales-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var styles = getComputedStyle(document.documentElement);
    var accent = styles.getPropertyValue("--accent").trim() || "#1f5fbf";
    var muted = styles.getPropertyValue("--line").trim() || "#c9d2de";
    new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "line",
            label: data.revenue_label,
            data: data.revenue,
            yAxisID: "revenue",
            borderColor: accent,
            backgroundColor: accent,
            pointRadius: 0,
            tension: 0.2
          },
          {
            type: "bar",
            label: data.receipts_label,
            data: data.receipts,
            yAxisID: "receipts",
            backgroundColor: muted
          }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        locale: document.documentElement.lang,
        scales: {
          revenue: { type: "linear", position: "left", beginAtZero: true },
          receipts: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false }
          },
          x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } }
        }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
