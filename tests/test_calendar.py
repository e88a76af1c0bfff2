"""Deadline calendars: every .ics parses and holds every deadline at the right Beijing time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from generator.engine.timeline import deadline_phases
from generator.site.pages.calendar import build_calendar, phase_events

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def notices() -> dict[str, dict]:
    from generator.content.load import load_content

    return load_content(ROOT / "content").notices


def expected_start(value: str):
    if "T" in value:
        return datetime.fromisoformat(value).astimezone(SHANGHAI)
    return date.fromisoformat(value)


def events_by_uid(blob: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(blob)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def check_calendar(notice: dict, blob: bytes) -> None:
    cal = Calendar.from_ical(blob)
    tz = cal.walk("VTIMEZONE")
    assert tz and str(tz[0]["TZID"]) == "Asia/Shanghai"
    events = events_by_uid(blob)
    deadlines = deadline_phases(notice)
    assert deadlines, f"{notice['id']} has no deadline"
    for phase in deadlines:
        ev = events[f"{notice['id']}.{phase['id']}.deadline@xinjiang-zhicheng"]
        start = ev.decoded("DTSTART")
        want = expected_start(phase["end"])
        if isinstance(want, datetime):
            assert isinstance(start, datetime) and start.tzinfo is not None
            assert start == want
            assert (start.astimezone(SHANGHAI).hour, start.astimezone(SHANGHAI).minute) == (want.hour, want.minute)
            assert str(ev["DTSTART"].params["TZID"]) == "Asia/Shanghai"
        else:
            assert start == want and not isinstance(start, datetime)  # all-day
            assert ev.decoded("DTEND") == want + timedelta(days=1)
        alarms = ev.walk("VALARM")
        assert len(alarms) >= 2
        assert all(a.decoded("TRIGGER") < timedelta(0) for a in alarms)
        assert max(-a.decoded("TRIGGER") for a in alarms) >= timedelta(days=2)
    for phase in notice["timeline"]:
        if phase.get("start") and phase.get("end"):
            assert f"{notice['id']}.{phase['id']}.span@xinjiang-zhicheng" in events


def test_every_notice_calendar(notices):
    assert notices
    for notice in notices.values():
        blob = build_calendar([notice], notice["id"])
        check_calendar(notice, blob)
        assert build_calendar([notice], notice["id"]) == blob, "UIDs and stamps must be stable"


def test_exact_times_are_kept(notices):
    """哈密 2023：申报时间 2023年9月11日10:00—10月11日20:00（北京时间）."""
    hami = notices["2023-hami"]
    text = build_calendar([hami], "哈密").decode()
    assert "DTSTART;TZID=Asia/Shanghai:20231011T200000" in text
    assert "DTSTART;TZID=Asia/Shanghai:20230911T100000" in text
    bortala = notices["2025-bortala"]
    text = build_calendar([bortala], "博州").decode()
    assert "DTSTART;TZID=Asia/Shanghai:20251104T180000" in text


def test_date_only_phase_is_all_day():
    notice = {
        "id": "2030-x",
        "title": "测试",
        "year": 2030,
        "issued_on": "2030-01-02",
        "timeline": [
            {
                "id": "apply",
                "phase": "application",
                "label": "网上申报",
                "start": "2030-03-01",
                "end": "2030-03-10",
                "deadline": True,
                "clause": "三",
            },
            {
                "id": "relative",
                "phase": "unit_review",
                "label": "单位公示",
                "relative": "不少于5个工作日",
                "clause": "四",
            },
        ],
    }
    evs = phase_events(notice, notice["timeline"][0])
    assert [str(e["UID"]) for e in evs] == [
        "2030-x.apply.span@xinjiang-zhicheng",
        "2030-x.apply.deadline@xinjiang-zhicheng",
    ]
    assert evs[0].decoded("DTSTART") == date(2030, 3, 1) and evs[0].decoded("DTEND") == date(2030, 3, 11)
    assert phase_events(notice, notice["timeline"][1]) == []
    check_calendar(notice, build_calendar([notice], "x"))


def test_built_site_has_calendars_and_listing(site_dir, notices):
    page = (site_dir / "calendar" / "index.html").read_text(encoding="utf-8")
    for notice in notices.values():
        blob = (site_dir / "calendar" / f"{notice['id']}.ics").read_bytes()
        check_calendar(notice, blob)
        assert f'href="{notice["id"]}.ics"' in page
        for phase in deadline_phases(notice):
            assert phase["label"] in page
    combined = events_by_uid((site_dir / "calendar" / "all.ics").read_bytes())
    assert sum(1 for uid in combined if uid.endswith(".deadline@xinjiang-zhicheng")) == sum(
        len(deadline_phases(n)) for n in notices.values()
    )
    assert "2023年10月11日20:00" in page
    assert "订阅" in page and "下载" in page


@pytest.mark.parametrize(
    "first_year, last_year",
    [(y, y + 3) for y in range(1983, 2041)] + [(1940, 2040), (1985, 1995), (1991, 1992), (2004, 2032), (2024, 2027)],
)
def test_vtimezone_walk_that_stops_after_the_last_date_writes_what_icalendar_writes(first_year, last_year):
    """calendar._timezone stops icalendar's walk of the zone a year after the calendar's last
    date instead of at the year 9999; the component must be byte-identical to
    Timezone.from_tzid for every span a notice can have (years 2005– are used; the spans
    through 1991 cover Beijing's daylight-saving years, where the walk meets real changes)."""
    from icalendar import Timezone

    from generator.site.pages.calendar import TZID, _timezone

    expected = Timezone.from_tzid(TZID, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1))
    assert _timezone.__wrapped__(first_year, last_year).to_ical() == expected.to_ical()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=400))
