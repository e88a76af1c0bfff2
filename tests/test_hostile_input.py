"""Hostile files end in a Chinese message and exit 1, within seconds and bounded memory.

A corpus of hostile YAML and JSON (huge lists, deep nesting, 5000-digit integers, special files,
symlink loops, prototype names, control characters) is fed to ``check`` and ``eligibility``
through the real CLI, each run in a child process limited to 1 GB of address space. Every run
must exit 1 with a Chinese message, no traceback, no memory error, in under 20 seconds.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 20.0
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# name → bytes. The sizes stay just under the 1 MB file limit where size is not the point.
YAML_CORPUS: dict[str, bytes] = {
    "many-items": b"- a\n" * 245_000,
    "flow-items": b"[" + b"a," * 490_000 + b"a]",
    "deep-flow": b"x: " + b"[" * 100_000 + b"]" * 100_000,
    "deep-block": "".join(" " * i + "k:\n" for i in range(0, 2000)).encode(),
    "long-int": b"year: " + b"9" * 5000 + b"\n",
    "alias-bomb": b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "python-tag": b"x: !!python/object/apply:os.system ['true']\n",
    "control": b'title: "a\\x07b"\n',
    "bidi": 'title: "\u202eevil"\n'.encode(),
    "not-utf8": "标题: 值\n".encode("gb18030"),
    "too-big": b"x: " + b"a" * 1_100_000 + b"\n",
    "nul": b"x: a\x00b\n",
    "many-keys": b"".join(b"k%d: 1\n" % i for i in range(60_000)),
}
JSON_CORPUS: dict[str, bytes] = {
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "long-int": b'{"birth_year": ' + b"9" * 5000 + b"}",
    "huge-exponent": b'{"birth_year": 1e999999}',
    "nan": b'{"birth_year": NaN}',
    "many-items": b"[" + b"1," * 120_000 + b"1]",
    "tostring": b'{"series": {"toString": null}}',
    "proto": b'{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}',
    "not-object": b'"just a string"',
    "empty": b"",
    "not-utf8": '{"county": "巴里坤县"}'.encode("gb18030"),
    "control": b'{"series": "\\u0007"}',
}


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args) -> tuple[subprocess.CompletedProcess, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit,
    )
    return proc, time.monotonic() - start


def assert_clean_failure(proc, elapsed, shown: str):
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, (proc.returncode, output[-2000:])
    assert "Traceback" not in output, output[-3000:]
    assert "内存不足" not in output, output[-500:]
    assert CHINESE.search(output), output[-500:]
    assert shown in output, output[-500:]
    assert elapsed < TIME_LIMIT, f"{elapsed:.1f} s"


@pytest.fixture(scope="module")
def empty_content(tmp_path_factory):
    root = tmp_path_factory.mktemp("content")
    (root / "notices").mkdir()
    return root


def special_files(tmp: Path, suffix: str) -> dict[str, Path]:
    files = {}
    zero = tmp / f"zero{suffix}"
    zero.symlink_to("/dev/zero")
    files["dev-zero"] = zero
    loop = tmp / f"loop{suffix}"
    loop.symlink_to(loop.name)
    files["symlink-loop"] = loop
    fifo = tmp / f"fifo{suffix}"
    os.mkfifo(fifo)
    files["fifo"] = fifo
    return files


@pytest.mark.parametrize("name", sorted(YAML_CORPUS))
def test_check_refuses_hostile_yaml(tmp_path, empty_content, name):
    path = tmp_path / "notices" / f"{name}.yaml"
    path.parent.mkdir()
    path.write_bytes(YAML_CORPUS[name])
    proc, elapsed = run_cli("check", "--content", str(empty_content), str(path))
    assert_clean_failure(proc, elapsed, f"{name}.yaml")


@pytest.mark.parametrize("kind", ["dev-zero", "symlink-loop", "fifo"])
def test_check_refuses_special_files_in_content(tmp_path, kind):
    content = tmp_path / "content"
    (content / "notices").mkdir(parents=True)
    path = special_files(content / "notices", ".yaml")[kind]
    proc, elapsed = run_cli("check", "--content", str(content))
    assert_clean_failure(proc, elapsed, path.name)
    expected = {"dev-zero": "符号链接指向内容目录之外", "symlink-loop": "符号链接循环", "fifo": "不是普通文件"}[kind]
    assert expected in proc.stdout


@pytest.mark.parametrize("name", sorted(JSON_CORPUS))
def test_eligibility_refuses_hostile_json(tmp_path, name):
    path = tmp_path / f"{name}.json"
    path.write_bytes(JSON_CORPUS[name])
    proc, elapsed = run_cli("eligibility", "--notice", "2025-bortala", "--profile", str(path))
    assert_clean_failure(proc, elapsed, f"{name}.json")


@pytest.mark.parametrize("name", ["many-items", "deep-flow", "long-int", "control", "alias-bomb"])
def test_eligibility_refuses_hostile_yaml(tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(YAML_CORPUS[name])
    proc, elapsed = run_cli("eligibility", "--notice", "2025-bortala", "--profile", str(path))
    assert_clean_failure(proc, elapsed, f"{name}.yaml")


@pytest.mark.parametrize("kind", ["dev-zero", "symlink-loop", "fifo"])
def test_eligibility_refuses_special_files(tmp_path, kind):
    path = special_files(tmp_path, ".json")[kind]
    proc, elapsed = run_cli("eligibility", "--notice", "2025-bortala", "--profile", str(path))
    assert_clean_failure(proc, elapsed, path.name)


@pytest.mark.parametrize("notice", ["__proto__", "constructor", "../../etc/passwd", "x" * 5000])
def test_eligibility_refuses_hostile_notice_ids(notice):
    profile = ROOT / "tests" / "cases" / "profiles" / "bortala-engineer.json"
    proc, elapsed = run_cli("eligibility", "--notice", notice, "--profile", str(profile))
    assert_clean_failure(proc, elapsed, "未知的通知")
