"""One page per notice (``notices/<id>/index.md``) and the list of all notices.

Every fact on these pages comes from the validated notice in ``ctx.content.notices``; the
resolved rules (for the #rules section the validator links to) come from ``ctx.bundle``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.engine.timeline import next_round
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
    return {"kind": "通知", "weight": 4,
            "title": notice.get("short_title") or notice["title"],
            "region": region.get("name") or region.get("short_name") or "",
            "year": str(notice["year"])}


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
    ("ce_", "parameters.continuing_education"), ("continuing_education", "parameters.continuing_education"),
    ("village_", "parameters.village_exemption"), ("publicity", "parameters.publicity"),
    ("work_summary", "parameters.work_summary"), ("dispatched", "parameters.dispatched"),
    ("misconduct", "parameters.misconduct_ban"), ("education_", "parameters.education_table"),
    ("graduation_years_met", "parameters.education_table"),
    ("reference_", "reference_date"), ("years_", "reference_date"), ("graduation_years_met", "reference_date"),
    ("misconduct_ban_active", "reference_date"),
)


SECTION_LABELS = {
    "id": "标识", "title": "通知标题", "short_title": "简称", "issuer": "发文单位", "issued_on": "发文日期",
    "addressees": "主送", "summary": "概述", "region": "地区", "reference_date": "资格计算基准日",
    "timeline": "时间安排", "contacts": "联系方式", "platforms": "申报平台", "scope": "申报范围",
    "materials": "材料清单", "parameters": "资格规则参数", "clauses": "条款编号", "attachments": "附件",
    "fees": "费用", "submission": "提交与退回", "masking": "遮盖要求", "application_steps": "申报步骤",
    "eligibility": "可以申报的人员", "exclusions": "不得申报的人员", "policies": "有关政策",
    "criteria": "评审条件", "oversight": "监督与诚信", "basis": "依据文件", "source": "原文",
    "kinds": "工作类型", "material_rules": "材料通用要求", "rules": "资格规则",
}
PARAMETER_LABELS = {
    "continuing_education": "继续教育", "village_exemption": "驻村免继续教育", "publicity": "单位公示期",
    "work_summary": "工作总结字数", "dispatched": "派驻人员", "misconduct_ban": "弄虚作假限制期",
    "education_table": "学历年限表", "qualification_equivalence": "职业资格视同",
}


def field_label(field: str) -> str:
    """A Chinese name for an ``inferred`` field path, e.g. ``timeline.2.start`` → 时间安排第3项."""
    parts = normal_path(field).split(".")
    label = SECTION_LABELS.get(parts[0], parts[0])
    if parts[0] == "parameters" and len(parts) > 1:
        return f"{label}（{PARAMETER_LABELS.get(parts[1], parts[1])}）"
    for part in parts[1:]:
        if part.isdigit():
            label += f"第{int(part) + 1}项"
            break
    return label


def normal_path(field: str) -> str:
    return field.replace("[", ".").replace("]", "")


def inferred_at(notice: dict, path: str) -> list[dict]:
    """The notice's ``inferred`` entries about ``path`` or anything inside it."""
    path = normal_path(path)
    return [i for i in notice.get("inferred") or []
            if normal_path(i["field"]) == path or normal_path(i["field"]).startswith(path + ".")]


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
        front_matter=front_matter(title=short, description=notice["summary"],
                                  zc_search=search_meta(notice)),
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
    from generator.content import _link_problem
    from generator.errors import ContentError
    from generator.yamlio import read_text

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
            n["region"]["slug"]: n["region"]["name"] for n in ctx.content.notices.values()}
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
        front_matter=front_matter(title=f"通知原文：{short}", description=f"{notice['title']}（原文全文）"),
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
        yield Artifact(notice_path(nid), memo.cached(
            f"notice:{nid}", lambda: (own, others, next_round(same_region(ctx, notice), notice)),
            lambda: render_notice(ctx, notice)))
        if text is not None:
            yield Artifact(f"notices/{nid}/source/index.md", memo.cached(
                f"source:{nid}", lambda: own, lambda: render_source(ctx, notice, text)))
    rows = [(n, *application_window(n)) for n in sorted_notices(ctx)]
    yield Artifact("notices/index.md", ctx.render("notices-index.html", rows=rows, root="../"))
