"""What changed between two notices (``diff OLD NEW`` and the region pages' 与上一年相比的变化).

Driven by ``schemas/notice.schema.json``: every top-level property of the schema is either a
section of its own (titled with the schema's Chinese title), part of 基本信息 (:data:`IDENTITY`),
or named in :data:`NOT_COMPARED` with the reason — a test fails when a new property is none of
these. Values are compared recursively along the schema; enum codes are shown with their Chinese
labels (:func:`enum_labels`), list items are matched by their identity (ids, rule ``use``,
attachment numbers, contact organisation and name ...), so a moved date shows as one change
rather than a removal and an addition. Rule conditions are reported as modified, not as JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from generator.content.labels import field_label
from generator.engine import clock
from generator.resources import load_schema

MAX_TEXT = 90

# Top-level properties shown together as 基本信息, in this order.
IDENTITY: tuple[str, ...] = (
    "title",
    "short_title",
    "issuer",
    "issuers",
    "level",
    "issued_on",
    "addressees",
    "region",
    "sub_area",
    "applies_to",
    "kinds",
    "summary",
)
# Top-level properties not compared, and why (they are in the header line).
NOT_COMPARED: dict[str, str] = {"id": "标识，见比较的标题行", "year": "年度，见比较的标题行"}
# Sections an applicant does not need on a region page (editors' bookkeeping).
EDITORS_ONLY: tuple[str, ...] = ("inferred", "clauses")
# Schema nodes compared as a whole: a rule condition is reported as modified, never as JSON.
OPAQUE_DEFS: tuple[str, ...] = ("condition",)
# How list items are matched between the two notices (first key present wins).
# ("id|use",) means: the item's id, or its rule ``use`` when it has no id.
ITEM_KEYS: tuple[tuple[str, ...], ...] = (
    ("id|use",),
    ("number",),
    ("field",),
    ("organization", "name", "scope"),
    ("label", "level"),
    ("education", "application_type", "level"),
    ("name",),
    ("title",),
    ("url",),
    ("text",),
)
# Keys that name an item, in order of preference.
NAME_KEYS: tuple[str, ...] = (
    "label",
    "title",
    "message",
    "organization",
    "name",
    "text",
    "field",
    "series",
    "education",
    "who",
)


@dataclass
class Change:
    kind: str  # "changed" | "added" | "removed" | "modified"
    what: str  # Chinese description of the item / field
    old: str | None = None
    new: str | None = None

    def text(self) -> str:
        if self.kind == "added":
            return f"新增 {self.what}" + (f"：{self.new}" if self.new else "")
        if self.kind == "removed":
            return f"删除 {self.what}" + (f"（原为：{self.old}）" if self.old else "")
        if self.kind == "modified":
            return f"{self.what}：已修改"
        return f"{self.what}：{self.old or '（无）'} → {self.new or '（无）'}"


@dataclass
class Section:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)


@lru_cache(maxsize=1)
def _schema() -> dict:
    try:
        return load_schema("notice.schema.json")
    except (OSError, ValueError):
        return {}


def _def_name(node: dict) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _resolve(node) -> dict:
    """A schema node with its $ref followed (titles of the referring node win)."""
    if not isinstance(node, dict):
        return {}
    seen = 0
    out = dict(node)
    while "$ref" in out and seen < 10:
        target = _schema().get("$defs", {}).get(out.pop("$ref").rsplit("/", 1)[-1], {})
        out = {**target, **out}
        seen += 1
    return out


def _properties(node: dict) -> dict:
    """Properties of an object node, including those under if/then/else and the *Of branches."""
    node = _resolve(node)
    props = dict(node.get("properties") or {})
    for key in ("then", "else"):
        for k, v in (_properties(node[key]) if isinstance(node.get(key), dict) else {}).items():
            props.setdefault(k, v)
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(key) or ():
            for k, v in _properties(branch).items():
                props.setdefault(k, v)
    return props


def _title(node: dict, key: str) -> str:
    node = node if isinstance(node, dict) else {}
    return node.get("title") or _resolve(node).get("title") or key


def top_sections() -> list[tuple[str, str]]:
    """(key, Chinese title) of every section, in the schema's order, 基本信息 first."""
    props = _schema().get("properties", {})
    out = [("identity", "基本信息")]
    for key, node in props.items():
        if key in IDENTITY or key in NOT_COMPARED:
            continue
        out.append((key, _title(node, key)))
    return out


