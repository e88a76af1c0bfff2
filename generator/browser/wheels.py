"""Builds our two small pure wheels directly with zipfile (no network, no build isolation).

* ``zhicheng-engine``: ``generator/__init__.py`` and ``generator/engine/**`` — the very code the
  CLI runs. Its version carries a hash of the content (``0.1.0.post<hash as integer>``), so a changed engine is a
  new file name and no browser cache can serve a stale wheel against a new lock file.
* ``rpds-shim``: a two-line ``rpds`` module re-exporting ``pyrsistent_as_rpds.pure`` so that
  jsonschema/referencing run on Pyodide, where rpds-py has no wasm wheel.

Both are reproducible: sorted entries, fixed timestamps, so equal inputs give equal sha256.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZIP_DATE = (2020, 2, 2, 0, 0, 0)

RPDS_SHIM = (
    '"""rpds-py stand-in for Pyodide: the pure persistent structures of pyrsistent."""\n'
    "from pyrsistent_as_rpds.pure import *  # noqa: F401,F403  (HashTrieMap, HashTrieSet, List, Queue)\n"
)


@dataclass
class Wheel:
    """A wheel file plus what the Pyodide lock file needs to know about it."""

    name: str  # normalized distribution name, the key in pyodide-lock.json
    version: str
    file_name: str
    data: bytes
    imports: list[str]
    depends: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(dist: str, version: str, files: dict[str, bytes], requires: list[str], summary: str) -> bytes:
    """A minimal, valid, reproducible ``py3-none-any`` wheel holding ``files``."""
    dist_info = f"{dist.replace('-', '_')}-{version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {dist}",
        f"Version: {version}",
        f"Summary: {summary}",
        "Requires-Python: >=3.11",
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    entries = dict(sorted(files.items()))
    entries[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    entries[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: generator.browser.wheels\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record_name = f"{dist_info}/RECORD"
    record_lines = [f"{name},{_record_hash(data)},{len(data)}" for name, data in entries.items()]
    record_lines.append(f"{record_name},,")
    entries[record_name] = ("\n".join(record_lines) + "\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def engine_files(root: Path = ROOT) -> dict[str, bytes]:
    """``generator/__init__.py`` and every ``.py`` file under ``generator/engine/``."""
    package = root / "generator"
    files = {"generator/__init__.py": (package / "__init__.py").read_bytes()}
    for path in sorted((package / "engine").rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _package_version(root: Path) -> str:
    text = (root / "generator" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    return match.group(1) if match else "0.0.0"


def engine_wheel(root: Path = ROOT) -> Wheel:
    files = engine_files(root)
    content_hash = hashlib.sha256()
    for name, data in sorted(files.items()):
        content_hash.update(name.encode() + b"\0" + data + b"\0")
    # A post-release number from the code's hash: no "+" in the file name (some static hosts
    # read "+" in a URL path as a space), and a new file name whenever the engine changes.
    version = f"{_package_version(root)}.post{int(content_hash.hexdigest()[:10], 16)}"
    name = "zhicheng-engine"
    data = build_wheel(
        name, version, files, ["jsonschema", "chinesecalendar"], "新疆职称申报资格核验规则引擎（与命令行同一份代码）"
    )
    return Wheel(
        name=name,
        version=version,
        file_name=f"zhicheng_engine-{version}-py3-none-any.whl",
        data=data,
        imports=["generator"],
        depends=["jsonschema", "chinesecalendar"],
    )


def rpds_shim_wheel() -> Wheel:
    name, version = "rpds-shim", "1.0.0"
    data = build_wheel(
        name,
        version,
        {"rpds.py": RPDS_SHIM.encode()},
        ["pyrsistent-as-rpds-py", "pyrsistent"],
        "rpds 模块的纯 Python 替身（pyrsistent_as_rpds.pure）",
    )
    return Wheel(
        name=name,
        version=version,
        file_name=f"rpds_shim-{version}-py3-none-any.whl",
        data=data,
        imports=["rpds"],
        depends=["pyrsistent-as-rpds-py", "pyrsistent"],
    )
