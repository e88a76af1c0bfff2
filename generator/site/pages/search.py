"""Site search: the results page ``search/index.md`` and the Pagefind index built after the site.

Material's own search plugin put one lunr index of the whole site (596 KB at 4 notices, about
25 MB at 200) into every page. Pagefind instead writes a chunked index into ``pagefind/``; the
browser downloads its small entry files and the fragments a query needs, and only once a
person searches (site_overrides/assets/javascripts/search.js). The extended Pagefind binary
(PyPI ``pagefind[extended]``, installed by ``make setup``) segments Chinese.

What is indexed is decided in site_overrides/main.html: the article of every page inside
``data-pagefind-body``, with the front matter key ``zc_search`` giving the result's title, kind
(通知 / 地区 / 模板 / 页面), region, year and weight (notices rank above templates).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.errors import UserError
from generator.site.context import Artifact, SiteContext
from generator.site.pages.notices import front_matter

BUNDLE_DIR = "pagefind"


def index_glob(site_dir: Path) -> str:
    """Pagefind's ``--glob``: every HTML page of ``site_dir`` but the rule audits
    (``notices/<id>/rules/``, ``zc_search: false`` in generator/site/pages/audit.py).

    Pagefind's cost is mostly reading and parsing each file — a page without data-pagefind-body
    costs it nearly as much as an indexed one (measured at 100 notices) — so a page kept out of
    the index is kept out of its glob too: one page less per notice, about 7 ms of CPU."""
    parts = ["*.html"]
    for entry in sorted(site_dir.iterdir()):
        if entry.is_dir() and entry.name not in (BUNDLE_DIR, "notices") and not entry.name.startswith("."):
            parts.append(f"{entry.name}/**/*.html")
    # notices/: the list, each notice page and everything below it but its rule audit
    parts += ["notices/*.html", "notices/*/*.html", "notices/*/source/**/*.html"]
    return "{" + ",".join(parts) + "}"


UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    yield Artifact(
        "search/index.md",
        ctx.render(
            "search.html",
            front_matter=front_matter(
                title="搜索",
                description="在全部通知、地区与模板中搜索：申报条件、材料、费用、遮盖要求、继续教育……",
                zc_search=False,
                hide=["toc"],
            ),
        ),
    )


def executable() -> Path:
    try:
        import pagefind_bin_extended
    except ImportError:
        raise UserError("找不到 Pagefind（PyPI 包 pagefind[extended]）：请先运行 make setup") from None
    try:
        return Path(pagefind_bin_extended.get_executable())
    except Exception as err:  # noqa: BLE001 - the package raises a bare error without its binary
        raise UserError(f"Pagefind 程序不可用：{err}；请重新运行 make setup") from None


def build_index(site_dir: Path, output: Path | None = None, *, background: bool = False) -> None:
    """Index the built site in place; the bundle goes to ``site_dir/pagefind/`` (or ``output``).
    ``background``: at the lowest CPU priority (under ``mkdocs serve``, behind the rebuilds)."""
    start_index(site_dir, output, background=background).wait()


class Indexing:
    """Pagefind running on a written site; ``wait()`` checks its bundle (UserError on failure).
    Pagefind only reads the pages, so other work on the site may go on meanwhile."""

    def __init__(self, proc: subprocess.Popen, bundle: Path):
        self.proc, self.bundle = proc, bundle

    def wait(self) -> None:
        stdout, stderr = self.proc.communicate()
        if self.proc.returncode != 0:
            detail = (stderr or stdout).strip()
            raise UserError(f"生成搜索索引（Pagefind）失败：\n{detail}")
        if not (self.bundle / "pagefind.js").is_file():
            raise UserError(f"生成搜索索引（Pagefind）失败：{self.bundle} 中没有 pagefind.js")
        # Pagefind's prebuilt UIs are not used (search.js talks to pagefind.js): do not ship them.
        for pattern in UNUSED:
            for path in self.bundle.glob(pattern):
                path.unlink()


def start_index(site_dir: Path, output: Path | None = None, *, background: bool = False) -> Indexing:
    """Starts Pagefind on ``site_dir`` (see build_index) and returns at once."""
    import os

    where = ["--output-path", str(output)] if output is not None else ["--output-subdir", BUNDLE_DIR]
    proc = subprocess.Popen(
        [
            str(executable()),
            "--site",
            str(site_dir),
            *where,
            "--quiet",
            "--glob",
            index_glob(site_dir),
            # the "¶" permalinks of headings are not text to find or to show in results
            "--exclude-selectors",
            ".headerlink",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.nice(19)) if background else None,
    )
    return Indexing(proc, output if output is not None else site_dir / BUNDLE_DIR)
