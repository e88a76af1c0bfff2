"""Batch attachments: one filled template per applicant row of a sheet (.csv / .xlsx / pasted TSV).

The same rules run in the browser (site_overrides/assets/javascripts/attachments/rows.js); the
parity tests feed both the same rows and compare values, problems and the documents' text.

- ``read_table(path)`` → ``Table(header, rows)``; rows keep their sheet row number (header = 1).
- ``map_columns(template, header)`` → blank name (or None) per column: a header cell is a blank id,
  its Chinese label, the label without its parenthesised part, or 姓名 for ``applicant_name``.
- ``check_row(...)`` → ``RowResult``: the text that goes into each blank (dates as 2025年9月29日),
  the row's problems (Chinese, without the ``第 N 行：`` prefix), warnings and notes (publicity end
  suggested as the N-th working day under the engine's calendar).
- ``render_all(...)`` → file name → .docx bytes, or one .zip, or one .docx with a section per applicant.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from generator.engine import clock
from generator.errors import UserError

# Blanks a unit usually fills once for everybody; the column template leaves them out.
SHARED_BLANKS = ("unit_name", "office", "phone", "publicity_start", "publicity_end", "publicity_days", "sign_date")
HEADER_ALIASES = {"姓名": "applicant_name", "申报人": "applicant_name"}
# Characters XML 1.0 (and so Word) cannot hold, C1 controls, BOM, text-reordering controls and
# surrogates (a str decoded from UTF-8 has none; only lone ones could get here).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")
_DATE = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")
_ISO_PREFIX = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]|$)")
_INT = re.compile(r"^[0-9]+$")
DATE_HINT = "可写作 2025-09-29、2025/9/29 或 2025年9月29日"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (sheet row number, cells)


@dataclass
class RowResult:
    line: int
    values: dict[str, str]  # blank → text in the document
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "values": self.values,
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.notes,
        }


# ---------------------------------------------------------------- cells and tables


def clean(value) -> str:
    """A cell as the text written into a document: line breaks as ``\\n``, no control characters
    (they are not allowed in XML), no surrounding spaces. Markup stays literal text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def parse_delimited(text: str) -> list[list[str]]:
    """CSV (comma) or TSV (Excel/WPS clipboard) with quoted cells; the delimiter is a tab when the
    first line has a tab, else a comma."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as err:
        raise UserError(f"表格无法读取：{err}") from None


def decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (Excel's “CSV” on Chinese Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UserError(f"{name}：无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）") from None


def table_from_rows(raw: list[list]) -> Table:
    """Header = first non-empty row; rows keep their 1-based row numbers; empty rows are dropped."""
    cleaned = [(i + 1, [clean(c) for c in row]) for i, row in enumerate(raw)]
    cleaned = [(n, cells) for n, cells in cleaned if any(cells)]
    if not cleaned:
        return Table([], [])
    return Table(cleaned[0][1], cleaned[1:])


def read_table(path: Path) -> Table:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}：文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # zipfile.BadZipFile, KeyError, InvalidFileException …
            raise UserError(f"{path}：不是有效的 .xlsx 文件（{type(err).__name__}）") from None
        try:
            ws = wb.worksheets[0]
            raw: list[list] = []
            for row in ws.iter_rows():
                cells = list(row)
                if not cells:
                    raw.append([])
                    continue
                number = getattr(cells[0], "row", None) or len(raw) + 1
                while len(raw) < number - 1:
                    raw.append([])
                raw.append([c.value for c in cells])
        finally:
            wb.close()
        return table_from_rows(raw)
    if suffix in (".csv", ".tsv", ".txt"):
        return table_from_rows(parse_delimited(decode_csv(path.read_bytes(), str(path))))
    raise UserError(f"{path}：只支持 .csv 和 .xlsx 文件")


# ---------------------------------------------------------------- columns


def _norm_header(text: str) -> str:
    text = re.sub(r"[\s*＊:：]", "", clean(text)).replace("(", "（").replace(")", "）")
    return text.lower()


def header_keys(template: dict) -> dict[str, str]:
    """Normalised header text → blank name."""
    keys: dict[str, str] = {}
    blanks = template["blanks"]
    for name, alias in ((v, k) for k, v in HEADER_ALIASES.items()):
        if name in blanks:
            keys.setdefault(_norm_header(alias), name)
    for name, blank in blanks.items():
        label = _norm_header(blank["label"])
        keys[name.lower()] = name
        keys[label] = name
        short = re.sub(r"（[^）]*）", "", label)
        if short:
            keys.setdefault(short, name)
    return keys


def map_columns(template: dict, header: list[str]) -> list[str | None]:
    keys = header_keys(template)
    out: list[str | None] = []
    for cell in header:
        name = keys.get(_norm_header(cell))
        out.append(name if name and name not in out else None)
    return out


def column_headers(template: dict) -> list[str]:
    """The column template's header: the per-applicant blanks' labels in document order."""
    from generator.attachments.forms import blank_order

    return [template["blanks"][n]["label"] for n in blank_order(template) if n not in SHARED_BLANKS]


# ---------------------------------------------------------------- values


def parse_date(text: str) -> date | None:
    m = _DATE.match(text.strip())
    if not m:
        return clock.date_or_none(text) if _ISO_PREFIX.match(text) else None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def date_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check_values(template: dict, raw: dict[str, str]) -> tuple[dict[str, str], dict[str, date], list[str]]:
    """Per-field formats: text per blank, parsed dates, problems."""
    values: dict[str, str] = {}
    dates: dict[str, date] = {}
    problems: list[str] = []
    for name, blank in template["blanks"].items():
        value = clean(raw.get(name))
        if not value:
            continue
        kind, label = blank["kind"], blank["label"]
        if kind == "date":
            d = parse_date(value)
            if d is None:
                problems.append(f"{label}“{value}”不是有效日期（{DATE_HINT}）")
                continue
            dates[name] = d
            value = date_cn(d)
        elif kind == "level":
            options = blank.get("options") or []
            if value not in options and value.endswith("级") and value[:-1] in options:
                value = value[:-1]
            if value not in options:
                problems.append(f"{label}“{value}”不是本通知评审的级别（可填：{'、'.join(options)}）")
                continue
        elif kind == "choice":
            options = blank.get("options") or []
            if value not in options:
                problems.append(f"{label}“{value}”不是可选的内容（可填：{'、'.join(options)}）")
                continue
        elif kind == "number":
            if not _INT.match(value):
                problems.append(f"{label}“{value}”不是整数")
                continue
        values[name] = value
    return values, dates, problems


def check_row(
    template: dict,
    line: int,
    row: dict[str, str],
    shared: dict[str, str],
    *,
    min_workdays: int | None,
    holidays: dict | None,
) -> RowResult:
    """One applicant: ``shared`` values apply where the row's cell is empty."""
    from generator.engine import EngineError, count_workdays, nth_workday

    merged = {**{k: v for k, v in shared.items() if clean(v)}, **{k: v for k, v in row.items() if clean(v)}}
    values, dates, problems = check_values(template, merged)
    result = RowResult(line, values, problems)
    blanks = template["blanks"]
    if (
        "applicant_name" in blanks
        and not values.get("applicant_name")
        and not any(p.startswith(blanks["applicant_name"]["label"]) for p in problems)
    ):
        problems.insert(0, f"{blanks['applicant_name']['label']}未填写")
    start, end = dates.get("publicity_start"), dates.get("publicity_end")
    bad_end = "publicity_end" in merged and "publicity_end" not in dates
    if start and "publicity_end" in blanks and min_workdays and not bad_end:
        try:
            earliest = nth_workday(start, min_workdays, holidays=holidays)
            if end is None:
                end = earliest
                dates["publicity_end"] = end
                values["publicity_end"] = date_cn(end)
                result.notes.append(f"公示结束日期按第 {min_workdays} 个工作日填为 {date_cn(end)}")
            elif end < start:
                problems.append(f"公示结束日期（{date_cn(end)}）早于开始日期（{date_cn(start)}）")
            else:
                days = count_workdays(start, end, holidays=holidays)
                if days < min_workdays:
                    problems.append(
                        f"公示期只有 {days} 个工作日（{date_cn(start)}至{date_cn(end)}），少于通知要求的 "
                        f"{min_workdays} 个工作日；最早可于 {date_cn(earliest)} 结束"
                    )
        except EngineError as err:
            result.warnings.append(_calendar_warning(err))
    elif start and end and end < start:
        problems.append(f"公示结束日期（{date_cn(end)}）早于开始日期（{date_cn(start)}）")
    if (
        "publicity_days" in blanks
        and "publicity_days" not in values
        and start
        and end
        and end >= start
        and not any(p.startswith("公示") for p in problems)
    ):
        try:
            days = count_workdays(start, end, holidays=holidays)
            values["publicity_days"] = str(days)
            result.notes.append(f"公示天数按工作日填为 {days}")
        except EngineError as err:
            if not result.warnings:
                result.warnings.append(_calendar_warning(err))
    return result


