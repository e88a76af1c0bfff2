/* 各页面上的“正在受理 / 尚未开始 / 已截止”标记。
   开始、截止时刻由构建时的规则引擎（generator/engine/timeline.py）写入 data-zc-start / data-zc-end
   （北京时间 ISO 时刻，截止为“不含”的时刻：18:00 截止即 18:00 起已截止）；本脚本只把当前时刻与之比较，
   不做任何日期计算。地址带 ?today=YYYY-MM-DDTHH:MM（北京时间）时按该时刻显示，供编辑预览与核对。 */
(function () {
  "use strict";

  /* The moment to show the site at: ?today= (Beijing time) or the visitor's clock. */
  function now() {
    var m = /[?&]today=(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?(?:&|$)/.exec(window.location.search);
    if (m) {
      var t = Date.parse(m[1] + "T" + (m[2] || "00:00") + ":00+08:00");
      if (!isNaN(t)) return t;
    }
    return Date.now();
  }

  function status(el, t) {
    var start = el.getAttribute("data-zc-start");
    var end = el.getAttribute("data-zc-end");
    if (start && t < Date.parse(start)) return "upcoming";
    if (end && t >= Date.parse(end)) return "closed";
    return "open";
  }

  function render() {
    var t = now();
    var labels = null;
    document.querySelectorAll("[data-zc-start], [data-zc-end]").forEach(function (el) {
      if (!el.hasAttribute("data-zc-labels")) return;
      labels = el.getAttribute("data-zc-labels").split("|");
      var s = status(el, t);
      el.setAttribute("data-status", s);
      el.textContent = labels[{ upcoming: 0, open: 1, closed: 2 }[s]];
      el.hidden = false;
      var round = el.closest("[data-zc-round]");
      if (round) {
        round.setAttribute("data-status", s);
        round.querySelectorAll("[data-zc-when]").forEach(function (note) {
          note.hidden = note.getAttribute("data-zc-when") !== s;
        });
      }
    });
  }

  window.zhichengNow = now;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
  setInterval(render, 60000);
})();
