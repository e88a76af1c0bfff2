// The check/ page: form ↔ window.validator ↔ verdict, personal checklist and material checks.
// Every judgement comes from the Python engine (window.validator); this script only collects the
// form, shows answers, and keeps the profile and ticks in localStorage per notice.

import { $, $$, el } from "../javascripts/lib/dom.js";
import { pageData, pinnedToday, saveJson } from "../javascripts/lib/util.js";

const PREFIX = "zhicheng-check:v1:";
const LAST = PREFIX + "last-notice";
const OUTCOME_ICON = { pass: "✔", fail: "✘", unknown: "？" };
const OUTCOME_TEXT = { pass: "符合", fail: "不符合", unknown: "待确认" };
const SEVERITY_TEXT = { blocker: "必要条件", warning: "提醒", info: "说明" };
const VERDICT_TEXT = {
  eligible: "按您填写的信息，符合本通知的申报条件。",
  ineligible: "按您填写的信息，不符合本通知的申报条件。",
  incomplete: "还不能判断：请回答下面的问题（不清楚的可以先不填，结论里会列出还缺什么）。",
};
const CLOSED_TEXT = {
  eligible: "按您填写的信息，您符合本通知的申报条件，但本轮申报已经截止，现在不能再申报。",
  ineligible: "按您填写的信息，不符合本通知的申报条件；而且本轮申报已经截止。",
  incomplete: "本轮申报已经截止，现在不能再申报；下面的结论供准备下一轮参考。",
};
const BATCH = 3;  // questions asked at a time

// Only on the check page (generator/site/templates/check.html), after validator.js (a classic
// script, so window.validator exists when this deferred module runs). The page embeds the notices
// a person is likely to pick (generator/site/pages/check.py); any other notice's data and
// checklist come from data/check/<id>.json when it is chosen, and each year's list of notices
// from data/check/year-<YYYY>.json, so the page weighs the same at any number of notices.
const DATA = pageData("zc-check-data") || { notices: [] };
// A Map, not an object: "?notice=__proto__" or "constructor" is not a notice.
const NOTICES = new Map();
DATA.notices.forEach(function (n) { NOTICES.set(n.id, n); });
const NOTICE_ID = /^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/;  // schemas/notice.schema.json
const DATA_URL = new URL("../../data/check/", import.meta.url);

const form = $("#zc-profile");
const select = $("#zc-notice");
let current = null;
let ticks = {};
let seq = 0;
let timer = null;
let lastResult = null;
let showAll = false;
let evaluatedProfile = null;
const timings = { firstVerdict: null };  // performance.now() of the first verdict on screen
let fullForm = false;   // "显示全部问题": every question of the notice at once
let skipped = {};       // questions the applicant left empty after seeing them (this visit)
let asked = {};         // questions shown so far (stay shown, so nothing jumps away)

