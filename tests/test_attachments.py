"""Batch attachments from the command line: ``python -m generator attachment`` (CONTRACTS §4)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from batchdata import HEADER, SHARED, TEMPLATE, applicants, write_csv, write_shared, write_xlsx
from docx import Document

from generator.attachments import rows as att
from generator.attachments.docx_render import docx_lines
from generator.attachments.forms import plain_lines
from generator.engine import count_workdays, is_workday, nth_workday

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def template() -> dict:
    from generator.content.load import load_content

    return load_content(ROOT / "content").templates[TEMPLATE]


def expected_values(row: list[str]) -> dict[str, str]:
    """What one sheet row (HEADER order) plus SHARED puts into the document."""
    name, series, specialty, level, basic, political, achievements = row[1:8]
    end = nth_workday(date(2025, 9, 29), 5)
    return {
        "applicant_name": name,
        "series": series,
        "specialty": specialty,
        "level": level.removesuffix("级"),
        "basic_info": att.clean(basic),
        "political": political,
        "achievements": achievements,
        "unit_name": SHARED["unit_name"],
        "office": SHARED["office"],
        "phone": SHARED["phone"],
        "publicity_start": "2025年9月29日",
        "publicity_end": f"{end.year}年{end.month}月{end.day}日",
    }


def test_thirty_rows_from_csv_and_xlsx_give_the_same_thirty_documents(tmp_path):
    rows = applicants(30)
    shared = write_shared(tmp_path / "shared.yaml")
    out_csv, out_xlsx = tmp_path / "csv", tmp_path / "xlsx"
    r1 = cli(
        "attachment",
        "--template",
        TEMPLATE,
        "--rows",
        str(write_csv(tmp_path / "a.csv", rows)),
        "--shared",
        str(shared),
        "--out",
        str(out_csv),
    )
    r2 = cli(
        "attachment",
        "--template",
        TEMPLATE,
        "--rows",
        str(write_xlsx(tmp_path / "a.xlsx", rows)),
        "--shared",
        str(shared),
        "--out",
        str(out_xlsx),
    )
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    assert "已为 30 位申报人生成" in r1.stdout
    assert "提示：表头“序号”不对应任何空白，已忽略。" in r1.stderr
    files = sorted(p.name for p in out_csv.iterdir())
    assert len(files) == 30 and files == sorted(p.name for p in out_xlsx.iterdir())
    tpl = template()
    for row in rows:
        name = f"推荐单位公示-{row[1]}.docx"
        blob = (out_csv / name).read_bytes()
        assert blob == (out_xlsx / name).read_bytes()  # byte-identical from either sheet
        lines = docx_lines(blob)
        assert lines == plain_lines(tpl, expected_values(row))
    # Markup and quotes stay text; control characters are gone, the tab and line break stay.
    assert (
        docx_lines((out_csv / f"推荐单位公示-{rows[1][1]}.docx").read_bytes())[2]
        == '基本信息：女，"回族"\n<w:t>现任</w:t> & 技术员'
    )
    assert (
        docx_lines((out_csv / f"推荐单位公示-{rows[2][1]}.docx").read_bytes())[2]
        == "基本信息：男，哈萨克族，中共党员\tA&B"
    )
    # 2025-09-29 + 5 working days crosses the National Day holiday to the adjusted Saturday.
    assert "公示时间从2025年9月29日起至2025年10月11日止" in "".join(docx_lines(blob))


def test_zip_and_merged_formats(tmp_path):
    rows = applicants(4)
    src = write_csv(tmp_path / "a.csv", rows)
    shared = write_shared(tmp_path / "shared.yaml")
    r = cli(
        "attachment",
        "--template",
        TEMPLATE,
        "--rows",
        str(src),
        "--shared",
        str(shared),
        "--out",
        str(tmp_path / "z"),
        "--format",
        "zip",
    )
    assert r.returncode == 0, r.stderr
    z = zipfile.ZipFile(tmp_path / "z" / "推荐单位公示.zip")
    assert z.testzip() is None
    assert sorted(z.namelist()) == sorted(f"推荐单位公示-{row[1]}.docx" for row in rows)
    r = cli(
        "attachment",
        "--template",
        TEMPLATE,
        "--rows",
        str(src),
        "--shared",
        str(shared),
        "--out",
        str(tmp_path / "m"),
        "--format",
        "merged",
    )
    assert r.returncode == 0, r.stderr
    merged = (tmp_path / "m" / "推荐单位公示-4人.docx").read_bytes()
    doc = Document(io.BytesIO(merged))
    assert len(doc.sections) == 4  # one section (new page) per applicant
    tpl = template()
    assert docx_lines(merged) == [line for row in rows for line in plain_lines(tpl, expected_values(row))]


def test_bad_rows_fail_the_whole_run_and_write_nothing(tmp_path):
    rows = applicants(3)
    rows[0][1] = ""  # 第 2 行: no name
    rows[1][4] = "副高"  # 第 3 行: a level 博州 does not evaluate
    rows.append(["4", "赵测试", "工程", "电气", "初", "女", "", ""])
    header = HEADER + ["公示开始日期", "公示结束日期"]
    rows = [r + ["", ""] for r in rows]
    rows[2][-2:] = ["2025-13-01", ""]  # 第 4 行: not a date
    rows[3][-2:] = ["2025-09-29", "2025-10-09"]  # 第 5 行: 9/29, 9/30, 10/9 = 3 working days
    src = write_csv(tmp_path / "bad.csv", rows, header=header)
    out = tmp_path / "out"
    r = cli(
        "attachment",
        "--template",
        TEMPLATE,
        "--rows",
        str(src),
        "--shared",
        str(write_shared(tmp_path / "s.yaml")),
        "--out",
        str(out),
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [
        "第 2 行：申报人姓名未填写",
        "第 3 行：级别“副高”不是本通知评审的级别（可填：初、中）",
        "第 4 行：公示开始日期“2025-13-01”不是有效日期（可写作 2025-09-29、2025/9/29 或 2025年9月29日）",
        "第 5 行：公示期只有 3 个工作日（2025年9月29日至2025年10月9日），少于通知要求的 5 个工作日；"
        "最早可于 2025年10月11日 结束",
        "未生成任何文件。",
    ]
    assert not out.exists()


def test_three_working_day_period_is_flagged_from_an_xlsx_with_date_cells(tmp_path):
    from datetime import datetime

    header = ["申报人姓名", "级别", "公示开始日期", "公示结束日期"]
    src = write_xlsx(
        tmp_path / "a.xlsx", [["王测试", "中", datetime(2025, 9, 29), datetime(2025, 10, 9)]], header=header
    )
    r = cli("attachment", "--template", TEMPLATE, "--rows", str(src), "--out", str(tmp_path / "o"))
    assert r.returncode == 1
    assert r.stderr.startswith("第 2 行：公示期只有 3 个工作日（2025年9月29日至2025年10月9日）")
    assert count_workdays("2025-09-29", "2025-10-09") == 3


def test_headers_by_id_label_and_alias_gbk_csv_and_shared_by_label(tmp_path):
    header = ["applicant_name", "级别", "公示开始日期 *", "备注"]
    src = write_csv(tmp_path / "gbk.csv", [["李测试", "初级", "2025/9/29", "x"]], header=header, encoding="gb18030")
    shared = tmp_path / "s.yaml"
    shared.write_text("推荐单位（人事代理机构）名称: 某某公司\nphone: 0909-7654321\n", encoding="utf-8")
    r = cli(
        "attachment", "--template", TEMPLATE, "--rows", str(src), "--shared", str(shared), "--out", str(tmp_path / "o")
    )
    assert r.returncode == 0, r.stderr
    text = "\n".join(docx_lines((tmp_path / "o" / "推荐单位公示-李测试.docx").read_bytes()))
    assert "现对李测试同志申报××系列××专业初级职称" in text
    assert "某某公司（公章）" in text and "0909-7654321" in text
    assert "至2025年10月11日止" in text
    assert "表头“备注”不对应任何空白" in r.stderr
    tpl = template()
    assert att.map_columns(tpl, ["姓名", "申报人姓名", "推荐单位名称", "LEVEL"]) == [
        "applicant_name",
        None,
        "unit_name",
        "level",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--template", "no-such"], "--template：没有模板 'no-such'"),
        (["--rows", "missing.csv"], "missing.csv：文件不存在"),
        (["--rows", "README.md"], "只支持 .csv 和 .xlsx 文件"),
        (["--rows", "{bad_xlsx}"], "不是有效的 .xlsx 文件"),
        (["--rows", "{no_match}"], "第 1 行：表头没有任何一列对应模板 bortala-publicity 的空白"),
        (["--shared", "{bad_shared}"], "“单位”不是模板 bortala-publicity 的空白"),
    ],
)
def test_user_errors_are_one_chinese_message(tmp_path, args, message):
    bad_xlsx = tmp_path / "bad.xlsx"
    bad_xlsx.write_bytes(b"not a zip")
    no_match = write_csv(tmp_path / "n.csv", [["1"]], header=["序号"])
    bad_shared = tmp_path / "s.yaml"
    bad_shared.write_text("单位: x\n", encoding="utf-8")
    good = write_csv(tmp_path / "g.csv", applicants(1))
    base = {"--template": TEMPLATE, "--rows": str(good), "--out": str(tmp_path / "o")}
    for k, v in zip(args[::2], args[1::2]):
        base[k] = v.format(bad_xlsx=bad_xlsx, no_match=no_match, bad_shared=bad_shared)
    r = cli("attachment", *[x for kv in base.items() for x in kv])
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


def test_help_lists_the_command():
    r = cli("--help")
    assert "attachment" in r.stdout and "批量生成附件模板" in r.stdout
    r = cli("attachment", "--help")
    for option in ("--template", "--rows", "--shared", "--out", "--format"):
        assert option in r.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m generator attachment --template ID --rows FILE" in readme


def test_row_rules_unknown_year_is_said_plainly():
    tpl = template()
    r = att.check_row(
        tpl, 2, {"applicant_name": "王测试", "publicity_start": "2031-03-03"}, {}, min_workdays=5, holidays={}
    )
    assert r.problems == []
    assert r.warnings == [
        "本站没有 2031 年的法定节假日与调休安排，无法按工作日计算或核对公示期，请按国务院办公厅公布的安排自行核对"
    ]
    assert "publicity_end" not in r.values  # never guessed


def test_column_templates_map_to_every_column(site_dir):
    from openpyxl import load_workbook

    from generator.content.load import load_content

    for tid, tpl in load_content(ROOT / "content").templates.items():
        wb = load_workbook(site_dir / "templates" / f"{tid}-columns.xlsx")
        header = [c.value for c in wb.worksheets[0][1]]
        assert header == att.column_headers(tpl) and header
        assert all(att.map_columns(tpl, header))
        csv_text = (site_dir / "templates" / f"{tid}-columns.csv").read_bytes().decode("utf-8-sig")
        assert csv_text.strip().split(",") == header
        page = (site_dir / "templates" / tid / "index.html").read_text(encoding="utf-8")
        assert f'href="../{tid}-columns.xlsx"' in page and 'id="zc-batch"' in page


def test_browser_calendar_is_the_engines(site_dir):
    """templates/workdays.json lists, for each year it has, exactly the engine's working days."""
    data = json.loads((site_dir / "templates" / "workdays.json").read_text(encoding="utf-8"))
    assert {"2024", "2025", "2026"} <= set(data["years"])
    for year, entry in data["years"].items():
        day, days = date(int(year), 1, 1), []
        while day.year == int(year):
            if is_workday(day):
                days.append(day.isoformat())
            day += timedelta(days=1)
        assert entry["working_days"] == days
    assert "2025-10-11" in data["years"]["2025"]["working_days"]  # adjusted Saturday
    assert "2025-10-01" not in data["years"]["2025"]["working_days"]
    assert "2031" not in data["years"]


