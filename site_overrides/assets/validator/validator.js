// window.validator (CONTRACTS §7): the rules engine running in a Web Worker.
//
//   await window.validator.ready;                                  // engine loaded
//   const result = await window.validator.evaluate("2025-bortala", profile);
//
// evaluate() resolves with the result object of CONTRACTS §6, computed by the same Python code
// as `python -m generator eligibility --json`; it rejects with an Error whose message is Chinese
// (err.problems lists {field, message}) for an unknown notice or an invalid profile, and for a
// notice whose rules cannot be loaded (a missing or corrupt data/engine/<id>.json).
// The page never blocks: all Python runs in the worker. The worker loads a notice's rules when
// it is first asked about; the notice in the address (?notice=) is fetched from the start, and
// window.validator.prefetch(id) fetches another ahead of time.
(function () {
  "use strict";

  var script = document.currentScript;
  var workerURL = new URL("worker.js", script ? script.src : location.href).href;
  var listeners = [];
  var pending = new Map();
  var nextId = 1;
  var worker = null;
  var state = { status: "loading", progress: null, info: null, error: null };

  function emit() {
    listeners.forEach(function (fn) {
      try { fn(state); } catch (err) { console.error(err); }
    });
  }

  function fail(message) {
    state = { status: "error", progress: state.progress, info: null, error: message };
    pending.forEach(function (p) { p.reject(new Error(message)); });
    pending.clear();
    emit();
  }

  var readyResolve, readyReject;
  var ready = new Promise(function (resolve, reject) {
    readyResolve = resolve;
    readyReject = reject;
  });
  // The page shows the error itself; avoid "unhandled rejection" noise for listeners-only use.
  ready.catch(function () {});

  function problemError(data) {
    var err = new Error((data && data.message) || "核验失败");
    err.problems = (data && data.problems) || [];
    if (data && data.internal) err.internal = true;
    return err;
  }

  function start() {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      var msg = "此浏览器不支持 WebAssembly 或 Web Worker，无法在本机运行核验程序。";
      fail(msg);
      readyReject(new Error(msg));
      return;
    }
    try {
      worker = new Worker(workerURL, { type: "module" });
    } catch (err) {
      var m = "无法启动核验程序：" + err.message;
      fail(m);
      readyReject(new Error(m));
      return;
    }
    worker.onmessage = function (event) {
      var msg = event.data || {};
      if (msg.type === "progress") {
        if (state.status !== "loading") return;  // a late download after an error or ready
        state = { status: "loading", progress: msg.data, info: null, error: null };
        emit();
      } else if (msg.type === "loaded") {
        msg.data.readyAt = performance.now();  // ms since navigation start (benchmarks)
        state = { status: "ready", progress: null, info: msg.data, error: null };
        readyResolve(msg.data);
        emit();
      } else if (msg.type === "error") {
        fail(msg.data.message);
        readyReject(new Error(msg.data.message));
      } else if (msg.type === "result" || msg.type === "failure") {
        var p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.type === "result") p.resolve(msg.data);
        else p.reject(problemError(msg.data));
      }
    };
    worker.onerror = function (event) {
      event.preventDefault();
      var m = "核验程序加载失败：" + (event.message || "无法载入 worker 脚本");
      fail(m);
      readyReject(new Error(m));
    };
    // runtime.json of this build, carried by the page (main.html): the worker need not fetch it.
    var carried = document.getElementById("zc-runtime");
    var manifest = null;
    try { manifest = carried ? JSON.parse(carried.textContent) : null; } catch (err) { manifest = null; }
    // The notice in the address: the worker fetches its rules while the runtime loads.
    var wanted = null;
    try { wanted = new URLSearchParams(location.search).get("notice"); } catch (err) { /* no URL API */ }
    worker.postMessage({ type: "start", id: 0, data: { manifest: manifest, notice: wanted } });
  }

  function request(type, data) {
    return ready.then(function () {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        pending.set(id, { resolve: resolve, reject: reject });
        worker.postMessage({ type: type, id: id, data: data });
      });
    });
  }

  window.validator = {
    ready: ready,
    /** The result object of CONTRACTS §6. options.today (YYYY-MM-DD) adds the window status. */
    evaluate: function (noticeId, profile, options) {
      var data = { notice: noticeId, profile: profile === undefined ? null : profile };
      if (options && options.today) data.today = options.today;
      return request("evaluate", data);
    },
    /** Working days of [start, end] and the date of the count-th working day from start. */
    workdays: function (start, end, count) {
      return request("workdays", { start: start, end: end || null, count: count || null });
    },
    /** Fetches the rules of notice noticeId now (e.g. the one just chosen), so that its first
     *  evaluate() does not wait for them; nothing is returned, errors come with evaluate(). */
    prefetch: function (noticeId) {
      if (worker && typeof noticeId === "string") worker.postMessage({ type: "prefetch", id: 0, data: { notice: noticeId } });
    },
    /** fn(state) on every change: {status: loading|ready|error, progress, info, error}. */
    subscribe: function (fn) {
      listeners.push(fn);
      fn(state);
      return function () { listeners = listeners.filter(function (f) { return f !== fn; }); };
    },
    get state() { return state; },
  };

  start();
})();
