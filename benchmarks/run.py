"""Measures the browser validator in real headless Chromium (not part of the test suite).

    .venv/bin/python benchmarks/run.py [--site-dir site] [--notice 2025-bortala] [--runs 5]

Figures printed:
* cold: navigation → first verdict on screen, with an empty HTTP cache (new browser context);
* warm: the same, reloading in the same context (files from the HTTP cache);
* engine ready: navigation → ``window.validator.ready`` resolved (Pyodide + wheels + bundle);
* per change: one ``window.validator.evaluate`` round trip (page → worker → Python → page), and
  the form's latency from a changed field to the updated verdict (includes the 150 ms debounce
  that keeps typing smooth);
* bytes transferred on a cold load.

Without ``--site-dir`` the site is built first into a temporary directory with ``mkdocs build``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    sent = 0  # body bytes served since the last reset (the worker's downloads included)

    def copyfile(self, source, outputfile):
        data = source.read()
        Handler.sent += len(data)
        outputfile.write(data)

    def log_message(self, *args):
        pass


def build_site(dest: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(dest)], cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"站点构建失败：\n{proc.stderr}")
    return dest


def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def load_once(page, url: str) -> dict:
    Handler.sent = 0
    page.goto(url)
    page.wait_for_function(
        "window.zhichengCheck && window.zhichengCheck.timings.firstVerdict !== null", timeout=180_000
    )
    marks = page.evaluate(
        "({verdictAt: window.zhichengCheck.timings.firstVerdict,"
        " readyAt: window.validator.state.info.readyAt,"
        " stages: window.validator.state.info.stages})"
    )
    return {
        "verdict_ms": marks["verdictAt"],
        "ready_ms": marks["readyAt"],
        "bytes": Handler.sent,
        "runtime_ms": marks["stages"]["runtime"],
        "engine_ms": marks["stages"]["engine"],
    }


def cpu_model() -> str | None:
    """The CPU's model name from /proc/cpuinfo (None where there is none)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def api_latency(page, notice: str, profile: dict, n: int) -> list[float]:
    return page.evaluate(
        """async ([notice, profile, n]) => {
          const out = [];
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            await window.validator.evaluate(notice, profile);
            out.push(performance.now() - t);
          }
          return out;
        }""",
        [notice, profile, n],
    )


def ui_latency(page, n: int) -> list[float]:
    """Changes the first visible select of the form back and forth; time to the new verdict."""
    return page.evaluate(
        """async (n) => {
          const select = [...document.querySelectorAll('#zc-profile select[data-field]')]
            .find((s) => !s.closest('[data-field-wrap]').hidden);
          if (!select) return [];
          const values = [...select.options].map((o) => o.value).filter(Boolean);
          const out = [];
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            select.value = values[i % values.length];
            select.dispatchEvent(new Event('change', {bubbles: true}));
            await new Promise((resolve) => {
              const tick = () => window.zhichengCheck.settled() ? resolve() : setTimeout(tick, 2);
              setTimeout(tick, 0);
            });
            out.push(performance.now() - t);
          }
          return out;
        }""",
        n,
    )


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (
        f"中位数 {statistics.median(values):7.1f} ms   最小 {values[0]:7.1f} ms   "
        f"p95 {p95:7.1f} ms   （{len(values)} 次）"
    )


def sample_profile(site: Path, notice: str) -> dict:
    """A filled-in profile: the first data case of the notice, else an employed applicant."""
    try:
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=True)
        for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
            for case in yaml.load(path.read_text(encoding="utf-8")) or []:
                if isinstance(case, dict) and case.get("notice") == notice:
                    return json.loads(json.dumps(case["input"], default=str))
    except Exception:  # noqa: BLE001 - a benchmark falls back to a simple profile
        pass
    return {"employment_status": "employed"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="浏览器核验器的性能测量（冷/热加载、每次修改的延迟）。")
    parser.add_argument("--site-dir", type=Path, default=None, help="已构建的站点目录（默认现场构建）")
    parser.add_argument("--notice", default=None, help="通知标识（默认 2025-bortala 或第一份）")
    parser.add_argument("--runs", type=int, default=5, help="冷/热加载各测几次")
    parser.add_argument("--changes", type=int, default=50, help="每次修改延迟测几次")
    parser.add_argument("--json", type=Path, default=None, help="把原始数据另存为 JSON")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site_dir or build_site(Path(tmp) / "site")
        notices = sorted(path.stem for path in (site / "data" / "notices").glob("*.json"))
        notice = args.notice or ("2025-bortala" if "2025-bortala" in notices else notices[0])
        server, base = serve(site)
        url = f"{base}check/?notice={notice}"
        results = {"notice": notice, "cold": [], "warm": [], "api": [], "ui": []}
        with sync_playwright() as p:
            # Persistent contexts use Chromium's disk cache, as a real browser profile does (the
            # in-memory cache of an off-the-record context refuses the 9 MB .wasm file).
            for i in range(args.runs):
                context = p.chromium.launch_persistent_context(
                    str(Path(tmp) / f"profile-{i}"),
                    executable_path=CHROMIUM,
                    args=CHROMIUM_ARGS,
                    locale="zh-CN",
                    headless=True,
                )
                page = context.new_page()
                results["cold"].append(load_once(page, url))
                results["warm"].append(load_once(page, url))
                context.close()
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            load_once(page, url)
            profile = sample_profile(site, notice)
            api_latency(page, notice, profile, 5)  # warm-up (validator caches, JIT)
            results["api"] = api_latency(page, notice, profile, args.changes)
            results["ui"] = ui_latency(page, min(args.changes, 30))
            browser.close()
        server.shutdown()

    cold_bytes = statistics.median(r["bytes"] for r in results["cold"])
    warm_bytes = statistics.median(r["bytes"] for r in results["warm"])
    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"浏览器核验器性能（通知 {notice}，headless Chromium，本机 127.0.0.1 服务；"
        f"{os.cpu_count()} 核，平均负载 {load}）"
    )
    print(f"  冷加载 → 首个结论：{summary([r['verdict_ms'] for r in results['cold']])}")
    print(f"  热加载 → 首个结论：{summary([r['verdict_ms'] for r in results['warm']])}")
    print(f"  冷加载 → 引擎就绪：{summary([r['ready_ms'] for r in results['cold']])}")
    print(f"  热加载 → 引擎就绪：{summary([r['ready_ms'] for r in results['warm']])}")
    for kind, label in (("cold", "冷"), ("warm", "热")):
        print(f"  {label}加载中 worker 内：Pyodide 与 wheel {summary([r['runtime_ms'] for r in results[kind]])}")
        print(f"  {label}加载中 worker 内：载入规则与引擎 {summary([r['engine_ms'] for r in results[kind]])}")
    print(f"  每次核验（evaluate 往返）：{summary(results['api'])}")
    print(f"  修改表单 → 结论更新（含 150 ms 防抖）：{summary(results['ui'])}")
    print(f"  服务器发送的数据：冷加载 {cold_bytes / 1_048_576:.1f} MiB，热加载 {warm_bytes / 1_048_576:.2f} MiB")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
