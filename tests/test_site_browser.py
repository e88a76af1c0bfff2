"""The built site in real headless Chromium: home "now", phone layout, axe (search: test_search_browser.py).

Every page opened through ``page_factory`` fails the test if it requests another host.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.engine.timeline import countdown_at

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BEIJING = timezone(timedelta(hours=8))
PAGES = ("", "notices/2025-bortala/", "notices/2023-hami/", "notices/2023-hami/source/", "regions/urumqi/", "notices/")


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone(page_factory, http_server, path):
    page = page_factory(mobile=True)
    page.goto(http_server + path)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path or '首页'} 在 390px 宽的手机上横向溢出：{width}px"
    # Wide tables scroll inside their own box, never the page.
    for box in page.query_selector_all(".zc-table"):
        assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert box.evaluate("e => e.getBoundingClientRect().right") <= 390


def test_home_computes_now_in_the_browser(page_factory, http_server):
    page = page_factory()
    # 20 October 2025, noon in Beijing: the Bortala application window (10-11 → 11-04 18:00) is open.
    page.clock.set_fixed_time(datetime(2025, 10, 20, 12, 0, tzinfo=BEIJING))
    page.goto(http_server)
    open_box = page.locator('[data-zc-list="open"]')
    assert "2025年10月20日" in open_box.inner_text()
    assert open_box.locator('a[href^="notices/2025-bortala/"]').count() >= 1
    upcoming = page.locator('[data-zc-list="upcoming"]')
    assert upcoming.get_attribute("data-zc-live") == "browser"
    assert "2025年11月4日18:00" in upcoming.inner_text()
    assert "还剩 16 天" in upcoming.inner_text()


@pytest.mark.parametrize("moment", ["2025-10-20T12:00", "2025-11-03T09:00", "2025-11-04T17:59", "2025-11-04T18:01"])
def test_home_countdown_is_the_engines_text(page_factory, http_server, site_dir, moment):
    """At ?today=<moment> each upcoming deadline shows the engine's countdown text for that moment
    (generator.engine.timeline.countdown_at), not a number of days the page computed itself."""
    raw = (site_dir / "index.html").read_text(encoding="utf-8")
    data = json.loads(raw.split('id="zc-deadline-data">', 1)[1].split("</script>", 1)[0])
    page = page_factory()
    page.goto(http_server + "?today=" + moment)
    upcoming = page.locator('[data-zc-list="upcoming"]')
    assert upcoming.get_attribute("data-zc-live") == "browser"
    items = upcoming.locator("ul.zc-deadlines:not(.zc-ended) > li")
    shown = {
        items.nth(i).locator("a").get_attribute("href"): items.nth(i).locator("small").inner_text()
        for i in range(items.count())
    }
    for entry in data["entries"]:
        href = f"notices/{entry['notice']}/#phase-{entry['phase']}"
        if href in shown:
            text = countdown_at(entry["countdown"], moment)
            assert shown[href] == f"截止 {entry['end_text']}" + (f"（{text}）" if text else ""), (moment, entry)
    bortala = shown.get("notices/2025-bortala/#phase-individual-application")
    expected = {
        "2025-10-20T12:00": "还剩 16 天",
        "2025-11-03T09:00": "明天截止",
        "2025-11-04T17:59": "今天截止",
        "2025-11-04T18:01": None,
    }[moment]
    if expected:
        assert bortala == f"截止 2025年11月4日18:00（{expected}）"
    else:  # closed at 18:00: no longer upcoming, listed as ended
        assert bortala is None
        assert "已于 2025年11月4日18:00 截止" in upcoming.inner_text()


def test_home_after_every_deadline_shows_recently_ended(page_factory, http_server, site_dir):
    page = page_factory()
    page.clock.set_fixed_time(datetime(2030, 1, 1, 12, 0, tzinfo=BEIJING))
    page.goto(http_server)
    assert "目前没有正在受理" in page.inner_text('[data-zc-list="open"]')
    upcoming = page.inner_text('[data-zc-list="upcoming"]')
    assert "目前没有即将截止" in upcoming and "最近已截止" in upcoming
    raw = (site_dir / "index.html").read_text(encoding="utf-8")
    data = json.loads(raw.split('id="zc-deadline-data">', 1)[1].split("</script>", 1)[0])
    latest = max((e for e in data["entries"] if e["deadline"] and e["end"]), key=lambda e: e["end"])
    assert latest["end_text"] in upcoming


def test_notice_links_to_validator_and_anchors_work(page, http_server):
    page.goto(http_server + "notices/2025-bortala/")
    link = page.locator('a.md-button--primary[href*="check/?notice=2025-bortala"]')
    assert link.count() == 1 and link.is_visible()
    page.goto(http_server + "notices/2025-bortala/#fees")
    assert page.locator("#fees").is_visible()
    assert "150元" in page.inner_text("article")
    # The editor's notes on inferred fields are folded; a link to them unfolds them.
    page.goto(http_server + "notices/2023-hami/#inferred")
    assert page.locator("details#inferred").evaluate("d => d.open")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "notices/2025-bortala/",
        "notices/2023-hami/",
        "notices/2023-hami/source/",
        "regions/hami/",
        "regions/urumqi/",
        "templates/",
        "templates/hami-publicity/",
        "templates/ce-exemption-form/",
        "calendar/",
        "editors/",
        "about/",
        "notices/",
        "regions/",
        "search/?q=继续教育",
        "notices/2023-hami/rules/",
        "archive/2023/",
    ],
)
def test_no_serious_accessibility_violations(page_factory, http_server, path, scheme):
    if not AXE.is_file():
        pytest.fail(f"找不到 axe-core（{AXE}）：请运行 npm ci")
    page = page_factory()
    page.emulate_media(color_scheme=scheme)  # the palette follows prefers-color-scheme
    page.goto(http_server + path)
    expected = "slate" if scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == expected
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 8).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_keyboard_alone_reaches_the_validator_from_a_notice(page, http_server):
    """Tab through the notice page (skip link first), then Enter opens the validator."""
    page.goto(http_server + "notices/2025-bortala/")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first == "跳转至", f"第一个可聚焦元素应为“跳转至”跳转链接，实际为 {first!r}"
    for _ in range(60):
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "check/?notice=2025-bortala" in href:
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("按 Tab 60 次仍未到达“资格核验”链接")
    # The focused link shows a visible focus indicator.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/?notice=2025-bortala")
    assert page.locator("select").first.input_value() == "2025-bortala"
