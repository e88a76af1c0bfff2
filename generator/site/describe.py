"""Rule conditions in plain Chinese, for people who check the rules against the notice.

``describe(condition, schema)`` turns the JSON Schema of a rule's ``applies_when`` or
``requires`` into a sentence such as “拟申报级别为副高级，且申报系列为中小学教师系列、中等职业学校
教师系列之一”. Fact titles come from :data:`FACTS`; enum values get the applicant schema's labels.
"""

from __future__ import annotations

import json

from generator.engine.facts import FACTS


def _labels(schema: dict, fact: str) -> dict:
    return (schema.get("properties", {}).get(fact) or {}).get("x-enum-labels") or {}


def _value(value, labels: dict) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, str):
        return labels.get(value, value)
    return json.dumps(value, ensure_ascii=False)


def _title(fact: str) -> str:
    return f"“{FACTS.get(fact, {}).get('title', fact)}”"


def describe_value(sub: dict, fact: str, schema: dict) -> str:
    """How one fact's value must look, e.g. “为副高级” or “不少于 3”."""
    labels = _labels(schema, fact)
    parts = []
    if "const" in sub:
        parts.append(f"为{_value(sub['const'], labels)}")
    if "enum" in sub:
        values = "、".join(_value(v, labels) for v in sub["enum"])
        parts.append(f"为{values}" + ("之一" if len(sub["enum"]) > 1 else ""))
    if "minimum" in sub:
        parts.append(f"不少于 {_value(sub['minimum'], labels)}")
    if "exclusiveMinimum" in sub:
        parts.append(f"大于 {_value(sub['exclusiveMinimum'], labels)}")
    if "maximum" in sub:
        parts.append(f"不超过 {_value(sub['maximum'], labels)}")
    if "exclusiveMaximum" in sub:
        parts.append(f"小于 {_value(sub['exclusiveMaximum'], labels)}")
    if "pattern" in sub:
        parts.append(f"含有“{sub['pattern']}”")
    if "not" in sub:
        inner = describe_value(sub["not"], fact, schema)
        parts.append("不" + inner if inner.startswith("为") else f"不满足（{inner}）")
    if not parts:
        parts.append(f"满足 {json.dumps(sub, ensure_ascii=False)}")
    return "，".join(parts)


def describe(condition, schema: dict) -> str:
    """The whole condition as one Chinese sentence; ``None`` or ``{}`` reads “无条件”."""
    if not condition:
        return "无条件"
    parts = []
    for fact in condition.get("required", ()):
        parts.append(f"已填写{_title(fact)}")
    for fact, sub in (condition.get("properties") or {}).items():
        parts.append(f"{_title(fact)}{describe_value(sub, fact, schema)}")
    for sub in condition.get("allOf", ()):
        parts.append(f"（{describe(sub, schema)}）")
    if condition.get("anyOf"):
        parts.append("（" + "；或".join(describe(sub, schema) for sub in condition["anyOf"]) + "）")
    if "not" in condition:
        parts.append(f"并非（{describe(condition['not'], schema)}）")
    return "，且".join(parts) or "无条件"
