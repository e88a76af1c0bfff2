"""The published site serves our scripts and style sheets without their comments, code unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.slim import SCRIPTS, STYLES, slim_css, slim_js

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "site_overrides"


def code_lines(text: str) -> list[str]:
    """Lines of ``text`` that are not only a comment (the same reading as slim_js, done simply)."""
    out, block = [], False
    for line in text.splitlines():
        s = line.strip()
        if block:
            block = "*/" not in s
            continue
        if s.startswith("//"):
            continue
        if s.startswith("/*"):
            block = "*/" not in s[2:]
            continue
        out.append(line)
    return out


def test_slim_js_drops_comment_lines_and_keeps_code():
    src = "// a\nconst a = 1; // kept: code before it\n/* b\n   c */\n/** d */\nexport { a };\n"
    assert slim_js(src) == "const a = 1; // kept: code before it\nexport { a };\n"


def test_slim_js_leaves_files_it_cannot_read_line_by_line():
    for src in (
        "const t = `\n// not a comment\n`;\n",
        'const s = "a\\\n// b";\n',
        "/* a */ const x = 1;\n/* b\n*/ y();\n",
    ):
        assert slim_js(src) == src


def test_slim_css_drops_comments():
    assert slim_css("/* a */\n.x { color: red; } /* b */\n.y{}\n") == ".x { color: red; } .y{}\n"


def test_built_site_serves_our_scripts_and_styles_without_comments(site_dir):
    scripts = sorted((OVERRIDES / SCRIPTS).rglob("*.js"))
    assert len(scripts) >= 10, "our page scripts are where slim expects them"
    saved = 0
    for src in scripts:
        rel = src.relative_to(OVERRIDES)
        built = (site_dir / rel).read_text(encoding="utf-8")
        text = src.read_text(encoding="utf-8")
        assert built.splitlines() == code_lines(text), rel  # the code, line for line, and nothing else
        assert not any(line.strip().startswith("//") for line in built.splitlines()), rel
        saved += len(text.encode()) - len(built.encode())
    for rel in STYLES:
        built = (site_dir / rel).read_text(encoding="utf-8")
        assert "/*" not in built, rel
        saved += (OVERRIDES / rel).stat().st_size - len(built.encode())
    assert saved > 5000  # what a page no longer downloads: about 9 KB over the scripts every page loads


@pytest.mark.parametrize("rel", ["assets/javascripts/bundle", "assets/validator/worker.js"])
def test_slim_leaves_material_and_validator_files_alone(site_dir, rel):
    if rel.endswith(".js"):
        assert (site_dir / rel).read_bytes() == (OVERRIDES / rel).read_bytes()
    else:
        bundles = list((site_dir / "assets/javascripts").glob("bundle.*.min.js"))
        assert bundles, "Material's bundle is in the site"
        assert b"sourceMappingURL" in bundles[0].read_bytes()  # Material's file as shipped
