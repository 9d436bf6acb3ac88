// Provider list enhancement: combine a service and a district filter in place.
// Without JavaScript the pre-rendered pages (one filter at a time) do the job.
(function () {
  "use strict";
  const form = document.querySelector("[data-filter-form]");
  const table = document.querySelector("table.providers-table");
  if (!form || !table) return;
  const rows = Array.from(table.tBodies[0].rows);
  const status = document.querySelector(".result-count");
  const template = document.getElementById("list-messages").dataset.count;

  // The filter links do the same job one filter at a time; the form replaces them.
  document.querySelectorAll(".filters").forEach((el) => { el.hidden = true; });
  form.hidden = false;

  function apply() {
    const service = form.elements.service.value;
    const district = form.elements.district.value;
    let shown = 0;
    for (const row of rows) {
      const ok = (!service || row.dataset.services.split(" ").includes(service)) &&
        (!district || row.dataset.districts.split(" ").includes(district));
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    status.textContent = template.replace("{n}", String(shown));
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
})();
