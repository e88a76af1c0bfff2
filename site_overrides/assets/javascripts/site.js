/* 首页“正在受理 / 即将截止”：按访问者当天的北京时间重新计算（构建时的列表只是无脚本时的备用）。
   数据来自页面内嵌的 <script type="application/json" id="zc-deadline-data">，不请求任何其他地址。 */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* ?today=YYYY-MM-DD[THH:MM] (北京时间) shows the page at that moment (previews, fact-checking). */
  function pinnedNow() {
    var m = /[?&]today=(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?(?:&|$)/.exec(window.location.search);
    var t = m ? Date.parse(m[1] + "T" + (m[2] || "00:00") + ":00+08:00") : NaN;
    return isNaN(t) ? Date.now() : t;
  }

  function beijingDate(now) {
    var d = new Date(now.getTime() + 8 * 3600 * 1000);
    return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
  }

  function item(e, text) {
    var label = e.region + " · " + e.label;
    var li = el("li", {}, [el("a", { href: "notices/" + e.notice + "/#phase-" + e.phase }, [label])]);
    if (e.applies_to) li.appendChild(document.createTextNode("（" + e.applies_to + "）"));
    li.appendChild(el("br"));
    li.appendChild(el("small", {}, [text]));
    return li;
  }

  function list(entries, text, cls) {
    var ul = el("ul", { "class": "zc-deadlines" + (cls ? " " + cls : "") });
    entries.forEach(function (e) { ul.appendChild(item(e, text(e))); });
    return ul;
  }

  function render() {
    var source = document.getElementById("zc-deadline-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var now = new Date(pinnedNow());
    var t = now.getTime();
    var at = function (v) { return v ? Date.parse(v) : null; };
    var entries = data.entries;

    var open = entries.filter(function (e) {
      return e.start && e.end && at(e.start) <= t && t < at(e.end);
    });
    var deadlines = entries.filter(function (e) { return e.deadline && e.end; });
    var upcoming = deadlines.filter(function (e) { return at(e.end) > t; })
      .sort(function (a, b) { return at(a.end) - at(b.end); }).slice(0, data.limits.upcoming);
    var ended = deadlines.filter(function (e) { return at(e.end) <= t; })
      .sort(function (a, b) { return at(b.end) - at(a.end); }).slice(0, data.limits.ended);

    var openBox = document.querySelector('[data-zc-list="open"]');
    if (openBox) {
      openBox.replaceChildren(
        el("p", { "class": "zc-asof" }, ["按" + (/[?&]today=/.test(location.search) ? "预览时刻" : "今天") + "（北京时间 " + beijingDate(now) + "）计算。"]),
        open.length
          ? list(open, function (e) { return e.start_text + " 至 " + e.end_text; })
          : el("p", { "class": "zc-empty" }, ["目前没有正在受理的申报阶段。"])
      );
    }
    var nextBox = document.querySelector('[data-zc-list="upcoming"]');
    if (nextBox) {
      var parts = [upcoming.length
        ? list(upcoming, function (e) {
            var days = Math.ceil((at(e.end) - t) / 86400000);
            return "截止 " + e.end_text + "（还剩 " + days + " 天）";
          })
        : el("p", { "class": "zc-empty" }, ["目前没有即将截止的事项。"])];
      if (ended.length) {
        parts.push(el("p", {}, ["最近已截止："]));
        parts.push(list(ended, function (e) { return "已于 " + e.end_text + " 截止"; }, "zc-ended"));
      }
      nextBox.replaceChildren.apply(nextBox, parts);
      nextBox.setAttribute("data-zc-live", "browser");
    }
  }

  /* Material's search overlay is a role="dialog" without a name: give it one for screen readers. */
  function labelSearch() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }

  /* A link to a section folded inside <details> (e.g. #inferred) opens it. */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var node = id && document.getElementById(id);
    for (; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  function start() {
    labelSearch();
    render();
    openTarget();
    window.addEventListener("hashchange", openTarget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
