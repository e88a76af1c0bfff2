// Web Worker running Pyodide with the rules engine (generator.engine) — the very Python code
// of the command line. Everything is loaded from this site: the Pyodide core under
// assets/pyodide/, one archive of precompiled Python beside it (the engine, jsonschema and the
// other pure-Python packages: generator/browser/archive.py), each file checked against the
// sha256 of runtime.json, and the rules of the notices from data/engine/ (generator/content/
// bundle.py engine_files): core.json at start (applicant schema, holidays, the sha256 of each
// year's index), and a notice's file only when that notice is first needed — the page's notice
// while the runtime loads, any other on its first request — checked against the sha256 in its
// year's index (year-<YYYY>.json, itself checked against core.json) and then added to the engine
// (generator.engine.api.Api.add_notice). The archive is downloaded while Pyodide starts,
// written to Pyodide's file system and put on sys.path (zipimport); the engine module is then
// imported with pyodide.pyimport — no Python source in this file. Nothing is sent anywhere.
//
// Protocol: messages are {type, id, data}.
//   page → worker: {type: "start", data: {manifest?, notice?}}  (once; manifest: the runtime.json
//                                       the page carries, saving a round trip; notice: the page's
//                                       notice, whose rules are fetched now)
//                  {type: "prefetch", data: {notice}}   (fetch a notice's rules ahead; no answer)
//                  {type: "evaluate", id, data: {notice, profile, today?}}
//                  {type: "workdays", id, data: {start, end?, count?}}
//                  {type: "window", id, data: {notice, today}}
//                  (answered by generator/engine/api.py, see its docstring)
//   worker → page: {type: "progress", data: {stage, message, fraction}}
//                  {type: "loaded", data: {pyodide, python, seconds}}
//                  {type: "error", data: {message, detail}}      (loading failed)
//                  {type: "result", id, data}                    (a plain object)
//                  {type: "failure", id, data: {message, problems}}
// Python values never cross postMessage: the engine's answer is serialised with json.dumps in
// Python and parsed here, so the page receives plain, structured-clonable objects only.

import { loadPyodide } from "../pyodide/pyodide.mjs";

const PYODIDE_URL = new URL("../pyodide/", import.meta.url).href;
const ENGINE_URL = new URL("../../data/engine/", import.meta.url).href;
const NOTICE_ID = /^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/;  // schemas/notice.schema.json
const DATA_TIMEOUT_MS = 20000;  // a notice's files are small: one that has not arrived by then won't
const LOCK_NAME = "pyodide-lock.json";
// The Python side (tested with the CLI and pytest): JSON in, JSON out.
const ENGINE_MODULE = "generator.engine.api";

let pyodide = null;
let api = null;
let startPromise = null;
// performance.now() (ms since the worker started) at each stage of the start-up, reported with
// "loaded" for the benchmark's breakdown (benchmarks/validator.py).
const marks = {};
function mark(name) { if (!(name in marks)) marks[name] = Math.round(performance.now()); }

function post(type, id, data) {
  self.postMessage({ type, id, data });
}

function progress(stage, message, fraction) {
  post("progress", null, { stage, message, fraction });
}

async function fetchText(url, what) {
  let response;
  try {
    // "no-cache": revalidate, so a rebuilt site never runs against a stale bundle or lock file.
    response = await fetch(url, { cache: "no-cache" });
  } catch (err) {
    throw new Error(`无法下载${what}（${url}）：${err.message}`);
  }
  if (!response.ok) {
    throw new Error(`无法下载${what}（${url}）：HTTP ${response.status}`);
  }
  return response.text();
}

