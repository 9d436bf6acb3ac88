// Search with filters and sorting on the static Pagefind index of the page's own
// language. Progressive enhancement: without JavaScript the form leads to the
// provider list. Nothing leaves the site: Pagefind loads its index from the
// site's own pagefind/ folder. The search and its filters are kept in the page
// address, so a result list can be bookmarked or shown to someone.
const root = document.querySelector("[data-pagefind-root]");
const form = root.querySelector("form");
const input = form.elements.q;
const filterBox = root.querySelector("[data-search-filters]");
const status = root.querySelector(".search__status");
const list = root.querySelector(".search__results");
const more = root.querySelector("[data-search-more]");
const messages = document.getElementById("search-messages").dataset;
const resultTemplate = document.getElementById("search-result");
const bundle = new URL(root.dataset.pagefindRoot, document.baseURI);
const siteRoot = new URL("..", bundle);

const SELECTS = ["service", "district", "transit", "language", "sector", "sort"];
const CHECKS = ["step_free", "hearing_loop"];
const PAGE_SIZE = 20;

filterBox.hidden = false;

// One shared promise: several keystrokes before the index has loaded must not
// load it several times, nor let an early query's answer overtake a later one.
let loading = null;
function engine() {
  if (!loading) {
    loading = (async () => {
      const pagefind = await import(new URL("pagefind.js", bundle).href);
      await pagefind.options({ baseUrl: siteRoot.pathname });
      await pagefind.init();
      return pagefind;
    })();
  }
  return loading;
}

function state() {
  const s = { q: input.value.trim() };
  for (const name of SELECTS) s[name] = form.elements[name].value;
  for (const name of CHECKS) s[name] = form.elements[name].checked ? "yes" : "";
  return s;
}

// Filter keys are stable English names, values are codes (see search-data.html).
function pagefindFilters(s) {
  const filters = {};
  for (const name of ["service", "district", "language", "sector", ...CHECKS]) {
    if (s[name]) filters[name] = s[name];
  }
  // Near me: with a district chosen, its premises there must be near a stop.
  if (s.transit) filters.transit = (s.district || "any") + ":" + s.transit;
  return filters;
}

// The sort order: "" is Pagefind's best match; without a search term, by name.
// Narrowed to one service, a figure with figures by service sorts by that
// service's (ranking.service_sort_key).
function sortKey(s) {
  const option = form.elements.sort.selectedOptions[0];
  if (s.sort && s.service && option && "byService" in option.dataset) {
    return s.sort + "__" + s.service;
  }
  return s.sort || (s.q ? "" : "name");
}

// The figures a result shows: those of the chosen service's customers, where
// the page has them (search-data.html), else those of all its services.
function figureKey(meta, key, service) {
  const own = key + "__" + service;
  return service && meta[own + "_state"] ? own : key;
}

function remember(s) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(s)) if (value) params.set(key, value);
  const query = params.toString();
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

function restore() {
  const params = new URLSearchParams(location.search);
  // Keep what a visitor typed before this script ran (a fast typist, or autofill).
  if (params.has("q") || !input.value) input.value = params.get("q") || "";
  for (const name of SELECTS) {
    const value = params.get(name);
    const select = form.elements[name];
    if (value && Array.from(select.options).some((o) => o.value === value)) select.value = value;
  }
  for (const name of CHECKS) form.elements[name].checked = params.get(name) === "yes";
  const filtered = [...SELECTS, ...CHECKS].some((name) => params.get(name));
  if (filtered || matchMedia("(min-width: 44rem)").matches) filterBox.open = true;
}

function entry(data, service) {
  const li = resultTemplate.content.firstElementChild.cloneNode(true);
  const meta = data.meta || {};
  const link = li.querySelector("a");
  link.href = data.url;
  link.textContent = meta.title || data.url;
  const field = (name) => li.querySelector(`[data-field="${name}"]`);
  field("services").textContent = meta.services || "";
  field("districts").textContent = meta.districts || "";
  if (meta.paused) {
    field("paused").textContent = meta.paused;
    field("paused").hidden = false;
  }
  const serviceName = service ? form.elements.service.selectedOptions[0].textContent : "";
  field("scope").textContent = service
    ? messages.scopeService.replace("{service}", serviceName)
    : messages.scopeAll;
  for (const box of li.querySelectorAll("[data-figure]")) {
    const key = figureKey(meta, box.dataset.figure, service);
    const fig = box.querySelector(".figure");
    const stateOf = meta[key + "_state"] || "none";
    fig.querySelector(".figure__value").textContent = meta[key] || "";
    fig.querySelector(".figure__interval").textContent = meta[key + "_interval"] || "";
    fig.querySelector(".tag").hidden = stateOf !== "few";
    if (stateOf === "suppressed") fig.classList.add("figure--suppressed");
    if (stateOf === "none") fig.classList.add("figure--none");
  }
  const box = li.querySelector("input[data-compare-id]");
  box.dataset.compareId = meta.id || "";
  box.dataset.compareName = meta.title || "";
  li.querySelector(".compare-toggle .visually-hidden").textContent = " " + (meta.title || "");
  if (!meta.id) li.querySelector(".compare-toggle").remove();
  return li;
}

let latest = 0;
let pending = [];
let total = 0;

function announce() {
  const shown = list.children.length;
  if (!total) status.textContent = messages.none;
  else if (shown < total) {
    status.textContent = messages.countMore
      .replace("{n}", String(total))
      .replace("{shown}", String(shown));
  } else status.textContent = messages.count.replace("{n}", String(total));
}

// Result data (one small fragment per result) is fetched only for the entries shown.
async function showMore(ticket, focusFirst) {
  const batch = pending.slice(0, PAGE_SIZE);
  pending = pending.slice(PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (ticket !== latest) return;
  const service = form.elements.service.value;
  const items = data.map((d) => entry(d, service));
  list.append(...items);
  more.hidden = pending.length === 0;
  document.dispatchEvent(new Event("shortlist:sync"));
  if (focusFirst) {
    announce();
    if (items.length) items[0].querySelector("a").focus();
  }
}

async function run() {
  const ticket = ++latest;
  const s = state();
  remember(s);
  const filters = pagefindFilters(s);
  const key = sortKey(s);
  if (!s.q && !Object.keys(filters).length && !s.sort) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = messages.loading;
  try {
    const pf = await engine();
    // Sorted by a value indexed on each page (data-pagefind-sort), in the
    // same order as the pre-rendered lists: hidden figures last.
    const options = key ? { filters, sort: { [key]: "asc" } } : { filters };
    const search = await pf.search(s.q || null, options);
    pending = search.results;
    if (ticket !== latest) return;
    list.replaceChildren();
    total = pending.length;
    await showMore(ticket, false);
    if (ticket !== latest) return;
    announce();
  } catch (err) {
    status.textContent = messages.error;
    throw err;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
});
form.addEventListener("change", (event) => {
  if (event.target !== input) run();
});
more.addEventListener("click", () => showMore(latest, true));

restore();
if (location.search || input.value.trim()) run();
