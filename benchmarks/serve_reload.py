"""Edit → rebuild → served under ``make serve`` (a benchmark step, not a test).

    .venv/bin/python benchmarks/serve_reload.py [--notices 200] [--edits 5]

Starts ``mkdocs serve --dirty`` (what ``make serve`` runs) on a synthetic project of N notices
(benchmarks/synthetic.py), waits for the first build and its background search index, then
edits the short title of one notice YAML several times (each after the background index of the
previous one finished, as when a person looks at the page between saves). For each edit it measures the wall
time from writing the file to the notice page served with the new title (MkDocs' file watcher,
the incremental rebuild and the write; the browser's live reload fires when the rebuild ends),
and checks that the notices list shows it too. Also printed: MkDocs' own "built in" seconds of
each rebuild and the machine's load. tests/test_serve_incremental.py proves the same behaviour
without timing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_project  # noqa: E402

NOTICE = "2025-bortala"
TITLE_LINE = re.compile(r"^short_title: .*$", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return None


class Server:
    """``mkdocs serve --dirty`` in ``project``; its log lines are collected."""

    def __init__(self, project: Path, env: dict | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--dirty",
                "--livereload",
                "--dev-addr",
                f"127.0.0.1:{self.port}",
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, timeout: float, what: str):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = predicate()
            if value:
                return value
            if self.proc.poll() is not None:
                raise RuntimeError("mkdocs serve 已退出：\n" + "\n".join(self.lines[-30:]))
            time.sleep(0.05)
        raise TimeoutError(f"等待{what}超时：\n" + "\n".join(self.lines[-30:]))

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def set_short_title(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(TITLE_LINE.sub(f"short_title: {title}", text, count=1), encoding="utf-8")


def measure(project: Path, edits: int = 5) -> dict:
    notice_file = project / "content" / "notices" / f"{NOTICE}.yaml"
    server = Server(project)
    try:
        start = time.monotonic()
        server.wait_for(lambda: fetch(server.base + f"notices/{NOTICE}/"), 900, "首次构建")
        first_build = time.monotonic() - start
        server.wait_for(lambda: server.count("搜索索引（Pagefind）已更新") >= 1, 900, "首次搜索索引")
        times, built, dependents = [], [], []
        for i in range(1, edits + 1):
            # An editor looks at the page before the next save: the background index of the
            # previous rebuild has finished by then (it runs at the lowest priority anyway).
            indexed = server.count("搜索索引（Pagefind）已更新")
            if i > 1:
                server.wait_for(
                    lambda: server.count("搜索索引（Pagefind）已更新") > indexed_after,
                    300,
                    "上次修改后的搜索索引",
                )
            time.sleep(1.0)
            marker = f"博州2025年度职称评审（第{i}次修改）"
            start_line = len(server.lines)
            t0 = time.monotonic()
            set_short_title(notice_file, marker)
            server.wait_for(
                lambda: marker in (fetch(server.base + f"notices/{NOTICE}/") or ""),
                120,
                f"第 {i} 次修改出现在通知页",
            )
            times.append(time.monotonic() - t0)
            dependents.append(marker in (fetch(server.base + "notices/") or ""))
            server.wait_for(
                lambda: any("Reloading browsers" in line for line in server.lines[start_line:]), 60, "重新加载日志"
            )
            # MkDocs logs each distinct message once (utils.DuplicateFilter): a rebuild that took
            # exactly as long as an earlier one has no "Documentation built in" line of its own.
            found = [
                float(m.group(1))
                for line in server.lines[start_line:]
                if (m := re.search(r"Documentation built in ([\d.]+) seconds", line))
            ]
            built.append(found[-1] if found else None)
            indexed_after = indexed
        return {
            "notices": len(list((project / "content" / "notices").glob("*.yaml"))),
            "first_build_s": round(first_build, 1),
            "edit_to_served_s": [round(t, 2) for t in times],
            "edit_to_served_median_s": round(statistics.median(times), 2),
            "mkdocs_rebuild_s": built,
            "list_page_updated": all(dependents),
            "load_average": " / ".join(f"{v:.1f}" for v in os.getloadavg()),
        }
    finally:
        server.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="make serve 下修改一份通知到页面更新的时间（基准，不是测试）。")
    parser.add_argument("--notices", type=int, default=200, help="通知份数（默认 200）")
    parser.add_argument("--edits", type=int, default=5, help="修改次数（默认 5）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zc-serve-") as tmp:
        result = measure(make_project(Path(tmp) / "project", args.notices), args.edits)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
