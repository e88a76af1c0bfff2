/* 时间轴的“今天”标记与下一个截止时间的倒计时：按访问者设备的当前时间计算（北京时间显示），
   构建时生成的 SVG 只是静态底图。日历页的“订阅”按钮在这里换成 webcal:// 绝对地址。
   不请求任何其他地址；无脚本时页面照常可读。 */
(function () {
  "use strict";

  var DAY = 86400000;

  function now() {
    // Tests (and curious users) may pin "today" with ?today=YYYY-MM-DD[THH:MM] (北京时间).
    var m = /[?&]today=([0-9T:\-]+)/.exec(window.location.search);
    if (m) {
      var v = m[1].length === 10 ? m[1] + "T00:00" : m[1];
      var t = Date.parse(v + ":00+08:00");
      if (!isNaN(t)) return t;
    }
    return Date.now();
  }

  function beijing(ms) {
    var d = new Date(ms + 8 * 3600000);
    return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
  }

  function remaining(ms) {
    var days = Math.floor(ms / DAY);
    var hours = Math.floor((ms % DAY) / 3600000);
    var minutes = Math.floor((ms % 3600000) / 60000);
    if (days > 0) return days + " 天 " + hours + " 小时";
    if (hours > 0) return hours + " 小时 " + minutes + " 分钟";
    return Math.max(minutes, 1) + " 分钟";
  }

  function placeToday(svg, t) {
    var t0 = Number(svg.getAttribute("data-t0"));
    var t1 = Number(svg.getAttribute("data-t1"));
    var x0 = Number(svg.getAttribute("data-x0"));
    var x1 = Number(svg.getAttribute("data-x1"));
    var marker = svg.querySelector(".zc-tl-today");
    if (!marker || !(t1 > t0)) return false;
    if (t < t0 || t > t1) {
      marker.setAttribute("visibility", "hidden");
      return false;
    }
    var x = (x0 + (x1 - x0) * (t - t0) / (t1 - t0)).toFixed(1);
    var line = marker.querySelector("line");
    var text = marker.querySelector("text");
    line.setAttribute("x1", x);
    line.setAttribute("x2", x);
    text.setAttribute("x", x);
    text.textContent = "今天 " + beijing(t).replace(/^\d+年/, "");
    marker.setAttribute("visibility", "visible");
    marker.setAttribute("data-x", x);
    return true;
  }

  function countdown(target, deadlines, t) {
    if (!target) return;
    var next = deadlines
      .filter(function (d) { return Date.parse(d.end) > t; })
      .sort(function (a, b) { return Date.parse(a.end) - Date.parse(b.end); })[0];
    if (next) {
      target.textContent = "今天是" + beijing(t) + "。下一个截止：" + next.label + "（" + next.text +
        "，北京时间），还剩 " + remaining(Date.parse(next.end) - t) + "。";
      target.setAttribute("data-next", next.label);
    } else if (deadlines.length) {
      target.textContent = "今天是" + beijing(t) + "。本页所列截止时间均已过去。";
      target.setAttribute("data-next", "");
    } else {
      return;
    }
    target.hidden = false;
  }

  function render() {
    var t = now();
    document.querySelectorAll("figure[data-zc-timeline]").forEach(function (fig) {
      var svg = fig.querySelector("svg.zc-tl-svg");
      if (svg) placeToday(svg, t);
      var deadlines = [];
      try { deadlines = JSON.parse(fig.getAttribute("data-deadlines") || "[]"); } catch (e) { deadlines = []; }
      countdown(fig.querySelector("[data-zc-countdown]"), deadlines, t);
    });
    // 日历页：汇总全部截止时间的倒计时。
    var rows = document.querySelectorAll("tr[data-zc-deadline]");
    var pageCountdown = document.getElementById("zc-calendar-countdown");
    if (rows.length && pageCountdown) {
      var list = [];
      rows.forEach(function (row) {
        var cells = row.querySelectorAll("td");
        var label = (cells[1] ? cells[1].textContent : "") + " · " + (cells[2] ? cells[2].textContent.replace("截止", "").trim() : "");
        var time = row.querySelector("td:nth-child(5) time");
        list.push({ label: label, end: row.getAttribute("data-zc-deadline"), text: time ? time.textContent : "" });
        row.classList.toggle("zc-past", Date.parse(row.getAttribute("data-zc-deadline")) <= t);
      });
      countdown(pageCountdown, list, t);
    }
    // webcal:// 订阅地址（构建时不知道站点域名时在这里补全）。
    document.querySelectorAll("a[data-zc-webcal]").forEach(function (a) {
      if (a.getAttribute("href").indexOf("webcal://") === 0) return;
      var url = new URL(a.getAttribute("data-zc-webcal"), window.location.href);
      if (url.protocol === "http:" || url.protocol === "https:") {
        a.setAttribute("href", "webcal://" + url.host + url.pathname);
      }
    });
  }

  function start() {
    render();
    setInterval(render, 60000);
  }

  // Material's instant navigation replaces the page without a load event.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
    setInterval(render, 60000);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
