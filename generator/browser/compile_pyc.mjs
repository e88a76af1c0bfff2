// Compiles Python sources to .pyc in Pyodide itself (the interpreter that will load them).
//
//   node compile_pyc.mjs <directory of pyodide.mjs> <sources.json> <out.json>
//
// sources.json: {path: source text}; out.json: {path: base64 .pyc}. The Python side is
// compile_pyc.py beside this file. Run by generator/browser/archive.py (make runtime, site build).
import { readFileSync, writeFileSync } from "node:fs";

const [pyodideDir, sourcesPath, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const py = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: () => {} });
py.globals.set("_sources_text", readFileSync(sourcesPath, "utf-8"));
py.globals.set("_strip_text", readFileSync(new URL("strip_source.py", import.meta.url), "utf-8"));
const out = py.runPython(readFileSync(new URL("compile_pyc.py", import.meta.url), "utf-8"));
writeFileSync(outPath, out);
