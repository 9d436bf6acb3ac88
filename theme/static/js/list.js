// List enhancement: combine filters in place (provider list, employer entrance).
// Without JavaScript the pre-rendered pages (one filter at a time) do the job.
// Each <select name="N"> keeps the items whose data-N lists the chosen value;
// "transit" (walking distance) is matched together with the district, so that
// "Orminge, at most 400 m" means the premises in Orminge is near a stop.
(function () {
  "use strict";
  const form = document.querySelector("[data-filter-form]");
  const items = Array.from(document.querySelectorAll("[data-filter-item]"));
  const messages = document.getElementById("list-messages");
  if (!form || !items.length || !messages) return;
  const status = document.querySelector(".result-count");
  const template = messages.dataset.count;

  // The filter links do the same job one filter at a time; the form replaces them.
  document.querySelectorAll(".filters").forEach((el) => { el.hidden = true; });
  form.hidden = false;

  const tokens = (item, name) => (item.dataset[name] || "").split(" ");

  function apply() {
    const chosen = {};
    for (const select of form.querySelectorAll("select")) chosen[select.name] = select.value;
    let shown = 0;
    for (const item of items) {
      let ok = true;
      for (const [name, value] of Object.entries(chosen)) {
        if (!value) continue;
        if (name === "transit") {
          const place = chosen.district || "any";
          ok = ok && tokens(item, "near").includes(place + ":" + value);
        } else {
          ok = ok && tokens(item, name).includes(value);
        }
      }
      item.hidden = !ok;
      if (ok) shown += 1;
    }
    status.textContent = template.replace("{n}", String(shown));
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
})();
