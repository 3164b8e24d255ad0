// A segment's page: its size at each recompute as a line, from the JSON
// the server put in #size-data.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("size-chart");
    var source = document.getElementById("size-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var accent = getComputedStyle(document.documentElement)
      .getPropertyValue("--accent").trim() || "#1f5fbf";
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.label,
          data: data.sizes,
          borderColor: accent,
          backgroundColor: accent,
          pointRadius: data.sizes.length > 30 ? 0 : 3,
          tension: 0.2
        }]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        locale: document.documentElement.lang,
        plugins: { legend: { display: false } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
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
