// ESLint (flat config) for every JavaScript file of this project; run by `make lint-js` and by
// tests/test_lint_js.py (so by `make test-fast`, `make test` and CI). Pinned in package.json.
// Not linted: node_modules, the built site, downloaded runtimes and vendored libraries (Pyodide,
// fflate, read-excel-file and Pagefind are copied from node_modules or generated at build time).
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

// Pages never build HTML from strings: DOM nodes and textContent only (lib/dom.js el()).
const noHtmlStrings = ["error",
  { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: "用 lib/dom.js 的 el() 或 textContent 构建节点，不要写 innerHTML/outerHTML。" },
  { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]", message: "用 lib/dom.js 的 el() 构建节点，不要拼接 HTML。" },
];

module.exports = [
  { ignores: ["node_modules/", "site/", ".cache/", ".venv/", "bench-results/", "**/vendor/"] },
  js.configs.recommended,
  {
    // Defaults: the site's scripts are ES modules in the browser.
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_|^err$" }],
      "no-restricted-syntax": noHtmlStrings,
    },
  },
  {
    // The page modules (lib/ helpers, page scripts, the check page): modern syntax throughout.
    files: ["site_overrides/assets/javascripts/**/*.js", "site_overrides/assets/validator/check.js"],
    ignores: ["site_overrides/assets/javascripts/md-*.js"],
    rules: { "no-var": "error", "prefer-const": "error", eqeqeq: ["error", "always", { null: "ignore" }] },
  },
  {
    // Classic scripts that must run synchronously where they stand (a module is deferred):
    // Material's bootstraps in <head> and after the palette toggle, and validator.js, which
    // defines window.validator before the check page's module and offline.js read it.
    files: ["site_overrides/assets/javascripts/md-*.js", "site_overrides/assets/validator/validator.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    // The validator's Web Worker (a module worker, site_overrides/assets/validator/validator.js).
    files: ["site_overrides/assets/validator/worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // The service worker (registered as a classic script by offline.js).
    files: ["site_overrides/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    // Node.js scripts of the build (the stdlib tracer) and this file.
    files: ["generator/**/*.mjs", "benchmarks/**/*.js", "benchmarks/**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
