"""The site's JavaScript: ES modules sharing assets/javascripts/lib/, linted by ESLint, cached offline.

ESLint is pinned in package.json (installed by `make setup`); eslint.config.js says which files are
modules, classic scripts, workers or Node scripts. These tests run in `make test-fast`.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

ROOT = Path(__file__).resolve().parent.parent
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
# Classic scripts that must run where they stand (see eslint.config.js and mkdocs.yml): Material's
# bundle and bootstraps, and validator.js, which defines window.validator for the check page.
CLASSIC = re.compile(
    r"assets/javascripts/(bundle\.[0-9a-f]+\.min|md-bootstrap|md-content|md-palette|md-deferred)\.js$"
    r"|assets/validator/validator\.js$"
)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.S)
STATIC_IMPORT = re.compile(r"^\s*(?:import|export)\b[^;]*?\bfrom\s+\"([^\"]+)\"|^\s*import\s+\"([^\"]+)\"", re.M)


def eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    if not ESLINT.exists():
        pytest.fail(f"没有找到 ESLint（{ESLINT}）：请先运行 make setup（npm ci 安装 package.json 中固定版本的 ESLint）")
    return subprocess.run([str(ESLINT), *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=300)


def our_sources() -> set[str]:
    """Every .js/.mjs of the project's own (not node_modules, build output or vendored copies)."""
    out = set()
    for pattern in ("**/*.js", "**/*.mjs"):
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT).as_posix()
            if rel.split("/")[0] in {"node_modules", "site", ".cache", ".venv", "bench-results", ".git"}:
                continue
            if "/vendor/" in rel:
                continue
            out.add(rel)
    return out


def test_eslint_is_clean_on_every_js_file_of_ours():
    run = eslint("--max-warnings", "0", "--format", "json", ".")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"ESLint 没有运行成功：{run.stderr or run.stdout}")
    linted = {Path(r["filePath"]).relative_to(ROOT).as_posix() for r in report}
    # Every source file is linted (none escapes through an ignore pattern) …
    assert our_sources() <= linted, f"ESLint 没有检查：{sorted(our_sources() - linted)}"
    assert "site_overrides/assets/javascripts/lib/dom.js" in linted and "site_overrides/sw.js" in linted
    # … and nothing is found.
    problems = [
        f"{Path(r['filePath']).relative_to(ROOT)}:{m.get('line')}:{m.get('column')} {m.get('ruleId')} {m['message']}"
        for r in report
        for m in r["messages"]
    ]
    assert not problems and run.returncode == 0, "\n".join(problems) or run.stderr


def test_eslint_rejects_html_built_from_strings_and_var():
    """The lint is not a formality: innerHTML with data and ES5 `var` in a page module fail it."""
    code = 'const data = location.hash;\ndocument.body.innerHTML = data;\nvar x = 1;\nexport { x };\n'
    run = eslint(
        "--format", "json", "--stdin", "--stdin-filename", "site_overrides/assets/javascripts/probe.js", stdin=code
    )
    rules = {m["ruleId"] for r in json.loads(run.stdout) for m in r["messages"]}
    assert run.returncode == 1 and {"no-restricted-syntax", "no-var"} <= rules, run.stdout


def _scripts(raw: str) -> list[dict]:
    out = []
    for attrs in SCRIPT.findall(raw):
        src = re.search(r'\bsrc="([^"]+)"', attrs)
        kind = re.search(r'\btype="([^"]+)"', attrs)
        out.append({"src": src.group(1) if src else None, "type": kind.group(1) if kind else None})
    return out


def test_pages_load_our_scripts_as_modules(site_dir):
    """Every script of ours is an ES module, except the few that must run synchronously."""
    pages = sorted(site_dir.rglob("*.html"))
    seen_modules = set()
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        for script in _scripts(raw):
            if script["src"] is None:
                assert script["type"] == "application/json", f"{page}: inline script"
                continue
            if script["type"] == "module":
                seen_modules.add(script["src"].rsplit("/", 1)[-1])
            else:
                assert CLASSIC.search(script["src"]), (
                    f"{page.relative_to(site_dir)}: 经典脚本 {script['src']} 应为 type=module"
                )
    assert {
        "site.js",
        "status.js",
        "timeline.js",
        "search.js",
        "offline.js",
        "check.js",
        "prefill.js",
        "batch.js",
    } <= seen_modules


def test_every_module_and_what_it_imports_is_kept_for_offline_use(site_dir):
    """The service worker precaches offline.json's list: each page module and every module it
    imports (lib/dom.js, lib/util.js, attachments/*, vendored fflate) must be in it."""
    manifest = json.loads((site_dir / "offline.json").read_text(encoding="utf-8"))["files"]
    base = "https://site.invalid/"
    todo = set()
    for page in ("index.html", "check/index.html", "templates/hami-publicity/index.html", "calendar/index.html"):
        raw = (site_dir / page).read_text(encoding="utf-8")
        page_url = urljoin(base, page)
        todo |= {urljoin(page_url, s["src"]) for s in _scripts(raw) if s["type"] == "module"}
    done = set()
    while todo:
        url = todo.pop()
        done.add(url)
        rel = url[len(base) :]
        assert rel in manifest, f"{rel} 不在 offline.json 中，离线时无法加载"
        text = (site_dir / rel).read_text(encoding="utf-8")
        for match in STATIC_IMPORT.finditer(text):
            target = urljoin(url, match.group(1) or match.group(2))
            if target not in done:
                todo.add(target)
    names = {u[len(base) :] for u in done}
    assert {
        "assets/javascripts/lib/dom.js",
        "assets/javascripts/lib/util.js",
        "assets/javascripts/attachments/docx.js",
        "assets/vendor/fflate/browser.js",
    } <= names