// ---------------------------------------------------------------- loading with integrity
// runtime.json (written at build time) lists every file of assets/pyodide/ with its sha256 and
// size. Every download of such a file — by us or by Pyodide — goes through verifiedFetch: the
// bytes are counted for the progress bar and checked against the sha256 before Pyodide sees
// them. The one exception is the wasm: Pyodide gets the server's own response, so that the
// browser compiles it while it downloads and keeps the compiled code in its cache for the next
// visit (a response rebuilt from bytes has neither), while a clone of it is counted and checked
// in parallel; no Python runs for the page until that check has passed (loadRuntime waits for
// it). A missing or corrupt file rejects `failure` at once; a download that receives nothing
// for STALL_MS rejects it, and so does a start-up that has not finished STARTUP_MS after the
// last byte arrived (Pyodide only console.warns when wasm instantiation fails). Nothing waits
// forever; a slow but working phone is not cut off while bytes keep coming.
const STALL_MS = 20000;
const STARTUP_MS = 90000;
const TRY_AGAIN = "请检查网络后刷新页面重试；若仍失败，请把这段说明告知网站维护者。";
const MIME = { ".wasm": "application/wasm", ".mjs": "text/javascript", ".json": "application/json" };

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function fileLabel(name) {
  if (name.endsWith(".wasm")) return "Python 运行环境（" + name + "）";
  if (name.startsWith("python_stdlib")) return "Python 标准库（" + name + "）";
  if (name.endsWith(".zip")) return "核验程序的 Python 程序包（" + name + "）";
  return "运行环境文件（" + name + "）";
}

function makeLoader(manifest, onProgress) {
  const nativeFetch = self.fetch.bind(self);
  const files = manifest.files;
  // Bytes still to come through verifiedFetch (pyodide.mjs and the two JSON lists are loaded).
  const total = Object.entries(files)
    .filter(([name]) => !["pyodide.mjs", "runtime.json", LOCK_NAME].includes(name))
    .reduce((sum, [, f]) => sum + f.bytes, 0);
  let received = 0;
  let inflight = 0;
  let lastActivity = performance.now();
  let fail;
  const failure = new Promise((_, reject) => { fail = reject; });
  failure.catch(() => {});
  let lastTick = performance.now();
  const stall = setInterval(() => {
    const now = performance.now();
    // This thread was busy (wasm compilation, Python start-up) or the device was asleep:
    // downloads could not be read meanwhile, so that time is no sign of a stall.
    if (now - lastTick > 3000) lastActivity = now;
    lastTick = now;
    const idle = now - lastActivity;
    if (inflight > 0 && idle > STALL_MS) {
      fail(new Error(`运行环境文件 ${STALL_MS / 1000} 秒没有收到任何数据（网络中断或服务器无响应）。` + TRY_AGAIN));
    } else if (inflight === 0 && idle > STARTUP_MS) {
      fail(new Error(`运行环境下载完成后 ${STARTUP_MS / 1000} 秒仍未启动（浏览器无法运行 WebAssembly 或内存不足）。` + TRY_AGAIN));
    }
  }, 1000);

  const passedThrough = [];

  async function tracked(work) {
    inflight += 1;
    lastActivity = performance.now();
    try {
      return await work;
    } finally {
      inflight -= 1;
      lastActivity = performance.now();
    }
  }

  /** The checked bytes of a runtime file. */
  function verifiedBytes(url, name) {
    return tracked(open(url, name).then((response) => check(response, name)));
  }

  /** A response for Pyodide: rebuilt from the checked bytes, or (wasm) the server's own. */
  async function verifiedFetch(url, name) {
    if (name.endsWith(".wasm")) {
      const response = await tracked(open(url, name));
      const checked = tracked(check(response.clone(), name));
      checked.catch((err) => fail(err));
      passedThrough.push(checked);
      return response;
    }
    const bytes = await verifiedBytes(url, name);
    const type = MIME[name.slice(name.lastIndexOf("."))] || "application/octet-stream";
    return new Response(bytes, { status: 200, headers: { "content-type": type } });
  }

  async function open(url, name) {
    let response;
    try {
      response = await nativeFetch(url);
    } catch (err) {
      throw new Error(`无法下载${fileLabel(name)}：网络中断或请求被拦截（${err.message}）。` + TRY_AGAIN);
    }
    if (!response.ok) {
      throw new Error(`无法下载${fileLabel(name)}：服务器返回 HTTP ${response.status}（文件缺失）。` + TRY_AGAIN);
    }
    return response;
  }

  async function check(response, name) {
    const expected = files[name];
    const chunks = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      received += value.length;
      lastActivity = performance.now();
      onProgress(Math.min(received / total, 1));
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
    mark("fetched " + name);
    const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
    if (digest !== expected.sha256) {
      throw new Error(`${fileLabel(name)}未通过 sha256 校验（文件已损坏或被篡改）。` + TRY_AGAIN);
    }
    mark("verified " + name);
    return bytes;
  }

  function guarded(input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
    const name = url.href.startsWith(PYODIDE_URL) ? url.href.slice(PYODIDE_URL.length) : null;
    if (!name || !files[name] || name === "runtime.json" || name === LOCK_NAME) {
      return nativeFetch(input, init);
    }
    const result = verifiedFetch(url.href, name);
    result.catch((err) => fail(err));
    return result;
  }

  return {
    failure,
    total,
    install() { self.fetch = guarded; },
    // pyodide.asm.mjs is loaded with import(), which no fetch wrapper sees: check the same URL
    // (the HTTP cache serves the second request) and refuse to start if it does not match.
    verify(name) { return guarded(PYODIDE_URL + name); },
    /** The checked bytes of one of our own files (fetched by us, not by Pyodide). */
    bytes(name) {
      const result = verifiedBytes(PYODIDE_URL + name, name);
      result.catch((err) => fail(err));
      return result;
    },
    /** Resolves once every response handed over unchecked (the wasm) has passed its check. */
    checked() { return Promise.all(passedThrough); },
    done() { clearInterval(stall); self.fetch = nativeFetch; },
  };
}

