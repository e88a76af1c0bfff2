"""How the site scales with the number of notices (a benchmark, not a test).

    .venv/bin/python benchmarks/scale.py [--sizes 4,100,1000] [--quick] [--json bench-results/scale.json]

For each size N the content is the bundled notices plus synthetic copies moved to earlier years
(benchmarks/synthetic.py). Printed side by side, in one run:

* build: wall seconds and CPU seconds of ``python -m generator build`` (MkDocs + our plugin +
  Pagefind), and the marginal cost per notice against the smallest size, in wall and CPU
  milliseconds (the build overlaps Pagefind, pre-compression and page writing on the two cores,
  so wall < CPU);
* floor: MkDocs Material building the same number of HTML pages from plain Markdown, without our
  generator (no plugin, no search) — what any MkDocs site of that size costs;
* bytes: uncompressed bytes of every file requested by headless Chromium (/usr/bin/chromium)
  to show the home page, a notice page (2025-bortala) and ``search/?q=继续教育`` with its results;
* serve: under ``make serve`` (``mkdocs serve --dirty``) at 200 notices, the wall seconds from
  saving an edited notice YAML to the notice page served with the edit (benchmarks/serve_reload.py).

Where a build's time goes, stage by stage: benchmarks/profile_build.py.

Wall time is what a build costs on the two cores; CPU seconds (user + system of the build
process and its Pagefind child) are printed beside it, as wall time grows with the load of a
shared machine (the load average is printed with the results).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import cpu_model  # noqa: E402
from benchmarks.serve_reload import measure as serve_measure  # noqa: E402
from benchmarks.synthetic import make_project  # noqa: E402

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
NOTICE = "notices/2025-bortala/"
QUERY = "继续教育"

FLOOR_PAGE = """# 示例页面 {n}

本页是 MkDocs Material 的基准页面：与通知页相当的纯 Markdown 内容，不经过本站的生成器。

## 申报条件

- 遵守国家宪法和法律法规，具有良好的职业道德和敬业精神。
- 任现职以来，年度考核均为合格（称职）以上等次。
- 按规定完成继续教育学时，其中专业科目学时不少于总学时的三分之二。

## 时间安排

| 阶段 | 开始 | 截止 |
| --- | --- | --- |
| 个人网上申报 | 2025年10月11日10:00 | 2025年11月4日18:00 |
| 单位审核推荐 | 2025年10月11日10:00 | 2025年11月4日18:00 |
| 统一报送材料 | 2025年11月5日 | 2025年11月7日 |

## 材料清单

1. 专业技术人员职称评审表（一式两份，双面打印）。
2. 学历、学位证书与现职称证书。
3. 继续教育合格证书或学时证明。
4. 单位推荐公示情况及公示结果。

## 遮盖要求

上传材料中的身份证号、手机号等个人信息按要求遮盖后再上传；评审费按规定标准缴纳。
"""


def build(project: Path, site: Path) -> dict:
    """Builds ``project`` into ``site`` in a child process; wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"站点构建失败（{project}）：\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "html_pages": sum(1 for _ in site.rglob("*.html"))}


def floor(pages: int, work: Path) -> dict:
    """MkDocs Material alone building ``pages`` plain Markdown pages."""
    docs = work / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(FLOOR_PAGE.format(n=0), encoding="utf-8")
    for n in range(1, pages):
        sub = docs / f"p{n // 100}"
        sub.mkdir(exist_ok=True)
        (sub / f"page-{n}.md").write_text(FLOOR_PAGE.format(n=n), encoding="utf-8")
    (work / "mkdocs.yml").write_text(
        "site_name: 基准\nuse_directory_urls: true\ntheme:\n  name: material\n  language: zh\n"
        "  font: false\nplugins: []\nmarkdown_extensions:\n  - tables\n  - toc\n",
        encoding="utf-8",
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(work / "site")],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"MkDocs 基准构建失败：\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "pages": pages}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, *args):
        pass


def requested_bytes(site: Path, urls: list[str]) -> int:
    total = 0
    for path in sorted({unquote(urlparse(u).path) for u in urls}):
        target = site / path.lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            total += target.stat().st_size
    return total


