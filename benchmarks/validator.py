"""The validator against the bare-Pyodide floor, bytes per page kind, offline reload.

    .venv/bin/python benchmarks/validator.py [--site-dir site] [--runs 9] [--calls 200]

Measured in one run, in headless Chromium (Debian's /usr/bin/chromium), with the site served on
127.0.0.1:
* floor: a bare page whose module worker only runs ``loadPyodide`` on the same self-hosted core
  and trimmed standard library (no wheels, no engine) — navigation → worker reports loaded;
* validator: ``check/`` — navigation → ``window.validator.ready`` resolved (archive, bundle and
  engine included); floor and validator alternate, cold (new profile, empty cache) and warm
  (reload in the same profile); the medians are compared;
* where the validator's time goes: the worker's marks (ms since navigation, median per stage):
  worker started, core files and archive fetched and checked, Pyodide started, engine imported,
  Api ready;
* evaluate: ``window.validator.evaluate`` round trips (page → worker → Python → page);
* bytes on the wire per page kind for a cold visit, as a server with the pre-compressed files
  sends them (.br where present, else .gz, else the file) — and with gzip only;
* offline: after one visit of check/, the server is stopped and check/ reloaded → ready.

Writes ``bench-results/validator.json`` and regenerates README's table between the markers
``<!-- bench:validator -->`` and ``<!-- /bench:validator -->``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CHROMIUM, CHROMIUM_ARGS, ROOT, api_latency, build_site, cpu_model, sample_profile, serve  # noqa: E402

RESULTS = ROOT / "bench-results" / "validator.json"
README = ROOT / "README.md"
START, END = "<!-- bench:validator -->", "<!-- /bench:validator -->"

FLOOR_HTML = """<!doctype html><html lang="zh"><meta charset="utf-8"><title>floor</title>
<script src="floor.js"></script></html>
"""
FLOOR_JS = """window.floor = new Promise((resolve, reject) => {
  const w = new Worker(new URL("floor-worker.js", document.currentScript.src), {type: "module"});
  w.onmessage = (e) => resolve(performance.now());
  w.onerror = (e) => reject(new Error(e.message));
});
"""
FLOOR_WORKER = """import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const base = new URL("../assets/pyodide/", import.meta.url).href;
const manifest = await (await fetch(base + "runtime.json", {cache: "no-cache"})).json();
await loadPyodide({indexURL: base, stdLibURL: base + manifest.stdlib});
self.postMessage("loaded");
"""
WAIT_STORED = """() => new Promise((resolve) => {
        const tick = () => localStorage.getItem("zc-offline-version") ? resolve(true) : setTimeout(tick, 100);
        tick();
    })"""  # the service worker stored its copy
PAGE_KINDS = {
    "home": "",
    "notice": "notices/{notice}/",
    "region": None,  # the first regions/<slug>/ of the build
    "check": "check/?notice={notice}",
    "templates": "templates/",
    "calendar": "calendar/",
}


def machine() -> dict:
    cpu = cpu_model() or "unknown"
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "chromium": version,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def stats(values: list[float]) -> dict:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return {
        "median": round(statistics.median(values), 1),
        "p95": round(p95, 1),
        "min": round(values[0], 1),
        "max": round(values[-1], 1),
        "n": len(values),
    }


STAGES = {  # worker mark → README label
    "worker": "worker 启动",
    "manifest": "runtime.json 到达",
    "pyodide started": "Pyodide 启动完成（wasm、标准库）",
    "runtime verified": "核心文件与程序包 sha256 校验完毕",
    "engine imported": "引擎模块导入完成（预编译归档）",
    "api": "规则数据载入、核验器就绪",
}


def stage_marks(page) -> dict:
    """The worker's marks of the last load, in ms since this page's navigation started."""
    return page.evaluate("""() => {
        const info = window.validator.state.info;
        const start = info.workerStartedAt - performance.timeOrigin;
        const out = {worker: Math.round(start)};
        for (const [name, ms] of Object.entries(info.marks || {})) {
            if (!name.includes(" ") || !/\\.(wasm|zip|mjs)$/.test(name)) out[name] = Math.round(start + ms);
        }
        return out;
    }""")


def floor_once(page, base: str) -> float:
    page.goto(base + "bench-floor/")
    return page.evaluate("() => window.floor")


def validator_once(page, url: str) -> float:
    page.goto(url)
    page.evaluate("() => window.validator.ready")
    return page.evaluate("() => window.validator.state.info.readyAt")


def wire_bytes(site: Path, paths: set[str]) -> dict:
    out = {"br": 0, "gzip": 0, "files": len(paths)}
    for rel in paths:
        path = site / rel
        if path.is_dir() or rel.endswith("/") or rel == "":
            path = path / "index.html"
        if not path.is_file():
            continue
        raw = path.stat().st_size
        br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        gz_size = gz.stat().st_size if gz.is_file() else raw
        out["br"] += br.stat().st_size if br.is_file() else gz_size
        out["gzip"] += gz_size
    return out


def bytes_per_kind(p, site: Path, base: str, notice: str, tmp: Path) -> dict:
    region = next(iter(sorted(d.name for d in (site / "regions").iterdir() if d.is_dir())), "")
    result = {}
    for kind, pattern in PAGE_KINDS.items():
        rel = f"regions/{region}/" if kind == "region" else pattern.format(notice=notice)
        context = p.chromium.launch_persistent_context(
            str(tmp / f"bytes-{kind}"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            locale="zh-CN",
            headless=True,
            service_workers="block",
        )
        urls: set[str] = set()
        context.on("request", lambda r, urls=urls: urls.add(r.url))
        page = context.new_page()
        page.goto(base + rel)
        if kind == "check":
            page.evaluate("() => window.validator.ready")
        page.wait_for_load_state("networkidle")
        context.close()
        paths = {u[len(base) :].split("?")[0].split("#")[0] for u in urls if u.startswith(base)}
        result[kind] = wire_bytes(site, paths)
    return result


def offline_reload(p, site_server, url: str, tmp: Path) -> float:
    context = p.chromium.launch_persistent_context(
        str(tmp / "offline"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="zh-CN", headless=True
    )
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.goto(url)
    page.evaluate("() => window.validator.ready")
    page.evaluate(WAIT_STORED)
    site_server.shutdown()
    site_server.server_close()
    ready = validator_once(page, url)
    context.close()
    return ready


def readme_table(data: dict) -> str:
    m = data["machine"]
    f, v = data["floor"], data["validator"]
    pr = data["ratio_per_round"]
    rows = [
        "| 指标 | 中位数 | p95 |",
        "| --- | --- | --- |",
        f"| 冷加载：裸 Pyodide 下限 → 就绪 | {f['cold']['median'] / 1000:.2f} s | {f['cold']['p95'] / 1000:.2f} s |",
        f"| 冷加载：核验器 → 就绪 | {v['cold']['median'] / 1000:.2f} s | {v['cold']['p95'] / 1000:.2f} s |",
        f"| 热加载：裸 Pyodide 下限 → 就绪 | {f['warm']['median'] / 1000:.2f} s | {f['warm']['p95'] / 1000:.2f} s |",
        f"| 热加载：核验器 → 就绪 | {v['warm']['median'] / 1000:.2f} s | {v['warm']['p95'] / 1000:.2f} s |",
        f"| 核验器 / 下限（冷 / 热，中位数之比） | {data['ratio']['cold']:.2f} / {data['ratio']['warm']:.2f} | |",
        f"| 每轮之比的中位数（范围）：冷 / 热 | {pr['cold']['median']:.2f}（{pr['cold']['min']:.2f}–{pr['cold']['max']:.2f}）/ "
        f"{pr['warm']['median']:.2f}（{pr['warm']['min']:.2f}–{pr['warm']['max']:.2f}） | |",
        f"| 范围（最小–最大）：下限 冷 / 热 | {f['cold']['min'] / 1000:.2f}–{f['cold']['max'] / 1000:.2f} s / "
        f"{f['warm']['min'] / 1000:.2f}–{f['warm']['max'] / 1000:.2f} s | |",
        f"| 范围（最小–最大）：核验器 冷 / 热 | {v['cold']['min'] / 1000:.2f}–{v['cold']['max'] / 1000:.2f} s / "
        f"{v['warm']['min'] / 1000:.2f}–{v['warm']['max'] / 1000:.2f} s | |",
        f"| 一次核验 evaluate（{data['evaluate']['n']} 次） | {data['evaluate']['median']:.1f} ms | {data['evaluate']['p95']:.1f} ms |",
        f"| 断网后重新打开核验页 → 就绪 | {data['offline_reload_ms'] / 1000:.2f} s | |",
    ]
    stages = data.get("stages_ms") or {}
    if stages.get("cold"):
        rows += ["", "| 核验器各阶段（自导航起，中位数） | 冷 | 热 |", "| --- | --- | --- |"]
        for stage, label in STAGES.items():
            if stage in stages["cold"]:
                warm = stages.get("warm", {}).get(stage)
                rows.append(
                    f"| {label} | {stages['cold'][stage] / 1000:.2f} s | "
                    f"{'' if warm is None else f'{warm / 1000:.2f} s'} |"
                )
    kinds = {
        "home": "首页",
        "notice": "通知页",
        "region": "地区页",
        "check": "核验页（含运行环境）",
        "templates": "模板页",
        "calendar": "日历页",
    }
    rows += ["", "| 冷访问传输量 | brotli（.br） | 仅 gzip（.gz） |", "| --- | --- | --- |"]
    for kind, label in kinds.items():
        b = data["bytes"][kind]
        rows.append(f"| {label} | {b['br'] / 1e6:.2f} MB | {b['gzip'] / 1e6:.2f} MB |")
    head = (
        f"`make bench` 的一次实测（{data['date']}，{m['cpu']}，{m['cores']} 核，"
        f"平均负载 开始 {' / '.join(str(x) for x in m['loadavg_at_start'])}、结束 "
        f"{' / '.join(str(x) for x in m['loadavg_at_end'])}；{m['chromium']}，"
        f"headless，127.0.0.1 本机服务；冷/热各 {f['cold']['n']} 次交替测量；"
        f"原始数据 `bench-results/validator.json`）："
    )
    return "\n".join([head, "", *rows])


def update_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        README.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="核验器与裸 Pyodide 下限的对比、各类页面传输量、断网重开时间。")
    parser.add_argument("--site-dir", type=Path, default=None, help="已构建的站点目录（默认现场构建）")
    parser.add_argument("--runs", type=int, default=9, help="冷/热加载各测几次")
    parser.add_argument("--calls", type=int, default=200, help="evaluate 测几次")
    parser.add_argument("--no-readme", action="store_true", help="不改写 README 中的表格")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    info = machine()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        built = args.site_dir or build_site(tmp / "built")
        site = tmp / "site"
        shutil.copytree(built, site, copy_function=os.link)
        floor = site / "bench-floor"
        floor.mkdir()
        (floor / "index.html").write_text(FLOOR_HTML, encoding="utf-8")
        (floor / "floor.js").write_text(FLOOR_JS, encoding="utf-8")
        (floor / "floor-worker.js").write_text(FLOOR_WORKER, encoding="utf-8")
        notices = sorted(path.stem for path in (site / "data/notices").glob("*.json"))
        notice = "2025-bortala" if "2025-bortala" in notices else notices[0]
        server, base = serve(site)
        url = f"{base}check/?notice={notice}"
        times = {"floor": {"cold": [], "warm": []}, "validator": {"cold": [], "warm": []}}
        marks = {"cold": [], "warm": []}
        with sync_playwright() as p:
            for i in range(args.runs):
                # Alternate which goes first, so that neither always meets the other's leftovers.
                for kind in ("floor", "validator") if i % 2 == 0 else ("validator", "floor"):
                    context = p.chromium.launch_persistent_context(
                        str(tmp / f"{kind}-{i}"),
                        executable_path=CHROMIUM,
                        args=CHROMIUM_ARGS,
                        locale="zh-CN",
                        headless=True,
                    )
                    page = context.new_page()
                    page.set_default_timeout(300_000)
                    once = floor_once if kind == "floor" else validator_once
                    target = base if kind == "floor" else url
                    times[kind]["cold"].append(once(page, target))
                    if kind == "validator":  # let the service worker store its copy first
                        marks["cold"].append(stage_marks(page))
                        page.evaluate(WAIT_STORED)
                    times[kind]["warm"].append(once(page, target))
                    if kind == "validator":
                        marks["warm"].append(stage_marks(page))
                    context.close()
                    print(
                        f"  第 {i + 1} 轮 {kind}: 冷 {times[kind]['cold'][-1]:.0f} ms，"
                        f"热 {times[kind]['warm'][-1]:.0f} ms",
                        flush=True,
                    )
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(300_000)
            validator_once(page, url)
            profile = sample_profile(site, notice)
            api_latency(page, notice, profile, 10)  # warm-up (validator caches, JIT)
            calls = api_latency(page, notice, profile, args.calls)
            browser.close()
            sizes = bytes_per_kind(p, site, base, notice, tmp)
            offline_ms = offline_reload(p, server, url, tmp)

    data = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {**info, "loadavg_at_end": [round(x, 2) for x in os.getloadavg()]},
        "notice": notice,
        "floor": {k: stats(v) for k, v in times["floor"].items()},
        "validator": {k: stats(v) for k, v in times["validator"].items()},
        "raw_ms": times,
        "stages_ms": {
            k: {
                stage: round(statistics.median(m[stage] for m in v if stage in m))
                for stage in STAGES
                if any(stage in m for m in v)
            }
            for k, v in marks.items()
        },
        "evaluate": stats(calls),
        "bytes": sizes,
        "offline_reload_ms": round(offline_ms, 1),
    }
    data["ratio"] = {k: round(data["validator"][k]["median"] / data["floor"][k]["median"], 3) for k in ("cold", "warm")}
    # The same ratio per round (floor and validator measured back to back, so a machine shared
    # with other work slows both alike): its median and range show how noisy the run was.
    paired = {k: sorted(v / f for v, f in zip(times["validator"][k], times["floor"][k])) for k in ("cold", "warm")}
    data["ratio_per_round"] = {
        k: {"median": round(statistics.median(v), 3), "min": round(v[0], 3), "max": round(v[-1], 3)}
        for k, v in paired.items()
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = readme_table(data)
    print(table)
    if not args.no_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
