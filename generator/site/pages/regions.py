"""One page per region (``regions/<slug>/index.md``): its notices by year and all their phases, and,
separately, the region-wide notices that apply there (autonomous-region level, or ``applies_to``)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.authoring.diff import region_changes
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import front_matter, sorted_notices
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


def applies_there(notice: dict, slug: str) -> bool:
    """A notice of another region that applies in region ``slug``: autonomous-region level notices
    apply everywhere; others where their ``applies_to`` lists the region."""
    if notice["region"]["slug"] == slug:
        return False
    return notice.get("level") == "autonomous_region" or slug in (notice.get("applies_to") or ())


def region_wide(ctx: SiteContext, slug: str) -> list[dict]:
    return [n for n in sorted_notices(ctx) if applies_there(n, slug)]


def phase_key(phase: dict) -> str:
    return (phase.get("start") or phase.get("end") or "9999")[:16]


def render_region(ctx: SiteContext, region: dict, notices: list[dict], wide: list[dict] = ()) -> str:
    years = sorted({n["year"] for n in notices}, reverse=True)
    by_year = [(y, [n for n in notices if n["year"] == y]) for y in years]
    phases = [(n, p) for n in sorted(notices, key=lambda n: (n["year"], n["id"])) for p in n["timeline"]]
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
        changes=region_changes(
            notices, getattr(ctx.content, "shared_rules", None), getattr(ctx.content, "templates", None)
        ),
        wide=list(wide),
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
    from generator.site import memo

    for slug, (region, notices) in all_regions.items():
        wide = region_wide(ctx, slug)
        # Under `mkdocs serve`: rendered again only when one of the notices it shows changed.
        yield Artifact(
            f"regions/{slug}/index.md",
            memo.cached(
                f"region:{slug}",
                lambda: (memo.shared_key(ctx), [(n["id"], memo.notice_key(ctx, n["id"])) for n in [*notices, *wide]]),
                lambda: render_region(ctx, region, notices, wide),
            ),
        )
    listing = [(slug, region, notices) for slug, (region, notices) in all_regions.items()]
    yield Artifact("regions/index.md", ctx.render("regions-index.html", regions=listing, root="../"))