// ---------------------------------------------------------------- storage
const corrupted = [];  // keys whose saved value could not be read (set aside, see below)
function storageGet(key, check) {
  let raw = null;
  try { raw = localStorage.getItem(key); } catch (err) { return null; }  // storage unavailable
  if (raw === null) return null;
  let value;
  try { value = JSON.parse(raw); } catch (err) { value = undefined; }
  if (value !== undefined && (!check || check(value))) return value;
  // Unreadable or of the wrong shape: kept under a backup key (never deleted silently), and
  // the page goes on with an empty form instead of failing.
  const backup = PREFIX + "backup:" + new Date().toISOString() + ":" + key.slice(PREFIX.length);
  try { localStorage.setItem(backup, raw); localStorage.removeItem(key); } catch (err) { /* full */ }
  corrupted.push(backup);
  return null;
}
function isRecord(value) {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
function savedShape(value) {
  return isRecord(value) && (value.profile === undefined || isRecord(value.profile)) &&
    (value.ticks === undefined || isRecord(value.ticks));
}
function storageSet(key, value) {
  saveJson(key, value);  // false in private mode: the page works on, nothing is kept
}
function save() {
  if (!current) return;
  storageSet(PREFIX + current, { version: 1, profile: readProfile(false), ticks: ticks,
    saved_at: new Date().toISOString() });
  storageSet(LAST, current);
}

// ---------------------------------------------------------------- form ↔ profile
// Does this question belong to the chosen notice at all? (A material tool's wrap names the
// field that decides it: publicity_start, continuing_education, work_summary_chars.)
function visible(wrap) {
  const n = NOTICES.get(current);
  return !!n && (n.fields || []).indexOf(wrap.getAttribute("data-field-wrap")) >= 0;
}

// ---------------------------------------------------------------- the interview
// Which questions to show: those answered or already asked, plus the next few of the engine's
// `questions` (what could still change the verdict, most decisive first) — or, once the verdict
// is decided, of its `optional_questions` (what refines the checklist). The order and the
// choice are the engine's; this only takes the first few.
function nextQuestions(result, profile) {
  const n = NOTICES.get(current) || {};
  let list = result ? result.questions : (n.questions || []);
  if (result && !list.length) list = result.verdict === "eligible" ? (result.optional_questions || []) : [];
  return list.filter(function (f) { return !(f in profile) && !skipped[f]; }).slice(0, BATCH);
}

function applyVisibility(result) {
  const profile = readProfile(true);
  const next = nextQuestions(result, profile);
  next.forEach(function (f) { asked[f] = true; });
  const show = function (f) { return fullForm || f in profile || asked[f]; };
  $$("[data-field-wrap]").forEach(function (wrap) {
    if (!visible(wrap)) { wrap.hidden = true; return; }
    const tool = wrap.getAttribute("data-tool-fields");
    const fields = tool ? tool.split(" ") : [wrap.getAttribute("data-field-wrap")];
    wrap.hidden = !fields.some(show);
  });
  $$("#zc-profile fieldset.zc-group").forEach(function (set) {
    set.hidden = !$$("[data-field-wrap]", set).some(function (w) { return !w.hidden; });
  });
  const tools = $("#zc-tools");
  if (tools) tools.classList.toggle("zc-tools--empty", !$$(".zc-tool", tools).some(function (t) { return !t.hidden; }));
  const note = $("#zc-interview-note");
  if (note && result) {
    const left = result.questions.filter(function (f) { return !(f in profile); }).length;
    if (fullForm) note.textContent = "已显示本通知用到的全部问题；所有项目都可以不填，缺少的信息会在结论里列出。";
    else if (left) note.textContent = "还有 " + left + " 个问题可能影响结论，先回答下面最关键的几个；不清楚的可以先不填。";
    else if (next.length) note.textContent = "结论已经确定。下面几个可选问题能让材料清单更准确。";
    else if (result.verdict === "ineligible") note.textContent = "结论已经确定：按您的回答，本通知不能申报（原因见上方结论）。";
    else note.textContent = "结论已经确定，您的回答已足够生成材料清单。";
  }
  document.documentElement.setAttribute("data-zc-asked", next.join(" "));
}

function convert(input) {
  const raw = input.value;
  const kind = input.getAttribute("data-kind");
  if (raw === "" || raw == null) return undefined;
  if (kind === "boolean") return raw === "true";
  if (kind === "integer") return /^-?\d+$/.test(raw.trim()) ? parseInt(raw, 10) : raw;
  if (kind === "number") return isFinite(Number(raw)) ? Number(raw) : raw;
  if (kind === "string") return raw.trim() === "" ? undefined : raw.trim();
  return raw;
}

function ceRows() {
  return $$("#zc-ce-rows tr").map(function (tr) {
    const cells = $$("input", tr);
    return { year: cells[0].value, total: cells[1].value, professional: cells[2].value };
  });
}

function readCE() {
  const list = [];
  ceRows().forEach(function (r) {
    if (r.total === "" && r.professional === "") return;
    const entry = {};
    if (r.year !== "") entry.year = /^-?\d+$/.test(r.year) ? parseInt(r.year, 10) : r.year;
    if (r.total !== "") entry.total_hours = Number(r.total);
    if (r.professional !== "") entry.professional_hours = Number(r.professional);
    list.push(entry);
  });
  return list;
}

// onlyCurrent: the profile the engine sees (fields of the chosen notice only).
function readProfile(onlyCurrent) {
  const profile = {};
  $$("[data-field]", document).forEach(function (input) {
    const wrap = input.closest("[data-field-wrap]");
    if (onlyCurrent && wrap && !visible(wrap)) return;
    const value = convert(input);
    if (value !== undefined) profile[input.getAttribute("data-field")] = value;
  });
  const ceWrap = $("#tool-ce");
  if (ceWrap && (!onlyCurrent || visible(ceWrap))) {
    const ce = readCE();
    if (ce.length) profile.continuing_education = ce;
  }
  return profile;
}

function fillProfile(profile) {
  profile = profile || {};
  $$("[data-field]", document).forEach(function (input) {
    const value = profile[input.getAttribute("data-field")];
    if (value === undefined || value === null) input.value = "";
    else if (typeof value === "boolean") input.value = value ? "true" : "false";
    else input.value = String(value);
  });
  renderCERows(Array.isArray(profile.continuing_education) ? profile.continuing_education : []);
  const text = $("#zc-summary-text");
  if (text) text.value = "";
  updateSummaryCount();
}

// ---------------------------------------------------------------- continuing education rows
function ceYears() {
  const n = NOTICES.get(current) || {};
  return (n.ce_years || []).slice();  // the years the notice asks for (none named: add rows)
}

function addCERow(entry) {
  const body = $("#zc-ce-rows");
  if (!body) return;
  const index = body.children.length + 1;
  const cell = (value, label, attrs) => el("td", {}, [el("input", { type: "number", "aria-label": label, ...attrs,
    value: value === undefined || value === null ? null : String(value) })]);
  const remove = el("button", { type: "button", className: "zc-link-button", "aria-label": "删除第" + index + "行",
    text: "删除" });
  const tr = el("tr", {}, [
    cell(entry.year, "第" + index + "行 年度", { min: 1980, max: 2100, step: 1, inputmode: "numeric", "data-ce": "year" }),
    cell(entry.total_hours, "第" + index + "行 总学时", { min: 0, step: "any", inputmode: "decimal", "data-ce": "total" }),
    cell(entry.professional_hours, "第" + index + "行 专业科目学时",
      { min: 0, step: "any", inputmode: "decimal", "data-ce": "professional" }),
    el("td", {}, [remove]),
  ]);
  remove.addEventListener("click", function () {
    // Keep focus nearby: the next row's delete button, else the previous one's, else "添加".
    const near = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    const target = near ? $("button", near) : $("#zc-ce-add");
    if (target) target.focus();
    changed();
  });
  body.appendChild(tr);
}

function renderCERows(entries) {
  const body = $("#zc-ce-rows");
  if (!body) return;
  body.replaceChildren();
  const years = ceYears();
  const byYear = {};
  entries.forEach(function (e) { if (e && e.year !== undefined) byYear[e.year] = e; });
  years.forEach(function (y) { addCERow(byYear[y] || { year: y }); delete byYear[y]; });
  entries.forEach(function (e) {
    if (e && (e.year === undefined || byYear[e.year] === e)) addCERow(e);
  });
}

// ---------------------------------------------------------------- notices not in the page
// One of the site's JSON files under data/check/: the parsed value, or null when there is no
// such file (404); rejects with a Chinese message when it cannot be read.
async function fetchData(name) {
  let response;
  try {
    response = await fetch(new URL(name, DATA_URL), { cache: "no-cache" });
  } catch (err) {
    throw new Error("网络中断或请求被拦截（" + err.message + "）");
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new Error("服务器返回 HTTP " + response.status);
  try {
    return await response.json();
  } catch (err) {
    throw new Error("文件内容不是有效的 JSON");
  }
}

function noticeShape(n, id) {
  return isRecord(n) && n.id === id && typeof n.title === "string" && typeof n.label === "string" &&
    Array.isArray(n.fields) && Array.isArray(n.materials) && n.materials.every(function (m) {
      return isRecord(m) && typeof m.id === "string" && typeof m.title === "string";
    });
}

// The unpersonalised checklist of a notice, as check.html renders it for the embedded ones.
function checklistSection(n) {
  const items = n.materials.map(function (m) {
    const why = m.condition !== undefined ? "条件：" + m.condition : m.required ? "所有申报人均须提交" : "如有则提交";
    return el("li", { "data-item": m.id }, [
      el("label", { className: "zc-tick" }, [el("input", { type: "checkbox", "data-tick": m.id }), " ",
        el("strong", { className: "zc-item-title", text: m.title })]),
      " ",
      m.required ? el("span", { className: "zc-badge", "data-badge": "", text: "必交" })
        : el("span", { className: "zc-badge zc-badge--cond", "data-badge": "", text: "视情况" }),
      el("br"),
      el("span", { className: "zc-why", "data-why": "", text: why }),
      m.template ? el("br") : null,
      m.template ? el("a", { className: "zc-template", href: "../templates/" + m.template + "/", text: "模板" }) : null,
      " ",
      el("a", { className: "zc-clause-link", href: "../notices/" + n.id + "/#material-" + m.id,
        text: "原文 " + (m.clause || "") }),
    ]);
  });
  return el("section", { className: "zc-list", id: "checklist-" + n.id, "data-notice": n.id, hidden: "" }, [
    el("h3", { className: "zc-list-title", text: n.title }),
    el("p", { className: "zc-list-count", "data-count": "" }),
    el("ul", { className: "zc-checklist" }, items),
    el("p", { className: "zc-help" }, [
      el("a", { href: "../notices/" + n.id + "/#materials", text: "在通知页查看材料要求全文" }), " · ",
      el("a", { href: "../notices/" + n.id + "/#masking", text: "遮盖要求" }),
    ]),
  ]);
}

// A notice the page does not embed: its option (under 其他年度的通知) and checklist section.
function addNotice(n) {
  NOTICES.set(n.id, n);
  let group = $("#zc-notice-other");
  if (!group) {
    group = el("optgroup", { id: "zc-notice-other", label: "其他年度的通知" });
    select.appendChild(group);
  }
  group.appendChild(el("option", { value: n.id, text: n.label }));
  $("#zc-checklists").insertBefore(checklistSection(n), $("#zc-route"));
}

const loading = new Map();  // id → Promise<boolean> (true: the notice is here now; false: none such)
function loadNotice(id) {
  if (NOTICES.has(id)) return Promise.resolve(true);
  if (typeof id !== "string" || !NOTICE_ID.test(id)) return Promise.resolve(false);
  if (!loading.has(id)) {
    const promise = fetchData(id + ".json").then(function (n) {
      if (n === null) return false;
      if (!noticeShape(n, id)) throw new Error("文件内容不是这份通知的数据");
      if (!NOTICES.has(id)) addNotice(n);
      return true;
    });
    promise.catch(function () { loading.delete(id); });  // a later choice tries again
    loading.set(id, promise);
  }
  return loading.get(id);
}

// Shows notice id, loading its data first when the page does not embed it. Resolves true when
// it is shown, false when there is no such notice; rejects (Chinese message) when it could not
// be loaded. A later choice wins over an earlier one still loading.
let choosing = 0;
function chooseNotice(id, fromUser) {
  const mine = ++choosing;
  if (NOTICES.has(id)) {
    setNotice(id, fromUser);
    return Promise.resolve(true);
  }
  return loadNotice(id).then(function (known) {
    if (known && mine === choosing) setNotice(id, fromUser);
    return known;
  }, function (err) {
    throw new Error("无法载入通知“" + id + "”的问题和材料清单：" + err.message + "。请检查网络后重试，或阅读该通知的页面。");
  });
}

function setNotice(id, fromUser) {
  if (!NOTICES.has(id)) id = DATA.notices.length ? DATA.notices[0].id : null;
  if (!id) return;
  const previous = current ? readProfile(false) : null;
  current = id;
  select.value = id;
  // The engine's data for this notice: fetched by the worker now, while the person reads.
  if (window.validator.prefetch) window.validator.prefetch(id);
  const href = "../notices/" + id + "/";
  $("#zc-notice-link").setAttribute("href", href);
  $("#zc-error-notice-link").setAttribute("href", href + "#materials");
  asked = {};
  skipped = {};
  $$(".zc-list").forEach(function (s) { s.hidden = s.getAttribute("data-notice") !== id; });
  const saved = storageGet(PREFIX + id, savedShape);
  ticks = (saved && saved.ticks) || {};
  fillProfile(saved && saved.profile ? saved.profile : previous);
  $$("[data-tick]").forEach(function (box) { box.checked = !!ticks[box.getAttribute("data-tick")]; });
  resetPersonal();
  applyVisibility(null);
  if (fromUser) {
    const url = new URL(location.href);
    url.searchParams.set("notice", id);
    history.replaceState(null, "", url.toString());
    save();
  }
  schedule(0);
}

// ---------------------------------------------------------------- rendering
function fieldTitle(name) {
  const label = $('label[for="f-' + name + '"]');
  if (label) return label.textContent;
  const legend = $('[data-field-wrap="' + name + '"] legend');
  return legend ? legend.textContent : name;
}

function missingLinks(missing) {
  if (!missing || !missing.length) return null;
  const p = el("span", { className: "zc-missing" }, ["还需填写："]);
  missing.forEach(function (name, i) {
    if (i) p.appendChild(document.createTextNode("、"));
    const target = $("#f-" + name) ? "#f-" + name : "#field-" + name;
    const a = el("a", { href: target, text: fieldTitle(name) });
    a.addEventListener("click", function (ev) {
      asked[name] = true;  // a question asked for by name is shown, whatever the interview's order
      applyVisibility(lastResult);
      const node = $(target);
      if (node) { ev.preventDefault(); node.scrollIntoView({ block: "center" }); if (node.focus) node.focus(); }
    });
    p.appendChild(a);
  });
  return p;
}

function reasonItem(r) {
  const li = el("li", { className: "zc-reason zc-" + r.outcome + " zc-sev-" + r.severity, "data-rule": r.rule, "data-outcome": r.outcome });
  li.appendChild(el("span", { className: "zc-outcome", "aria-hidden": "true", text: OUTCOME_ICON[r.outcome] || "" }));
  li.appendChild(el("span", { className: "zc-sr", text: OUTCOME_TEXT[r.outcome] + "：" }));
  li.appendChild(el("span", { className: "zc-badge zc-badge--" + r.severity, text: SEVERITY_TEXT[r.severity] || r.severity }));
  li.appendChild(document.createTextNode(" "));
  li.appendChild(el("span", { className: "zc-reason-message", text: r.message }));
  const missing = missingLinks(r.missing);
  // The engine's detail for a missing field repeats the list that the links below give.
  if (r.detail && !(missing && r.detail.indexOf("还需填写") === 0)) {
    li.appendChild(el("span", { className: "zc-reason-detail", text: r.detail }));
  }
  if (missing) li.appendChild(missing);
  if (r.clause || r.rule) {
    li.appendChild(el("a", { className: "zc-clause-link", href: "../notices/" + current + "/#rule-" + r.rule,
      text: r.clause ? "原文 " + r.clause : "通知原文" }));
  }
  return li;
}

const ORDER = { fail: 0, unknown: 1, pass: 2 };
const SEV = { blocker: 0, warning: 1, info: 2 };

function renderVerdict(result) {
  const box = $("#zc-verdict");
  box.setAttribute("data-verdict", result.verdict);
  const w = result.window;
  const closed = w && w.status === "closed";
  box.setAttribute("data-window", w ? w.status : "");
  $("#zc-verdict-text").textContent = (closed ? CLOSED_TEXT : VERDICT_TEXT)[result.verdict] || result.verdict;
  const note = $("#zc-window-note");
  if (w) {
    const parts = [];
    if (w.status === "closed") {
      parts.push("本轮网上申报已于 " + shownTime(w.end) + "（北京时间）截止。");
      if (w.next) parts.push(w.next.text + (w.next.watch.length ? "；请留意" + w.next.watch.join("、") + "发布的新通知。" : "。"));
    } else if (w.status === "upcoming") {
      parts.push("本轮网上申报 " + shownTime(w.start) + " 开始，" + shownTime(w.end) + " 截止（北京时间）。");
    } else {
      parts.push("正在受理：网上申报 " + shownTime(w.end) + " 截止（北京时间）。");
    }
    note.textContent = parts.join("");
    note.hidden = false;
  } else {
    note.hidden = true;
  }
  // What decides it (failed conditions) stays in view; every rule's outcome is one tap away,
  // so the questions follow the verdict closely on a phone.
  const list = $("#zc-reasons");
  const key = $("#zc-key-reasons");
  list.replaceChildren();
  key.replaceChildren();
  const sorted = result.reasons.slice().sort(function (a, b) {
    return (ORDER[a.outcome] - ORDER[b.outcome]) || (SEV[a.severity] - SEV[b.severity]);
  });
  sorted.forEach(function (r) {
    list.appendChild(reasonItem(r));
    if (r.outcome === "fail") key.appendChild(reasonItem(r));
  });
  $("#zc-reasons-all").hidden = !sorted.length;
  $("#zc-reasons-summary").textContent = "逐条核验结果（" + sorted.length + " 条：" +
    sorted.filter(function (r) { return r.outcome === "pass"; }).length + " 条符合，" +
    sorted.filter(function (r) { return r.outcome === "fail"; }).length + " 条不符合，" +
    sorted.filter(function (r) { return r.outcome === "unknown"; }).length + " 条待确认）";
}

// "2025-11-04T18:00+08:00" → "2025-11-04 18:00" (the engine's instant, shown as written).
function shownTime(value) {
  return String(value).replace("T", " ").replace(/\+08:00$/, "");
}

// A profile problem as an applicant reads it, under the question itself: without the leading
// "field（标题）：" and naming other fields by their Chinese titles only.
function plainMessage(message) {
  return String(message).replace(/^[A-Za-z_][\w.[\]]*（[^）]*）：/, "").replace(/^[A-Za-z_][\w.[\]]*：/, "")
    .replace(/[A-Za-z_][\w.[\]]*（([^）]*)）/g, "$1");
}

function renderProblems(err) {
  const box = $("#zc-verdict");
  box.setAttribute("data-verdict", "invalid");
  $("#zc-verdict-text").textContent = err.message.split("\n")[0];
  const list = $("#zc-key-reasons");
  list.replaceChildren();
  $("#zc-reasons").replaceChildren();
  $("#zc-reasons-all").hidden = true;
  $("#zc-window-note").hidden = true;
  (err.problems || []).forEach(function (p) {
    list.appendChild(el("li", { className: "zc-reason zc-fail", text: fieldTitle(String(p.field).split(/[.[]/)[0]) + "：" + plainMessage(p.message) }));
  });
  if (!err.problems || !err.problems.length) list.appendChild(el("li", { className: "zc-reason zc-fail", text: err.message }));
}

function fieldErrors(problems) {
  $$(".zc-field-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
  (problems || []).forEach(function (p) {
    const name = String(p.field || "").split(/[.[]/)[0];
    const target = $("#e-" + name);
    if (target) {
      const text = plainMessage(p.message);
      target.hidden = false;
      target.textContent = (target.textContent ? target.textContent + "；" : "") + text;
      const wrap = target.closest("[data-field-wrap]");
      if (wrap) { wrap.hidden = false; asked[name] = true; }
    }
  });
}

function resetPersonal() {
  lastResult = null;
  $$(".zc-list li").forEach(function (li) {
    li.hidden = false;
    li.classList.remove("zc-na", "zc-needed", "zc-if");
  });
  $("#zc-checklists").classList.remove("zc-personal");
  renderRoute(null);
  $$(".zc-tool-reasons").forEach(function (ul) { ul.replaceChildren(); });
  updateCount();
}

function renderChecklist(result) {
  const section = $('#checklist-' + current);
  if (!section) return;
  const items = {};
  result.checklist.forEach(function (c) { items[c.item] = c; });
  $("#zc-checklists").classList.add("zc-personal");
  $$("li[data-item]", section).forEach(function (li) {
    const c = items[li.getAttribute("data-item")];
    li.classList.remove("zc-na", "zc-needed", "zc-if");
    const why = $("[data-why]", li);
    const badge = $("[data-badge]", li);
    const old = $(".zc-missing", li);
    if (old) old.remove();
    if (!c) {
      li.classList.add("zc-na");
      li.hidden = !showAll;
      badge.textContent = "不适用";
      badge.className = "zc-badge zc-badge--na";
      return;
    }
    li.hidden = false;
    const needed = c.status === "needed" && c.required;
    li.classList.add(needed ? "zc-needed" : "zc-if");
    badge.textContent = needed ? "需要提交" : (c.status === "needed" ? "有则提交" : "视情况");
    badge.className = "zc-badge" + (needed ? "" : " zc-badge--cond");
    why.textContent = (c.status === "needed" ? "原因：" : "条件：") + c.why;
    const missing = missingLinks(c.missing);
    if (missing) why.after(missing);
  });
  updateCount();
}

// Where papers and the fee go, as the engine routed them (result.route).
function renderRoute(result) {
  const box = $("#zc-route");
  const body = $("#zc-route-body");
  const route = result && result.route;
  if (!box || !route) { if (box) box.hidden = true; return; }
  body.replaceChildren();
  if (route.online_only) {
    body.appendChild(el("p", { text: "本通知只需网上申报，不报送纸质材料。" }));
  } else if (route.paper) {
    const p = route.paper;
    const what = p.items.join("；") + (p.copies ? "（一式 " + p.copies + " 份" + (p.duplex ? "，双面打印" : "") + "）" : "");
    body.appendChild(el("p", {}, [el("strong", { text: "纸质材料：" }), what]));
    if (p.deadline) body.appendChild(el("p", {}, [el("strong", { text: "报送时限：" }), p.deadline]));
    if (p.due && p.due.text) body.appendChild(el("p", { className: "zc-route-due" }, [el("strong", { text: "您的截止日期：" }), p.due.text]));
    else if (p.due && p.due.problem) body.appendChild(el("p", { className: "zc-route-due" }, [p.due.problem]));
    else if (p.due && p.due.missing) {
      const dueMissing = missingLinks(p.due.missing);
      if (dueMissing) body.appendChild(dueMissing);
    }
    const ul = el("ul", { className: "zc-route-places" });
    p.destinations.forEach(function (d) {
      const li = el("li", { "data-status": d.status }, [el("strong", { text: d.where }),
        d.status === "yours" ? "（您的报送地点）" : "（" + d.who + "）"]);
      const missing = missingLinks(d.missing);
      if (missing) li.appendChild(missing);
      ul.appendChild(li);
    });
    body.appendChild(el("p", {}, [el("strong", { text: "报送地点：" })]));
    body.appendChild(ul);
  }
  const fees = route.fees || { items: [] };
  if (fees.items.length) {
    const f = el("ul", { className: "zc-route-fees" });
    fees.items.forEach(function (i) {
      f.appendChild(el("li", {}, [i.label + "：" + i.amount_cny + " 元" + (i.note ? "。" + i.note : "")]));
    });
    body.appendChild(el("p", {}, [el("strong", { text: fees.decided ? "评审费：" : "评审费（按申报级别）：" })]));
    body.appendChild(f);
    const more = missingLinks(fees.missing);
    if (more) body.appendChild(more);
  }
  box.hidden = !body.children.length;
}

// The applicant's answers, for the printed checklist (A4): question → the answer as shown.
function renderPrintAnswers() {
  const list = $("#zc-print-answers-list");
  if (!list) return;
  list.replaceChildren();
  const profile = readProfile(true);
  Object.keys(profile).forEach(function (name) {
    const input = $("#f-" + name);
    const value = profile[name];
    const shown = input && input.tagName === "SELECT" ? input.options[input.selectedIndex].textContent
      : Array.isArray(value) ? value.map(function (r) { return r.year + " 年 " + r.total_hours + " 学时（专业 " + r.professional_hours + "）"; }).join("；")
      : String(value);
    list.appendChild(el("dt", { text: fieldTitle(name) }));
    list.appendChild(el("dd", { text: shown }));
  });
}

function updateCount() {
  const section = current && $('#checklist-' + current);
  if (!section) return;
  const out = $("[data-count]", section);
  const items = $$("li[data-item]", section);
  const applicable = items.filter(function (li) { return !li.classList.contains("zc-na"); });
  const needed = applicable.filter(function (li) { return li.classList.contains("zc-needed"); });
  const ticked = applicable.filter(function (li) { return $("[data-tick]", li).checked; });
  if (lastResult) {
    out.textContent = "适用于您的材料 " + applicable.length + " 项（其中需要提交 " + needed.length +
      " 项），已勾选 " + ticked.length + " 项；不适用 " + (items.length - applicable.length) + " 项。";
  } else {
    out.textContent = "本通知共 " + items.length + " 项材料，已勾选 " + ticked.length + " 项。";
  }
}

function renderTools(result) {
  const rules = (NOTICES.get(current) || {}).rules || {};
  $$(".zc-tool-reasons").forEach(function (ul) {
    const fields = ul.getAttribute("data-reasons-for").split(" ");
    ul.replaceChildren();
    result.reasons.forEach(function (r) {
      const used = rules[r.rule] || [];
      if (used.some(function (f) { return fields.indexOf(f) >= 0; })) ul.appendChild(reasonItem(r));
    });
  });
}

// ---------------------------------------------------------------- evaluation
// The moment the engine judges the window at: ?today=YYYY-MM-DD[THH:MM] (Beijing time) as
// given, else this instant in ISO form; the engine converts it to Beijing time.
function engineMoment() {
  return pinnedToday() || new Date().toISOString();
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(run, delay === undefined ? 150 : delay);
}

function run() {
  const mine = ++seq;
  const notice = current;
  const profile = readProfile(true);
  window.validator.evaluate(notice, profile, { today: engineMoment() }).then(function (result) {
    if (mine !== seq) return;
    evaluatedProfile = profile;
    if (timings.firstVerdict === null) timings.firstVerdict = performance.now();
    lastResult = result;
    fieldErrors([]);
    renderVerdict(result);
    renderChecklist(result);
    renderTools(result);
    renderRoute(result);
    renderPrintAnswers();
    applyVisibility(result);
    updateCERequirement();
    document.documentElement.setAttribute("data-zc-evaluated", String(mine));
  }, function (err) {
    if (mine !== seq) return;
    evaluatedProfile = profile;
    if (window.validator.state.status === "error") return;
    resetPersonal();
    fieldErrors(err.problems);
    renderProblems(err);
    document.documentElement.setAttribute("data-zc-evaluated", String(mine));
  });
  updatePublicity();
  updateCERequirement();
}

function updatePublicity() {
  const out = $("#zc-publicity-out");
  if (!out || !current || $("#tool-publicity").hidden) return;
  const start = ($("#f-publicity_start") || {}).value;
  const end = ($("#f-publicity_end") || {}).value;
  const min = (NOTICES.get(current) || {}).publicity_min_workdays;
  if (!start) { out.textContent = "填写公示开始日期后，这里显示按法定节假日和调休计算的工作日数和最早可结束日期。"; return; }
  window.validator.workdays(start, end || null, min || null).then(function (w) {
    out.textContent = w.text;  // the engine's sentence: working days, earliest end, enough or not
    out.setAttribute("data-workdays", w.workdays === undefined ? "" : String(w.workdays));
    out.setAttribute("data-earliest-end", w.earliest_end || "");
  }, function (err) {
    out.textContent = err.message;
  });
}

function updateCERequirement() {
  const out = $("#zc-ce-out");
  if (!out) return;
  const n = NOTICES.get(current) || {};
  const parts = [];
  if (n.ce_min_hours != null) {
    parts.push("通知要求：" + (n.ce_years && n.ce_years.length ? n.ce_years.join("、") + " 年" : "") +
      "每年不少于 " + n.ce_min_hours + " 学时。");
  }
  const rows = readCE();
  if (rows.length) {
    parts.push("已填写：" + rows.map(function (r) {
      return (r.year !== undefined ? r.year + " 年 " : "") + (r.total_hours !== undefined ? r.total_hours : "？") +
        " 学时（专业 " + (r.professional_hours !== undefined ? r.professional_hours : "？") + "）";
    }).join("；") + "。");
  }
  out.textContent = parts.join("");
}

function updateSummaryCount() {
  const text = $("#zc-summary-text");
  const out = $("#zc-summary-count");
  if (!text || !out) return;
  const n = NOTICES.get(current) || {};
  let range = "";
  if (n.summary_min != null && n.summary_max != null) range = "通知要求 " + n.summary_min + "–" + n.summary_max + " 字。";
  else if (n.summary_min != null) range = "通知要求不少于 " + n.summary_min + " 字。";
  else if (n.summary_max != null) range = "通知要求不超过 " + n.summary_max + " 字。";
  if (!text.value) { out.textContent = range + "粘贴后自动统计字数（不计空格和换行）。"; return; }
  const count = Array.from(text.value.replace(/\s+/g, "")).length;
  out.textContent = "共 " + count + " 字（不计空格和换行）。" + range;
  out.setAttribute("data-chars", String(count));
  const input = $("#f-work_summary_chars");
  if (input) input.value = String(count);
}

function changed() {
  save();
  schedule();
}

// ---------------------------------------------------------------- data buttons
function message(text) { $("#zc-data-msg").textContent = text; }

function exportProfile() {
  const profile = readProfile(false);
  const blob = new Blob([JSON.stringify(profile, null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: "zhicheng-profile-" + current + ".json" });
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  message("已导出：zhicheng-profile-" + current + ".json（可在其他设备导入，也可用于命令行 eligibility --profile）。");
}

// ---------------------------------------------------------------- import (untrusted file)
const MAX_IMPORT_BYTES = 256 * 1024;
const CE_KEYS = { year: true, total_hours: true, professional_hours: true };

function fieldLabel(name) {
  const input = document.querySelector('[data-field="' + name + '"]');
  const label = input && input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
  return (label ? label.textContent.trim() + "（" + name + "）" : name);
}

// Structural check before anything is touched: known fields, plain values of the field's
// kind; returns a list of Chinese problems (empty when the file looks like a profile).
function importProblems(data) {
  const problems = [];
  const known = {};
  $$("[data-field]").forEach(function (input) { known[input.getAttribute("data-field")] = input.getAttribute("data-kind"); });
  Object.keys(data).forEach(function (key) {
    const value = data[key];
    if (key === "continuing_education") {
      if (!Array.isArray(value) || value.length > 50) { problems.push("continuing_education：应为最多 50 行的继续教育学时列表"); return; }
      value.forEach(function (row, i) {
        if (!isRecord(row)) { problems.push("continuing_education 第 " + (i + 1) + " 行：应为对象"); return; }
        Object.keys(row).forEach(function (k) {
          if (!Object.prototype.hasOwnProperty.call(CE_KEYS, k)) problems.push("continuing_education 第 " + (i + 1) + " 行：未知项目 " + k);
          else if (typeof row[k] !== "number" || !isFinite(row[k])) problems.push("continuing_education 第 " + (i + 1) + " 行 " + k + "：应为数字");
        });
      });
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(known, key)) { problems.push(key + "：未知项目，不是本站档案中的字段"); return; }
    if (value === null) return;
    const kind = known[key];
    const ok = kind === "boolean" ? typeof value === "boolean"
      : (kind === "integer" || kind === "number") ? typeof value === "number" && isFinite(value)
      // eslint-disable-next-line no-control-regex -- control characters are what is refused
      : typeof value === "string" && value.length <= 2000 && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value);
    if (!ok) problems.push(fieldLabel(key) + "：类型不对（应为" + ({ boolean: "是/否", integer: "整数", number: "数字" }[kind] || "文字") + "）");
  });
  return problems;
}

function importProfile(file) {
  if (file.size > MAX_IMPORT_BYTES) {
    message("导入失败：文件过大（" + file.size + " 字节），不是本站导出的信息文件。未做任何修改。");
    return;
  }
  const reader = new FileReader();
  reader.onload = function () {
    let data;
    try { data = JSON.parse(String(reader.result)); } catch (err) {
      message("导入失败：文件不是有效的 JSON（" + err.message + "）。未做任何修改。");
      return;
    }
    if (isRecord(data) && isRecord(data.profile)) data = data.profile;
    if (!isRecord(data)) {
      message("导入失败：文件内容应是一个 JSON 对象（申报人档案）。未做任何修改。");
      return;
    }
    const problems = importProblems(data);
    if (problems.length) {
      message("导入失败：" + file.name + " 不是本站的申报人信息文件，未做任何修改。" + problems.slice(0, 8).join("；") +
        (problems.length > 8 ? "；等 " + problems.length + " 个问题" : "") + "。");
      return;
    }
    const applied = function () {
      const previous = storageGet(PREFIX + current, savedShape);
      if (previous) storageSet(PREFIX + "backup:" + new Date().toISOString() + ":" + current, previous);
      fillProfile(data);
      save();
      schedule(0);
      const here = Object.keys(data).filter(function (k) {
        const input = document.querySelector('[data-field="' + k + '"]');
        const wrap = input && input.closest("[data-field-wrap]");
        return k === "continuing_education" || !wrap || visible(wrap);
      });
      const other = Object.keys(data).filter(function (k) { return here.indexOf(k) < 0; });
      message("已导入 " + file.name + "：" + here.map(fieldLabel).join("、") + "。" +
        (other.length ? "以下项目不属于本通知，已保留但不参与核验：" + other.map(fieldLabel).join("、") + "。" : "") +
        (previous ? "导入前的信息已另存为本机备份。" : ""));
    };
    // The engine's own validation (the applicant schema) decides before anything is replaced.
    if (window.validator.state && window.validator.state.status === "ready") {
      const candidate = {};
      Object.keys(data).forEach(function (k) { if (data[k] !== null) candidate[k] = data[k]; });
      window.validator.evaluate(current, candidate).then(applied, function (err) {
        const list = (err && err.problems) || [];
        if (!list.length) { applied(); return; }
        message("导入失败：" + file.name + " 中有不符合档案格式的项目，未做任何修改。" +
          list.map(function (p) { return p.message; }).join("；") + "。");
      });
    } else {
      applied();
    }
  };
  reader.onerror = function () { message("导入失败：无法读取文件。未做任何修改。"); };
  reader.readAsText(file);
}

function deleteData() {
  let removed = 0;
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) { localStorage.removeItem(key); removed++; }
    }
  } catch (err) { /* storage unavailable: nothing saved */ }
  ticks = {};
  $$("[data-tick]").forEach(function (box) { box.checked = false; });
  fillProfile({});
  resetPersonal();
  schedule(0);
  message("已删除本机保存的全部核验数据（" + removed + " 项）。页面上的填写内容也已清空。");
}

// ---------------------------------------------------------------- earlier years
// "其他年度的通知": a year, then one of its notices (data/check/year-<YYYY>.json). Without
// JavaScript the same box links each year's archive page.
function wireEarlierYears() {
  const pick = $("#zc-earlier-pick");
  const years = $("#zc-year");
  const list = $("#zc-year-notice");
  const note = $("#zc-year-msg");
  if (!pick || !years || !list) return;
  pick.hidden = false;
  let seq = 0;
  const placeholder = function (text) {
    list.replaceChildren(el("option", { value: "", text: text }));
    list.disabled = true;
  };
  years.addEventListener("change", function () {
    const year = years.value;
    const mine = ++seq;
    note.textContent = "";
    if (!/^\d{4}$/.test(year)) { placeholder("（先选择年度）"); return; }
    placeholder("正在载入 " + year + " 年度的通知…");
    fetchData("year-" + year + ".json").then(function (notices) {
      if (mine !== seq) return;
      if (!Array.isArray(notices)) throw new Error(notices === null ? "没有这一年度的通知列表" : "文件内容不是通知列表");
      const options = notices.filter(function (n) {
        return isRecord(n) && typeof n.id === "string" && NOTICE_ID.test(n.id) && typeof n.label === "string";
      }).map(function (n) { return el("option", { value: n.id, text: n.label }); });
      list.replaceChildren(el("option", { value: "", text: "（选择通知，共 " + options.length + " 份）" }), ...options);
      list.disabled = false;
    }).catch(function (err) {
      if (mine !== seq) return;
      placeholder("（无法载入）");
      note.textContent = "无法载入 " + year + " 年度的通知列表：" + err.message + "。请检查网络后重试，或打开下面的年度归档页。";
    });
  });
  list.addEventListener("change", function () {
    const id = list.value;
    if (!id) return;
    note.textContent = "正在载入所选通知…";
    chooseNotice(id, true).then(function (known) {
      note.textContent = known ? "已选择：" + (NOTICES.get(id) || {}).label + "。问题和材料清单已换成这份通知的。"
        : "通知“" + id + "”不存在。";
    }, function (err) {
      note.textContent = err.message;
    });
  });
}

// ---------------------------------------------------------------- start (the page's wiring)
function start() {
  // ---------------------------------------------------------------- offline copy
  // The download size is announced once (the page's first status line); after the service
  // worker has stored everything (sw.js), later visits say the program loads from this device.
  const OFFLINE_KEY = "zc-offline-version";
  function offlineStored() {
    try { return localStorage.getItem(OFFLINE_KEY); } catch (err) { return null; }
  }
  function keepOffline() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.addEventListener("message", function (event) {
      const data = event.data || {};
      if (data.type !== "precached") return;
      try { localStorage.setItem(OFFLINE_KEY, data.version); } catch (err) { /* private mode */ }
      const note = $("#zc-offline-note");
      if (note) note.hidden = false;
    });
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: "precache" });
    });
  }
  if (offlineStored() && navigator.serviceWorker && navigator.serviceWorker.controller) {
    $("#zc-status-text").textContent = "核验程序已保存在本机，无需联网。";
  }
  window.validator.ready.then(keepOffline, function () {});

  // ---------------------------------------------------------------- status
  const announcement = $("#zc-status-text").textContent;
  window.validator.subscribe(function (state) {
    const text = $("#zc-status-text");
    const bar = $("#zc-progress");
    const status = $("#zc-status");
    status.setAttribute("data-status", state.status);
    if (state.status === "loading") {
      if (state.progress) {
        // The announcement (download size, or "from this device") stays; the stage follows it.
        text.textContent = announcement + " " + state.progress.message;
        bar.setAttribute("aria-valuetext", state.progress.message);
        if (state.progress.fraction > 0.05) bar.value = state.progress.fraction;
      }
    } else if (state.status === "ready") {
      bar.hidden = true;
      text.textContent = "核验程序已就绪（在本机运行，用时 " + state.info.seconds + " 秒）。";
    } else if (state.status === "error") {
      bar.hidden = true;
      text.hidden = true;
      $("#zc-error").hidden = false;
      $("#zc-error-text").textContent = state.error;
      $("#zc-verdict-text").textContent = "无法自动核验。请对照下方的完整材料清单和通知原文自行核对。";
    }
  });

  // ---------------------------------------------------------------- wiring
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  $$("#zc-tools input:not([type=checkbox])").forEach(function (input) {
    input.addEventListener("input", changed);
    input.addEventListener("change", changed);
  });
  const summary = $("#zc-summary-text");
  if (summary) summary.addEventListener("input", function () { updateSummaryCount(); changed(); });
  const ceBody = $("#zc-ce-rows");
  if (ceBody) { ceBody.addEventListener("input", changed); ceBody.addEventListener("change", changed); }
  const ceAdd = $("#zc-ce-add");
  if (ceAdd) ceAdd.addEventListener("click", function () {
    const years = ceRows().map(function (r) { return parseInt(r.year, 10); }).filter(isFinite);
    addCERow({ year: years.length ? Math.max.apply(null, years) + 1 : undefined });
    const rows = $$("#zc-ce-rows tr");
    const first = rows.length && $("input", rows[rows.length - 1]);
    if (first) first.focus();
  });
  select.addEventListener("change", function () { chooseNotice(select.value, true); });
  wireEarlierYears();
  // A question left empty after seeing it: ask the next one instead (it stays on screen).
  document.addEventListener("focusout", function (ev) {
    const input = ev.target.closest && ev.target.closest("[data-field]");
    if (!input || input.value !== "") return;
    const name = input.getAttribute("data-field");
    if (!skipped[name]) { skipped[name] = true; applyVisibility(lastResult); }
  });
  $("#zc-all-questions").addEventListener("click", function () {
    fullForm = !fullForm;
    this.setAttribute("aria-pressed", String(fullForm));
    this.textContent = fullForm ? "只问影响结论的问题" : "显示全部问题";
    applyVisibility(lastResult);
  });
  const skip = $("#zc-skip");
  // First in the tab order (before the site header and navigation): one Tab, then Enter.
  if (skip) document.body.insertBefore(skip, document.body.firstChild);
  if (skip) skip.addEventListener("click", function (ev) {
    const first = $$("#zc-profile [data-field]").filter(function (i) { return !i.closest("[hidden]"); })[0];
    if (first) { ev.preventDefault(); first.focus(); first.scrollIntoView({ block: "center" }); }
  });
  $("#zc-checklists").addEventListener("change", function (ev) {
    const box = ev.target.closest("[data-tick]");
    if (!box) return;
    ticks[box.getAttribute("data-tick")] = box.checked;
    if (!box.checked) delete ticks[box.getAttribute("data-tick")];
    save();
    updateCount();
  });
  $("#zc-show-all").addEventListener("click", function () {
    showAll = !showAll;
    this.setAttribute("aria-pressed", String(showAll));
    this.textContent = showAll ? "只显示适用于我的材料" : "显示全部材料";
    if (lastResult) renderChecklist(lastResult);
  });
  $("#zc-print").addEventListener("click", function () { window.print(); });
  $("#zc-export").addEventListener("click", exportProfile);
  $("#zc-import").addEventListener("change", function () {
    if (this.files && this.files[0]) importProfile(this.files[0]);
    this.value = "";
  });
  $("#zc-delete").addEventListener("click", deleteData);

  const wanted = new URL(location.href).searchParams.get("notice");
  const last = storageGet(LAST, function (v) { return typeof v === "string"; });
  const first = (DATA.notices[0] || {}).id;
  const reportCorrupted = function () {
    if (corrupted.length) {
      message("本机保存的核验数据无法读取（可能已损坏），已原样另存为备份（" + corrupted.join("、") +
        "），本页改用空白表单。“删除我的数据”会一并删除备份。");
    }
  };
  // The notice in the address, else the one chosen last time, else the page's first; one that
  // the page does not embed is loaded first (the others' verdicts wait for nothing).
  chooseNotice(wanted || last || first, false).then(function (known) {
    if (!known) {
      if (wanted) message("地址中的通知“" + wanted + "”不存在，已改为显示第一份通知。");
      setNotice(first, false);
    }
    reportCorrupted();
  }, function (err) {
    message(err.message + "本页先显示第一份通知。");
    setNotice(first, false);
    reportCorrupted();
  });

  window.zhichengCheck = {
    get notice() { return current; },
    get result() { return lastResult; },
    timings: timings,
    profile: function () { return readProfile(true); },
    /** True when the verdict on screen belongs to what the form holds now. */
    settled: function () {
      return evaluatedProfile !== null && JSON.stringify(evaluatedProfile) === JSON.stringify(readProfile(true));
    },
  };
}

if (document.getElementById("zc-check-data") && window.validator) start();
