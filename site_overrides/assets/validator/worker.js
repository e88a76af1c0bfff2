// Web Worker running Pyodide with the rules engine (generator.engine) — the very Python code
// of the command line. Everything is loaded from this site: the Pyodide core and the wheels
// under assets/pyodide/ (each wheel's sha256 checked against pyodide-lock.json by Pyodide),
// the content bundle from data/engine-bundle.json. Nothing is sent anywhere.
//
// Protocol: messages are {type, id, data}.
//   page → worker: {type: "start"}                       (once)
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
const BUNDLE_URL = new URL("../../data/engine-bundle.json", import.meta.url).href;
const ENGINE_PACKAGE = "zhicheng-engine";
const LOCK_NAME = "pyodide-lock.json";

// The Python side is generator/engine/api.py (tested with the CLI and pytest): JSON in, JSON out.
const GLUE = `
from generator.engine.api import Api
API = Api(_bundle_text)
del _bundle_text
`;

let pyodide = null;
let api = null;
let startPromise = null;

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
// them. A missing or corrupt file rejects `failure` at once; a download that receives nothing
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
  if (name.endsWith(".whl")) return "Python 程序包（" + name + "）";
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

  async function verifiedFetch(url, name) {
    inflight += 1;
    lastActivity = performance.now();
    try {
      return await download(url, name);
    } finally {
      inflight -= 1;
      lastActivity = performance.now();
    }
  }

  async function download(url, name) {
    const expected = files[name];
    let response;
    try {
      response = await nativeFetch(url);
    } catch (err) {
      throw new Error(`无法下载${fileLabel(name)}：网络中断或请求被拦截（${err.message}）。` + TRY_AGAIN);
    }
    if (!response.ok) {
      throw new Error(`无法下载${fileLabel(name)}：服务器返回 HTTP ${response.status}（文件缺失）。` + TRY_AGAIN);
    }
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
    const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
    if (digest !== expected.sha256) {
      throw new Error(`${fileLabel(name)}未通过 sha256 校验（文件已损坏或被篡改）。` + TRY_AGAIN);
    }
    const type = MIME[name.slice(name.lastIndexOf("."))] || response.headers.get("content-type") || "application/octet-stream";
    return new Response(bytes, { status: 200, headers: { "content-type": type } });
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
    done() { clearInterval(stall); self.fetch = nativeFetch; },
  };
}

/** Pyodide and our wheels, started with integrity checks, progress and a stall timeout. */
async function loadRuntime(manifest, lockText) {
  let shown = 0;
  let finished = false;
  const loader = makeLoader(manifest, (fraction) => {
    if (finished) return;  // downloads still running after a failure report nothing more
    if (fraction - shown >= 0.02 || fraction === 1) {
      shown = fraction;
      progress("runtime", `正在加载核验程序：${Math.round(fraction * 100)}%`, 0.05 + 0.8 * fraction);
    }
  });
  loader.install();
  try {
    const asm = loader.verify("pyodide.asm.mjs");
    const started = loadPyodide({
      indexURL: PYODIDE_URL,
      stdLibURL: PYODIDE_URL + manifest.stdlib,
      lockFileContents: lockText,
      packageBaseUrl: PYODIDE_URL,
      packages: [ENGINE_PACKAGE],
      stdout: () => {},
      stderr: () => {},
    });
    started.catch(() => {});
    const [py] = await Promise.race([Promise.all([started, asm]), loader.failure]);
    return py;
  } finally {
    finished = true;
    loader.done();
  }
}

async function start() {
  const t0 = performance.now();
  if (typeof WebAssembly !== "object") {
    throw new Error("此浏览器不支持 WebAssembly，无法在本机运行核验程序。");
  }
  progress("runtime", "正在加载 Python 运行环境…", 0.05);
  const manifest = JSON.parse(await fetchText(PYODIDE_URL + "runtime.json", "运行环境清单"));
  const lockText = fetchText(PYODIDE_URL + LOCK_NAME, "运行环境清单");
  const bundleText = fetchText(BUNDLE_URL, "通知规则数据");
  bundleText.catch(() => {});
  pyodide = await loadRuntime(manifest, await lockText);
  // Pyodide reports a wheel that fails its sha256 check (or cannot be downloaded) only on the
  // console and goes on: refuse to run unless every package of the lock file is installed.
  const lock = JSON.parse(await lockText);
  const missing = Object.keys(lock.packages).filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length) {
    throw new Error("以下运行环境文件下载失败或未通过 sha256 校验：" + missing.join("、"));
  }
  progress("engine", "正在载入核验规则…", 0.9);
  pyodide.globals.set("_bundle_text", await bundleText);
  const tGlue = performance.now();
  pyodide.runPython(GLUE);
  const tDone = performance.now();
  const engineApi = pyodide.globals.get("API");
  api = { call: engineApi.call_json };
  progress("ready", "核验程序已就绪", 1);
  return {
    pyodide: pyodide.version,
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    seconds: Math.round(tDone - t0) / 1000,
    // Where the time went (ms): Pyodide with the wheels, then the bundle and engine import.
    stages: { runtime: Math.round(tGlue - t0), engine: Math.round(tDone - tGlue) },
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
      startPromise = start().then(
        (info) => post("loaded", null, info),
        (err) => post("error", null, {
          message: "核验程序加载失败：" + (err && err.message ? err.message : String(err)),
          detail: err && err.stack ? String(err.stack) : "",
        }),
      );
    }
    return;
  }
  if (!api) {
    post("failure", id, { message: "核验程序尚未就绪", problems: [] });
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
