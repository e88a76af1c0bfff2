/* Applicant rows for the batch form: the same rules as generator/attachments/rows.py (the CLI);
   tests/test_attachments_browser.py feeds both the same rows and compares the results.
   Cells become document text (dates as 2025年9月29日); each row gets its problems in Chinese. */

import { countWorkdays, nthWorkday } from "./calendar.js";

// Characters XML 1.0 (and so Word) cannot hold, C1 controls, BOM and text-reordering controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g;
const DATE = /^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$/;
const ISO_PREFIX = /^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]|$)/;
const INT = /^[0-9]+$/;
export const DATE_HINT = "可写作 2025-09-29、2025/9/29 或 2025年9月29日";

function pad(n) { return (n < 10 ? "0" : "") + n; }

/** A cell as document text: \n line breaks, no control characters, trimmed; markup stays text. */
export function clean(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (value instanceof Date) {
    if (isNaN(value.getTime())) return "";
    return value.getUTCFullYear() + "-" + pad(value.getUTCMonth() + 1) + "-" + pad(value.getUTCDate());
  }
  return String(value).replace(/\r\n/g, "\n").replace(/\r/g, "\n").replace(CONTROL, "")
    .replace(LONE_SURROGATE, "$1").trim();
}

/** CSV, or TSV as Excel/WPS put on the clipboard (tab in the first line), quoted cells included. */
export function parseDelimited(text) {
  text = text.replace(/^\ufeff/, "");
  const delimiter = text.split("\n", 1)[0].includes("\t") ? "\t" : ",";
  const rows = [];
  let row = [], cell = "", quoted = false, atStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"' && atStart) { quoted = true; atStart = false; continue; }
    if (c === delimiter) { row.push(cell); cell = ""; atStart = true; continue; }
    if (c === "\r" || c === "\n") {
      row.push(cell); rows.push(row); row = []; cell = ""; atStart = true;
      if (c === "\r" && text[i + 1] === "\n") i++;
      continue;
    }
    cell += c; atStart = false;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** UTF-8 (with or without BOM), else GB18030 (Excel's CSV on Chinese Windows). */
export function decodeCsv(buffer) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer).replace(/^\ufeff/, "");
  } catch (_e) {
    return new TextDecoder("gb18030").decode(buffer);
  }
}

/** Header = first non-empty row; rows keep their 1-based sheet row numbers; empty rows dropped. */
export function tableFromRows(raw) {
  const rows = raw.map((r, i) => ({ line: i + 1, cells: r.map(clean) }))
    .filter((r) => r.cells.some(Boolean));
  if (!rows.length) return { header: [], rows: [] };
  return { header: rows[0].cells, rows: rows.slice(1) };
}

export function normHeader(text) {
  return clean(text).replace(/[\s*＊:：]/g, "").replace(/\(/g, "（").replace(/\)/g, "）").toLowerCase();
}

export function headerKeys(cfg) {
  const keys = {};
  for (const [alias, name] of Object.entries(cfg.header_aliases || {})) {
    if (cfg.blanks[name] && !(normHeader(alias) in keys)) keys[normHeader(alias)] = name;
  }
  for (const [name, blank] of Object.entries(cfg.blanks)) {
    const label = normHeader(blank.label);
    keys[name.toLowerCase()] = name;
    keys[label] = name;
    const short = label.replace(/（[^）]*）/g, "");
    if (short && !(short in keys)) keys[short] = name;
  }
  return keys;
}

export function mapColumns(cfg, header) {
  const keys = headerKeys(cfg);
  const out = [];
  for (const cell of header) {
    const name = Object.prototype.hasOwnProperty.call(keys, normHeader(cell)) ? keys[normHeader(cell)] : null;
    out.push(name && !out.includes(name) ? name : null);
  }
  return out;
}

export function rowsAsDicts(table, mapping) {
  return table.rows.map((r) => {
    const row = {};
    mapping.forEach((name, i) => { if (name && i < r.cells.length && r.cells[i]) row[name] = r.cells[i]; });
    return { line: r.line, row };
  });
}

/** "2025-09-29" for a real calendar date written in one of the accepted ways, else null. */
export function parseDate(text) {
  let y, m, d;
  const match = DATE.exec(text.trim());
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if (ISO_PREFIX.test(text)) {
    [y, m, d] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  } else {
    return null;
  }
  if (y < 1) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  dt.setUTCFullYear(y);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return String(y).padStart(4, "0") + "-" + pad(m) + "-" + pad(d);
}

export function dateCn(iso) {
  return Number(iso.slice(0, 4)) + "年" + Number(iso.slice(5, 7)) + "月" + Number(iso.slice(8, 10)) + "日";
}

