"""Site search in real headless Chromium: Pagefind loaded only on a search, Chinese queries typed,
pasted or composed with an input method, the shareable results page, ranking, phone and dark mode.

Bytes are counted as the uncompressed size on disk of every file the page requested, the
worker's requests included (Playwright reports them on the context).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

RESULTS = "[data-search-results]"
BOX = "#zc-search-input"
PANEL = "[data-zc-search-panel]"


def search_requests(page) -> list[str]:
    return [u for u in page.request_log.urls if "/pagefind/" in urlparse(u).path]


def bytes_on_disk(site_dir: Path, urls: list[str]) -> int:
    """Uncompressed bytes of the site files behind ``urls`` (each file counted once)."""
    total = 0
    for path in sorted({unquote(urlparse(u).path) for u in urls}):
        target = site_dir / path.lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"请求了不存在的文件：{path}"
        total += target.stat().st_size
    return total


def result_links(page) -> list[str]:
    page.wait_for_selector(f"{RESULTS} li a", timeout=30_000)
    return page.eval_on_selector_all(f"{RESULTS} > li > a", "els => els.map(e => e.getAttribute('href'))")


def panel_links(page) -> list[str]:
    page.wait_for_selector(f"{PANEL} li a", timeout=30_000)
    return page.eval_on_selector_all(f"{PANEL} li > a", "els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("path", ["", "notices/2025-bortala/", "templates/"])
def test_no_search_bytes_until_a_person_types(page, http_server, path):
    page.goto(http_server + path)
    page.wait_for_load_state("networkidle")
    page.click(BOX)
    page.wait_for_timeout(400)
    assert search_requests(page) == [], "页面加载或聚焦搜索框时就下载了搜索索引"
    page.keyboard.type("继续教育")
    links = panel_links(page)
    assert search_requests(page), "输入后应加载 Pagefind"
    assert links and "/notices/" in links[0], links
    # Each result says what it is, the region and the year.
    meta = page.inner_text(f"{PANEL} .zc-search-hit__meta")
    assert meta.startswith("通知 · ") and "年度" in meta, meta


def test_results_page_shows_notices_and_stays_small(page, http_server, site_dir):
    page.goto(http_server + "search/?q=继续教育")
    links = result_links(page)
    assert links[0].startswith("/notices/"), links
    assert sum("/notices/" in link for link in links) >= 2, links
    assert page.input_value("#zc-search-page-input") == "继续教育"
    assert "条结果" in page.inner_text("[data-search-status]")
    page.wait_for_load_state("networkidle")
    total = bytes_on_disk(site_dir, page.request_log.urls)
    assert total < 600_000, f"搜索结果页共下载 {total} 字节，应少于 600 KB"


@pytest.mark.parametrize("term", ["评审费", "继续教育", "遮盖", "413"])
def test_notice_pages_rank_first(page, http_server, term):
    page.goto(http_server + "search/?q=" + term)
    links = result_links(page)
    assert re.fullmatch(r"/notices/[^/]+/", links[0]), f"{term}：首个结果应为通知页：{links}"
    first = page.locator(f"{RESULTS} > li").first
    assert first.locator(".zc-search-hit__meta").inner_text().startswith("通知 · ")
    assert term in first.inner_text() or term in page.locator(f"{RESULTS} > li mark").first.inner_text()


def test_results_open_the_page_with_the_words(page, http_server):
    page.goto(http_server + "search/?q=遮盖")
    link = page.locator(f"{RESULTS} > li > a").first
    link.click()
    page.wait_for_url("**/notices/**")
    assert "遮盖" in page.inner_text("article")


def test_unknown_word_says_nothing_was_found(page, http_server):
    page.goto(http_server + "search/?q=qqzzxxyy")
    page.wait_for_function(
        "document.querySelector('[data-search-status]').textContent.includes('没有找到')", timeout=30_000
    )
    assert page.locator(f"{RESULTS} li").count() == 0
    assert "qqzzxxyy" in page.inner_text("[data-search-status]")


def test_enter_in_the_header_opens_the_results_page(page, http_server):
    page.goto(http_server + "notices/2023-hami/")
    page.fill(BOX, "评审费")
    page.press(BOX, "Enter")
    page.wait_for_url("**/search/?q=*")
    assert result_links(page)[0].startswith("/notices/")


def test_pasted_and_ime_composed_chinese_search(page, http_server):
    page.goto(http_server)
    page.click(BOX)
    # Paste: the text arrives in one input event without key presses.
    page.keyboard.insert_text("遮盖")
    assert "/notices/" in panel_links(page)[0]
    page.fill(BOX, "")
    page.wait_for_selector(PANEL, state="hidden")
    # Input method: pinyin is composed first, nothing is searched until the characters commit.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "jixujiaoyu", "selectionStart": 10, "selectionEnd": 10})
    page.wait_for_timeout(500)
    assert page.locator(PANEL).is_hidden(), "输入法组字期间不应搜索拼音"
    cdp.send("Input.insertText", {"text": "继续教育"})
    assert page.input_value(BOX) == "继续教育"
    assert "/notices/" in panel_links(page)[0]


def test_keyboard_reaches_the_results_and_escape_closes(page, http_server):
    page.goto(http_server)
    page.click(BOX)
    page.keyboard.type("评审费")
    panel_links(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('[data-zc-search-panel]') !== null")
    page.keyboard.press("Escape")
    assert page.locator(PANEL).is_hidden()
    assert page.evaluate("document.activeElement.id") == "zc-search-input"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_header_search_in_both_colour_schemes(page_factory, http_server, scheme):
    page = page_factory(mobile=True)
    page.emulate_media(color_scheme=scheme)
    page.goto(http_server + "notices/2025-bortala/")
    button = page.locator(".zc-search__button")
    assert button.is_visible()
    button.tap()
    box = page.locator(BOX)
    assert page.evaluate("document.activeElement.id") == "zc-search-input"
    width = box.evaluate("e => e.getBoundingClientRect().width")
    assert width >= 200, f"手机上展开后的搜索框太窄：{width}px"
    page.keyboard.type("评审费")
    links = panel_links(page)
    assert "/notices/" in links[0]
    panel = page.locator(PANEL).evaluate(
        "e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);"
        " return {left: r.left, right: r.right, fg: s.color, bg: s.backgroundColor}; }"
    )
    assert panel["left"] >= 0 and panel["right"] <= 390, panel
    assert panel["fg"] != panel["bg"], panel
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
