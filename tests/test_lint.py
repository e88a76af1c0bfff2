"""Ruff keeps the Python linted and formatted (configuration in pyproject.toml [tool.ruff]).

Part of `make test-fast` and therefore of CI; `make format` fixes what it can.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["generator", "tests", "benchmarks"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_check_is_clean():
    proc = ruff("check", "--output-format", "concise")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_clean():
    proc = ruff("format", "--check")
    assert proc.returncode == 0, "run `make format`:\n" + proc.stdout + proc.stderr
