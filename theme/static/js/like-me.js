// "Results for people like me", with JavaScript: combine several answers.
// Without JavaScript the pre-built page of each group does the job. The
// visitor's answers stay in this browser (localStorage) and are used to show
// their groups first on provider pages; nothing is sent anywhere.
(function () {
  "use strict";
  const KEY = "kundval-like-me";

  function saved() {
    try {
      const value = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(value) ? value.filter((g) => typeof g === "string") : [];
    } catch (e) {
      return [];
    }
  }

  function save(groups) {
    try { localStorage.setItem(KEY, JSON.stringify(groups)); } catch (e) { /* private mode */ }
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // Provider page: show the visitor's groups from the page's own table.
  const box = document.querySelector("[data-like-me-box]");
  if (box) {
    const list = box.querySelector("[data-like-me-list]");
    for (const group of saved()) {
      const row = document.querySelector('tr[data-group="' + CSS.escape(group) + '"]');
      if (!row) continue;
      const item = el("li");
      item.append(el("strong", row.querySelector("th").textContent.trim() + ": "));
      item.append(row.querySelector("td").textContent.replace(/\s+/g, " ").trim());
      list.append(item);
    }
    if (list.children.length) box.hidden = false;
  }

  // The "people like me" page: the form.
  const form = document.querySelector("[data-like-me-form]");
  if (!form) return;
  const out = document.querySelector("[data-like-me-results]");
  const t = form.dataset;
  const samplePercent = t.percent; // "50 %" as the language writes it
  const sampleInterval = t.interval; // "10–90 %"
  const percent = (v) => samplePercent.replace("50", String(v));
  const interval = (lo, hi) => sampleInterval.replace("10", String(lo)).replace("90", String(hi));
  form.hidden = false;
  for (const group of saved()) {
    const column = group.split("=")[0];
    const select = form.elements.namedItem(column);
    if (select) select.value = group;
  }

  function cell(fig, total) {
    const td = el("td");
    if (fig === undefined) {
      td.textContent = t.textNone;
    } else if (fig === null) {
      td.textContent = t.textTooFew;
      if (total) td.append(" " + t.textAll.replace("__SHARE__", percent(total[0])));
    } else {
      td.append(el("span", percent(fig[0]), "figure__value"), " ");
      td.append(el("span", "(" + interval(fig[1], fig[2]) + ")", "figure__interval"));
      if (fig[3]) td.append(" ", el("span", t.textFew, "tag tag--uncertain"));
    }
    return td;
  }

  // The band each figure was given at build time (ranking.bands: clearly
  // higher than all providers, about the same, clearly lower, few answers),
  // hidden or missing last, by name within a band: the order of the pre-built
  // pages. A group without a reliable figure is in name order.
  function rank(fig, inBands) {
    if (!inBands) return 0;
    return fig ? fig[4] : 4;
  }

  async function show(groups) {
    const response = await fetch(t.source);
    const data = await response.json();
    const labels = groups.map((g) => {
      const option = form.querySelector('option[value="' + CSS.escape(g) + '"]');
      return option ? option.textContent : g;
    });
    const first = groups[0];
    const inBands = Boolean(data.ranked[first]);
    // A service is a filter as well as a group: only its providers are listed.
    const service = groups.filter((g) => g.startsWith("service=")).map((g) => g.slice(8))[0];
    const offering = data.providers.filter(
      ([id]) => !service || (data.services[id] || []).includes(service),
    );
    const providers = offering.sort((a, b) => {
      const ra = rank(data.groups[first][a[0]], inBands);
      const rb = rank(data.groups[first][b[0]], inBands);
      return ra - rb || a[1].localeCompare(b[1]);
    });
    const table = el("table", undefined, "group-table");
    table.append(el("caption", t.textCaption));
    const head = el("tr");
    head.append(Object.assign(el("th", t.textProvider), { scope: "col" }));
    for (const label of labels) head.append(Object.assign(el("th", label), { scope: "col" }));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    for (const [id, name] of providers) {
      const row = el("tr");
      const th = Object.assign(el("th"), { scope: "row" });
      const link = el("a", name);
      link.href = t.providerUrl.replace("__ID__", encodeURIComponent(id));
      th.append(link);
      row.append(th);
      for (const g of groups) row.append(cell(data.groups[g][id], data.total[id]));
      body.append(row);
    }
    table.append(body);
    const region = el("div", undefined, "table-scroll");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", t.textCaption);
    region.tabIndex = 0;
    region.append(table);
    out.replaceChildren(region);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const groups = Array.from(form.querySelectorAll("select"))
      .map((s) => s.value)
      .filter(Boolean);
    save(groups);
    if (groups.length) show(groups);
    else out.replaceChildren();
  });
  const initial = saved().filter((g) => form.querySelector('option[value="' + CSS.escape(g) + '"]'));
  if (initial.length) show(initial);
})();
