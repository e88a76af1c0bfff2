"""Property tests: any input gives a result valid against result.schema.json or a clear EngineError.

Profiles come from the applicant schema (hypothesis-jsonschema) and from arbitrary JSON outside
it; notices are every bundled notice plus a synthetic one that uses every fact and parameter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator.content.bundle import load_applicant_schema
from generator.engine import FACTS, EngineError, evaluate

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = load_applicant_schema()
RESULT_SCHEMA = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
RESULT = jsonschema.Draft202012Validator(RESULT_SCHEMA, format_checker=jsonschema.FormatChecker())
PROFILE = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("ENGINE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _every_fact_rule(name: str, i: int) -> dict:
    return {
        "id": f"fact-{i}",
        "severity": ["blocker", "warning", "info"][i % 3],
        "clause": f"{i}",
        "message": f"{name}：{{{name}}}",
        "requires": {"required": [name]},
        "details": {"pass": f"{{{name}}}", "fail": "x", "unknown": "{reference_date}"},
    }


SYNTHETIC = {
    "id": "2099-all",
    "title": "覆盖全部事实的测试通知",
    "scope": {
        "levels": ["junior"],
        "application_types": ["initial"],
        "employer_types": ["private_enterprise"],
        "items": [],
    },
    "timeline": [
        {"id": "a", "phase": "application", "label": "申报", "start": "2025-09-01", "end": "2025-09-29", "clause": "三"}
    ],
    "parameters": {
        "education_table": {
            "clause": "附件1",
            "rows": [
                {"education": "bachelor", "min_years": 1, "level": "junior", "application_type": "initial"},
                {"education": "master", "min_years": 1, "level": "intermediate", "application_type": "conferral"},
            ],
        },
        "continuing_education": {
            "clause": "11",
            "years": [2023, 2024, 2025],
            "min_hours_per_year": 90,
            "professional_share": {"numerator": 2, "denominator": 3},
            "exempt_private_enterprise_first_application": True,
        },
        "village_exemption": {"clause": "五", "min_months": 6},
        "publicity": {"clause": "五", "min_workdays": 5},
        "work_summary": {"clause": "10", "min_chars": 1000, "max_chars": 2000},
        "dispatched": {"clause": "一", "min_months": 12},
        "qualification_equivalence": {"clause": "六"},
        "misconduct_ban": {"clause": "七", "years": 3, "from_next_year": True},
    },
    "rules": [_every_fact_rule(name, i) for i, name in enumerate(sorted(FACTS))]
    + [
        {
            "id": "combo",
            "severity": "blocker",
            "clause": "x",
            "message": "组合",
            "applies_when": {
                "anyOf": [
                    {"properties": {"education": {"enum": ["master"]}}},
                    {"not": {"properties": {"full_time": {"const": False}}}},
                ]
            },
            "requires": {
                "allOf": [
                    {"properties": {"years_since_graduation": {"minimum": 1}}},
                    {"properties": {"graduated_on": {"format": "date"}}},
                ]
            },
        }
    ],
    "materials": [
        {
            "id": f"m-{i}",
            "title": name,
            "required": bool(i % 2),
            "clause": str(i),
            "when": {"properties": {name: {"not": {"const": None}}}},
        }
        for i, name in enumerate(sorted(FACTS))
    ]
    + [{"id": "always", "title": "身份证", "required": True, "clause": "1"}],
}
SYNTHETIC_BUNDLE = {
    "version": 1,
    "applicant_schema": SCHEMA,
    "notices": {"2099-all": SYNTHETIC},
    "holidays": {"2040": {"holidays": ["2040-01-02"], "workdays": [], "source": "测试"}},
}


def check(bundle, notice_id, profile):
    try:
        result = evaluate(bundle, notice_id, profile)
    except EngineError as err:
        assert err.message and err.problems
        assert all(set(p) == {"field", "message"} and p["message"] for p in err.problems)
        json.dumps(err.to_dict(), ensure_ascii=False)
        return None
    errors = sorted(RESULT.iter_errors(result), key=str)
    assert not errors, errors[0]
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    return result


@SETTINGS
@given(from_schema(SCHEMA))
def test_schema_profiles_on_synthetic_notice(profile):
    assert PROFILE.is_valid(profile)
    result = check(SYNTHETIC_BUNDLE, "2099-all", profile)
    if result is not None:
        ids = [r["rule"] for r in result["reasons"]]
        assert ids[: len(FACTS)] == [f"fact-{i}" for i in range(len(FACTS))]
        # a rule about a fact passes exactly when the fact is known
        for _name, reason in zip(sorted(FACTS), result["reasons"]):
            assert reason["outcome"] in ("pass", "unknown")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(sorted(SCHEMA["properties"]))


@SETTINGS
@given(st.dictionaries(FIELDS, JSON, max_size=6) | JSON)
def test_arbitrary_json_never_crashes(profile):
    check(SYNTHETIC_BUNDLE, "2099-all", profile)


def test_nan_hours_are_rejected():
    profile = {"continuing_education": [{"year": 2024, "total_hours": float("nan"), "professional_hours": 1}]}
    with pytest.raises(EngineError) as info:
        evaluate(SYNTHETIC_BUNDLE, "2099-all", profile)
    assert info.value.problems[0]["field"] == "continuing_education[0].total_hours"


@SETTINGS
@given(st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.text(), max_size=2)))
def test_unknown_notice_ids_are_engine_errors(notice_id):
    with pytest.raises(EngineError):
        evaluate(SYNTHETIC_BUNDLE, notice_id, {})


# --- the bundled notices -------------------------------------------------------------------

# Whatever notices content/ holds (file names are the ids; `check` enforces that).
NOTICE_IDS = sorted(p.stem for p in (ROOT / "content" / "notices").glob("*.yaml"))
_REAL: dict = {}


def real_bundle() -> dict:
    if not _REAL:
        from generator.content.bundle import build_bundle
        from generator.content.load import load_content

        _REAL.update(build_bundle(load_content(ROOT / "content")))
    return _REAL


def test_real_bundle_has_every_notice_of_content():
    assert NOTICE_IDS and sorted(real_bundle()["notices"]) == NOTICE_IDS


@SETTINGS
@given(from_schema(SCHEMA), st.sampled_from(NOTICE_IDS))
def test_schema_profiles_on_real_notices(profile, notice_id):
    result = check(real_bundle(), notice_id, profile)
    if result is not None:
        blockers = [r["outcome"] for r in result["reasons"] if r["severity"] == "blocker"]
        expected = "ineligible" if "fail" in blockers else "incomplete" if "unknown" in blockers else "eligible"
        assert result["verdict"] == expected
        user_braces = any(isinstance(v, str) and "{" in v for v in profile.values())
        for reason in result["reasons"]:
            for text in (reason["message"], reason.get("detail", "")):
                assert user_braces or not re.search(r"\{[a-z_]+\}", text), text


@SETTINGS
@given(st.dictionaries(FIELDS, JSON, max_size=6) | JSON, st.sampled_from(NOTICE_IDS))
def test_arbitrary_json_on_real_notices(profile, notice_id):
    check(real_bundle(), notice_id, profile)


# --- the verdict alone (what ``questions`` tries for every candidate answer) ------------------


def _assess_verdict(bundle: dict, notice_id: str, profile: dict) -> str:
    from generator.engine.evaluate import assess

    notice = bundle["notices"][notice_id]
    return assess(notice, profile, bundle["applicant_schema"], bundle.get("holidays"))[2]


def _verdict_only(bundle: dict, notice_id: str, profile: dict) -> str:
    from generator.engine.evaluate import verdict_of

    return verdict_of(bundle["notices"][notice_id], profile, bundle.get("holidays"))


def _valid(profile) -> bool:
    return isinstance(profile, dict) and PROFILE.is_valid(profile)


@SETTINGS
@given(from_schema(SCHEMA), st.sampled_from(NOTICE_IDS))
def test_verdict_alone_is_the_full_assessments_on_real_notices(profile, notice_id):
    """``verdict_of`` (blocker outcomes only, first failure ends it) gives the verdict of the full
    assessment with its messages, for any valid profile."""
    if _valid(profile):
        bundle = real_bundle()
        assert _verdict_only(bundle, notice_id, profile) == _assess_verdict(bundle, notice_id, profile)


@SETTINGS
@given(from_schema(SCHEMA))
def test_verdict_alone_is_the_full_assessments_on_synthetic_notice(profile):
    if _valid(profile):
        verdict = _verdict_only(SYNTHETIC_BUNDLE, "2099-all", profile)
        assert verdict == _assess_verdict(SYNTHETIC_BUNDLE, "2099-all", profile)


def test_verdict_alone_for_every_answer_the_questions_try():
    """Exactly the profiles ``questions`` asks about: the empty profile with one candidate answer
    of one field, on every notice; answers that decide (ineligible) and that do not occur among them."""
    from generator.engine.questions import candidate_values

    bundle = real_bundle()
    props = bundle["applicant_schema"]["properties"]
    seen = set()
    for notice_id in NOTICE_IDS:
        for field, prop in props.items():
            for value in candidate_values(prop):
                profile = {field: value}
                if not _valid(profile):
                    continue
                verdict = _assess_verdict(bundle, notice_id, profile)
                assert _verdict_only(bundle, notice_id, profile) == verdict, (notice_id, profile)
                seen.add(verdict)
    assert seen >= {"ineligible", "incomplete"}
