"""Page producer: ``check/index.md``, the eligibility and checklist validator (CONTRACTS §3, §7).

The form is generated here, at build time, from ``schemas/applicant.schema.json`` (Chinese
labels and help from each property's title and description) and shows only the fields that the
chosen notice's rules and material conditions use (``profile_fields`` of the bundle). The full,
unpersonalised checklist of every notice is in the HTML, so the page is useful before — or
without — Python. The verdict itself is computed in the browser by ``generator.engine`` running
in Pyodide (``site_overrides/assets/validator/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.engine.facts import FACTS
from generator.engine.logic import referenced_facts
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import sorted_notices

PAGE = "check/index.md"

# Form layout only (which fieldset a field appears in); no rule logic lives here.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "basic",
        "身份与单位",
        (
            "employment_status",
            "employer_type",
            "employer_location",
            "dispatched_months",
            "county",
            "social_insurance_months",
        ),
    ),
    (
        "title",
        "申报什么",
        (
            "series",
            "specialty",
            "target_level",
            "application_type",
            "current_level",
            "qualification_equivalent_level",
            "first_application",
        ),
    ),
    ("education", "学历", ("education", "full_time", "graduated_on")),
    ("record", "诚信与处分", ("disciplinary_action_active", "misconduct_record", "misconduct_recorded_on")),
    ("service", "基层服务与考核", ("village_work_months", "village_work_years", "excellent_appraisal_years")),
)
# Fields with their own tool in the "材料核对" section (publicity, CE hours, work summary).
MATERIAL_FIELDS = ("publicity_start", "publicity_end", "continuing_education", "work_summary_chars")

_ENUM_HELP = re.compile(r"\s*可选：.*$", re.S)


def field_kind(prop: dict) -> str:
    if "enum" in prop:
        return "enum"
    kind = prop.get("type")
    if kind == "string" and prop.get("format") == "date":
        return "date"
    if kind in ("integer", "number", "boolean", "array", "string"):
        return kind
    return "string"


_CODE_WORD = re.compile(r"[A-Za-z_]*[a-z][A-Za-z_]*")


def field_help(prop: dict) -> str:
    """The schema's description as an applicant reads it: no list of codes, no code words.

    Clauses that only make sense to someone writing JSON (“未取得任何职称填 none”) are dropped;
    the form offers the Chinese labels (``x-enum-labels``) instead.
    """
    text = prop.get("description", "")
    if "enum" in prop:
        text = _ENUM_HELP.sub("", text)
    codes = {str(v) for v in prop.get("enum", ())} | {"true", "false", "null"}
    clauses = re.split(r"(?<=[；。])", text)
    kept = [c for c in clauses if not (set(_CODE_WORD.findall(c)) & codes)]
    text = "".join(kept).strip()
    return text[:-1] + "。" if text.endswith("；") else text


def form_fields(schema: dict, used_by: dict[str, list[str]]) -> list[dict]:
    """Every schema field some notice uses, with what the template needs to render it."""
    fields = []
    for name, prop in schema.get("properties", {}).items():
        notices = used_by.get(name)
        if not notices:
            continue
        labels = prop.get("x-enum-labels", {})
        fields.append(
            {
                "name": name,
                "kind": field_kind(prop),
                "title": prop.get("title", name),
                "help": field_help(prop),
                "options": [(v, labels.get(v, v)) for v in prop.get("enum", ())],
                "min": prop.get("minimum"),
                "max": prop.get("maximum"),
                "maxlength": prop.get("maxLength"),
                "example": (prop.get("examples") or [None])[0],
                "notices": notices,
            }
        )
    return fields


def grouped(fields: list[dict]) -> list[tuple[str, str, list[dict]]]:
    by_name = {f["name"]: f for f in fields}
    placed: set[str] = set(MATERIAL_FIELDS)
    groups = []
    for key, title, names in GROUPS:
        members = [by_name[n] for n in names if n in by_name]
        placed.update(names)
        if members:
            groups.append((key, title, members))
    rest = [f for f in fields if f["name"] not in placed]
    if rest:
        groups.append(("other", "其他情况", rest))
    return groups


def rule_fields(rule: dict) -> list[str]:
    """Profile fields one rule depends on (through the facts it names)."""
    fields: list[str] = []
    for key in ("applies_when", "requires"):
        for fact in referenced_facts(rule.get(key)):
            for field in FACTS.get(fact, {}).get("fields", ()):
                if field not in fields:
                    fields.append(field)
    return fields


def start_questions(bundle: dict, notice_id: str) -> list[str]:
    """The engine's questions for an empty profile: what the page asks before Python has loaded."""
    from generator.engine import EngineError, evaluate

    try:
        return evaluate(bundle, notice_id, {})["questions"]
    except EngineError:
        return []


def notice_data(notice: dict, bundled: dict) -> dict:
    """What the page script needs per notice (titles, parameters, rule → fields)."""
    params = bundled.get("parameters") or {}
    ce = params.get("continuing_education") or {}
    summary = params.get("work_summary") or {}
    publicity = params.get("publicity") or {}
    return {
        "id": notice["id"],
        "title": notice.get("short_title") or notice["title"],
        "fields": list(bundled.get("profile_fields") or ()),
        "rules": {r["id"]: rule_fields(r) for r in bundled.get("rules", ()) if r.get("id")},
        "reference_date": bundled.get("reference_date"),
        "publicity_min_workdays": publicity.get("min_workdays"),
        "summary_min": summary.get("min_chars"),
        "summary_max": summary.get("max_chars"),
        "ce_years": list(ce.get("years") or ()),
        "ce_min_hours": ce.get("min_hours_per_year"),
    }


def render(ctx: SiteContext) -> str:
    from generator.site import memo

    fmt.install(ctx.env)
    bundle = ctx.bundle or {}
    schema = bundle.get("applicant_schema") or {}
    bundled_notices = bundle.get("notices") or {}
    notices = sorted_notices(ctx)
    used_by: dict[str, list[str]] = {}
    data = []
    for notice in notices:
        bundled = bundled_notices.get(notice["id"]) or {}
        entry = notice_data(notice, bundled)
        entry["questions"] = (
            memo.cached(  # under `mkdocs serve`: again only when the notice changed
                f"questions:{notice['id']}",
                lambda: (memo.notice_key(ctx, notice["id"]), memo.shared_key(ctx)),
                lambda: start_questions(bundle, notice["id"]),
            )
            if bundled
            else []
        )
        data.append(entry)
        for name in entry["fields"]:
            used_by.setdefault(name, []).append(notice["id"])
    fields = form_fields(schema, used_by)
    by_name = {f["name"]: f for f in fields}
    return ctx.render(
        "check.html",
        notices=notices,
        groups=grouped(fields),
        material_fields={name: by_name.get(name) for name in MATERIAL_FIELDS},
        data={"notices": data},
        root="../",
        download_mb=f"{max(ctx.runtime_download, 100_000) / 1e6:.1f}",
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    yield Artifact(PAGE, render(ctx))
