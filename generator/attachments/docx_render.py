"""Attachment templates → Word (.docx) files with python-docx.

Layout follows the conventions Chinese offices expect for 公文-style attachments: A4 paper,
margins 3.7/3.5/2.8/2.6 cm, title in 方正小标宋简体 二号 (22 pt) centred, body in 仿宋_GB2312
三号 (16 pt) with a fixed 28 pt line pitch and a two-character first-line indent, tables as real
tables. Font names are written for every script (``w:ascii``, ``w:hAnsi``, ``w:eastAsia``) and
the font table names 宋体 / 仿宋 as fallbacks, so Word, WPS and LibreOffice pick a suitable face.

Every blank is ONE run carrying the character style ``zcBlank_<name>``: the browser fills the
downloaded file by replacing that run's text inside ``word/document.xml`` (see
site_overrides/assets/javascripts/attachments/docx.js). Output is byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from generator.attachments.forms import cell_parts, line_align, line_text, note_prefix, segments

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
NOTE_SIZE = Pt(12)
LINE_PITCH = Pt(28)
BLANK_STYLE_PREFIX = "zcBlank_"
FIXED_TIME = datetime(2000, 1, 1)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def blank_style_id(name: str) -> str:
    return BLANK_STYLE_PREFIX + name


def _set_fonts(rpr_owner, name: str) -> None:
    """Sets ascii/hAnsi/eastAsia/cs font names on a style or run."""
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _set_lang(style) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_styles(doc, blank_names: list[str]) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    _set_fonts(normal, BODY_FONT)
    _set_lang(normal)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    # Theme fonts in the default template's docDefaults would override nothing once Normal
    # names its fonts, but set them too so new styles inherit the Chinese faces.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), BODY_FONT)
    for name in blank_names:
        style = doc.styles.add_style(blank_style_id(name), WD_STYLE_TYPE.CHARACTER)
        style.hidden = False
        style.quick_style = False


def _font_table(doc) -> None:
    """Declares the Chinese faces with the common fallbacks (altName) in word/fontTable.xml."""
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            break
    else:  # pragma: no cover - the default template always has a font table
        return
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for face, alt, family, pitch in (
        (BODY_FONT, BODY_FALLBACK, "modern", "fixed"),
        (TITLE_FONT, TITLE_FALLBACK, "roman", "variable"),
    ):
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", face)
        etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
        etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")  # GB2312
        etree.SubElement(font, f"{{{w}}}family").set(f"{{{w}}}val", family)
        etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", pitch)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.top_margin = Cm(3.7)
    section.bottom_margin = Cm(3.5)
    section.left_margin = Cm(2.8)
    section.right_margin = Cm(2.6)


def _add_text(
    paragraph,
    text: str,
    blanks: dict,
    values: dict,
    *,
    underline: bool,
    font: str | None = None,
    size=None,
    bold: bool = False,
) -> None:
    """Appends ``text``: literal runs, and ONE run per blank (style zcBlank_<name>)."""
    for seg in segments(text, blanks):
        if seg.blank:
            value = values.get(seg.blank)
            run = paragraph.add_run(value if value is not None else seg.text, style=blank_style_id(seg.blank))
            run.font.underline = underline
        else:
            run = paragraph.add_run(seg.text)
        if font:
            run.font.name = font
            _set_fonts(run, font)
        if size is not None:
            run.font.size = size
        if bold:
            run.font.bold = True


def _fmt(paragraph, *, align=None, first_indent=None, right_indent=None, size=None) -> None:
    pf = paragraph.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = first_indent
    if right_indent is not None:
        pf.right_indent = right_indent
    if size is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(round(size.pt * 1.5))


def _spacer(doc, count: int = 1) -> None:
    for _ in range(count):
        doc.add_paragraph()


def _table(doc, block: dict, blanks: dict, values: dict) -> None:
    columns = block["columns"]
    rows = block["rows"]
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = block.get("widths_cm")
    for r, row in enumerate(rows):
        col = 0
        doc_row = table.rows[r]
        for cell_spec in row:
            parts = cell_parts(cell_spec)
            cell = doc_row.cells[col]
            if parts["span"] > 1:
                cell = cell.merge(doc_row.cells[col + parts["span"] - 1])
            if widths:
                cell.width = Cm(sum(widths[col : col + parts["span"]]))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if parts["height_cm"]:
                doc_row.height = Cm(parts["height_cm"])
                doc_row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            paragraph = cell.paragraphs[0]
            for k, line in enumerate(parts["lines"]):
                if k:
                    paragraph = cell.add_paragraph()
                default = "center" if parts["label"] else "left"
                _fmt(paragraph, align=ALIGN[line_align(line, default)], size=TABLE_SIZE)
                _add_text(
                    paragraph, line_text(line), blanks, values, underline=False, size=TABLE_SIZE, bold=parts["label"]
                )
            col += parts["span"]
    if widths:
        for c, width in enumerate(widths):
            table.columns[c].width = Cm(width)


def build_document(template: dict, values: dict | None = None):
    """The python-docx Document for ``template`` (blanks filled from ``values`` when given)."""
    values = values or {}
    blanks = template["blanks"]
    doc = Document()
    _page(doc)
    _setup_styles(doc, list(blanks))
    _font_table(doc)
    # The default template starts with no paragraphs; keep it that way.
    for block in template["blocks"]:
        kind = block["type"]
        if kind == "title":
            for line in block["lines"]:
                p = doc.add_paragraph()
                _fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER)
                p.paragraph_format.line_spacing = Pt(36)
                _add_text(p, line, blanks, values, underline=True, font=TITLE_FONT, size=TITLE_SIZE)
            _spacer(doc)
        elif kind in ("paragraph", "plain"):
            p = doc.add_paragraph()
            _fmt(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=BODY_SIZE * 2 if kind == "paragraph" else None)
            _add_text(p, block["text"], blanks, values, underline=True)
        elif kind == "signature":
            _spacer(doc, block.get("space_before", 1))
            for line in block["lines"]:
                p = doc.add_paragraph()
                _fmt(p, align=ALIGN[line_align(line)], right_indent=BODY_SIZE * 2)
                _add_text(p, line_text(line), blanks, values, underline=True)
        elif kind == "table":
            _table(doc, block, blanks, values)
        elif kind == "notes":
            p = doc.add_paragraph()
            _fmt(p, size=NOTE_SIZE)
            _add_text(p, block.get("heading", "注："), blanks, values, underline=True, size=NOTE_SIZE)
            for j, item in enumerate(block["items"]):
                p = doc.add_paragraph()
                _fmt(p, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=NOTE_SIZE * 2, size=NOTE_SIZE)
                p.add_run(note_prefix(j)).font.size = NOTE_SIZE
                _add_text(p, item, blanks, values, underline=True, size=NOTE_SIZE)
    props = doc.core_properties
    # python-docx refuses core properties longer than 255 characters (ValueError).
    props.title = template["title"][:255]
    props.subject = template.get("summary", "")[:255]
    props.author = "新疆职称申报指引"
    props.last_modified_by = "新疆职称申报指引"
    props.language = "zh-CN"
    props.keywords = template["id"]
    if template.get("inferred"):
        props.comments = ("本模板为按通知要求拟写，非通知原文：" + template["inferred"]["reason"])[:255]
    else:
        props.comments = "照录通知附件原文。"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    return doc


def _reproducible(blob: bytes) -> bytes:
    """Rewrites the zip with fixed timestamps and order so builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def render_docx(template: dict, values: dict | None = None) -> bytes:
    """The .docx bytes of ``template``; blanks show their placeholders unless ``values`` fill them."""
    buf = io.BytesIO()
    build_document(template, values).save(buf)
    return _reproducible(buf.getvalue())


def docx_lines(blob: bytes) -> list[str]:
    """Re-reads a .docx (python-docx) into its non-empty paragraph texts, tables in place,
    merged cells once — the counterpart of :func:`generator.attachments.forms.plain_lines`."""
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(blob))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, doc).text
            if text:
                lines.append(text)
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            for tr in child.tr_lst:
                for tc in tr.tc_lst:
                    lines.extend(p.text for p in _Cell(tc, table).paragraphs)
    return lines
