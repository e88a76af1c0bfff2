"""The validator's runtime in a real browser: integrity errors end in Chinese within 30 s, and
after one visit the check page, notice pages and templates work with the server gone, while a
rebuilt file is picked up on the next online visit."""

from __future__ import annotations

import functools
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


def test_after_one_visit_the_site_works_offline_and_updates_arrive_online(browser, site_dir, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    server = _Server(copy)
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(server.url + "check/?notice=2025-bortala")
        assert "首次使用需下载约" in page.inner_text("#zc-status-text")
        assert page.evaluate(READY) == "ready"
        page.evaluate(WAIT_STORED)  # not wait_for_function: the page's CSP forbids eval
        assert page.locator("#zc-offline-note").is_visible()

        server.stop()  # airplane mode: nothing answers on the site's address any more
        page.goto(server.url + "check/?notice=2025-bortala")
        assert page.evaluate(READY) == "ready"
        result = page.evaluate("() => window.validator.evaluate('2025-bortala', {})")
        assert result["notice"] == "2025-bortala"
        page.goto(server.url + "notices/2025-bortala/")
        assert "博州" in page.title()
        page.goto(server.url + "templates/")
        assert page.locator("a[href$='.docx']").count() > 0

        # A rebuild changes a page: the next online visit shows it, and it is then kept offline.
        notice = copy / "notices/2025-bortala/index.html"
        html = notice.read_text(encoding="utf-8")
        notice.write_text(html.replace("</h1>", "<span id='zc-updated'>新版</span></h1>", 1), encoding="utf-8")
        for stale in (notice.with_name("index.html.br"), notice.with_name("index.html.gz")):
            stale.unlink(missing_ok=True)
        write_manifest(copy)
        server.start()
        page.goto(server.url + "notices/2025-bortala/")
        assert page.locator("#zc-updated").count() == 1
        stored = page.evaluate("() => localStorage.getItem('zc-offline-version')")
        page.goto(server.url + "check/?notice=2025-bortala")
        assert page.evaluate(READY) == "ready"
        page.evaluate(WAIT_NEWER, stored)  # the worker stored the new version's files
        server.stop()
        page.goto(server.url + "notices/2025-bortala/")
        assert page.locator("#zc-updated").count() == 1
        assert "博州" in page.title()
    finally:
        ctx.close()
        try:
            server.stop()
        except Exception:
            pass
