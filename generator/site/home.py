"""The home page (``index.md``): all regions, what is open now and what comes next.

"Now" is computed in the browser from today's date (site.js reads the JSON embedded in the
page); the lists rendered here use the build date and are only the fallback without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, time

from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.notices import sorted_notices
from generator.site.regions import regions

UPCOMING_LIMIT = 8
RECENT_LIMIT = 5


def deadline_entries(ctx: SiteContext) -> list[dict]:
    """Every dated phase of every notice, with Beijing-time instants for the browser."""
    entries = []
    for notice in sorted_notices(ctx):
        for phase in notice["timeline"]:
            if not phase.get("start") and not phase.get("end"):
                continue
            entries.append({
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
            })
    return entries


def classify(entries: list[dict], now: datetime) -> dict[str, list[dict]]:
    """The same computation as site.js, at ``now``: open, upcoming deadlines, recently ended."""
    def at(value):
        return datetime.fromisoformat(value) if value else None

    open_now = [e for e in entries
                if e["start"] and e["end"] and at(e["start"]) <= now < at(e["end"])]
    upcoming = sorted((e for e in entries if e["deadline"] and e["end"] and at(e["end"]) > now),
                      key=lambda e: e["end"])[:UPCOMING_LIMIT]
    ended = sorted((e for e in entries if e["deadline"] and e["end"] and at(e["end"]) <= now),
                   key=lambda e: e["end"], reverse=True)[:RECENT_LIMIT]
    return {"open": open_now, "upcoming": upcoming, "ended": ended}


def script_json(value) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    fmt.install(ctx.env)
    entries = deadline_entries(ctx)
    now = datetime.combine(ctx.today, time(12, 0), tzinfo=fmt.BEIJING)
    lists = classify(entries, now)
    region_list = [(slug, region, notices) for slug, (region, notices) in regions(ctx).items()]
    yield Artifact("index.md", ctx.render(
        "home.html",
        lists=lists,
        regions=region_list,
        notices=sorted_notices(ctx),
        today=ctx.today,
        data=script_json({"entries": entries, "limits": {"upcoming": UPCOMING_LIMIT,
                                                         "ended": RECENT_LIMIT}}),
        root="",
    ))
