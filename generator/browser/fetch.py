"""Downloads the pinned browser wheels into a cache folder, verifying every sha256.

``python -m generator.browser.fetch --requirements browser-requirements.txt --dest .cache/wheels``

Idempotent and offline once cached: a wheel already in ``--dest`` whose sha256 matches a pinned
hash is kept and pip is not called at all. Only pure-Python wheels (``py3-none-any``) for the
Python version of the pinned Pyodide are accepted.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.browser.requirements import Requirement, normalize, parse_requirements
from generator.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def wheel_identity(filename: str) -> tuple[str, str] | None:
    """(normalized name, version) of a wheel file name, or None if it is not a wheel."""
    if not filename.endswith(".whl"):
        return None
    parts = filename[:-4].split("-")
    if len(parts) < 5:
        return None
    return normalize(parts[0]), parts[1]


def find_cached(req: Requirement, dest: Path) -> Path | None:
    """The wheel in ``dest`` for ``req`` whose sha256 is one of the pinned hashes."""
    if not dest.is_dir():
        return None
    for path in sorted(dest.glob("*.whl")):
        if wheel_identity(path.name) == (req.name, req.version) and sha256_file(path) in req.hashes:
            return path
    return None


def pyodide_python_version(pyodide_dir: Path = PYODIDE_DIR) -> str:
    """``3.14`` for the pinned Pyodide, read from its own lock file."""
    import json

    lock = pyodide_dir / "pyodide-lock.json"
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))["info"]
    except (OSError, ValueError, KeyError):
        raise UserError(f"找不到 Pyodide（{lock}）：请先运行 npm ci（make runtime 会自动运行）") from None
    return ".".join(info["python"].split(".")[:2])


def fetch(requirements: Path, dest: Path, python_version: str | None = None) -> dict[str, Path]:
    """Ensures every pinned wheel is in ``dest``; returns {normalized name: wheel path}."""
    reqs = parse_requirements(requirements)
    found = {req.name: find_cached(req, dest) for req in reqs}
    missing = [req for req in reqs if found[req.name] is None]
    if missing:
        version = python_version or pyodide_python_version()
        dest.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            req_file = Path(tmp) / "requirements.txt"
            req_file.write_text(
                "".join(f"{r.spec} " + " ".join(f"--hash=sha256:{h}" for h in r.hashes) + "\n" for r in missing),
                encoding="utf-8",
            )
            download = Path(tmp) / "wheels"
            cmd = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                "any",
                "--python-version",
                version,
                "--implementation",
                "py",
                "--require-hashes",
                "-r",
                str(req_file),
                "-d",
                str(download),
            ]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise UserError(
                    "下载浏览器依赖失败（需要能访问 PyPI，或已缓存于 "
                    f"{dest}）：\n{proc.stderr.strip() or proc.stdout.strip()}"
                )
            for path in sorted(download.glob("*.whl")):
                target = dest / path.name
                target.write_bytes(path.read_bytes())
        found = {req.name: find_cached(req, dest) for req in reqs}
    problems = [
        f"{requirements}:{req.line}:1: {req.spec} 的 wheel 校验失败：sha256 与固定值不符或文件缺失"
        for req in reqs
        if found[req.name] is None
    ]
    if problems:
        raise UserError("\n".join(problems))
    return {name: path for name, path in found.items() if path is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.browser.fetch",
        description="下载浏览器核验器所需的纯 Python wheel（固定版本，校验 sha256）。",
    )
    parser.add_argument(
        "--requirements", type=Path, default=ROOT / "browser-requirements.txt", help="固定版本与 sha256 的依赖清单"
    )
    parser.add_argument("--dest", type=Path, default=ROOT / ".cache" / "wheels", help="wheel 缓存目录")
    parser.add_argument("--python-version", default=None, help="目标 Python 版本（默认取 node_modules/pyodide 的版本）")
    args = parser.parse_args(argv)
    try:
        found = fetch(args.requirements, args.dest, args.python_version)
    except UserError as err:
        print(str(err), file=sys.stderr)
        return 1
    print(f"浏览器依赖已就绪：{len(found)} 个 wheel，均已校验 sha256（{args.dest}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
