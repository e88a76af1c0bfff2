"""The rules and the notice pages say what each notice says, and no more (issue 15).

Read against each notice's own text (``content/sources/<id>.txt``): a page cites as 依据 only
documents its notice cites; every value the editors inferred is flagged next to the item it
concerns; every rule message is complete at build time (no unfilled placeholder).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator.content.bundle import build_bundle
from generator.content.load import load_content
from generator.engine.evaluate import PLACEHOLDER, fill, message_context

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content(ROOT / "content")
BUNDLE = build_bundle(CONTENT)
NOTICE_IDS = sorted(CONTENT.notices)
# Notices whose original text is in the repository (a notice just scaffolded by `new` gets its
# text when the editor adds content/sources/<id>.txt; the bundled ones always have it).
WITH_SOURCE = [nid for nid in NOTICE_IDS if (ROOT / "content" / "sources" / f"{nid}.txt").is_file()]


def source_text(notice_id: str) -> str:
    path = ROOT / "content" / "sources" / f"{notice_id}.txt"
    assert path.is_file(), f"缺少通知原文 {path.relative_to(ROOT)}：请把发文单位发布的通知全文存为该文件"
    return normalise(path.read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    table = str.maketrans(
        {"(": "（", ")": "）", "[": "〔", "]": "〕", "【": "〔", "】": "〕", " ": None, "\u3000": None}
    )
    return text.translate(table)


def cited_documents(text: str) -> list[str]:
    """Titles in 《》 and document numbers such as 新人社规〔2022〕6号 or 人社部令第40号."""
    text = normalise(text)
    titles = re.findall(r"《[^》]+》", text)
    numbers = re.findall(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", text)
    orders = re.findall(r"人社部(?:令)?第\d+号令?", text)
    return titles + numbers + orders


def shown_bases(notice_id: str) -> list[tuple[str, str]]:
    notice = CONTENT.notices[notice_id]
    out = [("basis", f"{b['title']}{b.get('number', '')}") for b in notice.get("basis") or []]
    out += [(f"policies.{p['id']}", p["basis"]) for p in notice.get("policies") or [] if p.get("basis")]
    out += [(f"rules.{r['id']}", r["basis"]) for r in BUNDLE["notices"][notice_id]["rules"] if r.get("basis")]
    return out


def test_original_texts_are_present_and_whole():
    assert NOTICE_IDS, "content/notices 中没有通知"
    assert WITH_SOURCE, "content/sources 中没有任何通知原文"
    for notice_id in WITH_SOURCE:
        assert len(source_text(notice_id)) > 1000, notice_id


@pytest.mark.parametrize("notice_id", WITH_SOURCE)
def test_pages_cite_only_documents_their_notice_cites(notice_id):
    """A shared rule's legal basis is not shown on a notice that never cites it."""
    text = source_text(notice_id)
    bases = shown_bases(notice_id)
    checked = 0
    for where, basis in bases:
        for doc in cited_documents(basis):
            if doc.startswith("人社部") and "〔" not in doc:
                number = re.search(r"\d+", doc).group()
                assert re.search(rf"人社部(?:令)?第{number}号", text), f"{notice_id} {where}: 通知未引用 {doc}"
            else:
                assert doc in text, f"{notice_id} {where}: 通知未引用 {doc}"
            checked += 1
    assert checked or not bases, f"{notice_id}: 依据中没有可核对的文件名或文号：{bases}"


def test_shared_rules_carry_no_legal_basis():
    """Legal bases belong to the notice that cites them, never to a rule shared by several notices."""
    shared = CONTENT.shared_rules
    assert shared
    assert [rid for rid, rule in shared.items() if "basis" in rule] == []


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_rule_messages_are_complete_at_build_time(notice_id):
    """The rules text on the notice page never shows an unfilled placeholder."""
    notice = BUNDLE["notices"][notice_id]
    ctx = message_context(notice, {}, BUNDLE["applicant_schema"])
    assert notice["rules"]
    for rule in notice["rules"]:
        assert fill(rule["message"], ctx) is not None, (rule["id"], PLACEHOLDER.findall(rule["message"]))