/** Pyodide and our archive, downloaded in parallel with integrity checks, progress and a stall
 * timeout: resolves with [pyodide, the archive's bytes]. */
async function loadRuntime(manifest, lockText) {
  let shown = 0;
  let finished = false;
  const loader = makeLoader(manifest, (fraction) => {
    if (finished) return;  // downloads still running after a failure report nothing more
    if (fraction - shown >= 0.02 || fraction === 1) {
      shown = fraction;
      // All bytes in: what remains is compiling the wasm and starting Python on this device.
      const text = fraction === 1 ? "已下载，正在启动 Python 运行环境…"
        : `正在加载核验程序：${Math.round(fraction * 100)}%`;
      progress("runtime", text, 0.05 + 0.8 * fraction);
    }
  });
  loader.install();
  try {
    const asm = loader.verify("pyodide.asm.mjs");
    const archive = loader.bytes(manifest.archive);
    const started = loadPyodide({
      indexURL: PYODIDE_URL,
      stdLibURL: PYODIDE_URL + manifest.stdlib,
      lockFileContents: lockText,
      stdout: () => {},
      stderr: () => {},
    }).then((py) => { mark("pyodide started"); return py; });
    started.catch(() => {});
    const [py, , bytes] = await Promise.race([Promise.all([started, asm, archive]), loader.failure]);
    await Promise.race([loader.checked(), loader.failure]);
    return [py, bytes];
  } finally {
    finished = true;
    loader.done();
  }
}

// ---------------------------------------------------------------- the notices' rules
function own(object, key) {
  return !!object && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
}

let corePromise = null;
/** data/engine/core.json: {text (for Python), years: {YYYY: sha256 of year-YYYY.json}}. */
function loadCore() {
  if (!corePromise) {
    corePromise = fetchText(ENGINE_URL + "core.json", "通知规则数据").then(function (text) {
      let core;
      try { core = JSON.parse(text); } catch (err) { throw new Error("通知规则数据（core.json）不是有效的 JSON：" + err.message); }
      return { text, years: own(core, "years") ? core.years : {} };
    });
  }
  return corePromise;
}

