"""HTML is written by page templates (Jinja, autoescaped), never by string-building in Python.

Checked on the source: no string literal or f-string in generator/ contains an HTML element,
except in the handful of Jinja *filters* of generator/site/fmt.py (each escapes with markupsafe),
the Markdown stash's patterns and placeholder (generator/site/stash.py), the headings that
generator/site/plainpage.py writes exactly as Python-Markdown would (text without any character
that needs escaping) and docstrings. A page or form change therefore happens in a ``.html`` page template.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(
    r"<(/?)(a|article|br|button|details|div|figure|form|h[1-6]|input|label|li|ol|option|p|rect|"
    r"script|section|select|small|span|strong|svg|table|tbody|td|text|textarea|th|thead|tr|ul)\b"
)
# Jinja filters registered by fmt.install: inline markup for one value, escaped with markupsafe.
FILTERS = {("generator/site/fmt.py", name) for name in ("rich", "clause", "status_badge")}
# The Markdown stash (site/stash.py) matches raw HTML blocks and leaves a placeholder element.
FILTERS |= {("generator/site/stash.py", None)}
# Headings of generated pages written as Python-Markdown's toc extension writes them (site/plainpage.py).
FILTERS |= {("generator/site/plainpage.py", "render")}


def literals(tree: ast.AST):
    """(function name, node) for every string literal and f-string that is not a docstring."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))

    def visit(node, func):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            func = node.name
        if isinstance(node, ast.JoinedStr):
            yield func, node
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield func, node
        for child in ast.iter_child_nodes(node):
            yield from visit(child, func)

    yield from visit(tree, None)


def html_in_python() -> list[str]:
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func, node in literals(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            else:
                text = node.value
            if TAG.search(text) and (rel, func) not in FILTERS:
                found.append(f"{rel}:{node.lineno} ({func}): {text[:60]!r}")
    return found


def test_no_html_is_built_in_python():
    assert html_in_python() == []


def test_the_check_sees_an_f_string_element(tmp_path, monkeypatch):
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "page.py").write_text('def row(x):\n    return f"<tr><td>{x}</td></tr>"\n')
    import sys

    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert html_in_python() == ["generator/page.py:2 (row): '<tr><td></td></tr>'"]
