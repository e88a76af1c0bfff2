"""Inputs of the browser runtime: the npm Pyodide package, the pinned wheels and the traced
standard library (``.cache/runtime``). The lowest module of ``generator.browser``: ``assemble``,
``archive`` and ``stdlib`` read their inputs here, so none of them imports another in a circle.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PkgRequirement

from generator.browser.fetch import find_cached
from generator.browser.requirements import normalize, parse_requirements
from generator.browser.wheels import ROOT, Wheel
from generator.errors import UserError

LOCK_NAME = "pyodide-lock.json"
# Distributions that are provided by another package of ours in the browser.
PROVIDED_BY = {"rpds-py": "rpds-shim"}

MAKE_RUNTIME = "请先运行 make runtime（npm ci 并下载固定版本的 wheel）"

CACHE_DIR = Path(".cache") / "runtime"
TRIMMED_NAME = "python_stdlib.zip"
ENGINE_NAME = "stdlib-engine.json"


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


def trimmed_path(root: Path = ROOT) -> Path:
    return root / CACHE_DIR / TRIMMED_NAME


def engine_sources(root: Path = ROOT) -> dict[str, str]:
    """``{stdlib file: stripped text}`` that only the engine imports (for the archive)."""
    path = root / CACHE_DIR / ENGINE_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError(f"找不到 {path}：请先运行 make runtime（在 Pyodide 中追踪标准库导入）") from None
