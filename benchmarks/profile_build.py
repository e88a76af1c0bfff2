"""Where a site build spends its time, stage by stage (a profile, not a test).

    .venv/bin/python benchmarks/profile_build.py [--sizes 4,100] [--json FILE]

Builds a synthetic project of N notices (benchmarks/synthetic.py) in this process, once per size,
with a timer around every stage: content loading and validation, the engine bundle, each page
producer of the plugin, MkDocs' Markdown conversion and template rendering per kind of page
(notice, rule audit, original text, other), the Pagefind index, the offline manifest,
pre-compression and the swap into place. Prints CPU seconds per stage and, between the smallest
and each larger size, the CPU milliseconds each added notice costs in that stage: the table the
README's profile notes are taken from. Process CPU time is used (the machine is shared); the
Pagefind child process is counted by its own CPU time.

The files made from the content are compressed in every run (generator/site/compress.py caches
only the runtime, scripts and styles), so the pre-compression stage is that of a clean build.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_project  # noqa: E402


class Timers:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []

    @contextlib.contextmanager
    def stage(self, name: str):
        """CPU time of ``name``, minus the nested stages timed inside it."""
        start = time.process_time()
        child = _children_cpu()
        self.stack.append(name)
        nested_before = self._nested
        self._nested = 0.0
        try:
            yield
        finally:
            spent = (time.process_time() - start) + (_children_cpu() - child)
            self.cpu[name] += spent - self._nested
            self.stack.pop()
            self._nested = nested_before + spent

    _nested = 0.0

    def wrap(self, name, func):
        def timed(*args, **kwargs):
            with self.stage(name if isinstance(name, str) else name(*args, **kwargs)):
                return func(*args, **kwargs)

        return timed

    def wrap_iter(self, name, func):
        """A generator function: the time of producing each item is counted, not its consumer's."""

        def timed(*args, **kwargs):
            it = iter(func(*args, **kwargs))
            while True:
                with self.stage(name):
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                yield item

        return timed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def page_kind(page) -> str:
    uri = page.file.src_uri
    parts = uri.split("/")
    if parts[0] == "notices" and len(parts) >= 3:
        if parts[2] == "rules.md":
            return "rules"
        if parts[2] == "source":
            return "source"
        return "notice"
    return "other"


@contextlib.contextmanager
def instrumented():
    """A :class:`Timers` whose stages are timed while the context is open."""
    import mkdocs.commands.build as mk_build

    import generator.cli.build as gen_build
    import generator.content.bundle
    import generator.content.load
    import generator.site.compress
    import generator.site.offline
    import generator.site.pages.search
    import generator.site.plugin as plugin

    t = Timers()
    saved = []

    def patch(obj, attr, new):
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, new)

    patch(generator.content.load, "load_content", t.wrap("内容读取与校验", generator.content.load.load_content))
    patch(generator.content.bundle, "build_bundle", t.wrap("引擎数据包", generator.content.bundle.build_bundle))
    real_producer = plugin._producer

    def producer(name):
        module = real_producer(name)

        class Timed:
            produce = staticmethod(t.wrap_iter(f"生成：{name}", module.produce))

        return Timed

    patch(plugin, "_producer", producer)
    patch(
        mk_build,
        "_populate_page",
        t.wrap(lambda page, *a, **k: f"Markdown：{page_kind(page)}", mk_build._populate_page),
    )
    patch(mk_build, "_build_page", t.wrap(lambda page, *a, **k: f"模板渲染：{page_kind(page)}", mk_build._build_page))
    # Pagefind runs while the other files are compressed (plugin.on_post_build): its CPU time is
    # counted when it is waited for.
    indexing = generator.site.pages.search.Indexing
    patch(indexing, "wait", t.wrap("Pagefind 索引", indexing.wait))
    patch(generator.site.offline, "write_manifest", t.wrap("离线清单", generator.site.offline.write_manifest))
    patch(generator.site.compress, "precompress", t.wrap("预压缩", generator.site.compress.precompress))
    patch(gen_build, "_swap", t.wrap("替换 site/", gen_build._swap))
    try:
        yield t
    finally:
        for obj, attr, old in reversed(saved):
            setattr(obj, attr, old)


def profile(project: Path) -> dict[str, float]:
    """CPU seconds per stage of one build of ``project`` (in this process)."""
    import generator.cli.build as gen_build

    cwd = os.getcwd()
    os.chdir(project)
    try:
        with instrumented() as t, t.stage("其他（MkDocs 本身、静态文件复制等）"):
            gen_build.build_site(project / "mkdocs.yml", project / "site")
    finally:
        os.chdir(cwd)
    return dict(t.cpu)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="按阶段剖析站点构建：每个阶段的 CPU 秒数与每增一份通知的 CPU 毫秒数。")
    parser.add_argument("--sizes", default="4,100", help="通知份数，逗号分隔（默认 4,100）")
    parser.add_argument("--json", type=Path, default=None, help="把结果另存为 JSON")
    parser.add_argument("--warm", action="store_true", help="每个规模先构建一次（填满压缩缓存等），只计第二次")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    results = {}
    with tempfile.TemporaryDirectory(prefix="zc-profile-") as tmp:
        for n in sizes:
            project = make_project(Path(tmp) / f"n{n}", n)
            if args.warm:
                profile(project)
            results[n] = profile(project)
            print(f"  … {n} 份通知：{sum(results[n].values()):.1f} CPU s", file=sys.stderr, flush=True)
    base = sizes[0]
    stages = sorted({s for r in results.values() for s in r}, key=lambda s: -results[sizes[-1]].get(s, 0))
    head = (
        "| 阶段 | "
        + " | ".join(f"{n} 份 CPU s" for n in sizes)
        + " | "
        + " | ".join(f"每增一份 ms（{base}→{n}）" for n in sizes[1:])
        + " |"
    )
    print(head)
    print("| --- |" + " ---: |" * (2 * len(sizes) - 1))
    for stage in stages + ["合计"]:
        vals = [sum(results[n].values()) if stage == "合计" else results[n].get(stage, 0.0) for n in sizes]
        marg = [1000 * (v - vals[0]) / (n - base) for v, n in zip(vals[1:], sizes[1:])]
        print(
            f"| {stage} | " + " | ".join(f"{v:.2f}" for v in vals) + " | " + " | ".join(f"{m:.1f}" for m in marg) + " |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({str(k): v for k, v in results.items()}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
