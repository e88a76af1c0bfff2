"""Run inside Pyodide by ``trace_stdlib.mjs``: exercises the engine and lists the imported files.

``trace(work_text, strip_text, startup_json)`` imports every module of ``generator.engine``,
evaluates every run of ``work_text`` (valid and invalid profiles, so error paths are traced
too) and the working-day functions, and returns JSON ``{"files", "startup", "sources"}``: the
standard-library files imported by now, those Pyodide's start-up alone had imported, and each
file's text after ``strip_source.strip`` (Pyodide's own packages are kept as they are).
"""

import importlib
import json
import pkgutil
import sys
import zipfile

PREFIX = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"


def raise_on_purpose():
    """The conversion of a Python exception into a JavaScript error is traced too."""
    raise ValueError("traced on purpose")


def stdlib_files():
    return sorted(
        {
            m.__file__[len(PREFIX) :]
            for m in list(sys.modules.values())
            if isinstance(getattr(m, "__file__", None), str) and m.__file__.startswith(PREFIX)
        }
    )


def exercise(work):
    import generator.engine as engine

    for info in pkgutil.walk_packages(engine.__path__, "generator.engine."):
        importlib.import_module(info.name)
    from generator.engine import EngineError, count_workdays, evaluate, nth_workday
    from generator.engine.api import Api

    for run in work["runs"]:
        try:
            json.dumps(
                evaluate(work["bundle"], run["notice"], run["profile"], today=run.get("today")), ensure_ascii=False
            )
        except EngineError as err:
            json.dumps(err.to_dict(), ensure_ascii=False)
    for start in ("2025-09-29", "2026-01-01"):
        nth_workday(start, 5, work["bundle"].get("holidays"))
        count_workdays(start, "2026-12-31", work["bundle"].get("holidays"))
    api = Api(json.dumps(work["bundle"], ensure_ascii=False))
    api.call_json(json.dumps({"type": "workdays", "data": {"start": "2025-09-29", "count": 5}}))


def trace(work_text, strip_text, startup_json):
    exercise(json.loads(work_text))
    files = stdlib_files()
    strip = {}
    exec(strip_text, strip)
    sources = {}
    with zipfile.ZipFile(PREFIX[:-1]) as zf:
        for name in files:
            text = zf.read(name).decode("utf-8")
            if not name.startswith(("pyodide/", "_pyodide/")):
                text = strip["strip"](text)
            sources[name] = text
    return json.dumps({"files": files, "startup": json.loads(startup_json), "sources": sources}, ensure_ascii=False)
