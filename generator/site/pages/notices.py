"""One page per notice (``notices/<id>/index.md``) and the list of all notices.

Every fact on these pages comes from the validated notice in ``ctx.content.notices``; the
resolved rules (for the #rules section the validator links to) come from ``ctx.bundle``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from generator.content.labels import PARAMETER_LABELS, SECTION_LABELS, field_label, normal_path  # noqa: F401
from generator.engine.timeline import next_round
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.timeline import notice_timeline


def notice_path(notice_id: str) -> str:
    return f"notices/{notice_id}/index.md"


def front_matter(**values) -> Markup:
    # JSON strings are valid YAML scalars: safe for any text.
    return Markup("\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()))


def search_meta(notice: dict) -> dict:
    """What the search index keeps for a notice page (main.html turns it into Pagefind
    attributes): a clean title, the region and the year shown with each result, and a weight
    that ranks notices above template and help pages for the same words."""
    region = notice["region"]
    return {
        "kind": "通知",
        "weight": 4,
        "title": notice.get("short_title") or notice["title"],
        "region": region.get("name") or region.get("short_name") or "",
        "year": str(notice["year"]),
    }


def template_titles(ctx: SiteContext) -> dict[str, str]:
    titles = {}
    for tpl_id, tpl in (getattr(ctx.content, "templates", None) or {}).items():
        titles[tpl_id] = tpl.get("title", tpl_id) if isinstance(tpl, dict) else tpl_id
    return titles


def material_groups(notice: dict) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for i, item in enumerate(notice["materials"]):
        groups.setdefault(item.get("group", ""), []).append({**item, "_index": i})
    return list(groups.items())


def key_dates(notice: dict) -> list[dict]:
    marked = [p for p in notice["timeline"] if p.get("deadline")]
    return marked or [p for p in notice["timeline"] if p.get("phase") == "application"]


# Which parameter group (parameters.<group>) or top-level field a rule depends on, by the names its
# message and conditions use; lets the page flag an inferred value next to every rule that uses it.
_PARAM_NAMES = (
    ("ce_", "parameters.continuing_education"),
    ("continuing_education", "parameters.continuing_education"),
    ("village_", "parameters.village_exemption"),
    ("publicity", "parameters.publicity"),
    ("work_summary", "parameters.work_summary"),
    ("dispatched", "parameters.dispatched"),
    ("misconduct", "parameters.misconduct_ban"),
    ("education_", "parameters.education_table"),
    ("graduation_years_met", "parameters.education_table"),
    ("reference_", "reference_date"),
    ("years_", "reference_date"),
    ("graduation_years_met", "reference_date"),
    ("misconduct_ban_active", "reference_date"),
)


def inferred_at(notice: dict, path: str) -> list[dict]:
    """The notice's ``inferred`` entries about ``path`` or anything inside it."""
    path = normal_path(path)
    return [
        i
        for i in notice.get("inferred") or []
        if normal_path(i["field"]) == path or normal_path(i["field"]).startswith(path + ".")
    ]


def rule_inferences(notice: dict, rule: dict) -> list[dict]:
    """Inferred notice values a rule relies on (its parameters, the reference date)."""
    from generator.engine.evaluate import PLACEHOLDER
    from generator.engine.logic import referenced_facts

    names = set(PLACEHOLDER.findall(rule.get("message", "")))
    for text in (rule.get("details") or {}).values():
        names.update(PLACEHOLDER.findall(text))
    names.update(referenced_facts(rule.get("applies_when")) + referenced_facts(rule.get("requires")))
    paths = {path for name in names for prefix, path in _PARAM_NAMES if name.startswith(prefix)}
    seen, out = set(), []
    for path in sorted(paths):
        for entry in inferred_at(notice, path):
            if entry["field"] not in seen:
                seen.add(entry["field"])
                out.append(entry)
    return out


def resolved_rules(ctx: SiteContext, notice_id: str) -> list[dict]:
    """The notice's rules as resolved by the bundle, messages filled with its parameters."""
    from generator.engine.evaluate import PLACEHOLDER, fill, message_context

    bundle = ctx.bundle or {}
    bundled = bundle.get("notices", {}).get(notice_id) or {}
    values = message_context(bundled, {}, bundle.get("applicant_schema") or {}) if bundled else {}
    shown = []
    for rule in bundled.get("rules") or []:
        if not isinstance(rule, dict) or not rule.get("id"):
            continue
        message = rule.get("message", rule["id"])
        text = fill(message, values) or PLACEHOLDER.sub("……", message)
        source = (ctx.content.notices.get(notice_id) if ctx.content else None) or bundled
        shown.append({**rule, "message": text, "inferred": rule_inferences(source, rule)})
    return shown


