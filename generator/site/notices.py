"""One page per notice (``notices/<id>/index.md``) and the list of all notices.

Every fact on these pages comes from the validated notice in ``ctx.content.notices``; the
resolved rules (for the #rules section the validator links to) come from ``ctx.bundle``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from markupsafe import Markup

from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.timeline import notice_timeline


def notice_path(notice_id: str) -> str:
    return f"notices/{notice_id}/index.md"


def front_matter(**values) -> Markup:
    # JSON strings are valid YAML scalars: safe for any text.
    return Markup("\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()))


def template_titles(ctx: SiteContext) -> dict[str, str]:
    titles = {}
    for tpl_id, tpl in (getattr(ctx.content, "templates", None) or {}).items():
        titles[tpl_id] = tpl.get("title", tpl_id) if isinstance(tpl, dict) else tpl_id
    return titles


def material_groups(notice: dict) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for item in notice["materials"]:
        groups.setdefault(item.get("group", ""), []).append(item)
    return list(groups.items())


def key_dates(notice: dict) -> list[dict]:
    marked = [p for p in notice["timeline"] if p.get("deadline")]
    return marked or [p for p in notice["timeline"] if p.get("phase") == "application"]


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
        shown.append({**rule, "message": text})
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
        front_matter=front_matter(title=short, description=notice["summary"]),
        key_dates=key_dates(notice),
        material_groups=material_groups(notice),
        rules=resolved_rules(ctx, notice["id"]),
        template_href=lambda tpl_id: f"{root}templates/{tpl_id}/",
        template_title=lambda tpl_id: titles.get(tpl_id, tpl_id),
        template_docx=lambda tpl_id: f"{root}templates/{tpl_id}.docx",
        timeline_figure=notice_timeline(notice),
        calendar_href=f"{root}calendar/{notice['id']}.ics",
    )


def sorted_notices(ctx: SiteContext) -> list[dict]:
    """Newest first, then by region, then id."""
    notices = list(ctx.content.notices.values())
    return sorted(notices, key=lambda n: (-n["year"], n["region"]["slug"], n["id"]))


def application_window(notice: dict) -> tuple[str | None, str | None]:
    phases = [p for p in notice["timeline"] if p.get("phase") == "application"] or notice["timeline"]
    starts = [p["start"] for p in phases if p.get("start")]
    ends = [p["end"] for p in phases if p.get("end")]
    return (min(starts, key=lambda v: v[:16]) if starts else None,
            max(ends, key=lambda v: v[:16]) if ends else None)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    fmt.install(ctx.env)
    for notice in ctx.content.notices.values():
        yield Artifact(notice_path(notice["id"]), render_notice(ctx, notice))
    rows = [(n, *application_window(n)) for n in sorted_notices(ctx)]
    yield Artifact("notices/index.md", ctx.render("notices-index.html", rows=rows, root="../"))
