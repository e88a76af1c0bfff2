"""Facts: what the rules talk about, derived from a profile and a notice's parameters.

Rules never see the profile directly; they see this flat dict of facts. A fact is ``None`` when
the profile does not give what it needs (the rule then yields *unknown*, never a guess). Legal
numbers live in the notice's ``parameters`` (with their clause), never here.

``FACTS`` is the catalogue: name → Chinese title and the profile fields it depends on. The notice
and rules schemas enumerate the same names (a test keeps them in step).
"""

from __future__ import annotations

from datetime import date

from generator.engine.clock import parse_date
from generator.engine.errors import EngineError
from generator.engine.workdays import count_workdays, nth_workday

LEVEL_RANK = {"none": 0, "junior": 1, "intermediate": 2, "deputy_senior": 3, "senior": 4}

# Facts copied verbatim from the profile (CONTRACTS §5 and the extra fields of the schema).
PASSTHROUGH = {
    "employment_status": "在职状态",
    "employer_type": "单位类型",
    "employer_location": "单位所在地",
    "dispatched_months": "派驻本地连续工作月数",
    "series": "申报系列",
    "specialty": "申报专业",
    "education": "最高学历（学位）",
    "full_time": "是否全日制",
    "graduated_on": "毕业日期",
    "current_level": "现有职称级别",
    "qualification_equivalent_level": "职业资格可视同的职称级别",
    "target_level": "拟申报级别",
    "application_type": "申报方式",
    "first_application": "是否首次申报",
    "disciplinary_action_active": "是否处于处分影响期",
    "misconduct_record": "是否有弄虚作假记录",
    "misconduct_recorded_on": "弄虚作假记录日期",
    "village_work_months": "当年驻村工作月数",
    "village_work_years": "连续驻村工作年数",
    "excellent_appraisal_years": "连续考核优秀年数",
    "social_insurance_months": "现单位社保缴费月数",
    "work_summary_chars": "工作总结字数",
    "publicity_start": "单位公示开始日期",
    "publicity_end": "单位公示结束日期",
    "county": "工作所在县（市、区）",
    "unit_level": "单位层级",
    "first_in_scheme": "是否首次参加本通知的专项申报",
}

# Answers that mean "none of the listed values": the fact is unknown, so a rule that depends on it
# can never pass on it (the applicant is asked to check the notice instead).
OTHER = "其他"
OPEN_CHOICE_FIELDS = ("series", "specialty")

# Derived facts: name → (Chinese title, profile fields it needs).
DERIVED = {
    "reference_date": ("资格计算基准日", []),
    "reference_year": ("基准年度", []),
    "years_since_graduation": ("毕业至基准日已满年数", ["graduated_on"]),
    "years_worked_since_graduation": ("毕业后参加工作至基准日已满年数", ["graduated_on", "work_started_on"]),
    "years_with_current_employer": ("在现单位工作至基准日已满年数", ["current_employer_since"]),
    "level_in_scope": ("拟申报级别在通知受理范围内", ["target_level"]),
    "application_type_in_scope": ("申报方式在通知受理范围内", ["application_type"]),
    "employer_type_in_scope": ("单位类型在通知受理范围内", ["employer_type"]),
    "education_in_table": ("学历在初定（授予）年限表中", ["education"]),
    "education_level_match": ("拟申报级别与学历对应", ["education", "target_level"]),
    "education_type_match": ("申报方式与学历对应", ["education", "application_type"]),
    "graduation_years_met": ("毕业（取得学位）后工作年限已满", ["education", "graduated_on", "work_started_on"]),
    "dispatched_long_enough": ("派驻人员在本地连续工作时间已满", ["employer_location", "dispatched_months"]),
    "effective_current_level": ("现有级别（含职业资格视同）", ["current_level", "qualification_equivalent_level"]),
    "direct_intermediate_without_junior": ("未取得初级职称直接申报中级", ["current_level", "target_level"]),
    "village_ce_exempt": ("驻村满半年可免当年继续教育", ["village_work_months"]),
    "continuing_education_exempt_years": (
        "继续教育免除的年度（在所需年度内）",
        ["continuing_education", "village_work_months"],
    ),
    "continuing_education_exempt_in_window": (
        "所需年度中有免除继续教育的年度",
        ["continuing_education", "village_work_months"],
    ),
    "continuing_education_required": ("需要继续教育学时", ["employer_type", "first_application", "first_in_scheme"]),
    "continuing_education_ok": ("继续教育学时达标", ["continuing_education", "village_work_months"]),
    "publicity_workdays": ("公示期工作日数", ["publicity_start", "publicity_end"]),
    "publicity_long_enough": ("公示期工作日数达标", ["publicity_start", "publicity_end"]),
    "publicity_earliest_end": ("公示最早可结束日期", ["publicity_start"]),
    "work_summary_in_range": ("工作总结字数在要求范围内", ["work_summary_chars"]),
    "misconduct_ban_active": ("处于弄虚作假限制申报期内", ["misconduct_record", "misconduct_recorded_on"]),
    "continuing_education_missing_years": ("未填写继续教育学时的年度", ["continuing_education"]),
    "continuing_education_short_years": ("继续教育学时不足的年度", ["continuing_education"]),
    "publicity_calendar_problem": ("无法计算公示工作日的原因", ["publicity_start", "publicity_end"]),
}

