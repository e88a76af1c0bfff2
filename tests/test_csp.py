"""A strict Content-Security-Policy on every page, and the site works under it.

The static part reads every built page: the policy of generator/site/csp.py is the first element of
<head>, no executable inline script and no inline event handler exists. The browser part serves the
site with the same policy also as an HTTP header (as deploy/ does, so the validator's Web Worker is
under it too) and uses the colour-scheme toggle, search, the check page and a template page in
Chromium: no console error and no `securitypolicyviolation` event.
"""

from __future__ import annotations

import functools
import re
import threading

import pytest
from conftest import _QuietHandler, _QuietServer

from generator.site.csp import HEADER_POLICY, META_POLICY

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\s on[a-z]+\s*=", re.I | re.X)


def test_policy_is_strict():
    directives = dict(part.strip().split(" ", 1) for part in META_POLICY.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert "unsafe-inline" not in META_POLICY and "unsafe-eval" not in META_POLICY.replace("wasm-unsafe-eval", "")
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "frame-ancestors" not in directives  # ignored in <meta>, with a console error
    assert HEADER_POLICY == META_POLICY + "; frame-ancestors 'none'"


def test_every_page_has_the_policy_and_no_inline_code(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        head = raw[raw.index("<head>") : raw.index("</head>")]
        first = re.search(r"<(meta|link|script|style|title)\b[^>]*>", head)
        assert first and "Content-Security-Policy" in first.group(0), f"{page}: policy is not first"
        assert f'content="{META_POLICY.replace(chr(39), "&#39;")}"' in first.group(0), first.group(0)
        assert not INLINE_SCRIPT.search(raw), f"{page}: inline script {INLINE_SCRIPT.search(raw).group(0)}"
        assert not EVENT_ATTR.search(raw), f"{page}: inline event handler"
        assert "javascript:" not in raw.lower(), f"{page}: javascript: URL"
        # style-src 'self': no inline style attribute or element anywhere
        assert not re.search(r"<style\b|\sstyle=", raw), f"{page}: inline style"


class _CSPHandler(_QuietHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", HEADER_POLICY)
        super().end_headers()


@pytest.fixture(scope="module")
def csp_server(site_dir):
    handler = functools.partial(_CSPHandler, directory=str(site_dir))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


RECORD = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


@pytest.fixture
def csp_page(browser, csp_server):
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.route(lambda url: not url.startswith(csp_server), lambda route: route.abort())
    ctx.add_init_script(RECORD)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    yield page
    ctx.close()


def wait_for(page, expression: str, timeout: float = 60.0) -> None:
    """page.wait_for_function evaluates its predicate with eval() inside the page, which the
    policy forbids; page.evaluate goes through the DevTools protocol and is not subject to it."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def _assert_clean(page):
    violations = page.evaluate("window.__csp")
    assert not violations, violations
    assert not page.errors, page.errors


@pytest.mark.browser
def test_header_is_served(csp_page, csp_server):
    response = csp_page.goto(csp_server)
    assert response.headers["content-security-policy"] == HEADER_POLICY


@pytest.mark.browser
def test_colour_scheme_toggle_and_search_work_under_the_policy(csp_page, csp_server):
    page = csp_page
    page.goto(csp_server + "notices/2025-bortala/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    wait_for(page, f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")
    after = page.get_attribute("body", "data-md-color-scheme")
    # The saved choice is applied by md-palette.js on the next page, before painting.
    page.goto(csp_server + "regions/bortala/")
    assert page.get_attribute("body", "data-md-color-scheme") == after
    # The header search (search.js + Pagefind's pagefind.js and wasm) under the policy.
    box = page.locator("#zc-search-input")
    box.click()
    page.keyboard.type("继续教育")
    page.wait_for_selector("[data-zc-search-panel] li a", timeout=30_000)
    page.goto(csp_server + "search/?q=评审费")
    page.wait_for_selector("[data-search-results] li a", timeout=30_000)
    _assert_clean(page)


@pytest.mark.browser
def test_check_page_validates_under_the_policy(csp_page, csp_server):
    page = csp_page
    page.goto(csp_server + "check/?notice=2025-bortala")
    wait_for(page, "window.validator.state.status !== 'loading'", timeout=120)
    assert page.evaluate("window.validator.state.status") == "ready", page.inner_text("#zc-status")
    result = page.evaluate("window.validator.evaluate('2025-bortala', {})")
    assert result["verdict"] == "incomplete"
    _assert_clean(page)


@pytest.mark.browser
def test_template_page_works_under_the_policy(csp_page, csp_server):
    page = csp_page
    page.goto(csp_server + "templates/urumqi-pe-publicity/")
    page.fill("#zc-f-applicant_name", "王小明")
    wait_for(page, "document.getElementById('zc-doc').textContent.includes('王小明')")
    _assert_clean(page)
