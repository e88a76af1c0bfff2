"""The one timeline model: instants, the application window and its status, in Beijing time.

Dates and times are read by :mod:`generator.engine.clock`.

Every page, the command line and the browser take these answers from here; page scripts only
compare the visitor's current instant with the instants computed here (no date arithmetic of
their own).

- A notice's times are strings: a date ``2025-11-04`` or a date-time with its offset
  ``2025-11-04T18:00+08:00``. A bare start date begins at 00:00, a bare end date ends at 24:00
  (the whole day counts), Beijing time.
- "Now" (``today``) is ``YYYY-MM-DD`` (a whole day: the status is judged by date, as a person
  reading the notice on that day would), ``YYYY-MM-DDTHH:MM`` (Beijing time) or an ISO instant
  with an offset (e.g. the browser's ``2025-11-04T10:01:00.000Z``).
- Status: ``upcoming`` before the start, ``open`` from the start up to (not including) the end
  instant, ``closed`` from the end instant on. At 20:00 on the closing day of an 18:00 deadline
  the window is closed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from generator.engine.clock import (  # noqa: F401  (BEIJING, parse_moment, parse_today: re-exported)
    BEIJING,
    date_or_none,
    instant,
    instant_iso,
    iso,
    parse_iso,
    parse_moment,
    parse_today,
)

STATUS_LABELS = {"upcoming": "尚未开始", "open": "正在受理", "closed": "已截止"}


def status_at(start: datetime | None, end: datetime | None, now: datetime, whole_day: bool = False) -> str:
    """``upcoming``, ``open`` or ``closed`` of the span [start, end) at ``now``.

    With ``whole_day`` the question is "is it open at some time on that date?" (the date-only
    ``today`` of the command line and of older callers).
    """
    if whole_day:
        day = now.date()
        if start is not None and day < start.date():
            return "upcoming"
        if end is not None and day > (end - timedelta(microseconds=1)).date():
            return "closed"
        return "open"
    if start is not None and now < start:
        return "upcoming"
    if end is not None and now >= end:
        return "closed"
    return "open"


def application_phases(notice: dict) -> list[dict]:
    return [p for p in notice.get("timeline", ()) if p.get("phase") == "application"]


def deadline_phases(notice: dict) -> list[dict]:
    """The phases an applicant must not miss: marked ``deadline``, else the application ends."""
    timeline = notice.get("timeline") or []
    marked = [p for p in timeline if p.get("deadline") and p.get("end")]
    if marked:
        return marked
    return [p for p in timeline if p.get("phase") == "application" and p.get("end")]


def application_window(notice: dict) -> tuple[str, str] | None:
    """(start, end) of the notice's application window as written in the notice, or None."""
    phases = application_phases(notice)
    starts = [p["start"] for p in phases if p.get("start")]
    ends = [p["end"] for p in phases if p.get("end")]
    if not starts or not ends:
        return None
    start = min(starts, key=lambda v: instant(v, end=False))
    end = max(ends, key=lambda v: instant(v, end=True))
    return start, end


def window(notice: dict, today) -> dict | None:
    """The ``window`` member of the result object (CONTRACTS §6) at ``today``."""
    span = application_window(notice)
    now, whole_day = parse_today(today)
    if span is None:
        return None
    start, end = span
    status = status_at(instant(start, end=False), instant(end, end=True), now, whole_day)
    shown = now.date().isoformat() if whole_day else iso(now)
    return {"start": start, "end": end, "today": shown, "status": status}


def phase_instants(notice: dict) -> list[dict]:
    """Every dated phase with the instants its status turns at (for pages and their scripts)."""
    out = []
    for phase in notice.get("timeline", ()):
        if not (phase.get("start") or phase.get("end")):
            continue
        out.append(
            {
                "id": phase["id"],
                "phase": phase.get("phase"),
                "start": instant_iso(phase["start"], end=False) if phase.get("start") else None,
                "end": instant_iso(phase["end"], end=True) if phase.get("end") else None,
            }
        )
    return out


