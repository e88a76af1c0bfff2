"""JSON Schema validation of content files, with Chinese messages that name the field.

``schema_messages(doc, schema)`` returns one message per schema error, worded by the shared
vocabulary :mod:`generator.engine.messages` (also used for applicant profiles): the field's path
(``timeline[2].end``) and its Chinese ``title`` from the schema, the offending value, the violated
constraint. The loader places each at the offending node (the parent mapping for a missing key, the
key itself for an unknown key). Every error is reported; within an ``anyOf``/``oneOf`` only the
best match (jsonschema ``best_match``) is shown. Editors also get did-you-mean suggestions
(difflib) and YAML spelling hints.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from generator.content.fastschema import known_valid
from generator.content.yamlio import join
from generator.engine import messages
from generator.engine.messages import SchemaIndex, show_value, type_name  # noqa: F401  (re-exported)


def suggest(word: str, choices) -> str | None:
    """The closest of ``choices`` to a mistyped ``word`` (for “你是不是想写 …？”)."""
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def describe(error: ValidationError, index: SchemaIndex) -> Iterator[tuple[list, str, bool]]:
    """One jsonschema error of a content file in the shared Chinese vocabulary, with editor hints."""
    return messages.describe(error, index, suggest=suggest, yaml_hints=True)


_VALIDATORS: dict[int, tuple[dict, Draft202012Validator]] = {}


def _validator(schema: dict) -> Draft202012Validator:
    """One validator per schema object (its $ref resolutions are reused across documents)."""
    entry = _VALIDATORS.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_VALIDATORS) > 32:
            _VALIDATORS.clear()
        entry = _VALIDATORS[id(schema)] = (schema, Draft202012Validator(schema))
    return entry[1]


def schema_errors(data: Any, schema: dict) -> list[ValidationError]:
    if known_valid(data, schema):  # jsonschema-rs confirms the usual case in ~0.1 ms
        return []
    validator = _validator(schema)
    if validator.is_valid(data):  # the usual case, a quarter cheaper than collecting errors
        return []
    return sorted(validator.iter_errors(data), key=relevance, reverse=True)


def schema_messages(data: Any, schema: dict) -> list[tuple[str, str, bool]]:
    """[(dotted path, message, at key?)] for every schema error, best first, without repeats."""
    index = SchemaIndex(schema)
    out, seen = [], set()
    for error in schema_errors(data, schema):
        for parts, message, at_key in describe(error, index):
            dotted = ""
            for p in parts:
                dotted = join(dotted, p)
            if (dotted, message) not in seen:
                seen.add((dotted, message))
                out.append((dotted, message, at_key))
    return out
