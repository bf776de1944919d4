// The article form: a live Markdown preview beside the body, tag suggestions, autosave (with
// the copy offered back), a warning before leaving unsaved changes, and who else has it open.
// All ask small staff-only endpoints, so the preview uses the very renderer the site uses.
"use strict";
// Loaded in <head> by the admin's form media, so it waits for the form to exist.
document.addEventListener("DOMContentLoaded", function () {
  const config = document.getElementById("editor-config");
  if (!config) return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function debounce(fn, ms) {
    let timer;
    const later = function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
    later.cancel = () => clearTimeout(timer);
    return later;
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

  const form = document.getElementById("article_form");
  if (!form) return;

  function post(url, fields) {
    const data = new FormData();
    Object.entries(fields).forEach(([name, value]) => data.append(name, value));
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      credentials: "same-origin",
    });
  }

  // Unsaved changes: typed since the page was opened, or a form sent back with errors.
  let unsaved = config.hasAttribute("data-unsaved");
  let submitting = false;
  window.addEventListener("beforeunload", (event) => {
    if (unsaved && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  const AUTOSAVED = ["title", "slug", "summary", "body", "tags", "source", "cover_alt"];
  const typed = () =>
    Object.fromEntries(
      AUTOSAVED.map((name) => [name, document.getElementById("id_" + name)])
        .filter(([, field]) => field && !field.disabled)
        .map(([name, field]) => [name, field.value])
    );
  const status = document.getElementById("autosave-status");
  const autosaveUrl = config.dataset.autosaveUrl;
  const keepCopy = function () {
    post(autosaveUrl, typed())
      .then((response) => response.json())
      .then((result) => {
        if (status) status.textContent = result.error || "已自动保存（" + result.saved_at + "），尚未发布";
      })
      .catch(() => {
        if (status) status.textContent = "自动保存暂时不可用。";
      });
  };
  const autosaveSoon = debounce(autosaveUrl ? keepCopy : function () {}, 1000);
  form.addEventListener("submit", () => {
    submitting = true;
    autosaveSoon.cancel(); // the save itself drops the copy; a late one must not bring it back
  });
  form.addEventListener("input", () => {
    unsaved = true;
    autosaveSoon();
  });

  const offer = document.getElementById("autosave-offer");
  if (offer && autosaveUrl) {
    document.getElementById("autosave-restore").addEventListener("click", () => {
      const copy = JSON.parse(document.getElementById("autosaved-data").textContent);
      Object.entries(copy).forEach(([name, value]) => {
        const field = document.getElementById("id_" + name);
        if (field && !field.disabled) {
          field.value = value;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      unsaved = true;
      offer.remove();
      if (status) status.textContent = "已恢复没保存的内容，请检查后保存。";
    });
    document.getElementById("autosave-discard").addEventListener("click", () => {
      post(autosaveUrl, { discard: "1" }).finally(() => offer.remove());
    });
  }

  const presence = document.getElementById("presence");
  const presenceUrl = config.dataset.presenceUrl;
  if (presence && presenceUrl) {
    const heartbeat = function () {
      post(presenceUrl, {})
        .then((response) => response.json())
        .then((result) => {
          const others = result.others || [];
          presence.textContent = others.length ? others.join("、") + " 也在编辑这篇文章" : "";
          presence.hidden = !others.length;
        })
        .catch(() => {});
    };
    heartbeat();
    setInterval(heartbeat, Number(config.dataset.heartbeatMs) || 5000);
    window.addEventListener("pagehide", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
      data.append("leave", "1");
      navigator.sendBeacon(presenceUrl, data);
    });
  }
});
