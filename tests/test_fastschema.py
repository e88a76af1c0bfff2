"""The fast validity pre-check (generator/fastschema.py, jsonschema-rs) never calls a document
valid that jsonschema rejects: checked on every content file, every example file (positive and
negative) and on mutated notices that break one schema constraint each."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.content.fastschema import known_valid
from generator.content.yamlio import load_yaml
from generator.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {
    "notices": "notice.schema.json",
    "templates": "template.schema.json",
    "rules": "rules.schema.json",
    "holidays": "holidays.schema.json",
}


def schema_for(path: Path) -> dict:
    kind = path.parent.name if path.parent.name in SCHEMAS else "notices"
    return json.loads((ROOT / "schemas" / SCHEMAS[kind]).read_text(encoding="utf-8"))


def documents():
    """Every YAML file the schema check sees (unreadable ones stop at the loader, before it)."""
    for base in (ROOT / "content", ROOT / "tests" / "example-files"):
        for path in sorted(base.rglob("*.yaml")):
            try:
                data = load_yaml(path, str(path)).data
            except ContentError:
                continue
            yield pytest.param(path, data, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize(("path", "data"), list(documents()))
def test_fast_check_agrees_with_jsonschema(path, data):
    schema = schema_for(path)
    slow = Draft202012Validator(schema).is_valid(data)
    assert known_valid(data, schema) == slow


def _mutations(notice: dict):
    yield "unknown key", {**notice, "no_such_key": 1}
    yield "wrong type", {**notice, "year": "2025"}
    yield "missing required", {k: v for k, v in notice.items() if k != "title"}
    bad = copy.deepcopy(notice)
    bad["timeline"][0]["end" if "end" in bad["timeline"][0] else "start"] = "2025-13-01"
    yield "bad date pattern", bad
    bad = copy.deepcopy(notice)
    bad["contacts"][0]["phone"] = "０９０９-１２３４５６７"  # full-width digits
    yield "full-width digits", bad


def test_fast_check_never_accepts_what_jsonschema_rejects():
    schema = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
    slow = Draft202012Validator(schema)
    checked = 0
    for path in sorted((ROOT / "content" / "notices").glob("*.yaml")):
        notice = load_yaml(path, str(path)).data
        for name, doc in _mutations(notice):
            if not slow.is_valid(doc):
                assert not known_valid(doc, schema), f"{path.name}: {name}"
                checked += 1
    assert checked >= 12