/** Per-field formats: {values, dates, problems}. */
export function checkValues(cfg, raw) {
  const values = {}, dates = {}, problems = [];
  for (const [name, blank] of Object.entries(cfg.blanks)) {
    let value = clean(raw[name]);
    if (!value) continue;
    const label = blank.label;
    const options = blank.options || [];
    if (blank.kind === "date") {
      const iso = parseDate(value);
      if (!iso) { problems.push(label + "“" + value + "”不是有效日期（" + DATE_HINT + "）"); continue; }
      dates[name] = iso;
      value = dateCn(iso);
    } else if (blank.kind === "level") {
      if (!options.includes(value) && value.endsWith("级") && options.includes(value.slice(0, -1))) value = value.slice(0, -1);
      if (!options.includes(value)) {
        problems.push(label + "“" + value + "”不是本通知评审的级别（可填：" + options.join("、") + "）");
        continue;
      }
    } else if (blank.kind === "choice") {
      if (!options.includes(value)) {
        problems.push(label + "“" + value + "”不是可选的内容（可填：" + options.join("、") + "）");
        continue;
      }
    } else if (blank.kind === "number") {
      if (!INT.test(value)) { problems.push(label + "“" + value + "”不是整数"); continue; }
    }
    values[name] = value;
  }
  return { values, dates, problems };
}

function calendarWarning(year) {
  return "本站没有 " + year + " 年的法定节假日与调休安排，无法按工作日计算或核对公示期，请按国务院办公厅公布的安排自行核对";
}

/** One applicant: shared values apply where the row's cell is empty. Mirrors attachments.check_row. */
export function checkRow(cfg, line, row, shared, calendar) {
  const merged = {};
  for (const [k, v] of Object.entries(shared)) if (clean(v)) merged[k] = v;
  for (const [k, v] of Object.entries(row)) if (clean(v)) merged[k] = v;
  const { values, dates, problems } = checkValues(cfg, merged);
  const result = { line, values, problems, warnings: [], notes: [] };
  const blanks = cfg.blanks;
  const min = cfg.publicity_min_workdays;
  if (blanks.applicant_name && !values.applicant_name && !problems.some((p) => p.startsWith(blanks.applicant_name.label))) {
    problems.unshift(blanks.applicant_name.label + "未填写");
  }
  const start = dates.publicity_start;
  let end = dates.publicity_end;
  const badEnd = "publicity_end" in merged && !("publicity_end" in dates);
  if (start && blanks.publicity_end && min && !badEnd) {
    const earliest = nthWorkday(calendar, start, min);
    if (earliest.missing) {
      result.warnings.push(calendarWarning(earliest.missing));
    } else if (!end) {
      end = earliest.date;
      dates.publicity_end = end;
      values.publicity_end = dateCn(end);
      result.notes.push("公示结束日期按第 " + min + " 个工作日填为 " + dateCn(end));
    } else if (end < start) {
      problems.push("公示结束日期（" + dateCn(end) + "）早于开始日期（" + dateCn(start) + "）");
    } else {
      const days = countWorkdays(calendar, start, end);
      if (days.missing) {
        result.warnings.push(calendarWarning(days.missing));
      } else if (days.count < min) {
        problems.push("公示期只有 " + days.count + " 个工作日（" + dateCn(start) + "至" + dateCn(end) +
          "），少于通知要求的 " + min + " 个工作日；最早可于 " + dateCn(earliest.date) + " 结束");
      }
    }
  } else if (start && end && end < start) {
    problems.push("公示结束日期（" + dateCn(end) + "）早于开始日期（" + dateCn(start) + "）");
  }
  if (blanks.publicity_days && !("publicity_days" in values) && start && end && end >= start &&
      !problems.some((p) => p.startsWith("公示"))) {
    const days = countWorkdays(calendar, start, end);
    if (days.missing) {
      if (!result.warnings.length) result.warnings.push(calendarWarning(days.missing));
    } else {
      values.publicity_days = String(days.count);
      result.notes.push("公示天数按工作日填为 " + days.count);
    }
  }
  return result;
}

function safe(text) { return text.replace(/[\\/:*?"<>|\s]+/g, ""); }

export function baseName(title) { return safe(title.replace(/（模板）|\(模板\)/g, "")); }

/** 推荐单位公示-王小明.docx; a name used twice gets its row number (-第3行). */
export function fileNames(cfg, results) {
  const base = baseName(cfg.title);
  const who = results.map((r) => Array.from(safe(r.values.applicant_name || "")).slice(0, 40).join(""));
  return results.map((r, i) => {
    const name = who[i];
    let stem = name ? base + "-" + name : base + "-第" + r.line + "行";
    if (name && who.filter((w) => w === name).length > 1) stem += "-第" + r.line + "行";
    return stem + ".docx";
  });
}
