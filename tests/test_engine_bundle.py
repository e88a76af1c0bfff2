"""build_bundle: shared rules resolved once, clear errors for bad references, JSON only."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from generator.content.bundle import build_bundle
from generator.errors import ContentError

SHARED = {
    "no-retirees": {
        "id": "no-retirees",
        "severity": "blocker",
        "message": "离退休人员不得申报",
        "requires": {"properties": {"employment_status": {"not": {"const": "retired"}}}},
    },
}


def content(rules, materials=(), holidays=None):
    notice = {
        "id": "2099-x",
        "title": "测试",
        "reference_date": "2099-06-30",
        "scope": {"levels": ["junior"], "application_types": ["evaluation"], "items": []},
        "timeline": [],
        "materials": list(materials),
        "rules": rules,
    }
    return SimpleNamespace(
        notices={"2099-x": notice},
        shared_rules=SHARED,
        holidays=holidays or {},
        templates={},
        files={"2099-x": "content/notices/2099-x.yaml"},
        positions={("content/notices/2099-x.yaml", "rules.1.use"): (40, 10)},
    )


def test_use_resolves_with_clause_and_overrides():
    bundle = build_bundle(
        content(
            [
                {"use": "no-retirees", "clause": "五、（三）1"},
                {
                    "use": "no-retirees",
                    "clause": "三、（二）",
                    "id": "no-retirees-2",
                    "message": "退休人员不得申报",
                    "severity": "warning",
                },
            ]
        )
    )
    first, second = bundle["notices"]["2099-x"]["rules"]
    assert first == dict(SHARED["no-retirees"], clause="五、（三）1", shared="no-retirees")
    assert (second["id"], second["message"], second["severity"], second["clause"]) == (
        "no-retirees-2",
        "退休人员不得申报",
        "warning",
        "三、（二）",
    )
    assert second["requires"] == SHARED["no-retirees"]["requires"]
    assert SHARED["no-retirees"].get("clause") is None  # the shared rule itself is untouched


def test_bundle_is_plain_json_with_schema_fields_and_holidays():
    holidays = {"2040": {"holidays": ["2040-01-02"], "workdays": [], "source": "国办发明电"}}
    bundle = build_bundle(
        content(
            [{"use": "no-retirees", "clause": "一"}],
            materials=[
                {
                    "id": "m",
                    "title": "材料",
                    "required": True,
                    "clause": "一",
                    "when": {"properties": {"publicity_long_enough": {"const": True}}},
                }
            ],
            holidays=holidays,
        )
    )
    assert json.loads(json.dumps(bundle, ensure_ascii=False)) == bundle
    assert bundle["version"] == 1
    assert bundle["holidays"] == holidays
    assert bundle["applicant_schema"]["title"] == "申报人档案"
    assert bundle["notices"]["2099-x"]["profile_fields"] == ["employment_status", "publicity_start", "publicity_end"]


def test_unknown_shared_rule_is_reported_at_its_line():
    with pytest.raises(ContentError) as info:
        build_bundle(content([{"use": "no-retirees", "clause": "一"}, {"use": "no-retireez", "clause": "二"}]))
    assert str(info.value) == (
        "content/notices/2099-x.yaml:40:10: rules[1].use：共享规则 'no-retireez' 不存在；可用：no-retirees"
    )


def test_duplicate_rule_ids_and_unknown_facts():
    with pytest.raises(ContentError) as info:
        build_bundle(
            content(
                [
                    {"use": "no-retirees", "clause": "一"},
                    {"use": "no-retirees", "clause": "二"},
                    {
                        "id": "x",
                        "severity": "info",
                        "clause": "三",
                        "message": "m",
                        "requires": {"properties": {"age": {}}},
                    },
                ]
            )
        )
    lines = str(info.value).splitlines()
    assert "rules[1]：规则标识 'no-retirees' 重复" in lines[0]
    assert "rules[2].requires：未知的事实 'age'" in lines[1]
