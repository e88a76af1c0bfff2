"""Working days: chinesecalendar for known years, editor data for later ones, errors otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from generator.engine import EngineError, count_workdays, is_workday, nth_workday

# A made-up year far beyond chinesecalendar's range: 2040-01-01 is a Sunday.
EDITOR = {"2040": {"holidays": ["2040-01-02", "2040-01-03"], "workdays": ["2040-01-07"], "source": "测试"}}


@pytest.mark.parametrize(
    "start, n, expected",
    [
        ("2025-09-01", 1, "2025-09-01"),  # a Monday counts itself
        ("2025-09-01", 5, "2025-09-05"),
        ("2025-08-30", 1, "2025-09-01"),  # Saturday start
        ("2025-09-28", 1, "2025-09-28"),  # Sunday, adjusted workday before National Day
        ("2025-09-26", 5, "2025-10-09"),  # 26, 28, 29, 30 Sep, then 9 Oct after the holiday
        ("2025-10-01", 1, "2025-10-09"),
        ("2025-10-10", 2, "2025-10-11"),  # Saturday 11 Oct 2025 is an adjusted workday
        ("2023-09-28", 5, "2023-10-10"),  # Mid-Autumn + National Day 2023; 7-8 Oct are workdays
        ("2024-12-31", 2, "2025-01-02"),  # across the New Year
    ],
)
def test_nth_workday_known_years(start, n, expected):
    assert nth_workday(date.fromisoformat(start), n).isoformat() == expected
    assert nth_workday(start, n, holidays={}).isoformat() == expected


def test_count_workdays_inclusive():
    assert count_workdays("2025-09-01", "2025-09-05") == 5
    assert count_workdays("2025-09-29", "2025-10-11") == 5  # 29, 30 Sep, 9, 10, 11 Oct
    assert count_workdays("2025-09-05", "2025-09-01") == 0


def test_editor_supplied_year():
    assert is_workday(date(2040, 1, 2), EDITOR) is False  # holiday on a Monday
    assert is_workday(date(2040, 1, 7), EDITOR) is True  # adjusted Saturday
    assert is_workday(date(2040, 1, 8), EDITOR) is False  # plain Sunday
    assert is_workday(date(2040, 1, 6), EDITOR) is True  # plain Friday
    assert nth_workday("2040-01-01", 1, EDITOR).isoformat() == "2040-01-04"
    assert nth_workday("2040-01-01", 4, EDITOR).isoformat() == "2040-01-07"


def test_year_known_to_neither_is_a_clear_error_not_a_guess():
    with pytest.raises(EngineError) as info:
        nth_workday("2040-01-01", 3)
    assert "没有 2040 年的法定节假日与调休安排" in info.value.message
    assert "content/" not in info.value.message  # this message reaches applicants
    assert "content/holidays/2040.yaml" in info.value.problems[0]["editor_hint"]
    # crossing into an unknown year fails as well
    with pytest.raises(EngineError):
        nth_workday("2040-12-30", 5, EDITOR)


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "3"])
def test_count_must_be_positive_integer(n):
    with pytest.raises(EngineError) as info:
        nth_workday("2025-09-01", n)
    assert info.value.problems[0]["field"] == "count"


def test_bad_start_date():
    with pytest.raises(EngineError) as info:
        nth_workday("2025-13-01", 1)
    assert "不是有效日期" in info.value.message


def test_library_rule_is_chinese_calendars_for_every_day_it_knows():
    """engine.workdays.library_is_workday reads chinese_calendar's tables once instead of calling
    its is_workday (which scans every date of the tables at each call): the same answer for every
    day of every year the library knows, datetimes included, and None just outside them."""
    from datetime import datetime, timedelta

    import chinese_calendar
    from chinese_calendar.constants import holidays

    from generator.engine.workdays import library_is_workday

    first, last = min(holidays).year, max(holidays).year
    assert first <= 2005 and last >= 2025
    day, days = date(first, 1, 1), 0
    while day.year <= last:
        assert library_is_workday(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
        days += 1
    assert days > 365 * (last - first)
    assert library_is_workday(datetime(2025, 10, 11, 9, 30)) is True  # an adjusted Saturday
    assert library_is_workday(datetime(2025, 10, 1, 9, 30)) is False
    for outside in (date(first - 1, 12, 31), date(last + 1, 1, 2)):
        assert library_is_workday(outside) is None
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(outside)
        with pytest.raises(EngineError):
            is_workday(outside)
