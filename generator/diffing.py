"""What changed between two notices (``diff OLD NEW`` and the region pages' 与上一年相比的变化).

Pure functions over validated notice dicts. Items of lists are matched by their identity (phase
and material ids, rule ids, fee labels, contact organisation + scope, attachment numbers), so a
moved date shows as one change rather than a removal and an addition. Field names come from the
Chinese titles of schemas/notice.schema.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "notice.schema.json"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?\+08:00)?$")
MAX_TEXT = 90


@dataclass
class Change:
    kind: str  # "changed" | "added" | "removed"
    what: str  # Chinese description of the item / field
    old: str | None = None
    new: str | None = None

    def text(self) -> str:
        if self.kind == "added":
            return f"新增 {self.what}" + (f"：{self.new}" if self.new else "")
        if self.kind == "removed":
            return f"删除 {self.what}" + (f"（原为：{self.old}）" if self.old else "")
        return f"{self.what}：{self.old or '（无）'} → {self.new or '（无）'}"


@dataclass
class Section:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)


# Sections in reading order: (notice key, Chinese title, how to match list items).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("identity", "基本信息"),
    ("timeline", "时间安排"),
    ("scope", "申报范围"),
    ("eligibility", "申报条件"),
    ("exclusions", "不得申报的情形"),
    ("rules", "核验规则"),
    ("policies", "政策"),
    ("materials", "申报材料"),
    ("masking", "遮盖要求"),
    ("submission", "提交规则"),
    ("fees", "费用"),
    ("contacts", "联系方式"),
    ("platforms", "申报平台"),
    ("attachments", "附件与模板"),
    ("parameters", "核验参数"),
)
IDENTITY_FIELDS = ("title", "short_title", "issuer", "issued_on", "kinds", "sub_area", "addressees")


@lru_cache(maxsize=1)
def _schema() -> dict:
    try:
        return json.loads(SCHEMA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _titles(defn: str | None = None, prop: str | None = None) -> dict[str, str]:
    """Chinese titles of the properties of a $defs entry (or of a top-level property's items)."""
    schema = _schema()
    node: dict = {}
    if defn:
        node = schema.get("$defs", {}).get(defn, {})
    elif prop:
        node = schema.get("properties", {}).get(prop, {})
        node = node.get("items", node)
        if "$ref" in node:
            node = schema.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
    return {k: v.get("title", k) for k, v in (node.get("properties") or {}).items()}


def top_title(key: str) -> str:
    return (_schema().get("properties", {}).get(key) or {}).get("title", key)


def show(value) -> str:
    """A value as a short Chinese string (dates as 2025年9月1日 / 10:00)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if DATE_RE.match(value):
            from generator.site.fmt import when_cn

            return when_cn(value)
        text = " ".join(value.split())
        return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "、".join(show(v) for v in value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _flatten(value, prefix: str = "") -> dict[str, object]:
    """Nested dicts → {dotted: leaf}; lists of scalars are leaves; lists of dicts by index."""
    out: dict[str, object] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}[{i + 1}]"))
    else:
        out[prefix] = value
    return out


def _resolve(node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        node = _schema().get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
    return node if isinstance(node, dict) else {}


def _nested_label(node: dict | None, rest: str) -> str:
    """``.continuing_education.years`` → ``·继续教育要求·需要的年度`` using schema titles."""
    out = []
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", rest):
        name, index = part
        if index:
            out.append(f"第{index}项")
            node = _resolve((node or {}).get("items", {})) if node else None
            continue
        sub = _resolve(((node or {}).get("properties") or {}).get(name, {})) if node else {}
        title = (((node or {}).get("properties") or {}).get(name) or {}).get("title") or sub.get("title")
        out.append(title or name)
        node = sub or None
    return "".join("·" + p for p in out)


def _compare_dicts(old: dict, new: dict, titles: dict[str, str], what: str, changes: list[Change],
                   skip: tuple[str, ...] = (), schema_node: dict | None = None) -> None:
    fo, fn = _flatten(old), _flatten(new)
    for key in list(dict.fromkeys(list(fo) + list(fn))):
        if key.split(".")[0].split("[")[0] in skip:
            continue
        a, b = fo.get(key), fn.get(key)
        if a == b:
            continue
        head = key.split(".")[0].split("[")[0]
        sub = _resolve(((schema_node or {}).get("properties") or {}).get(head, {})) if schema_node else None
        label = titles.get(head, head) + _nested_label(sub, key[len(head):])
        changes.append(Change("changed", f"{what}{label}", show(a), show(b)))


def _item_key(section: str, item, index: int):
    if not isinstance(item, dict):
        return ("text", json.dumps(item, ensure_ascii=False, sort_keys=True))
    if section == "fees":
        return ("fee", item.get("level") or item.get("label"))
    if section == "contacts":
        return ("contact", item.get("organization"), item.get("scope"), item.get("name"))
    if section == "attachments":
        return ("attachment", item.get("number"))
    if section == "platforms":
        return ("platform", item.get("url") or item.get("name"))
    for key in ("id", "use"):
        if item.get(key):
            return (key, item[key])
    return ("text", item.get("text") or json.dumps(item, ensure_ascii=False, sort_keys=True))


def _item_name(section: str, item) -> str:
    if not isinstance(item, dict):
        return show(item)
    for key in ("label", "title", "organization", "name", "message", "text", "id", "use"):
        if item.get(key):
            name = show(item[key])
            if section == "contacts" and item.get("scope"):
                name += f"（{item['scope']}）"
            if section == "attachments":
                name = f"附件{item.get('number')} {name}"
            return name
    return show(item)


def _compare_lists(section: str, old: list, new: list, titles: dict[str, str], changes: list[Change],
                   label: str) -> None:
    old_map = {_item_key(section, it, i): it for i, it in enumerate(old or [])}
    new_map = {_item_key(section, it, i): it for i, it in enumerate(new or [])}
    for key, item in new_map.items():
        name = f"{label}“{_item_name(section, item)}”"
        if key not in old_map:
            changes.append(Change("added", name, None, _summary(section, item)))
        elif old_map[key] != item:
            if isinstance(item, dict) and isinstance(old_map[key], dict):
                _compare_dicts(old_map[key], item, titles, name + " ", changes,
                               schema_node=_resolve(_schema().get("$defs", {}).get(LIST_DEFS.get(section, ""), {})))
            else:
                changes.append(Change("changed", name, show(old_map[key]), show(item)))
    for key, item in old_map.items():
        if key not in new_map:
            changes.append(Change("removed", f"{label}“{_item_name(section, item)}”", _summary(section, item), None))


def _summary(section: str, item) -> str:
    if not isinstance(item, dict):
        return show(item)
    if section == "timeline":
        span = "—".join(x for x in (show(item.get("start")), show(item.get("end"))) if x)
        return span or show(item.get("relative"))
    if section == "fees":
        return f"{show(item.get('amount_cny'))} 元"
    if section == "contacts":
        return "、".join(item.get("phones") or []) or show(item.get("address"))
    if section == "materials":
        return ("必交" if item.get("required") else "视情况") + (f"，{item['condition']}" if item.get("condition") else "")
    return ""


LIST_DEFS = {
    "timeline": "phase", "materials": "material", "contacts": "contact", "attachments": "attachment",
    "policies": "policy", "rules": "rule",
}


def diff_notices(old: dict, new: dict) -> list[Section]:
    """Sections with at least one change, in reading order."""
    sections: list[Section] = []
    for key, title in SECTIONS:
        sec = Section(key, title)
        if key == "identity":
            top = {k: _schema().get("properties", {}).get(k, {}).get("title", k) for k in IDENTITY_FIELDS}
            _compare_dicts({k: old.get(k) for k in IDENTITY_FIELDS if k in old},
                           {k: new.get(k) for k in IDENTITY_FIELDS if k in new}, top, "", sec.changes)
        else:
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            if key == "fees":
                a, b = a or {}, b or {}
                fee_schema = ((_schema().get("properties", {}).get("fees") or {}).get("properties") or {})
                fee_titles = {k: v.get("title", k) for k, v in
                              ((fee_schema.get("items") or {}).get("items") or {}).get("properties", {}).items()}
                _compare_lists("fees", a.get("items") or [], b.get("items") or [], fee_titles,
                               sec.changes, "收费项目")
                rest_a = {k: v for k, v in a.items() if k != "items"}
                rest_b = {k: v for k, v in b.items() if k != "items"}
                _compare_dicts(rest_a, rest_b, {"note": "说明", "clause": "条款"}, "费用", sec.changes)
            elif isinstance(a, list) or isinstance(b, list):
                titles = _titles(defn=LIST_DEFS[key]) if key in LIST_DEFS else _titles(prop=key)
                _compare_lists(key, a or [], b or [], titles, sec.changes, top_title(key) + " ")
            else:
                node = _resolve(_schema().get("properties", {}).get(key) or {})
                titles = {k: v.get("title") or _resolve(v).get("title", k)
                          for k, v in (node.get("properties") or {}).items()}
                _compare_dicts(a or {}, b or {}, titles, "", sec.changes, schema_node=node)
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
            mark = {"added": "+", "removed": "-", "changed": "~"}[ch.kind]
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


def region_changes_html(notices: list[dict]) -> str:
    """HTML for a region page: 与上一年相比的变化 of each notice whose issuer has an earlier year.

    Empty string when no issuer of the region has two years.
    """
    from markupsafe import escape

    blocks = []
    for notice in sorted(notices, key=lambda n: (-n["year"], n["id"])):
        prev = previous_notice(notice, notices)
        if prev is None:
            continue
        sections = diff_notices(prev, notice)
        short = notice.get("short_title") or notice["title"]
        parts = [f'<div class="zc-changes" id="changes-{escape(notice["id"])}">',
                 f'<h3>{escape(short)}：与 {prev["year"]} 年度相比</h3>']
        if not sections:
            parts.append("<p>与上一年度通知内容相同。</p>")
        for sec in sections:
            parts.append(f"<p><strong>{escape(sec.title)}</strong></p><ul>")
            for ch in sec.changes:
                parts.append(f'<li class="zc-change zc-change--{ch.kind}">{escape(ch.text())}</li>')
            parts.append("</ul>")
        parts.append(f'<p><small>由 <code>python -m generator diff {escape(prev["id"])} {escape(notice["id"])}</code> 生成。</small></p></div>')
        blocks.append("\n".join(parts))
    return "\n".join(blocks)
