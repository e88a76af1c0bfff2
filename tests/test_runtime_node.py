"""The assembled browser runtime, started in Node.js as the worker starts it: Pyodide on the
trimmed standard library, then our archive of precompiled Python on ``sys.path``.

A fast check, without a browser, that the files ``assets/pyodide/`` serves make a working
Python with the engine, jsonschema on the ``rpds`` shim, and chinese_calendar — all imported
from the archive's ``.pyc`` files (no source is shipped) — and that it computes what CPython
computes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.browser import assemble
from generator.engine import nth_workday

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (ROOT / "node_modules" / "pyodide").is_dir(),
    reason="需要 Node.js 和 npm ci 安装的 pyodide（make runtime）",
)

SCRIPT = r"""
const { loadPyodide } = await import(process.argv[2] + "/pyodide.mjs");
const { readFileSync } = await import("node:fs");
const manifest = JSON.parse(readFileSync(process.argv[2] + "/runtime.json", "utf-8"));
const py = await loadPyodide({ indexURL: process.argv[2] + "/",
                               lockFileContents: readFileSync(process.argv[2] + "/pyodide-lock.json", "utf-8"),
                               stdLibURL: process.argv[2] + "/" + manifest.stdlib,
                               stdout: () => {}, stderr: () => {} });
const archivePath = "/lib/" + manifest.archive;
py.FS.writeFile(archivePath, readFileSync(process.argv[2] + "/" + manifest.archive));
py.pyimport("sys").path.insert(0, archivePath);
const out = py.runPython(`
import json, sys
from datetime import date
import datetime, jsonschema, rpds, chinese_calendar, jsonschema_specifications
import generator.engine.api
from generator.engine import EngineError, nth_workday, count_workdays
from generator.engine.profile import validate_profile
schema = json.loads(SCHEMA)
try:
    validate_profile(schema, {"graduated_on": "2025-13-01", "education": "小学"})
    problems = []
except EngineError as err:
    problems = err.problems
try:
    import unittest  # in Pyodide's full standard library, never imported by the engine
    trimmed = False
except ModuleNotFoundError:
    trimmed = True
modules = (generator.engine.api, jsonschema, rpds, chinese_calendar, datetime)
json.dumps({
    "files": [m.__file__ for m in modules],
    "loaders": sorted({type(m.__loader__).__name__ for m in modules}),
    "metaschemas": len(list(jsonschema_specifications.REGISTRY)),
    "trimmed": trimmed,
    "python": sys.version.split()[0],
    "rpds": rpds.__name__ + ":" + type(rpds.HashTrieMap()).__module__,
    "nth": nth_workday(date(2025, 9, 29), 5).isoformat(),
    "count": count_workdays("2025-09-29", "2025-10-10"),
    "problems": problems,
}, ensure_ascii=False)
`.replace("SCHEMA", JSON.stringify(JSON.stringify(JSON.parse(process.argv[3])))));
console.log(out);
"""


def test_assembled_runtime_runs_the_engine_in_node(tmp_path):
    """Pyodide starts on the trimmed standard library (runtime.json's stdlib) and runs the engine."""
    runtime = tmp_path / "pyodide"
    runtime.mkdir()
    for name, data in assemble.runtime_files().items():
        (runtime / name).write_bytes(data)
    script = tmp_path / "smoke.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    schema_text = (ROOT / "schemas" / "applicant.schema.json").read_text(encoding="utf-8")
    proc = subprocess.run([NODE, str(script), str(runtime), schema_text], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert got["python"] == lock["info"]["python"]
    assert got["trimmed"] is True
    # Engine, packages and the engine's standard-library modules come from the archive's .pyc.
    archive = "/lib/" + json.loads((runtime / "runtime.json").read_text(encoding="utf-8"))["archive"]
    assert all(f.startswith(archive + "/") and f.endswith(".pyc") for f in got["files"]), got["files"]
    assert got["loaders"] == ["zipimporter"]
    assert got["metaschemas"] >= 6  # jsonschema_specifications reads its data files from the zip
    assert got["rpds"] == "rpds:pyrsistent_as_rpds.pure"
    assert got["nth"] == nth_workday(date(2025, 9, 29), 5).isoformat() == "2025-10-11"
    assert got["count"] == 4

    from generator.engine import EngineError
    from generator.engine.profile import validate_profile

    with pytest.raises(EngineError) as err:
        validate_profile(json.loads(schema_text), {"graduated_on": "2025-13-01", "education": "小学"})
    assert got["problems"] == err.value.problems
