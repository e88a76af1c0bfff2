"""The engine's data cases (``tests/cases/<notice id>.yaml``): loading and replaying them.

Each file is a list of ``{name, notice, input, output, today?}`` (see tests/test_engine_cases.py).
The tests, the rule audit pages and ``new`` read cases through this module.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ruamel.yaml import YAML


def plain(value):
    """YAML-loaded data as JSON-ready plain data: dates (and datetimes) as ISO strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def load_case_file(path: Path) -> list[dict]:
    """Every case of one file (dates as ISO strings), with its file name recorded."""
    yaml = YAML(typ="safe", pure=True)
    cases = []
    for case in plain(yaml.load(Path(path).read_text(encoding="utf-8"))) or []:
        if isinstance(case, dict) and "notice" in case and "input" in case:
            case["file"] = Path(path).name
            cases.append(case)
    return cases


def load_cases(directory: Path) -> list[dict]:
    """Every case of ``directory/*.yaml``."""
    cases = []
    for path in sorted(Path(directory).glob("*.yaml")):
        cases += load_case_file(path)
    return cases
