/* 批量生成：每位申报人一行（从 Excel/WPS 粘贴，或打开 .xlsx/.csv），共用内容取自上方“在线填写”。
   表头按空白的中文名称或标识自动对应，可手动改；每行的问题用中文标出；
   下载为 .zip（每人一个 Word 文件）或一个 Word 文件（每人一节）。全部在本机完成，不上传任何数据。
   .xlsx 由 read-excel-file 读取，zip 与 docx 由 fflate 处理（均为 package.json 固定版本、本站自托管）。 */

import { loadCalendar } from "./attachments/calendar.js";
import { buildDocx, buildMerged, DOCX_TYPE, loadTemplate, save, zipFiles } from "./attachments/docx.js";
import {
  baseName, checkRow, clean, decodeCsv, fileNames, mapColumns, parseDelimited, rowsAsDicts, tableFromRows
} from "./attachments/rows.js";
import { el } from "./lib/dom.js";
import { pageData } from "./lib/util.js";

const cfg = pageData("zc-template-data");
const form = document.getElementById("zc-batch");
const READER = new URL("../vendor/read-excel-file/read-excel-file.min.js", import.meta.url).href;

if (cfg && form) {
  const $ = (id) => document.getElementById(id);
  const paste = $("zc-batch-paste");
  const fileInput = $("zc-batch-file");
  const mappingBox = $("zc-batch-mapping");
  const columnsBox = $("zc-batch-columns");
  const summary = $("zc-batch-summary");
  const list = $("zc-batch-rows");
  const zipButton = $("zc-batch-zip");
  const mergedButton = $("zc-batch-merged");
  const status = $("zc-batch-status");
  const sharedForm = document.getElementById("zc-prefill");

  let table = { header: [], rows: [] };
  let mapping = [];
  let source = "";
  let results = [];
  let calendar = null;
  let calendarError = "";
  let template = null;

  const shared = () => {
    const out = {};
    if (!sharedForm) return out;
    sharedForm.querySelectorAll("[data-blank]").forEach((el) => {
      const v = clean(el.value);
      if (v) out[el.getAttribute("data-blank")] = v;
    });
    return out;
  };

  // ---------------------------------------------------------------- column mapping

  const renderMapping = () => {
    columnsBox.textContent = "";
    mappingBox.hidden = !table.header.length;
    const used = mapping.filter(Boolean).length;
    $("zc-batch-mapping-summary").textContent = "列与空白的对应（" + used + " 列已对应，" +
      (table.header.length - used) + " 列不使用）";
    if (!used || (cfg.blanks.applicant_name && !mapping.includes("applicant_name"))) mappingBox.open = true;
    table.header.forEach((head, i) => {
      const id = "zc-batch-col-" + i;
      const wrap = el("div", { class: "zc-field zc-batch-column" });
      wrap.appendChild(el("label", { for: id }, ["第 " + (i + 1) + " 列“" + (head || "（无表头）") + "”"]));
      const select = el("select", { id, "data-column": String(i) });
      select.appendChild(el("option", { value: "" }, ["（不使用）"]));
      for (const name of cfg.order) {
        const option = el("option", { value: name }, [cfg.blanks[name].label]);
        if (mapping[i] === name) option.selected = true;
        select.appendChild(option);
      }
      wrap.appendChild(select);
      columnsBox.appendChild(wrap);
    });
  };

  columnsBox.addEventListener("change", (e) => {
    const i = Number(e.target.getAttribute("data-column"));
    const name = e.target.value || null;
    mapping = mapping.map((m, j) => (j === i ? name : m === name ? null : m));
    renderMapping();
    evaluate();
  });

  // ---------------------------------------------------------------- rows and previews

  const docTemplate = document.getElementById("zc-doc");

  const previewOf = (values, line) => {
    const article = docTemplate.cloneNode(true);
    article.removeAttribute("id");
    article.setAttribute("aria-label", cfg.title + "（第 " + line + " 行预览）");
    article.querySelectorAll("[id]").forEach((n) => n.removeAttribute("id"));
    article.querySelectorAll(".zc-blank").forEach((span) => {
      const name = span.getAttribute("data-blank");
      const filled = Object.prototype.hasOwnProperty.call(values, name);
      span.textContent = filled ? values[name] : span.getAttribute("data-placeholder");
      span.classList.toggle("zc-blank--filled", filled);
    });
    return article;
  };

  const messages = (items, cls, prefix) => {
    const ul = el("ul", { class: "zc-batch-msgs " + cls });
    for (const m of items) ul.appendChild(el("li", {}, [prefix + m]));
    return ul;
  };

  const render = () => {
    list.textContent = "";
    const names = fileNames(cfg, results);
    results.forEach((r, i) => {
      const li = el("li", { class: "zc-batch-row" + (r.problems.length ? " zc-batch-row--bad" : ""),
        "data-line": String(r.line) });
      const who = r.values.applicant_name || "（未填姓名）";
      const head = el("p", { class: "zc-batch-head" });
      head.appendChild(el("strong", {}, ["第 " + r.line + " 行 · " + who]));
      head.appendChild(el("span", { class: "zc-batch-state" },
        [r.problems.length ? "　有 " + r.problems.length + " 个问题" : "　可生成：" + names[i]]));
      li.appendChild(head);
      if (r.problems.length) li.appendChild(messages(r.problems, "zc-batch-problems", "问题："));
      if (r.warnings.length) li.appendChild(messages(r.warnings, "zc-batch-warnings", "提示："));
      if (r.notes.length) li.appendChild(messages(r.notes, "zc-batch-notes", ""));
      const details = el("details", { class: "zc-batch-preview" });
      details.appendChild(el("summary", {}, ["预览第 " + r.line + " 行的文档"]));
      details.addEventListener("toggle", () => {
        if (details.open && details.children.length === 1) details.appendChild(previewOf(r.values, r.line));
      }, { once: false });
      li.appendChild(details);
      list.appendChild(li);
    });
  };

  const evaluate = () => {
    status.textContent = "";
    if (!table.header.length) {
      results = [];
      summary.textContent = "";
      list.textContent = "";
      zipButton.disabled = mergedButton.disabled = true;
      return;
    }
    if (!calendar && !calendarError) { summary.textContent = "正在读取节假日数据……"; return; }
    const sharedValues = shared();
    const cal = calendar || { years: {} };
    results = rowsAsDicts(table, mapping).map(({ line, row }) => checkRow(cfg, line, row, sharedValues, cal));
    const bad = results.filter((r) => r.problems.length);
    const used = mapping.filter(Boolean).length;
    let text = source + "：" + results.length + " 位申报人，" + used + " 列已对应空白。";
    if (!used) text += " 没有任何一列对应本模板的空白：请在上方“列与空白的对应”中选择。";
    else if (!results.length) text += " 表头之后没有申报人数据行。";
    else if (bad.length) text += " 其中 " + bad.length + " 行有问题（见下方各行），请修改表格后重新粘贴或打开；全部无误后才能下载。";
    else text += " 全部可以生成，请逐份预览后下载。";
    if (calendarError) text += " " + calendarError;
    summary.textContent = text;
    const ok = used > 0 && results.length > 0 && !bad.length;
    zipButton.disabled = mergedButton.disabled = !ok;
    render();
  };

  const load = (raw, from) => {
    table = tableFromRows(raw);
    mapping = mapColumns(cfg, table.header);
    source = from;
    renderMapping();
    evaluate();
  };

  // ---------------------------------------------------------------- inputs

  let timer = 0;
  paste.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      fileInput.value = "";
      load(paste.value.trim() ? parseDelimited(paste.value) : [], "粘贴的表格");
    }, 250);
  });

  const readXlsx = async (file) => {
    if (!globalThis.readXlsxFile) await import(READER);
    const sheets = await globalThis.readXlsxFile(file);
    const first = Array.isArray(sheets) && sheets.length && sheets[0] && Array.isArray(sheets[0].data)
      ? sheets[0].data : sheets;
    return first || [];
  };

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    status.textContent = "正在读取 " + file.name + "……";
    try {
      const isXlsx = /\.xlsx$/i.test(file.name);
      const raw = isXlsx ? await readXlsx(file) : parseDelimited(decodeCsv(await file.arrayBuffer()));
      paste.value = "";
      load(raw, file.name);
    } catch (err) {
      table = { header: [], rows: [] };
      renderMapping();
      evaluate();
      status.textContent = "无法读取 " + file.name + "：请确认是 .xlsx 或 .csv 表格（" +
        (err && err.message ? err.message : err) + "）。";
    }
  });

  $("zc-batch-clear").addEventListener("click", () => {
    paste.value = "";
    fileInput.value = "";
    load([], "");
  });

  if (sharedForm) sharedForm.addEventListener("zc-shared-change", () => { if (table.header.length) evaluate(); });

  // ---------------------------------------------------------------- downloads

  const generate = async (merged) => {
    zipButton.disabled = mergedButton.disabled = true;
    status.textContent = "正在生成 " + results.length + " 份 Word 文件……";
    try {
      template = template || await loadTemplate(cfg.docx);
      const base = baseName(cfg.title);
      let name;
      if (merged) {
        name = base + "-" + results.length + "人.docx";
        save(buildMerged(template, results.map((r) => r.values)), name, DOCX_TYPE);
      } else {
        const files = {};
        fileNames(cfg, results).forEach((n, i) => { files[n] = buildDocx(template, results[i].values); });
        name = base + ".zip";
        save(zipFiles(files), name, "application/zip");
      }
      status.textContent = "已生成：" + name + "（" + results.length + " 位申报人，在本机生成，未发送任何数据）。";
    } catch (err) {
      status.textContent = "生成失败：" + (err && err.message ? err.message : err);
    }
    zipButton.disabled = mergedButton.disabled = false;
  };
  zipButton.addEventListener("click", () => generate(false));
  mergedButton.addEventListener("click", () => generate(true));

  const ready = loadCalendar(cfg.workdays)
    .then((data) => { calendar = data; })
    .catch(() => { calendarError = "无法读取节假日数据：公示期无法按工作日核对，请自行核对。"; })
    .then(evaluate);

  window.zcBatch = {
    ready,
    check: (rows) => {
      const t = tableFromRows(rows);
      const m = mapColumns(cfg, t.header);
      return rowsAsDicts(t, m).map(({ line, row }) => checkRow(cfg, line, row, shared(), calendar || { years: {} }));
    },
    results: () => results,
    mapping: () => mapping.slice(),
  };
}