# Facts whose second field only matters once the first is known (ask the first one first).
GATED = {"dispatched_long_enough", "misconduct_ban_active"}

FACTS = {name: {"title": title, "fields": [name]} for name, title in PASSTHROUGH.items()}
FACTS.update({name: {"title": t, "fields": list(f), "gated": name in GATED} for name, (t, f) in DERIVED.items()})


def _date(value) -> date | None:
    return parse_date(value) if isinstance(value, str) else None


def full_years(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (anniversary reached counts; may be negative)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, month=3, day=1)


def reference_date(notice: dict) -> str:
    """The notice's ``reference_date``, else the end of its application window."""
    if notice.get("reference_date"):
        return notice["reference_date"]
    ends = [
        phase["end"][:10]
        for phase in notice.get("timeline", ())
        if phase.get("phase") == "application" and phase.get("end")
    ]
    if ends:
        return max(ends)
    raise EngineError(
        f"通知 {notice.get('id')} 既没有 reference_date，也没有带截止日期的网上申报阶段，无法计算年限",
        [{"field": "reference_date", "message": "缺少资格计算基准日"}],
    )


def fact_fields(name: str, notice: dict) -> list[str]:
    """The profile fields fact ``name`` depends on under ``notice`` (its parameters decide some)."""
    if name == "continuing_education_required":
        ce = (notice.get("parameters") or {}).get("continuing_education") or {}
        if ce.get("exempt_first_in_scheme"):
            return ["first_in_scheme"]
        if ce.get("exempt_private_enterprise_first_application"):
            return ["employer_type", "first_application"]
        if ce.get("exempt_first_application"):
            return ["first_application"]
        return []
    return list(FACTS.get(name, {}).get("fields", ()))


def _ce_ok(profile, params, exempt_years):
    """Continuing education per year: (ok, missing_years, short_years).

    A year in ``exempt_years`` (approved exemption) needs no hours; every other year of the
    notice's window needs a record that meets its minimums. When the notice requires both
    professional and public (公需) subjects, a year with zero hours of either falls short.
    """
    records = profile.get("continuing_education")
    if records is None:
        return None, [], []
    by_year: dict[int, list] = {}
    for rec in records:
        if not rec.get("exempt"):
            by_year.setdefault(rec["year"], []).append(rec)
    share = params.get("professional_share") or {}
    num, den = share.get("numerator"), share.get("denominator")
    min_hours = params.get("min_hours_per_year")
    both = params.get("require_both_kinds", False)
    missing, short = [], []
    for year in params.get("years", ()):
        if year in exempt_years:
            continue
        recs = by_year.get(year)
        if not recs:  # not entered: unknown, never assumed zero
            missing.append(year)
            continue
        total = sum(r["total_hours"] for r in recs)
        prof = sum(r["professional_hours"] for r in recs)
        ok = total > 0
        if min_hours is not None and total < min_hours:
            ok = False
        if num and den and prof * den < total * num:
            ok = False
        if prof > total:
            ok = False
        if both and (prof <= 0 or total - prof <= 0):
            ok = False
        if not ok:
            short.append(year)
    if short:
        return False, missing, short
    if missing:
        return None, missing, short
    return True, missing, short


