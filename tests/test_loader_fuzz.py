"""Any text gives either a parsed document or Chinese problems with a position — never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.load import load_schema
from generator.content.validate import schema_messages
from generator.errors import ContentError

YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab1 :-[]{},&*!|>'\"#\t\n?%@`\\.2025年通知\x00\x85\ufeff")), max_size=80
)
SCHEMA = load_schema("notice.schema.json")
ROOT = Path(__file__).resolve().parent.parent


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_parse_never_crashes(text):
    from generator.content.yamlio import parse_yaml

    try:
        loaded = parse_yaml(text, "x.yaml")
        assert loaded.values[""] == (1, 1)
    except ContentError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.path == "x.yaml"
            assert problem.message and "\n" not in problem.message
            assert problem.line >= 0 and problem.col >= 0
        return
    # Whatever parsed validates to messages (possibly none) without raising.
    for _dotted, message, _ in schema_messages(loaded.data, SCHEMA.data):
        assert message


EXAMPLE_LINES = (
    (Path(__file__).resolve().parent / "example-files" / "positive" / "2026-example.yaml")
    .read_text(encoding="utf-8")
    .splitlines()
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(EXAMPLE_LINES) - 1),
            st.sampled_from(["drop", "dup", "indent", "dedent", "value"]),
            st.sampled_from(["", "x", "2026-02-30", "[]", "{}", "null", "-1", "https://a", "- a", "true"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_notice_gives_problems_not_crashes(tmp_path_factory, edits):
    """Structural damage anywhere in a valid notice is reported with positions; checks never crash."""
    from generator.content.load import collect

    lines = list(EXAMPLE_LINES)
    for index, action, value in edits:
        index %= len(lines)
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index][2:] if lines[index].startswith("  ") else lines[index]
        elif ":" in lines[index]:
            lines[index] = lines[index].split(":", 1)[0] + ": " + value
        if not lines:
            lines = ["x: 1"]
    path = tmp_path_factory.mktemp("fuzz") / "2026-example.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = collect(ROOT / "content", [path])
    for problem in result.problems:
        assert problem.path.endswith("2026-example.yaml"), problem
        assert problem.message and "\n" not in problem.message
