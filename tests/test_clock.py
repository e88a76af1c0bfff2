"""One Beijing-time module: every date and time is read by generator/engine/clock.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.engine import clock
from generator.engine.errors import EngineError

ROOT = Path(__file__).resolve().parent.parent


def test_bare_dates_span_the_whole_beijing_day_and_times_keep_their_offset():
    assert clock.instant_iso("2025-11-04", end=False) == "2025-11-04T00:00+08:00"
    assert clock.instant_iso("2025-11-04", end=True) == "2025-11-05T00:00+08:00"
    assert clock.instant_iso("2025-11-04T18:00+08:00", end=True) == "2025-11-04T18:00+08:00"
    # an instant in another offset is the same moment, shown in Beijing time
    assert clock.instant_iso("2025-11-04T10:00Z", end=False) == "2025-11-04T18:00+08:00"
    # "24:00" as notices write it is the next midnight
    assert clock.instant_iso("2025-11-04T24:00+08:00", end=True) == "2025-11-05T00:00+08:00"
    assert clock.parse_when("2023-10-11T20:00+08:00") == (date(2023, 10, 11), "20:00")
    assert clock.parse_when("2023-10-11") == (date(2023, 10, 11), None)


@pytest.mark.parametrize(
    "text, why",
    [
        ("2025-02-30", "2025 年 2 月只有 28 天"),
        ("2024-02-30", "2024 年 2 月只有 29 天"),
        ("2025-13-01", "月份 13 不存在"),
        ("2025-12-31T25:00+08:00", "时刻 25:00 不存在"),
        ("2025-12-31", None),
        ("2025-12-31T24:00+08:00", None),
        ("not a date", None),
    ],
)
def test_impossible_dates_are_named(text, why):
    assert clock.date_problem(text) == why


def test_strict_dates_and_the_engine_error_for_a_bad_one():
    assert clock.parse_date("2025-09-01") == date(2025, 9, 1)
    with pytest.raises(ValueError):
        clock.parse_date("20250901")
    with pytest.raises(EngineError) as info:
        clock.to_date("2025-13-01", "start")
    assert info.value.message == 'start："2025-13-01" 不是有效日期（格式 YYYY-MM-DD）'
    assert clock.split_date("2025-10-11T10:00+08:00") == (date(2025, 10, 11), "T10:00+08:00")
    assert clock.split_date("2025-02-30") is None


def test_today_accepts_a_day_a_beijing_time_or_a_browser_instant():
    assert clock.parse_today("2025-11-04") == (datetime(2025, 11, 4, tzinfo=clock.BEIJING), True)
    assert clock.parse_today("2025-11-04T17:59")[0].hour == 17
    assert clock.iso(clock.parse_today("2025-11-04T10:01:00.000Z")[0]) == "2025-11-04T18:01+08:00"
    assert clock.now().utcoffset().total_seconds() == 8 * 3600


def test_no_other_module_parses_dates_or_makes_beijing_time():
    """The one-module rule, checked on the source: parsing and the +08:00 zone live in clock.py."""
    pattern = re.compile(r"fromisoformat|strptime|timedelta\(hours=8\)|datetime\.now\(|date\.today\(")
    offenders = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "clock.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