def derive_facts(notice: dict, profile: dict, holidays: dict | None) -> dict:
    """All facts for ``profile`` under ``notice`` (values are JSON scalars or None)."""
    params = notice.get("parameters") or {}
    scope = notice.get("scope") or {}
    facts: dict = {name: profile.get(name) for name in PASSTHROUGH}
    for name in OPEN_CHOICE_FIELDS:
        if facts.get(name) == OTHER:
            facts[name] = None
    ref_iso = reference_date(notice)
    ref = parse_date(ref_iso)
    facts["reference_date"] = ref_iso
    facts["reference_year"] = ref.year

    grad = _date(profile.get("graduated_on"))
    facts["years_since_graduation"] = full_years(grad, ref) if grad else None
    started = _date(profile.get("work_started_on"))
    worked = None
    if grad and started:
        worked = full_years(max(grad, started), ref)
    facts["years_worked_since_graduation"] = worked
    joined = _date(profile.get("current_employer_since"))
    facts["years_with_current_employer"] = full_years(joined, ref) if joined else None

    def in_list(value, allowed):
        if allowed is None:
            return True
        return None if value is None else value in allowed

    facts["level_in_scope"] = in_list(profile.get("target_level"), scope.get("levels"))
    facts["application_type_in_scope"] = in_list(profile.get("application_type"), scope.get("application_types"))
    facts["employer_type_in_scope"] = in_list(profile.get("employer_type"), scope.get("employer_types") or None)

    table = params.get("education_table")
    education = profile.get("education")
    row = None
    if table and education is not None:
        row = next((r for r in table["rows"] if r["education"] == education), None)
    facts["education_in_table"] = None if (table is None or education is None) else row is not None

    def row_match(key, value):
        if table is None or education is None or value is None:
            return None
        return row is not None and row[key] == value

    facts["education_level_match"] = row_match("level", profile.get("target_level"))
    facts["education_type_match"] = row_match("application_type", profile.get("application_type"))
    if table is None or education is None:
        facts["graduation_years_met"] = None
    elif row is None:
        facts["graduation_years_met"] = False
    elif grad is not None and full_years(grad, ref) < row["min_years"]:
        facts["graduation_years_met"] = False  # too few years even if work began at graduation
    else:
        facts["graduation_years_met"] = None if worked is None else worked >= row["min_years"]

    location = profile.get("employer_location")
    min_months = (params.get("dispatched") or {}).get("min_months")
    if location == "local":
        facts["dispatched_long_enough"] = True
    elif location == "dispatched" and min_months is not None and profile.get("dispatched_months") is not None:
        facts["dispatched_long_enough"] = profile["dispatched_months"] >= min_months
    else:
        facts["dispatched_long_enough"] = None

    current = profile.get("current_level")
    qual = profile.get("qualification_equivalent_level")
    if current is None:
        facts["effective_current_level"] = None
    elif "qualification_equivalence" in params and qual is not None:
        facts["effective_current_level"] = max(current, qual, key=LEVEL_RANK.__getitem__)
    elif "qualification_equivalence" in params and current != "senior":
        facts["effective_current_level"] = None  # a qualification might raise it
    else:
        facts["effective_current_level"] = current
    target = profile.get("target_level")
    if target is not None and target != "intermediate":
        facts["direct_intermediate_without_junior"] = False
    elif target is None or current is None:
        facts["direct_intermediate_without_junior"] = None
    else:
        facts["direct_intermediate_without_junior"] = current == "none"

    village_min = (params.get("village_exemption") or {}).get("min_months")
    months = profile.get("village_work_months")
    if village_min is None:
        facts["village_ce_exempt"] = False
    else:
        facts["village_ce_exempt"] = None if months is None else months >= village_min

    ce = params.get("continuing_education")
    exempt_years: list[int] = []
    if ce is None:
        facts["continuing_education_required"] = None
        facts["continuing_education_ok"] = None
        facts["continuing_education_exempt_in_window"] = None
        missing = short = []
    else:
        first = profile.get("first_application")
        employer = profile.get("employer_type")
        if ce.get("exempt_first_in_scheme"):
            in_scheme = profile.get("first_in_scheme")
            required = None if in_scheme is None else not in_scheme
        elif ce.get("exempt_private_enterprise_first_application"):
            if first is False or (employer is not None and employer != "private_enterprise"):
                required = True
            elif first is None or employer is None:
                required = None
            else:
                required = False
        elif ce.get("exempt_first_application"):
            required = None if first is None else not first
        else:
            required = True
        facts["continuing_education_required"] = required
        window = list(ce.get("years", ()))
        # Exemptions cover only the year they were granted for: the current year's village work
        # exempts the reference year, and only if the notice asks for that year at all.
        records = profile.get("continuing_education") or []
        exempt_years = sorted({r["year"] for r in records if r.get("exempt") and r["year"] in window})
        if facts["village_ce_exempt"] and ref.year in window and ref.year not in exempt_years:
            exempt_years = sorted(exempt_years + [ref.year])
        ok, missing, short = _ce_ok(profile, ce, set(exempt_years))
        facts["continuing_education_ok"] = ok
        if exempt_years:
            facts["continuing_education_exempt_in_window"] = True
        elif profile.get("continuing_education") is None or (facts["village_ce_exempt"] is None and ref.year in window):
            facts["continuing_education_exempt_in_window"] = None  # a required year might be exempt
        else:
            facts["continuing_education_exempt_in_window"] = False
    facts["continuing_education_exempt_years"] = "、".join(str(y) for y in exempt_years) or None
    facts["continuing_education_missing_years"] = "、".join(str(y) for y in missing) or None
    facts["continuing_education_short_years"] = "、".join(str(y) for y in short) or None

    min_days = (params.get("publicity") or {}).get("min_workdays")
    start, end = _date(profile.get("publicity_start")), _date(profile.get("publicity_end"))
    facts["publicity_workdays"] = facts["publicity_long_enough"] = None
    facts["publicity_earliest_end"] = None
    facts["publicity_calendar_problem"] = None
    try:
        if start and end:
            facts["publicity_workdays"] = count_workdays(start, end, holidays)
            if min_days is not None:
                facts["publicity_long_enough"] = facts["publicity_workdays"] >= min_days
        if start and min_days is not None:
            facts["publicity_earliest_end"] = nth_workday(start, min_days, holidays).isoformat()
    except EngineError as err:  # a year without holiday data: unknown, with the reason
        facts["publicity_calendar_problem"] = err.message

    summary = params.get("work_summary")
    chars = profile.get("work_summary_chars")
    if summary is None or chars is None:
        facts["work_summary_in_range"] = None
    else:
        facts["work_summary_in_range"] = summary["min_chars"] <= chars <= summary["max_chars"]

    ban = params.get("misconduct_ban")
    record = profile.get("misconduct_record")
    recorded = _date(profile.get("misconduct_recorded_on"))
    if record is False:
        facts["misconduct_ban_active"] = False
    elif record is None or recorded is None or ban is None:
        facts["misconduct_ban_active"] = None
    elif recorded > ref:
        facts["misconduct_ban_active"] = False
    elif ban.get("from_next_year"):
        facts["misconduct_ban_active"] = ref.year <= recorded.year + ban["years"]
    else:
        facts["misconduct_ban_active"] = ref < add_years(recorded, ban["years"])
    return facts
