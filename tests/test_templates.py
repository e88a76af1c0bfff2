"""Attachment templates: schema, named blanks, and the generated Word files."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from generator.attachments.docx_render import BODY_FONT, TITLE_FONT, docx_lines, render_docx
from generator.attachments.forms import (
    TemplateTextError,
    blank_order,
    check_template,
    plain_lines,
    segments,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "content" / "templates"
SCHEMA = json.loads((ROOT / "schemas" / "template.schema.json").read_text(encoding="utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The ids agreed with the content and loader helpers (TEMPLATE_IDS): notice → attachment → id.
EXPECTED_IDS = {
    "ganquanbao-publicity",
    "ganquanbao-publicity-result",
    "ganquanbao-supervisor-opinion",
    "ce-exemption-form",
    "urumqi-pe-publicity",
    "urumqi-pe-publicity-result",
    "urumqi-pe-recommendation-report",
    "hami-publicity",
    "hami-publicity-result",
    "bortala-publicity",
    "bortala-publicity-result",
}
INFERRED = {
    "ganquanbao-publicity",
    "ganquanbao-publicity-result",
    "ganquanbao-supervisor-opinion",
    "bortala-publicity",
    "bortala-publicity-result",
}


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def all_templates() -> dict[str, dict]:
    return {p.stem: load(p) for p in sorted(TEMPLATES.glob("*.yaml"))}


TPL = all_templates()


def test_every_agreed_template_exists_and_nothing_else():
    assert set(TPL) == EXPECTED_IDS


@pytest.mark.parametrize("tid", sorted(EXPECTED_IDS))
def test_template_file_is_valid(tid):
    path = TEMPLATES / f"{tid}.yaml"
    assert (
        path.read_text(encoding="utf-8").splitlines()[0]
        == "# yaml-language-server: $schema=../../schemas/template.schema.json"
    )
    tpl = TPL[tid]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(tpl)]
    assert errors == []
    assert tpl["id"] == tid
    assert check_template(tpl) == []
    assert bool(tpl.get("inferred")) == (tid in INFERRED)


def test_schema_has_chinese_title_and_description_on_every_property():
    Draft202012Validator.check_schema(SCHEMA)
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if not (
                    isinstance(sub, dict)
                    and re.search(r"[\u4e00-\u9fff]", sub.get("title", ""))
                    and re.search(r"[\u4e00-\u9fff]", sub.get("description", ""))
                ):
                    missing.append(f"{where}/properties/{key}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(SCHEMA, "#")
    assert missing == []


def test_schema_rejects_typos_and_bad_blocks():
    tpl = json.loads(json.dumps(TPL["hami-publicity"]))
    v = Draft202012Validator(SCHEMA)
    tpl["blokcs"] = []
    assert any("blokcs" in e.message for e in v.iter_errors(tpl))
    tpl = json.loads(json.dumps(TPL["hami-publicity"]))
    tpl["blocks"].append({"type": "paragraph", "lines": ["x"]})
    assert list(v.iter_errors(tpl))
    tpl = json.loads(json.dumps(TPL["hami-publicity"]))
    tpl["blanks"]["applicant_name"]["kind"] = "name"
    assert list(v.iter_errors(tpl))


def test_check_template_finds_undefined_unused_and_bad_rows():
    tpl = json.loads(json.dumps(TPL["ce-exemption-form"]))
    tpl["blocks"][1]["rows"][0].append("{nickname}")
    tpl["blanks"]["unused"] = {"label": "多余", "kind": "text"}
    problems = dict(check_template(tpl))
    assert "空白 {nickname} 没有在 blanks 中定义" in problems["blocks.1.rows.0.6"]
    assert "已定义但正文中没有使用" in problems["blanks.unused"]
    assert "共跨 7 列，表格有 6 列" in problems["blocks.1.rows.0"]


def test_segments_literal_braces_and_errors():
    blanks = {"a": {"label": "甲", "kind": "text", "placeholder": "××"}}
    segs = segments("前{{字面}}{a}后", blanks)
    assert [(s.text, s.blank) for s in segs] == [("前{字面}", None), ("××", "a"), ("后", None)]
    with pytest.raises(TemplateTextError, match="单独的"):
        segments("坏{", blanks)
    with pytest.raises(TemplateTextError, match="不合规"):
        segments("{A b}", blanks)


def test_faithful_wording_of_full_text_originals():
    """The originals given in full (002 附件2–4, 003 附件1–3) read exactly as in the notices' original
    texts kept in the repo (content/sources/<notice id>.txt)."""
    sources = ROOT / "content" / "sources"
    seeds = {
        "002": (sources / "2025-urumqi-private-enterprise.txt").read_text(encoding="utf-8"),
        "003": (sources / "2023-hami.txt").read_text(encoding="utf-8"),
    }

    def squash(text):
        return re.sub(r"\s+", "", text)

    for tid, seed in (
        ("urumqi-pe-publicity", "002"),
        ("urumqi-pe-publicity-result", "002"),
        ("urumqi-pe-recommendation-report", "002"),
        ("hami-publicity", "003"),
        ("hami-publicity-result", "003"),
        ("ce-exemption-form", "003"),
    ):
        source = squash(seeds[seed])
        for line in plain_lines(TPL[tid]):
            text = squash(line).replace("　", "")
            if not text or len(text) < 4:
                continue
            assert text in source.replace("　", ""), f"{tid}: {line!r} is not in seed {seed}"


def test_region_wording_differs_where_the_originals_differ():
    hami = " ".join(plain_lines(TPL["hami-publicity"]))
    urumqi = " ".join(plain_lines(TPL["urumqi-pe-publicity"]))
    assert "根据自治区职称评审的工作要求" in hami and "现任职称）" in hami
    assert "根据乌鲁木齐市民营企业专项初定（授予）职称工作的要求" in urumqi
    assert "现任专业技术职务任职资格）" in urumqi
    form = plain_lines(TPL["ce-exemption-form"])
    for cell in ("何时何学校何专业毕业", "免学理由", "审核意见", "拟申报专业技术职务"):
        assert cell in form
    assert any("各地各部门不得私自设置免除继续教育学习事项" in line for line in form)


@pytest.mark.parametrize("tid", sorted(EXPECTED_IDS))
def test_docx_text_equals_template_content(tid):
    tpl = TPL[tid]
    blob = render_docx(tpl)
    assert docx_lines(blob) == plain_lines(tpl)
    assert render_docx(tpl) == blob, "output must be reproducible"


def _xml(blob: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(blob)).read(name).decode("utf-8")


def test_docx_layout_fonts_and_single_run_blanks():
    from docx import Document
    from docx.shared import Cm

    tpl = TPL["hami-publicity"]
    blob = render_docx(tpl)
    doc = Document(io.BytesIO(blob))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    styles = _xml(blob, "word/styles.xml")
    assert f'w:eastAsia="{BODY_FONT}"' in styles
    document = _xml(blob, "word/document.xml")
    assert f'w:eastAsia="{TITLE_FONT}"' in document
    fonts = _xml(blob, "word/fontTable.xml")
    assert "仿宋" in fonts and "宋体" in fonts
    title = doc.paragraphs[0]
    assert title.alignment == 1  # centred
    # Every blank occurrence is exactly one underlined run styled zcBlank_<name>.
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?</w:r>", document, re.S)
    blank_runs = [r for r in runs if "zcBlank_" in r]
    names = re.findall(r'w:rStyle w:val="zcBlank_([a-z_0-9]+)"', document)
    assert len(blank_runs) == len(names)
    assert names.count("applicant_name") == 3  # once in the title, twice in the body
    assert all('<w:u w:val="single"/>' in r for r in blank_runs)
    assert set(names) == set(blank_order(tpl))


def test_docx_tables_are_tables_with_merged_cells():
    from docx import Document

    doc = Document(io.BytesIO(render_docx(TPL["ce-exemption-form"])))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert len(table.rows) == 7 and len(table.columns) == 6
    assert table.cell(2, 0).text == "何时何学校何专业毕业"
    assert table.cell(2, 1)._tc is table.cell(2, 5)._tc  # 毕业栏 spans five columns


def test_filled_docx_contains_values():
    tpl = TPL["urumqi-pe-publicity"]
    values = {"applicant_name": "王小明", "basic_info": "男，汉族\n中共党员", "publicity_start": "2025年3月3日"}
    lines = docx_lines(render_docx(tpl, values))
    assert lines == plain_lines(tpl, values)
    assert "根据乌鲁木齐市民营企业专项初定（授予）职称工作的要求，现对王小明同志申报" in lines[1]
    assert lines[2] == "基本信息：男，汉族\n中共党员"


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice 未安装：跳过 headless 转换检查"
)
def test_libreoffice_converts_every_template(tmp_path):
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    for tid, tpl in TPL.items():
        (tmp_path / f"{tid}.docx").write_bytes(render_docx(tpl))
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path / "out"),
            *sorted(str(p) for p in tmp_path.glob("*.docx")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for tid, tpl in TPL.items():
        text = (tmp_path / "out" / f"{tid}.txt").read_text(encoding="utf-8-sig")
        for line in plain_lines(tpl):
            assert line.split("\n")[0].strip() in text
    # Laid out on A4 (595.3 × 841.9 pt): one page per template.
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(tmp_path / "hami-publicity.docx"),
            str(tmp_path / "ce-exemption-form.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for tid in ("hami-publicity", "ce-exemption-form"):
        pdf = (tmp_path / "pdf" / f"{tid}.pdf").read_bytes()
        assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.3\d* 841\.8\d*\s*\]", pdf)
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_built_template_pages_and_links(site_dir):
    index = (site_dir / "templates" / "index.html").read_text(encoding="utf-8")
    for tid, tpl in TPL.items():
        page = (site_dir / "templates" / tid / "index.html").read_text(encoding="utf-8")
        assert f'href="../{tid}.docx"' in page and 'id="zc-prefill"' in page
        assert ("非通知原文" in page) == (tid in INFERRED)
        blob = (site_dir / "templates" / f"{tid}.docx").read_bytes()
        assert docx_lines(blob) == plain_lines(tpl)
        assert f'href="{tid}/"' in index
        for src in tpl["source"]["notices"]:
            assert f'../notices/{src["notice"]}/#templates' in index
    # Every template a notice page links to exists.
    for notice_page in (site_dir / "notices").glob("*/index.html"):
        for tid in re.findall(r'href="\.\./\.\./templates/([a-z0-9-]+)/"', notice_page.read_text(encoding="utf-8")):
            assert (site_dir / "templates" / tid / "index.html").exists(), (notice_page, tid)
    calendar = json.loads((site_dir / "templates" / "workdays.json").read_text(encoding="utf-8"))
    assert "2025-10-01" in calendar["years"]["2025"]["holidays"]
    assert "2025-10-11" in calendar["years"]["2025"]["workdays"]  # adjusted working Saturday


@pytest.mark.parametrize("tid", sorted(INFERRED))
def test_inferred_templates_say_so_in_the_file_properties(tid):
    from docx import Document

    props = Document(io.BytesIO(render_docx(TPL[tid]))).core_properties
    assert props.comments.startswith("本模板为按通知要求拟写，非通知原文")
    assert props.title == TPL[tid]["title"] and props.language == "zh-CN"


def test_attachment_page_data_keeps_the_blanks_in_the_templates_order(site_dir):
    """prefill.js walks the page data's blanks in order: the built page keeps the template's own
    order (tojson does not sort keys), so the form and the document fill in reading order."""
    for path in sorted((ROOT / "content" / "templates").glob("*.yaml")):
        tpl = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        html = (site_dir / "templates" / tpl["id"] / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<script type="application/json" id="zc-template-data">(.*?)</script>', html, re.S)
        data = json.loads(found.group(1))
        assert list(data["blanks"]) == list(tpl["blanks"]), tpl["id"]
