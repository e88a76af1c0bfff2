"""``check`` on example files kept as data (tests/example-files/{positive,negative}).

Each negative file ends with ``# 期望: line:col: message`` comments: the exact lines ``check``
must print for it (after the file's path). Files are checked with the real ``content/`` as context.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "example-files"
NEGATIVE = sorted((EXAMPLES / "negative").rglob("*.yaml"))
POSITIVE = sorted((EXAMPLES / "positive").rglob("*.yaml"))


def expectations(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    text = path.read_bytes().decode("utf-8", "replace")
    return [f"{rel}:{line[len('# 期望: ') :]}" for line in text.splitlines() if line.startswith("# 期望: ")]


def run_check(capsys, *args: str) -> tuple[int, list[str], str]:
    os.chdir(ROOT)
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_examples_exist():
    assert len(NEGATIVE) >= 25
    for path in NEGATIVE:
        assert expectations(path), f"{path} has no '# 期望:' line"


@pytest.mark.parametrize("path", NEGATIVE, ids=lambda p: p.relative_to(EXAMPLES / "negative").as_posix())
def test_negative_example(path, capsys):
    code, lines, err = run_check(capsys, str(path.relative_to(ROOT)))
    assert code == 1
    problems, summary = lines[:-1], lines[-1]
    assert problems == expectations(path)
    assert summary == f"内容校验未通过：{len(problems)} 个问题，涉及 1 个文件。"
    assert "Traceback" not in err


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.relative_to(EXAMPLES / "positive").as_posix())
def test_positive_example(path, capsys):
    code, lines, _ = run_check(capsys, str(path.relative_to(ROOT)))
    assert code == 0, lines
    assert len(lines) == 1 and lines[0].startswith("内容校验通过：")


def test_positive_folder_summary(capsys):
    code, lines, _ = run_check(capsys, "tests/example-files/positive")
    assert (code, lines) == (0, ["内容校验通过：1 份通知、1 个节假日年份。"])


def test_negative_folder_reports_every_file(capsys):
    code, lines, _ = run_check(capsys, "tests/example-files/negative")
    expected = sorted(line for path in NEGATIVE for line in expectations(path))
    assert code == 1
    assert lines[:-1] == expected
    assert lines[-1] == f"内容校验未通过：{len(expected)} 个问题，涉及 {len(NEGATIVE)} 个文件。"


def test_cli_subprocess_no_traceback():
    """The real command line: one line per problem on stdout, exit 1, nothing on stderr."""
    bad = "tests/example-files/negative/2026-unknown-key.yaml"
    proc = subprocess.run([sys.executable, "-m", "generator", "check", bad], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == expectations(ROOT / bad) + ["内容校验未通过：2 个问题，涉及 1 个文件。"]
    assert "Traceback" not in proc.stderr
