/* cchc — dashboard charts drawn with Chart.js from data the page holds in
   <script type="application/json"> (json_script). Each chart has a table next to it with
   the same figures, so nothing is lost without JavaScript or for a screen reader.

   <div class="chart" data-chart="area" data-source="dashboard-charts"><canvas …></canvas></div>
   data: {"area": {"labels": [...], "series": [{"key": "done", "label": "…", "data": [...]}, …]}} */
(function () {
  "use strict";

  // Status colours come from the stylesheet (--chart-*), so the charts match the badges.
  var COLOURS = {
    done: ["--chart-done", "#16a34a"],
    in_progress: ["--chart-progress", "#d97706"],
    not_started: ["--chart-todo", "#cbd5e1"],
    overdue: ["--chart-overdue", "#dc2626"]
  };

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // Long unit and area names wrap onto several lines instead of squeezing the bars.
  function wrap(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    if (lines.length > 3) lines = lines.slice(0, 2).concat([lines.slice(2).join(" ").slice(0, width - 1) + "…"]);
    return lines;
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-source"));
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent)[box.getAttribute("data-chart")];
    if (!data || !data.labels.length) {
      box.hidden = true;
      return;
    }
    var narrow = box.clientWidth < 560;
    var labels = data.labels.map(function (label) { return wrap(label, narrow ? 18 : 36); });
    var rowHeight = function (lines) { return Math.max(narrow ? 34 : 30, lines.length * 15 + 14); };
    var height = labels.reduce(function (sum, lines) { return sum + rowHeight(lines); }, 0);
    box.style.height = height + (narrow ? 96 : 72) + "px";

    var font = getComputedStyle(document.body).fontFamily;
    var text = cssVar("--c-grey-700", "#374151");
    var grid = cssVar("--c-grey-200", "#e5e9ef");

    new window.Chart(box.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: labels,
        datasets: data.series.map(function (series) {
          var colour = COLOURS[series.key] || ["", "#64748b"];
          return {
            label: series.label,
            data: series.data,
            backgroundColor: cssVar(colour[0], colour[1]),
            borderColor: "#fff",
            borderWidth: { right: 1 },
            maxBarThickness: 26
          };
        })
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,  // calm, and printed or captured as drawn
        font: { family: font },
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0, color: text, font: { family: font } }, grid: { color: grid } },
          y: { stacked: true, ticks: { color: text, autoSkip: false, font: { family: font, size: narrow ? 11 : 12 } }, grid: { display: false } }
        },
        plugins: {
          legend: {
            position: "top",
            align: "start",
            labels: { color: text, boxWidth: 12, boxHeight: 12, padding: narrow ? 8 : 14, font: { family: font, size: narrow ? 11 : 12 } }
          },
          tooltip: {
            callbacks: {
              title: function (items) { return data.labels[items[0].dataIndex]; }
            }
          }
        }
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
    // Selects that change what the page shows submit their form at once.
    document.addEventListener("change", function (event) {
      var form = event.target.closest("form[data-autosubmit]");
      if (form && event.target.tagName === "SELECT") {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
