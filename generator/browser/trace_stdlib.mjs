// Traces which standard-library files Pyodide's start-up and the rules engine import.
//
//   node trace_stdlib.mjs <runtime dir with the FULL python_stdlib.zip> <work.json> <strip_source.py>
//
// work.json: {"bundle": <engine bundle>, "runs": [{"notice", "profile", "today"}...]}.
// Starts Pyodide exactly as the worker does (our archive of precompiled Python on sys.path),
// notes the files Pyodide's start-up alone imported, then runs trace_stdlib.py (beside this
// file: exercises the engine) and prints its JSON answer. Run by generator/browser/stdlib.py.
import { readFileSync } from "node:fs";

const [runtimeDir, workPath, stripPath] = process.argv.slice(2);
const { loadPyodide } = await import(runtimeDir + "/pyodide.mjs");
const manifest = JSON.parse(readFileSync(runtimeDir + "/runtime.json", "utf-8"));
const py = await loadPyodide({ indexURL: runtimeDir + "/", stdout: () => {}, stderr: () => {} });

// What Pyodide's start-up alone has imported (read without importing anything more).
const sys = py.pyimport("sys");
const prefix = `/lib/python${sys.version_info.major}${sys.version_info.minor}.zip/`;
const startup = [];
for (const module of sys.modules.values()) {
  const file = module.__file__;
  if (typeof file === "string" && file.startsWith(prefix)) startup.push(file.slice(prefix.length));
}
startup.sort();

// The archive of precompiled Python, put on sys.path exactly as the worker does.
const archivePath = "/lib/" + manifest.archive;
py.FS.writeFile(archivePath, readFileSync(runtimeDir + "/" + manifest.archive));
sys.path.insert(0, archivePath);

py.runPython(readFileSync(new URL("trace_stdlib.py", import.meta.url), "utf-8"));
try {
  py.globals.get("raise_on_purpose")();
} catch (err) {
  // expected: the conversion of a Python exception to a JavaScript error is traced too
}
const out = py.globals.get("trace")(readFileSync(workPath, "utf-8"), readFileSync(stripPath, "utf-8"),
                                    JSON.stringify([...new Set(startup)]));
console.log(out);
