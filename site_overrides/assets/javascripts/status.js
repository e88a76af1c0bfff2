/* 各页面上的“正在受理 / 尚未开始 / 已截止”标记。
   开始、截止时刻由构建时的规则引擎（generator/engine/timeline.py）写入 data-zc-start / data-zc-end
   （北京时间 ISO 时刻，截止为“不含”的时刻：18:00 截止即 18:00 起已截止）；本脚本只把当前时刻与之比较，
   不做任何日期计算。地址带 ?today=YYYY-MM-DDTHH:MM（北京时间）时按该时刻显示，供编辑预览与核对。 */

import { $$, onPage } from "./lib/dom.js";
import { now } from "./lib/util.js";

const INDEX = { upcoming: 0, open: 1, closed: 2 };

function status(node, t) {
  const start = node.getAttribute("data-zc-start");
  const end = node.getAttribute("data-zc-end");
  if (start && t < Date.parse(start)) return "upcoming";
  if (end && t >= Date.parse(end)) return "closed";
  return "open";
}

function render() {
  const t = now();
  for (const node of $$("[data-zc-start][data-zc-labels], [data-zc-end][data-zc-labels]")) {
    const labels = node.getAttribute("data-zc-labels").split("|");
    const s = status(node, t);
    node.setAttribute("data-status", s);
    node.textContent = labels[INDEX[s]];
    node.hidden = false;
    const round = node.closest("[data-zc-round]");
    if (round) {
      round.setAttribute("data-status", s);
      for (const note of $$("[data-zc-when]", round)) note.hidden = note.getAttribute("data-zc-when") !== s;
    }
  }
}

onPage(render);
setInterval(render, 60000);