def test_fold_cuts_lines_where_icalendar_cuts_them(line):
    """Any text (ASCII, Chinese, emoji, backslashes and carets at the cut) folds as _foldline folds it."""
    from icalendar.parser.string import _foldline

    from generator.site.pages.calendar import fold

    assert fold(line) == _foldline(line)


@pytest.mark.parametrize("line", ["DESCRIPTION:" + "\\;" * 60, "X:" + "^" * 100, "Y:" + "中\\n" * 40, "Z:" + "a" * 72])
def test_fold_keeps_escapes_with_the_character_they_escape(line):
    from icalendar.parser.string import _foldline

    from generator.site.pages.calendar import fold

    assert fold(line) == _foldline(line)


def _phases_with_hard_texts() -> list[tuple[dict, dict]]:
    """Made-up notices whose texts hold every character iCalendar escapes (and icalendar's
    \\N), long lines, all-day, timed and one-ended phases, deadlines and spans."""
    base = {
        "id": "2031-x",
        "title": "关于做好2031年度职称评审工作的通知；含逗号,分号;反斜杠\\与\\N和\r\n换行",
        "short_title": "测试\\,2031",
        "year": 2031,
        "issued_on": "2031-02-03",
    }
    texts = ["普通", "a,b;c\\d", "行一\n行二\r行三\r\n行四", "\\N开头", "很长" * 80, "^^^\\\\;;,,"]
    phases = []
    for i, text in enumerate(texts):
        phases += [
            {
                "id": f"d{i}",
                "phase": "application",
                "label": text,
                "start": "2031-03-01",
                "end": "2031-03-10",
                "clause": "三",
                "deadline": True,
                "applies_to": text,
                "note": text,
            },
            {
                "id": f"t{i}",
                "phase": "unit_review",
                "label": text,
                "start": "2031-03-01T09:30+08:00",
                "end": "2031-03-12T18:00+08:00",
                "clause": "四",
                "who": text,
            },
            {"id": f"s{i}", "phase": "review", "label": text, "start": "2031-04-01", "clause": "五"},
            {
                "id": f"e{i}",
                "phase": "review",
                "label": text,
                "end": "2031-04-02T17:00+08:00",
                "clause": "五",
                "deadline": True,
            },
            {
                "id": f"m{i}",
                "phase": "review",
                "label": text,
                "start": "2031-05-01T08:00+08:00",
                "end": "2031-05-01",
                "clause": "五",
                "relative": text,
            },
        ]
    notice = {**base, "timeline": phases}
    return [(notice, phase) for phase in phases]


def test_events_are_written_as_icalendar_writes_them(notices):
    """calendar.event_bytes writes each event directly; it must be byte for byte icalendar's
    Component.to_ical of the same event (calendar.phase_events), with and without a page URL,
    for every phase of the bundled notices, of synthetic copies and of made-up hard texts."""
    from benchmarks.synthetic import bundled_notices, synthetic_notice
    from generator.site.pages.calendar import event_bytes, phase_plan

    every = list(notices.values()) + [synthetic_notice(n, k) for n in bundled_notices() for k in (1, 5, 11, 18)]
    cases = [(n, p) for n in every for p in n["timeline"]] + _phases_with_hard_texts()
    count = alarms = 0
    for notice, phase in cases:
        for url in (None, f"https://example.org/notices/{notice['id']}/"):
            plans = phase_plan(notice, phase, url)
            events = phase_events(notice, phase, url)
            assert len(plans) == len(events)
            for plan, event in zip(plans, events):
                assert event_bytes(plan) == event.to_ical(), (notice["id"], phase["id"])
                count += 1
                alarms += plan["alarm"] is not None
    assert count > 200 and alarms > 50
