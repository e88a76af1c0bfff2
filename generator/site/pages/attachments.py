"""Attachment pages (the forms units fill in) on the site, at the public URLs under ``templates/``: ``templates/`` (all templates and the notices using them),
``templates/<id>/`` (printable page with an in-browser prefill form) and ``templates/<id>.docx``.

``templates/workdays.json`` lists every working day, as the engine decides it, of the years the
notices need (chinese_calendar plus editor years from content/holidays), so the forms can suggest
and check publicity periods without any request leaving the site and without a second calendar in JS.
``templates/<id>-columns.xlsx`` / ``.csv`` are the column templates of the batch form, and
``assets/vendor/`` holds its pinned npm libraries (fflate, read-excel-file).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta

from generator.attachments import html, rows
from generator.attachments.docx_render import render_docx
from generator.attachments.forms import KIND_LABELS, blank_order
from generator.engine import EngineError
from generator.engine.workdays import is_workday
from generator.site import fmt
from generator.site.batch import vendor_files
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import front_matter


def usages(ctx: SiteContext) -> dict[str, list[dict]]:
    """template id → [{"notice": notice, "where": "附件3", "title": ...}] from notices and templates."""
    out: dict[str, list[dict]] = {tid: [] for tid in ctx.content.templates}
    seen: set[tuple[str, str]] = set()

    def add(tid, notice, where, title):
        if tid in out and (tid, notice["id"]) not in seen:
            seen.add((tid, notice["id"]))
            out[tid].append({"notice": notice, "where": where, "title": title})

    notices = ctx.content.notices
    for notice in notices.values():
        for a in notice.get("attachments") or []:
            if a.get("template"):
                add(a["template"], notice, f"附件{a['number']}", a["title"])
        for m in notice.get("materials") or []:
            if m.get("template"):
                add(m["template"], notice, m.get("clause", ""), m["title"])
    for tid, tpl in ctx.content.templates.items():
        for src in tpl["source"]["notices"]:
            if src["notice"] in notices:
                add(tid, notices[src["notice"]], src["clause"], src.get("attachment_title", tpl["title"]))
    for items in out.values():
        items.sort(key=lambda u: (-u["notice"]["year"], u["notice"]["id"]))
    return out


def display_title(ctx: SiteContext, template: dict, used_by: list[dict]) -> str:
    """The template's title, plus the notice that uses it when another template has the same title
    (several notices call their attachment simply “推荐单位公示（模板）”)."""
    title = template["title"]
    clashes = [t for t in ctx.content.templates.values() if t["title"] == title and t["id"] != template["id"]]
    if clashes and used_by:
        n = used_by[0]["notice"]
        return f"{title} · {n.get('short_title') or n['title']}"
    return title


def borrowed_notes(ctx: SiteContext, template: dict) -> list[dict]:
    """For each notice that only names this attachment, whose full text the page shows instead."""
    sources = template["source"]["notices"]
    full = [s for s in sources if s.get("full_text")]
    notes = []
    for src in sources:
        if src.get("full_text") is not False or not full:
            continue
        notice = ctx.content.notices.get(src["notice"]) or {}
        origin = ctx.content.notices.get(full[0]["notice"]) or {}
        notes.append(
            {
                "name": notice.get("short_title") or notice.get("title") or src["notice"],
                "clause": src["clause"],
                "title": src.get("attachment_title", template["title"]),
                "origin": origin.get("short_title") or origin.get("title") or full[0]["notice"],
                "origin_clause": full[0]["clause"],
            }
        )
    return notes


def min_publicity_workdays(ctx: SiteContext, template: dict) -> int | None:
    return rows.min_publicity_workdays(ctx.content, template)


def workday_calendar(ctx: SiteContext) -> dict:
    """The engine's working-day calendar for the browser, one entry per year it knows:
    ``{"years": {"2025": {"working_days": [...every working day...], "holidays": [...weekday
    holidays...], "workdays": [...adjusted weekend workdays...], "source": ...}}}``.

    Every day is classified by ``generator.engine.is_workday`` (chinese_calendar plus the editor
    years of content/holidays); the page only looks dates up in ``working_days`` and never decides
    itself whether a day is worked. A year the engine does not know is left out, and the page says so.
    """
    years = {n["year"] for n in ctx.content.notices.values()} | {ctx.today.year}
    editor = (ctx.bundle or {}).get("holidays") or {}
    wanted = set(range(min(years) - 1, max(years) + 2)) | {int(y) for y in editor if str(y).isdigit()}
    out: dict[str, dict] = {}
    for year in sorted(wanted):
        day = date(year, 1, 1)
        working, holidays, workdays = [], [], []
        try:
            while day.year == year:
                work = is_workday(day, editor)
                if work:
                    working.append(day.isoformat())
                if day.weekday() < 5 and not work:
                    holidays.append(day.isoformat())
                elif day.weekday() >= 5 and work:
                    workdays.append(day.isoformat())
                day += timedelta(days=1)
        except EngineError:
            continue
        source = editor[str(year)].get("source", "content/holidays") if str(year) in editor else "chinese_calendar"
        out[str(year)] = {"working_days": working, "holidays": holidays, "workdays": workdays, "source": source}
    return {"years": out, "note": "国务院办公厅公布的法定节假日与调休上班日；未列出的年份无法计算工作日。"}


def render_template_page(ctx: SiteContext, template: dict, used_by: list[dict]) -> str:
    tid = template["id"]
    shown = display_title(ctx, template, used_by)
    config = {
        "id": tid,
        "title": template["title"],
        "docx": f"../{tid}.docx",
        "workdays": "../workdays.json",
        "publicity_min_workdays": min_publicity_workdays(ctx, template),
        "file_base": rows.base_name(template),
        "order": blank_order(template),
        "header_aliases": rows.HEADER_ALIASES,
        "blanks": {
            name: {
                "label": b["label"],
                "kind": b["kind"],
                "placeholder": b.get("placeholder") or b["label"],
                "options": b.get("options"),
                "suggest": b.get("suggest"),
            }
            for name, b in template["blanks"].items()
        },
    }
    fmt.install(ctx.env)
    return ctx.render(
        "attachment.html",
        tpl=template,
        shown=shown,
        used_by=used_by,
        kind_label=KIND_LABELS.get(template["kind"], template["kind"]),
        borrowed=borrowed_notes(ctx, template),
        form=html.form_html(template),
        batch=html.batch_html(template),
        document=html.document_html(template),
        data=config,
        front_matter=front_matter(
            title=shown,
            description=template.get("summary", template["title"]),
            zc_search={"kind": "模板", "weight": 0.5, "title": shown},
            zc_styles=["templates"],
        ),
    )


def render_index(ctx: SiteContext, used: dict[str, list[dict]]) -> str:
    order = sorted(
        ctx.content.templates.values(),
        key=lambda t: (min((u["notice"]["id"] for u in used.get(t["id"], [])), default="~"), t["id"]),
    )
    fmt.install(ctx.env)
    return ctx.render(
        "attachments-index.html",
        items=[
            {
                "template": t,
                "title": display_title(ctx, t, used.get(t["id"], [])),
                "kind_label": KIND_LABELS.get(t["kind"], t["kind"]),
                "used": used.get(t["id"], []),
            }
            for t in order
        ],
        privacy=html.PRIVACY,
        front_matter=front_matter(
            title="模板下载",
            description="各地职称申报通知所附模板：推荐单位公示、公示结果、推荐报告、主管单位推荐意见、免除继续教育学习申请表，Word 下载与在线填写。",
            zc_search={"kind": "模板", "weight": 0.5, "title": "模板下载"},
            zc_styles=["templates"],
        ),
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    templates = getattr(ctx.content, "templates", None) or {}
    used = usages(ctx)
    for tid, tpl in templates.items():
        # Under `mkdocs serve`: the files of an attachment are made again only when the shared
        # content changed, its page also when a notice using it changed.
        shared = (lambda: memo.shared_key(ctx)) if memo.ENABLED else ""
        users = lambda: (  # noqa: E731
            memo.shared_key(ctx),
            [
                (u["notice"]["id"], memo.notice_key(ctx, u["notice"]["id"]), u["where"], u["title"])
                for u in used.get(tid, [])
            ],
        )
        yield Artifact(f"templates/{tid}.docx", memo.cached(f"docx:{tid}", shared, lambda: render_docx(tpl)))
        yield Artifact(
            f"templates/{tid}/index.md",
            memo.cached(f"template-page:{tid}", users, lambda: render_template_page(ctx, tpl, used.get(tid, []))),
        )
        yield Artifact(
            f"templates/{tid}-columns.csv", memo.cached(f"columns-csv:{tid}", shared, lambda: rows.columns_csv(tpl))
        )
        yield Artifact(
            f"templates/{tid}-columns.xlsx",
            memo.cached(f"columns-xlsx:{tid}", shared, lambda: rows.columns_xlsx(tpl)),
        )
    yield from vendor_files(ctx)
    years = sorted({n["year"] for n in ctx.content.notices.values()})
    yield Artifact(
        "templates/workdays.json",
        memo.cached(
            "workdays",
            lambda: (memo.shared_key(ctx), years),
            lambda: json.dumps(workday_calendar(ctx), ensure_ascii=False),
        ),
    )
    yield Artifact("templates/index.md", render_index(ctx, used))


__all__ = ["produce", "usages", "workday_calendar"]
