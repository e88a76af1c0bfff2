"""Deadline calendars: ``calendar/<id>.ics`` per notice, ``calendar/all.ics``, and ``calendar/``.

Events are in Asia/Shanghai (北京时间) with a VTIMEZONE, so a time such as 10月11日20:00 stays
20:00 on any phone. Date-only phases are all-day events. Every deadline (a phase marked
``deadline: true``, or the end of the application phases when none is marked) gets its own event
at the exact deadline with reminders a few days before. UIDs depend only on notice and phase ids,
so re-importing or a subscription update replaces events instead of duplicating them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from generator.engine import clock
from generator.engine.timeline import countdown, deadline_phases
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import front_matter, sorted_notices

TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
# Part of every event UID: unchanged since the first release, so subscribed calendars keep their events.
UID_DOMAIN = "xinjiang-zhicheng"
PRODID = "-//新疆职称申报指引//zhicheng//ZH"
# Reminders before each deadline: (trigger, description); all-day deadlines are reminded at 09:00.
TIMED_ALARMS = (timedelta(days=-3), timedelta(days=-1))
ALL_DAY_ALARMS = (-(timedelta(days=2, hours=15)), -(timedelta(hours=15)))


def parse_point(value: str) -> tuple[date, datetime | None]:
    """``2025-09-01`` → (date, None); ``2023-10-11T20:00+08:00`` → (date, aware datetime)."""
    moment, timed = clock.parse_moment(value)
    return moment.date(), moment.astimezone(SHANGHAI) if timed else None


def _description(notice: dict, phase: dict, page_url: str | None) -> str:
    parts = [notice["title"], f"{phase['label']}（{fmt.PHASES.get(phase['phase'], phase['phase'])}）"]
    if phase.get("start") or phase.get("end"):
        span = "—".join(x for x in (fmt.when_cn(phase.get("start")), fmt.when_cn(phase.get("end"))) if x)
        parts.append(f"时间（北京时间）：{span}")
    for key, label in (("applies_to", "适用对象"), ("who", "办理主体"), ("relative", "时限"), ("note", "说明")):
        if phase.get(key):
            parts.append(f"{label}：{phase[key]}")
    parts.append(f"出处：通知原文 {phase['clause']}")
    if page_url:
        parts.append(page_url)
    parts.append("以发文单位的正式通知为准。")
    return "\n".join(parts)


def _stamp(notice: dict) -> datetime:
    issued = clock.date_or_none(str(notice.get("issued_on") or f"{notice['year']}-01-01"))
    return datetime(issued.year, issued.month, issued.day, tzinfo=ZoneInfo("UTC"))


def _alarms(event: Event, label: str, all_day: bool) -> None:
    for trigger in ALL_DAY_ALARMS if all_day else TIMED_ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"即将截止：{label}")
        alarm.add("trigger", trigger)
        event.add_component(alarm)


def phase_plan(notice: dict, phase: dict, page_url: str | None = None) -> list[dict]:
    """The events of one phase as plain values: its span (if it has dates) and, for deadlines,
    the deadline. Each is ``{"uid", "summary", "description", "category", "url", "dtstart",
    "dtend" (or None), "transp", "alarm" (the reminders' label, or None), "all_day"}``;
    :func:`phase_events` makes icalendar components of them, :func:`event_bytes` their text."""
    start_v, end_v = phase.get("start"), phase.get("end")
    if not start_v and not end_v:
        return []
    short = notice.get("short_title") or notice["title"]
    who = f"（{phase['applies_to']}）" if phase.get("applies_to") else ""
    description = _description(notice, phase, page_url)
    is_deadline = phase in deadline_phases(notice)
    events: list[dict] = []

    def new(uid_kind: str, summary: str, dtstart, dtend=None, transp="TRANSPARENT", alarm=None) -> None:
        events.append(
            {
                "uid": f"{notice['id']}.{phase['id']}.{uid_kind}@{UID_DOMAIN}",
                "stamp": _stamp(notice),
                "summary": summary,
                "description": description,
                "category": short,
                "url": page_url or None,
                "dtstart": dtstart,
                "dtend": dtend,
                "transp": transp,
                "alarm": alarm,
                "all_day": not isinstance(dtstart, datetime),
            }
        )

    start = parse_point(start_v) if start_v else None
    end = parse_point(end_v) if end_v else None
    # The span of the phase (or a single day when only one end is known and it is no deadline).
    if start and end and (start[1] or end[1] or start[0] != end[0]):
        summary = f"{short}：{phase['label']}{who}"
        if start[1] is None and end[1] is None:
            new("span", summary, start[0], end[0] + timedelta(days=1))
        else:
            new(
                "span",
                summary,
                start[1] or datetime.combine(start[0], time(0, 0), SHANGHAI),
                end[1] or datetime.combine(end[0] + timedelta(days=1), time(0, 0), SHANGHAI),
            )
    elif not is_deadline:
        day, moment = start or end
        summary = f"{short}：{phase['label']}{who}"
        if moment is None:
            new("span", summary, day, day + timedelta(days=1))
        else:
            new("span", summary, moment)
    if is_deadline and end:
        day, moment = end
        hhmm = f" {moment:%H:%M}" if moment else ""
        summary = f"截止{hhmm}：{short} {phase['label']}{who}"
        alarm = f"{short} {phase['label']}{who}（{fmt.when_cn(end_v)}）"
        if moment is None:
            new("deadline", summary, day, day + timedelta(days=1), "OPAQUE", alarm)
        else:
            new("deadline", summary, moment, None, "OPAQUE", alarm)
    return events


def phase_events(notice: dict, phase: dict, page_url: str | None = None) -> list[Event]:
    """The events of one phase (:func:`phase_plan`) as icalendar components: what
    :func:`event_bytes` writes is tested against their ``to_ical()``."""
    out = []
    for plan in phase_plan(notice, phase, page_url):
        ev = Event()
        ev.add("uid", plan["uid"])
        ev.add("dtstamp", plan["stamp"])
        ev.add("summary", plan["summary"])
        ev.add("description", plan["description"])
        ev.add("categories", [plan["category"]])
        if plan["url"]:
            ev.add("url", plan["url"])
        ev.add("transp", "TRANSPARENT")
        ev.add("dtstart", plan["dtstart"])
        if plan["dtend"] is not None:
            ev.add("dtend", plan["dtend"])
        if plan["transp"] != "TRANSPARENT":
            ev["transp"] = plan["transp"]
        if plan["alarm"] is not None:
            _alarms(ev, plan["alarm"], plan["all_day"])
        out.append(ev)
    return out


def _text(value: str) -> str:
    """An iCalendar TEXT value, escaped as icalendar escapes it (``_escape_char``, order kept)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _moment(name: str, value) -> str:
    """A DTSTART/DTEND/DTSTAMP line: a date, a UTC time or a Beijing time (all the site writes)."""
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value.year:04d}{value.month:02d}{value.day:02d}"
    text = f"{value.year:04d}{value.month:02d}{value.day:02d}T{value.hour:02d}{value.minute:02d}{value.second:02d}"
    if value.utcoffset() == timedelta(0) and str(value.tzinfo) == "UTC":
        return f"{name}:{text}Z"
    if str(value.tzinfo) != TZID:
        raise ValueError(f"unexpected time zone {value.tzinfo!r}")  # a bug: no such times are made
    return f"{name};TZID={TZID}:{text}"


def _duration(td: timedelta) -> str:
    """A DURATION value as icalendar writes it (``vDuration.to_ical``)."""
    sign = ""
    if td.days < 0:
        sign, td = "-", -td
    timepart = ""
    if td.seconds:
        hours, minutes, seconds = td.seconds // 3600, td.seconds % 3600 // 60, td.seconds % 60
        timepart = "T" + (f"{hours}H" if hours else "")
        if minutes or (hours and seconds):
            timepart += f"{minutes}M"
        if seconds:
            timepart += f"{seconds}S"
    if td.days == 0 and timepart:
        return f"{sign}P{timepart}"
    return f"{sign}P{abs(td.days)}D{timepart}"


def event_bytes(plan: dict) -> bytes:
    """One event of :func:`phase_plan` as icalendar serialises its component (``to_ical``):
    properties in icalendar's order (its canonical ones, then by name), TEXT escaped, long lines
    folded (:func:`fold_bytes`). Written directly: icalendar's types, parameters and content
    lines took most of the calendar's time per notice. ``tests/test_calendar.py`` compares both
    for every phase of every bundled notice, synthetic copies and made-up texts."""
    lines = ["BEGIN:VEVENT", "SUMMARY:" + _text(plan["summary"]), _moment("DTSTART", plan["dtstart"])]
    if plan["dtend"] is not None:
        lines.append(_moment("DTEND", plan["dtend"]))
    lines += [
        _moment("DTSTAMP", plan["stamp"]),
        "UID:" + _text(plan["uid"]),
        "CATEGORIES:" + _text(plan["category"]),
        "DESCRIPTION:" + _text(plan["description"]),
        "TRANSP:" + plan["transp"],
    ]
    if plan["url"]:
        lines.append("URL:" + plan["url"])
    if plan["alarm"] is not None:
        description = "DESCRIPTION:" + _text(f"即将截止：{plan['alarm']}")
        for trigger in ALL_DAY_ALARMS if plan["all_day"] else TIMED_ALARMS:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", description, "TRIGGER:" + _duration(trigger), "END:VALARM"]
    lines.append("END:VEVENT")
    return b"\r\n".join(fold_bytes(line.encode("utf-8")) for line in lines) + b"\r\n"


class _ZoneUntil(tzinfo):
    """``zone`` up to ``limit`` (local time); any later instant raises OverflowError, as the end
    of the datetime range does.

    icalendar's ``Timezone.from_tzinfo`` walks the zone in 64-day steps from the first date to
    the next change of offset, and when there is none (Beijing time since 1991) on to the year
    9999: about 45,000 steps, 25 ms, for every span of years. What it writes depends only on
    the offsets before the last date, and any change before it is found by a step that lands
    at most 64 days later, so a walk that ends a year after the last date writes the same
    component (``tests/test_calendar.py`` compares both for every span the site can use)."""

    def __init__(self, zone: tzinfo, limit: datetime) -> None:
        self.zone, self.limit = zone, limit

    def utcoffset(self, dt):
        if dt is not None and dt.replace(tzinfo=None) > self.limit:
            raise OverflowError("after the last date of the calendar")
        return self.zone.utcoffset(dt)

    def dst(self, dt):
        return self.zone.dst(dt)

    def tzname(self, dt):
        return self.zone.tzname(dt)


@functools.lru_cache(maxsize=64)
def _timezone(first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of Beijing time for these years: what ``Timezone.from_tzid(TZID, ...)``
    makes, computed in a walk that stops a year after the last date (:class:`_ZoneUntil`);
    still computed once per span and build, not once per notice. The component is only
    serialised, never changed."""
    first, last = date(first_year, 1, 1), date(last_year, 1, 1)
    zone = _ZoneUntil(SHANGHAI, datetime(last_year + 1, 1, 1))
    return Timezone.from_tzinfo(zone, TZID, first_date=first, last_date=last)


def build_calendar(notices: list[dict], name: str, page_url=None) -> bytes:
    """An iCalendar file of all phases of ``notices``; ``page_url(notice)`` gives event URLs."""
    return assemble_calendar(notices, name, b"".join(notice_events(n, page_url) for n in notices))


def notice_events(notice: dict, page_url=None) -> bytes:
    """The serialised VEVENTs of one notice, as they appear inside any calendar that holds it."""
    url = page_url(notice) if page_url else None
    return b"".join(
        event_bytes(plan) for phase in notice.get("timeline") or [] for plan in phase_plan(notice, phase, url)
    )


def fold_bytes(data: bytes) -> bytes:
    """A UTF-8 content line folded as icalendar's ``_foldline`` folds it (RFC 5545): each
    line ends before the character that would make it 75 octets long and the next starts with
    a space, except that a backslash or caret ending a line (an escape) moves to the next one
    with the character it escapes. Computed per line cut, not per character:
    ``tests/test_calendar.py`` compares both."""
    pieces = []
    start, total = 0, len(data)
    while total - start >= 75:
        cut = start + 74  # inside the character that reaches 75 octets: cut before it
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def fold(line: str) -> str:
    """:func:`fold_bytes` of a text line."""
    return fold_bytes(line.encode("utf-8")).decode("utf-8")


_END = b"END:VCALENDAR\r\n"


def assemble_calendar(notices: list[dict], name: str, events: bytes) -> bytes:
    """The calendar of ``notices`` from their serialised events (:func:`notice_events`): the
    events of a notice are serialised once and shared by its own .ics and ``all.ics``."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("x-wr-caldesc", "职称申报时间安排（北京时间）。以发文单位的正式通知为准。")
    years = [n["year"] for n in notices] or [2025]
    cal.add_component(_timezone(min(years) - 1, max(years) + 2))
    head = cal.to_ical()
    assert head.endswith(_END)
    return head[: -len(_END)] + events + _END


def site_url(ctx: SiteContext) -> str | None:
    url = (ctx.config.get("site_url") if ctx.config is not None else None) or None
    return url if url is None or url.endswith("/") else url + "/"


def calendar_rows(ctx: SiteContext) -> list[dict]:
    """Every dated phase of every notice, deadlines flagged, in time order."""
    rows = []
    for notice in ctx.content.notices.values():
        deadlines = deadline_phases(notice)
        for phase in notice.get("timeline") or []:
            if not (phase.get("start") or phase.get("end") or phase.get("relative")):
                continue
            key = phase.get("end") or phase.get("start") or "9999"
            rows.append(
                {
                    "notice": notice,
                    "phase": phase,
                    "deadline": phase in deadlines,
                    "sort": (fmt.instant(key, end=bool(phase.get("end"))) if key != "9999" else "9999", notice["id"]),
                    "end_instant": fmt.instant(phase["end"], end=True) if phase.get("end") else "",
                }
            )
    rows.sort(key=lambda r: r["sort"])
    return rows


def next_deadlines(rows: list[dict]) -> list[dict]:
    """The deadlines the page's "next deadline" line chooses from (timeline.js), with the
    engine's countdown texts."""
    return [
        {
            "label": f'{row["notice"].get("short_title") or row["notice"]["title"]} · {row["phase"]["label"]}',
            "end": row["end_instant"],
            "text": fmt.when_cn(row["phase"]["end"]),
            "countdown": countdown(row["phase"]["end"]),
        }
        for row in rows
        if row["deadline"] and row["end_instant"]
    ]


def render_index(ctx: SiteContext) -> str:
    fmt.install(ctx.env)
    rows = calendar_rows(ctx)
    return ctx.render(
        "calendar.html",
        base=site_url(ctx) or "",
        notices=sorted_notices(ctx),
        rows=rows,
        deadlines=next_deadlines(rows),
        front_matter=front_matter(
            title="截止日期日历",
            description="各地职称申报的全部时间节点与截止时间，可下载或订阅到手机日历（.ics，北京时间）。",
        ),
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    base = site_url(ctx)

    def page_url(notice):
        return f"{base}notices/{notice['id']}/" if base else None

    from generator.site import memo

    notices = sorted_notices(ctx)
    events = {}
    for notice in notices:
        nid = notice["id"]
        short = notice.get("short_title") or notice["title"]
        # Under `mkdocs serve`: a notice's events are made again only when the notice changed.
        key = (lambda: (memo.notice_key(ctx, nid), base)) if memo.ENABLED else ""
        events[nid] = memo.cached(f"ics:{nid}", key, lambda: notice_events(notice, page_url))
        yield Artifact(
            f"calendar/{nid}.ics",
            memo.cached(f"ics-file:{nid}", key, lambda: assemble_calendar([notice], short, events[nid])),
        )
    yield Artifact(
        "calendar/all.ics",
        assemble_calendar(notices, "新疆职称申报截止日期", b"".join(events[n["id"]] for n in notices)),
    )
    yield Artifact("calendar/index.md", render_index(ctx))