def window_instants(notice: dict) -> dict | None:
    """The application window as the two instants a page compares "now" with."""
    span = application_window(notice)
    if span is None:
        return None
    return {"start": instant_iso(span[0], end=False), "end": instant_iso(span[1], end=True)}


def _published(notice: dict) -> date | None:
    value = notice.get("issued_on")
    if isinstance(value, str):
        return date_or_none(value)
    span = application_window(notice)
    return instant(span[0], end=False).date() if span else None


def round_months(notices) -> dict[str, list[int]]:
    """Region slug → the months its notices were published in (sorted): when a next round is
    usually published. ``build_bundle`` stores it as the bundle's ``round_months``."""
    by_region: dict[str, set[int]] = {}
    for other in notices:
        day = _published(other)
        if day is not None:
            by_region.setdefault((other.get("region") or {}).get("slug"), set()).add(day.month)
    return {slug: sorted(months) for slug, months in sorted(by_region.items(), key=lambda kv: str(kv[0]))}


def next_round(notices: dict, notice: dict, months_by_region: dict | None = None) -> dict:
    """When the region's next round is usually published, from its notices, and where to watch.

    ``months_by_region`` (the bundle's ``round_months``) answers without the other notices: the
    browser's engine holds only the notices it has loaded, and must answer as the command line."""
    slug = (notice.get("region") or {}).get("slug")
    if months_by_region is None:
        months = round_months(o for o in notices.values() if (o.get("region") or {}).get("slug") == slug).get(slug, [])
    else:
        months = list(months_by_region.get(slug) or ())
    if months:
        usually = "、".join(f"{m}月" for m in months)
        text = f"按本地区往年通知，新一轮通知通常在每年{usually}前后发布"
    else:
        text = "新一轮通知的发布时间请留意发文单位公告"
    issuer = notice.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("name")
    watch = [p["name"] for p in notice.get("platforms", ()) if p.get("name") and "申报" in str(p.get("purpose", ""))][
        :1
    ]
    if issuer:
        watch.insert(0, str(issuer))
    return {"months": months, "text": text, "watch": watch}


# How many days before a closing day the countdown ("还剩 N 天") starts; earlier, pages show the
# deadline's date alone.
COUNTDOWN_DAYS = 30


def countdown(end: str, *, days: int = COUNTDOWN_DAYS) -> list[list[str]]:
    """The countdown texts of a deadline, as ``[instant, text]`` breakpoints in time order.

    ``end`` is the notice's end (a bare date closes at the next midnight). The closing day is the
    Beijing date of the last open minute; "还剩 N 天" counts the calendar days one can still apply
    on, today included (on the closing day itself: "今天截止"; the day before: "明天截止"), and
    from the end instant on the text is "已截止" — so at 20:00 on the closing day of an 18:00
    deadline it says 已截止, and a whole-day deadline says 今天截止 until midnight. A page shows the
    text of the last breakpoint not after "now" (nothing before the first, ``days`` days ahead).
    """
    closes = instant(end, end=True)
    closing_day = (closes - timedelta(minutes=1)).date()
    out = []
    for left in range(days + 1, 0, -1):
        day = closing_day - timedelta(days=left - 1)
        text = "今天截止" if left == 1 else "明天截止" if left == 2 else f"还剩 {left} 天"
        out.append([iso(datetime.combine(day, time(0), BEIJING)), text])
    out.append([iso(closes), "已截止"])
    return out


def countdown_at(breakpoints: list[list[str]], now) -> str:
    """The text a page shows at ``now`` (any ``today`` form): the last breakpoint not after it."""
    moment, _ = parse_today(now)
    text = ""
    for at, value in breakpoints:
        if parse_iso(at) <= moment:
            text = value
        else:
            break
    return text
