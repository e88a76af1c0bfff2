"""Rule audit pages ``notices/<id>/rules/``: every rule of a notice in plain Chinese, for editors
and the issuing bureau to check against the notice without reading YAML.

For each rule: its severity, the message as applicants read it, the clause, the notice's legal
basis, when it applies and what it requires (in words), the notice parameters it uses (with the
editors' inferences flagged), and the data cases of ``tests/cases/<id>.yaml`` that exercise it,
grouped by outcome (pass, fail, unknown), computed by running the engine on each case.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.authoring.cases import load_case_file
from generator.engine import EngineError, evaluate
from generator.site import fmt
from generator.site.context import Artifact, SiteContext
from generator.site.describe import describe
from generator.site.pages.notices import (
    PARAMETER_LABELS,
    field_label,
    front_matter,
    inferred_at,
    resolved_rules,
)

OUTCOMES = (("pass", "满足"), ("fail", "不满足"), ("unknown", "未知（信息不全或需确认）"))


def case_outcomes(ctx: SiteContext, notice_id: str) -> tuple[str | None, dict[str, dict[str, list[str]]], list[str]]:
    """(cases file, rule id → outcome → case names, problems running cases)."""
    path = ctx.root / "tests" / "cases" / f"{notice_id}.yaml"
    if not path.is_file():
        return None, {}, []
    by_rule: dict[str, dict[str, list[str]]] = {}
    problems = []
    for case in load_case_file(path):
        if case["notice"] != notice_id:
            continue
        try:
            result = evaluate(ctx.bundle, notice_id, case["input"], today=case.get("today"))
        except EngineError as err:
            problems.append(f"{case['name']}：{err.message}")
            continue
        for reason in result["reasons"]:
            by_rule.setdefault(reason["rule"], {}).setdefault(reason["outcome"], []).append(case["name"])
    return f"tests/cases/{notice_id}.yaml", by_rule, problems


def parameter_rows(notice: dict) -> list[dict]:
    rows = []
    for group, value in (notice.get("parameters") or {}).items():
        shown = {k: v for k, v in value.items() if k not in ("clause", "note")}
        rows.append(
            {
                "label": PARAMETER_LABELS.get(group, group),
                "values": shown,
                "clause": value.get("clause"),
                "note": value.get("note"),
                "inferred": inferred_at(notice, f"parameters.{group}"),
            }
        )
    return rows


def render_audit(ctx: SiteContext, notice: dict) -> str:
    schema = ctx.bundle["applicant_schema"]
    rules = resolved_rules(ctx, notice["id"])
    for rule in rules:
        rule["applies_text"] = describe(rule.get("applies_when"), schema) if rule.get("applies_when") else "所有申报人"
        rule["requires_text"] = (
            describe(rule["requires"], schema)
            if rule.get("requires")
            else ("无具体要求（说明性规则）" if "requires" in rule else "本工具无法判断，只作提示")
        )
    cases_file, by_rule, problems = case_outcomes(ctx, notice["id"])
    short = notice.get("short_title") or notice["title"]
    return ctx.render(
        "audit.html",
        notice=notice,
        rules=rules,
        parameters=parameter_rows(notice),
        cases_file=cases_file,
        by_rule=by_rule,
        problems=problems,
        outcomes=OUTCOMES,
        field_label=field_label,
        reference_flags=inferred_at(notice, "reference_date"),
        root="../../../",
        front_matter=front_matter(
            title=f"规则核对：{short}",
            description=f"{short}的资格规则逐条对照：条款、参数与测试用例。",
            # not in search: the notice page it checks holds the same conditions for applicants;
            # Pagefind does not even read these pages (search.GLOB), one per notice
            zc_search=False,
        ),
    )


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    fmt.install(ctx.env)
    for notice in ctx.content.notices.values():
        nid = notice["id"]
        # Under `mkdocs serve`: rendered again only when the notice, its cases or shared content changed.
        yield Artifact(
            f"notices/{nid}/rules.md",
            memo.cached(
                f"audit:{nid}",
                lambda: (
                    memo.notice_key(ctx, nid),
                    memo.shared_key(ctx),
                    memo.file_digest(ctx.root / "tests" / "cases" / f"{nid}.yaml"),
                ),
                lambda: render_audit(ctx, notice),
            ),
        )
