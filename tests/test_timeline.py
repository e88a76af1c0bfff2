"""Build-time SVG timelines and the browser's "today" marker and countdown."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from generator.engine.timeline import deadline_phases
from generator.site.timeline import Item, items_for, notice_timeline, region_timeline, timeline_figure

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def notices() -> dict[str, dict]:
    from generator.content.load import load_content

    return load_content(ROOT / "content").notices


def svg_of(html: str) -> ET.Element:
    m = re.search(r"<svg .*?</svg>", str(html), re.S)
    assert m, "no svg"
    return ET.fromstring(m.group(0))


def test_svg_rows_bars_and_deadlines(notices):
    for notice in notices.values():
        svg = svg_of(notice_timeline(notice))
        rows = svg.findall(f"{SVG}g[@class]")
        phase_rows = [g for g in rows if "zc-tl-row" in g.get("class")]
        dated = [p for p in notice["timeline"] if p.get("start") or p.get("end")]
        assert len(phase_rows) == len(dated)
        deadlines = [g for g in phase_rows if "zc-tl-deadline" in g.get("class")]
        assert len(deadlines) == len(deadline_phases(notice))
        # Bars lie inside the plot area; the axis range covers every phase.
        x0, x1 = float(svg.get("data-x0")), float(svg.get("data-x1"))
        for rect in svg.iter(f"{SVG}rect"):
            assert x0 <= float(rect.get("x")) and float(rect.get("x")) + float(rect.get("width")) <= x1 + 0.5
        t0, t1 = int(svg.get("data-t0")), int(svg.get("data-t1"))
        for p in dated:
            for v in (p.get("start"), p.get("end")):
                if v:
                    ms = datetime.fromisoformat(v if "T" in v else v + "T00:00+08:00").timestamp() * 1000
                    assert t0 <= ms <= t1
        assert svg.find(f"{SVG}title").text.endswith("时间轴")


def test_exact_time_in_tooltip_and_table(notices):
    hami = notices["2023-hami"]
    html = str(timeline_figure(items_for(hami), caption="哈密", svg_id="t"))
    assert "2023年10月11日20:00" in html
    assert "<details" in html and "<table>" in html  # the equivalent table for screen readers


def test_region_groups_notices(notices):
    urumqi = [n for n in notices.values() if n["region"]["slug"] == "urumqi"]
    svg = svg_of(region_timeline(urumqi[0]["region"], urumqi))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    for n in urumqi:
        assert (n.get("short_title") or n["title"]) in texts


def test_figures_and_calendar_carry_the_engines_countdown(notices, site_dir):
    """The countdown line's data: each deadline with its end instant and the engine's breakpoints
    (timeline.js only picks the text for "now"); the calendar page's line the same for every deadline."""
    import html

    from generator.engine.timeline import countdown, instant_iso

    notice = notices["2025-bortala"]
    ends = {instant_iso(p["end"], end=True): p["end"] for p in deadline_phases(notice) if p.get("end")}
    data = json.loads(html.unescape(re.search(r'data-deadlines="([^"]*)"', str(notice_timeline(notice))).group(1)))
    assert len(data) >= 2 and {d["end"] for d in data} == set(ends)
    for d in data:
        assert d["countdown"] == countdown(ends[d["end"]]) and d["countdown"][-1] == [d["end"], "已截止"]
    raw = (site_dir / "calendar" / "index.html").read_text(encoding="utf-8")
    page = json.loads(html.unescape(re.search(r'id="zc-calendar-countdown" data-deadlines="([^"]*)"', raw).group(1)))
    deadline_ends = {p["end"] for n in notices.values() for p in deadline_phases(n) if p.get("end")}
    assert {json.dumps(d["countdown"]) for d in page} == {json.dumps(countdown(e)) for e in deadline_ends}


def test_no_dates_no_figure():
    assert str(timeline_figure([Item("a", "x", None, None)], caption="c", svg_id="s")) == ""


@pytest.mark.browser
def test_today_marker_and_countdown_in_browser(page, http_server):
    page.goto(http_server + "notices/2023-hami/?today=2023-10-01")
    countdown = page.locator("figure.zc-tl [data-zc-countdown]")
    countdown.wait_for(state="visible")
    # 2023-10-01 → closing day 2023-10-11 (20:00, 北京时间): 11 days to apply on, today included —
    # the engine's text (generator.engine.timeline.countdown), picked by timeline.js.
    assert countdown.inner_text() == (
        "今天是2023年10月1日。下一个截止：网上申报（2023年10月11日20:00，北京时间），还剩 11 天。"
    )
    # On the closing day, before and after 20:00.
    page.goto(http_server + "notices/2023-hami/?today=2023-10-11T19:59")
    countdown.wait_for(state="visible")
    assert countdown.inner_text().endswith("下一个截止：网上申报（2023年10月11日20:00，北京时间），今天截止。")
    page.goto(http_server + "notices/2023-hami/?today=2023-10-11T20:00")
    countdown.wait_for(state="visible")
    assert "网上申报（2023年10月11日20:00" not in countdown.inner_text()
    marker = page.locator("svg.zc-tl-svg .zc-tl-today")
    assert marker.get_attribute("visibility") == "visible"
    x = float(marker.get_attribute("data-x"))
    svg = page.locator("svg.zc-tl-svg")
    assert float(svg.get_attribute("data-x0")) < x < float(svg.get_attribute("data-x1"))

    page.goto(http_server + "notices/2023-hami/?today=2024-03-01")
    countdown.wait_for(state="visible")
    assert "均已过去" in countdown.inner_text()
    assert page.locator("svg.zc-tl-svg .zc-tl-today").get_attribute("visibility") == "hidden"


@pytest.mark.browser
def test_region_and_calendar_pages_in_browser(page, http_server):
    page.goto(http_server + "regions/bortala/?today=2025-10-20T12:00")
    text = page.locator("figure.zc-tl [data-zc-countdown]").inner_text()
    assert "2025年11月4日18:00" in text and "还剩 16 天" in text
    page.goto(http_server + "calendar/?today=2025-02-26")
    page.locator("#zc-calendar-countdown").wait_for(state="visible")
    assert "2025年3月17日" in page.inner_text("#zc-calendar-countdown")
    href = page.locator("a[data-zc-webcal]").first.get_attribute("href")
    assert href.startswith("webcal://127.0.0.1:") and href.endswith("/calendar/all.ics")
