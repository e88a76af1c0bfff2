"""evaluate(bundle, notice_id, profile) → the result object of CONTRACTS §6.

Deterministic and JSON-serialisable: the CLI, the tests and the browser (Pyodide) get identical
objects for the same bundle and profile.
"""

from __future__ import annotations

import re

from generator.engine.errors import EngineError
from generator.engine.facts import FACTS, OPEN_CHOICE_FIELDS, OTHER, derive_facts, fact_fields, reference_date
from generator.engine.logic import evaluate_condition, referenced_facts
from generator.engine.profile import show, validate_profile
from generator.engine.questions import mentioned_values, optional_questions, questions_for
from generator.engine.route import route, route_fields
from generator.engine.timeline import next_round
from generator.engine.timeline import window as window_at

OUTCOME = {True: "pass", False: "fail", None: "unknown"}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _labels(schema: dict) -> dict:
    return {name: prop.get("x-enum-labels", {}) for name, prop in schema.get("properties", {}).items()}


def _text(value, labels: dict | None = None) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if labels and isinstance(value, str) and value in labels:
        return labels[value]
    return str(value)


def message_context(notice: dict, facts: dict, schema: dict) -> dict:
    """Values that messages may cite as ``{name}``: facts (enums in Chinese) and parameters."""
    labels = _labels(schema)
    ctx = {k: _text(v, labels.get(k)) for k, v in facts.items() if v is not None}
    level_labels = labels.get("target_level", {})
    type_labels = labels.get("application_type", {})
    employer_labels = labels.get("employer_type", {})
    scope = notice.get("scope") or {}
    params = notice.get("parameters") or {}
    if "reference_date" not in ctx and (notice.get("reference_date") or notice.get("timeline")):
        try:
            ctx["reference_date"] = reference_date(notice)
        except EngineError:
            pass
    if scope.get("levels"):
        ctx["scope_levels"] = "、".join(level_labels.get(v, v) for v in scope["levels"])
    if scope.get("application_types"):
        ctx["scope_application_types"] = "、".join(type_labels.get(v, v) for v in scope["application_types"])
    if scope.get("employer_types"):
        ctx["scope_employer_types"] = "、".join(employer_labels.get(v, v) for v in scope["employer_types"])
    simple = {
        ("publicity", "min_workdays"): "publicity_min_workdays",
        ("work_summary", "min_chars"): "work_summary_min",
        ("work_summary", "max_chars"): "work_summary_max",
        ("dispatched", "min_months"): "dispatched_min_months",
        ("village_exemption", "min_months"): "village_min_months",
        ("misconduct_ban", "years"): "misconduct_ban_years",
        ("continuing_education", "min_hours_per_year"): "ce_min_hours",
    }
    for (group, key), name in simple.items():
        value = (params.get(group) or {}).get(key)
        if value is not None:
            ctx[name] = _text(value)
    ce = params.get("continuing_education") or {}
    if ce.get("years"):
        ctx["ce_years"] = "、".join(str(y) for y in ce["years"])
    share = ce.get("professional_share")
    if share:
        ctx["ce_professional_share"] = f"{share['numerator']}/{share['denominator']}"
    table = params.get("education_table")
    if table:
        edu_labels = labels.get("education", {})
        ctx["education_table"] = "；".join(
            f"{edu_labels.get(r['education'], r['education'])}满{r['min_years']}年→"
            f"{level_labels.get(r['level'], r['level'])}（{type_labels.get(r['application_type'], r['application_type'])}）"
            for r in table["rows"]
        )
        row = next((r for r in table["rows"] if r["education"] == facts.get("education")), None)
        if row:
            ctx["education_min_years"] = str(row["min_years"])
            ctx["education_table_level"] = level_labels.get(row["level"], row["level"])
            ctx["education_table_type"] = type_labels.get(row["application_type"], row["application_type"])
    return ctx


def fill(template: str, ctx: dict) -> str | None:
    """``template`` with ``{name}`` replaced from ``ctx``; None when a value is missing."""
    missing = [name for name in PLACEHOLDER.findall(template) if name not in ctx]
    if missing:
        return None
    return PLACEHOLDER.sub(lambda m: ctx[m.group(1)], template)