def test_vendored_libraries_are_the_pinned_ones(site_dir):
    pkg = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name in ("fflate", "read-excel-file"):
        version = pkg["dependencies"][name]
        assert version[0].isdigit()  # exact pin
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert (site_dir / "assets" / "vendor" / "fflate" / "browser.js").read_bytes() == (
        ROOT / "node_modules" / "fflate" / "esm" / "browser.js"
    ).read_bytes()
    js = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "site_overrides" / "assets" / "javascripts").rglob("*.js")
    )
    for banned in ("crc32", "0x04034b50", "DecompressionStream", "eval(", "new Function"):
        assert banned not in js


def test_generated_documents_open_in_libreoffice(tmp_path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        message = "LibreOffice 未安装：apt-get install -y libreoffice-writer-nogui"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    rows = applicants(3)
    src = write_csv(tmp_path / "a.csv", rows)
    shared = write_shared(tmp_path / "s.yaml")
    for fmt in ("docx", "merged"):
        r = cli(
            "attachment",
            "--template",
            TEMPLATE,
            "--rows",
            str(src),
            "--shared",
            str(shared),
            "--out",
            str(tmp_path / fmt),
            "--format",
            fmt,
        )
        assert r.returncode == 0, r.stderr
    docs = sorted((tmp_path / "docx").glob("*.docx")) + sorted((tmp_path / "merged").glob("*.docx"))
    proc = subprocess.run(
        [exe, "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"), *map(str, docs)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    for doc in docs:
        text = (tmp_path / "txt" / (doc.stem + ".txt")).read_text(encoding="utf-8-sig")
        assert "公示时间从2025年9月29日起至2025年10月11日止" in text
    merged = (tmp_path / "txt" / "推荐单位公示-3人.txt").read_text(encoding="utf-8-sig")
    assert all(row[1] in merged for row in rows) and "<w:t>现任</w:t>" in merged
