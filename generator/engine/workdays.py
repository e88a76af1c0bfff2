"""Working days under the official PRC holiday and adjusted-workday calendar.

Years known to ``chinese_calendar`` (2004–2026 in 1.11) come from the library; editors add
later years in ``content/holidays/<year>.yaml``, which reach the engine as
``holidays = {"2027": {"holidays": [...], "workdays": [...], "source": ...}}``. Editor data wins
when both know a year. A year known to neither is an :class:`EngineError`, never a weekday guess.
"""

from __future__ import annotations

from datetime import date, timedelta

from generator.engine.clock import to_date
from generator.engine.errors import EngineError

# Safety bound for loops over calendar days (about 30 years).
MAX_SPAN_DAYS = 11000


_to_date = to_date


def _editor_year(holidays: dict | None, year: int) -> dict | None:
    if not holidays:
        return None
    data = holidays.get(str(year))
    if data is None:
        data = holidays.get(year)
    return data


_LIBRARY: tuple | None = None  # chinese_calendar's (first year, last year, holidays, workdays)


def library_is_workday(day: date) -> bool | None:
    """``chinese_calendar.is_workday(day)``, or None for a year the library does not know.

    The library's own function checks the year against the range of its tables by scanning all
    of their dates at every call (about 40 µs a day: a third of a second for the site's working-day
    calendar, and every day ``nth_workday`` counts); the same rule from the same tables, with the
    range found once. tests/test_workdays.py compares both for every day of every year it knows."""
    global _LIBRARY
    if _LIBRARY is None:
        from chinese_calendar.constants import holidays, workdays

        _LIBRARY = (min(holidays).year, max(holidays).year, holidays, workdays)
    first, last, holidays, workdays = _LIBRARY
    if type(day) is not date:
        day = date(day.year, day.month, day.day)  # a datetime: its day, as the library does
    if not first <= day.year <= last:
        return None
    return day in workdays or (day.weekday() <= 4 and day not in holidays)


def is_workday(day: date, holidays: dict | None = None) -> bool:
    """True when ``day`` is an official working day (adjusted weekend workdays included)."""
    data = _editor_year(holidays, day.year)
    if data is not None:
        iso = day.isoformat()
        if iso in data.get("workdays", ()):
            return True
        if iso in data.get("holidays", ()):
            return False
        return day.weekday() < 5
    known = library_is_workday(day)
    if known is not None:
        return known
    # The message reaches applicants (the check page): no file names in it. The editors' hint
    # travels in the problem and is printed by the command line.
    raise EngineError(
        f"没有 {day.year} 年的法定节假日与调休安排，无法计算工作日；"
        f"请按国务院办公厅公布的 {day.year} 年放假安排自行核对",
        [
            {
                "field": "holidays",
                "message": f"缺少 {day.year} 年的节假日数据",
                "editor_hint": f"请在 content/holidays/{day.year}.yaml 中补充国务院办公厅公布的安排",
            }
        ],
    )


def nth_workday(start, n: int, holidays: dict | None = None) -> date:
    """The date of the ``n``-th working day counted from ``start`` inclusive (n ≥ 1)."""
    start = _to_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise EngineError(
            f"工作日个数必须是不小于 1 的整数，收到 {n!r}",
            [{"field": "count", "message": f"必须是不小于 1 的整数，收到 {n!r}"}],
        )
    day = start
    seen = 0
    for _ in range(MAX_SPAN_DAYS + n):
        if is_workday(day, holidays):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
    raise EngineError(  # pragma: no cover - unreachable: unknown years raise first
        f"{n} 个工作日超出可计算范围",
        [{"field": "count", "message": "超出可计算范围"}],
    )


def count_workdays(start, end, holidays: dict | None = None) -> int:
    """Working days from ``start`` to ``end``, both inclusive (0 when end < start)."""
    start = _to_date(start, "start")
    end = _to_date(end, "end")
    if end < start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise EngineError(
            "日期区间过长，无法计算工作日",
            [{"field": "end", "message": "日期区间过长（超过 30 年）"}],
        )
    total = 0
    day = start
    while day <= end:
        if is_workday(day, holidays):
            total += 1
        day += timedelta(days=1)
    return total
