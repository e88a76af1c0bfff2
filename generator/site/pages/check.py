"""Page producer: ``check/index.md``, the eligibility and checklist validator (CONTRACTS §3, §7).

The form is generated here, at build time, from ``schemas/applicant.schema.json`` (Chinese
labels and help from each property's title and description): one question per applicant field
that some notice uses; the page script shows only those the chosen notice's rules and material
conditions use (``fields`` of the notice's data: ``profile_fields`` of the bundle). The verdict
itself is computed in the browser by ``generator.engine`` running in Pyodide
(``site_overrides/assets/validator/``).

The page weighs the same at any number of notices. It embeds the data and the full,
unpersonalised checklist of the notices a person is likely to pick — the home page's (this
year's, and those with a phase ending this year or later: ``home.home_notices``) — so the page
is useful before, or without, Python and JavaScript. Every other notice is one JSON file away:

- ``data/check/<id>.json``: what the page script needs for one notice (as embedded for the likely
  ones) plus its ``label`` and ``materials``, from which the script builds the checklist;
- ``data/check/year-<YYYY>.json``: ``[{id, label}]`` of the notices of one year, for the chooser
  "往年通知" (years are listed in the page; without JavaScript they link to ``archive/<YYYY>/``).
"""

from __future__ import annotations

import json
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


def form_fields(schema: dict, used: set[str]) -> list[dict]:
    """Every schema field some notice uses, with what the template needs to render it."""
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if name not in used:
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


DATA_DIR = "data/check"


def notice_path(notice_id: str) -> str:
    return f"{DATA_DIR}/{notice_id}.json"


def year_path(year) -> str:
    return f"{DATA_DIR}/year-{year}.json"


def label(notice: dict) -> str:
    """The notice as the chooser lists it."""
    return f"{notice.get('short_title') or notice['title']}（{notice['region']['name']}，{notice['year']}年度）"


def material_data(material: dict) -> dict:
    """One item of the unpersonalised checklist (what check.html renders for an embedded notice)."""
    item = {
        "id": material["id"],
        "title": material["title"],
        "required": bool(material.get("required")),
        "clause": material.get("clause", ""),
    }
    for key in ("condition", "template"):
        if key in material:
            item[key] = material[key]
    return item


def page_entry(ctx: SiteContext, notice: dict) -> dict:
    """The page script's data for one notice, with its label and checklist (``data/check/<id>.json``)."""
    from generator.site import memo

    bundle = ctx.bundle or {}
    bundled = (bundle.get("notices") or {}).get(notice["id"]) or {}

    def compute():
        entry = notice_data(notice, bundled)
        entry["questions"] = start_questions(bundle, notice["id"]) if bundled else []
        entry["label"] = label(notice)
        entry["materials"] = [material_data(m) for m in notice.get("materials", ())]
        return entry

    # Under `mkdocs serve`: again only when the notice (or what it shares) changed.
    return memo.cached(
        f"check:{notice['id']}", lambda: (memo.notice_key(ctx, notice["id"]), memo.shared_key(ctx)), compute
    )


def used_fields(bundle: dict) -> set[str]:
    """Applicant fields some notice of the bundle uses (the form holds one question for each)."""
    used: set[str] = set()
    for bundled in (bundle.get("notices") or {}).values():
        used.update(bundled.get("profile_fields") or ())
    return used


def render(ctx: SiteContext, likely: list[dict], entries: dict[str, dict], years: list[tuple[int, int]]) -> str:
    fmt.install(ctx.env)
    bundle = ctx.bundle or {}
    schema = bundle.get("applicant_schema") or {}
    fields = form_fields(schema, used_fields(bundle))
    by_name = {f["name"]: f for f in fields}
    embedded = [{k: v for k, v in entries[n["id"]].items() if k != "materials"} for n in likely]
    return ctx.render(
        "check.html",
        notices=likely,
        years=years,
        groups=grouped(fields),
        material_fields={name: by_name.get(name) for name in MATERIAL_FIELDS},
        data={"notices": embedded},
        root="../",
        download_mb=f"{max(ctx.runtime_download, 100_000) / 1e6:.1f}",
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site.pages.home import archive_years, home_notices

    entries = {n["id"]: page_entry(ctx, n) for n in sorted_notices(ctx)}
    likely = home_notices(ctx)
    by_year = archive_years(ctx)
    for notice_id, entry in entries.items():
        yield Artifact(notice_path(notice_id), fmt_json(entry))
    for year, notices in by_year:
        yield Artifact(
            year_path(year), fmt_json([{"id": n["id"], "label": entries[n["id"]]["label"]} for n in notices])
        )
    yield Artifact(PAGE, render(ctx, likely, entries, [(year, len(notices)) for year, notices in by_year]))


def fmt_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
