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


# --- the bundle split for the browser (data/engine/) and the engine's incremental Api -------------


@pytest.fixture(scope="module")
def real_bundle():
    from pathlib import Path

    from generator.content.load import load_content

    return build_bundle(load_content(Path(__file__).resolve().parent.parent / "content"))


def test_engine_files_are_a_core_year_indexes_and_one_file_per_notice(real_bundle):
    import hashlib

    from generator.content.bundle import engine_files

    files = engine_files(real_bundle)
    core = json.loads(files["core.json"])
    assert "notices" not in core
    assert {k: v for k, v in core.items() if k != "years"} == {k: v for k, v in real_bundle.items() if k != "notices"}
    years = {i[:4] for i in real_bundle["notices"]}
    assert set(core["years"]) == years
    listed = {}
    for year, sha in core["years"].items():
        assert hashlib.sha256(files[f"year-{year}.json"]).hexdigest() == sha
        listed.update(json.loads(files[f"year-{year}.json"]))
    assert set(listed) == set(real_bundle["notices"])
    for notice_id, sha in listed.items():
        data = files[f"{notice_id}.json"]
        assert hashlib.sha256(data).hexdigest() == sha
        # The very notice of the bundle, key order included (the engine's output follows it).
        assert data.decode("utf-8") == json.dumps(
            real_bundle["notices"][notice_id], ensure_ascii=False, separators=(",", ":")
        )
    assert set(files) == {"core.json"} | {f"year-{y}.json" for y in years} | {f"{i}.json" for i in listed}


def test_api_with_notices_added_one_by_one_answers_as_the_whole_bundle(real_bundle):
    from generator.content.bundle import engine_files
    from generator.engine.api import Api, handle

    files = engine_files(real_bundle)
    api = Api(files["core.json"].decode("utf-8"))
    profile = {"employment_status": "employed", "education": "bachelor"}
    for notice_id in real_bundle["notices"]:
        request = {"type": "evaluate", "data": {"notice": notice_id, "profile": profile, "today": "2025-10-01"}}
        before = json.loads(api.call_json(json.dumps(request)))
        assert before["ok"] is False and "未知的通知" in before["data"]["message"]
        added = json.loads(api.add_notice(files[f"{notice_id}.json"].decode("utf-8"), notice_id))
        assert added == {"ok": True, "data": {"notice": notice_id}}
        assert json.loads(api.call_json(json.dumps(request))) == json.loads(
            json.dumps(handle(real_bundle, request), ensure_ascii=False)
        )
        window = {"type": "window", "data": {"notice": notice_id, "today": "2025-10-01T12:00"}}
        assert json.loads(api.call_json(json.dumps(window))) == handle(real_bundle, window)
    # Unknown ids: the same message whichever notices are loaded.
    unknown = {"type": "evaluate", "data": {"notice": "2099-nowhere", "profile": {}}}
    assert json.loads(api.call_json(json.dumps(unknown))) == handle(real_bundle, unknown)
    assert json.loads(Api(files["core.json"].decode()).call_json(json.dumps(unknown))) == handle(real_bundle, unknown)


def test_api_refuses_what_is_not_the_notice_asked_for(real_bundle):
    from generator.content.bundle import engine_files
    from generator.engine.api import Api

    files = engine_files(real_bundle)
    api = Api(files["core.json"].decode("utf-8"))
    text = files["2025-bortala.json"].decode("utf-8")
    wrong = json.loads(api.add_notice(text, "2023-hami"))
    assert wrong["ok"] is False and "与所请求的通知不符" in wrong["data"]["message"]
    assert json.loads(api.add_notice("{not json", "2025-bortala"))["data"]["message"].startswith(
        "通知规则数据不是有效的 JSON"
    )
    assert "通知规则数据无效" in json.loads(api.add_notice("[1, 2]"))["data"]["message"]
    assert api.bundle["notices"] == {}


def test_plain_copy_is_a_deep_copy_of_loaded_content(real_bundle):
    """The bundle copies notices with plain_copy instead of copy.deepcopy: equal, and sharing no
    dict or list with the original (changing the copy leaves the content as it was)."""
    import copy

    from generator.content.bundle import plain_copy

    def containers(node, out):
        if isinstance(node, (dict, list)):
            out.append(id(node))
            for value in node.values() if isinstance(node, dict) else node:
                containers(value, out)
        return out

    odd = {"a": [1, {"b": (2, [3])}], "c": None, "d": 1.5, "e": True}
    for original in [*real_bundle["notices"].values(), odd]:
        copied = plain_copy(original)
        assert copied == copy.deepcopy(original) == original
        assert not set(containers(copied, [])) & set(containers(original, []))
    copied = plain_copy(odd)
    copied["a"][1]["b"][1].append(4)  # inside a tuple: deep-copied as deepcopy does
    assert odd["a"][1]["b"] == (2, [3])