/** The text of one file of data/engine/, checked against its sha256; rejects in Chinese. */
async function verifiedData(name, sha256) {
  const shown = "data/engine/" + name;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), DATA_TIMEOUT_MS);
  let bytes;
  try {
    const response = await fetch(ENGINE_URL + name, { cache: "no-cache", signal: controller.signal });
    if (!response.ok) throw new Error(`${shown} 下载失败：服务器返回 HTTP ${response.status}（文件缺失）。` + TRY_AGAIN);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (controller.signal.aborted) {
      throw new Error(`${shown} 在 ${DATA_TIMEOUT_MS / 1000} 秒内没有下载完成（网络中断或服务器无响应）。` + TRY_AGAIN);
    }
    if (err instanceof TypeError) throw new Error(`${shown} 下载失败：网络中断或请求被拦截（${err.message}）。` + TRY_AGAIN);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (hex(await crypto.subtle.digest("SHA-256", bytes)) !== sha256) {
    throw new Error(`${shown} 未通过 sha256 校验（文件已损坏，或网站已更新而本页仍是旧版本）。请刷新页面重试；若仍失败，请把这段说明告知网站维护者。`);
  }
  return new TextDecoder().decode(bytes);
}

const yearIndexes = new Map();  // "YYYY" → Promise<{id: sha256} | null>
function yearIndex(year) {
  if (!yearIndexes.has(year)) {
    const promise = loadCore().then(function (core) {
      if (!own(core.years, year)) return null;  // no notice of that year on this site
      return verifiedData(`year-${year}.json`, core.years[year]).then(function (text) {
        const index = JSON.parse(text);
        return index && typeof index === "object" ? index : null;
      });
    });
    promise.catch(() => yearIndexes.delete(year));  // a later request tries again
    yearIndexes.set(year, promise);
  }
  return yearIndexes.get(year);
}

const noticeTexts = new Map();  // id → Promise<text of data/engine/<id>.json | null (no such notice)>
function noticeText(id) {
  if (typeof id !== "string" || !NOTICE_ID.test(id)) return Promise.resolve(null);
  if (!noticeTexts.has(id)) {
    const promise = yearIndex(id.slice(0, 4)).then(function (index) {
      if (!own(index, id) || typeof index[id] !== "string") return null;
      return verifiedData(`${id}.json`, index[id]).then(function (text) { mark("notice " + id); return text; });
    });
    promise.catch(() => noticeTexts.delete(id));
    noticeTexts.set(id, promise);
  }
  return noticeTexts.get(id);
}

const added = new Map();  // id → Promise: the notice is in the engine (or is no notice of this site)
/** Before a request about notice id: its rules in the engine. An id that is no notice of this
 * site is left to the engine, which rejects it with its own message (the command line's). */
function ensureNotice(id) {
  if (typeof id !== "string" || !NOTICE_ID.test(id)) return Promise.resolve();
  if (!added.has(id)) {
    const promise = noticeText(id).then(function (text) {
      if (text === null) return;
      const answer = JSON.parse(api.add(text, id));
      if (!answer.ok) throw new Error(answer.data.message);
    }).catch(function (err) {
      throw new Error(`无法载入通知“${id}”的规则数据：` + (err && err.message ? err.message : String(err)));
    });
    promise.catch(() => added.delete(id));
    added.set(id, promise);
  }
  return added.get(id);
}