def test_reference_date_is_never_presented_as_the_notices_own_rule():
    for notice_id in WITH_SOURCE:
        notice = CONTENT.notices[notice_id]
        if not notice.get("reference_date"):
            continue
        sets_it = "基准日" in source_text(notice_id)
        flagged = any(i["field"] == "reference_date" for i in notice.get("inferred") or [])
        assert sets_it or flagged, f"{notice_id}: 通知未规定资格计算基准日，须在 inferred 中说明"


def _page_text(site_dir: Path, notice_id: str) -> str:
    return (site_dir / "notices" / notice_id / "index.html").read_text(encoding="utf-8")


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_every_inferred_value_is_flagged_where_it_is_shown(site_dir, notice_id):
    page = _page_text(site_dir, notice_id)
    body = page.split('id="inferred"')[0]
    flags = [_plain(f) for f in re.findall(r'class="zc-flag">(.*?)</small>', body, re.S)]
    inferred = CONTENT.notices[notice_id].get("inferred") or []
    missing = [i["field"] for i in inferred if not any(_plain(i["reason"])[:30] in f for f in flags)]
    assert missing == [], f"{notice_id}: 这些推断没有在所涉内容旁注明：{missing}"
    assert all(f.startswith("原文未写明，本站推断") for f in flags)
    # the summary list speaks Chinese, not internal field paths
    summary = page.split('id="inferred"')[1].split("</details>")[0]
    assert "<code>" not in summary and "timeline." not in summary


def test_shown_rule_bases_are_labelled_as_cited_by_the_notice(site_dir):
    page = _page_text(site_dir, "2025-bortala")
    assert "人社部令第40号" not in page and "新人社规〔2022〕6号" not in page
    assert "依据（通知所引）：《专业技术人员继续教育规定》" in _plain(page)
    hami = _plain(_page_text(site_dir, "2023-hami"))
    assert "人社部令第25号" not in hami


def test_borrowed_attachment_is_labelled_on_its_template_page(site_dir):
    page = _plain((site_dir / "templates" / "ce-exemption-form" / "index.html").read_text(encoding="utf-8"))
    assert "借用的模板" in page
    assert "继续教育免试表" in page and "未附全文" in page


def test_private_enterprise_rules_text_has_no_placeholder(site_dir):
    page = _plain(_page_text(site_dir, "2025-urumqi-private-enterprise"))
    rules = page.split("资格规则")[-1]
    assert "……" not in rules.split("联系方式")[0]
    assert "本站算到申报截止日 2025-03-17" in rules


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_rule_audit_page_lists_every_rule_in_words_with_its_cases(site_dir, notice_id):
    path = site_dir / "notices" / notice_id / "rules" / "index.html"
    page = path.read_text(encoding="utf-8")
    rules = BUNDLE["notices"][notice_id]["rules"]
    sections = re.findall(r'<section class="zc-audit-rule" id="audit-([a-z0-9-]+)"', page)
    assert sections == [r["id"] for r in rules]
    assert "缺少用例" not in page, "每条“必须满足”的规则都应有不满足的用例"
    assert "无法运行的用例" not in page
    assert 'href="rules/"' in _page_text(site_dir, notice_id)


def test_rule_audit_page_shows_the_conditions_and_cases_of_a_rule(site_dir):
    page = (site_dir / "notices" / "2023-hami" / "rules" / "index.html").read_text(encoding="utf-8")
    section = page.split('id="audit-deputy-senior-teachers-only"')[1].split("</section>")[0]
    text = _plain(section)
    assert "“拟申报级别”为副高级" in text
    assert "“申报系列”为中小学教师系列、中等职业学校教师系列之一" in text
    failing = text.split("不满足")[1].split("未知")[0]
    assert "哈密一、（一）（二）：市直党干校教师系列中级申报副高级，不在本通知范围内" in failing
    unknown = text.split("未知（信息不全或需确认）")[1]
    assert "申报系列选“其他”" in unknown
    # parameters with their editors' inferences
    bortala = _plain((site_dir / "notices" / "2025-bortala" / "rules" / "index.html").read_text(encoding="utf-8"))
    assert "驻村免继续教育" in bortala and "原文未写明，本站推断" in bortala
