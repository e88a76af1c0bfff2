"""One archive of precompiled Python for the browser: the engine and its pure-Python dependencies.

Instead of several wheels that Pyodide would download, unpack with Python (zipfile, shutil) and
then compile module by module from source on every visit, the worker downloads one stored zip of
``.pyc`` files — ``generator/__init__.py`` and ``generator/engine/**`` (the very code of the CLI),
the pinned wheels of ``browser-requirements.txt`` (jsonschema, referencing, attrs, pyrsistent,
chinese_calendar …), the ``rpds`` shim, and the standard-library modules that only the engine
imports (``stdlib.split``; Pyodide's start-up modules stay in the trimmed stdlib zip, which the
bare-Pyodide floor loads too) — checks its sha256, writes it to Pyodide's file system
and puts it on ``sys.path`` (``zipimport``). Test and benchmark folders, type stubs and
``.dist-info`` are left out. The metaschemas of jsonschema_specifications, which it reads at import
through importlib.resources (importlib.resources, zipfile's reader and a code page: about a quarter
of importing jsonschema in Pyodide), are embedded in its ``_core`` module instead
(``embed_specifications``: the same ``_schemas()`` of the same contents).

The ``.pyc`` files are compiled by Pyodide's own CPython in Node.js (``compile_pyc.mjs``), from
the sources without comments and docstrings (``strip_source.py``, which keeps the code's syntax
tree); the
result is cached in ``.cache/runtime/`` under a hash of every input (sources, the Pyodide version,
the compiler script), so a changed engine is recompiled at the next build and never served stale.
The zip is stored, not deflated, with sorted entries and fixed time stamps: brotli/gzip compress
across files on the wire, and equal inputs give an equal file (and file name).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from generator.browser.inputs import engine_sources, pinned_wheels, pyodide_dir, read_npm_lock
from generator.browser.wheels import ROOT, ZIP_DATE, engine_files, rpds_shim_wheel
from generator.errors import UserError

PREFIX = "zhicheng-engine-"
CACHE_DIR = Path(".cache") / "runtime"
COMPILER = Path(__file__).with_name("compile_pyc.mjs")
COMPILER_PY = Path(__file__).with_name("compile_pyc.py")
STRIPPER = Path(__file__).with_name("strip_source.py")
# Folders of the pinned packages that no import of the engine reaches.
SKIP_DIRS = {"tests", "benchmarks"}
SKIP_SUFFIXES = (".pyi", "py.typed")


SPECIFICATIONS = "jsonschema_specifications/"
SPECIFICATIONS_CORE = '''"""jsonschema_specifications._core as shipped to the browser (generator/browser/archive.py):
the package's schema files, embedded instead of read through importlib.resources."""

import json

from referencing import Resource

_CONTENTS = json.loads({contents!r})


def _schemas():
    """All schemas we ship."""
    for contents in _CONTENTS:
        yield Resource.from_contents(contents)
'''


def embed_specifications(files: dict[str, bytes]) -> None:
    """Moves jsonschema_specifications' schema files into its ``_core`` module (in place)."""
    prefix = SPECIFICATIONS + "schemas/"
    names = sorted(n for n in files if n.startswith(prefix) and not n.rsplit("/", 1)[-1].startswith("."))
    if not names or SPECIFICATIONS + "_core.py" not in files:
        raise UserError(
            "jsonschema_specifications 的结构已变化（找不到 schemas/ 或 _core.py）：请更新 generator/browser/archive.py"
        )
    contents = [json.loads(files.pop(name).decode("utf-8")) for name in names]
    text = json.dumps(contents, ensure_ascii=False, separators=(",", ":"))
    files[SPECIFICATIONS + "_core.py"] = SPECIFICATIONS_CORE.format(contents=text).encode("utf-8")


def file_name(data: bytes) -> str:
    return f"{PREFIX}{hashlib.sha256(data).hexdigest()[:16]}.zip"


def sources(root: Path = ROOT, requirements: Path | None = None, cache: Path | None = None) -> dict[str, bytes]:
    """``{path inside the archive: bytes}`` before compilation: packages, shim and engine."""

    files: dict[str, bytes] = {}
    for wheel in [*pinned_wheels(root, requirements, cache), rpds_shim_wheel()]:
        with zipfile.ZipFile(io.BytesIO(wheel.data)) as zf:
            for name in zf.namelist():
                parts = name.split("/")
                if (
                    name.endswith("/")
                    or ".dist-info" in parts[0]
                    or name.endswith(SKIP_SUFFIXES)
                    or SKIP_DIRS.intersection(parts[:-1])
                ):
                    continue
                files[name] = zf.read(name)
    embed_specifications(files)
    files.update(engine_files(root))
    return files


def _key(files: dict[str, bytes], pyodide_version: str) -> str:
    digest = hashlib.sha256(pyodide_version.encode() + b"\0")
    for path in (COMPILER, COMPILER_PY, STRIPPER):
        digest.update(path.read_bytes() + b"\0")
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:20]


def compile_sources(py_sources: dict[str, str], pyodide_dir: Path) -> dict[str, bytes]:
    """``{path.py: source}`` → ``{path.py: .pyc bytes}``, compiled by Pyodide's CPython in Node."""
    node = shutil.which("node")
    if node is None:
        raise UserError("需要 Node.js 才能为浏览器预编译 Python 模块（make runtime）")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "sources.json", Path(tmp) / "pyc.json"
        src.write_text(json.dumps(py_sources, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(
            [node, str(COMPILER), str(pyodide_dir), str(src), str(out)], capture_output=True, text=True, timeout=300
        )
        if proc.returncode != 0:
            raise UserError("在 Pyodide 中预编译 Python 模块失败：\n" + proc.stderr[-2000:])
        compiled = json.loads(out.read_text(encoding="utf-8"))
    return {path: base64.b64decode(text) for path, text in compiled.items()}


def pack(files: dict[str, bytes]) -> bytes:
    """A stored, reproducible zip of ``files`` (sorted, fixed time stamps)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, files[name])
    return out.getvalue()


def build(
    root: Path = ROOT, requirements: Path | None = None, cache_dir: Path | None = None, with_stdlib: bool = True
) -> bytes:
    """The archive's bytes: from the cache when every input is unchanged, else compiled anew.

    ``requirements`` and ``cache_dir`` (the wheels) default to those of ``make runtime``;
    ``with_stdlib=False`` leaves the engine's standard-library modules out (used only to trace
    which ones they are).
    """

    files = sources(root, requirements, cache_dir)
    if with_stdlib:
        for name, text in engine_sources(root).items():
            if name in files:
                raise UserError(f"{name} 既是标准库模块又在浏览器依赖里")
            files[name] = text.encode("utf-8")
    version = read_npm_lock(root)["info"].get("version", "")
    cache = root / CACHE_DIR
    cached = cache / f"archive-{_key(files, version)}.zip"
    if cached.is_file():
        return cached.read_bytes()
    compiled = compile_sources(
        {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".py")}, pyodide_dir(root)
    )
    entries = {}
    for name, data in files.items():
        if name.endswith(".py"):
            entries[name[:-3] + ".pyc"] = compiled[name]
        else:
            entries[name] = data
    data = pack(entries)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("archive-*.zip"):
        old.unlink()
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(cached)
    return data
