"""JSON Schema errors in Chinese: the one vocabulary for content files and applicant profiles.

``describe(error, index)`` turns one jsonschema error into ``(instance path, message, at key?)``
lines: the field (its path, e.g. ``timeline[2].end``, and its Chinese ``title`` from the schema),
the offending value and the violated constraint. The content loader
(:mod:`generator.content.validate`) puts ``path:line:col:`` in front; the applicant-profile check
(:mod:`generator.engine.profile`) keeps one line per field. Both read the same sentences, so a
field that is wrong in a notice and in a profile is described in the same words.

Pure (stdlib + jsonschema): this module runs in the browser too. Audience-specific help is passed
in — ``suggest`` (a did-you-mean lookup; the content layer uses difflib) and ``yaml_hints`` (hints
about YAML spelling, only for editors of YAML files).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

Suggest = Callable[[str, Iterable[str]], "str | None"]

TYPE_NAMES = {
    "object": "映射（键: 值）",
    "array": "列表",
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "null": "空值",
}

DATE_FORMAT = "格式为 YYYY-MM-DD，月份 01–12，且该日须存在（如 2024-07-01）"


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


def field_path(parts: Iterable) -> str:
    """``["timeline", 2, "end"]`` → ``timeline[2].end`` (how messages name a field)."""
    out = ""
    for part in parts:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class SchemaIndex:
    """Finds the Chinese title of the field at an instance path by walking the schema."""

    def __init__(self, schema: dict):
        self.root = schema

    def _resolve(self, node: Any) -> Any:
        seen = 0
        while (
            isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20
        ):
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

    def keyword(self, parts: list, name: str) -> Any:
        """The first value of schema keyword ``name`` at ``parts`` (through $ref and branches)."""
        node = self.subschema(parts)
        for alt in self._alternatives(node) if node is not None else ():
            if name in alt:
                return alt[name]
        return None

    def title(self, parts: list) -> str | None:
        title = self.keyword(parts, "title")
        return title if isinstance(title, str) else None

    def properties(self, node: dict) -> dict:
        props: dict = {}
        for alt in self._alternatives(node):
            if isinstance(alt.get("properties"), dict):
                props.update(alt["properties"])
        return props


def label(index: SchemaIndex, parts: list, top: str = "文件顶层") -> str:
    """``name（title）`` of the field at ``parts``; ``top`` names the whole document."""
    if not parts:
        return top
    title = index.title(parts)
    name = field_path(parts)
    return f"{name}（{title}）" if title else name


def _named(index: SchemaIndex, parts: list, name: str) -> str:
    """``name（title）`` of the member ``name`` of the mapping at ``parts``."""
    title = index.title(parts + [name])
    return f"{name}（{title}）" if title else name


def _only_required(branches: list) -> list[str] | None:
    names = []
    for b in branches:
        if not (isinstance(b, dict) and set(b) == {"required"}):
            return None
        names.extend(b["required"])
    return names


def _choice(value: Any, labels: dict) -> str:
    shown = show_value(value)
    return f"{shown}（{labels[value]}）" if isinstance(value, str) and value in labels else shown


def describe(
    error: ValidationError,
    index: SchemaIndex,
    *,
    top: str = "文件顶层",
    suggest: Suggest | None = None,
    yaml_hints: bool = False,
) -> Iterator[tuple[list, str, bool]]:
    """(instance path parts, Chinese message, point at key?) for one jsonschema error."""
    parts = list(error.absolute_path)
    field = label(index, parts, top)
    v, value, inst = error.validator, error.validator_value, error.instance
    if v == "required":
        for name in [k for k in value if isinstance(inst, dict) and k not in inst]:
            yield parts, f"{field}缺少必填字段 {_named(index, parts, name)}", False
        return
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = index.properties(error.schema)
        patterns = error.schema.get("patternProperties", {})
        for key in inst if isinstance(inst, dict) else ():
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            guess = suggest(key, allowed) if suggest else None
            where = f"{field_path(parts)} 中的" if parts else ""
            hint = (
                f"你是不是想写 {guess}？" if guess else ("没有这个字段（请检查拼写）" if allowed else "此处不能有字段")
            )
            yield parts + [key], f"{where}未知字段 {key}：{hint}", True
        return
    if v == "type":
        wanted = value if isinstance(value, list) else [value]
        names = "或".join(TYPE_NAMES.get(t, t) for t in wanted)
        hint = ""
        if (
            yaml_hints
            and "boolean" in wanted
            and isinstance(inst, str)
            and inst.lower() in ("yes", "no", "on", "off", "是", "否", "y", "n")
        ):
            hint = "（YAML 中布尔值请写 true 或 false）"
        elif (
            isinstance(inst, str)
            and {"integer", "number"} & set(wanted)
            and inst.strip().lstrip("-").replace(".", "", 1).isdigit()
        ):
            hint = "（数字不要加引号）"
        yield parts, f"{field}应为{names}，实际是{type_name(inst)} {show_value(inst)}{hint}", False
        return
    if v in ("format", "pattern") and index.keyword(parts, "format") == "date":
        yield parts, f"{field}的值 {show_value(inst)} 不是有效日期：{DATE_FORMAT}", False
        return
    if v == "enum":
        labels = error.schema.get("x-enum-labels") or index.keyword(parts, "x-enum-labels") or {}
        choices = "、".join(_choice(c, labels) for c in value)
        guess = None
        if suggest and isinstance(inst, str):
            guess = suggest(inst, [c for c in value if isinstance(c, str)])
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
        op = {
            "minimum": "不能小于",
            "exclusiveMinimum": "必须大于",
            "maximum": "不能大于",
            "exclusiveMaximum": "必须小于",
        }[v]
        yield parts, f"{field}的值 {show_value(inst)} {op} {value}", False
        return
    if v == "minProperties":
        yield parts, f"{field}不能为空映射", False
        return
    if v in ("anyOf", "oneOf"):
        names = _only_required(value)
        if names is not None:
            labels = "、".join(_named(index, parts, n) for n in names)
            if v == "oneOf" and isinstance(inst, dict) and sum(n in inst for n in names) > 1:
                yield parts, f"{field}中 {labels} 只能填写其中一项", False
            else:
                yield parts, f"{field}至少要填写以下之一：{labels}", False
            return
        best = best_match(error.context) if error.context else None
        if best is not None:
            yield from describe(best, index, top=top, suggest=suggest, yaml_hints=yaml_hints)
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
