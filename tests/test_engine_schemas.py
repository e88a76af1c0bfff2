"""The engine's schemas: Chinese help everywhere, in step with the engine, strict on dates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from generator.engine import FACTS

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
MINE = ["applicant", "result", "rules", "holidays"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def load(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def property_schemas(node, path="#"):
    """(path, schema) of every named property anywhere in a schema, following its keywords."""
    if not isinstance(node, dict):
        return
    for name, sub in node.get("properties", {}).items():
        yield f"{path}/properties/{name}", sub
        yield from property_schemas(sub, f"{path}/properties/{name}")
    for key in ("items", "additionalProperties", "not", "then", "else", "propertyNames"):  # "if" only tests
        if isinstance(node.get(key), dict):
            yield from property_schemas(node[key], f"{path}/{key}")
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for i, sub in enumerate(node.get(key, ())):
            yield from property_schemas(sub, f"{path}/{key}/{i}")
    for name, sub in node.get("$defs", {}).items():
        yield from property_schemas(sub, f"{path}/$defs/{name}")


@pytest.mark.parametrize("name", MINE)
def test_schema_is_valid_2020_12_with_chinese_help_on_every_property(name):
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert CJK.search(schema["title"]) and CJK.search(schema["description"])
    missing = [
        p
        for p, sub in property_schemas(schema)
        if not (CJK.search(sub.get("title", "")) and CJK.search(sub.get("description", "")))
    ]
    assert missing == []


def test_notice_schema_parts_of_the_engine_have_chinese_help():
    schema = load("notice")
    parts = {k: schema["$defs"][k] for k in ("rule", "condition", "parameters")}
    parts["props"] = {"properties": {k: schema["properties"][k] for k in ("reference_date", "parameters", "rules")}}
    parts["when"] = {"properties": {"when": schema["$defs"]["material"]["properties"]["when"]}}
    missing = [
        f"{k}:{p}"
        for k, part in parts.items()
        for p, sub in property_schemas(part)
        if not (CJK.search(sub.get("title", "")) and CJK.search(sub.get("description", "")))
    ]
    assert missing == []


def test_fact_names_in_schemas_match_the_engine():
    notice_condition = load("notice")["$defs"]["condition"]
    rules_condition = load("rules")["$defs"]["condition"]
    assert notice_condition == rules_condition
    assert notice_condition["properties"]["properties"]["propertyNames"]["enum"] == sorted(FACTS)
    assert notice_condition["properties"]["required"]["items"]["enum"] == sorted(FACTS)


def test_facts_depend_only_on_applicant_fields():
    fields = set(load("applicant")["properties"])
    for name, fact in FACTS.items():
        assert set(fact["fields"]) <= fields, name


def test_applicant_schema_has_the_contract_fields():
    contract = {
        "employment_status": ["employed", "retired", "civil_servant", "civil_servant_managed", "freelance"],
        "employer_type": [
            "private_enterprise",
            "state_owned_enterprise",
            "foreign_invested",
            "collective_enterprise",
            "other_enterprise",
            "public_institution",
            "government",
            "other",
        ],
        "employer_location": ["local", "dispatched"],
        "education": ["secondary_vocational", "college", "bachelor", "master", "doctorate", "postdoc"],
        "current_level": ["none", "junior", "intermediate", "deputy_senior", "senior"],
        "target_level": ["junior", "intermediate", "deputy_senior", "senior"],
        "application_type": ["evaluation", "initial", "conferral"],
    }
    props = load("applicant")["properties"]
    for field, values in contract.items():
        assert props[field]["enum"] == values
        assert set(props[field]["x-enum-labels"]) == set(values)
    for field in ["dispatched_months", "village_work_months", "social_insurance_months", "work_summary_chars"]:
        assert props[field]["type"] == "integer"
    for field in ["full_time", "disciplinary_action_active", "first_application", "first_in_scheme"]:
        assert props[field]["type"] == "boolean"
    for field in ["graduated_on", "publicity_start", "publicity_end", "work_started_on", "current_employer_since"]:
        assert props[field]["format"] == "date"
    assert props["county"]["type"] == "string"
    # series and specialty are controlled lists; free text only as 其他
    for field in ["series", "specialty"]:
        assert props[field]["enum"][-1] == "其他" and len(props[field]["enum"]) > 10
    assert {"工程系列", "中小学教师系列", "党干校教师系列"} <= set(props["series"]["enum"])
    item = props["continuing_education"]["items"]
    assert item["required"] == ["year"]
    strict = jsonschema.Draft202012Validator(load("applicant"))
    assert not strict.is_valid({"continuing_education": [{"year": 2024}]})  # hours unless exempt
    assert strict.is_valid({"continuing_education": [{"year": 2024, "exempt": True}]})
    assert strict.is_valid({"continuing_education": [{"year": 2024, "total_hours": 90, "professional_hours": 60}]})
    assert load("applicant").get("required") is None  # every field is optional


@pytest.mark.parametrize(
    "value, valid",
    [
        ("2024-07-01", True),
        ("2024-02-29", True),
        ("2025-13-01", False),
        ("2025-02-29", False),
        ("2025-00-10", False),
        ("2025-1-1", False),
        ("20250101", False),
        ("2025-01-01T00:00", False),
    ],
)
def test_applicant_dates_are_strict_even_without_a_format_checker(value, valid):
    schema = load("applicant")
    strict = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert strict.is_valid({"graduated_on": value}) is valid
    if value != "2025-02-29":  # the pattern alone cannot know February's length
        assert jsonschema.Draft202012Validator(schema).is_valid({"graduated_on": value}) is valid
