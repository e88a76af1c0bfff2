"""The home page (``index.md``): what is open now and what comes next, the regions, and this
year's notices; earlier years are on the archive pages ``archive/<year>/`` (and ``archive/``).

"Now" is the visitor's moment in the browser (site.js reads the JSON embedded in the page and
compares it with the engine's instants and countdown breakpoints); the lists rendered here use the
build date and are only the fallback without JavaScript.

The home page weighs the same however many notices the site holds: it lists the notices of the
current year only (the newest year not after the build year), embeds the dated phases of those
notices and of any notice with a phase ending in that year or later, and links the other years.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from generator.engine import clock
from generator.engine.timeline import countdown
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import application_window, front_matter, sorted_notices
from generator.site.pages.regions import regions

UPCOMING_LIMIT = 8
RECENT_LIMIT = 5


def current_year(ctx: SiteContext) -> int:
    """The year the home page is about: the newest notice year not after the build year
    (the newest year at all when every notice is in the future)."""
    years = {n["year"] for n in ctx.content.notices.values()}
    past = [y for y in years if y <= ctx.today.year]
    return max(past) if past else (min(years) if years else ctx.today.year)


def home_notices(ctx: SiteContext) -> list[dict]:
    """This year's notices and every notice with a phase ending in this year or later."""
    year = current_year(ctx)
    since = f"{year}-01-01"

    def recent(notice):
        return notice["year"] >= year or any(
            (p.get("end") or p.get("start") or "")[:10] >= since for p in notice["timeline"]
        )

    return [n for n in sorted_notices(ctx) if recent(n)]


def deadline_entries(ctx: SiteContext, notices: list[dict] | None = None) -> list[dict]:
    """Every dated phase of ``notices`` (all notices by default), with Beijing-time instants
    for the browser."""
    entries = []
    for notice in sorted_notices(ctx) if notices is None else notices:
        for phase in notice["timeline"]:
            if not phase.get("start") and not phase.get("end"):
                continue
            entries.append(
                {
                    "notice": notice["id"],
                    "title": notice.get("short_title") or notice["title"],
                    "region": notice["region"].get("short_name") or notice["region"]["name"],
                    "phase": phase["id"],
                    "label": phase["label"],
                    "applies_to": phase.get("applies_to", ""),
                    "deadline": bool(phase.get("deadline")) or phase.get("phase") == "application",
                    "start": fmt.instant(phase["start"], end=False) if phase.get("start") else None,
                    "end": fmt.instant(phase["end"], end=True) if phase.get("end") else None,
                    "start_text": fmt.when_cn(phase["start"]) if phase.get("start") else "",
                    "end_text": fmt.when_cn(phase["end"]) if phase.get("end") else "",
                }
            )
            if entries[-1]["deadline"] and phase.get("end"):
                # "还剩 N 天" … "今天截止" … "已截止": the engine's texts; site.js picks the one for now.
                entries[-1]["countdown"] = countdown(phase["end"])
    return entries


def classify(entries: list[dict], now: datetime) -> dict[str, list[dict]]:
    """The same computation as site.js, at ``now``: open, upcoming deadlines, recently ended."""

    def at(value):
        return clock.parse_iso(value)

    open_now = [e for e in entries if e["start"] and e["end"] and at(e["start"]) <= now < at(e["end"])]
    upcoming = sorted(
        (e for e in entries if e["deadline"] and e["end"] and at(e["end"]) > now), key=lambda e: e["end"]
    )[:UPCOMING_LIMIT]
    ended = sorted(
        (e for e in entries if e["deadline"] and e["end"] and at(e["end"]) <= now), key=lambda e: e["end"], reverse=True
    )[:RECENT_LIMIT]
    return {"open": open_now, "upcoming": upcoming, "ended": ended}


def archive_years(ctx: SiteContext) -> list[tuple[int, list[dict]]]:
    """(year, notices of that year), newest year first."""
    by_year: dict[int, list[dict]] = {}
    for notice in sorted_notices(ctx):
        by_year.setdefault(notice["year"], []).append(notice)
    return sorted(by_year.items(), reverse=True)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    fmt.install(ctx.env)
    year = current_year(ctx)
    entries = deadline_entries(ctx, home_notices(ctx))
    now = datetime.combine(ctx.today, time(12, 0), tzinfo=clock.BEIJING)
    lists = classify(entries, now)
    region_list = [(slug, region, notices) for slug, (region, notices) in regions(ctx).items()]
    years = archive_years(ctx)
    this_year = [n for n in sorted_notices(ctx) if n["year"] == year]
    yield Artifact(
        "index.md",
        ctx.render(
            "home.html",
            lists=lists,
            regions=region_list,
            year=year,
            this_year=this_year,
            other_years=[(y, items) for y, items in years if y != year],
            today=ctx.today,
            data={"entries": entries, "limits": {"upcoming": UPCOMING_LIMIT, "ended": RECENT_LIMIT}},
            root="",
        ),
    )
    yield Artifact(
        "archive/index.md",
        ctx.render(
            "archive-index.html",
            years=years,
            root="../",
            front_matter=front_matter(title="年度归档", description="本站收录的职称申报通知，按年度分页。"),
        ),
    )
    for y, items in years:
        rows = [(n, *application_window(n)) for n in items]
        yield Artifact(
            f"archive/{y}/index.md",
            ctx.render(
                "archive-year.html",
                year=y,
                rows=rows,
                root="../../",
                years=[other for other, _ in years],
                front_matter=front_matter(
                    title=f"{y} 年度通知",
                    description=f"{y} 年度新疆各地职称申报通知（{len(items)} 份）：地区、类型与网上申报时间。",
                    zc_search={"kind": "归档", "weight": 0.5, "title": f"{y} 年度通知"},
                ),
            ),
        )