def page_bytes(site: Path) -> dict:
    """Bytes Chromium downloads for the home, a notice page and one search (cold cache each)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in (("home", ""), ("notice", NOTICE), ("search", f"search/?q={QUERY}")):
                context = browser.new_context(locale="zh-CN")
                urls: list[str] = []
                context.on("request", lambda r, urls=urls: urls.append(r.url))
                context.route(lambda url: not url.startswith(base), lambda route: route.abort())
                page = context.new_page()
                page.goto(base + path)
                if name == "search":
                    page.wait_for_selector("[data-search-results] li a", timeout=60_000)
                page.wait_for_load_state("networkidle")
                out[f"{name}_bytes"] = requested_bytes(site, urls)
                if name == "search":
                    out["search_index_bytes"] = requested_bytes(site, [u for u in urls if "/pagefind/" in u])
                    out["search_first"] = page.eval_on_selector(
                        "[data-search-results] > li > a", "a => a.getAttribute('href')"
                    )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def machine() -> str:
    cpu = cpu_model() or platform.processor() or platform.machine()
    return f"{os.cpu_count()} 核 {cpu}，Python {platform.python_version()}，{platform.system()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="站点规模基准：4/100/1000 份通知时的构建耗时、MkDocs 基线与页面字节数。"
    )
    parser.add_argument("--sizes", default="4,100,1000", help="通知份数，逗号分隔（默认 4,100,1000）")
    parser.add_argument("--quick", action="store_true", help="快速模式：1000 份时不跑 MkDocs 基线（3 分钟内）")
    parser.add_argument(
        "--serve-notices", type=int, default=200, help="make serve 修改到页面更新的测量用多少份通知（默认 200；0 不测）"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "bench-results" / "scale.json",
        help="结果 JSON 的路径（默认 bench-results/scale.json）",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})

    rows = []
    with tempfile.TemporaryDirectory(prefix="zc-scale-") as tmp:
        for n in sizes:
            project = make_project(Path(tmp) / f"n{n}", n)
            site = Path(tmp) / f"n{n}" / "site"
            row = {"notices": n, "build": build(project, site)}
            row.update(page_bytes(site))
            if args.quick and n >= 1000:
                row["floor"] = None
            else:
                row["floor"] = floor(row["build"]["html_pages"], Path(tmp) / f"floor{n}")
            rows.append(row)
            print(f"  … {n} 份通知完成（构建 CPU {row['build']['cpu_s']} s）", file=sys.stderr, flush=True)

        serve = None
        if args.serve_notices:
            serve = serve_measure(make_project(Path(tmp) / "serve", args.serve_notices), edits=3 if args.quick else 5)
            print(f"  … make serve：修改到页面更新 {serve['edit_to_served_s']} s", file=sys.stderr, flush=True)

    add_marginals(rows)

    load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    result = {
        "machine": machine(),
        "load_average": load,
        "command": "make bench-quick" if args.quick else "make bench",
        "date": time.strftime("%Y-%m-%d"),
        "rows": rows,
        "serve": serve,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown_table(result))
    print(f"\n结果已写入 {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")
    return 0


def add_marginals(rows: list[dict]) -> None:
    """Per added notice against the smallest size: CPU and wall milliseconds; MkDocs' ms per page."""
    base = rows[0]
    for row in rows:
        extra = row["notices"] - base["notices"]
        for key, kind in (("marginal_cpu_ms_per_notice", "cpu_s"), ("marginal_wall_ms_per_notice", "wall_s")):
            row[key] = round(1000 * (row["build"][kind] - base["build"][kind]) / extra, 1) if extra else None
        if row["floor"]:
            row["floor"]["cpu_ms_per_page"] = round(1000 * row["floor"]["cpu_s"] / row["floor"]["pages"], 1)


def markdown_table(result: dict) -> str:
    lines = [
        f"机器：{result['machine']}；平均负载 {result['load_average']}；命令：`{result['command']}`（{result['date']}）",
        "",
        "| 通知 | HTML 页 | 构建 墙钟 s | 构建 CPU s | 每增一份通知 墙钟 / CPU ms | MkDocs Material 基线 CPU s（同页数） | 首页 字节 | 通知页 字节 | 搜索“继续教育” 字节（其中索引） |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        b, f = row["build"], row["floor"]
        floor_text = f"{f['cpu_s']:.1f}（{f['cpu_ms_per_page']} ms/页）" if f else "—（快速模式）"
        cpu, wall = row["marginal_cpu_ms_per_notice"], row.get("marginal_wall_ms_per_notice")
        marginal = f"{wall} / {cpu}" if cpu is not None else None
        lines.append(
            f"| {row['notices']} | {b['html_pages']} | {b['wall_s']:.1f} | {b['cpu_s']:.1f} | "
            f"{marginal if marginal is not None else '—'} | {floor_text} | "
            f"{row['home_bytes']:,} | {row['notice_bytes']:,} | {row['search_bytes']:,}（{row['search_index_bytes']:,}） |"
        )
    serve = result.get("serve")
    if serve:
        lines += [
            "",
            f"`make serve`（{serve['notices']} 份通知）：保存修改后的通知 YAML 到通知页显示修改，"
            f"墙钟 {' / '.join(f'{t:.1f}' for t in serve['edit_to_served_s'])} s（中位数 "
            f"{serve['edit_to_served_median_s']:.1f} s；MkDocs 报告的重建 "
            f"{' / '.join('—' if t is None else f'{t:.1f}' for t in serve['mkdocs_rebuild_s'])} s；测量时平均负载 "
            f"{serve['load_average']}）；首次构建 {serve['first_build_s']:.0f} s。",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
