// The search box suggests cities, organisations and tags as the reader types Chinese, pinyin or
// initials (杭, hangzhou, hz). Without this script the box is a plain search form, and the
// results page says 你要找的是不是 for pinyin.
(() => {
  const input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  const list = document.createElement("ul");
  list.id = "site-q-list";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "建议");
  list.hidden = true;
  input.after(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  let active = -1;
  let timer = null;
  let asked = "";

  const options = () => Array.from(list.children);
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const mark = (index) => {
    options().forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", options()[index].id);
  };
  const show = (items) => {
    list.replaceChildren(...items.map((item, i) => {
      const option = document.createElement("li");
      option.id = `site-q-option-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const link = document.createElement("a");
      link.href = item.url;
      link.tabIndex = -1;
      link.textContent = item.name;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.kind;
      link.append(kind);
      option.append(link);
      return option;
    }));
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    active = -1;
  };
  const ask = async () => {
    const typed = input.value.trim();
    if (!typed) { close(); return; }
    asked = typed;
    try {
      const response = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(typed)}`);
      if (!response.ok || asked !== typed) return;
      show((await response.json()).suggestions);
    } catch {
      close();  // the plain search still works
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", (event) => {
    const count = options().length;
    if (list.hidden || !count) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      mark((active + step + count) % count);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 200));
})();
