// The comparison page: two to four providers side by side. The choice lives in
// the page address (compare.html?p=id1,id2,id3), so it can be bookmarked, shared
// and printed; without ids in the address, the shortlist kept in this browser is
// used. Each provider's column comes from the site itself (compare/<id>.json,
// next to this page), rendered at build time by the same templates as the
// pre-built tables per service. Nothing is sent anywhere.
(function () {
  "use strict";
  const app = document.querySelector("[data-compare-app]");
  const skeleton = document.getElementById("compare-skeleton");
  const serviceSkeleton = document.getElementById("compare-skeleton-service");
  if (!app || !skeleton) return;
  const m = app.dataset;
  const max = Number(m.max || 4);
  const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
  const dataBase = new URL(m.dataBase, document.baseURI);
  const tablesBox = app.querySelector("[data-compare-tables]");
  const status = app.querySelector(".compare-status");
  const empty = app.querySelector("[data-compare-empty]");
  const actions = app.querySelector("[data-compare-actions]");
  const share = app.querySelector("[data-compare-share]");
  const address = app.querySelector("[data-compare-address]");
  const serviceBox = app.querySelector("[data-compare-for]");
  const serviceSelect = serviceBox.querySelector("select");
  app.hidden = false;

  function cleanIds(raw) {
    const ids = [];
    for (const id of raw.map((s) => s.trim())) {
      if (ID.test(id) && !ids.includes(id)) ids.push(id);
    }
    return ids.slice(0, max);
  }

  function idsFromUrl() {
    const params = new URLSearchParams(location.search);
    return cleanIds(params.getAll("p").flatMap((v) => v.split(",")));
  }

  // "Compare for" one service: ?s=sfi, one of the select's own choices.
  function serviceFromUrl() {
    const wanted = new URLSearchParams(location.search).get("s") || "";
    return Array.from(serviceSelect.options).some((o) => o.value === wanted) ? wanted : "";
  }

  function setUrl(ids) {
    const url = new URL(location.href);
    const params = new URLSearchParams();
    if (ids.length) params.set("p", ids.join(","));
    if (ids.length && serviceSelect.value) params.set("s", serviceSelect.value);
    // Commas kept as they are: the address is read aloud and typed by people.
    url.search = params.toString().replace(/%2C/g, ",");
    history.replaceState(null, "", url.href);
    // A printed comparison names its own address, choice included.
    if (address) address.textContent = url.href;
  }

  const cache = new Map();
  function load(id) {
    if (!cache.has(id)) {
      const url = new URL(id + ".json", dataBase);
      cache.set(
        id,
        fetch(url, { credentials: "same-origin" })
          .then((response) => {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          })
          .then((data) => Object.assign(data, { base: url })),
      );
    }
    return cache.get(id);
  }

  // Cells are HTML from the site's own templates; their links are relative to
  // the JSON file, so make them absolute (same host) before they move here.
  function fragment(html, base) {
    const t = document.createElement("template");
    t.innerHTML = html;
    for (const a of t.content.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href");
      if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("#")) {
        a.href = new URL(href, base).href;
      }
    }
    return t.content;
  }

  // The same rules as difference_verdict() in plugins/comparison_pages/compare.py
  // (difference.js): only reliable figures take part (the JSON holds no others).
  const verdict = window.differenceVerdict;

  function header(p, withRemove) {
    const th = document.createElement("th");
    th.scope = "col";
    const a = document.createElement("a");
    a.className = "provider-name";
    a.dir = "auto"; // a name in another script keeps its own direction
    a.href = new URL(p.url, p.base).href;
    a.textContent = p.name;
    th.append(a);
    if (p.paused) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = m.paused;
      th.append(" ", tag);
    }
    if (withRemove) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small button--secondary compare-remove";
      button.dataset.compareRemove = p.id;
      button.textContent = m.remove;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ": " + p.name;
      button.append(hidden);
      th.append(document.createElement("br"), button);
    }
    return th;
  }

  // A provider's column for a row: for one service's customers where the row
  // has figures by service (compare-provider.json, "services"), else for all
  // its customers. Null where it does not offer the service at all.
  function column(p, row, service) {
    if (!service || !("byService" in row.dataset)) return p;
    return (p.services || {})[service] || null;
  }

  function build(providers, service) {
    const tables = (service && serviceSkeleton ? serviceSkeleton : skeleton).content.cloneNode(true);
    tables.querySelectorAll("section").forEach((section, index) => {
      const headRow = section.querySelector("thead tr");
      for (const p of providers) headRow.append(header(p, index === 0));
      for (const row of section.querySelectorAll("tbody tr[data-row]")) {
        const key = row.dataset.row;
        const columns = providers.map((p) => column(p, row, service));
        providers.forEach((p, i) => {
          const td = document.createElement("td");
          td.dataset.label = p.name; // the provider's name above its figure on a phone
          if (columns[i]) td.append(fragment((columns[i].cells || {})[key] || "", p.base));
          else {
            const none = document.createElement("span");
            none.className = "figure figure--none";
            none.textContent = m.notOffered;
            td.append(none);
          }
          row.append(td);
        });
        const sentence = row.querySelector("[data-verdict]");
        if (sentence) {
          const result = verdict(columns.map((c) => (c ? (c.figures || {})[key] : undefined)));
          const words = "adjusted" in sentence.dataset ? "verdictAdjusted" : "verdict";
          sentence.textContent = m[words + result[0].toUpperCase() + result.slice(1)];
          sentence.dataset.verdict = result;
        }
      }
    });
    return tables;
  }

  let current = [];

  async function show(ids, focusAfter, note) {
    status.textContent = m.loading;
    const settled = await Promise.allSettled(ids.map(load));
    const providers = [];
    const missing = [];
    settled.forEach((result, i) => {
      if (result.status === "fulfilled") providers.push(result.value);
      else missing.push(ids[i]);
    });
    current = providers.map((p) => p.id);
    setUrl(current);
    tablesBox.replaceChildren(providers.length ? build(providers, serviceSelect.value) : "");
    serviceBox.hidden = providers.length === 0;
    empty.hidden = providers.length >= 2;
    actions.hidden = providers.length === 0;
    share.hidden = providers.length < 2;
    const notes = missing.map((id) => m.missing.replace("{id}", id));
    const count = m.count.replace("{n}", String(providers.length));
    status.textContent = [note, count, ...notes].filter(Boolean).join(" ");
    if (focusAfter) focusAfter();
  }

  tablesBox.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-compare-remove]");
    if (!button) return;
    const id = button.dataset.compareRemove;
    const index = current.indexOf(id);
    const name = button.closest("th").querySelector("a").textContent;
    const shortlist = window.jamforShortlist;
    if (shortlist) {
      shortlist.write(shortlist.read().filter((p) => p.id !== id));
      document.dispatchEvent(new Event("shortlist:sync"));
    }
    show(
      current.filter((other) => other !== id),
      () => {
        const buttons = tablesBox.querySelectorAll("button[data-compare-remove]");
        const next = buttons[Math.min(index, buttons.length - 1)];
        if (next) next.focus();
        else {
          const link = empty.querySelector("a");
          if (link) link.focus();
        }
      },
      m.removed.replace("{name}", name) + ".",
    );
  });

  serviceSelect.addEventListener("change", () => show(current));

  serviceSelect.value = serviceFromUrl();
  let ids = idsFromUrl();
  if (!ids.length && window.jamforShortlist) {
    ids = cleanIds(window.jamforShortlist.read().map((p) => p.id));
  }
  show(ids);
})();
