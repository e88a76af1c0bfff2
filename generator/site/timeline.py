"""Build-time SVG timelines of notice phases (per notice and per region).

``timeline_figure(items, caption=...)`` returns an HTML ``<figure>`` holding an inline SVG
(one bar per dated phase on a shared time axis, deadlines highlighted) and, unless the page
already has one, an equivalent table for screen readers. The SVG carries the axis range in
``data-`` attributes; site_overrides/assets/javascripts/timeline.js draws the "today" marker and
the countdown to the next deadline in the visitor's browser (build time is only a fallback); the
countdown texts are the engine's (``generator.engine.timeline.countdown``), the script only picks one.
Colours are SVG presentation attributes, so no inline CSS is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from markupsafe import Markup, escape

from generator.engine import clock
from generator.engine.timeline import countdown, deadline_phases
from generator.site import fmt

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
        out.append(Item(
            key=f"{notice['id']}/{phase['id']}",
            label=phase["label"] + (f"（{phase['applies_to']}）" if phase.get("applies_to") else ""),
            start=phase.get("start"),
            end=phase.get("end"),
            deadline=phase["id"] in deadlines,
            href=f"{href_base}#phase-{phase['id']}",
            applies_to=phase.get("applies_to"),
            clause=phase.get("clause"),
            group=group,
        ))
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


def timeline_svg(items: list[Item], *, title: str, svg_id: str) -> Markup:
    """The SVG of ``items`` (already filtered to dated phases)."""
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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(svg_id)}" class="zc-tl-svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{escape(svg_id)}-title" '
        f'data-t0="{_ms(t0)}" data-t1="{_ms(t1)}" data-x0="{x0}" data-x1="{x1}" data-top="{TOP - 10}" '
        f'data-bottom="{height - 8}" font-family="system-ui, -apple-system, \'PingFang SC\', \'Noto Sans CJK SC\', \'Microsoft YaHei\', sans-serif" font-size="13">',
        f'<title id="{escape(svg_id)}-title">{escape(title)}</title>',
    ]
    # Month grid and labels.
    ticks = _month_ticks(t0, t1)
    multi_year = t0.year != t1.year
    # Thin the month labels so they never overlap (a CJK glyph is ~12 px, a digit ~7 px at 12 px).
    month_px = (x1 - x0) * 30.4 * 86400 / span
    widest = 12 * 2 + 7 * (6 if multi_year else 2) + 8
    step = next(k for k in (1, 2, 3, 4, 6, 12, 24, 60) if month_px * k >= widest or k == 60)
    labelled_year = None
    for tick in ticks:
        tx = x(tick)
        parts.append(f'<line x1="{tx}" y1="{TOP - 14}" x2="{tx}" y2="{height - 8}" stroke="#9e9e9e" stroke-opacity="0.45" stroke-dasharray="2 3"/>')
        if (tick.month - 1) % step:
            continue
        label = f"{tick.year}年{tick.month}月" if multi_year and tick.year != labelled_year else f"{tick.month}月"
        labelled_year = tick.year
        parts.append(f'<text x="{tx + 3}" y="{TOP - 20}" fill="currentColor" fill-opacity="0.75" font-size="12">{escape(label)}</text>')
    parts.append(f'<line x1="{x0}" y1="{TOP - 14}" x2="{x1}" y2="{TOP - 14}" stroke="currentColor" stroke-opacity="0.5"/>')
    row = 0
    for i, (it, s, e) in enumerate(points):
        if it.group and (i == 0 or points[i - 1][0].group != it.group):
            gy = TOP + row * ROW_H + ROW_H / 2 + 4.5
            parts.append(f'<text x="8" y="{gy}" fill="currentColor" font-weight="700">{escape(it.group)}</text>')
            row += 1
        cy = TOP + row * ROW_H + ROW_H / 2
        row += 1
        colour = COLORS["deadline"] if it.deadline else COLORS["span"]
        when = "—".join(v for v in (fmt.when_cn(it.start), fmt.when_cn(it.end)) if v)
        tip = f"{it.label}：{when}" + ("（截止）" if it.deadline else "")
        label = escape(_short(it.label))
        text = f'<text x="{x0 - 8}" y="{cy + 4.5}" text-anchor="end" fill="currentColor">{label}</text>'
        if it.href:
            # Not in the tab order: keyboard and screen-reader users get the equivalent table.
            text = f'<a href="{escape(it.href)}" tabindex="-1">{text}</a>'
        parts.append(f'<g class="zc-tl-row{" zc-tl-deadline" if it.deadline else ""}" data-key="{escape(it.key)}">')
        parts.append(f"<title>{escape(tip)}</title>")
        parts.append(text)
        if s and e and e > s:
            w = max(x(e) - x(s), 3)
            parts.append(f'<rect x="{x(s)}" y="{cy - BAR_H / 2}" width="{round(w, 1)}" height="{BAR_H}" rx="3" fill="{colour}" fill-opacity="0.85"/>')
        moment = e or s
        if it.deadline and e:
            mx = x(e)
            parts.append(f'<path d="M{mx} {cy - 9} L{mx + 6} {cy} L{mx} {cy + 9} L{mx - 6} {cy} Z" fill="{COLORS["deadline"]}"/>')
        elif not (s and e and e > s):
            mx = x(moment)
            parts.append(f'<circle cx="{mx}" cy="{cy}" r="5.5" fill="{COLORS["point"]}"/>')
        parts.append("</g>")
    # Today marker, placed and shown by timeline.js.
    parts.append(
        f'<g class="zc-tl-today" visibility="hidden"><line x1="{x0}" y1="{TOP - 10}" x2="{x0}" y2="{height - 8}" '
        f'stroke="#ef6c00" stroke-width="2"/><text x="{x0}" y="{height - 1}" text-anchor="middle" '
        f'fill="#ef6c00" font-size="12">今天</text></g>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def table_html(items: list[Item], caption: str) -> Markup:
    rows = []
    for it in items:
        start = f'<time datetime="{escape(it.start)}">{escape(fmt.when_cn(it.start))}</time>' if it.start else "—"
        end = f'<time datetime="{escape(it.end)}">{escape(fmt.when_cn(it.end))}</time>' if it.end else "—"
        text = f"{it.group} · {it.label}" if it.group else it.label
        label = f'<a href="{escape(it.href)}">{escape(text)}</a>' if it.href else escape(text)
        badge = ' <span class="zc-badge">截止</span>' if it.deadline else ""
        rows.append(f"<tr><td>{label}{badge}</td><td>{start}</td><td>{end}</td><td>{fmt.clause(it.clause)}</td></tr>")
    return Markup(
        f'<div class="zc-table" tabindex="0" role="region" aria-label="{escape(caption)}"><table>'
        f"<caption>{escape(caption)}（北京时间）</caption>"
        "<thead><tr><th>阶段</th><th>开始</th><th>截止</th><th>出处</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></div>"
    )


def timeline_figure(items: list[Item], *, caption: str, svg_id: str, with_table: bool = True,
                    table_note: str | None = None) -> Markup:
    """``<figure>`` with the SVG, a countdown line, and the equivalent table (or a pointer to it).

    Empty markup when no item has a date.
    """
    items = [it for it in items if it.start or it.end]
    if not items:
        return Markup("")
    deadlines = [
        {"label": f"{it.group} · {it.label}" if it.group else it.label,
         "end": fmt.instant(it.end, end=True), "text": fmt.when_cn(it.end), "countdown": countdown(it.end)}
        for it in items if it.deadline and it.end
    ]
    data = escape(json.dumps(deadlines, ensure_ascii=False, separators=(",", ":")))
    parts = [
        f'<figure class="zc-tl" data-zc-timeline data-deadlines="{data}">',
        f'<div class="zc-table zc-tl-scroll" aria-hidden="{"false" if with_table else "true"}">',
        str(timeline_svg(items, title=caption, svg_id=svg_id)),
        "</div>",
        f'<figcaption>{escape(caption)}（北京时间）。<span class="zc-tl-legend">'
        '<span class="zc-tl-key zc-tl-key--span">■</span> 阶段　<span class="zc-tl-key zc-tl-key--deadline">◆</span> 截止'
        '　<span class="zc-tl-key zc-tl-key--today">│</span> 今天</span>'
        f'{escape(table_note) if table_note else ""}</figcaption>',
        '<p class="zc-countdown" data-zc-countdown hidden></p>',
    ]
    if with_table:
        parts.append(f"<details class=\"zc-tl-text\"><summary>文字版时间表</summary>{table_html(items, caption)}</details>")
    parts.append("</figure>")
    return Markup("\n".join(parts))


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
