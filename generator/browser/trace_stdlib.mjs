// Traces which standard-library files Pyodide's start-up and the rules engine import.
//
//   node trace_stdlib.mjs <runtime dir with the FULL python_stdlib.zip> <work.json>
//
// work.json: {"bundle": <engine bundle>, "runs": [{"notice", "profile", "today"}...]}.
// Starts Pyodide exactly as the worker does (packages from our lock file), imports every module
// of generator.engine, evaluates every run (valid and invalid profiles, so error paths are
// traced too), raises a Python exception into JavaScript, and prints a JSON list of the files
// inside the standard-library zip that were imported, each with its source after
// strip_source.strip (comments and docstrings removed by this very Python version; Pyodide's
// own packages are kept as they are). Run by generator/browser/stdlib.py.
import { readFileSync } from "node:fs";

const [runtimeDir, workPath, stripPath] = process.argv.slice(2);
const { loadPyodide } = await import(runtimeDir + "/pyodide.mjs");
const py = await loadPyodide({
  indexURL: runtimeDir + "/",
  packages: ["zhicheng-engine"],
  stdout: () => {},
  stderr: () => {},
});
py.globals.set("_work_text", readFileSync(workPath, "utf-8"));
py.globals.set("_strip_text", readFileSync(stripPath, "utf-8"));
try {
  py.runPython("raise ValueError('traced on purpose')");
} catch (err) {
  // The conversion of a Python exception to a JavaScript error is part of what we trace.
}
const out = py.runPython(`
import importlib, json, pkgutil, sys
import generator.engine as _engine
for _info in pkgutil.walk_packages(_engine.__path__, "generator.engine."):
    importlib.import_module(_info.name)
from generator.engine import EngineError, evaluate, nth_workday, count_workdays
_work = json.loads(_work_text)
for _run in _work["runs"]:
    try:
        json.dumps(evaluate(_work["bundle"], _run["notice"], _run["profile"],
                            today=_run.get("today")), ensure_ascii=False)
    except EngineError as _err:
        json.dumps(_err.to_dict(), ensure_ascii=False)
for _start in ("2025-09-29", "2026-01-01"):
    nth_workday(_start, 5, _work["bundle"].get("holidays"))
    count_workdays(_start, "2026-12-31", _work["bundle"].get("holidays"))
_prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
_files = sorted({
    m.__file__[len(_prefix):]
    for m in list(sys.modules.values())
    if isinstance(getattr(m, "__file__", None), str) and m.__file__.startswith(_prefix)
})
_strip = {}
exec(_strip_text, _strip)
import zipfile as _zipfile
with _zipfile.ZipFile(_prefix[:-1]) as _zf:
    _sources = {}
    for _name in _files:
        _text = _zf.read(_name).decode("utf-8")
        if not _name.startswith(("pyodide/", "_pyodide/")):
            _text = _strip["strip"](_text)
        _sources[_name] = _text
json.dumps({"files": _files, "sources": _sources}, ensure_ascii=False)
`);
console.log(out);
