"""Build-time SVG timelines of notice phases (per notice and per region).

``timeline_figure(items, caption=...)`` returns an HTML ``<figure>`` (page template
``templates/timeline.html``; geometry from :func:`svg_layout`) holding an inline SVG
(one bar per dated phase on a shared time axis, deadlines highlighted) and, unless the page
already has one, an equivalent table for screen readers. The SVG carries the axis range in
``data-`` attributes; site_overrides/assets/javascripts/timeline.js draws the "today" marker and
the countdown to the next deadline in the visitor's browser (build time is only a fallback); the
countdown texts are the engine's (``generator.engine.timeline.countdown``), the script only picks one.
Colours are SVG presentation attributes, so no inline CSS is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from markupsafe import Markup

from generator.engine import clock
from generator.engine.timeline import countdown, deadline_phases
from generator.site import fmt
from generator.site.context import make_env

WIDTH = 860
LABEL_W = 250
RIGHT_PAD = 24
TOP = 44
ROW_H = 30
BAR_H = 14
LABEL_CHARS = 17
COLORS = {"deadline": "#c62828", "span": "#00897b", "point": "#5e35b1"}
MONTHS = "一二三四五六七八九十"


@dataclass
class Item:
    """One row of the timeline."""

    key: str  # unique within the figure, e.g. "2025-bortala/online-application"
    label: str
    start: str | None  # ISO date or date-time (+08:00)
    end: str | None
    deadline: bool = False
    href: str | None = None
    applies_to: str | None = None
    clause: str | None = None
    group: str | None = None  # heading row shown above the first item of each group


def items_for(notice: dict, *, group: str | None = None, href_base: str = "") -> list[Item]:
    """The dated phases of ``notice`` as timeline items (deadlines as in the calendar)."""
    deadlines = [p["id"] for p in deadline_phases(notice)]
    out = []
    for phase in notice.get("timeline") or []:
        if not (phase.get("start") or phase.get("end")):
            continue
        out.append(
            Item(
                key=f"{notice['id']}/{phase['id']}",
                label=phase["label"] + (f"（{phase['applies_to']}）" if phase.get("applies_to") else ""),
                start=phase.get("start"),
                end=phase.get("end"),
                deadline=phase["id"] in deadlines,
                href=f"{href_base}#phase-{phase['id']}",
                applies_to=phase.get("applies_to"),
                clause=phase.get("clause"),
                group=group,
            )
        )
    return out


def _bounds(value: str, *, end: bool) -> datetime:
    """Instant of a start (00:00) or an end (24:00 for a bare date), Beijing time."""
    return clock.instant(value, end=end)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _month_ticks(t0: datetime, t1: datetime) -> list[datetime]:
    first = datetime(t0.year, t0.month, 1, tzinfo=clock.BEIJING)
    if first < t0:
        first = datetime(first.year + (first.month == 12), first.month % 12 + 1, 1, tzinfo=clock.BEIJING)
    ticks = []
    cur = first
    while cur <= t1:
        ticks.append(cur)
        cur = datetime(cur.year + (cur.month == 12), cur.month % 12 + 1, 1, tzinfo=clock.BEIJING)
    return ticks


def svg_layout(items: list[Item], *, title: str, svg_id: str) -> dict:
    """Geometry of the SVG of ``items`` (already filtered to dated phases), for timeline.html."""
    points = []
    for it in items:
        s = _bounds(it.start, end=False) if it.start else None
        e = _bounds(it.end, end=True) if it.end else None
        points.append((it, s, e))
    starts = [s for _, s, e in points if s] + [e for _, s, e in points if e]
    t0 = min(starts)
    t1 = max(starts)
    # Pad the axis by a few days on each side, aligned to whole days.
    t0 = datetime.combine(t0.date() - timedelta(days=3), time(0), clock.BEIJING)
    t1 = datetime.combine(t1.date() + timedelta(days=4), time(0), clock.BEIJING)
    x0, x1 = LABEL_W, WIDTH - RIGHT_PAD
    span = (t1 - t0).total_seconds()

    def x(moment: datetime) -> float:
        return round(x0 + (x1 - x0) * (moment - t0).total_seconds() / span, 1)

    groups = [it.group for it in items]
    heads = sum(1 for i, g in enumerate(groups) if g and (i == 0 or groups[i - 1] != g))
    height = TOP + ROW_H * (len(items) + heads) + 16
    # Month grid and labels.
    ticks = []
    multi_year = t0.year != t1.year
    # Thin the month labels so they never overlap (a CJK glyph is ~12 px, a digit ~7 px at 12 px).
    month_px = (x1 - x0) * 30.4 * 86400 / span
    widest = 12 * 2 + 7 * (6 if multi_year else 2) + 8
    step = next(k for k in (1, 2, 3, 4, 6, 12, 24, 60) if month_px * k >= widest or k == 60)
    labelled_year = None
    for tick in _month_ticks(t0, t1):
        label = None
        if not (tick.month - 1) % step:
            label = f"{tick.year}年{tick.month}月" if multi_year and tick.year != labelled_year else f"{tick.month}月"
            labelled_year = tick.year
        ticks.append({"x": x(tick), "label": label})
    rows = []
    row = 0
    for i, (it, s, e) in enumerate(points):
        if it.group and (i == 0 or points[i - 1][0].group != it.group):
            rows.append({"group": it.group, "y": TOP + row * ROW_H + ROW_H / 2 + 4.5})
            row += 1
        cy = TOP + row * ROW_H + ROW_H / 2
        row += 1
        when = "—".join(v for v in (fmt.when_cn(it.start), fmt.when_cn(it.end)) if v)
        entry = {
            "item": it,
            "cy": cy,
            "label": _short(it.label),
            "tip": f"{it.label}：{when}" + ("（截止）" if it.deadline else ""),
            "colour": COLORS["deadline"] if it.deadline else COLORS["span"],
            "bar": None,
            "diamond": None,
            "circle": None,
        }
        if s and e and e > s:
            entry["bar"] = {"x": x(s), "y": cy - BAR_H / 2, "width": round(max(x(e) - x(s), 3), 1)}
        if it.deadline and e:
            entry["diamond"] = x(e)
        elif not (s and e and e > s):
            entry["circle"] = x(e or s)
        rows.append(entry)
    return {
        "id": svg_id,
        "title": title,
        "width": WIDTH,
        "height": height,
        "t0": _ms(t0),
        "t1": _ms(t1),
        "x0": x0,
        "x1": x1,
        "top": TOP,
        "bar_h": BAR_H,
        "ticks": ticks,
        "rows": rows,
        "colors": COLORS,
    }


@lru_cache(maxsize=1)
def _templates():
    env = make_env()
    env.auto_reload = True  # kept for the whole process (mkdocs serve): sees an edited timeline.html
    return fmt.install(env)


def timeline_svg(items: list[Item], *, title: str, svg_id: str) -> Markup:
    """The SVG of ``items`` (already filtered to dated phases), through the page template timeline.html."""
    macro = _templates().get_template("timeline.html").module.svg
    return Markup(macro(svg_layout(items, title=title, svg_id=svg_id)))


def table_html(items: list[Item], caption: str) -> Markup:
    return Markup(_templates().get_template("timeline.html").module.table(items, caption))


def timeline_figure(
    items: list[Item], *, caption: str, svg_id: str, with_table: bool = True, table_note: str | None = None
) -> Markup:
    """``<figure>`` with the SVG, a countdown line, and the equivalent table (or a pointer to it).

    Empty markup when no item has a date.
    """
    items = [it for it in items if it.start or it.end]
    if not items:
        return Markup("")
    deadlines = [
        {
            "label": f"{it.group} · {it.label}" if it.group else it.label,
            "end": fmt.instant(it.end, end=True),
            "text": fmt.when_cn(it.end),
            "countdown": countdown(it.end),
        }
        for it in items
        if it.deadline and it.end
    ]
    macro = _templates().get_template("timeline.html").module.figure
    return Markup(
        macro(svg_layout(items, title=caption, svg_id=svg_id), items, caption, deadlines, with_table, table_note)
    )


def notice_timeline(notice: dict) -> Markup:
    """The figure for a notice page (the page's own table follows it)."""
    return timeline_figure(
        items_for(notice),
        caption=f"{notice.get('short_title') or notice['title']} 时间轴",
        svg_id=f"tl-{notice['id']}",
        with_table=False,
        table_note=" 同一内容的文字版见下表。",
    )


def region_timeline(region: dict, notices: list[dict]) -> Markup:
    """The figure for a region page: all phases of its notices, oldest notice first."""
    items: list[Item] = []

    def first(n: dict) -> str:
        return min(((p.get("start") or p.get("end") or "9999")[:16] for p in n.get("timeline") or []), default="9999")

    for n in sorted(notices, key=lambda n: (first(n), n["id"])):
        group = (n.get("short_title") or n["title"]) if len(notices) > 1 else None
        items += items_for(n, group=group, href_base=f"../../notices/{n['id']}/")
    return timeline_figure(
        items,
        caption=f"{region['name']} 时间轴",
        svg_id=f"tl-region-{region['slug']}",
        with_table=False,
        table_note=" 同一内容的文字版见下表。",
    )
