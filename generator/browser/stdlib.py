"""A trimmed Python standard library for the browser: only what Pyodide and the engine import.

Pyodide's ``python_stdlib.zip`` is 2.4 MB of already-deflated files, so no HTTP compression
shrinks it. ``make runtime`` runs ``python -m generator.browser.stdlib``: it starts the assembled
runtime (with the full zip) in Node.js, lets Pyodide start, notes what its start-up imported,
puts our archive on ``sys.path``, imports every module of ``generator.engine`` and evaluates
every profile of ``tests/cases`` (valid and invalid) — see ``trace_stdlib.mjs`` — and records
the standard-library files that were imported. Comments and docstrings are removed
(``strip_source.py``). The files split in two:

* what Pyodide's start-up imports (and submodules of the packages it imported, which Python
  finds only beside their package) stays source in the trimmed zip, **stored** (not deflated)
  so that brotli/gzip compress across files on the wire, with sorted entries and fixed
  timestamps (reproducible). The worker loads it through Pyodide's ``stdLibURL`` under a
  content-hashed name; the benchmark's bare-Pyodide floor loads the very same file.
* what only the engine imports (json, datetime, dataclasses …) goes, precompiled, into the
  archive (``archive.py``) — it is listed with its text in ``.cache/runtime/stdlib-engine.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from generator.browser.inputs import CACHE_DIR, ENGINE_NAME, TRIMMED_NAME, engine_sources, trimmed_path  # noqa: F401
from generator.browser.wheels import ROOT, ZIP_DATE
from generator.errors import UserError

LIST_NAME = "stdlib-files.json"
TRACER = Path(__file__).with_name("trace_stdlib.mjs")
STRIPPER = Path(__file__).with_name("strip_source.py")
# Imported by Pyodide only on paths the trace cannot provoke without breaking the runtime
# (e.g. a KeyboardInterrupt); tiny, so they are always kept.
ALWAYS = (
    "encodings/__init__.py",
    "encodings/aliases.py",
    "encodings/utf_8.py",
    "encodings/ascii.py",
    "encodings/latin_1.py",
)


def split(files: list[str], startup: list[str]) -> tuple[list[str], list[str]]:
    """(stays in the stdlib zip, goes precompiled into the archive).

    A file goes to the archive only when start-up did not import its top-level module or
    package: Python looks for a submodule only beside its package, so ``importlib.resources``
    must stay where ``importlib`` was found.
    """
    started = {name.split("/")[0].removesuffix(".py") for name in startup}
    keep, move = [], []
    for name in files:
        top = name.split("/")[0].removesuffix(".py")
        (keep if name in startup or top in started else move).append(name)
    return keep, move


def trim(full_zip: bytes, keep: list[str], sources: dict[str, str] | None = None) -> bytes:
    """A stored, reproducible zip holding the files ``keep`` of ``full_zip`` (and ALWAYS).

    ``sources`` replaces a file's text (the tracer's copy without comments and docstrings).
    """
    sources = sources or {}
    wanted = sorted(set(keep) | set(ALWAYS))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full_zip)) as src, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as dst:
        present = set(src.namelist())
        missing = [name for name in wanted if name not in present]
        if missing:
            raise UserError("标准库中找不到这些被导入的文件：" + "、".join(missing))
        for name in wanted:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED
            data = sources[name].encode("utf-8") if name in sources else src.read(name)
            dst.writestr(info, data)
    return out.getvalue()


def _trace_runs(root: Path, bundle: dict) -> list[dict]:
    """Every profile of tests/cases (if present), an empty and an invalid one, for every notice."""
    runs = []
    cases_dir = root / "tests" / "cases"
    if cases_dir.is_dir():
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=True)
        for path in sorted(cases_dir.glob("*.yaml")):
            for case in yaml.load(path.read_text(encoding="utf-8")) or []:
                if isinstance(case, dict) and "notice" in case and "input" in case:
                    runs.append(
                        {
                            "notice": case["notice"],
                            "profile": json.loads(json.dumps(case["input"], default=str)),
                            "today": case.get("today"),
                        }
                    )
    for notice in bundle["notices"]:
        runs.append({"notice": notice, "profile": {}, "today": "2025-10-01"})
        runs.append({"notice": notice, "profile": {"graduated_on": "2025-13-01", "education": "小学"}})
    runs.append({"notice": "no-such-notice", "profile": {}})
    return [{**r, "today": str(r["today"]) if r.get("today") else None} for r in runs]


def trace(root: Path = ROOT) -> dict:
    """The standard-library files imported in Pyodide by start-up and the engine.

    ``{"files": [names], "startup": [names imported by start-up alone],
    "sources": {name: text without comments and docstrings}}``.
    """
    from generator.browser.assemble import runtime_files
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    node = shutil.which("node")
    if node is None:
        raise UserError("需要 Node.js 才能裁剪浏览器用的 Python 标准库（make runtime）")
    bundle = build_bundle(load_content(root / "content"))
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp) / "pyodide"
        runtime.mkdir()
        for name, data in runtime_files(root, full_stdlib=True).items():
            (runtime / name).write_bytes(data)
        work = Path(tmp) / "work.json"
        work.write_text(
            json.dumps({"bundle": bundle, "runs": _trace_runs(root, bundle)}, ensure_ascii=False), encoding="utf-8"
        )
        proc = subprocess.run(
            [node, str(TRACER), str(runtime), str(work), str(STRIPPER)], capture_output=True, text=True, timeout=300
        )
    if proc.returncode != 0:
        raise UserError("在 Pyodide 中追踪标准库导入失败：\n" + proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build(root: Path = ROOT) -> tuple[Path, list[str]]:
    from generator.browser.assemble import pyodide_dir

    traced = trace(root)
    files, moved = split(traced["files"], traced["startup"])
    full = (pyodide_dir(root) / "python_stdlib.zip").read_bytes()
    data = trim(full, files, traced["sources"])
    dest = trimmed_path(root)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    (dest.parent / LIST_NAME).write_text(json.dumps(files, indent=1) + "\n", encoding="utf-8")
    (dest.parent / ENGINE_NAME).write_text(
        json.dumps({name: traced["sources"][name] for name in moved}, ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    return dest, files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.browser.stdlib",
        description="在 Pyodide 中追踪导入，生成只含所需模块的 python_stdlib.zip（.cache/runtime/）",
    )
    parser.parse_args(argv)
    try:
        dest, files = build()
    except UserError as err:
        print(err, file=sys.stderr)
        return 1
    full = (ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").stat().st_size
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()[:12]
    print(
        f"已裁剪 Python 标准库：{len(files)} 个文件，{dest.stat().st_size / 1e6:.2f} MB（未压缩存储；"
        f"原 {full / 1e6:.2f} MB），sha256 {digest}…（{dest}）"
    )
    from generator.browser import archive

    try:
        data = archive.build()
    except UserError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"已预编译核验程序归档：{archive.file_name(data)}，{len(data) / 1e6:.2f} MB（未压缩存储）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
