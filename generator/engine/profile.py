"""Validation of an applicant profile against ``schemas/applicant.schema.json``.

Every problem becomes one Chinese line naming the field (its key and its Chinese title), in the
words of :mod:`generator.engine.messages` (the same as for content files, without the editors'
did-you-mean and YAML hints); at most one problem per field, the most specific first (an impossible date is reported as such, not as a
pattern mismatch).
"""

from __future__ import annotations

import json

import jsonschema

from generator.engine import messages
from generator.engine.errors import EngineError
from generator.engine.messages import SchemaIndex

TOP = "整个档案"

# Preferred keyword when a field breaks several (lower first).
PRIORITY = {"type": 0, "format": 1, "enum": 2, "additionalProperties": 0, "required": 0}

_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


def _validator(schema: dict):
    key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    if key not in _VALIDATORS:
        cls = jsonschema.Draft202012Validator
        _VALIDATORS[key] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return _VALIDATORS[key]


def show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def field_path(path) -> str:
    return messages.field_path(path) or TOP


def field_label(schema: dict, path) -> str:
    return messages.label(SchemaIndex(schema), list(path), TOP)


def profile_problems(schema: dict, profile) -> list[dict]:
    """All problems of ``profile`` as ``[{"field", "message"}]``, at most one per field."""
    index = SchemaIndex(schema)
    found: dict[str, tuple] = {}
    if not isinstance(profile, dict):
        errors = [next(_validator({"type": "object"}).iter_errors(profile))]
    else:
        errors = _validator(schema).iter_errors(profile)
    for error in errors:
        rank = PRIORITY.get(error.validator, 5)
        for parts, text, _ in messages.describe(error, index, top=TOP):
            field = field_path(parts)
            if field not in found or rank < found[field][0]:
                found[field] = (rank, text)
    if not found:
        found.update(_cross_field(schema, profile))
    return [{"field": f, "message": found[f][1]} for f in sorted(found, key=_order(schema))]


def _order(schema):
    names = list(schema.get("properties", {}))

    def key(field: str):
        head = field.split(".")[0].split("[")[0]
        return (names.index(head) if head in names else len(names), field)

    return key


PLAUSIBLE_YEARS = (1950, 2100)


def _cross_field(schema: dict, profile: dict) -> dict:
    found = {}
    # A valid but implausible date (a year typed as 0701) gets a question back, not a verdict.
    for name, prop in schema.get("properties", {}).items():
        value = profile.get(name)
        if prop.get("format") != "date" or not isinstance(value, str) or len(value) < 4:
            continue
        year = int(value[:4]) if value[:4].isdigit() else None
        if year is not None and not PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]:
            label = field_label(schema, [name])
            found[name] = (0, f"{label}：年份 {value[:4]} 不太可能，请检查是否输入完整（如 2019-07-01）")
    start, end = profile.get("publicity_start"), profile.get("publicity_end")
    if start and end and end < start:
        label = field_label(schema, ["publicity_end"])
        found["publicity_end"] = (0, f"{label}：{end} 早于公示开始日期 {start}")
    for i, rec in enumerate(profile.get("continuing_education", ())):
        if rec.get("exempt") and not {"total_hours", "professional_hours"} & set(rec):
            continue
        bad = [k for k in ("total_hours", "professional_hours") if k in rec and rec[k] != rec[k]]  # NaN
        for key in bad:
            path = ["continuing_education", i, key]
            found[field_path(path)] = (0, f"{field_label(schema, path)}：不是有效数字")
        if bad:
            continue
        if {"total_hours", "professional_hours"} <= set(rec) and rec["professional_hours"] > rec["total_hours"]:
            path = ["continuing_education", i, "professional_hours"]
            found[field_path(path)] = (
                0,
                f"{field_label(schema, path)}：{show(rec['professional_hours'])} 超过该年度总学时 {show(rec['total_hours'])}",
            )
    if profile.get("misconduct_record") is False and profile.get("misconduct_recorded_on"):
        label = field_label(schema, ["misconduct_recorded_on"])
        found["misconduct_recorded_on"] = (0, f"{label}：未选择“有失信记录”时不应填写记录日期")
    return found


def validate_profile(schema: dict, profile) -> None:
    """Raises :class:`EngineError` with one line per problem if ``profile`` is invalid."""
    problems = profile_problems(schema, profile)
    if problems:
        lines = "\n".join(p["message"] for p in problems)
        raise EngineError(f"申报人档案有 {len(problems)} 处问题：\n{lines}", problems)
