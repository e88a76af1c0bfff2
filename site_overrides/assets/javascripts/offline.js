// Registers the service worker (sw.js at the site root) once the page has loaded, so that it
// never competes with the page's own downloads. What it caches: see sw.js.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href).href;
  function register() {
    navigator.serviceWorker.register(root + "sw.js", { scope: root }).catch(function (err) {
      console.warn("离线功能不可用：" + err.message);
    });
  }
  if (document.readyState === "complete") setTimeout(register, 0);
  else window.addEventListener("load", function () { setTimeout(register, 0); });
})();
