// The comparison shortlist: up to four providers, kept only in this browser
// (localStorage) and never sent anywhere. Every "Compare" tick box on the page
// (input[data-compare-id]) adds or removes its provider; the shortlist panel
// shows the choice and links to the comparison, whose address carries the ids.
(function () {
  "use strict";
  const panel = document.querySelector("[data-shortlist]");
  const messages = panel ? panel.dataset : {};
  const max = Number(messages.max || 4);
  const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

  // One list per site: two sites on the same host (sub-folders) keep their own.
  const rootElement = panel || document.querySelector("[data-site-root]");
  const siteRoot = rootElement
    ? new URL(rootElement.dataset.siteRoot || ".", document.baseURI).pathname
    : "/";
  const KEY = "jamfor-shortlist:" + siteRoot;
  let memory = [];
  // A quiet panel (a provider page) stays out of the way until something is
  // chosen, and stays once it has told something.
  const quiet = panel && panel.hasAttribute("data-shortlist-quiet");
  let spoken = false;

  function read() {
    try {
      const raw = JSON.parse(localStorage.getItem(KEY) || "[]");
      if (!Array.isArray(raw)) return [];
      return raw
        .filter((p) => p && ID.test(p.id) && typeof p.name === "string")
        .slice(0, max);
    } catch (err) {
      return memory.slice();
    }
  }

  function write(items) {
    memory = items.slice(0, max);
    try {
      localStorage.setItem(KEY, JSON.stringify(memory));
    } catch (err) {
      // Storage may be switched off: the choice then lasts as long as the page.
    }
  }

  function compareUrl(items) {
    const url = new URL(messages.compareUrl, document.baseURI);
    url.search = items.length ? "?p=" + items.map((p) => p.id).join(",") : "";
    return url.href;
  }

  function announce(text) {
    const status = panel && panel.querySelector(".shortlist__status");
    if (status) status.textContent = text;
    spoken = true;
  }

  function render() {
    const items = read();
    for (const box of document.querySelectorAll("input[data-compare-id]")) {
      box.checked = items.some((p) => p.id === box.dataset.compareId);
      const label = box.closest(".compare-toggle");
      if (label) label.hidden = false;
    }
    if (!panel) return;
    panel.hidden = quiet && items.length === 0 && !spoken;
    let count = messages.empty;
    if (items.length === 1) count = messages.oneMore;
    else if (items.length > 1) count = messages.count.replace("{n}", String(items.length));
    panel.querySelector(".shortlist__count").textContent = count;
    const names = panel.querySelector(".shortlist__names");
    names.replaceChildren(
      ...items.map((p) => {
        const li = document.createElement("li");
        li.append(document.createTextNode(p.name + " "));
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button--small button--secondary";
        button.dataset.shortlistRemove = p.id;
        button.textContent = messages.remove;
        const hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + p.name;
        button.append(hidden);
        li.append(button);
        return li;
      }),
    );
    const link = panel.querySelector("[data-shortlist-compare]");
    link.href = compareUrl(items);
    link.hidden = items.length < 2;
    panel.querySelector("[data-shortlist-clear]").hidden = items.length === 0;
  }

  function add(id, name) {
    const items = read();
    if (items.some((p) => p.id === id)) return true;
    if (items.length >= max) {
      announce(messages.full);
      return false;
    }
    items.push({ id, name });
    write(items);
    announce(messages.added.replace("{name}", name));
    return true;
  }

  function remove(id) {
    const items = read();
    const gone = items.find((p) => p.id === id);
    if (!gone) return;
    write(items.filter((p) => p.id !== id));
    announce(messages.removed.replace("{name}", gone.name));
  }

  document.addEventListener("change", (event) => {
    const box = event.target.closest && event.target.closest("input[data-compare-id]");
    if (!box || !ID.test(box.dataset.compareId)) return;
    if (box.checked) {
      if (!add(box.dataset.compareId, box.dataset.compareName)) box.checked = false;
    } else {
      remove(box.dataset.compareId);
    }
    render();
  });

  document.addEventListener("click", (event) => {
    const target = event.target.closest && event.target.closest("button");
    if (!target) return;
    if (target.dataset.shortlistRemove) {
      const items = read();
      const index = items.findIndex((p) => p.id === target.dataset.shortlistRemove);
      remove(target.dataset.shortlistRemove);
      render();
      // Keep the keyboard user in the panel: the next remove button, or the heading.
      const buttons = panel.querySelectorAll("[data-shortlist-remove]");
      const next = buttons[Math.min(index, buttons.length - 1)];
      if (next) next.focus();
      else panel.querySelector(".shortlist__heading").focus();
    } else if ("shortlistClear" in target.dataset) {
      write([]);
      announce(messages.cleared);
      render();
      panel.querySelector(".shortlist__heading").focus();
    } else if ("print" in target.dataset) {
      window.print();
    }
  });

  // Another tab changed the list, or new tick boxes appeared (search results).
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) render();
  });
  document.addEventListener("shortlist:sync", render);

  for (const button of document.querySelectorAll("button[data-print]")) button.hidden = false;

  // For compare.js: the same list, read and written the same way.
  window.jamforShortlist = { read, write, max };
  render();
})();
