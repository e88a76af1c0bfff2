"""``new --from ID --year YYYY``: next year's notice of the same issuer, from an existing one.

The source file is copied with ruamel.yaml's round-trip mode (comments, key order, quoting and the
``# yaml-language-server`` line survive); ``id``, ``year`` and the year in ``title`` /
``short_title`` / ``summary`` are updated; every date (timeline, issued_on, rule conditions ...)
is shifted by the year difference, and each shifted field gets a TODO entry in ``inferred``
telling the editor to confirm it against the new notice. Nothing is overwritten.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from generator.errors import UserError, display_path

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2})?\+08:00)?$")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/notice.schema.json"
TODO = "TODO 待核对"
# Integer year lists that move with the notice year (e.g. the continuing-education years).
YEAR_LISTS = (("parameters", "continuing_education", "years"),)


@dataclass
class Scaffold:
    path: Path
    new_id: str
    shifted: list[tuple[str, str, str]] = field(default_factory=list)  # (dotted, old, new)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def find_notice_file(content_dir: Path, notice_id: str) -> Path:
    notices = content_dir / "notices"
    direct = notices / f"{notice_id}.yaml"
    if direct.is_file():
        return direct
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(notice_id)}['\"]?\s*$", re.M)
    for path in sorted(notices.glob("*.yaml")) if notices.is_dir() else ():
        try:
            if pattern.search(path.read_text(encoding="utf-8")):
                return path
        except (OSError, UnicodeDecodeError):
            continue
    known = sorted(p.stem for p in notices.glob("*.yaml")) if notices.is_dir() else []
    raise UserError(f"找不到通知 {notice_id!r}（在 {display_path(notices)} 中）；已有：{'、'.join(known) or '（无）'}")


def _shift_date(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 2月29日 → 2月28日
        return d.replace(year=d.year + years, day=28)


def shift_value(value: str, years: int) -> str:
    m = DATE_RE.match(value)
    if not m:
        return value
    d = _shift_date(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), years)
    return d.isoformat() + (m.group(4) or "")


def _walk(node, path: list, years: int, shifted: list, skip_root_keys=("inferred", "id", "year", "source")):
    """Shifts every date string (or date object) in place; records (dotted, old, new)."""
    if isinstance(node, CommentedMap):
        items = list(node.items())
        for key, value in items:
            if not path and key in skip_root_keys:
                continue
            new = _shifted(value, years)
            if new is not None:
                node[key] = new
                shifted.append((".".join(map(str, path + [key])), _text(value), _text(new)))
            else:
                _walk(value, path + [key], years, shifted)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(list(node)):
            new = _shifted(value, years)
            if new is not None:
                node[i] = new
                shifted.append((".".join(map(str, path + [i])), _text(value), _text(new)))
            else:
                _walk(value, path + [i], years, shifted)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _shifted(value, years: int):
    if isinstance(value, datetime):
        return value.replace(year=_shift_date(value.date(), years).year)
    if isinstance(value, date):
        return _shift_date(value, years)
    if isinstance(value, str) and DATE_RE.match(value):
        new = shift_value(str(value), years)
        if isinstance(value, ScalarString):
            return type(value)(new)
        return new
    return None


def _replace_year(text, old: int, new: int):
    if not isinstance(text, str):
        return text
    replaced = re.sub(rf"(?<!\d){old}(?=\s*年)", str(new), str(text))
    if not isinstance(text, ScalarString):
        return replaced
    out = type(text)(replaced)
    if hasattr(text, "fold_pos") and len(replaced) == len(text):  # keep the folded line breaks
        out.fold_pos = list(text.fold_pos)
    return out


def scaffold(content_dir: Path, from_id: str, year: int) -> Scaffold:
    src = find_notice_file(content_dir, from_id)
    y = _yaml()
    try:
        raw = src.read_text(encoding="utf-8")
        data = y.load(raw)
    except Exception as err:  # ruamel raises many types; all mean "fix the source first"
        raise UserError(f"{display_path(src)}: 无法读取来源通知（请先运行 python -m generator check）：{err}") from None
    if not isinstance(data, CommentedMap) or "id" not in data or "year" not in data:
        raise UserError(f"{display_path(src)}: 来源通知缺少 id 或 year 字段")
    old_year = int(data["year"])
    if not (2000 <= year <= 2100):
        raise UserError(f"--year：{year} 不是合理的年度（2000–2100）")
    if year == old_year:
        raise UserError(f"--year：{year} 与来源通知的年度相同；请给出新的年度")
    delta = year - old_year
    old_id = str(data["id"])
    new_id = re.sub(r"^\d{4}", str(year), old_id) if re.match(r"^\d{4}-", old_id) else f"{year}-{old_id}"
    target = content_dir / "notices" / f"{new_id}.yaml"
    if target.exists():
        raise UserError(f"{display_path(target)} 已存在，未覆盖。要重新生成，请先删除或改名该文件。")
    try:
        find_notice_file(content_dir, new_id)
    except UserError:
        pass
    else:
        raise UserError(f"通知标识 {new_id!r} 已被其他文件使用，未生成。")

    result = Scaffold(path=target, new_id=new_id)
    _walk(data, [], delta, result.shifted)
    for keys in YEAR_LISTS:
        node = data
        for k in keys:
            node = node.get(k) if isinstance(node, CommentedMap) else None
        if isinstance(node, CommentedSeq):
            for i, v in enumerate(list(node)):
                if isinstance(v, int) and not isinstance(v, bool):
                    node[i] = v + delta
                    result.shifted.append((".".join(keys) + f".{i}", str(v), str(v + delta)))

    data["id"] = new_id
    data["year"] = year
    text_fields = []
    for key in ("title", "short_title", "summary"):
        if key in data:
            new_text = _replace_year(data[key], old_year, year)
            if new_text != data[key]:
                data[key] = new_text
            text_fields.append(key)
    if isinstance(data.get("source"), CommentedMap):
        data["source"]["file"] = f"{TODO}：{year}年度通知原文文件名"
        data["source"]["note"] = (f"由 {old_id} 用 python -m generator new 生成；"
                                  f"{TODO}：请按 {year} 年度通知原文逐项核对全部内容后改写本说明。")

    shifted_fields = {dotted for dotted, _o, _n in result.shifted}
    inferred = CommentedSeq()
    for dotted, old, new in result.shifted:
        inferred.append(CommentedMap([
            ("field", dotted),
            ("reason", f"{TODO}：由 {old_id} 的 {old} 按年度顺延{delta}年得到（{new}），"
                       f"请按新通知原文改正日期与时刻后删除本条。"),
        ]))
    for key in text_fields:
        inferred.append(CommentedMap([
            ("field", key),
            ("reason", f"{TODO}：由 {old_id} 复制，年份已改为 {year}；请按新通知原文核对措辞后删除本条。"),
        ]))
    for entry in data.get("inferred") or []:
        if isinstance(entry, CommentedMap) and entry.get("field") not in shifted_fields | set(text_fields):
            inferred.append(entry)
    data["inferred"] = inferred

    buf = io.StringIO()
    y.dump(data, buf)
    out = buf.getvalue()
    first = raw.splitlines()[0] if raw else ""
    header = first if first.startswith("# yaml-language-server:") else SCHEMA_LINE
    if not out.startswith(header):
        out = header + "\n" + out
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as fh:  # never overwrite, even in a race
        fh.write(out)
    return result
