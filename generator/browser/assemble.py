"""Gathers the files the site serves under ``assets/pyodide/`` and writes their lock file.

``runtime_files(root)`` returns ``{file name: bytes}``: the Pyodide core from the exactly pinned
npm package, the pinned wheels from the ``make runtime`` cache (sha256 checked again here), the
engine wheel and the ``rpds`` shim wheel, and ``pyodide-lock.json`` listing every wheel with its
sha256, dependencies and imports, so that Pyodide refuses any file that does not match.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from io import BytesIO
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PkgRequirement

from generator.browser.fetch import find_cached
from generator.browser.requirements import normalize, parse_requirements
from generator.browser.wheels import ROOT, Wheel, engine_wheel, rpds_shim_wheel
from generator.errors import UserError

CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB_NAME = "python_stdlib.zip"
LOCK_NAME = "pyodide-lock.json"
MANIFEST_NAME = "runtime.json"
ENGINE_PACKAGE = "zhicheng-engine"
# Where `make runtime` (generator/browser/stdlib.py) writes the trimmed standard library.
STDLIB_CACHE = Path(".cache") / "runtime"


def trimmed_path(root: Path = ROOT) -> Path:
    return root / STDLIB_CACHE / STDLIB_NAME


# Distributions that are provided by another package of ours in the browser.
PROVIDED_BY = {"rpds-py": "rpds-shim"}

MAKE_RUNTIME = "请先运行 make runtime（npm ci 并下载固定版本的 wheel）"


def pyodide_dir(root: Path = ROOT) -> Path:
    return root / "node_modules" / "pyodide"


def read_npm_lock(root: Path = ROOT) -> dict:
    path = pyodide_dir(root) / LOCK_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise UserError(f"找不到 Pyodide 核心（{path}）：{MAKE_RUNTIME}") from None
    except ValueError as err:
        raise UserError(f"{path}: Pyodide 锁文件不是有效 JSON：{err}") from None


def _metadata(data: bytes, file_name: str) -> tuple[list[str], list[str]]:
    """(Requires-Dist lines, top-level import names) of a wheel."""
    with zipfile.ZipFile(BytesIO(data)) as zf:
        names = zf.namelist()
        meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if meta_name is None:
            raise UserError(f"{file_name}: 不是有效的 wheel（缺少 METADATA）")
        meta = zf.read(meta_name).decode("utf-8", "replace")
        top_level = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        if top_level:
            imports = [line.strip() for line in zf.read(top_level).decode().splitlines() if line.strip()]
        else:
            imports = sorted(
                {
                    n.split("/")[0].removesuffix(".py")
                    for n in names
                    if ".dist-info/" not in n
                    and (n.endswith("/__init__.py") and n.count("/") == 1 or "/" not in n and n.endswith(".py"))
                }
            )
    header = meta.split("\n\n", 1)[0]
    requires = [line.split(":", 1)[1].strip() for line in header.splitlines() if line.startswith("Requires-Dist:")]
    return requires, imports


def _depends(requires: list[str], python: str) -> list[str]:
    env = {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "extra": "",
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "os_name": "posix",
        "platform_machine": "wasm32",
    }
    result = []
    for line in requires:
        try:
            req = PkgRequirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = normalize(req.name)
        name = PROVIDED_BY.get(name, name)
        if name not in result:
            result.append(name)
    return result


def pinned_wheels(
    root: Path = ROOT, requirements: Path | None = None, cache: Path | None = None, python: str = "3.14"
) -> list[Wheel]:
    requirements = requirements or root / "browser-requirements.txt"
    cache = cache or root / ".cache" / "wheels"
    wheels = []
    for req in parse_requirements(requirements):
        path = find_cached(req, cache)
        if path is None:
            raise UserError(f"缺少已校验的 {req.spec} wheel（{cache}）：{MAKE_RUNTIME}")
        data = path.read_bytes()
        requires, imports = _metadata(data, path.name)
        wheels.append(
            Wheel(
                name=req.name,
                version=req.version,
                file_name=path.name,
                data=data,
                imports=imports,
                depends=_depends(requires, python),
            )
        )
    return wheels


def build_lock(npm_lock: dict, wheels: list[Wheel]) -> dict:
    """The npm package's lock file reduced to what we ship: its ``info`` and our wheels."""
    packages = {}
    for wheel in sorted(wheels, key=lambda w: w.name):
        packages[wheel.name] = {
            "name": wheel.name,
            "version": wheel.version,
            "file_name": wheel.file_name,
            "install_dir": "site",
            "sha256": wheel.sha256,
            "package_type": "package",
            "imports": list(wheel.imports),
            "depends": list(wheel.depends),
            "unvendored_tests": False,
        }
    missing = sorted({d for w in wheels for d in w.depends if d not in packages})
    if missing:
        raise UserError(
            "浏览器依赖不完整：" + "、".join(missing) + " 被其他 wheel 依赖，但没有写进 browser-requirements.txt"
        )
    return {"info": dict(npm_lock["info"]), "packages": packages}


def stdlib_file(root: Path = ROOT) -> tuple[str, bytes]:
    """The trimmed standard library (``make runtime``) under a content-hashed file name."""
    path = trimmed_path(root)
    try:
        data = path.read_bytes()
    except OSError:
        raise UserError(f"找不到裁剪后的 Python 标准库 {path}：{MAKE_RUNTIME}") from None
    return f"python_stdlib-{hashlib.sha256(data).hexdigest()[:16]}.zip", data


def build_manifest(npm_lock: dict, files: dict[str, bytes], stdlib_name: str) -> dict:
    """What the worker needs before it downloads anything: every file's sha256 and size.

    The worker checks each core file (wasm, asm.mjs, stdlib zip) and each wheel against these
    digests, names the trimmed stdlib (``stdLibURL``) and tells the person the download size.
    """
    return {
        "pyodide": npm_lock["info"].get("version", ""),
        "python": npm_lock["info"]["python"],
        "stdlib": stdlib_name,
        "lock": LOCK_NAME,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
    }


def runtime_files(
    root: Path = ROOT, requirements: Path | None = None, cache: Path | None = None, full_stdlib: bool = False
) -> dict[str, bytes]:
    """Every file of ``assets/pyodide/``: core, trimmed stdlib, wheels, lock file and manifest.

    ``full_stdlib=True`` ships Pyodide's whole ``python_stdlib.zip`` under its own name (used
    only to trace which modules the trimmed one must hold).
    """
    npm_lock = read_npm_lock(root)
    python = ".".join(npm_lock["info"]["python"].split(".")[:2])
    files: dict[str, bytes] = {}
    for name in CORE_FILES + ((STDLIB_NAME,) if full_stdlib else ()):
        path = pyodide_dir(root) / name
        try:
            files[name] = path.read_bytes()
        except OSError:
            raise UserError(f"找不到 Pyodide 核心文件 {path}：{MAKE_RUNTIME}") from None
    if full_stdlib:
        stdlib_name = STDLIB_NAME
    else:
        stdlib_name, files[stdlib_name] = stdlib_file(root)
    wheels = pinned_wheels(root, requirements, cache, python)
    wheels += [rpds_shim_wheel(), engine_wheel(root)]
    for wheel in wheels:
        files[wheel.file_name] = wheel.data
    lock = build_lock(npm_lock, wheels)
    files[LOCK_NAME] = (json.dumps(lock, ensure_ascii=False, indent=1) + "\n").encode()
    manifest = build_manifest(npm_lock, files, stdlib_name)
    files[MANIFEST_NAME] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    return files
