// The article form: a live Markdown preview beside the body, pictures from the media library,
// tag suggestions, autosave (with the copy offered back), a warning before leaving unsaved
// changes, and who else has it open.
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
    const write = document.createElement("div");
    write.className = "editor-write";
    // The preview is a page of its own, styled by the site's stylesheet alone (not the
    // admin's), as readers will see it; sandboxed: no script of any kind runs in it.
    const preview = document.createElement("iframe");
    preview.className = "markdown-preview";
    preview.title = "正文预览（按网站样式显示）";
    preview.setAttribute("sandbox", "allow-same-origin");
    body.parentNode.insertBefore(split, body);
    const bar = toolbar(body);
    write.append(bar, body, counter(body));
    split.append(write, preview);
    if (config.dataset.uploadUrl || config.dataset.pickUrl) imagePanel(body, bar);
    const show = function (inner) {
      preview.srcdoc =
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
        '<link rel="stylesheet" href="' + config.dataset.siteCss + '"></head>' +
        '<body class="editor-preview"><article><div class="prose">' + inner +
        "</div></article></body></html>";
    };
    const escape = (text) => text.replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");
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
          // result.html is sanitised by the server (nh3).
          show(result.error ? "<p>" + escape(result.error) + "</p>" : result.html);
        })
        .catch(() => show("<p>预览暂时不可用。</p>"));
    };
    body.addEventListener("input", debounce(render, 300));
    render();
  }

  // Pictures: uploaded to the media library (from the button, a paste or a drop, with the
  // alt text it requires), or picked from it; the body gets a reference, ![替代文字](library:42).
  function imagePanel(area, bar) {
    const panel = document.createElement("div");
    panel.className = "image-panel";
    panel.hidden = true;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "插入图片");
    const field = (label, input) => {
      const wrap = document.createElement("label");
      wrap.className = "image-field";
      wrap.append(label, input);
      panel.append(wrap);
      return input;
    };
    const status = document.createElement("p");
    status.className = "image-status help";
    status.setAttribute("aria-live", "polite");
    let at = 0; // where the reference goes: the cursor when the panel was opened
    const insert = function (reference) {
      area.focus();
      area.setSelectionRange(at, at);
      applyMarkdown(area, { block: reference + "\n" });
      at = area.selectionEnd;
    };
    const open = function (message) {
      at = area.selectionStart;
      panel.hidden = false;
      status.textContent = message || "";
    };
    let file, alt, send;
    let refresh = function () {};
    if (config.dataset.uploadUrl) {
      file = field("图片文件（JPEG、PNG 或 WebP）", document.createElement("input"));
      file.type = "file";
      file.name = "library_file";
      file.accept = "image/jpeg,image/png,image/webp";
      alt = field("替代文字（必填：图里是什么）", document.createElement("input"));
      alt.type = "text";
      alt.name = "library_alt";
      alt.maxLength = 200;
      send = document.createElement("button");
      send.type = "button";
      send.className = "button";
      send.textContent = "上传并插入";
      panel.append(send);
      send.addEventListener("click", function () {
        if (!file.files.length) return (status.textContent = "请先选择图片文件。");
        if (!alt.value.trim()) return (status.textContent = "请写替代文字：给看不到图片的读者。");
        const data = new FormData();
        data.append("file", file.files[0]);
        data.append("alt", alt.value);
        status.textContent = "正在上传……";
        fetch(config.dataset.uploadUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": csrf ? csrf.value : "" },
          credentials: "same-origin",
        })
          .then((response) => response.json())
          .then((result) => {
            if (result.errors) return (status.textContent = result.errors.join(" "));
            insert(result.reference);
            file.value = "";
            alt.value = "";
            status.textContent = "已上传到媒体库并插入正文。";
          })
          .catch(() => (status.textContent = "上传失败，请稍后再试。"));
      });
      // A picture pasted or dropped into the body waits in the panel for its alt text.
      const take = function (event, files) {
        const images = Array.from(files || []).filter((f) => f.type.startsWith("image/"));
        if (!images.length) return;
        event.preventDefault();
        const chosen = new DataTransfer();
        chosen.items.add(images[0]);
        file.files = chosen.files;
        open("请写替代文字，然后按“上传并插入”。");
        alt.focus();
      };
      area.addEventListener("paste", (e) => take(e, e.clipboardData && e.clipboardData.files));
      area.addEventListener("dragover", (e) => e.preventDefault());
      area.addEventListener("drop", (e) => take(e, e.dataTransfer && e.dataTransfer.files));
    }
    if (config.dataset.pickUrl) {
      const search = field("或在媒体库中查找", document.createElement("input"));
      search.type = "search";
      search.name = "library_search";
      const results = document.createElement("ul");
      results.className = "library-results";
      panel.append(results);
      const find = function () {
        fetch(config.dataset.pickUrl + "?q=" + encodeURIComponent(search.value), {
          credentials: "same-origin",
        })
          .then((response) => response.json())
          .then((result) => {
            results.replaceChildren(
              ...result.results.map((image) => {
                const item = document.createElement("li");
                const button = document.createElement("button");
                button.type = "button";
                button.title = "插入：" + image.alt;
                const thumb = document.createElement("img");
                thumb.src = image.thumbnail;
                thumb.alt = image.alt;
                button.append(thumb);
                button.addEventListener("click", () => {
                  insert(image.reference);
                  status.textContent = "已插入：" + image.alt;
                });
                item.append(button);
                return item;
              })
            );
            if (!result.results.length) status.textContent = "媒体库里没有找到。";
          })
          .catch(() => results.replaceChildren());
      };
      search.addEventListener("input", debounce(find, 250));
      refresh = find;
    }
    panel.append(status);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.dataset.md = "image";
    button.textContent = "图片";
    button.title = "上传图片，或从媒体库选择";
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      if (panel.hidden) {
        open();
        refresh();
      } else {
        panel.hidden = true;
      }
      button.setAttribute("aria-expanded", String(!panel.hidden));
    });
    bar.append(button);
    bar.after(panel);
  }

  // What share cards and search results show of the SEO title and description, in characters.
  Object.entries({ id_seo_title: 30, id_seo_description: 80 }).forEach(([id, recommended]) => {
    const input = document.getElementById(id);
    if (!input) return;
    const count = document.createElement("p");
    count.className = "length-count help";
    count.setAttribute("aria-live", "polite");
    const update = function () {
      const length = Array.from(input.value).length;
      count.textContent = length + " / " + recommended + " 字" + (length > recommended ? "：超出的部分可能显示不全" : "");
      count.classList.toggle("too-long", length > recommended);
    };
    input.after(count);
    input.addEventListener("input", update);
    update();
  });

  const tags = document.getElementById("id_tags");
  if (tags && config.dataset.tagsUrl) {
    const separators = /[,，、;；]/;
    const list = document.createElement("ul");
    list.className = "tag-suggestions";
    list.setAttribute("aria-label", "已有标签");
    // Before saving: whether the name being typed would be a new tag, or is an alias.
    const hint = document.createElement("p");
    hint.className = "tag-hint help";
    hint.setAttribute("aria-live", "polite");
    tags.after(hint);
    tags.after(list);
    const lastPart = () => tags.value.split(separators).pop().trim();
    const choose = function (name) {
      const parts = tags.value.split(separators).map((part) => part.trim());
      parts[parts.length - 1] = name;
      tags.value = parts.filter(Boolean).join("，") + "，";
      list.replaceChildren();
      hint.textContent = "";
      tags.focus();
    };
    const suggest = function () {
      const typed = lastPart();
      if (!typed) {
        list.replaceChildren();
        hint.textContent = "";
        return;
      }
      fetch(config.dataset.tagsUrl + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((result) => {
          hint.classList.toggle("tag-new", result.new);
          if (result.alias_of) {
            hint.textContent = "“" + typed + "”是“" + result.alias_of + "”的别名，保存时记为“" + result.alias_of + "”。";
          } else if (result.new) {
            const near = result.aliases.map((a) => a.alias + " → " + a.tag);
            hint.textContent =
              "“" + typed + "”是新标签，保存时会新建。" +
              (result.results.length ? "已有的相近标签在下面，点一下即可换用。" : "") +
              (near.length ? "相近的别名：" + near.join("、") + "。" : "");
          } else {
            hint.textContent = "";
          }
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

// A small Markdown toolbar: each button edits the selection as typing would (an input event
// follows, so the preview, the count and autosave see it).
const MARKDOWN = {
  heading: { label: "标题", title: "二级标题（## ）", edit: { line: "## " } },
  bold: { label: "加粗", title: "加粗（**文字**）", edit: { wrap: ["**", "**", "加粗的文字"] } },
  link: { label: "链接", title: "链接（[文字](网址)）", edit: { wrap: ["[", "](https://)", "链接文字"] } },
  list: { label: "列表", title: "列表（每行以 - 开头）", edit: { line: "- " } },
  table: {
    label: "表格",
    title: "表格（两列，可以接着加行和列）",
    edit: { block: "| 列一 | 列二 |\n| --- | --- |\n| 内容 | 内容 |\n" },
  },
};

function toolbar(area) {
  const bar = document.createElement("div");
  bar.className = "md-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Markdown 格式");
  Object.entries(MARKDOWN).forEach(([name, tool]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.dataset.md = name;
    button.textContent = tool.label;
    button.title = tool.title;
    button.addEventListener("click", () => applyMarkdown(area, tool.edit));
    bar.append(button);
  });
  return bar;
}

function applyMarkdown(area, edit) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const chosen = value.slice(start, end);
  if (edit.wrap) {
    const [before, after, placeholder] = edit.wrap;
    const text = chosen || placeholder;
    area.setRangeText(before + text + after, start, end, "end");
    if (!chosen) area.setSelectionRange(start + before.length, start + before.length + text.length);
  } else if (edit.line) {
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    const lines = value.slice(lineStart, end).split("\n");
    const marked = lines.map((line) => (line.startsWith(edit.line) ? line : edit.line + line));
    area.setRangeText(marked.join("\n"), lineStart, end, "end");
  } else if (edit.block) {
    const before = value.slice(0, start);
    const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    area.setRangeText(gap + edit.block, start, end, "end");
  }
  area.focus();
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

// Words as Chinese readers count them: each Han character, and each run of Latin letters or
// digits; read at about 400 a minute.
const READING_SPEED = 400;

function countWords(text) {
  const han = text.match(/\p{Script=Han}/gu) || [];
  const words = text.replace(/\p{Script=Han}/gu, " ").match(/[\p{L}\p{N}]+/gu) || [];
  return han.length + words.length;
}

function counter(area) {
  const line = document.createElement("p");
  line.className = "md-count help";
  line.setAttribute("aria-live", "polite");
  const update = function () {
    const words = countWords(area.value);
    const minutes = Math.max(1, Math.round(words / READING_SPEED));
    line.textContent = words + " 字 · 约 " + minutes + " 分钟读完";
  };
  area.addEventListener("input", update);
  update();
  return line;
}