def render_notice(ctx: SiteContext, notice: dict) -> str:
    fmt.install(ctx.env)
    root = "../../"
    titles = template_titles(ctx)
    short = notice.get("short_title") or notice["title"]
    return ctx.render(
        "notice.html",
        notice=notice,
        root=root,
        front_matter=front_matter(title=short, description=notice["summary"], zc_search=search_meta(notice)),
        key_dates=key_dates(notice),
        material_groups=material_groups(notice),
        rules=resolved_rules(ctx, notice["id"]),
        inferred_at=lambda path: inferred_at(notice, path),
        field_label=field_label,
        template_href=lambda tpl_id: f"{root}templates/{tpl_id}/",
        template_title=lambda tpl_id: titles.get(tpl_id, tpl_id),
        template_docx=lambda tpl_id: f"{root}templates/{tpl_id}.docx",
        timeline_figure=notice_timeline(notice),
        calendar_href=f"{root}calendar/{notice['id']}.ics",
        source_page="source/" if source_text(ctx, notice["id"]) is not None else None,
        sections_cn=fmt.SECTIONS,
        region_names=region_names(ctx),
        next_round=next_round(same_region(ctx, notice), notice),
    )


def source_text(ctx: SiteContext, notice_id: str) -> str | None:
    """The notice's original text (content/sources/<id>.txt), or None when the editor has not added it."""
    root = getattr(ctx.content, "root", None)
    if root is None:
        return None
    from generator.content.load import _link_problem
    from generator.content.yamlio import read_text
    from generator.errors import ContentError

    path = Path(root) / "sources" / f"{notice_id}.txt"
    if not (path.exists() or path.is_symlink()) or _link_problem(path, Path(root)) is not None:
        return None  # no original yet, or a link out of content/ (never published)
    try:
        return read_text(path)  # a regular UTF-8 file of at most 1 MB
    except ContentError:
        return None


def region_names(ctx: SiteContext) -> dict[str, str]:
    # Made once per build (each notice page shows it: once per page was quadratic in notices).
    cached = ctx.__dict__.get("_region_names")
    if cached is None:
        cached = ctx.__dict__["_region_names"] = {
            n["region"]["slug"]: n["region"]["name"] for n in ctx.content.notices.values()
        }
    return cached


def same_region(ctx: SiteContext, notice: dict) -> dict:
    """The notices of ``notice``'s region (all ``next_round`` looks at), grouped once per build."""
    groups = ctx.__dict__.get("_by_region")
    if groups is None:
        groups = ctx.__dict__["_by_region"] = {}
        for nid, other in ctx.content.notices.items():
            groups.setdefault((other.get("region") or {}).get("slug"), {})[nid] = other
    return groups.get((notice.get("region") or {}).get("slug"), {})


def render_source(ctx: SiteContext, notice: dict, text: str) -> str:
    short = notice.get("short_title") or notice["title"]
    return ctx.render(
        "source.html",
        notice=notice,
        root="../../../",
        paragraphs=[line.strip() for line in text.splitlines() if line.strip()],
        front_matter=front_matter(
            title=f"通知原文：{short}",
            description=f"{notice['title']}（原文全文）",
            # in search with its region and year, below the guidance page of the same notice
            zc_search={**search_meta(notice), "kind": "通知原文", "weight": 0.5, "title": f"通知原文：{short}"},
        ),
    )


def sorted_notices(ctx: SiteContext) -> list[dict]:
    """Newest first, then by region, then id."""
    notices = list(ctx.content.notices.values())
    return sorted(notices, key=lambda n: (-n["year"], n["region"]["slug"], n["id"]))


def application_window(notice: dict) -> tuple[str | None, str | None]:
    """The application window as the engine's timeline model defines it (one definition)."""
    from generator.engine.timeline import application_window as engine_window

    span = engine_window(notice)
    return span if span else (None, None)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    fmt.install(ctx.env)
    # Under `mkdocs serve`, a page is rendered again only when something it shows changed.
    others = memo.data_key(region_names(ctx)) if memo.ENABLED else ""
    for notice in ctx.content.notices.values():
        nid = notice["id"]
        text = source_text(ctx, nid)
        own = (memo.notice_key(ctx, nid), memo.shared_key(ctx), memo.data_key(text)) if memo.ENABLED else ()
        yield Artifact(
            notice_path(nid),
            memo.cached(
                f"notice:{nid}",
                lambda: (own, others, next_round(same_region(ctx, notice), notice)),
                lambda: render_notice(ctx, notice),
            ),
        )
        if text is not None:
            yield Artifact(
                f"notices/{nid}/source/index.md",
                memo.cached(f"source:{nid}", lambda: own, lambda: render_source(ctx, notice, text)),
            )
    rows = [(n, *application_window(n)) for n in sorted_notices(ctx)]
    yield Artifact("notices/index.md", ctx.render("notices-index.html", rows=rows, root="../"))