def top_title(key: str) -> str:
    return _title((_schema().get("properties") or {}).get(key) or {}, key)


@cache
def _fmt_labels() -> dict[str, str]:
    from generator.content import labels as fmt

    labels: dict[str, str] = {}
    for table in (
        fmt.SEVERITY,
        fmt.LEVELS,
        fmt.KINDS,
        fmt.EMPLOYER_TYPES,
        fmt.PHASES,
        fmt.POLICY_KINDS,
        fmt.MASKING,
        fmt.ISSUER_LEVELS,
        fmt.SECTIONS,
    ):
        labels.update(table)
    return labels


def enum_labels(node: dict) -> dict[str, str]:
    """Chinese labels of an enum node's codes: the site's label tables, else the description's
    ``code 中文`` pairs (the schema documents every code that way)."""
    node = _resolve(node)
    codes = [c for c in node.get("enum") or () if isinstance(c, str)]
    if not codes:
        return {}
    described = dict(re.findall(r"\b([a-z][a-z_]*) ([^\s·，,；;。]+)", node.get("description") or ""))
    out = {}
    for code in codes:
        label = _fmt_labels().get(code) or described.get(code)
        if label:
            out[code] = label
    return out


def _enum_node(node: dict) -> dict:
    node = _resolve(node)
    if node.get("type") == "array":
        return _resolve(node.get("items") or {})
    return node


