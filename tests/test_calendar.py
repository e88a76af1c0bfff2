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


def test_events_are_serialised_as_icalendar_serialises_them(notices):
    """calendar.to_ical folds long lines with its own fold(): every event of every bundled
    notice and of synthetic copies (other years, other texts) comes out byte-identical to
    icalendar's Component.to_ical."""
    from benchmarks.synthetic import bundled_notices, synthetic_notice
    from generator.site.pages.calendar import to_ical

    every = list(notices.values()) + [synthetic_notice(n, k) for n in bundled_notices() for k in (1, 5, 11)]
    count = 0
    for notice in every:
        for phase in notice["timeline"]:
            for event in phase_events(notice, phase, f"https://example.org/notices/{notice['id']}/"):
                assert to_ical(event) == event.to_ical()
                count += 1
    assert count > 50


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
