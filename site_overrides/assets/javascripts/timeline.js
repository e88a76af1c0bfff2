/* 时间轴的“今天”标记与下一个截止时间的倒计时，按访问者当前的北京时间（或地址中的 ?today=）显示；
   构建时生成的 SVG 只是静态底图。截止时刻和倒计时文字（“还剩 N 天”“今天截止”……）由规则引擎
   （generator/engine/timeline.py）在构建时算好，本脚本只挑出当前时刻适用的那一条。
   日历页的“订阅”按钮在这里换成 webcal:// 绝对地址。不请求任何其他地址；无脚本时页面照常可读。 */

import { $$, onPage } from "./lib/dom.js";
import { beijingDate, countdownAt, now } from "./lib/util.js";

function placeToday(svg, t) {
  const [t0, t1, x0, x1] = ["data-t0", "data-t1", "data-x0", "data-x1"].map((a) => Number(svg.getAttribute(a)));
  const marker = svg.querySelector(".zc-tl-today");
  if (!marker || !(t1 > t0)) return;
  if (t < t0 || t > t1) {
    marker.setAttribute("visibility", "hidden");
    return;
  }
  // Where "now" falls on the drawn axis (a position, not a judgement).
  const x = (x0 + (x1 - x0) * (t - t0) / (t1 - t0)).toFixed(1);
  const line = marker.querySelector("line");
  line.setAttribute("x1", x);
  line.setAttribute("x2", x);
  const text = marker.querySelector("text");
  text.setAttribute("x", x);
  text.textContent = "今天 " + beijingDate(t, false);
  marker.setAttribute("visibility", "visible");
  marker.setAttribute("data-x", x);
}

/* deadlines: [{label, end, text, countdown}] from the build (generator/site/timeline.py). */
function countdown(target, deadlines, t) {
  if (!target || !deadlines.length) return;
  const next = deadlines.filter((d) => Date.parse(d.end) > t)
    .sort((a, b) => Date.parse(a.end) - Date.parse(b.end))[0];
  if (next) {
    const left = countdownAt(next.countdown, t);
    target.textContent = "今天是" + beijingDate(t) + "。下一个截止：" + next.label + "（" + next.text +
      "，北京时间）" + (left ? "，" + left : "") + "。";
    target.setAttribute("data-next", next.label);
  } else {
    target.textContent = "今天是" + beijingDate(t) + "。本页所列截止时间均已过去。";
    target.setAttribute("data-next", "");
  }
  target.hidden = false;
}

function deadlinesOf(node) {
  try {
    return JSON.parse(node.getAttribute("data-deadlines") || "[]");
  } catch (_err) {
    return [];
  }
}

function render() {
  const t = now();
  for (const fig of $$("figure[data-zc-timeline]")) {
    const svg = fig.querySelector("svg.zc-tl-svg");
    if (svg) placeToday(svg, t);
    countdown(fig.querySelector("[data-zc-countdown]"), deadlinesOf(fig), t);
  }
  // 日历页：已过的截止行变灰，页首是全部截止时间中的下一个。
  for (const row of $$("tr[data-zc-deadline]")) {
    row.classList.toggle("zc-past", Date.parse(row.getAttribute("data-zc-deadline")) <= t);
  }
  const pageCountdown = document.getElementById("zc-calendar-countdown");
  if (pageCountdown) countdown(pageCountdown, deadlinesOf(pageCountdown), t);
  // webcal:// 订阅地址（构建时不知道站点域名时在这里补全）。
  for (const a of $$("a[data-zc-webcal]")) {
    if (a.getAttribute("href").startsWith("webcal://")) continue;
    const url = new URL(a.getAttribute("data-zc-webcal"), window.location.href);
    if (url.protocol === "http:" || url.protocol === "https:") a.setAttribute("href", "webcal://" + url.host + url.pathname);
  }
}

// Material's instant navigation (when enabled) replaces the page without a load event.
onPage(render);
setInterval(render, 60000);
