"""The package's layers, checked on the source: imports only point down, and there is no cycle.

Layers, top to bottom (docs/dev/ARCHITECTURE.md draws them):

    cli                      the command line: one module per command
    site                     the MkDocs plugin and its page kinds
    authoring | browser      editors' tools (new, diff, cases) | the Pyodide runtime assembly
    content                  YAML with positions, schema messages, checks, the engine bundle
    attachments              the attachment forms, their .docx and HTML renderers, sheet rows
    engine                   the rules engine: pure (stdlib + jsonschema + chinese_calendar)

A module may import its own layer and any layer below it; ``authoring`` and ``browser`` do not
import each other. ``generator.errors`` (the user-facing error types) and ``generator.schemas``
(the JSON Schemas shipped as package data) sit under every layer but the engine, which imports
nothing of the project outside ``generator.engine`` — it is shipped alone to the browser.
Every import counts, also one inside a function: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"

LAYERS = (("cli",), ("site",), ("authoring", "browser"), ("content",), ("attachments",), ("engine",))
FOUNDATION = ("errors", "resources")  # usable by every layer except the engine
ENGINE_THIRD_PARTY = {"jsonschema", "chinese_calendar"}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(path: Path, name: str, known: dict) -> set[str]:
    """Every module of the project and every top-level outside package that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                head = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(head + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def owner(module: str) -> str | None:
    """The layer (or foundation module) of a project module, e.g. ``content``; None for ``generator``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def rank(layer: str) -> int:
    for i, names in enumerate(LAYERS):
        if layer in names:
            return i
    raise AssertionError(f"generator.{layer} belongs to no layer: add it to LAYERS or FOUNDATION")


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, name, known) for name, path in known.items()}


def test_every_module_belongs_to_a_layer():
    for name in modules():
        layer = owner(name)
        if layer is not None and layer not in FOUNDATION and layer not in ("__main__",):
            rank(layer)


def test_imports_point_down_the_layers():
    wrong = []
    for name, targets in graph().items():
        mine = owner(name)
        for target in sorted(targets):
            if target != "generator" and not target.startswith("generator."):
                continue
            theirs = owner(target)
            if mine in (None, "__main__") or theirs is None or theirs == mine:
                continue
            if mine in FOUNDATION:
                wrong.append(f"{name} → {target}: the foundation imports no layer")
            elif theirs in FOUNDATION:
                if mine == "engine":
                    wrong.append(f"{name} → {target}: the engine imports nothing outside generator.engine")
            elif rank(theirs) <= rank(mine):
                wrong.append(f"{name} → {target}: {mine} may not import {theirs}")
    assert wrong == []


def test_the_engine_stays_pure():
    """stdlib + jsonschema + chinese_calendar: what runs in Pyodide."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    wrong = []
    for name, targets in graph().items():
        if owner(name) != "engine":
            continue
        for target in targets:
            top = target.split(".")[0]
            if top == "generator":
                if target != "generator" and owner(target) != "engine":
                    wrong.append(f"{name} → {target}")
            elif top not in stdlib and top not in ENGINE_THIRD_PARTY:
                wrong.append(f"{name} → {target}")
    assert wrong == []


def test_no_import_cycle():
    known = modules()
    edges = {n: {t for t in ts if t in known} for n, ts in graph().items()}
    # A package imports its own submodules to re-export them; that is not a cycle back into it.
    for name in edges:
        edges[name] = {t for t in edges[name] if not t.startswith(name + ".") and not name.startswith(t + ".")}
    cycles, index, low, stack, on, counter = [], {}, {}, [], set(), [0]

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_checker_sees_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The rules above are not vacuous: a planted upward import and a planted cycle are caught."""
    fake = tmp_path / "generator"
    for rel, text in {
        "__init__.py": "",
        "engine/__init__.py": "",
        "engine/a.py": "from generator.engine import b\nfrom generator.site import page\n",
        "engine/b.py": "def f():\n    from generator.engine.a import x\n",
        "site/__init__.py": "",
        "site/page.py": "",
    }.items():
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    import pytest

    with pytest.raises(AssertionError, match="site"):
        test_imports_point_down_the_layers()
    with pytest.raises(AssertionError, match="generator.engine.a"):
        test_no_import_cycle()
