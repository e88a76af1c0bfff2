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

from generator.content.bundle import build_bundle
from generator.content.load import load_content
from generator.engine import evaluate

ROOT = Path(__file__).resolve().parent.parent


CASES = load_cases()


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(load_content(ROOT / "content"))


# Whatever notices content/ holds: each one needs its own cases file (file name = notice id).
NOTICE_IDS = sorted(p.stem for p in (ROOT / "content" / "notices").glob("*.yaml"))
CASES_DIR = ROOT / "tests" / "cases"


def missing_cases_message(notice_id: str) -> str:
    return (
        f"通知 {notice_id} 没有资格核验用例。请新建 tests/cases/{notice_id}.yaml："
        f"用 python -m generator new --from <旧通知> --year <年度> [--id {notice_id}] 生成的通知会自动带上它；"
        f"手写时照 tests/cases/ 中已有文件的格式，每个用例写 name（一句话）、notice: {notice_id}、"
        "input（申报人档案，字段见 schemas/applicant.schema.json）和 output（verdict 与 failing），"
        "至少一个 verdict: eligible 的用例，并让每条 severity: blocker 的规则各有一个不通过的用例。"
        "写法见编辑指南（site_pages/editors.md）“用例文件”一节。"
    )


def test_case_names_are_unique_and_name_known_notices(bundle):
    names = [c["name"] for c in CASES]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"重复的用例名称：{dupes}"
    for case in CASES:
        assert case["notice"] in bundle["notices"], (
            f"tests/cases/{case['file']} 的用例“{case['name']}”引用了不存在的通知 {case['notice']}"
        )
        assert case["file"] == f"{case['notice']}.yaml", (
            f"用例“{case['name']}”属于通知 {case['notice']}，应写在 tests/cases/{case['notice']}.yaml 中，"
            f"而不是 tests/cases/{case['file']}"
        )


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_notice_has_cases_covering_every_blocker(notice_id, bundle):
    """One test per notice: its cases file exists, has an eligible case, and fails every blocker."""
    mine = [c for c in CASES if c["notice"] == notice_id]
    assert (CASES_DIR / f"{notice_id}.yaml").is_file() and mine, missing_cases_message(notice_id)
    assert any(c["output"].get("verdict") == "eligible" for c in mine), (
        f"tests/cases/{notice_id}.yaml 中没有 verdict: eligible 的用例：请加一个条件齐全、可以申报的申报人"
    )
    failing = {rule for c in mine for rule in c["output"].get("failing", ())}
    never = [
        rule["id"]
        for rule in bundle["notices"][notice_id]["rules"]
        if rule["severity"] == "blocker" and rule["id"] not in failing
    ]
    assert never == [], (
        f"tests/cases/{notice_id}.yaml 中没有使这些 blocker 规则不通过的用例：{'、'.join(never)}；"
        "请为每条各写一个用例（output.failing 中列出该规则）"
    )


def test_a_notice_without_cases_is_told_what_to_add():
    """The per-notice test fails for a notice with no cases, naming the exact file and how to write it."""
    fake_bundle = {"notices": {"2026-example": {"rules": [{"id": "no-retirees", "severity": "blocker"}]}}}
    with pytest.raises(AssertionError) as failed:
        test_notice_has_cases_covering_every_blocker("2026-example", fake_bundle)
    message = str(failed.value)
    assert message.startswith(missing_cases_message("2026-example"))
    assert "tests/cases/2026-example.yaml" in message and "notice: 2026-example" in message
    assert "python -m generator new" in message and "blocker" in message


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
