"""``make serve`` (``mkdocs serve --dirty``) rebuilds incrementally and shows an edit.

A real dev server on a copy of the project: editing a notice's YAML re-renders only the pages
that show it (the server's log names how many of how many), the notice page and the notices
list then serve the new text, other pages are unchanged, a content error is reported in Chinese
at its line and the fix then shows, and the search index is built in the background. No timing is asserted:
``benchmarks/serve_reload.py`` measures edit → served at 200 notices.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve_reload import Server, fetch, set_short_title  # noqa: E402
from benchmarks.synthetic import make_project  # noqa: E402

NOTICE = "2025-bortala"
OTHER = "2023-hami"
REBUILT = re.compile(r"增量构建：重新生成了 (\d+) / (\d+) 个页面")


def page_text(server: Server, path: str) -> str | None:
    """The served page without the live-reload script (its numbers change with every build)."""
    text = fetch(server.base + path)
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", text) if text is not None else None


def rebuilt(server: Server) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for line in server.lines if (m := REBUILT.search(line))]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("serve") / "project", 6)
    srv = Server(project)
    srv.project = project
    try:
        srv.wait_for(lambda: fetch(srv.base + f"notices/{NOTICE}/"), 600, "首次构建")
        srv.wait_for(lambda: rebuilt(srv), 60, "构建日志")
        yield srv
    finally:
        srv.stop()


def test_first_build_renders_every_page(server):
    done, total = rebuilt(server)[0]
    assert done == total and total > 20


def test_edit_shows_on_the_notice_page_and_the_list_only_its_pages_rerendered(server):
    path = server.project / "content" / "notices" / f"{NOTICE}.yaml"
    other_before = page_text(server, f"notices/{OTHER}/")
    builds = len(rebuilt(server))
    set_short_title(path, "博州2025年度职称评审（编辑修改一）")
    page = server.wait_for(
        lambda: (t := fetch(server.base + f"notices/{NOTICE}/")) and "编辑修改一" in t and t, 300, "修改后的通知页"
    )
    assert "<h1" in page and "博州2025年度职称评审（编辑修改一）" in page
    server.wait_for(lambda: len(rebuilt(server)) > builds, 60, "构建日志")
    assert "博州2025年度职称评审（编辑修改一）" in fetch(server.base + "notices/")
    done, total = rebuilt(server)[-1]
    assert 0 < done < total / 2, f"增量构建重新生成了 {done} / {total} 个页面"
    assert page_text(server, f"notices/{OTHER}/") == other_before


def test_content_error_is_reported_then_the_fix_shows(server):
    """A content error stops the rebuild with the Chinese message at file:line (MkDocs then holds
    requests until a build succeeds); after the fix, a full rebuild serves the corrected page."""
    path = server.project / "content" / "notices" / f"{NOTICE}.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("\nyear: 2025\n", "\nyear: 二〇二五\n", 1), encoding="utf-8")
    server.wait_for(lambda: server.count("内容校验失败") >= 1, 300, "中文错误信息")
    server.wait_for(lambda: any(f"{NOTICE}.yaml:5:" in line for line in server.lines), 30, "出错的行号")
    path.write_text(good, encoding="utf-8")
    set_short_title(path, "博州2025年度职称评审（编辑修改二）")
    server.wait_for(lambda: "编辑修改二" in (fetch(server.base + f"notices/{NOTICE}/") or ""), 300, "修正后的通知页")
    assert "编辑修改二" in fetch(server.base + "notices/")


def test_search_index_is_built_in_the_background(server):
    server.wait_for(lambda: server.count("搜索索引（Pagefind）已更新") >= 1, 600, "搜索索引")
    assert fetch(server.base + "pagefind/pagefind.js")
