/* 模板页的在线填写：所填内容实时显示在文档预览中，并在浏览器内生成已填写的 Word 文件
   （attachments/docx.js：fflate 解压/打包，DOM 方式替换每个空白所在的文字块）。
   公示结束日期按引擎在构建时生成的工作日表（templates/workdays.json）建议。不发送任何数据。 */

import { countWorkdays, loadCalendar, nthWorkday } from "./attachments/calendar.js";
import { buildDocx, DOCX_TYPE, loadTemplate, save } from "./attachments/docx.js";
import { baseName, clean, dateCn } from "./attachments/rows.js";
import { el } from "./lib/dom.js";
import { beijingIso, now, pageData } from "./lib/util.js";

const cfg = pageData("zc-template-data");
const form = document.getElementById("zc-prefill");

// Today's date in Beijing (or the ?today= preview's), YYYY-MM-DD.
const todayBeijing = () => beijingIso(now());
function isIso(v) { return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v || ""); }

if (cfg && form) {
  const status = document.getElementById("zc-prefill-status");
  const download = document.getElementById("zc-download");
  let calendar = null;
  let calendarError = null;
  let template = null;

  const control = (name) => form.querySelector('[data-blank="' + name + '"]');

  /** Raw form values (dates as YYYY-MM-DD): the shared values of the batch form too. */
  const raw = () => {
    const out = {};
    for (const name of Object.keys(cfg.blanks)) {
      const el = control(name);
      const v = el ? clean(el.value) : "";
      if (v) out[name] = v;
    }
    return out;
  };

  /** Text that goes into the document for each filled blank (dates as 2025年3月3日). */
  const values = () => {
    const out = raw();
    for (const name of Object.keys(out)) {
      if (cfg.blanks[name].kind === "date" && isIso(out[name])) out[name] = dateCn(out[name]);
    }
    return out;
  };

  const preview = () => {
    const vals = values();
    document.querySelectorAll("#zc-doc .zc-blank").forEach((span) => {
      const name = span.getAttribute("data-blank");
      const filled = Object.prototype.hasOwnProperty.call(vals, name);
      span.textContent = filled ? vals[name] : span.getAttribute("data-placeholder");
      span.classList.toggle("zc-blank--filled", filled);
    });
    download.disabled = false;
  };

  const setAuto = (name, value) => {
    const el = control(name);
    if (!el) return;
    if (!el.value || el.getAttribute("data-auto") === el.value) {
      el.value = value;
      el.setAttribute("data-auto", value);
    }
  };

  const missingYear = (year) => "本站没有 " + year + " 年的法定节假日安排，无法计算工作日，请按国务院办公厅公布的安排自行计算。";

  const suggestions = () => {
    const startEl = control("publicity_start");
    const startV = startEl ? startEl.value : "";
    const endEl = control("publicity_end");
    form.querySelectorAll(".zc-suggest").forEach((node) => {
      const kind = node.getAttribute("data-suggest");
      const target = node.getAttribute("data-for");
      node.textContent = "";
      if (kind === "today") {
        const b = el("button", { type: "button", className: "zc-linkbutton", text: "填入今天（" + dateCn(todayBeijing()) + "）" });
        b.addEventListener("click", () => { control(target).value = todayBeijing(); update(); });
        node.appendChild(b);
        return;
      }
      if (!isIso(startV)) {
        if (kind === "publicity_end") node.textContent = "先填写公示开始日期，即可按工作日建议结束日期。";
        return;
      }
      if (calendarError) { node.textContent = calendarError; return; }
      if (!calendar) { node.textContent = "正在读取节假日数据……"; return; }
      if (kind === "publicity_end") {
        const n = cfg.publicity_min_workdays;
        if (!n) return;
        const r = nthWorkday(calendar, startV, n);
        if (r.missing) { node.textContent = missingYear(r.missing); return; }
        setAuto(target, r.date);
        node.textContent = "建议：从开始日起第 " + n + " 个工作日是 " + dateCn(r.date) +
          "（已按法定节假日和调休计算），公示期不少于 " + n + " 个工作日。";
        node.setAttribute("data-value", r.date);
        const short = endEl && isIso(endEl.value) && endEl.value < r.date;
        if (short) node.textContent += " 当前结束日期不足 " + n + " 个工作日。";
        node.classList.toggle("zc-suggest--warn", Boolean(short));
      } else if (kind === "publicity_days") {
        const endV = endEl ? endEl.value : "";
        if (!isIso(endV) || endV < startV) return;
        const c = countWorkdays(calendar, startV, endV);
        if (c.missing) { node.textContent = missingYear(c.missing); return; }
        setAuto(target, String(c.count));
        node.textContent = "公示起止日期之间共 " + c.count + " 个工作日。";
        node.setAttribute("data-value", String(c.count));
      }
    });
  };

  const update = () => {
    suggestions();
    preview();
    form.dispatchEvent(new CustomEvent("zc-shared-change", { bubbles: true }));
  };

  const fileName = () => {
    const vals = values();
    const who = (vals.applicant_name || vals.unit_name || "").replace(/[\\/:*?"<>|\s]+/g, "");
    return baseName(cfg.title) + (who ? "-" + who : "") + ".docx";
  };

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("reset", () => {
    setTimeout(() => {
      form.querySelectorAll("[data-auto]").forEach((el) => el.removeAttribute("data-auto"));
      update();
    }, 0);
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  document.getElementById("zc-print").addEventListener("click", () => window.print());
  download.addEventListener("click", async () => {
    download.disabled = true;
    status.textContent = "正在生成 Word 文件……";
    try {
      template = template || await loadTemplate(cfg.docx);
      const name = fileName();
      save(buildDocx(template, values()), name, DOCX_TYPE);
      status.textContent = "已生成：" + name + "（在本机生成，未发送任何数据）。";
    } catch (err) {
      status.textContent = "生成失败：" + (err && err.message ? err.message : err) + " 可下载空白模板手工填写。";
    }
    download.disabled = false;
  });

  const ready = loadCalendar(cfg.workdays)
    .then((data) => { calendar = data; })
    .catch(() => { calendarError = "无法读取节假日数据，请自行按法定节假日计算工作日。"; })
    .then(update);
  update();
  window.zcPrefill = { raw, values, ready, calendar: () => calendar };
}
