// The service worker (sw.js at the site root) is installed by the check page, once its validator
// has loaded (or failed): the first visit of check/ is what makes the site work offline, and it
// says so beforehand. Other pages download nothing for offline use — a reader who only opens a
// notice page on mobile data pays neither sw.js nor its file lists. A page the worker already
// controls is kept as it is served (see sw.js); a page read before the worker existed is
// remembered here (its address only, in localStorage) and kept, with the files it loaded, when
// the check page installs the worker.

const root = new URL("../../", import.meta.url).href;
const REMEMBERED = "zc-offline-remembered";
const REMEMBER_MAX = 30;

function remembered() {
  try {
    const list = JSON.parse(localStorage.getItem(REMEMBERED) || "[]");
    return Array.isArray(list) ? list.filter((url) => typeof url === "string" && url.startsWith(root)) : [];
  } catch (err) {
    return [];
  }
}

function rememberThisPage() {
  const url = window.location.href.split("#")[0];
  try {
    const list = remembered().filter((u) => u !== url);
    list.push(url);
    localStorage.setItem(REMEMBERED, JSON.stringify(list.slice(-REMEMBER_MAX)));
  } catch (err) {
    // storage full or disabled: the page is simply not kept
  }
}

function keepPages() {
  navigator.serviceWorker.ready.then(function (reg) {
    const urls = remembered();
    if (!navigator.serviceWorker.controller) {
      // This page itself was loaded before the worker controlled it: it and its files.
      urls.push(window.location.href);
      for (const entry of performance.getEntriesByType("resource")) {
        if (entry.name.startsWith(root)) urls.push(entry.name);
      }
    }
    if (urls.length && reg.active) reg.active.postMessage({ type: "keep", urls: urls });
    try { localStorage.removeItem(REMEMBERED); } catch (err) { /* nothing to forget */ }
  });
}

function register() {
  navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(keepPages, function (err) {
    console.warn("离线功能不可用：" + err.message);
  });
}

function afterLoad() {
  if (window.validator && window.validator.ready) {
    // Only once the validator has loaded: its downloads then go straight to the network, never
    // half through a just-activated worker.
    window.validator.ready.then(register, register);
  } else if (!navigator.serviceWorker.controller) {
    rememberThisPage();
  }
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad);
}
