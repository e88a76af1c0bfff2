/* Site search (generator/site/pages/search.py): the header box on every page and the results page
 * search/?q=<query>. Pagefind's index (pagefind/) is loaded only when a person searches: no
 * search byte is requested while a page merely loads or the box merely gets focus.
 *
 * No inline script, no eval, no inline event handler: this file works under a strict
 * Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'). Pagefind's own pagefind.js is
 * used through its API; its prebuilt UI is not shipped to the browser.
 */

import { el, onReady } from "./lib/dom.js";

// Each shown result downloads its page's fragment (about 15 KB for a notice): show a few, and
// more on request, so one search stays well under 600 KB with the page itself.
const PANEL_LIMIT = 5;
const PAGE_SIZE = 6;
const DEBOUNCE_MS = 200;
let engine = null; // Promise of the pagefind module, once a search was made

function siteRoot() {
  const form = document.querySelector("[data-zc-search]");
  const base = (form && form.getAttribute("data-zc-root")) || ".";
  return new URL(base.replace(/\/?$/, "/"), window.location.href);
}

function loadEngine() {
  if (!engine) {
    const root = siteRoot();
    engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
      // noWorker: the search runs in this page; pagefind-worker.js would repeat pagefind.js's
      // code (41 KB) for queries that take a few milliseconds.
      return pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true }).then(function () {
        return pagefind;
      });
    });
    engine.catch(function () { engine = null; }); // a later search may try again
  }
  return engine;
}

/* Pagefind's excerpt is its text with "<" and ">" escaped and <mark> around the hits: build
 * it as DOM nodes, never as HTML. */
function excerptNode(excerpt) {
  const parts = String(excerpt || "").split(/<mark>|<\/mark>/).map((part, i) => {
    const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    if (!text) return null;
    return i % 2 === 1 ? el("mark", { text }) : text;
  });
  return el("p", { className: "zc-search-hit__excerpt" }, parts);
}

function metaText(meta) {
  const bits = [meta.kind || "页面"];
  if (meta.region) bits.push(meta.region);
  if (meta.year) bits.push(meta.year + " 年度");
  return bits.join(" · ");
}

function resultItem(data, withSections) {
  const meta = data.meta || {};
  const li = el("li", { className: "zc-search-hit" }, [
    el("a", { className: "zc-search-hit__title", href: data.url, text: meta.title || data.url }),
    el("span", { className: "zc-search-hit__meta", text: metaText(meta) }),
    excerptNode(data.excerpt),
  ]);
  if (withSections && data.sub_results && data.sub_results.length > 1) {
    const sections = data.sub_results.filter((sub) => sub.url !== data.url).slice(0, 3)
      .map((sub) => el("li", {}, [el("a", { href: sub.url, text: sub.title })]));
    if (sections.length) li.appendChild(el("ul", { className: "zc-search-hit__sections" }, sections));
  }
  return li;
}

function resultsUrl(query) {
  return new URL("search/?q=" + encodeURIComponent(query), siteRoot()).href;
}

/* ---------------------------------------------------------------- header box */

function mountHeader(form) {
  const input = form.querySelector("[data-zc-search-input]");
  const panel = form.querySelector("[data-zc-search-panel]");
  if (!input || !panel) return;
  let timer = null;
  let seq = 0;
  let composing = false;

  function close() {
    panel.hidden = true;
  }

  function show(nodes) {
    panel.replaceChildren(...nodes);
    panel.hidden = false;
  }

  function note(text) {
    return el("p", { className: "zc-search__note", text });
  }

  function run() {
    const query = input.value.trim();
    const mine = ++seq;
    if (!query) { close(); return; }
    show([note("正在搜索…")]);
    loadEngine().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (found) {
      if (mine !== seq) return null;
      return Promise.all(found.results.slice(0, PANEL_LIMIT).map(function (r) { return r.data(); }))
        .then(function (items) { return { total: found.results.length, items: items }; });
    }).then(function (res) {
      if (!res || mine !== seq) return;
      if (!res.total) { show([note("没有找到与“" + query + "”相关的内容。")]); return; }
      const list = el("ol", { className: "zc-search__list" }, res.items.map((data) => resultItem(data, false)));
      const more = el("a", { className: "zc-search__more", href: resultsUrl(query),
        text: "查看全部 " + res.total + " 条结果" });
      show([list, more]);
    }).catch(function () {
      if (mine === seq) show([note("搜索需要联网：搜索索引没有保存在本机，请联网后再试。")]);
    });
  }

  function schedule() {
    if (composing) return; // an input method is still composing: wait for compositionend
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; schedule(); });
  input.addEventListener("input", function (event) {
    if (event.isComposing) return;
    schedule();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); return; }
    if (event.key === "ArrowDown" && !panel.hidden) {
      const first = panel.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  panel.addEventListener("keydown", function (event) {
    const links = Array.from(panel.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") { close(); input.focus(); return; }
    if (event.key === "ArrowDown" && at >= 0 && at < links.length - 1) {
      event.preventDefault(); links[at + 1].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault(); (at === 0 ? input : links[at - 1]).focus();
    }
  });
  form.addEventListener("submit", function (event) {
    if (!input.value.trim()) { event.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
  form.addEventListener("focusout", function () {
    setTimeout(function () { if (!form.contains(document.activeElement)) close(); }, 0);
  });
}

/* ---------------------------------------------------------------- results page */

function mountResults(form) {
  const input = form.querySelector("input[name=q]");
  const list = document.querySelector("[data-search-results]");
  const status = document.querySelector("[data-search-status]");
  if (!input || !list || !status) return;
  let seq = 0;

  function render(query) {
    const mine = ++seq;
    list.replaceChildren();
    if (!query) { status.textContent = "输入关键词后按回车或点“搜索”。"; return; }
    document.title = "搜索：" + query + " - " + document.title.replace(/^搜索：.* - /, "");
    status.textContent = "正在搜索“" + query + "”…";
    loadEngine().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (found) {
      if (mine !== seq) return;
      const results = found.results;
      let shown = 0;
      if (!results.length) {
        status.textContent = "没有找到与“" + query + "”相关的内容。可以换一个词，或从全部通知一览查找。";
        return;
      }
      status.textContent = "“" + query + "”共 " + results.length + " 条结果，相关度高的在前。";
      const moreButton = el("button", { type: "button", className: "md-button zc-search-more", text: "显示更多结果" });
      function next() {
        const batch = results.slice(shown, shown + PAGE_SIZE);
        shown += batch.length;
        moreButton.disabled = true;
        return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
          if (mine !== seq) return;
          items.forEach(function (data) { list.appendChild(resultItem(data, true)); });
          moreButton.disabled = false;
          if (shown >= results.length) moreButton.remove();
          else if (!moreButton.isConnected) list.after(moreButton);
        });
      }
      moreButton.addEventListener("click", next);
      return next();
    }).catch(function () {
      if (mine === seq) status.textContent = "搜索需要联网：搜索索引加载失败，请检查网络后刷新页面重试。";
    });
  }

  const query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const q = input.value.trim();
    const url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.href);
    const old = document.querySelector(".zc-search-more");
    if (old) old.remove();
    render(q);
  });
  render(query.trim());
  if (!query) input.focus();
}

function mount() {
  const header = document.querySelector("[data-zc-search]");
  if (header) mountHeader(header);
  const page = document.querySelector("[data-zc-search-page]");
  if (page) mountResults(page);
}

onReady(mount);