def _calendar_warning(err) -> str:
    year = re.search(r"(\d{4}) 年", err.message)
    which = f" {year.group(1)} 年" if year else ""
    return f"本站没有{which}的法定节假日与调休安排，无法按工作日计算或核对公示期，请按国务院办公厅公布的安排自行核对"


def rows_as_dicts(table: Table, mapping: list[str | None]) -> list[tuple[int, dict[str, str]]]:
    out = []
    for line, cells in table.rows:
        row = {}
        for i, name in enumerate(mapping):
            if name and i < len(cells) and cells[i]:
                row[name] = cells[i]
        out.append((line, row))
    return out


# ---------------------------------------------------------------- files


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)


def base_name(template: dict) -> str:
    return _safe(re.sub(r"（模板）|\(模板\)", "", template["title"]))


def file_names(template: dict, results: list[RowResult]) -> list[str]:
    """``推荐单位公示-王小明.docx``; a name used twice gets its row number (``-第3行``)."""
    base = base_name(template)
    who = [_safe(r.values.get("applicant_name", ""))[:40] for r in results]
    out = []
    for r, name in zip(results, who):
        stem = f"{base}-{name}" if name else f"{base}-第{r.line}行"
        if name and who.count(name) > 1:
            stem += f"-第{r.line}行"
        out.append(stem + ".docx")
    return out


