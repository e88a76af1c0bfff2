"""The engine's data cases (tests/cases/*.yaml), loaded once for the CPython and browser tests."""

from __future__ import annotations

from pathlib import Path

from generator.authoring.cases import load_cases as _load

CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases() -> list[dict]:
    """Every case of tests/cases/*.yaml (dates as ISO strings), with its file recorded."""
    return _load(CASES_DIR)
