/* As-you-type suggestions for the header search box: an ARIA combobox with a listbox of product and
   booth names from /api/v1/suggest. Without this script the box is a plain GET form to /search. */
(function () {
  "use strict";
  const form = document.querySelector("form.site-search");
  const input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch || !window.AbortController) return;

  const endpoint = form.dataset.suggest;
  const boothLabel = form.dataset.booth;
  const list = document.createElement("ul");
  list.id = input.id + "-list";
  list.className = "suggest";
  list.setAttribute("role", "listbox");
  const label = input.labels && input.labels[0];
  if (label && label.id) list.setAttribute("aria-labelledby", label.id);
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let items = [];
  let active = -1;
  let timer = 0;
  let pending = null;

  function href(item) {
    try {
      const url = typeof item.url === "string" && new URL(item.url, window.location.href);
      if (url && url.origin === window.location.origin) return url.href;
    } catch (error) { /* not a URL: build it from the slug */ }
    return (item.kind === "booth" ? "/booths/" : "/products/") + encodeURIComponent(item.slug) + "/";
  }

  function highlight(index) {
    const options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0) {
      options[active].setAttribute("aria-selected", "true");
      options[active].scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", options[active].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    highlight(-1);
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function show(suggestions) {
    items = suggestions.slice(0, 8);
    active = -1;
    list.replaceChildren(...items.map(function (item, i) {
      const li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.textContent = item.text;
      li.appendChild(name);
      if (item.kind === "booth") {
        const kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = boothLabel;
        li.append(" ", kind);
      }
      return li;
    }));
    input.removeAttribute("aria-activedescendant");
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function go(index) {
    const item = items[index];
    if (item) window.location.assign(href(item));
  }

  function load() {
    const text = input.value.trim();
    if (pending) pending.abort();
    pending = null;
    if (text.length < 2) {
      items = [];
      close();
      return;
    }
    const request = pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(text), { signal: request.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (request === pending && data && Array.isArray(data.suggestions)) show(data.suggestions);
      })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });

  input.addEventListener("keydown", function (event) {
    const open = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      if (!open) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      const last = items.length - 1;
      if (event.key === "ArrowDown") highlight(active >= last ? 0 : active + 1);
      else highlight(active <= 0 ? last : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      go(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    const option = event.target.closest("[role=option]");
    if (option) go(Array.prototype.indexOf.call(list.children, option));
  });
  input.addEventListener("blur", close);
  window.addEventListener("pageshow", close);
})();
