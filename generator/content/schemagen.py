"""Generated parts of the JSON Schemas, from their one source in the engine.

The condition language of ``notice.schema.json`` and ``rules.schema.json`` enumerates the fact
names (``generator.engine.facts.FACTS``), and the applicant schema's enumerations are labelled in
Chinese by ``x-enum-labels``. ``python -m generator schemas`` rewrites the fact enumerations
from ``FACTS``; ``tests/test_schemagen.py`` fails when a committed schema is stale (CI), so an
engine fact can never be missing from — or linger in — the editors' schemas.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.engine.facts import FACTS
from generator.resources import schemas_dir

SCHEMAS = schemas_dir()
CONDITION_FILES = ("notice.schema.json", "rules.schema.json")


def with_facts(schema: dict) -> dict:
    """``schema`` with its condition's fact-name enumerations set from ``FACTS``."""
    condition = schema["$defs"]["condition"]["properties"]
    names = sorted(FACTS)
    condition["properties"]["propertyNames"]["enum"] = names
    condition["required"]["items"]["enum"] = names
    return schema


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def generated(schemas_dir: Path = SCHEMAS) -> dict[Path, str]:
    """Path → the text the file must have."""
    out = {}
    for name in CONDITION_FILES:
        path = schemas_dir / name
        out[path] = render(with_facts(json.loads(path.read_text(encoding="utf-8"))))
    return out


def stale(schemas_dir: Path = SCHEMAS) -> list[Path]:
    return [p for p, text in generated(schemas_dir).items() if p.read_text(encoding="utf-8") != text]


def write(schemas_dir: Path = SCHEMAS) -> list[Path]:
    changed = stale(schemas_dir)
    for path, text in generated(schemas_dir).items():
        if path in changed:
            path.write_text(text, encoding="utf-8")
    return changed
