/* Shared utilities of the site's scripts: the data a page embeds, "now" (with the ?today=
   preview), the engine's countdown texts, Beijing-time dates for display, and localStorage.
   Judgements (status, countdowns, working days) come from the Python engine at build time or in
   the validator's worker; nothing here does date arithmetic beyond showing a date. */

const HOUR = 3600000;

/** The JSON a page embeds in <script type="application/json" id="...">, or null without it. */
export function pageData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

/** ?today=YYYY-MM-DD or ?today=YYYY-MM-DDTHH:MM (Beijing time) as written, else null. */
export function pinnedToday(search) {
  const m = /[?&]today=(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?)(?:&|$)/.exec(search === undefined ? window.location.search : search);
  return m ? m[1] : null;
}

/** The moment to show the site at (ms): ?today= (Beijing time; a bare date is its 00:00) or now. */
export function now() {
  const pinned = pinnedToday();
  if (pinned) {
    const t = Date.parse((pinned.length === 10 ? pinned + "T00:00" : pinned) + ":00+08:00");
    if (!Number.isNaN(t)) return t;
  }
  return Date.now();
}

/** The calendar date of instant ms in Beijing: "2025年10月20日" (withYear false: "10月20日"). */
export function beijingDate(ms, withYear = true) {
  const d = new Date(ms + 8 * HOUR);
  const day = (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
  return withYear ? d.getUTCFullYear() + "年" + day : day;
}

/** The calendar date of instant ms in Beijing as YYYY-MM-DD (a form's date value). */
export function beijingIso(ms) {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
}

/** The engine's countdown text at t: the text of the last [instant, text] breakpoint ≤ t, or ""
    (before the first one). The engine (generator/engine/timeline.py countdown) wrote the list. */
export function countdownAt(breakpoints, t) {
  let text = "";
  for (const [at, value] of breakpoints || []) {
    if (Date.parse(at) <= t) text = value;
    else break;
  }
  return text;
}

/** A value saved as JSON under key, or null (nothing saved, storage unavailable or unreadable). */
export function loadJson(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch (_err) {
    return null;
  }
}

/** Saves value as JSON under key; false where storage is unavailable (private mode, full). */
export function saveJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (_err) {
    return false;
  }
}