def _missing_fields(names, facts, profile, schema, notice) -> list[str]:
    order = list(schema.get("properties", {}))
    fields = []
    for name in names:
        if facts.get(name) is not None:
            continue
        fact = FACTS.get(name, {})
        absent = [f for f in fact_fields(name, notice) if profile.get(f) is None]
        if fact.get("gated"):
            absent = absent[:1]
        for field in absent:
            if field not in fields:
                fields.append(field)
    return sorted(fields, key=lambda f: order.index(f) if f in order else len(order))


def _titles(fields, schema) -> str:
    props = schema.get("properties", {})
    return "、".join(props.get(f, {}).get("title", f) for f in fields)


def _other_answers(names, profile, schema) -> list[str]:
    """Open-choice fields answered "其他" among the facts ``names`` (they stay unknown)."""
    return [f for f in OPEN_CHOICE_FIELDS if f in names and profile.get(f) == OTHER]


def rule_outcome(rule: dict, applies, requires) -> str:
    """Three-valued outcome of a rule that applies (True) or may apply (None).

    A rule whose trigger is unknown passes only when it is a real requirement (blocker or
    warning with a non-empty ``requires``) that holds either way; an info rule, or an empty
    requirement, never turns an unknown trigger into a pass.
    """
    if applies is True:
        return OUTCOME[requires]
    real_requirement = bool(rule.get("requires")) and rule["severity"] != "info"
    if requires is True and real_requirement:
        return "pass"
    return "unknown"


def evaluate_rule(rule: dict, facts: dict, profile: dict, ctx: dict, schema: dict, notice: dict) -> dict | None:
    """One reason, or None when the rule does not apply to this applicant."""
    applies = evaluate_condition(rule.get("applies_when"), facts)
    if applies is False:
        return None
    requires = evaluate_condition(rule["requires"], facts) if "requires" in rule else None
    outcome = rule_outcome(rule, applies, requires)
    reason = {
        "rule": rule["id"],
        "outcome": outcome,
        "severity": rule["severity"],
        "message": fill(rule["message"], ctx) or rule["message"],
        "clause": rule.get("clause"),
    }
    template = (rule.get("details") or {}).get(outcome)
    detail = fill(template, ctx) if template else None
    if outcome == "unknown" and ("requires" in rule or applies is None):
        names = referenced_facts(rule.get("applies_when")) + referenced_facts(rule.get("requires"))
        missing = _missing_fields(names, facts, profile, schema, notice)
        others = _other_answers(names, profile, schema)
        if missing:
            reason["missing"] = missing
            if detail is None:
                verb = "是否适用还需填写" if applies is None and rule["severity"] == "info" else "还需填写"
                detail = f"{verb}：{_titles(missing, schema)}"
        elif others and detail is None:
            detail = (
                f"您的{_titles(others, schema)}选择了“其他”，本工具无法据此判断；"
                "请对照通知原文的这一条自行确认，或向通知所列的咨询电话询问。"
            )
        elif (
            detail is None and facts.get("publicity_calendar_problem") and any(n.startswith("publicity") for n in names)
        ):
            detail = facts["publicity_calendar_problem"]
    if detail:
        reason["detail"] = detail
    return reason


def build_checklist(notice: dict, facts: dict, profile: dict, schema: dict) -> list[dict]:
    items = []
    for material in notice.get("materials", ()):
        if "when" in material:
            applies = evaluate_condition(material["when"], facts)
        else:  # a condition only in words: the engine cannot tell, the applicant decides
            applies = None if material.get("condition") else True
        if applies is False:
            continue
        required = bool(material.get("required"))
        why = material.get("condition") or ("所有申报人均须提交" if required else "如有则提交")
        entry = {
            "item": material["id"],
            "title": material["title"],
            "required": required,
            "why": why,
            "clause": material.get("clause"),
            "template": material.get("template"),
            "status": "needed" if applies else "if_applicable",
        }
        if applies is None:
            missing = _missing_fields(referenced_facts(material.get("when")), facts, profile, schema, notice)
            if missing:
                entry["missing"] = missing
        items.append(entry)
    return items


