// Material's bundle, deferred on pages whose validator starts with the page (the check page).
//
// Measured in Chromium on a 2-core machine (main-thread CPU until the validator is ready): the
// bundle costs ≈ 250 ms there — evaluating 114 KB, its DOMContentLoaded work and the restyle it
// causes — all of it competing with Pyodide's start in the worker. The page does not need it to be
// read: the drawer and navigation are CSS, the header search and the check form are our own
// scripts. So it is loaded once the validator is ready (or failed), or at once when the person
// first presses a key, clicks or touches the page (palette toggle, tooltips, back-to-top and the
// table of contents following the scroll come with it).
//
// The bundle waits for DOMContentLoaded, which has long fired by then: the listener it adds while
// it is evaluated is kept and called once it has run. A colour scheme chosen before it came is
// handed to it (a change event on the checked toggle), so the choice is applied and saved.
(function () {
  "use strict";

  var script = document.currentScript;
  var src = script && script.getAttribute("data-bundle");
  var TRIGGERS = ["pointerdown", "keydown", "touchstart"];
  var loaded = false;

  function runCaptured(captured) {
    var event = new Event("DOMContentLoaded");
    captured.forEach(function (listener) {
      try {
        if (typeof listener === "function") listener.call(document, event);
        else if (listener && typeof listener.handleEvent === "function") listener.handleEvent(event);
      } catch (err) {
        console.error(err);
      }
    });
  }

  function handPalette() {
    var checked = document.querySelector("input[name='__palette']:checked");
    if (!checked) return;
    var scheme = checked.getAttribute("data-md-color-scheme");
    if (scheme && document.body.getAttribute("data-md-color-scheme") !== scheme) {
      checked.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function load() {
    if (loaded || !src) return;
    loaded = true;
    TRIGGERS.forEach(function (type) { window.removeEventListener(type, load, true); });
    var captured = [];
    var add = document.addEventListener;
    document.addEventListener = function (type, listener) {
      if (type === "DOMContentLoaded") {
        captured.push(listener);
        return undefined;
      }
      return add.apply(this, arguments);
    };
    var element = document.createElement("script");
    element.src = src;
    element.onload = function () {
      document.addEventListener = add;
      runCaptured(captured);
      handPalette();
    };
    element.onerror = function () {
      document.addEventListener = add;
      console.warn("未能载入页面组件脚本：" + src);
    };
    document.body.appendChild(element);
  }

  function whenIdle() {
    // After the first verdict has been drawn, not in its way.
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(load, { timeout: 1000 });
    else window.setTimeout(load, 0);
  }

  TRIGGERS.forEach(function (type) { window.addEventListener(type, load, { capture: true, passive: true }); });
  if (window.validator && window.validator.ready) window.validator.ready.then(whenIdle, whenIdle);
  else load();
})();
