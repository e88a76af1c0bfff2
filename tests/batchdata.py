"""Applicant sheets for the batch-attachment tests (CLI and browser use the very same rows)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

TEMPLATE = "bortala-publicity"
SHARED = {
    "unit_name": "博乐市某某建设有限公司",
    "office": "人事",
    "phone": "0909-1234567",
    "publicity_start": "2025-09-29",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
HEADER = ["序号", "申报人姓名", "系列", "专业", "级别", "基本信息", "思想政治表现", "业绩成果"]


def applicants(count: int = 30) -> list[list[str]]:
    """``count`` rows; some cells carry markup, quotes, ampersands, line breaks, a tab and control
    characters, which must end up as plain text (control characters removed)."""
    rows = []
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + "测试" + "一二三四五六七八九十"[i % 10]
        level = "中级" if i % 3 else "初"
        basic = f"{'男' if i % 2 else '女'}，汉族，群众，身份证号6527011990010{i:04d}"
        if i == 1:
            basic = '女，"回族"\n<w:t>现任</w:t> & 技术员'
        if i == 2:
            basic = "男\x07，哈萨克族\x0b，\x1f中共党员\tA&B"
        rows.append(
            [
                str(i + 1),
                name,
                "工程",
                "建筑" if i % 2 else "电气",
                level,
                basic,
                "拥护党的路线方针政策，遵纪守法。",
                f"主持项目{i + 1}项，获得<b>奖励</b>。",
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]], header=HEADER, encoding="utf-8-sig") -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], header=HEADER) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        # openpyxl refuses control characters in cells, as Excel does: store the rest.
        ws.append([c.translate({7: None, 11: None, 31: None}) if isinstance(c, str) else c for c in row])
    wb.save(path)
    return path


def tsv(rows: list[list[str]], header=HEADER) -> str:
    """What Excel/WPS put on the clipboard: tab-separated, cells with line breaks or quotes quoted."""

    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(ch in c for ch in '\n\t"') else c

    return "\n".join("\t".join(cell(c) for c in r) for r in [header, *rows]) + "\n"


def write_shared(path: Path, shared: dict = SHARED) -> Path:
    path.write_text("".join(f"{k}: {v}\n" for k, v in shared.items()), encoding="utf-8")
    return path


DATE_CELL = datetime(2025, 9, 29)