def merge_docx(blobs: list[bytes]) -> bytes:
    """One .docx with a section (new page) per document; styles come from the first one, which
    is the same template for all."""
    from docx import Document
    from docx.oxml.ns import qn

    from generator.attachments.docx_render import _reproducible

    docs = [Document(io.BytesIO(b)) for b in blobs]
    first = docs[0]
    body = first.element.body
    final = body.find(qn("w:sectPr"))
    for doc in docs[1:]:
        # Close the previous applicant's section with a copy of the page settings.
        p = body.makeelement(qn("w:p"), {})
        ppr = p.makeelement(qn("w:pPr"), {})
        ppr.append(copy.deepcopy(final))
        p.append(ppr)
        final.addprevious(p)
        for child in list(doc.element.body):
            if child.tag != qn("w:sectPr"):
                final.addprevious(copy.deepcopy(child))
    buf = io.BytesIO()
    first.save(buf)
    return _reproducible(buf.getvalue())


def zip_files(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def render_all(template: dict, results: list[RowResult]) -> dict[str, bytes]:
    from generator.attachments.docx_render import render_docx

    return {name: render_docx(template, r.values) for name, r in zip(file_names(template, results), results)}


def min_publicity_workdays(content, template: dict) -> int | None:
    """The longest minimum publicity period among the notices that use ``template``."""
    values = []
    for src in template["source"]["notices"]:
        notice = content.notices.get(src["notice"]) or {}
        pub = (notice.get("parameters") or {}).get("publicity") or {}
        if pub.get("min_workdays"):
            values.append(pub["min_workdays"])
    return max(values) if values else None


# ---------------------------------------------------------------- column templates


def columns_csv(template: dict) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(column_headers(template))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def columns_xlsx(template: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from generator.attachments.docx_render import FIXED_TIME, _reproducible

    wb = Workbook()
    ws = wb.active
    ws.title = "申报人"
    ws.append(column_headers(template))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = max(12, len(cell.value) * 2 + 4)
    ws.freeze_panes = "A2"
    wb.properties.creator = "新疆职称申报指引"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())
