// Dashboard charts drawn with Chart.js (installed by npm, served from /static/chartjs/). Each chart's
// data is in a JSON script element beside its canvas; the table under it holds the same figures for
// anyone who cannot see the picture, and is the whole page without JavaScript.
//
// Colours and patterns come with the data, from categorisation/palette.py: a category's series is in
// the colour of its tag. Colour is never the only cue: every series also has a pattern (bars) or a
// dash and point shape (lines), and the legend names each one.
import "../chartjs/chart.umd.min.js";

const TEXT = "#0b0c0c";
const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4]];
const POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot"];

// A tile of the series' colour with its pattern in white over it, repeated to fill a bar.
function patterned(colour, pattern) {
  if (pattern === "solid") {
    return colour;
  }
  const size = 10;
  const tile = document.createElement("canvas");
  tile.width = size;
  tile.height = size;
  const pen = tile.getContext("2d");
  pen.fillStyle = colour;
  pen.fillRect(0, 0, size, size);
  pen.strokeStyle = "rgba(255, 255, 255, 0.85)";
  pen.fillStyle = "rgba(255, 255, 255, 0.85)";
  pen.lineWidth = 2;
  const line = (x1, y1, x2, y2) => {
    pen.beginPath();
    pen.moveTo(x1, y1);
    pen.lineTo(x2, y2);
    pen.stroke();
  };
  switch (pattern) {
    case "diagonal":
      line(0, size, size, 0);
      line(-size / 2, size / 2, size / 2, -size / 2);
      line(size / 2, size * 1.5, size * 1.5, size / 2);
      break;
    case "diagonal-reverse":
      line(0, 0, size, size);
      line(-size / 2, size / 2, size / 2, size * 1.5);
      line(size / 2, -size / 2, size * 1.5, size / 2);
      break;
    case "dots":
      pen.beginPath();
      pen.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
      pen.fill();
      break;
    case "cross":
      line(0, size / 2, size, size / 2);
      line(size / 2, 0, size / 2, size);
      break;
    case "horizontal":
      line(0, size / 2, size, size / 2);
      break;
    case "vertical":
      line(size / 2, 0, size / 2, size);
      break;
    default: // zigzag
      line(0, size * 0.75, size / 2, size * 0.25);
      line(size / 2, size * 0.25, size, size * 0.75);
  }
  return pen.createPattern(tile, "repeat");
}

function axis(title, stacked, extra) {
  return {
    stacked,
    title: { display: true, text: title, color: TEXT, font: { weight: "bold" } },
    ticks: { color: TEXT, ...extra },
  };
}

for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
  const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  const stacked = Boolean(spec.stacked);
  const line = spec.kind === "line";
  new window.Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.name,
        data: series.values.map((v) => (v === "" ? null : v)),
        backgroundColor: line ? series.colour : patterned(series.colour, series.pattern),
        borderColor: series.colour,
        borderWidth: line ? 3 : 1,
        borderDash: line ? DASHES[i % DASHES.length] : [],
        pointStyle: POINTS[i % POINTS.length],
        pointRadius: line ? 4 : 0,
        tension: 0,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false, // the box (.app-chart__canvas) sets the height
      scales: {
        // Every month is labelled (twelve at most), turned when the chart is narrow.
        x: axis(spec.axes.x, stacked, { autoSkip: false, maxRotation: 60 }),
        y: { ...axis(spec.axes.y, stacked, { precision: spec.unit ? undefined : 0 }), beginAtZero: true },
      },
      plugins: {
        title: { display: true, text: spec.title, color: TEXT, font: { size: 16 } },
        legend: { display: true, position: "bottom", labels: { color: TEXT, usePointStyle: line } },
      },
    },
  });
  canvas.closest(".app-chart").classList.add("app-chart--drawn");
}
