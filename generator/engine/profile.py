"""Validation of an applicant profile against ``schemas/applicant.schema.json``.

Every problem becomes one Chinese line naming the field (its key and its Chinese title); at most
one problem per field, the most specific first (an impossible date is reported as such, not as a
pattern mismatch).
"""

from __future__ import annotations

import json

import jsonschema

from generator.engine.errors import EngineError

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "对象（键值对）",
    "array": "列表",
    "null": "null",
}

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
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（整个档案）"


def _subschema(schema: dict, path) -> dict:
    node = schema
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
    return node


def field_label(schema: dict, path) -> str:
    name = field_path(path)
    title = _subschema(schema, path).get("title") if path else None
    return f"{name}（{title}）" if title else name


def _message(error, sub: dict) -> str:
    kw = error.validator
    value = error.instance
    if kw == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        names = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        return f"应为{names}，收到 {show(value)}"
    if kw in ("format", "pattern") and sub.get("format") == "date":
        return f"{show(value)} 不是有效日期：格式为 YYYY-MM-DD，月份 01–12，且该日须存在（如 2024-07-01）"
    if kw == "enum":
        labels = sub.get("x-enum-labels") or {}
        options = "、".join(
            f"{v}（{labels[v]}）" if v in labels else str(v) for v in error.validator_value
        )
        return f"{show(value)} 不是可选值；可选：{options}"
    if kw == "minimum":
        return f"不能小于 {error.validator_value}，收到 {show(value)}"
    if kw == "maximum":
        return f"不能大于 {error.validator_value}，收到 {show(value)}"
    if kw == "minLength":
        return "不能为空"
    if kw == "maxLength":
        return f"不能超过 {error.validator_value} 个字符"
    if kw == "maxItems":
        return f"最多 {error.validator_value} 条"
    if kw == "required":
        missing = [k for k in error.validator_value if k not in value]
        titles = "、".join(
            f"{k}（{sub.get('properties', {}).get(k, {}).get('title', k)}）" for k in missing
        )
        return f"缺少 {titles}"
    return error.message  # pragma: no cover - every keyword of the schema is handled above


def profile_problems(schema: dict, profile) -> list[dict]:
    """All problems of ``profile`` as ``[{"field", "message"}]``, at most one per field."""
    if not isinstance(profile, dict):
        return [{"field": "（整个档案）", "message": f"（整个档案）：应为对象（键值对），如 {{\"education\": \"bachelor\"}}，收到 {show(profile)}"}]
    found: dict[str, tuple] = {}
    for error in _validator(schema).iter_errors(profile):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            known = _subschema(schema, path).get("properties", {})
            for extra in sorted(k for k in error.instance if k not in known):
                field = field_path(path + [extra])
                found.setdefault(field, (0, f"{field}：未知字段，档案中没有这个字段（请检查拼写）"))
            continue
        sub = _subschema(schema, path)
        rank = PRIORITY.get(error.validator, 5)
        text = f"{field_label(schema, path)}：{_message(error, sub)}"
        field = field_path(path)
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
        found["misconduct_recorded_on"] = (0, f"{label}：misconduct_record 为 false 时不应填写记录日期")
    return found


def validate_profile(schema: dict, profile) -> None:
    """Raises :class:`EngineError` with one line per problem if ``profile`` is invalid."""
    problems = profile_problems(schema, profile)
    if problems:
        lines = "\n".join(p["message"] for p in problems)
        raise EngineError(f"申报人档案有 {len(problems)} 处问题：\n{lines}", problems)
