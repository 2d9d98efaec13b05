// Dashboard charts drawn with Chart.js (installed by npm, served from /static/chartjs/). Each chart's
// data is in a JSON script element beside its canvas; the table under it holds the same figures for
// anyone who cannot see the picture, and is the whole page without JavaScript.
import "../chartjs/chart.umd.min.js";

const COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca", "#b58840", "#912b88"];

for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
  const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  const stacked = Boolean(spec.stacked);
  new window.Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.name,
        data: series.values.map((v) => (v === "" ? null : v)),
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        tension: 0,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
      plugins: { legend: { display: spec.series.length > 1, position: "bottom" } },
    },
  });
  canvas.closest(".app-chart").classList.add("app-chart--drawn");
}
