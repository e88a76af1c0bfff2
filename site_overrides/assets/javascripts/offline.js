// Registers the service worker (sw.js at the site root) once the page has loaded, so that it
// never competes with the page's own downloads. What it caches: see sw.js. A page loaded before
// the worker controlled it (the first page of a first visit) then asks the worker to keep it and
// the files it loaded, as the worker keeps every page it serves: a page read online opens offline.

const root = new URL("../../", import.meta.url).href;

function keepThisPage() {
  if (navigator.serviceWorker.controller) return;  // served through the worker: already kept
  navigator.serviceWorker.ready.then(function (reg) {
    const urls = [window.location.href];
    for (const entry of performance.getEntriesByType("resource")) {
      if (entry.name.startsWith(root)) urls.push(entry.name);
    }
    if (reg.active) reg.active.postMessage({ type: "keep", urls: urls });
  });
}

function register() {
  navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(keepThisPage, function (err) {
    console.warn("离线功能不可用：" + err.message);
  });
}

function afterLoad() {
  // On the check page, only once the validator has loaded (or failed): the worker's first
  // downloads then go straight to the network, never half through a just-activated worker.
  if (window.validator && window.validator.ready) window.validator.ready.then(register, register);
  else setTimeout(register, 0);
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad);
}