async function start(given, wanted) {
  const t0 = performance.now();
  if (typeof WebAssembly !== "object") {
    throw new Error("此浏览器不支持 WebAssembly，无法在本机运行核验程序。");
  }
  progress("runtime", "正在加载 Python 运行环境…", 0.05);
  // The three small files at once; the lock file (Pyodide's own, no packages) may come later.
  // The check page carries runtime.json in its <head> (site_overrides/main.html, the same build):
  // the downloads start without waiting for it; any other page's worker fetches it.
  const manifestText = given && given.files ? null : fetchText(PYODIDE_URL + "runtime.json", "运行环境清单");
  const lockText = fetchText(PYODIDE_URL + LOCK_NAME, "运行环境清单");
  const core = loadCore();
  lockText.catch(() => {});
  core.catch(() => {});
  // The page's notice: its rules arrive while the runtime loads (failures are reported when
  // that notice is evaluated).
  if (wanted) noticeText(wanted).catch(() => {});
  const manifest = manifestText === null ? given : JSON.parse(await manifestText);
  mark("manifest");
  let archive;
  [pyodide, archive] = await loadRuntime(manifest, lockText);
  mark("runtime verified");
  progress("engine", "正在载入核验规则…", 0.9);
  const tEngine = performance.now();
  const archivePath = "/lib/" + manifest.archive;
  pyodide.FS.writeFile(archivePath, archive);
  const sys = pyodide.pyimport("sys");
  sys.path.insert(0, archivePath);
  const engine = pyodide.pyimport(ENGINE_MODULE);
  mark("engine imported");
  const engineApi = engine.Api((await core).text);
  api = { call: engineApi.call_json, add: engineApi.add_notice };
  const tDone = performance.now();
  mark("api");
  progress("ready", "核验程序已就绪", 1);
  return {
    pyodide: pyodide.version,
    python: String(sys.version).split(" ")[0],
    seconds: Math.round(tDone - t0) / 1000,
    // Where the time went (ms): Pyodide with its core files and the archive, then the engine
    // import and the bundle; marks: ms since the worker started, per stage and file.
    stages: { runtime: Math.round(tEngine - t0), engine: Math.round(tDone - tEngine) },
    marks,
    workerStartedAt: Math.round(performance.timeOrigin + t0),
  };
}

function call(fn, args) {
  const text = fn(...args);
  const answer = JSON.parse(text);
  return answer;
}

// A failure inside Pyodide's start-up (e.g. the .wasm file cannot be downloaded) may surface
// only as an unhandled rejection: report it instead of loading forever.
function loadFailed(reason) {
  if (api) return;
  let text = reason && reason.message ? reason.message : String(reason);
  if (/Failed to fetch|NetworkError|Load failed/i.test(text)) {
    text = "无法下载运行环境文件（网络中断或文件缺失：" + text + "）";
  }
  post("error", null, { message: "核验程序加载失败：" + text, detail: reason && reason.stack ? String(reason.stack) : "" });
}
self.addEventListener("unhandledrejection", (event) => loadFailed(event.reason));
self.addEventListener("error", (event) => loadFailed(event.error || event.message));

self.onmessage = async (event) => {
  const { type, id, data } = event.data || {};
  if (type === "start") {
    if (!startPromise) {
      startPromise = start(data && data.manifest, data && typeof data.notice === "string" ? data.notice : null).then(
        (info) => post("loaded", null, info),
        (err) => post("error", null, {
          message: "核验程序加载失败：" + (err && err.message ? err.message : String(err)),
          detail: err && err.stack ? String(err.stack) : "",
        }),
      );
    }
    return;
  }
  if (type === "prefetch") {
    if (data && typeof data.notice === "string") noticeText(data.notice).catch(() => {});
    return;
  }
  if (!api) {
    post("failure", id, { message: "核验程序尚未就绪", problems: [] });
    return;
  }
  try {
    if (data && typeof data === "object" && "notice" in data) await ensureNotice(data.notice);
  } catch (err) {
    post("failure", id, { message: err.message, problems: [] });
    return;
  }
  let answer;
  try {
    // generator.engine.api.handle answers every request type (and rejects unknown ones).
    answer = call(api.call, [JSON.stringify({ type, data: data ?? null })]);
  } catch (err) {
    answer = { ok: false, data: { message: "核验器内部错误：" + String(err && err.message || err),
      problems: [], internal: true } };
  }
  post(answer.ok ? "result" : "failure", id, answer.data);
};
