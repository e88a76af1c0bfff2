"""The validator's runtime in a real browser: integrity errors end in Chinese within 30 s, and
after one visit the check page, notice pages and templates work with the server gone, while a
rebuilt file is picked up on the next online visit."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import time

import pytest
from conftest import _QuietHandler, _QuietServer

from generator.site.offline import write_manifest

pytestmark = pytest.mark.browser

WAIT_STORED = """() => new Promise((resolve) => {
    const tick = () => localStorage.getItem("zc-offline-version") ? resolve(true) : setTimeout(tick, 100);
    tick();
})"""  # the service worker stored its copy

WAIT_NEWER = """(old) => new Promise((resolve) => {
    const tick = () => (localStorage.getItem("zc-offline-version") || old) !== old ? resolve(true) : setTimeout(tick, 100);
    tick();
})"""  # the service worker stored a newer copy than ``old``

WAIT_KEPT = """(prefix) => new Promise((resolve) => {
    const tick = () => caches.keys()
        .then((names) => Promise.all(names.map((name) => caches.open(name).then((c) => c.keys()))))
        .then((lists) => lists.flat().some((r) => r.url.startsWith(prefix)) ? resolve(true) : setTimeout(tick, 100));
    tick();
})"""  # the service worker stored a copy of the page at ``prefix``

READY = """async () => {
    try { await window.validator.ready; return "ready"; } catch (e) { return "error:" + e.message; }
}"""


def _ready_within(page, seconds: float) -> tuple[str, float]:
    t0 = time.monotonic()
    state = page.evaluate(READY)
    return state, time.monotonic() - t0


@pytest.mark.parametrize(
    "name, how, expected",
    [
        ("pyodide.asm.wasm", "corrupt", "未通过 sha256 校验"),
        ("pyodide.asm.wasm", "missing", "HTTP 404"),
        ("python_stdlib-", "corrupt", "Python 标准库"),
        ("pyodide.asm.mjs", "corrupt", "未通过 sha256 校验"),
        ("zhicheng-engine-", "corrupt", "核验程序的 Python 程序包"),
        ("zhicheng-engine-", "missing", "HTTP 404"),
    ],
)
def test_a_missing_or_corrupt_runtime_file_ends_in_a_chinese_error_within_30_s(
    browser, site_dir, tmp_path, name, how, expected
):
    # A copy of the site (hard links) in which one runtime file is damaged or deleted on disk.
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy, copy_function=os.link)
    target = next(p for p in (copy / "assets/pyodide").glob(name + "*") if p.suffix not in (".br", ".gz"))
    data = bytearray(target.read_bytes())
    for path in (target, target.with_name(target.name + ".br"), target.with_name(target.name + ".gz")):
        path.unlink(missing_ok=True)
    if how == "corrupt":
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    server = _Server(copy)
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = ctx.new_page()
    try:
        t0 = time.monotonic()
        page.goto(server.url + "check/?notice=2025-bortala", wait_until="domcontentloaded")
        state = page.evaluate(READY)
        elapsed = time.monotonic() - t0
        assert state.startswith("error:"), state
        assert expected in state and "核验程序加载失败" in state and "刷新页面重试" in state
        assert elapsed < 30, elapsed
        error = page.locator("#zc-error")
        assert error.is_visible() and expected in error.inner_text()
        assert page.locator("#checklist-2025-bortala li[data-item]").first.is_visible()
    finally:
        ctx.close()
        server.stop()


class _Server:
    """The site copy on a fixed port that can be stopped ("no network") and started again."""

    def __init__(self, directory):
        self.directory = directory
        self.port = 0
        self.httpd = None
        self.start()

    def start(self):
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        self.httpd = _QuietServer(("127.0.0.1", self.port), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"


def _mark_updated(site, rel):
    """A rebuild changed this page (its stale pre-compressed copies gone)."""
    page = site / rel / "index.html"
    html = page.read_text(encoding="utf-8")
    page.unlink()  # a new file, not the hard-linked one of the shared build
    page.write_text(html.replace("</h1>", "<span id='zc-updated'>新版</span></h1>", 1), encoding="utf-8")
    for stale in (page.with_name("index.html.br"), page.with_name("index.html.gz")):
        stale.unlink(missing_ok=True)


def test_after_one_visit_the_core_and_pages_read_work_offline_and_updates_arrive_online(browser, big_site, tmp_path):
    """On a site of many notices, online: an old notice page as the very first page (before the
    service worker exists: nothing is downloaded for offline use, its address is remembered), one visit of check/ for another old notice, then a third old notice
    page. Offline: the validator, the three old notices, home, templates and a notice of this
    year open; an old notice never opened shows the site's offline page; search says it needs the
    network. A rebuild then changes a page of this year and an old page read: the next online
    visit shows the new pages, never the old ones, and they are then kept offline."""
    copy = tmp_path / "site"
    shutil.copytree(big_site, copy, copy_function=os.link)
    manifest = json.loads((copy / "offline.json").read_text(encoding="utf-8"))
    old = sorted(
        p.name for p in (copy / "notices").iterdir() if p.is_dir() and f"notices/{p.name}/" not in manifest["files"]
    )
    first, checked, read, unread = old[0], old[1], old[len(old) // 2], old[-1]
    this_year = "notices/2025-urumqi-private-enterprise/"
    assert this_year in manifest["files"] and len(old) >= 50
    server = _Server(copy)
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    try:
        requested: list[str] = []
        ctx.on("request", lambda r: requested.append(r.url))
        page.goto(server.url + f"notices/{first}/")
        page.wait_for_load_state("networkidle")
        first_title = page.title()
        assert first[:4] in first_title
        # A notice page read before the check page downloads nothing for offline use: offline.js
        # only remembers its address for the worker the check page installs.
        assert not [u for u in requested if u.endswith(("/sw.js", "/offline.json")) or "/offline/" in u], requested
        assert f"notices/{first}/" in page.evaluate("() => localStorage.getItem('zc-offline-remembered')")
        page.goto(server.url + f"check/?notice={checked}")
        assert "首次使用需下载约" in page.inner_text("#zc-status-text")
        assert page.evaluate(READY) == "ready"
        page.evaluate(WAIT_STORED)  # not wait_for_function: the page's CSP forbids eval
        page.evaluate(WAIT_KEPT, server.url + f"notices/{first}/?zc-sha256=")  # the remembered page too
        assert page.locator("#zc-offline-note").is_visible()
        page.goto(server.url + f"notices/{read}/")
        read_title = page.title()
        assert read[:4] in read_title

        server.stop()  # airplane mode: nothing answers on the site's address any more
        page.goto(server.url + f"check/?notice={checked}")
        assert page.evaluate(READY) == "ready"
        result = page.evaluate("(id) => window.validator.evaluate(id, {})", checked)
        assert result["notice"] == checked
        page.goto(server.url + f"notices/{checked}/")  # the notice checked: stored with the core
        assert checked[:4] in page.title() and page.locator("#zc-offline-page").count() == 0
        page.goto(server.url + f"notices/{read}/")
        assert page.title() == read_title
        page.goto(server.url + f"notices/{first}/")  # read before the worker was there
        assert page.title() == first_title
        page.goto(server.url)
        assert page.locator("a[href^='notices/']").count() > 0
        page.goto(server.url + "templates/")
        assert page.locator("a[href$='.docx']").count() > 0
        page.goto(server.url + this_year)
        assert "乌鲁木齐" in page.title()
        page.goto(server.url + f"notices/{unread}/")
        assert "当前没有网络" in page.inner_text("body")
        assert page.locator("#zc-offline-page").is_visible()
        page.goto(server.url + "search/?q=继续教育")
        page.locator("[data-search-status]", has_text="搜索需要联网").wait_for()

        # A rebuild changes a page of this year and the old page read: the next online visit
        # shows the new ones, and they are then kept offline.
        _mark_updated(copy, "notices/2025-bortala")
        _mark_updated(copy, f"notices/{read}")
        write_manifest(copy)
        assert json.loads((copy / "offline.json").read_text(encoding="utf-8"))["version"] != manifest["version"]
        server.start()
        page.goto(server.url + f"notices/{read}/")
        assert page.locator("#zc-updated").count() == 1
        stored = page.evaluate("() => localStorage.getItem('zc-offline-version')")
        page.goto(server.url + f"check/?notice={checked}")
        assert page.evaluate(READY) == "ready"
        page.evaluate(WAIT_NEWER, stored)  # the worker stored the new version's core
        page.goto(server.url + "notices/2025-bortala/")
        assert page.locator("#zc-updated").count() == 1
        server.stop()
        for rel in ("notices/2025-bortala/", f"notices/{read}/"):
            page.goto(server.url + rel)
            assert page.locator("#zc-updated").count() == 1, rel
        page.goto(server.url + f"notices/{checked}/")
        assert checked[:4] in page.title() and page.locator("#zc-updated").count() == 0
    finally:
        ctx.close()
        try:
            server.stop()
        except Exception:
            pass
