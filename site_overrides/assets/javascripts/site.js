/* 首页“正在受理 / 即将截止”：按访问者当前的北京时间（或地址中的 ?today=）重新挑选（构建时的列表只是无脚本时的备用）。
   数据来自页面内嵌的 <script type="application/json" id="zc-deadline-data">：每个阶段的开始、截止时刻和
   截止倒计时文字都由规则引擎（generator/engine/timeline.py）在构建时算好，本脚本只把当前时刻与之比较。
   不请求任何其他地址。 */

import { $, el, onReady } from "./lib/dom.js";
import { beijingDate, countdownAt, now, pageData, pinnedToday } from "./lib/util.js";

function item(e, text) {
  return el("li", {}, [
    el("a", { href: "notices/" + e.notice + "/#phase-" + e.phase }, [e.region + " · " + e.label]),
    e.applies_to ? "（" + e.applies_to + "）" : null,
    el("br"),
    el("small", {}, [text]),
  ]);
}

function list(entries, text, cls) {
  return el("ul", { className: "zc-deadlines" + (cls ? " " + cls : "") }, entries.map((e) => item(e, text(e))));
}

function render() {
  const data = pageData("zc-deadline-data");
  if (!data) return;
  const t = now();
  const at = (v) => (v ? Date.parse(v) : null);
  const entries = data.entries;

  const open = entries.filter((e) => e.start && e.end && at(e.start) <= t && t < at(e.end));
  const deadlines = entries.filter((e) => e.deadline && e.end);
  const upcoming = deadlines.filter((e) => at(e.end) > t)
    .sort((a, b) => at(a.end) - at(b.end)).slice(0, data.limits.upcoming);
  const ended = deadlines.filter((e) => at(e.end) <= t)
    .sort((a, b) => at(b.end) - at(a.end)).slice(0, data.limits.ended);

  const openBox = $('[data-zc-list="open"]');
  if (openBox) {
    openBox.replaceChildren(
      el("p", { className: "zc-asof" }, ["按" + (pinnedToday() ? "预览时刻" : "今天") + "（北京时间 " + beijingDate(t) + "）计算。"]),
      open.length
        ? list(open, (e) => e.start_text + " 至 " + e.end_text)
        : el("p", { className: "zc-empty" }, ["目前没有正在受理的申报阶段。"]),
    );
  }
  const nextBox = $('[data-zc-list="upcoming"]');
  if (nextBox) {
    const parts = [upcoming.length
      ? list(upcoming, (e) => {
        // The engine's text for this moment ("还剩 16 天", "明天截止", "今天截止"), if any yet.
        const left = countdownAt(e.countdown, t);
        return "截止 " + e.end_text + (left ? "（" + left + "）" : "");
      })
      : el("p", { className: "zc-empty" }, ["目前没有即将截止的事项。"])];
    if (ended.length) {
      parts.push(el("p", {}, ["最近已截止："]));
      parts.push(list(ended, (e) => "已于 " + e.end_text + " 截止", "zc-ended"));
    }
    nextBox.replaceChildren(...parts);
    nextBox.setAttribute("data-zc-live", "browser");
  }
}

/* Material's search overlay is a role="dialog" without a name: give it one for screen readers. */
function labelSearch() {
  const dialog = $('.md-search[role="dialog"]');
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
}

/* A link to a section folded inside <details> (e.g. #inferred) opens it. */
function openTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  for (let node = id && document.getElementById(id); node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
  }
}

onReady(() => {
  labelSearch();
  render();
  openTarget();
  window.addEventListener("hashchange", openTarget);
});
