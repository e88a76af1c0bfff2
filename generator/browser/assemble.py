"""Gathers the files the site serves under ``assets/pyodide/`` and their manifest.

``runtime_files(root)`` returns ``{file name: bytes}``: the Pyodide core from the exactly pinned
npm package, the trimmed standard library, one archive of precompiled Python holding the engine,
the pinned wheels' packages (from the ``make runtime`` cache, sha256 checked again here) and the
``rpds`` shim (``generator/browser/archive.py``), Pyodide's ``pyodide-lock.json`` reduced to its
``info`` (the worker installs no Pyodide packages), and ``runtime.json`` with every file's sha256
and size, which the worker checks each download against.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.browser import archive
from generator.browser.inputs import (  # noqa: F401  (re-exported)
    LOCK_NAME,
    MAKE_RUNTIME,
    PROVIDED_BY,
    pinned_wheels,
    pyodide_dir,
    read_npm_lock,
    trimmed_path,
)
from generator.browser.wheels import ROOT, Wheel, engine_wheel, rpds_shim_wheel
from generator.errors import UserError

CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB_NAME = "python_stdlib.zip"
ENGINE_PACKAGE = "zhicheng-engine"
MANIFEST_NAME = "runtime.json"


def build_lock(npm_lock: dict, wheels: list[Wheel]) -> dict:
    """The npm package's lock file reduced to its ``info`` and ``wheels``.

    Raises a Chinese error when a wheel depends on a distribution that is not among ``wheels``
    (the archive would lack it). The site ships it with no packages (``wheels=[]``): the worker
    loads the archive itself.
    """
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


def build_manifest(npm_lock: dict, files: dict[str, bytes], stdlib_name: str, archive_name: str) -> dict:
    """What the worker needs before it downloads anything: every file's sha256 and size.

    The worker checks each core file (wasm, asm.mjs, stdlib zip) and the archive against these
    digests, names the trimmed stdlib (``stdLibURL``) and the archive, and tells the person the
    download size.
    """
    return {
        "pyodide": npm_lock["info"].get("version", ""),
        "python": npm_lock["info"]["python"],
        "stdlib": stdlib_name,
        "archive": archive_name,
        "lock": LOCK_NAME,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
    }


def runtime_files(
    root: Path = ROOT, requirements: Path | None = None, cache: Path | None = None, full_stdlib: bool = False
) -> dict[str, bytes]:
    """Every file of ``assets/pyodide/``: core, trimmed stdlib, archive, lock file and manifest.

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
    # Every pinned wheel must be in the cache with its sha256, and the set closed under the
    # wheels' dependencies (clear messages if not): the archive holds exactly their packages.
    build_lock(npm_lock, [*pinned_wheels(root, requirements, cache, python), rpds_shim_wheel(), engine_wheel(root)])
    archive_data = archive.build(root, requirements, cache, with_stdlib=not full_stdlib)
    archive_name = archive.file_name(archive_data)
    files[archive_name] = archive_data
    lock = build_lock(npm_lock, [])
    files[LOCK_NAME] = (json.dumps(lock, ensure_ascii=False, indent=1) + "\n").encode()
    manifest = build_manifest(npm_lock, files, stdlib_name, archive_name)
    files[MANIFEST_NAME] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    return files
