"""``route``: where papers and fees go (issue 10, part 4), from the notice's own data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.content.bundle import build_bundle
from generator.content.load import load_content
from generator.engine import evaluate

ROOT = Path(__file__).resolve().parent.parent
PROFILE = json.loads((ROOT / "tests" / "cases" / "profiles" / "bortala-engineer.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(load_content(ROOT / "content"))


@pytest.mark.parametrize("unit_level, where", [("prefecture", "州人社局413办公室"), ("county", "各县(市)人社部门")])
def test_the_office_follows_the_applicants_unit(bundle, unit_level, where):
    route = evaluate(bundle, "2025-bortala", {**PROFILE, "unit_level": unit_level})["route"]
    [dest] = route["paper"]["destinations"]
    assert dest["status"] == "yours" and dest["where"].startswith(where)
    assert route["paper"]["copies"] == 2 and "三个工作日" in route["paper"]["deadline"]


def test_unknown_unit_lists_both_offices_and_asks(bundle):
    result = evaluate(bundle, "2025-bortala", PROFILE)
    dests = result["route"]["paper"]["destinations"]
    assert len(dests) == 2 and all(d["missing"] == ["unit_level"] for d in dests)
    assert "unit_level" in result["optional_questions"]
    assert "unit_level" in bundle["notices"]["2025-bortala"]["profile_fields"]


def test_the_fee_is_the_target_levels(bundle):
    fees = evaluate(bundle, "2025-bortala", {**PROFILE, "target_level": "junior"})["route"]["fees"]
    assert [i["amount_cny"] for i in fees["items"]] == [150]
    fees = evaluate(bundle, "2025-bortala", {})["route"]["fees"]
    assert sorted(i["amount_cny"] for i in fees["items"]) == [150, 300] and fees["missing"] == ["target_level"]


def test_online_only_notice_has_no_paper(bundle):
    online = [n for n, d in bundle["notices"].items() if (d.get("submission") or {}).get("online_only")]
    assert online
    route = evaluate(bundle, online[0], {})["route"]
    assert route["online_only"] is True and "paper" not in route
