"""The batch form of the templates pages in headless Chromium: 30 applicants pasted from Excel/WPS
or opened from a sheet give 30 documents in one download, identical in text to what
``python -m generator attachment`` writes for the same rows; row problems are flagged before download."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from batchdata import HEADER, SHARED, TEMPLATE, applicants, tsv, write_csv, write_shared, write_xlsx
from docx import Document
from test_csp import _assert_clean, csp_page, csp_server  # noqa: F401  (fixtures)

from generator.attachments import rows as att
from generator.attachments.docx_render import docx_lines
from generator.site.csp import HEADER_POLICY

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def cli_files(tmp_path: Path, rows_file: Path, fmt: str = "docx") -> dict[str, bytes]:
    out = tmp_path / f"cli-{rows_file.suffix[1:]}-{fmt}"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "attachment",
            "--template",
            TEMPLATE,
            "--rows",
            str(rows_file),
            "--shared",
            str(write_shared(tmp_path / "shared.yaml")),
            "--out",
            str(out),
            "--format",
            fmt,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    return {p.name: p.read_bytes() for p in out.iterdir()}


def fill_shared(page) -> None:
    page.fill("#zc-f-unit_name", SHARED["unit_name"])
    page.fill("#zc-f-office", SHARED["office"])
    page.fill("#zc-f-phone", SHARED["phone"])
    page.fill("#zc-f-publicity_start", SHARED["publicity_start"])
    page.wait_for_function("document.getElementById('zc-f-publicity_end').value === '2025-10-11'")


def download(page, button: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(button)
    target = tmp_path / ("browser-" + info.value.suggested_filename)
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def unzip(blob: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(blob))
    assert z.testzip() is None
    return {name: z.read(name) for name in z.namelist()}


def assert_same_documents(browser: dict[str, bytes], cli: dict[str, bytes]) -> None:
    assert sorted(browser) == sorted(cli)
    for name, blob in browser.items():
        Document(io.BytesIO(blob))  # opens in python-docx
        assert docx_lines(blob) == docx_lines(cli[name]), name


def test_thirty_pasted_rows_at_phone_size_give_the_cli_documents(page_factory, http_server, tmp_path):
    rows = applicants(30)
    page = page_factory(mobile=True)
    page.goto(http_server + f"templates/{TEMPLATE}/#batch")
    fill_shared(page)
    page.fill("#zc-batch-paste", tsv(rows))
    page.wait_for_function("document.getElementById('zc-batch-summary').textContent.includes('全部可以生成')")
    assert "30 位申报人" in page.inner_text("#zc-batch-summary")
    assert page.locator("#zc-batch-rows > li").count() == 30
    assert page.locator(".zc-batch-row--bad").count() == 0
    # Every document can be previewed; the preview shows the row's own values.
    page.click('#zc-batch-rows > li[data-line="3"] summary')
    preview = page.inner_text('#zc-batch-rows > li[data-line="3"] .zc-doc')
    assert '<w:t>现任</w:t> & 技术员' in preview and SHARED["unit_name"] in preview
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    name, blob = download(page, "#zc-batch-zip", tmp_path)
    assert name == "推荐单位公示.zip"
    browser = unzip(blob)
    assert len(browser) == 30
    assert_same_documents(browser, cli_files(tmp_path, write_csv(tmp_path / "rows.csv", rows)))
    assert "已生成：推荐单位公示.zip（30 位申报人" in page.inner_text("#zc-batch-status")

    name, merged = download(page, "#zc-batch-merged", tmp_path)
    assert name == "推荐单位公示-30人.docx"
    assert len(Document(io.BytesIO(merged)).sections) == 30
    cli_merged = cli_files(tmp_path, tmp_path / "rows.csv", "merged")
    assert docx_lines(merged) == docx_lines(cli_merged[name])


def test_thirty_rows_from_an_xlsx_file_at_desktop_size(page_factory, http_server, tmp_path):
    rows = applicants(30)
    sheet = write_xlsx(tmp_path / "rows.xlsx", rows)
    page = page_factory()
    page.goto(http_server + f"templates/{TEMPLATE}/")
    fill_shared(page)
    page.set_input_files("#zc-batch-file", str(sheet))
    page.wait_for_function("document.getElementById('zc-batch-summary').textContent.includes('全部可以生成')")
    assert page.inner_text("#zc-batch-summary").startswith("rows.xlsx：30 位申报人，7 列已对应空白。")
    assert page.input_value("#zc-batch-col-0") == ""  # 序号: not used
    assert page.input_value("#zc-batch-col-1") == "applicant_name"
    _name, blob = download(page, "#zc-batch-zip", tmp_path)
    browser = unzip(blob)
    assert_same_documents(browser, cli_files(tmp_path, sheet))
    _name, merged = download(page, "#zc-batch-merged", tmp_path)
    # The browser's files open in LibreOffice too (one from the .zip, and the merged one).
    first = sorted(browser)[0]
    (tmp_path / "lo").mkdir()
    (tmp_path / "lo" / "one.docx").write_bytes(browser[first])
    (tmp_path / "lo" / "merged.docx").write_bytes(merged)
    texts = libreoffice_texts(tmp_path / "lo", tmp_path)
    assert docx_lines(browser[first])[1] in texts["one"]
    assert all(row[1] in texts["merged"] for row in rows)


def libreoffice_texts(folder: Path, tmp_path: Path) -> dict[str, str]:
    import os
    import shutil

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        message = "LibreOffice 未安装：apt-get install -y libreoffice-writer-nogui"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    docs = sorted(folder.glob("*.docx"))
    proc = subprocess.run(
        [exe, "--headless", "--convert-to", "txt:Text", "--outdir", str(folder / "txt"), *map(str, docs)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    return {d.stem: (folder / "txt" / f"{d.stem}.txt").read_text(encoding="utf-8-sig") for d in docs}


def test_row_problems_are_flagged_before_download(page_factory, http_server, tmp_path):
    rows = [r + ["", ""] for r in applicants(4)]
    rows[0][1] = ""
    rows[1][4] = "副高"
    rows[2][-2:] = ["2025-13-01", ""]
    rows[3][-2:] = ["2025-09-29", "2025-10-09"]  # 3 working days
    header = HEADER + ["公示开始日期", "公示结束日期"]
    page = page_factory(mobile=True)
    page.goto(http_server + f"templates/{TEMPLATE}/")
    fill_shared(page)
    page.fill("#zc-batch-paste", tsv(rows, header=header))
    page.wait_for_function("document.getElementById('zc-batch-summary').textContent.includes('4 行有问题')")
    assert page.is_disabled("#zc-batch-zip") and page.is_disabled("#zc-batch-merged")
    shown = {
        int(li.get_attribute("data-line")): li.locator(".zc-batch-problems li").all_inner_texts()
        for li in page.locator("#zc-batch-rows > li").all()
    }
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "attachment",
            "--template",
            TEMPLATE,
            "--rows",
            str(write_csv(tmp_path / "bad.csv", rows, header=header)),
            "--shared",
            str(write_shared(tmp_path / "s.yaml")),
            "--out",
            str(tmp_path / "o"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    cli = {}
    for line in r.stderr.splitlines()[:-1]:
        head, _, message = line.partition("：")
        cli.setdefault(int(head.strip("第 行")), []).append("问题：" + message)
    assert shown == cli
    assert any("公示期只有 3 个工作日" in m for m in shown[5])
    if AXE.is_file():
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("""async () => (await axe.run('#zc-batch', {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)""")
        assert result == []


def test_row_rules_are_the_clis_for_the_same_cells(page, http_server):
    """Browser and CLI give the same values, problems, warnings and notes for awkward cells."""
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    tid = "urumqi-pe-publicity-result"
    header = ["姓名", "级别", "初定或授予", "公示开始日期", "公示结束日期", "公示天数", "系列"]
    rows = [
        ["  张三\u3000", "中级", "初定", "2025年9月29日", "", "", "工程"],
        ["李四", "高", "初定（授予）", "2025.9.29", "2025/10/31", "", " 经济 "],
        ["王五", "正高级", "授予", "2025-02-30", "", "五", "<b>&amp;</b>"],
        ["赵六", "初", "授予", "2025-09-29 00:00:00", "2025-09-28", "3", "a\x01b\x7f"],
        ["", "", "", "２０２５-09-29", "", "", ""],
        ["钱七", "", "", "2031-03-03", "", "", ""],
        ["孙八", "", "", "2025-12-29", "2026-01-09", "", "卫生\r\n系列"],
        ["周九", "", "", "", "2025-10-09", "", ""],
    ]
    page.goto(http_server + f"templates/{tid}/")
    page.wait_for_function("window.zcBatch && window.zcPrefill")
    page.evaluate("window.zcBatch.ready")
    browser = page.evaluate("rows => window.zcBatch.check(rows)", [header, *rows])
    content = load_content(ROOT / "content")
    tpl = content.templates[tid]
    holidays = build_bundle(content)["holidays"]
    table = att.table_from_rows([header, *rows])
    mapping = att.map_columns(tpl, table.header)
    python = [
        att.check_row(
            tpl, line, row, {}, min_workdays=att.min_publicity_workdays(content, tpl), holidays=holidays
        ).as_dict()
        for line, row in att.rows_as_dicts(table, mapping)
    ]
    assert browser == python
    assert any(p.startswith("级别“高”不是本通知评审的级别") for p in python[1]["problems"])
    assert python[5]["warnings"] and python[5]["warnings"][0].startswith("本站没有 2031 年")
    assert python[0]["notes"] == ["公示结束日期按第 5 个工作日填为 2025年10月11日", "公示天数按工作日填为 5"]


def test_manual_mapping_when_headers_differ(page, http_server, tmp_path):
    page.goto(http_server + f"templates/{TEMPLATE}/")
    fill_shared(page)
    page.fill("#zc-batch-paste", "名字\t职称级别\n马测试\t中\n")
    page.wait_for_function("document.getElementById('zc-batch-summary').textContent.includes('0 列已对应')")
    assert page.is_disabled("#zc-batch-zip")
    page.select_option("#zc-batch-col-0", "applicant_name")
    page.select_option("#zc-batch-col-1", "level")
    page.wait_for_function("document.getElementById('zc-batch-summary').textContent.includes('全部可以生成')")
    _name, blob = download(page, "#zc-batch-zip", tmp_path)
    files = unzip(blob)
    assert list(files) == ["推荐单位公示-马测试.docx"]
    assert "现对马测试同志申报××系列××专业中级职称进行公示。" in docx_lines(files["推荐单位公示-马测试.docx"])[1]


def test_batch_works_under_the_sites_content_security_policy(csp_page, csp_server, tmp_path):
    """No inline script, eval or blob worker: under the site's policy (tests/test_csp.py, served as a
    header too) the form reads a .xlsx, checks the rows and zips, without any violation or error."""
    from playwright.sync_api import expect

    page = csp_page
    response = page.goto(csp_server + f"templates/{TEMPLATE}/")
    assert response.headers["content-security-policy"] == HEADER_POLICY
    page.fill("#zc-f-unit_name", SHARED["unit_name"])
    page.fill("#zc-f-publicity_start", SHARED["publicity_start"])
    expect(page.locator("#zc-f-publicity_end")).to_have_value("2025-10-11")
    page.set_input_files("#zc-batch-file", str(write_xlsx(tmp_path / "r.xlsx", applicants(3))))
    expect(page.locator("#zc-batch-summary")).to_contain_text("全部可以生成")
    _name, blob = download(page, "#zc-batch-zip", tmp_path)
    assert len(unzip(blob)) == 3
    _name, merged = download(page, "#zc-batch-merged", tmp_path)
    assert len(Document(io.BytesIO(merged)).sections) == 3
    _assert_clean(page)
    # The column templates and the calendar are files of this site.
    for ext in ("xlsx", "csv"):
        assert page.request.get(csp_server + f"templates/{TEMPLATE}-columns.{ext}").ok
    assert json.loads(page.request.get(csp_server + "templates/workdays.json").text())["years"]["2025"]
