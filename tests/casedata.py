"""The engine's data cases (tests/cases/*.yaml), loaded once for the CPython and browser tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ruamel.yaml import YAML

CASES_DIR = Path(__file__).resolve().parent / "cases"


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_cases() -> list[dict]:
    """Every case of tests/cases/*.yaml (dates as ISO strings), with its file recorded."""
    yaml = YAML(typ="safe", pure=True)
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in _plain(yaml.load(path.read_text(encoding="utf-8"))) or []:
            if isinstance(case, dict) and "notice" in case and "input" in case:
                case["file"] = path.name
                cases.append(case)
    return cases
