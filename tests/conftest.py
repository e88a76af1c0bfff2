"""Shared fixtures: a fresh build of the real site, a local server, and headless Chromium.

Browser tests use Debian's /usr/bin/chromium through Python Playwright (never a downloaded
browser). Locally a missing browser skips those tests; with CI=true it is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property tests explore new inputs locally; in CI they replay a fixed sequence so that a run
# is reproducible; an input found failing locally belongs in an explicit @example.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    _hypothesis_settings.load_profile("ci")


def _build_site(out: Path) -> str | None:
    """``mkdocs build --strict`` into ``out``; the build's output when it failed, else None."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return None if proc.returncode == 0 else f"{proc.stdout}\n{proc.stderr}"


def _shared(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` (→ the output's path, or a failure text) once per test run.

    Under pytest-xdist the workers share one build: the first to take the file lock builds into
    the run's common temp folder, the others wait and reuse it (or report the same failure).
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        result = build(tmp_path_factory.mktemp(name))
        if isinstance(result, str):
            pytest.fail(f"{name}: build failed:\n{result}")
        return result
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    status = shared / "status"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not status.exists():
            result = build(shared / "out")
            status.write_text(result if isinstance(result, str) else f"ok:{result}", encoding="utf-8")
        text = status.read_text(encoding="utf-8")
    if not text.startswith("ok:"):
        pytest.fail(f"{name}: build failed:\n{text}")
    return Path(text[3:])


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """A fresh ``mkdocs build --strict`` of the real content, once per test run (shared by the
    pytest-xdist workers)."""

    def build(folder: Path):
        out = folder / "site"
        return _build_site(out) or out

    return _shared(tmp_path_factory, "site", build)


BIG_SITE_NOTICES = 60


@pytest.fixture(scope="session")
def big_site(tmp_path_factory) -> Path:
    """The site built with the bundled notices plus synthetic copies in earlier years, 60 in all
    (benchmarks/synthetic.py, as ``make bench`` does), once per test run; the project (with its
    ``content/``) is the folder above it."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import make_project

    def build(folder: Path):
        project = make_project(folder / "project", BIG_SITE_NOTICES)
        site = folder / "site"
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--site-dir", str(site)],
            cwd=project,
            capture_output=True,
            text=True,
        )
        return site if proc.returncode == 0 else proc.stdout + proc.stderr

    return _shared(tmp_path_factory, "big-site", build)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".ics": "text/calendar",
        ".whl": "application/zip",
    }

    def log_message(self, *args):  # keep test output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that closes a connection early (page navigated away) is not an error."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def http_server(site_dir):
    """Serves the built site on 127.0.0.1 with a random port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"找不到 Chromium（{CHROMIUM}）：请运行 apt-get install -y chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class RequestLog:
    """Every URL a page requested; ``foreign()`` lists those not on the local server."""

    def __init__(self, base_url: str):
        self.base = urlparse(base_url)
        self.urls: list[str] = []

    def record(self, request):
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        bad = []
        for url in self.urls:
            u = urlparse(url)
            if u.scheme in {"data", "blob", "about"}:
                continue
            if (u.hostname, u.port) != (self.base.hostname, self.base.port):
                bad.append(url)
        return bad


@pytest.fixture
def page_factory(browser, http_server):
    """Opens pages in fresh contexts; at teardown fails if any request left the local origin."""
    contexts = []
    logs: list[RequestLog] = []

    def make(*, mobile: bool = False, storage_state=None):
        # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval() inside
        # the page, which the site's Content-Security-Policy forbids. The policy itself is tested
        # without this bypass in tests/test_csp.py.
        kwargs = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "bypass_csp": True}
        if mobile:
            kwargs.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
        if storage_state is not None:
            kwargs["storage_state"] = storage_state
        ctx = browser.new_context(**kwargs)
        log = RequestLog(http_server)
        ctx.on("request", log.record)
        # Anything aimed at another host is aborted, and reported below.
        ctx.route(lambda url: not url.startswith(http_server), lambda route: route.abort())
        contexts.append(ctx)
        logs.append(log)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.request_log = log
        return page

    yield make
    foreign = [u for log in logs for u in log.foreign()]
    for ctx in contexts:
        ctx.close()
    assert not foreign, f"页面请求了其他主机：{foreign}"


@pytest.fixture
def page(page_factory):
    return page_factory()