def assess(notice: dict, profile: dict, schema: dict, holidays):
    """(facts, reasons, verdict) of a valid ``profile`` under ``notice``."""
    facts = derive_facts(notice, profile, holidays)
    ctx = message_context(notice, facts, schema)
    reasons = []
    for rule in notice.get("rules", ()):
        reason = evaluate_rule(rule, facts, profile, ctx, schema, notice)
        if reason is not None:
            reasons.append(reason)
    blockers = [r["outcome"] for r in reasons if r["severity"] == "blocker"]
    if "fail" in blockers:
        verdict = "ineligible"
    elif "unknown" in blockers:
        verdict = "incomplete"
    else:
        verdict = "eligible"
    return facts, reasons, verdict


def verdict_of(notice: dict, profile: dict, holidays) -> str:
    """The verdict of ``assess`` alone: the outcomes of the blocker rules, without their messages,
    details and missing fields (``questions`` tries an answer this way for every choice of every
    field a blocker waits for, some twenty times per evaluation). Stops at the first failing blocker."""
    facts = derive_facts(notice, profile, holidays)
    unknown = False
    for rule in notice.get("rules", ()):
        if rule["severity"] != "blocker":
            continue
        applies = evaluate_condition(rule.get("applies_when"), facts)
        if applies is False:
            continue
        requires = evaluate_condition(rule["requires"], facts) if "requires" in rule else None
        outcome = rule_outcome(rule, applies, requires)
        if outcome == "fail":
            return "ineligible"
        unknown = unknown or outcome == "unknown"
    return "incomplete" if unknown else "eligible"


def unknown_notice(notice_id) -> EngineError:
    """The error for a notice id the bundle does not hold.

    The message does not list the known notices: the browser's engine holds only the notices it
    has loaded so far (``generator.engine.api``), and its answer must be the command line's, word
    for word. The command line adds the ids to choose from (``generator/cli/eligibility.py``).
    """
    message = f"未知的通知 {show(notice_id)}：请检查通知标识（通知页地址 notices/<标识>/ 中的一段）"
    return EngineError(message, [{"field": "notice", "message": message}])


def evaluate(bundle: dict, notice_id, profile, today=None) -> dict:
    """The result object (CONTRACTS §6) of ``profile`` against notice ``notice_id``.

    Raises :class:`EngineError` for an unknown notice or a profile that fails the applicant
    schema. ``today`` (a date, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` Beijing time) only adds
    the optional ``window`` status (see :mod:`generator.engine.timeline`).
    """
    notices = bundle.get("notices", {})
    if not isinstance(notice_id, str) or notice_id not in notices:
        raise unknown_notice(notice_id)
    schema = bundle["applicant_schema"]
    validate_profile(schema, profile)
    notice = notices[notice_id]
    holidays = bundle.get("holidays")
    facts, reasons, verdict = assess(notice, profile, schema, holidays)
    result = {
        "notice": notice_id,
        "verdict": verdict,
        "reasons": reasons,
        "checklist": build_checklist(notice, facts, profile, schema),
        "reference_date": facts["reference_date"],
    }
    result["questions"] = questions_for(
        profile,
        schema,
        verdict,
        reasons,
        lambda answered: verdict_of(notice, answered, holidays),
        mentioned_values(notice.get("rules"), notice.get("scope"), notice.get("parameters")),
    )
    result["route"] = route(
        notice, facts, profile, lambda names, f, p: _missing_fields(names, f, p, schema, notice), holidays
    )
    result["optional_questions"] = optional_questions(
        profile, schema, reasons, result["checklist"], extra=route_fields(result["route"])
    )
    if today is not None:
        window = window_at(notice, today)
        if window:
            if window["status"] == "closed":
                window["next"] = next_round(notices, notice, bundle.get("round_months"))
            result["window"] = window
    return result
