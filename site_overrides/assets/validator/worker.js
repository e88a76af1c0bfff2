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

async function start() {
  const t0 = performance.now();
  if (typeof WebAssembly !== "object") {
    throw new Error("此浏览器不支持 WebAssembly，无法在本机运行核验程序。");
  }
  progress("runtime", "正在加载 Python 运行环境（首次约 13 MB，之后使用浏览器缓存）…", 0.05);
  const lockText = fetchText(PYODIDE_URL + "pyodide-lock.json", "运行环境清单");
  const bundleText = fetchText(BUNDLE_URL, "通知规则数据");
  pyodide = await loadPyodide({
    indexURL: PYODIDE_URL,
    lockFileContents: lockText,
    packageBaseUrl: PYODIDE_URL,
    packages: [ENGINE_PACKAGE],
    stdout: () => {},
    stderr: () => {},
  });
  // Pyodide reports a wheel that fails its sha256 check (or cannot be downloaded) only on the
  // console and goes on: refuse to run unless every package of the lock file is installed.
  const lock = JSON.parse(await lockText);
  const missing = Object.keys(lock.packages).filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length) {
    throw new Error("以下运行环境文件下载失败或未通过 sha256 校验：" + missing.join("、"));
  }
  progress("engine", "正在载入核验规则…", 0.85);
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
