"""One page per region (``regions/<slug>/index.md``): its notices by year and all their phases."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from generator.diffing import region_changes_html
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.notices import front_matter, sorted_notices
from generator.site.timeline import region_timeline


def regions(ctx: SiteContext) -> dict[str, tuple[dict, list[dict]]]:
    """slug → (region of the newest notice, notices newest first)."""
    out: dict[str, tuple[dict, list[dict]]] = {}
    for notice in sorted_notices(ctx):
        slug = notice["region"]["slug"]
        if slug not in out:
            out[slug] = (notice["region"], [])
        out[slug][1].append(notice)
    return dict(sorted(out.items()))


def phase_key(phase: dict) -> str:
    return (phase.get("start") or phase.get("end") or "9999")[:16]


def render_region(ctx: SiteContext, region: dict, notices: list[dict]) -> str:
    years = sorted({n["year"] for n in notices}, reverse=True)
    by_year = [(y, [n for n in notices if n["year"] == y]) for y in years]
    phases = [(n, p) for n in sorted(notices, key=lambda n: (n["year"], n["id"]))
              for p in n["timeline"]]
    contacts = [(n, c) for n in notices[:1] for c in n["contacts"]]
    return ctx.render(
        "region.html",
        region=region,
        notices=notices,
        years=years,
        by_year=by_year,
        phases=phases,
        contacts=contacts,
        timeline_figure=region_timeline(region, notices),
        changes=Markup(region_changes_html(notices)),
        root="../../",
        front_matter=front_matter(
            title=region["name"],
            description=f"{region['name']}职称申报通知与时间安排（{'、'.join(map(str, years))} 年度）",
            zc_search={"kind": "地区", "weight": 1, "title": region["name"], "region": region["name"]},
        ),
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    fmt.install(ctx.env)
    all_regions = regions(ctx)
    for slug, (region, notices) in all_regions.items():
        yield Artifact(f"regions/{slug}/index.md", render_region(ctx, region, notices))
    listing = [(slug, region, notices) for slug, (region, notices) in all_regions.items()]
    yield Artifact("regions/index.md", ctx.render("regions-index.html", regions=listing, root="../"))
