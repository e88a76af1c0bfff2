"""Engine semantics on small hand-made notices (independent of the bundled content)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.content.bundle import load_applicant_schema
from generator.engine import EngineError, evaluate, evaluate_condition, referenced_facts
from generator.engine.facts import derive_facts, full_years

SCHEMA = load_applicant_schema()


def make_bundle(**notice_fields) -> dict:
    notice = {
        "id": "2099-test",
        "title": "测试通知",
        "scope": {"levels": ["junior", "intermediate"], "application_types": ["evaluation"], "items": []},
        "timeline": [
            {
                "id": "apply",
                "phase": "application",
                "label": "网上申报",
                "start": "2025-02-25",
                "end": "2025-03-17T18:00+08:00",
                "clause": "三",
            },
        ],
        "parameters": {},
        "rules": [],
        "materials": [],
    }
    notice.update(notice_fields)
    return {"version": 1, "applicant_schema": SCHEMA, "notices": {"2099-test": notice}, "holidays": {}}


RETIREES = {
    "id": "no-retirees",
    "severity": "blocker",
    "clause": "五、（三）1",
    "message": "离退休人员不得申报",
    "requires": {"properties": {"employment_status": {"not": {"const": "retired"}}}},
}


# --- three-valued conditions -------------------------------------------------------------


@pytest.mark.parametrize(
    "condition, facts, expected",
    [
        (None, {}, True),
        ({"properties": {"a": {"const": 1}}}, {"a": 1}, True),
        ({"properties": {"a": {"const": 1}}}, {"a": 2}, False),
        ({"properties": {"a": {"const": 1}}}, {}, None),
        ({"properties": {"a": {"const": 1}}}, {"a": None}, None),
        ({"required": ["a"]}, {}, None),
        ({"allOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 1}}}]}, {"a": 2}, False),
        ({"allOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 1}}}]}, {"a": 1}, None),
        ({"anyOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 1}}}]}, {"a": 1}, True),
        ({"anyOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 1}}}]}, {"a": 2}, None),
        (
            {"anyOf": [{"properties": {"a": {"const": 1}}}, {"properties": {"b": {"const": 1}}}]},
            {"a": 2, "b": 0},
            False,
        ),
        ({"not": {"properties": {"a": {"const": 1}}}}, {"a": 1}, False),
        ({"not": {"properties": {"a": {"const": 1}}}}, {}, None),
        ({"properties": {"d": {"format": "date"}}}, {"d": "2025-02-30"}, False),
    ],
)
def test_condition_is_three_valued(condition, facts, expected):
    assert evaluate_condition(condition, facts) is expected


def test_referenced_facts_walks_combinators():
    cond = {
        "required": ["x"],
        "properties": {"a": {}},
        "anyOf": [{"properties": {"b": {}}}],
        "not": {"properties": {"c": {}}},
    }
    assert referenced_facts(cond) == ["x", "a", "b", "c"]


# --- facts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, years",
    [
        ("2024-03-17", "2025-03-17", 1),  # the anniversary itself counts as a full year
        ("2024-03-18", "2025-03-17", 0),
        ("2020-02-29", "2021-02-28", 0),
        ("2020-02-29", "2021-03-01", 1),
        ("2025-03-18", "2025-03-17", -1),
    ],
)
def test_full_years(start, end, years):
    assert full_years(date.fromisoformat(start), date.fromisoformat(end)) == years


def test_reference_date_defaults_to_end_of_application_window():
    notice = make_bundle()["notices"]["2099-test"]
    facts = derive_facts(notice, {"graduated_on": "2024-03-17"}, {})
    assert facts["reference_date"] == "2025-03-17"
    assert facts["years_since_graduation"] == 1
    notice["reference_date"] = "2025-03-16"
    assert derive_facts(notice, {"graduated_on": "2024-03-17"}, {})["years_since_graduation"] == 0


def test_continuing_education_facts():
    params = {
        "continuing_education": {
            "years": [2023, 2024, 2025],
            "min_hours_per_year": 90,
            "professional_share": {"numerator": 2, "denominator": 3},
        },
        "village_exemption": {"min_months": 6},
    }
    notice = make_bundle(parameters=params)["notices"]["2099-test"]
    good = [{"year": y, "total_hours": 90, "professional_hours": 60} for y in (2023, 2024, 2025)]
    assert derive_facts(notice, {"continuing_education": good}, {})["continuing_education_ok"] is True
    short = good[:2] + [{"year": 2025, "total_hours": 90, "professional_hours": 59}]
    facts = derive_facts(notice, {"continuing_education": short}, {})
    assert facts["continuing_education_ok"] is False
    assert facts["continuing_education_short_years"] == "2025"
    # the current year (2025) is exempt after ≥ 6 months of village work
    two = good[:2]
    assert derive_facts(notice, {"continuing_education": two}, {})["continuing_education_ok"] is None
    assert (
        derive_facts(notice, {"continuing_education": two, "village_work_months": 6}, {})["continuing_education_ok"]
        is True
    )
    assert (
        derive_facts(notice, {"continuing_education": two, "village_work_months": 5}, {})["continuing_education_ok"]
        is None
    )
    assert derive_facts(notice, {}, {})["continuing_education_ok"] is None


@pytest.mark.parametrize(
    "ce, profile, required",
    [
        (
            {"exempt_private_enterprise_first_application": True},
            {"employer_type": "private_enterprise", "first_application": True},
            False,
        ),
        (
            {"exempt_private_enterprise_first_application": True},
            {"employer_type": "private_enterprise", "first_application": False},
            True,
        ),
        ({"exempt_private_enterprise_first_application": True}, {"employer_type": "public_institution"}, True),
        ({"exempt_private_enterprise_first_application": True}, {"employer_type": "private_enterprise"}, None),
        ({"exempt_first_application": True}, {"first_application": True}, False),
        ({"exempt_first_application": True}, {}, None),
        ({}, {}, True),
    ],
)
def test_continuing_education_required(ce, profile, required):
    notice = make_bundle(parameters={"continuing_education": dict(ce, years=[2024])})["notices"]["2099-test"]
    assert derive_facts(notice, profile, {})["continuing_education_required"] is required


@pytest.mark.parametrize(
    "ban, recorded_on, active",
    [
        ({"years": 3}, "2022-03-18", True),  # reference date 2025-03-17: 3 years not yet over
        ({"years": 3}, "2022-03-17", False),
        ({"years": 3, "from_next_year": True}, "2022-12-31", True),  # 2023, 2024, 2025 barred
        ({"years": 3, "from_next_year": True}, "2021-01-01", False),
    ],
)
def test_misconduct_ban(ban, recorded_on, active):
    notice = make_bundle(parameters={"misconduct_ban": ban})["notices"]["2099-test"]
    facts = derive_facts(notice, {"misconduct_record": True, "misconduct_recorded_on": recorded_on}, {})
    assert facts["misconduct_ban_active"] is active
    assert derive_facts(notice, {"misconduct_record": False}, {})["misconduct_ban_active"] is False
    assert derive_facts(notice, {"misconduct_record": True}, {})["misconduct_ban_active"] is None


def test_publicity_workdays_use_the_holiday_calendar():
    notice = make_bundle(parameters={"publicity": {"min_workdays": 5}})["notices"]["2099-test"]
    # 2025-09-28 (Sunday) is an adjusted workday; 10-01..10-08 are the National Day holiday.
    facts = derive_facts(notice, {"publicity_start": "2025-09-28", "publicity_end": "2025-10-09"}, {})
    assert facts["publicity_workdays"] == 4
    assert facts["publicity_long_enough"] is False
    assert facts["publicity_earliest_end"] == "2025-10-10"


def test_publicity_in_a_year_without_calendar_is_unknown_with_reason():
    rule = {
        "id": "pub",
        "severity": "warning",
        "clause": "五",
        "message": "公示期不少于5个工作日",
        "requires": {"properties": {"publicity_long_enough": {"const": True}}},
    }
    bundle = make_bundle(parameters={"publicity": {"min_workdays": 5}}, rules=[rule])
    result = evaluate(bundle, "2099-test", {"publicity_start": "2040-03-02", "publicity_end": "2040-03-09"})
    reason = result["reasons"][0]
    assert reason["outcome"] == "unknown"
    assert "2040" in reason["detail"] and "自行核对" in reason["detail"]
    assert "content/" not in reason["detail"]  # applicants never read an editor's file name


# --- evaluate ----------------------------------------------------------------------------


def test_verdicts_follow_blockers_only():
    warning = {
        "id": "summary",
        "severity": "warning",
        "clause": "五、（一）10",
        "message": "字数",
        "requires": {"properties": {"work_summary_chars": {"minimum": 1000}}},
    }
    bundle = make_bundle(rules=[RETIREES, warning])
    assert evaluate(bundle, "2099-test", {"employment_status": "retired"})["verdict"] == "ineligible"
    assert evaluate(bundle, "2099-test", {})["verdict"] == "incomplete"
    result = evaluate(bundle, "2099-test", {"employment_status": "employed", "work_summary_chars": 10})
    assert result["verdict"] == "eligible"
    assert [r["outcome"] for r in result["reasons"]] == ["pass", "fail"]


def test_reason_shape_and_missing_fields():
    bundle = make_bundle(rules=[RETIREES])
    reason = evaluate(bundle, "2099-test", {})["reasons"][0]
    assert reason == {
        "rule": "no-retirees",
        "outcome": "unknown",
        "severity": "blocker",
        "message": "离退休人员不得申报",
        "clause": "五、（三）1",
        "missing": ["employment_status"],
        "detail": "还需填写：在职状态",
    }


def test_rule_not_applicable_is_left_out_and_unknown_applicability_is_unknown():
    rule = {
        "id": "dispatched",
        "severity": "blocker",
        "clause": "一、（二）",
        "message": "派驻满12个月",
        "applies_when": {"properties": {"employer_location": {"const": "dispatched"}}},
        "requires": {"properties": {"dispatched_months": {"minimum": 12}}},
    }
    bundle = make_bundle(rules=[rule])
    assert evaluate(bundle, "2099-test", {"employer_location": "local"})["reasons"] == []
    assert evaluate(bundle, "2099-test", {"dispatched_months": 3})["reasons"][0]["outcome"] == "unknown"
    # when the requirement holds anyway, not knowing whether it applies does not matter
    assert evaluate(bundle, "2099-test", {"dispatched_months": 12})["reasons"][0]["outcome"] == "pass"
    assert (
        evaluate(bundle, "2099-test", {"employer_location": "dispatched", "dispatched_months": 11})["verdict"]
        == "ineligible"
    )


def test_info_rule_without_requirement_is_never_a_silent_pass():
    rule = {
        "id": "criteria",
        "severity": "info",
        "clause": "二、（一）",
        "message": "须符合自治区评审条件，请在平台查阅",
    }
    reasons = evaluate(make_bundle(rules=[rule]), "2099-test", {"employment_status": "employed"})["reasons"]
    assert reasons == [
        {
            "rule": "criteria",
            "outcome": "unknown",
            "severity": "info",
            "message": "须符合自治区评审条件，请在平台查阅",
            "clause": "二、（一）",
        }
    ]


def test_empty_requirement_with_unknown_trigger_is_unknown_not_a_pass():
    """六、（四）-style grants: an info rule whose trigger is unknown never reads as 符合."""
    grant = {
        "id": "direct",
        "severity": "info",
        "clause": "六、（四）",
        "message": "可直接认定高一级职称",
        "applies_when": {
            "properties": {"village_work_years": {"minimum": 3}, "excellent_appraisal_years": {"minimum": 3}}
        },
        "requires": {},
    }
    bundle = make_bundle(rules=[grant])
    reason = evaluate(bundle, "2099-test", {})["reasons"][0]
    assert reason["outcome"] == "unknown"
    assert reason["missing"] == ["village_work_years", "excellent_appraisal_years"]
    assert reason["detail"].startswith("是否适用还需填写")
    assert evaluate(bundle, "2099-test", {"village_work_years": 2})["reasons"] == []
    full = {"village_work_years": 3, "excellent_appraisal_years": 3}
    assert evaluate(bundle, "2099-test", full)["reasons"][0]["outcome"] == "pass"
    # an info rule with a real requirement is not a pass either while its trigger is unknown
    early = {**grant, "id": "early", "requires": {"properties": {"full_time": {"const": True}}}}
    bundle = make_bundle(rules=[early])
    assert evaluate(bundle, "2099-test", {"full_time": True})["reasons"][0]["outcome"] == "unknown"


def test_other_series_is_a_question_never_a_pass_and_free_text_is_refused():
    rule = {
        "id": "teachers",
        "severity": "blocker",
        "clause": "一、（二）",
        "message": "只有教师系列",
        "requires": {"properties": {"series": {"enum": ["中小学教师系列"]}}},
    }
    bundle = make_bundle(rules=[rule])
    reason = evaluate(bundle, "2099-test", {"series": "其他"})["reasons"][0]
    assert reason["outcome"] == "unknown" and "missing" not in reason
    assert "选择了“其他”" in reason["detail"]
    with pytest.raises(EngineError) as err:
        evaluate(bundle, "2099-test", {"series": "小学教师系列"})
    assert "不在允许的取值中" in err.value.message


def test_messages_cite_parameters_and_details_cite_facts():
    rule = {
        "id": "summary",
        "severity": "warning",
        "clause": "五、（一）10",
        "message": "工作总结{work_summary_min}—{work_summary_max}字",
        "requires": {"properties": {"work_summary_in_range": {"const": True}}},
        "details": {"fail": "您写了{work_summary_chars}字"},
    }
    bundle = make_bundle(parameters={"work_summary": {"min_chars": 1000, "max_chars": 2000}}, rules=[rule])
    reason = evaluate(bundle, "2099-test", {"work_summary_chars": 2001})["reasons"][0]
    assert reason["message"] == "工作总结1000—2000字"
    assert reason["detail"] == "您写了2001字"
    assert evaluate(bundle, "2099-test", {"work_summary_chars": 2000})["reasons"][0]["outcome"] == "pass"
    assert evaluate(bundle, "2099-test", {"work_summary_chars": 999})["reasons"][0]["outcome"] == "fail"


def test_checklist_filters_and_annotates_materials():
    materials = [
        {"id": "id-card", "title": "身份证", "required": True, "clause": "五、（一）1"},
        {
            "id": "si-summary",
            "title": "社会保险个人缴费汇总单",
            "required": True,
            "clause": "五、（一）12",
            "condition": "未取得初级职称直接申报中级",
            "when": {"properties": {"direct_intermediate_without_junior": {"const": True}}},
        },
        {"id": "photo", "title": "获奖证书", "required": False, "clause": "五、（一）6"},
        {
            "id": "publicity",
            "title": "推荐单位公示",
            "required": True,
            "clause": "附件3",
            "template": "bortala-publicity",
        },
        {"id": "deferral", "title": "缓缴证明", "required": True, "clause": "五、（一）12", "condition": "出现断保的"},
    ]
    bundle = make_bundle(materials=materials)
    items = evaluate(bundle, "2099-test", {"current_level": "none", "target_level": "intermediate"})["checklist"]
    assert [i["item"] for i in items] == ["id-card", "si-summary", "photo", "publicity", "deferral"]
    # a condition only in words: the engine cannot decide, the applicant must
    assert items[4]["status"] == "if_applicable" and items[4]["why"] == "出现断保的" and "missing" not in items[4]
    assert items[1] == {
        "item": "si-summary",
        "title": "社会保险个人缴费汇总单",
        "required": True,
        "why": "未取得初级职称直接申报中级",
        "clause": "五、（一）12",
        "template": None,
        "status": "needed",
    }
    assert items[0]["why"] == "所有申报人均须提交" and items[2]["why"] == "如有则提交"
    assert items[3]["template"] == "bortala-publicity"
    items = evaluate(bundle, "2099-test", {"current_level": "junior", "target_level": "intermediate"})["checklist"]
    assert "si-summary" not in [i["item"] for i in items]
    items = evaluate(bundle, "2099-test", {"target_level": "intermediate"})["checklist"]
    maybe = next(i for i in items if i["item"] == "si-summary")
    assert maybe["status"] == "if_applicable" and maybe["missing"] == ["current_level"]


def test_window_status_only_when_today_is_given():
    bundle = make_bundle()
    assert "window" not in evaluate(bundle, "2099-test", {})
    assert evaluate(bundle, "2099-test", {}, today="2025-03-17")["window"]["status"] == "open"
    assert evaluate(bundle, "2099-test", {}, today=date(2025, 3, 18))["window"]["status"] == "closed"
    assert evaluate(bundle, "2099-test", {}, today="2025-02-24")["window"]["status"] == "upcoming"


def test_result_is_json_and_deterministic():
    bundle = make_bundle(rules=[RETIREES])
    a = evaluate(bundle, "2099-test", {"employment_status": "retired"})
    b = evaluate(json.loads(json.dumps(bundle)), "2099-test", {"employment_status": "retired"})
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


# --- errors ------------------------------------------------------------------------------


def test_unknown_notice_is_a_clear_error():
    with pytest.raises(EngineError) as info:
        evaluate(make_bundle(), "2025-nowhere", {})
    # Not the list of known notices: the browser's engine holds only those loaded so far, and
    # its message must be the command line's (which adds the list: test_cli_eligibility).
    assert info.value.message == "未知的通知 \"2025-nowhere\"：请检查通知标识（通知页地址 notices/<标识>/ 中的一段）"
    assert info.value.problems == [{"field": "notice", "message": info.value.message}]


@pytest.mark.parametrize(
    "profile, field, message",
    [
        (
            {"graduated_on": "2025-13-01"},
            "graduated_on",
            "graduated_on（毕业（取得学位、博士后出站）日期）的值 \"2025-13-01\" 不是有效日期：格式为 YYYY-MM-DD，月份 01–12，且该日须存在（如 2024-07-01）",
        ),
        ({"graduated_on": "2025-02-30"}, "graduated_on", None),
        (
            {"dispatched_months": "12"},
            "dispatched_months",
            "dispatched_months（派驻本地连续工作月数）应为整数，实际是文字 \"12\"（数字不要加引号）",
        ),
        (
            {"dispatched_months": True},
            "dispatched_months",
            "dispatched_months（派驻本地连续工作月数）应为整数，实际是布尔值 true",
        ),
        (
            {"village_work_months": 13},
            "village_work_months",
            "village_work_months（当年驻村工作月数）的值 13 不能大于 12",
        ),
        ({"education": "phd"}, "education", None),
        ({"graduation": "2020-07-01"}, "graduation", "未知字段 graduation：没有这个字段（请检查拼写）"),
        (
            {"continuing_education": [{"year": 2024, "total_hours": 90}]},
            "continuing_education[0]",
            "continuing_education[0]（年度继续教育）缺少必填字段 professional_hours（专业科目学时）",
        ),
        (
            {"publicity_start": "2025-09-10", "publicity_end": "2025-09-01"},
            "publicity_end",
            "publicity_end（单位公示结束日期）：2025-09-01 早于公示开始日期 2025-09-10",
        ),
    ],
)
def test_invalid_profile_gets_one_chinese_message_per_field(profile, field, message):
    with pytest.raises(EngineError) as info:
        evaluate(make_bundle(), "2099-test", profile)
    problems = info.value.problems
    assert [p["field"] for p in problems] == [field]
    if message:
        assert problems[0]["message"] == message
    assert str(info.value).startswith("申报人档案有 1 处问题：\n")


def test_enum_error_lists_chinese_options():
    with pytest.raises(EngineError) as info:
        evaluate(make_bundle(), "2099-test", {"education": "phd"})
    assert "\"doctorate\"（博士）" in info.value.problems[0]["message"]


def test_several_problems_are_all_reported():
    with pytest.raises(EngineError) as info:
        evaluate(make_bundle(), "2099-test", {"graduated_on": "2025-13-01", "full_time": "yes", "x": 1})
    assert [p["field"] for p in info.value.problems] == ["full_time", "graduated_on", "x"]


@pytest.mark.parametrize("profile", [None, [], "text", 3])
def test_non_object_profile(profile):
    with pytest.raises(EngineError) as info:
        evaluate(make_bundle(), "2099-test", profile)
    assert info.value.problems[0]["field"] == "整个档案"


def test_paper_deadline_is_counted_in_working_days_from_the_applicants_date():
    """博州三：系统显示“已接收材料”后三个工作日内报送纸质材料；截止日由引擎按节假日与调休计算。"""
    from pathlib import Path

    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    bundle = build_bundle(load_content(Path(__file__).resolve().parent.parent / "content"))
    base = {"unit_level": "prefecture", "target_level": "intermediate"}
    due = evaluate(bundle, "2025-bortala", base)["route"]["paper"]["due"]
    assert due == {"workdays": 3, "after": "系统显示“已接收材料”", "missing": ["materials_received_on"]}
    # received Thursday 2025-09-25: Fri 26, Sun 28 (adjusted workday), Mon 29 → due 2025-09-29
    result = evaluate(bundle, "2025-bortala", {**base, "materials_received_on": "2025-09-25"})
    due = result["route"]["paper"]["due"]
    assert due["date"] == "2025-09-29" and "2025-09-29" in due["text"]
    # received 2025-09-30: the National Day holiday (10-01 … 10-08) is skipped; 10-11 is an adjusted workday
    result = evaluate(bundle, "2025-bortala", {**base, "materials_received_on": "2025-09-30"})
    assert result["route"]["paper"]["due"]["date"] == "2025-10-11"  # 10-09, 10-10, 10-11 (Saturday, adjusted)
    assert "materials_received_on" in bundle["notices"]["2025-bortala"]["profile_fields"]
