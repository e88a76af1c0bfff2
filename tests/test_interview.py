"""The interview (issue 10): answering the engine's ``questions`` in order reaches each case's verdict.

Every bundled case (tests/cases/*.yaml) is replayed as an applicant would meet the check page:
start from an empty profile, take the first question, answer it with the case's value (or skip it
when the case leaves that field empty), and repeat until the engine asks nothing more.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from casedata import load_cases

from generator.content.bundle import build_bundle
from generator.content.load import load_content
from generator.engine import evaluate

ROOT = Path(__file__).resolve().parent.parent
CASES = load_cases()


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(load_content(ROOT / "content"))


def interview(bundle, case) -> tuple[dict, list[str]]:
    """(final result, fields answered) of the simulated interview for ``case``."""
    profile: dict = {}
    answered: list[str] = []
    skipped: set[str] = set()
    for _ in range(200):
        result = evaluate(bundle, case["notice"], profile)
        pending = [q for q in result["questions"] if q not in skipped]
        if not pending:
            return result, answered
        field = pending[0]
        assert field not in profile, f"{field} was asked again after being answered"
        if field in case["input"]:
            profile[field] = case["input"][field]
            answered.append(field)
        else:
            skipped.add(field)
    raise AssertionError("the interview did not end")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_answering_questions_in_order_reaches_the_cases_verdict(bundle, case):
    result, answered = interview(bundle, case)
    assert result["verdict"] == case["output"]["verdict"], answered
    if result["verdict"] in ("eligible", "ineligible"):
        assert result["questions"] == []  # decided: nothing left that could change it
    # About ten answers at most, never a whole form.
    assert len(answered) <= 12, answered


def test_a_typical_eligible_applicant_answers_about_ten_questions(bundle):
    counts = [len(interview(bundle, c)[1]) for c in CASES if c["output"]["verdict"] == "eligible"]
    assert counts and statistics.median(counts) <= 10 and max(counts) <= 12, counts


def test_typical_ineligible_applicants_learn_it_within_three_answers(bundle):
    counts = [len(interview(bundle, c)[1]) for c in CASES if c["output"]["verdict"] == "ineligible"]
    assert counts and statistics.median(counts) <= 3, counts


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["input"].get("employment_status") == "retired"], ids=lambda c: c["name"]
)
def test_a_retiree_learns_the_answer_from_the_first_questions(bundle, case):
    result, answered = interview(bundle, case)
    assert result["verdict"] == "ineligible"
    assert len(answered) <= 2, answered


def test_questions_come_from_the_rules_not_a_fixed_list(bundle):
    # 博州 has no dispatch rule and no county rule: neither is asked at the start.
    first = evaluate(bundle, "2025-bortala", {})["questions"]
    assert "dispatched_months" not in first and "county" not in first and "employer_location" not in first
    assert first[0] == "employment_status"
    # 甘泉堡 asks where the employer is registered; the dispatch months only once it is "dispatched".
    pv = evaluate(bundle, "2025-urumqi-ganquanbao-pv", {"employer_location": "local"})["questions"]
    assert "dispatched_months" not in pv
    pv = evaluate(bundle, "2025-urumqi-ganquanbao-pv", {"employer_location": "dispatched"})["questions"]
    assert "dispatched_months" in pv


def test_optional_questions_refine_the_checklist_once_decided(bundle):
    case = next(c for c in CASES if c["notice"] == "2025-bortala" and c["output"]["verdict"] == "eligible")
    result, answered = interview(bundle, case)
    assert result["questions"] == []
    profile = {f: case["input"][f] for f in answered}
    result = evaluate(bundle, "2025-bortala", profile)
    missing = {f for item in result["checklist"] for f in item.get("missing", ())}
    assert missing and missing <= set(result["optional_questions"])


def test_form_help_has_no_code_words():
    """What an applicant reads under a question never says “填 none” or lists codes."""
    import json
    import re

    from generator.site.pages.check import field_help

    schema = json.loads((ROOT / "schemas" / "applicant.schema.json").read_text(encoding="utf-8"))
    for name, prop in schema["properties"].items():
        text = field_help(prop)
        words = set(re.findall(r"[A-Za-z_]+", text))
        codes = {str(v) for v in prop.get("enum", ())} | {"true", "false", "null", name}
        assert not words & codes, (name, text)
