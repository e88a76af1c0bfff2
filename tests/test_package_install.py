"""`pip install .` (not editable) into a fresh venv gives a working `python -m generator check`.

The JSON Schemas travel in the wheel as package data (generator/resources.py reads them through
importlib.resources), so the installed command validates a content folder far from any checkout.
Builds the wheel from a copy of the sources (no build/ or *.egg-info left in the repository);
dependencies come from pip's cache or the configured index, as in `make setup`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(args, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "generator", src / "generator", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "schemas", src / "schemas", ignore=ignore)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)], tmp)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp / "dist").glob("*.whl"))
    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    done = run([str(python), "-m", "pip", "install", "-q", str(wheel)], tmp)
    assert done.returncode == 0, done.stderr
    return tmp, wheel, python


def test_the_wheel_carries_the_schemas(installed):
    _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in sorted((ROOT / "schemas").glob("*.schema.json")):
        assert f"generator/schemas/{schema.name}" in names


def test_installed_check_validates_a_content_folder_outside_the_checkout(installed):
    tmp, _, python = installed
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    where = run([str(python), "-c", "import generator.resources as r; print(r.schemas_dir())"], tmp)
    assert where.stdout.strip().startswith(str(tmp / "venv")), where.stdout  # the installed copy
    ok = run([str(python), "-m", "generator", "check", "--content", str(content)], tmp)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "内容校验通过" in ok.stdout
    # The schemas really are read: a misspelt key is caught, with file:line:col, exit 1.
    notice = next((content / "notices").glob("*.yaml"))
    notice.write_text(notice.read_text(encoding="utf-8").replace("\ntimeline:", "\ntimline:", 1), encoding="utf-8")
    bad = run([str(python), "-m", "generator", "check", "--content", str(content)], tmp)
    assert bad.returncode == 1
    assert (
        f"{notice.name}:" in bad.stdout + bad.stderr
        and "未知字段 timline：你是不是想写 timeline？" in bad.stdout + bad.stderr
    )
    assert "Traceback" not in bad.stderr
