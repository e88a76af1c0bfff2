"""Beijing time: the one place where dates and times are read, checked and written.

Every date or time in the project is a string: a date ``2025-11-04`` or a date-time with its
offset ``2025-11-04T18:00+08:00`` (北京时间). Content checks, the timeline model, the pages, the
calendar, the authoring tools and the command line all read them with the functions below, so a
time means the same instant everywhere:

- :func:`date_problem` — why a date-like string is not a real date/time (``2025-02-30``), or None;
- :func:`parse_date` / :func:`to_date` — a strict ``YYYY-MM-DD`` (``ValueError`` / ``EngineError``);
- :func:`parse_moment`, :func:`instant`, :func:`iso` — a notice time as a Beijing-time instant (a bare
  start date begins at 00:00, a bare end date ends at 24:00);
- :func:`parse_when`, :func:`when_cn`, :func:`date_cn` — the date and ``HH:MM`` shown on pages;
- :func:`parse_today` — the moment ``?today=`` / ``--today`` / the browser asks about;
- :func:`split_date` — a date string's date and the rest (to shift or compare it);
- :func:`now` — the current Beijing time.

Pure (stdlib only): runs in the browser too.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta, timezone

from generator.engine.errors import EngineError

BEIJING = timezone(timedelta(hours=8))

# Anything that looks like a date or a date-time (checked for impossible values by date_problem).
DATE_LIKE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$")
# How content writes them: a date, or a date-time in Beijing time.
CONTENT_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2})?\+08:00)?$")
_TODAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def now() -> datetime:
    """The current instant, Beijing time."""
    return datetime.now(BEIJING)


def date_problem(text: str) -> str | None:
    """Why a YYYY-MM-DD[THH:MM[:SS][+08:00]] string is not a real date/time, or None."""
    m = DATE_LIKE.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= month <= 12:
        return f"月份 {m[2]} 不存在"
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    if not 1 <= day <= last:
        return f"{year} 年 {month} 月只有 {last} 天"
    if m[4] is not None:
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
        if hour > 24 or minute > 59 or second > 59 or (hour == 24 and (minute or second)):
            return f"时刻 {m[4]}:{m[5]} 不存在"
        if m[7] and m[7] != "Z":
            oh, om = int(m[7][1:3]), int(m[7][4:6])
            if oh > 14 or om > 59:
                return f"时区 {m[7]} 不存在"
    return None


def parse_date(value: str) -> date:
    """A strict ``YYYY-MM-DD`` → date; ``ValueError`` for anything else."""
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value)


def date_or_none(value) -> date | None:
    """The date at the start of a date or date-time string, or None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def to_date(value, field: str) -> date:
    """A date or a strict ``YYYY-MM-DD`` → date; :class:`EngineError` naming ``field`` otherwise."""
    if isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except ValueError:
        try:
            shown = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            shown = repr(value)
        text = f"{shown} 不是有效日期（格式 YYYY-MM-DD）"
        raise EngineError(f"{field}：{text}", [{"field": field, "message": text}]) from None


def split_date(value: str) -> tuple[date, str] | None:
    """``2025-10-11T10:00+08:00`` → (date(2025, 10, 11), "T10:00+08:00") for content's date strings."""
    m = CONTENT_DATE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])), m[4] or ""
    except ValueError:
        return None


def _datetime(value: str) -> datetime:
    if "T24:00" in value:  # "24:00" as notices write it: the next day's midnight
        head, _, tail = value.partition("T24:00")
        tail = tail[3:] if tail.startswith(":00") else tail
        return _datetime(f"{head}T00:00{tail}") + timedelta(days=1)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def parse_moment(value: str) -> tuple[datetime, bool]:
    """A notice time → (Beijing-time datetime, has_time_of_day)."""
    if "T" in value:
        return _datetime(value).astimezone(BEIJING), True
    return datetime.combine(date.fromisoformat(value), time(0), BEIJING), False


def instant(value: str, *, end: bool) -> datetime:
    """The instant a start (00:00 for a bare date) or an end (24:00 for a bare date) stands for."""
    moment, timed = parse_moment(value)
    if end and not timed:
        moment += timedelta(days=1)
    return moment


def instant_or_none(value, *, end: bool) -> datetime | None:
    """:func:`instant` of a possible date string, or None when it is not a real date/time."""
    if not isinstance(value, str) or not DATE_LIKE.match(value) or date_problem(value):
        return None
    try:
        return instant(value, end=end)
    except ValueError:
        return None


def iso(moment: datetime) -> str:
    """``2025-11-04T18:00+08:00``: minutes precision, Beijing offset."""
    return moment.astimezone(BEIJING).isoformat(timespec="minutes")


def instant_iso(value: str, *, end: bool) -> str:
    return iso(instant(value, end=end))


def parse_iso(value: str | None) -> datetime | None:
    """An instant written by :func:`iso` (or any ISO date-time) back as a datetime; None for none."""
    return _datetime(value) if value else None


def parse_when(value: str) -> tuple[date, str | None]:
    """``2025-10-11`` or ``2025-10-11T10:00+08:00`` → (date, "10:00" or None), Beijing time."""
    moment, timed = parse_moment(value)
    return moment.date(), moment.strftime("%H:%M") if timed else None


def _bad_today(value) -> EngineError:
    text = f"today：{value!r} 不是有效的日期或时间（格式 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，北京时间）"
    return EngineError(text, [{"field": "today", "message": text}])


def parse_today(value) -> tuple[datetime, bool]:
    """``today`` → (Beijing-time instant, whole_day). Raises :class:`EngineError` if invalid.

    ``YYYY-MM-DD`` is a whole day; ``YYYY-MM-DDTHH:MM`` is Beijing time; an ISO instant with an
    offset (the browser's ``2025-11-04T10:01:00.000Z``) is converted.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=BEIJING)
        return moment.astimezone(BEIJING), False
    if isinstance(value, date):
        return datetime.combine(value, time(0), BEIJING), True
    if not isinstance(value, str) or not _TODAY.match(value):
        raise _bad_today(value)
    try:
        if "T" not in value:
            return datetime.combine(date.fromisoformat(value), time(0), BEIJING), True
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _bad_today(value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING), False


def when_cn(value: str | None, *, year: bool = True) -> str:
    """``2023-10-11T20:00+08:00`` → ``2023年10月11日20:00`` (北京时间, exact as in the notice)."""
    if not value:
        return ""
    day, hhmm = parse_when(value)
    text = f"{day.month}月{day.day}日"
    if year:
        text = f"{day.year}年" + text
    return text + (hhmm or "")


def date_cn(value: str | None) -> str:
    """``2025-09-01`` → ``2025年9月1日``."""
    if not value:
        return ""
    day = date_or_none(value)
    if day is None:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"
