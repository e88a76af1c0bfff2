// Registers the service worker (sw.js at the site root) once the page has loaded, so that it
// never competes with the page's own downloads. What it caches: see sw.js.

const root = new URL("../../", import.meta.url).href;

function register() {
  navigator.serviceWorker.register(root + "sw.js", { scope: root }).catch((err) => {
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
