"""Three-valued evaluation of rule conditions (JSON Schema over facts).

A condition is a JSON Schema applied to the facts object, restricted at object level to
``properties``, ``required``, ``allOf``, ``anyOf`` and ``not`` (plus ``title``/``description``
/``$comment``). Each ``properties`` sub-schema is ordinary JSON Schema applied to one fact's value.
A fact that is missing (``None``) makes its part *unknown*; unknowns combine with Kleene logic,
so a missing fact can still be irrelevant (``anyOf`` with a true branch, ``allOf`` with a false
one). ``True``/``False``/``None`` stand for pass / fail / unknown.
"""

from __future__ import annotations

import json

import jsonschema

_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}

ANNOTATIONS = ("title", "description", "$comment")


def _validator(schema) -> jsonschema.protocols.Validator:
    key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    validator = _VALIDATORS.get(key)
    if validator is None:
        cls = jsonschema.Draft202012Validator
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        _VALIDATORS[key] = validator
    return validator


def _and(values):
    values = list(values)
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _or(values):
    values = list(values)
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def evaluate_condition(condition, facts: dict) -> bool | None:
    """Evaluates ``condition`` against ``facts``: True, False or None (unknown)."""
    if condition is None or condition is True:
        return True
    if condition is False:
        return False
    parts = []
    for name in condition.get("required", ()):
        parts.append(None if facts.get(name) is None else True)
    for name, sub in condition.get("properties", {}).items():
        value = facts.get(name)
        parts.append(None if value is None else _validator(sub).is_valid(value))
    if "allOf" in condition:
        parts.append(_and(evaluate_condition(c, facts) for c in condition["allOf"]))
    if "anyOf" in condition:
        parts.append(_or(evaluate_condition(c, facts) for c in condition["anyOf"]))
    if "not" in condition:
        inner = evaluate_condition(condition["not"], facts)
        parts.append(None if inner is None else not inner)
    return _and(parts)


def referenced_facts(condition) -> list[str]:
    """Fact names a condition mentions, in first-seen order."""
    names: list[str] = []

    def walk(c):
        if not isinstance(c, dict):
            return
        for name in list(c.get("required", ())) + list(c.get("properties", {})):
            if name not in names:
                names.append(name)
        for key in ("allOf", "anyOf"):
            for sub in c.get(key, ()):
                walk(sub)
        if "not" in c:
            walk(c["not"])

    walk(condition)
    return names
