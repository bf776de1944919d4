// The article form: a live Markdown preview beside the body, and tag suggestions.
// Both ask small staff-only endpoints, so the preview uses the very renderer the site uses.
"use strict";
// Loaded in <head> by the admin's form media, so it waits for the form to exist.
document.addEventListener("DOMContentLoaded", function () {
  const config = document.getElementById("editor-config");
  if (!config) return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function debounce(fn, ms) {
    let timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  const body = document.getElementById("id_body");
  if (body && config.dataset.markdownUrl) {
    const split = document.createElement("div");
    split.className = "editor-split";
    const preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", "正文预览");
    body.parentNode.insertBefore(split, body);
    split.append(body, preview);
    const render = function () {
      const data = new FormData();
      data.append("body", body.value);
      fetch(config.dataset.markdownUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((result) => {
          if (result.error) {
            preview.textContent = result.error;
          } else {
            preview.innerHTML = result.html; // sanitised by the server (nh3)
          }
        })
        .catch(() => {
          preview.textContent = "预览暂时不可用。";
        });
    };
    body.addEventListener("input", debounce(render, 300));
    render();
  }

  const tags = document.getElementById("id_tags");
  if (tags && config.dataset.tagsUrl) {
    const separators = /[,，、;；]/;
    const list = document.createElement("ul");
    list.className = "tag-suggestions";
    list.setAttribute("aria-label", "已有标签");
    tags.after(list);
    const lastPart = () => tags.value.split(separators).pop().trim();
    const choose = function (name) {
      const parts = tags.value.split(separators).map((part) => part.trim());
      parts[parts.length - 1] = name;
      tags.value = parts.filter(Boolean).join("，") + "，";
      list.replaceChildren();
      tags.focus();
    };
    const suggest = function () {
      const typed = lastPart();
      if (!typed) {
        list.replaceChildren();
        return;
      }
      fetch(config.dataset.tagsUrl + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((result) => {
          list.replaceChildren(
            ...result.results.map((name) => {
              const item = document.createElement("li");
              const button = document.createElement("button");
              button.type = "button";
              button.textContent = name;
              button.addEventListener("click", () => choose(name));
              item.append(button);
              return item;
            })
          );
        })
        .catch(() => list.replaceChildren());
    };
    tags.addEventListener("input", debounce(suggest, 200));
  }
});
