"""Issue 10 in real Chromium: the check page's interview, time-aware pages, keyboard and phone.

The questions and their order are the engine's (``result.questions``); these tests check that the
page asks what the engine says, shows what it decides, and says when a round has closed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casedata import load_cases
from enginedata import served_bundle
from test_browser_validator import fill_profile, open_check, wait_settled

from generator.engine import evaluate

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def bundle(site_dir):
    return served_bundle(site_dir)


def displayed(page) -> list[str]:
    """Questions actually displayed (rendered boxes, not just attributes)."""
    return page.eval_on_selector_all(
        "[data-field-wrap]", "els => els.filter(e => e.getClientRects().length > 0).map(e => e.dataset.fieldWrap)"
    )


def test_bortala_starts_without_dispatch_or_county_questions(page, http_server, bundle):
    page.goto(http_server + "check/?notice=2025-bortala", wait_until="domcontentloaded")
    page.wait_for_function("window.zhichengCheck && window.zhichengCheck.notice")
    before = displayed(page)  # before Python has loaded: the engine's questions from the build
    open_check(page, http_server, "2025-bortala")
    wait_settled(page)
    after = displayed(page)
    expected = evaluate(bundle, "2025-bortala", {})["questions"][:3]
    for shown in (before, after):
        assert set(shown) == set(expected)
        assert not {"dispatched_months", "county", "employer_location"} & set(shown)
    # The hidden attribute really hides (templates.css sets .zc-field{display:grid}).
    wrap = page.locator("[data-field-wrap='dispatched_months']").first
    if wrap.count():
        assert wrap.evaluate("e => e.hidden && getComputedStyle(e).display === 'none'")


def test_a_retiree_learns_the_answer_from_the_first_question(page_factory, http_server):
    page = page_factory(mobile=True)
    open_check(page, http_server, "2025-bortala")
    page.select_option("#f-employment_status", "retired")
    wait_settled(page)
    assert page.get_attribute("#zc-verdict", "data-verdict") == "ineligible"
    assert "离退休" in page.inner_text("#zc-key-reasons")
    # The verdict sits above the questions, and nothing more is asked.
    verdict_y = page.locator("#zc-verdict").bounding_box()["y"]
    form_y = page.locator("#zc-profile").bounding_box()["y"]
    assert verdict_y < form_y
    assert page.evaluate("document.documentElement.dataset.zcAsked") == ""
    assert "不能申报" in page.inner_text("#zc-interview-note")


def test_an_eligible_applicant_answers_the_pages_questions_in_order(page_factory, http_server, bundle):
    case = next(c for c in load_cases() if c["notice"] == "2025-bortala" and c["output"]["verdict"] == "eligible")
    page = page_factory(mobile=True)
    open_check(page, http_server, "2025-bortala")
    wait_settled(page)
    answered = []
    for _ in range(30):
        asked = page.evaluate("document.documentElement.dataset.zcAsked").split()
        if page.get_attribute("#zc-verdict", "data-verdict") != "incomplete" or not asked:
            break
        field = asked[0]
        assert field in displayed(page)
        if field in case["input"]:
            fill_profile(page, bundle, {field: case["input"][field]})
            answered.append(field)
        else:  # not known to this applicant: leave it empty and move on
            page.focus(f"#f-{field}")
            page.evaluate("document.activeElement.blur()")
        wait_settled(page)
    assert page.get_attribute("#zc-verdict", "data-verdict") == "eligible"
    assert len(answered) <= 10, answered
    # Then the optional questions that refine the checklist.
    result = page.evaluate("window.zhichengCheck.result")
    optional = [f for f in result["optional_questions"] if f not in answered][:3]
    assert optional and set(optional) <= set(displayed(page))
    assert "可选问题" in page.inner_text("#zc-interview-note")


def test_show_all_questions_and_saved_profiles(page_factory, http_server, bundle):
    page = page_factory()
    open_check(page, http_server, "2025-bortala")
    page.click("#zc-all-questions")
    assert set(displayed(page)) >= set(bundle["notices"]["2025-bortala"]["profile_fields"]) - {"continuing_education"}
    page.click("#zc-all-questions")
    # A profile saved by the earlier, full form still loads: its answers are shown.
    profile = {"employment_status": "employed", "county": "博乐市", "social_insurance_months": 12}
    page.evaluate(
        "p => localStorage.setItem('zhicheng-check:v1:2025-bortala', JSON.stringify({version: 1, profile: p, ticks: {}}))",
        profile,
    )
    page.reload()
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    wait_settled(page)
    shown = displayed(page)
    for field in profile:
        if field in bundle["notices"]["2025-bortala"]["profile_fields"]:
            assert field in shown
            assert page.input_value(f"#f-{field}") == str(profile[field])


def test_a_closed_round_is_not_a_plain_green_verdict(page, http_server):
    page.goto(http_server + "check/?notice=2025-bortala&today=2026-01-10T12:00")
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    fill_profile(
        page,
        {"applicant_schema": {"properties": {"employment_status": {"enum": []}}}},
        {"employment_status": "retired"},
    )
    wait_settled(page)
    assert page.get_attribute("#zc-verdict", "data-window") == "closed"
    note = page.inner_text("#zc-window-note")
    assert "已于 2025-11-04 18:00（北京时间）截止" in note
    assert "10月" in note and "自治州人力资源和社会保障局" in note
    assert "已经截止" in page.inner_text("#zc-verdict-text")


@pytest.mark.parametrize("moment, status", [("2025-11-04T17:59", "正在受理"), ("2025-11-04T18:01", "已截止")])
def test_notice_header_and_key_dates_at_a_moment(page, http_server, moment, status):
    page.goto(http_server + f"notices/2025-bortala/?today={moment}")
    header = page.locator("[data-zc-round] .zc-when")
    assert header.inner_text() == status
    key = page.locator(".zc-key-dates .zc-when").first
    assert key.inner_text() == status
    round_text = page.inner_text("[data-zc-round]")
    assert ("本轮申报已截止" in round_text) == (status == "已截止")


def test_home_lists_bortala_as_open_at_a_preview_moment(page, http_server):
    page.goto(http_server + "?today=2025-10-20T12:00")
    open_box = page.locator('[data-zc-list="open"]')
    assert open_box.locator('a[href^="notices/2025-bortala/"]').count() >= 1
    assert "预览时刻" in open_box.inner_text()
    card = page.locator("#region-bortala .zc-when").first
    assert card.inner_text() == "正在受理"
    page.goto(http_server + "?today=2026-03-01T12:00")
    assert page.locator("#region-bortala .zc-when").first.inner_text() == "已截止"
    page.goto(http_server + "notices/?today=2026-03-01T12:00")
    assert "已截止" in page.inner_text("article")


def test_keyboard_skip_link_reaches_the_first_question(page, http_server):
    open_check(page, http_server, "2025-bortala")
    presses = 0
    while page.evaluate("document.activeElement.id") != "zc-skip":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 1, "“跳到填写问题”应是第一个可聚焦的元素"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "f-employment_status"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_focus_stays_near_when_rows_are_added_and_removed(page, http_server):
    open_check(page, http_server, "2025-bortala", full_form=True)
    rows = page.locator("#zc-ce-rows tr")
    before = rows.count()
    page.click("#zc-ce-add")
    assert rows.count() == before + 1
    assert page.evaluate(
        "document.activeElement.closest('#zc-ce-rows tr') === document.querySelector('#zc-ce-rows tr:last-child')"
    )
    rows.nth(0).locator("button").click()
    assert rows.count() == before
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    assert page.evaluate("!!document.activeElement.closest('#zc-ce-rows')")


@pytest.mark.parametrize(
    "path",
    [
        "check/?notice=2025-bortala",
        "check/?notice=2025-bortala&today=2026-01-10T12:00",
        "notices/2025-bortala/?today=2025-11-04T18:01",
        "regions/bortala/",
        "calendar/",
        "templates/bortala-publicity/",
        "?today=2025-10-20T12:00",
    ],
)
def test_no_horizontal_scrolling_at_360px(page_factory, http_server, path, browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    ctx.route(lambda url: not url.startswith(http_server), lambda route: route.abort())
    page = ctx.new_page()
    try:
        page.goto(http_server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_check_page_interview_has_no_serious_axe_violations(page_factory, http_server, scheme):
    if not AXE.is_file():
        pytest.fail(f"找不到 axe-core（{AXE}）：请运行 npm ci")
    page = page_factory()
    page.emulate_media(color_scheme=scheme)
    open_check(page, http_server, "2025-bortala")
    page.goto(http_server + "check/?notice=2025-bortala&today=2026-01-10T12:00")
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    page.select_option("#f-employment_status", "employed")
    wait_settled(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                       nodes: v.nodes.slice(0, 8).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
