// Search on the static Pagefind index of the page's own language.
// Progressive enhancement: without JavaScript the form leads to the provider list.
const root = document.querySelector("[data-pagefind-root]");
const form = root.querySelector("form");
const input = root.querySelector("input[type=search]");
const status = root.querySelector(".search__status");
const list = root.querySelector(".search__results");
const messages = document.getElementById("search-messages").dataset;
const bundle = new URL(root.dataset.pagefindRoot, document.baseURI);
const siteRoot = new URL("..", bundle);

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

function show(results) {
  list.replaceChildren();
  for (const data of results) {
    const li = document.createElement("li");
    li.className = "card";
    const a = document.createElement("a");
    a.className = "provider-name";
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    li.append(a);
    const filters = data.filters || {};
    for (const key of ["service", "district"]) {
      if (filters[key] && filters[key].length) {
        const span = document.createElement("span");
        span.className = "provider-meta";
        span.textContent = filters[key].join(" · ");
        li.append(span);
      }
    }
    list.append(li);
  }
}

let latest = 0;
async function run(query) {
  const ticket = ++latest;
  const term = query.trim();
  if (!term) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = messages.loading;
  try {
    const pf = await engine();
    const search = await pf.search(term);
    if (ticket !== latest) return;
    const data = await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
    if (ticket !== latest) return;
    show(data);
    status.textContent = data.length
      ? messages.count.replace("{n}", String(search.results.length))
      : messages.none;
  } catch (err) {
    status.textContent = messages.error;
    throw err;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(input.value);
});
let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 200);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
