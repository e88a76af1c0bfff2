"""Attachment templates (content/templates/*.yaml): text with named blanks.

A template's text uses ``{name}`` for a blank defined in ``blanks`` (``{{`` / ``}}`` for literal
braces); ``{name|shown}`` shows ``shown`` instead of the blank's placeholder at that spot (the
originals sometimes write the same blank as ``x`` in the title and ``×`` in the body). Every renderer (the .docx writer, the printable HTML page, the plain-text form used by
tests) walks the same ``segments`` so they all say exactly the same thing.

Pure functions over plain dicts; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

KIND_LABELS = {
    "publicity": "推荐单位公示",
    "publicity_result": "公示结果",
    "recommendation_report": "推荐报告",
    "supervisor_opinion": "主管单位推荐意见",
    "exemption_form": "免除继续教育申请表",
    "other": "其他",
}


class TemplateTextError(ValueError):
    """Malformed ``{...}`` in a template text; the message is Chinese."""


@dataclass(frozen=True)
class Segment:
    text: str  # literal text, or the blank's placeholder when ``blank`` is set
    blank: str | None = None


def segments(text: str, blanks: dict) -> list[Segment]:
    """Splits ``text`` into literal segments and blank segments (placeholder text)."""
    out: list[Segment] = []
    literal: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        literal.append(text[pos : m.start()])
        pos = m.end()
        tok = m.group(0)
        if tok == "{{":
            literal.append("{")
        elif tok == "}}":
            literal.append("}")
        elif m.group(1) is None:
            raise TemplateTextError(f"单独的“{tok}”：空白写作 {{名称}}，字面花括号写作 {{{{ 或 }}}}")
        else:
            name, bar, shown = m.group(1).partition("|")
            name = name.strip()
            if not NAME.match(name):
                raise TemplateTextError(f"空白名称 {{{name}}} 不合规：只能用小写字母、数字和下划线，且以字母开头")
            if name not in blanks:
                import difflib

                close = difflib.get_close_matches(name, list(blanks), n=1)
                hint = (
                    f"你是不是想写 {{{close[0]}}}？" if close else "已定义：" + ("、".join(sorted(blanks)) or "（无）")
                )
                raise TemplateTextError(f"空白 {{{name}}} 没有在 blanks 中定义；{hint}")
            if "".join(literal):
                out.append(Segment("".join(literal)))
            literal = []
            out.append(Segment(shown if bar and shown else placeholder(blanks, name), name))
    literal.append(text[pos:])
    if "".join(literal):
        out.append(Segment("".join(literal)))
    return out


def placeholder(blanks: dict, name: str) -> str:
    blank = blanks[name]
    return blank.get("placeholder") or blank["label"]


def line_text(line) -> str:
    return line if isinstance(line, str) else line["text"]


def line_align(line, default: str = "right") -> str:
    return default if isinstance(line, str) else line.get("align", default)


def cell_parts(cell) -> dict:
    """A cell as ``{"lines": [...line], "span": int, "label": bool, "height_cm": float|None}``."""
    if isinstance(cell, str):
        return {"lines": [cell], "span": 1, "label": False, "height_cm": None}
    lines = list(cell.get("lines") or [])
    if "text" in cell:
        lines.insert(0, cell["text"])
    return {
        "lines": lines,
        "span": cell.get("span", 1),
        "label": cell.get("label", False),
        "height_cm": cell.get("height_cm"),
    }


def texts(template: dict) -> Iterator[tuple[str, str]]:
    """Every text of the template with its dotted path (for checks and error positions)."""
    for i, block in enumerate(template.get("blocks", ())):
        kind = block.get("type")
        if kind == "title":
            for j, line in enumerate(block.get("lines", ())):
                yield f"blocks.{i}.lines.{j}", line
        elif kind in ("paragraph", "plain"):
            yield f"blocks.{i}.text", block.get("text", "")
        elif kind == "signature":
            for j, line in enumerate(block.get("lines", ())):
                suffix = "" if isinstance(line, str) else ".text"
                yield f"blocks.{i}.lines.{j}{suffix}", line_text(line)
        elif kind == "notes":
            for j, item in enumerate(block.get("items", ())):
                yield f"blocks.{i}.items.{j}", item
        elif kind == "table":
            for r, row in enumerate(block.get("rows", ())):
                for c, cell in enumerate(row):
                    if isinstance(cell, str):
                        yield f"blocks.{i}.rows.{r}.{c}", cell
                        continue
                    if "text" in cell:
                        yield f"blocks.{i}.rows.{r}.{c}.text", cell["text"]
                    for k, line in enumerate(cell.get("lines", ())):
                        suffix = "" if isinstance(line, str) else ".text"
                        yield f"blocks.{i}.rows.{r}.{c}.lines.{k}{suffix}", line_text(line)


def check_template(template: dict) -> list[tuple[str, str]]:
    """Cross-field checks the JSON Schema cannot express: (dotted path, Chinese message) pairs.

    Every ``{name}`` is defined; every blank is used; table rows add up to ``columns``; options exist
    for level/choice blanks.
    """
    problems: list[tuple[str, str]] = []
    blanks = template.get("blanks") or {}
    used: set[str] = set()
    for path, text in texts(template):
        try:
            for seg in segments(text, blanks):
                if seg.blank:
                    used.add(seg.blank)
        except TemplateTextError as err:
            problems.append((path, str(err)))
            # The other blanks of this text are still used: do not report them as unused.
            used.update(n for n in re.findall(r"\{([a-z][a-z0-9_]*)(?:\|[^{}]*)?\}", text) if n in blanks)
    for name in blanks:
        if name not in used:
            problems.append(
                (f"blanks.{name}", f"空白 {name} 已定义但正文中没有使用（删除它，或在正文中写 {{{name}}}）")
            )
    for name, blank in blanks.items():
        if blank.get("kind") in ("level", "choice") and not blank.get("options"):
            problems.append((f"blanks.{name}", f"空白 {name} 的类型为 {blank.get('kind')}，须给出 options"))
    for i, block in enumerate(template.get("blocks", ())):
        if block.get("type") != "table":
            continue
        columns = block.get("columns", 0)
        widths = block.get("widths_cm")
        if widths is not None and len(widths) != columns:
            problems.append((f"blocks.{i}.widths_cm", f"列宽有 {len(widths)} 个，但表格有 {columns} 列"))
        for r, row in enumerate(block.get("rows", ())):
            total = sum(cell_parts(c)["span"] for c in row)
            if total != columns:
                problems.append((f"blocks.{i}.rows.{r}", f"第 {r + 1} 行各单元格共跨 {total} 列，表格有 {columns} 列"))
    inferred = template.get("inferred")
    notices = (template.get("source") or {}).get("notices") or []
    if notices and not any(n.get("full_text") for n in notices) and not inferred:
        problems.append(("inferred", "出处通知都没有附模板全文：请写 inferred.reason 说明措辞依据"))
    return problems


def fill(template: dict, values: dict | None = None) -> dict:
    """Resolved text per block path with blanks replaced by ``values`` (or their placeholders)."""
    values = values or {}
    blanks = template["blanks"]
    out = {}
    for path, text in texts(template):
        out[path] = "".join(values.get(s.blank, s.text) if s.blank else s.text for s in segments(text, blanks))
    return out


def note_prefix(index: int) -> str:
    """Numbering written before each note item (``1.``), as in the originals."""
    return f"{index + 1}."


def plain_lines(template: dict, values: dict | None = None) -> list[str]:
    """The document's text, one entry per paragraph / table cell line, in reading order.

    This is exactly what the .docx contains (tests compare python-docx's re-read against it).
    Unfilled blanks show their placeholder.
    """
    resolved = fill(template, values)
    out: list[str] = []
    for i, block in enumerate(template["blocks"]):
        prefix = f"blocks.{i}."
        if block["type"] == "notes":
            out.append(block.get("heading", "注："))
            for j, _item in enumerate(block["items"]):
                out.append(note_prefix(j) + resolved[f"{prefix}items.{j}"])
            continue
        out.extend(text for path, text in resolved.items() if path.startswith(prefix))
    return out


def blank_order(template: dict) -> list[str]:
    """Blank names in order of first appearance in the document."""
    order: list[str] = []
    for _path, text in texts(template):
        for seg in segments(text, template["blanks"]):
            if seg.blank and seg.blank not in order:
                order.append(seg.blank)
    return order
