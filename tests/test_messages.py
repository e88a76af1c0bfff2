"""One Chinese vocabulary for schema errors: content files and applicant profiles read alike."""

from __future__ import annotations

import pytest

from generator.content.validate import schema_messages
from generator.engine.profile import profile_problems

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "months": {"type": "integer", "minimum": 0, "maximum": 12, "title": "月数"},
        "level": {"enum": ["junior", "senior"], "title": "级别", "x-enum-labels": {"junior": "初级", "senior": "高级"}},
        "on": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$", "title": "日期"},
        "courses": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year"],
                "title": "一门课程",
                "properties": {"year": {"type": "integer", "title": "年度"}},
            },
            "title": "课程",
        },
    },
}


@pytest.mark.parametrize(
    "doc, field, message",
    [
        ({"months": "3"}, "months", "months（月数）应为整数，实际是文字 \"3\"（数字不要加引号）"),
        ({"months": 13}, "months", "months（月数）的值 13 不能大于 12"),
        (
            {"level": "middle"},
            "level",
            "level（级别）的值 \"middle\" 不在允许的取值中：\"junior\"（初级）、\"senior\"（高级）",
        ),
        (
            {"on": "2025-7-1"},
            "on",
            "on（日期）的值 \"2025-7-1\" 不是有效日期：格式为 YYYY-MM-DD，月份 01–12，且该日须存在（如 2024-07-01）",
        ),
        ({"courses": [{}]}, "courses[0]", "courses[0]（一门课程）缺少必填字段 year（年度）"),
    ],
)
def test_content_and_profile_errors_share_one_wording(doc, field, message):
    """The same schema error reads the same in `check` (editors) and in the validator (applicants)."""
    content = [m for _, m, _ in schema_messages(doc, SCHEMA)]
    applicant = profile_problems(SCHEMA, doc)
    assert content == [message]
    assert applicant == [{"field": field, "message": message}]


def test_editors_get_did_you_mean_and_yaml_hints_applicants_do_not():
    doc = {"mnths": 3}
    assert [m for _, m, _ in schema_messages(doc, SCHEMA)] == ["未知字段 mnths：你是不是想写 months？"]
    assert profile_problems(SCHEMA, doc)[0]["message"] == "未知字段 mnths：没有这个字段（请检查拼写）"
    yes = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
    assert "YAML" in schema_messages({"ok": "yes"}, yes)[0][1]
    assert "YAML" not in profile_problems(yes, {"ok": "yes"})[0]["message"]
