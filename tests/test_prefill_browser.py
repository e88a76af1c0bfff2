"""Template pages in headless Chromium: typed values end up in the downloaded .docx (built in the
browser, nothing sent anywhere) and the publicity end date follows the PRC working-day calendar."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.attachments.docx_render import docx_lines, render_docx
from generator.attachments.forms import plain_lines
from generator.engine import nth_workday

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


def template(tid: str) -> dict:
    return YAML(typ="safe").load((ROOT / "content" / "templates" / f"{tid}.yaml").read_text(encoding="utf-8"))


def download(page, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        page.click("#zc-download")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_prefilled_download_contains_typed_values(page, http_server, tmp_path):
    page.goto(http_server + "templates/urumqi-pe-publicity/")
    page.fill("#zc-f-applicant_name", "王小明")
    page.select_option("#zc-f-application_type", "初定")
    page.fill("#zc-f-series", "工程")
    page.fill("#zc-f-specialty", "建筑工程")
    page.select_option("#zc-f-level", "初")
    page.fill("#zc-f-basic_info", "男，汉族，群众\n现任技术员")
    page.fill("#zc-f-office", "人力资源部")
    page.fill("#zc-f-phone", "0991-1234567")
    # 2025-09-29 (Mon): 9/29, 9/30, then the National Day holiday, 10/9, 10/10 and the adjusted
    # working Saturday 10/11 — the suggestion must follow the official calendar, not weekdays.
    page.fill("#zc-f-publicity_start", "2025-09-29")
    expected_end = nth_workday(date(2025, 9, 29), 5)
    page.wait_for_function(f"document.getElementById('zc-f-publicity_end').value === '{expected_end.isoformat()}'")
    suggestion = page.inner_text('[data-suggest="publicity_end"]')
    assert f"{expected_end.year}年{expected_end.month}月{expected_end.day}日" in suggestion
    assert "王小明" in page.inner_text("#zc-doc")

    blob = download(page, tmp_path)
    assert zipfile.ZipFile(io.BytesIO(blob)).testzip() is None
    lines = docx_lines(blob)
    values = {
        "applicant_name": "王小明",
        "application_type": "初定",
        "series": "工程",
        "specialty": "建筑工程",
        "level": "初",
        "basic_info": "男，汉族，群众\n现任技术员",
        "office": "人力资源部",
        "phone": "0991-1234567",
        "publicity_start": "2025年9月29日",
        "publicity_end": f"{expected_end.year}年{expected_end.month}月{expected_end.day}日",
    }
    # The browser's fill gives the very text the Python renderer writes for the same values.
    assert lines == plain_lines(template("urumqi-pe-publicity"), values)
    assert lines == docx_lines(render_docx(template("urumqi-pe-publicity"), values))
    text = "\n".join(lines)
    for value in ("王小明", "建筑工程", "0991-1234567", "2025年9月29日"):
        assert value in text
    assert text.endswith("2025年×月×日")  # the unfilled 落款日期 keeps the original placeholder


def test_prefill_table_form_and_publicity_days(page_factory, http_server, tmp_path):
    page = page_factory()
    page.goto(http_server + "templates/ce-exemption-form/")
    page.fill("#zc-f-applicant_name", "李娜")
    page.fill("#zc-f-unit_name", "哈密市某某局")
    page.fill("#zc-f-reason", "2023年3月至今参加“访惠聚”驻村工作")
    blob = download(page, tmp_path)
    from docx import Document

    table = Document(io.BytesIO(blob)).tables[0]
    assert table.cell(0, 1).text == "李娜"
    assert table.cell(3, 1).text == "哈密市某某局"
    assert "访惠聚" in table.cell(5, 1).text

    page = page_factory(mobile=True)
    page.goto(http_server + "templates/hami-publicity-result/")
    page.fill("#zc-f-applicant_name", "赵六")
    blob = download(page, tmp_path)
    lines = docx_lines(blob)
    assert lines[0].startswith("关于赵六同志申报xx系列")
    assert "赵六同志申报材料已在本单位公示××天" in lines[2]


def test_template_index_lists_all_templates_and_notices(page, http_server):
    page.goto(http_server + "templates/")
    rows = page.locator("table tbody tr")
    ids = {p.stem for p in (ROOT / "content" / "templates").glob("*.yaml")}
    assert rows.count() == len(ids)
    for tid in ids:
        link = page.locator(f'#tpl-{tid} a[href="{tid}.docx"]')
        assert link.count() == 1
        response = page.request.get(http_server + f"templates/{tid}.docx")
        assert response.ok and response.body()[:2] == b"PK"
    assert "本站拟写" in page.inner_text("#tpl-bortala-publicity")
    assert "哈密" in page.inner_text("#tpl-ce-exemption-form")
    assert "甘泉堡" in page.inner_text("#tpl-ce-exemption-form")
