"""Generated pages of headings and HTML blocks skip Python-Markdown (generator/site/plainpage.py)
and come out exactly as Python-Markdown makes them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands import build as mk_build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.site import plainpage

ROOT = Path(__file__).resolve().parent.parent


def _snapshot(page: Page) -> dict:
    return {
        "content": page.content,
        "toc": [_toc(item) for item in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
    }


def _toc(item) -> tuple:
    return (item.title, item.id, item.level, [_toc(child) for child in item.children])


@pytest.fixture(scope="module")
def config():
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    yield cfg


def _both(config, markdown: str) -> tuple[dict, dict | None]:
    """(Python-Markdown's rendering, the bypass's rendering or None when it declines)."""
    file = File("notices/x/index.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    files = Files([file])
    page = Page(None, file, config)
    page.markdown = markdown
    Page.render(page, config, files)
    expected = _snapshot(page)
    fast = Page(None, file, config)
    fast.markdown = markdown
    render = plainpage.renderer(markdown, fast, plainpage.Settings(config))
    if render is None:
        return expected, None
    fast.render = render
    fast.render(config, files)
    assert "render" not in vars(fast), "the page's own render method is restored"
    return expected, _snapshot(fast)


PH = '<div data-zc-stash="{}"></div>'

RENDERED = [
    pytest.param(f"# 关于做好2025年度职称评审工作的通知\n\n{PH.format(0)}\n\n{PH.format(1)}\n", id="notice-head"),
    pytest.param(
        f"# 规则核对：博州2025年度\n\n{PH.format(0)}\n\n## 参数 {{ #parameters }}\n\n{PH.format(1)}", id="audit"
    ),
    pytest.param(
        "## 概述\n\n## 概述\n\n## 申报\n\n### Step 1 of 2\n\n#### a-b.c/d\n\n###### 六级", id="slug-collisions"
    ),
    pytest.param("# Rules\n\n## rules\n\n## x { #rules }\n\n## Rules", id="explicit-id-taken-by-slug"),
    pytest.param(f"{PH.format(0)}\n\n# 不是第一个\n\n{PH.format(1)}", id="h1-not-first"),
    pytest.param("## 选择通知 {: #choose }\n\n## 核验 {:#verdict}", id="attr-colon"),
    pytest.param("\n\n# 前后有空行\n\n\n", id="blank-lines"),
    pytest.param("# Ünïcödé 标题 2025", id="accents"),
    pytest.param("# 2025 年度 · 第1批 — 补报；说明：x/y, z.", id="punctuation"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("markdown", RENDERED)
def test_bypass_renders_what_python_markdown_renders(config, markdown):
    expected, got = _both(config, markdown)
    assert got is not None, "the bypass handles this page"
    assert got == expected


DECLINED = [
    pytest.param("# 通知 (2025)", id="ascii-parentheses"),
    pytest.param("# A\\_B", id="backslash-escape"),
    pytest.param("# a *b*", id="emphasis"),
    pytest.param("# a_b_c", id="underscore"),
    pytest.param("# R&amp;D", id="entity"),
    pytest.param("# <b>x</b>", id="html"),
    pytest.param("# a  b", id="double-space"),
    pytest.param("# [link](x)", id="link"),
    pytest.param("# `code`", id="code"),
    pytest.param("# 标题 #", id="closing-hashes"),
    pytest.param("#标题", id="no-space"),
    pytest.param("# 标题\n正文", id="paragraph"),
    pytest.param(f"# 标题\n{PH.format(0)}", id="no-blank-line"),
    pytest.param("# 标题 { #a .b }", id="attr-class"),
    pytest.param("正文", id="text"),
    pytest.param("- 列表", id="list"),
    pytest.param("####### 七级", id="seven-hashes"),
    pytest.param("   ", id="spaces-line"),
]


@pytest.mark.parametrize("markdown", DECLINED)
def test_bypass_declines_anything_else(config, markdown):
    _, got = _both(config, markdown)
    assert got is None


def test_unknown_markdown_extension_or_toc_option_turns_the_bypass_off(config):
    assert plainpage.Settings(config).usable
    other = load_config(str(ROOT / "mkdocs.yml"))
    other["markdown_extensions"] = [*other["markdown_extensions"], "footnotes"]
    assert not plainpage.Settings(other).usable
    other = load_config(str(ROOT / "mkdocs.yml"))
    other["mdx_configs"] = {**other["mdx_configs"], "toc": {**other["mdx_configs"]["toc"], "slugify": str.lower}}
    assert not plainpage.Settings(other).usable
    other = load_config(str(ROOT / "mkdocs.yml"))
    other["mdx_configs"] = {**other["mdx_configs"], "abbr": {"glossary": {"HTML": "超文本"}}}
    assert not plainpage.Settings(other).usable


def test_switched_off_by_environment(config, monkeypatch):
    monkeypatch.setenv("ZHICHENG_PLAIN_PAGES", "0")
    _, got = _both(config, "# 标题")
    assert got is None


def test_every_notice_page_of_the_real_build_is_rendered_by_the_bypass_exactly(tmp_path, monkeypatch):
    """The real site is built; every page the bypass renders is also rendered by MkDocs'
    Page.render (Python-Markdown), and the two must agree in content, table of contents,
    title, anchors and anchor links. Every notice page and rule audit page takes the bypass."""
    compared: dict[str, tuple[dict, dict]] = {}
    real = plainpage.renderer

    def checking(markdown, page, settings):
        fast = real(markdown, page, settings)
        if fast is None:
            return None

        def render(config, files):
            Page.render(page, config, files)
            expected = _snapshot(page)
            fast(config, files)
            compared[page.file.src_uri] = (expected, _snapshot(page))

        return render

    monkeypatch.setattr(plainpage, "renderer", checking)
    monkeypatch.setenv("ZHICHENG_SEARCH_INDEX", "0")
    monkeypatch.chdir(ROOT)
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        mk_build.build(cfg)
    finally:
        logger.setLevel(level)
    notices = sorted(p.stem for p in (ROOT / "content" / "notices").glob("*.yaml"))
    assert notices
    for nid in notices:
        assert f"notices/{nid}/index.md" in compared
        assert f"notices/{nid}/rules.md" in compared
    for uri, (expected, got) in compared.items():
        assert got == expected, uri
    # and the pages written are the pages made
    page = (tmp_path / "site" / "notices" / notices[0] / "index.html").read_text(encoding="utf-8")
    assert compared[f"notices/{notices[0]}/index.md"][1]["content"].split("\n", 1)[0] in page


def test_markdown_changed_after_the_bypass_was_chosen_goes_through_python_markdown(config):
    """Another plugin may change page.markdown after ours: the page is then rendered by
    Python-Markdown from what it holds at render time."""
    file = File("notices/x/index.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    page = Page(None, file, config)
    page.markdown = "# 标题"
    render = plainpage.renderer(page.markdown, page, plainpage.Settings(config))
    assert render is not None
    page.render = render
    page.markdown = "# 标题\n\n*强调*"
    page.render(config, Files([file]))
    assert "<em>强调</em>" in page.content
    assert "render" not in vars(page)
