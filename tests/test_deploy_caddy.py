"""deploy/Caddyfile in the real Caddy from Debian's package, serving a fresh build of the site.

The same deployment promises as tests/test_deploy_nginx.py, for Caddy: the pre-compressed .br/.gz
files are sent (byte for byte), hashed assets are immutable and the rest revalidated, .wasm/.mjs
have the right types, the security headers are on every response, unknown paths get the site's
404 page, and the validator starts under that Content-Security-Policy within 4.0 MB on the wire.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_deploy_nginx import WIRE_LIMIT, _csp, _get

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"


@pytest.fixture(scope="module")
def caddy_url(site_dir, tmp_path_factory):
    if not Path(CADDY).exists():
        pytest.fail("找不到 caddy：请运行 apt-get install -y caddy（.ci/run 会安装）")
    home = tmp_path_factory.mktemp("caddy")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    text = CADDYFILE.read_text(encoding="utf-8")
    assert ":8080 {" in text and "root * /srv/zhicheng/site" in text
    # Only the address and root differ from the file as published; no admin port, no HTTPS
    # certificates for a test on 127.0.0.1.
    text = text.replace(":8080 {", f"http://127.0.0.1:{port} {{")
    text = text.replace("root * /srv/zhicheng/site", f"root * {site_dir}")
    config = home / "Caddyfile"
    config.write_text("{\n\tadmin off\n\tauto_https off\n}\n" + text, encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    log = (home / "caddy.log").open("wb")
    proc = subprocess.Popen(
        [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"], stdout=log, stderr=subprocess.STDOUT, env=env
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None:
                log.close()
                pytest.fail("caddy 无法启动：" + (home / "caddy.log").read_text(errors="replace"))
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def test_caddy_sends_the_security_headers_on_every_response(caddy_url):
    csp = _csp(CADDYFILE.read_text(encoding="utf-8"))
    for path in (
        "",
        "check/",
        "assets/validator/worker.js",
        "assets/pyodide/pyodide.mjs",
        "assets/pyodide/pyodide.asm.wasm",
        "data/engine/core.json",
    ):
        headers, _ = _get(caddy_url + path)
        assert headers["Content-Security-Policy"] == csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path


def test_caddy_sends_precompressed_files_types_and_caching(caddy_url, site_dir):
    pyodide = site_dir / "assets/pyodide"
    headers, body = _get(caddy_url + "assets/pyodide/pyodide.asm.wasm")
    assert headers["Content-Type"] == "application/wasm"
    assert headers["Content-Encoding"] == "br"
    assert body == (pyodide / "pyodide.asm.wasm.br").read_bytes()
    assert headers["Cache-Control"] == "no-cache"
    headers, body = _get(caddy_url + "assets/pyodide/pyodide.asm.wasm", "gzip")
    assert headers["Content-Encoding"] == "gzip"
    assert body == (pyodide / "pyodide.asm.wasm.gz").read_bytes()
    headers, _ = _get(caddy_url + "assets/pyodide/pyodide.asm.mjs")
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Content-Encoding"] == "br"
    for pattern in ("python_stdlib-*.zip", "zhicheng-engine-*.zip"):
        name = next(p.name for p in pyodide.glob(pattern))
        headers, body = _get(caddy_url + "assets/pyodide/" + name)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", name
        assert headers["Content-Encoding"] == "br", name
        assert body == (pyodide / (name + ".br")).read_bytes(), name
    bundle_js = next(p.name for p in (site_dir / "assets/javascripts").glob("bundle.*.min.js"))
    headers, _ = _get(caddy_url + "assets/javascripts/" + bundle_js)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    headers, _ = _get(caddy_url + "check/")
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Encoding"] == "br"
    assert headers["Content-Type"].startswith("text/html")
    # The service worker's lists: offline.json revalidated, the lists it names (hash in the name) kept.
    headers, body = _get(caddy_url + "offline.json", "identity")
    assert headers["Cache-Control"] == "no-cache"
    name = json.loads(body)["lists"][0]
    headers, body = _get(caddy_url + f"offline/{name}.json", "identity")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body == (site_dir / "offline" / f"{name}.json").read_bytes()
    headers, body = _get(caddy_url + "check/", "identity")
    assert "Content-Encoding" not in headers
    assert body == (site_dir / "check/index.html").read_bytes()


def test_caddy_answers_an_unknown_path_with_the_sites_404_page(caddy_url, site_dir):
    with pytest.raises(urllib.error.HTTPError) as err:
        _get(caddy_url + "no/such/page/", "identity")
    assert err.value.code == 404
    assert err.value.read() == (site_dir / "404.html").read_bytes()


@pytest.mark.browser
def test_validator_starts_through_caddy_under_its_csp_within_4_mb(browser, caddy_url):
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    urls: list[str] = []
    ctx.on("request", lambda r: urls.append(r.url))
    ctx.route(lambda url: not url.startswith(caddy_url), lambda route: route.abort())
    page = ctx.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(caddy_url + "check/?notice=2025-bortala")
        state = page.evaluate("""async () => {
            try { await window.validator.ready; return "ready"; } catch (e) { return e.message; }
        }""")
        assert state == "ready", state
        result = page.evaluate("() => window.validator.evaluate('2025-bortala', {})")
        assert result["notice"] == "2025-bortala" and result["verdict"]
        page.wait_for_load_state("networkidle")
        total = sum(len(_get(url.split("#")[0])[1]) for url in sorted(set(urls)) if url.startswith(caddy_url))
        assert total <= WIRE_LIMIT, f"{total / 1e6:.2f} MB"
        ours = [v for v in violations if "inline script" not in v]
        assert not ours, ours
    finally:
        ctx.close()
