// Chart data tables: collapsed on screen behind a button, never hidden from
// screen readers (visually-hidden, not display:none). Without JavaScript the
// tables are simply shown.
(function () {
  "use strict";
  const charts = document.querySelector("[data-charts]");
  if (!charts) return;
  const label = charts.dataset.textShowTable;
  const hideLabel = charts.dataset.textHideTable;
  charts.querySelectorAll("[data-collapsible]").forEach((panel, i) => {
    panel.id = panel.id || "chart-data-" + (i + 1);
    // A collapsed table must not take keyboard focus where nobody can see it.
    const regions = panel.querySelectorAll("[tabindex]");
    const setFocusable = (on) => regions.forEach((r) => { r.tabIndex = on ? 0 : -1; });
    panel.classList.add("visually-hidden");
    setFocusable(false);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary chart__toggle";
    // No aria-expanded: for a screen reader the table is never collapsed.
    button.dataset.open = "false";
    button.textContent = label;
    button.addEventListener("click", () => {
      const open = button.dataset.open !== "true";
      button.dataset.open = String(open);
      panel.classList.toggle("visually-hidden", !open);
      setFocusable(open);
      button.textContent = open ? hideLabel : label;
    });
    panel.before(button);
  });
})();
