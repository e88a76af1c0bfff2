"""Data tests in the spirit of OpenFisca's YAML tests: tests/cases/*.yaml, one test per case.

Each file is a list of cases::

    - name: 一句话说明这个申报人与预期结论
      notice: 2025-bortala
      input: {...}                 # applicant profile (schemas/applicant.schema.json)
      output:
        verdict: eligible | ineligible | incomplete
        failing: [rule-id, ...]    # exactly the rules with outcome fail (any severity)
        unknown: [rule-id, ...]    # optional: exactly the blocker rules with outcome unknown
        outcomes: {rule-id: pass | fail | unknown | absent}   # optional, partial
        checklist:                 # optional
          includes: [item-id, ...]
          excludes: [item-id, ...]
          if_applicable: [item-id, ...]
          templates: {item-id: template-id}
      today: YYYY-MM-DD            # optional
    - ...

The browser parity test (tests of the validator page) runs these same cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casedata import load_cases

from generator.bundle import build_bundle
from generator.content import load_content
from generator.engine import evaluate

ROOT = Path(__file__).resolve().parent.parent


CASES = load_cases()


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(load_content(ROOT / "content"))


def test_case_names_are_unique_and_cover_every_notice(bundle):
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "重复的用例名称"
    per_notice = {nid: 0 for nid in bundle["notices"]}
    for case in CASES:
        assert case["notice"] in per_notice, case["name"]
        per_notice[case["notice"]] += 1
    assert all(n >= 12 for n in per_notice.values()), per_notice


def test_every_blocker_rule_fails_in_some_case(bundle):
    """Each exclusion is exercised: every blocker rule of every notice fails in at least one case."""
    failing = {(c["notice"], rule) for c in CASES for rule in c["output"].get("failing", ())}
    never = [
        (nid, rule["id"])
        for nid, notice in bundle["notices"].items()
        for rule in notice["rules"]
        if rule["severity"] == "blocker" and (nid, rule["id"]) not in failing
    ]
    assert never == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, bundle):
    result = evaluate(bundle, case["notice"], case["input"], today=case.get("today"))
    expected = case["output"]
    reasons = {r["rule"]: r for r in result["reasons"]}
    failing = sorted(r["rule"] for r in result["reasons"] if r["outcome"] == "fail")
    assert result["verdict"] == expected["verdict"], result["reasons"]
    assert failing == sorted(expected.get("failing", [])), result["reasons"]
    if "unknown" in expected:
        unknown = sorted(
            r["rule"] for r in result["reasons"] if r["outcome"] == "unknown" and r["severity"] == "blocker"
        )
        assert unknown == sorted(expected["unknown"]), result["reasons"]
    for rule, outcome in expected.get("outcomes", {}).items():
        actual = reasons[rule]["outcome"] if rule in reasons else "absent"
        assert actual == outcome, (rule, reasons.get(rule))
    checklist = expected.get("checklist", {})
    items = {i["item"]: i for i in result["checklist"]}
    notice_items = {m["id"] for m in bundle["notices"][case["notice"]]["materials"]}
    for item in checklist.get("includes", []) + checklist.get("excludes", []) + checklist.get("if_applicable", []):
        assert item in notice_items, f"用例引用了通知中不存在的材料 {item}"
    for item in checklist.get("includes", []):
        assert item in items and items[item]["status"] == "needed", (item, items.get(item))
    for item in checklist.get("excludes", []):
        assert item not in items, items.get(item)
    for item in checklist.get("if_applicable", []):
        assert item in items and items[item]["status"] == "if_applicable", (item, items.get(item))
    for item, template in checklist.get("templates", {}).items():
        assert items[item]["template"] == template, items[item]
