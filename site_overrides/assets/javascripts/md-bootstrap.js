// Material for MkDocs 9.x bootstrap (its partials/javascripts/base.html), the same code as a file
// so that the Content-Security-Policy can forbid inline scripts. Runs synchronously in <head>.
// The globals are the ones Material's bundle reads (__md_scope, __md_hash, __md_get, __md_set).
(function () {
  var script = document.currentScript;
  var scope = (script && script.getAttribute("data-md-scope")) || "/";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return Array.prototype.reduce.call(e, function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (err) { /* private mode */ }
  };
})();
