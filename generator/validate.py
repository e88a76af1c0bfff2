"""JSON Schema validation with Chinese messages that name the field.

``schema_problems(doc, schema)`` yields one :class:`~generator.errors.Problem` per schema error:
the field's path (``timeline[2].end``) and its Chinese ``title`` from the schema, the offending
value, the violated constraint, at the position of the offending node (the parent mapping for a
missing key, the key itself for an unknown key). Every error is reported; within an
``anyOf``/``oneOf`` only the best match (jsonschema ``best_match``) is shown.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance

from generator.yamlio import human_path, join

TYPE_NAMES = {
    "object": "映射（键: 值）",
    "array": "列表",
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "null": "空值",
}


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return "空值"


def show_value(value: Any, limit: int = 60) -> str:
    """The offending value, short: strings quoted, containers described."""
    if isinstance(value, dict):
        return "一个映射" if value else "空映射 {}"
    if isinstance(value, list):
        return f"一个含 {len(value)} 项的列表" if value else "空列表 []"
    if value is None:
        return "空值（null）"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…\""


def suggest(word: str, choices) -> str | None:
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


class SchemaIndex:
    """Finds the Chinese title of the field at an instance path by walking the schema."""

    def __init__(self, schema: dict):
        self.root = schema

    def _resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20:
            target: Any = self.root
            for part in node["$ref"][2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
            seen += 1
        return node

    def _alternatives(self, node: Any) -> list[dict]:
        """The node, its $ref target and its conditional/compound branches."""
        out, todo = [], [node]
        while todo:
            n = todo.pop(0)
            if not isinstance(n, dict) or any(n is o for o in out) or len(out) > 50:
                continue
            out.append(n)
            if "$ref" in n:
                todo.append(self._resolve(n))
            for key in ("then", "else"):
                if key in n:
                    todo.append(n[key])
            for key in ("allOf", "anyOf", "oneOf"):
                todo.extend(n.get(key, []))
        return out

    def subschema(self, parts: list) -> Any:
        node: Any = self.root
        for part in parts:
            nxt = None
            for alt in self._alternatives(node):
                if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
                    if isinstance(alt.get("items"), dict):
                        nxt = alt["items"]
                else:
                    props = alt.get("properties")
                    if isinstance(props, dict) and part in props:
                        nxt = props[part]
                if nxt is not None:
                    break
            if nxt is None:
                return None
            node = nxt
        return node

    def title(self, parts: list) -> str | None:
        node = self.subschema(parts)
        for alt in self._alternatives(node) if node is not None else ():
            if isinstance(alt.get("title"), str):
                return alt["title"]
        return None

    def properties(self, node: dict) -> dict:
        props: dict = {}
        for alt in self._alternatives(node):
            if isinstance(alt.get("properties"), dict):
                props.update(alt["properties"])
        return props


def _field(index: SchemaIndex, parts: list) -> str:
    if not parts:
        return "文件顶层"
    name = human_path(".".join(str(p) for p in parts))
    title = index.title(parts)
    return f"{name}（{title}）" if title else name


def _only_required(branches: list) -> list[str] | None:
    names = []
    for b in branches:
        if not (isinstance(b, dict) and set(b) == {"required"}):
            return None
        names.extend(b["required"])
    return names


def describe(error: ValidationError, index: SchemaIndex) -> Iterator[tuple[list, str, bool]]:
    """(instance path parts, Chinese message, point at key?) for one jsonschema error."""
    parts = list(error.absolute_path)
    field = _field(index, parts)
    v, value, inst = error.validator, error.validator_value, error.instance
    if v == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        for name in missing:
            title = index.title(parts + [name])
            label = f"{name}（{title}）" if title else name
            yield parts, f"{field}缺少必填字段 {label}", False
        return
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = index.properties(error.schema)
        patterns = error.schema.get("patternProperties", {})
        for key in inst if isinstance(inst, dict) else ():
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            guess = suggest(key, allowed)
            where = f"{human_path('.'.join(str(p) for p in parts))} 中的" if parts else ""
            hint = f"你是不是想写 {guess}？" if guess else (
                "可用的字段：" + "、".join(list(allowed)[:30]) if allowed else "此处不能有字段")
            yield parts + [key], f"{where}未知字段 {key}：{hint}", True
        return
    if v == "type":
        wanted = value if isinstance(value, list) else [value]
        names = "或".join(TYPE_NAMES.get(t, t) for t in wanted)
        hint = ""
        if "boolean" in wanted and isinstance(inst, str) and inst.lower() in ("yes", "no", "on", "off", "是", "否", "y", "n"):
            hint = "（YAML 中布尔值请写 true 或 false）"
        elif isinstance(inst, str) and {"integer", "number"} & set(wanted) and inst.strip().lstrip("-").replace(".", "", 1).isdigit():
            hint = "（数字不要加引号）"
        yield parts, f"{field}应为{names}，实际是{type_name(inst)} {show_value(inst)}{hint}", False
        return
    if v == "enum":
        choices = "、".join(show_value(c) for c in value)
        guess = suggest(inst, [c for c in value if isinstance(c, str)]) if isinstance(inst, str) else None
        hint = f"；你是不是想写 {guess}？" if guess else ""
        yield parts, f"{field}的值 {show_value(inst)} 不在允许的取值中：{choices}{hint}", False
        return
    if v == "const":
        yield parts, f"{field}应为 {show_value(value)}，实际是 {show_value(inst)}", False
        return
    if v == "pattern":
        desc = error.schema.get("description") or f"应符合正则表达式 {value}"
        yield parts, f"{field}的值 {show_value(inst)} 格式不正确：{desc}", False
        return
    if v == "format":
        yield parts, f"{field}的值 {show_value(inst)} 不是有效的 {value}", False
        return
    if v == "minLength":
        msg = "不能为空" if value == 1 else f"至少要有 {value} 个字符，实际 {len(inst)} 个"
        yield parts, f"{field}{msg}", False
        return
    if v == "maxLength":
        yield parts, f"{field}最多 {value} 个字符，实际 {len(inst)} 个：{show_value(inst)}", False
        return
    if v == "minItems":
        msg = "不能是空列表" if value == 1 else f"至少要有 {value} 项，实际 {len(inst)} 项"
        yield parts, f"{field}{msg}", False
        return
    if v == "maxItems":
        yield parts, f"{field}最多 {value} 项，实际 {len(inst)} 项", False
        return
    if v == "uniqueItems":
        seen, dup = [], None
        for item in inst:
            if item in seen:
                dup = item
                break
            seen.append(item)
        yield parts, f"{field}中有重复项 {show_value(dup)}", False
        return
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": "不能小于", "exclusiveMinimum": "必须大于", "maximum": "不能大于",
              "exclusiveMaximum": "必须小于"}[v]
        yield parts, f"{field}的值 {show_value(inst)} {op} {value}", False
        return
    if v in ("minProperties",):
        yield parts, f"{field}不能为空映射", False
        return
    if v in ("anyOf", "oneOf"):
        names = _only_required(value)
        if names is not None:
            labels = "、".join(f"{n}（{index.title(parts + [n])}）" if index.title(parts + [n]) else n for n in names)
            if v == "oneOf" and isinstance(inst, dict) and sum(n in inst for n in names) > 1:
                yield parts, f"{field}中 {labels} 只能填写其中一项", False
            else:
                yield parts, f"{field}至少要填写以下之一：{labels}", False
            return
        best = best_match(error.context) if error.context else None
        if best is not None:
            yield from describe(best, index)
            return
        yield parts, f"{field}不符合任何一种允许的写法（{show_value(inst)}）", False
        return
    if v == "not":
        yield parts, f"{field}的值 {show_value(inst)} 不被允许", False
        return
    if v == "false" or value is False:
        yield parts, f"{field}：此处不允许出现该字段", True
        return
    yield parts, f"{field}不符合要求：{error.message}", False


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
    from generator.fastschema import known_valid

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