def show(value, node: dict | None = None) -> str:
    """A value as a short Chinese string (dates as 2025年9月1日 / 10:00, codes as their labels)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        labels = enum_labels(_enum_node(node or {}))
        if value in labels:
            return labels[value]
        if clock.split_date(value):
            return clock.when_cn(value)
        text = " ".join(value.split())
        return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "、".join(show(v, node) for v in value)
    if isinstance(value, dict):
        return item_name(value, node or {}) or "（一组设置）"
    return f"{len(value)} 项"


# ---------------------------------------------------------------- comparison along the schema


class _Differ:
    def __init__(self, shared_rules: dict | None, templates: dict | None = None):
        self.shared = shared_rules or {}
        self.templates = {k: v.get("title", k) for k, v in (templates or {}).items() if isinstance(v, dict)}

    def show(self, value, node: dict) -> str:
        if isinstance(value, str) and _resolve(node).get("title") == "模板" and value in self.templates:
            return f"《{self.templates[value]}》"
        return show(value, node)

    def item_name(self, item, node: dict) -> str:
        if not isinstance(item, dict):
            return show(item, node)
        if "use" in item and not item.get("message"):
            shared = self.shared.get(item["use"]) or {}
            if shared.get("message"):
                return show(re.sub(r"\{[a-z_]+\}", "……", shared["message"]))
        return item_name(item, node)

    def compare(self, a, b, node: dict, label: str, out: list[Change]) -> None:
        if a == b:
            return
        node = node if isinstance(node, dict) else {}
        if _def_name(node) in OPAQUE_DEFS:
            out.append(Change("modified", label + "的判断条件" if not label.endswith("条件") else label))
            return
        node = _resolve(node)
        if a is None or b is None:
            value = b if a is None else a
            if isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
                self.compare(a or [], b or [], node, label, out)
                return
            if isinstance(value, dict):
                self.compare(a or {}, b or {}, node, label, out)
                return
            if a is None:
                out.append(Change("added", label, None, self.show(b, node)))
            else:
                out.append(Change("removed", label, self.show(a, node), None))
            return
        if isinstance(a, dict) and isinstance(b, dict):
            props = _properties(node)
            for key in list(dict.fromkeys([*props, *a, *b])):
                if key in a or key in b:
                    sub = props.get(key, {})
                    self.compare(a.get(key), b.get(key), sub, _join(label, _title(sub, key)), out)
            return
        if isinstance(a, list) and isinstance(b, list):
            items = _resolve(node.get("items") or {})
            if any(isinstance(v, dict) for v in a + b):
                self.compare_items(a, b, node.get("items") or {}, label, out)
            else:
                added = [v for v in b if v not in a]
                removed = [v for v in a if v not in b]
                if added and removed and len(a) == len(b) == 1:
                    out.append(Change("changed", label, show(a, items), show(b, items)))
                    return
                if not added and not removed:
                    out.append(Change("changed", label + "（顺序）", show(a, items), show(b, items)))
                for v in added:
                    out.append(Change("added", label, None, show(v, items)))
                for v in removed:
                    out.append(Change("removed", label, show(v, items), None))
            return
        out.append(Change("changed", label, self.show(a, node), self.show(b, node)))

    def compare_items(self, a: list, b: list, item_node: dict, label: str, out: list[Change]) -> None:
        keys = _match_keys(a, b)
        if keys is None:  # no identity: compare position by position
            for i in range(max(len(a), len(b))):
                old = a[i] if i < len(a) else None
                new = b[i] if i < len(b) else None
                name = self.item_name(new if new is not None else old, _resolve(item_node))
                self.compare(old, new, item_node, f"{label}第{i + 1}项“{name}”", out)
            return
        old_map = {keys(it): it for it in a}
        new_map = {keys(it): it for it in b}
        node = _resolve(item_node)
        for key, item in new_map.items():
            name = f"{label}“{self.item_name(item, node)}”"
            if key not in old_map:
                out.append(Change("added", name, None, summary(item, node)))
            elif old_map[key] != item:
                self.compare(old_map[key], item, item_node, name + " ", out)
        for key, item in old_map.items():
            if key not in new_map:
                out.append(Change("removed", f"{label}“{self.item_name(item, node)}”", summary(item, node), None))


def _join(label: str, title: str) -> str:
    if not label:
        return title
    return label + title if label.endswith(" ") else f"{label}·{title}"


def _match_keys(a: list, b: list):
    """A function giving each item its identity, or None when no key identifies every item uniquely."""
    items = [x for x in a + b]
    if not all(isinstance(x, dict) for x in items):
        return None

    def first(x: dict, alternatives: str):
        return next((x[k] for k in alternatives.split("|") if k in x), None)

    for keys in ITEM_KEYS:
        if not all(any(first(x, k) is not None for k in keys) for x in items):
            continue

        def ident(x, keys=keys):
            return tuple(json.dumps(first(x, k), ensure_ascii=False, sort_keys=True) for k in keys)

        if len({ident(x) for x in a}) == len(a) and len({ident(x) for x in b}) == len(b):
            return ident
    return None


def item_name(item: dict, node: dict) -> str:
    props = _properties(node)
    if isinstance(item.get("number"), int) and "title" in item:  # an attachment
        return f"附件{item['number']} {show(item['title'])}"
    if isinstance(item.get("field"), str) and "reason" in item:  # an inferred entry: name the field in Chinese
        return f"{field_label(item['field'])}（{item['field']}）"
    for key in NAME_KEYS:
        if item.get(key) and isinstance(item[key], (str, int)):
            name = show(item[key], props.get(key))
            if key == "organization" and item.get("name"):
                name += f" {item['name']}"
            if key == "organization" and item.get("scope"):
                name += f"（{item['scope']}）"
            return name
    values = [show(v, props.get(k)) for k, v in item.items() if isinstance(v, str) and k != "clause"]
    return "、".join(values[:2])


def summary(item, node: dict) -> str:
    """A one-line description of an added or removed item."""
    if not isinstance(item, dict):
        return show(item, node)
    props = _properties(node)
    if "start" in item or "end" in item or "relative" in item:
        span = "—".join(x for x in (show(item.get("start")), show(item.get("end"))) if x)
        return span or show(item.get("relative"))
    if "amount_cny" in item:
        return f"{show(item['amount_cny'])} 元"
    if item.get("phones") or item.get("people"):
        phones = list(item.get("phones") or [])
        for person in item.get("people") or []:
            phones += [f"{person.get('name', '')} {p}" for p in person.get("phones") or []]
        return "、".join(phones)
    if "required" in item and "title" in item:
        return ("必交" if item.get("required") else "视情况") + (
            f"，{item['condition']}" if item.get("condition") else ""
        )
    for key in ("severity", "kind", "phase", "level"):
        if key in item:
            return show(item[key], props.get(key))
    return ""


def diff_notices(
    old: dict, new: dict, shared_rules: dict | None = None, *, skip: tuple[str, ...] = (), templates: dict | None = None
) -> list[Section]:
    """Sections with at least one change, in the schema's order (基本信息 first). ``shared_rules``
    name rules that only ``use`` a shared rule; ``templates`` name templates by their titles."""
    differ = _Differ(shared_rules, templates)
    props = _schema().get("properties", {})
    sections: list[Section] = []
    for key, title in top_sections():
        if key in skip:
            continue
        sec = Section(key, title)
        if key == "identity":
            for k in IDENTITY:
                if k in props:
                    differ.compare(old.get(k), new.get(k), props[k], _title(props[k], k), sec.changes)
        else:
            kind = _resolve(props.get(key) or {}).get("type")
            label = "" if kind == "object" else title + " " if kind == "array" else title
            differ.compare(old.get(key), new.get(key), props.get(key, {}), label, sec.changes)
        for ch in sec.changes:
            ch.what = ch.what.strip() or title
        if sec.changes:
            sections.append(sec)
    return sections


def render_text(old: dict, new: dict, sections: list[Section]) -> str:
    lines = [f"比较 {old['id']}（{old['year']} 年度）→ {new['id']}（{new['year']} 年度）"]
    total = sum(len(s.changes) for s in sections)
    if not total:
        lines.append("两份通知的内容没有差别。")
        return "\n".join(lines)
    for sec in sections:
        lines.append("")
        lines.append(f"【{sec.title}】{len(sec.changes)} 处")
        for ch in sec.changes:
            mark = {"added": "+", "removed": "-", "changed": "~", "modified": "~"}[ch.kind]
            lines.append(f"  {mark} {ch.text()}")
    lines.append("")
    lines.append(f"共 {total} 处变化（~ 变更，+ 新增，- 删除）。日期与时刻均为北京时间。")
    return "\n".join(lines)


def previous_notice(notice: dict, notices: list[dict]) -> dict | None:
    """The same issuer's notice of the most recent earlier year (same kinds preferred)."""
    same = [n for n in notices if n["issuer"] == notice["issuer"] and n["year"] < notice["year"]]
    if not same:
        return None
    same.sort(key=lambda n: (n["year"], n.get("kinds") == notice.get("kinds"), n["id"]))
    return same[-1]


def region_changes(notices: list[dict], shared_rules: dict | None = None, templates: dict | None = None) -> list[dict]:
    """与上一年相比的变化 for a region page: one entry per notice whose issuer has an earlier year,
    newest first, computed by :func:`diff_notices` (the editors' bookkeeping sections left out):
    ``{"notice", "previous", "sections": [Section]}``; the page template renders them.
    """
    out = []
    # previous_notice looks only at the same issuer's notices: grouped once (a region holds
    # hundreds of notices at scale; scanning all of them for each was quadratic).
    by_issuer: dict = {}
    for n in notices:
        by_issuer.setdefault(n["issuer"], []).append(n)
    for notice in sorted(notices, key=lambda n: (-n["year"], n["id"])):
        prev = previous_notice(notice, by_issuer[notice["issuer"]])
        if prev is None:
            continue
        sections = diff_notices(prev, notice, shared_rules, skip=EDITORS_ONLY, templates=templates)
        out.append({"notice": notice, "previous": prev, "sections": sections})
    return out
