"""The check page on a site with many notices, in real headless Chromium.

``big_site`` (tests/conftest.py) holds the bundled notices plus synthetic copies in earlier years.
The page embeds only the likely notices and the worker starts with a core holding none: an old
notice preselected with ``?notice=`` must still show its own form and checklist and be evaluated
exactly as the command line does, while the browser downloads that notice's files and no other's;
a missing or corrupt notice file must end in a Chinese error, not a hang.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from casedata import load_cases
from conftest import RequestLog, _QuietHandler, _QuietServer
from enginedata import served_bundle

from generator.engine import EngineError, evaluate

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-01-10T12:00"

EVALUATE = """async ([notice, profile, today]) => {
  try {
    return {ok: true, data: await window.validator.evaluate(notice, profile, today ? {today} : undefined)};
  } catch (err) {
    return {ok: false, data: {message: err.message, problems: err.problems || []}, isError: err instanceof Error};
  }
}"""


@pytest.fixture(scope="module")
def big_server(big_site):
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(big_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def big_bundle(big_site):
    return served_bundle(big_site)


@pytest.fixture
def big_page(browser, big_server):
    """A page in a fresh context; fails the test if anything is asked of another host."""
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True)
    log = RequestLog(big_server)
    ctx.on("request", log.record)
    ctx.route(lambda url: not url.startswith(big_server), lambda route: route.abort())
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.request_log = log
    yield page
    ctx.close()
    assert not log.foreign(), log.foreign()


def old_notice(big_bundle) -> str:
    """The oldest synthetic copy of the Bortala notice (conditional materials, many questions)."""
    copies = sorted(i for i in big_bundle["notices"] if re.fullmatch(r"\d{4}-bortala-s\d+", i))
    assert copies, sorted(big_bundle["notices"])[:5]
    return copies[0]


def cli_json(big_site, notice, profile, tmp_path) -> dict:
    """``python -m generator eligibility --json`` on the big site's project."""
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "eligibility", "--json", "--notice", notice, "--profile", str(path)]
        + ["--today", TODAY, "--content", str(big_site.parent / "project" / "content")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def valid(bundle, notice, case) -> bool:
    try:
        evaluate(bundle, notice, case["input"])
    except EngineError:
        return False
    return True


def wait_ready(page):
    page.wait_for_function("window.validator && window.validator.state.status !== 'loading'", timeout=120_000)
    assert page.evaluate("window.validator.state.status") == "ready", page.inner_text("#zc-status")


def test_an_old_notice_shows_its_form_and_checklist_and_evaluates_as_the_cli(
    big_page, big_server, big_site, big_bundle, tmp_path
):
    page = big_page
    notice = old_notice(big_bundle)
    data = big_bundle["notices"][notice]
    html = (big_site / "check/index.html").read_text(encoding="utf-8")
    assert notice not in html  # not in the page: its data comes on demand

    page.goto(big_server + f"check/?notice={notice}", wait_until="domcontentloaded")
    page.wait_for_function("window.zhichengCheck && window.zhichengCheck.notice")
    assert page.input_value("#zc-notice") == notice
    # Its checklist, complete, before Python: every material, nothing of another notice.
    assert page.eval_on_selector_all(".zc-list:not([hidden])", "els => els.map(e => e.dataset.notice)") == [notice]
    section = page.locator(f"#checklist-{notice}")
    assert section.locator("li[data-item]").evaluate_all("els => els.map(e => e.dataset.item)") == [
        m["id"] for m in data["materials"]
    ]
    for m in data["materials"]:
        item = section.locator(f"li[data-item='{m['id']}']")
        assert m["title"] in item.inner_text()
        assert item.locator("a.zc-clause-link").get_attribute("href") == f"../notices/{notice}/#material-{m['id']}"
    # Its form: the engine's first questions, then (显示全部问题) every field its rules use.
    shown = "els => els.map(e => e.dataset.fieldWrap)"
    first = evaluate(big_bundle, notice, {})["questions"][:3]
    assert set(page.eval_on_selector_all("[data-field-wrap]:not([hidden])", shown)) == set(first)
    page.click("#zc-all-questions")
    assert set(page.eval_on_selector_all("[data-field-wrap]:not([hidden])", shown)) == set(data["profile_fields"])

    wait_ready(page)
    # What the worker downloaded of the rules: the core, this notice's year and this notice.
    engine = sorted(u.split("/data/engine/", 1)[1] for u in page.request_log.urls if "/data/engine/" in u)
    assert sorted(set(engine)) == sorted(["core.json", f"year-{notice[:4]}.json", f"{notice}.json"])

    # The same answers as the command line, for the notice's own cases and an empty profile.
    profiles = [{}] + [
        c["input"] for c in load_cases() if c["notice"] == "2025-bortala" and valid(big_bundle, notice, c)
    ][:3]
    for profile in profiles:
        got = page.evaluate(EVALUATE, [notice, profile, TODAY])
        assert got["ok"], got
        assert got["data"] == cli_json(big_site, notice, profile, tmp_path)
    # The page's own verdict for what its form holds (nothing yet) is the engine's.
    page.wait_for_function("window.zhichengCheck.settled()")
    expected = evaluate(big_bundle, notice, page.evaluate("window.zhichengCheck.profile()"))
    assert page.get_attribute("#zc-verdict", "data-verdict") == expected["verdict"]

    # Any other notice of the site, even one the page never showed: the same object as CPython.
    others = sorted(big_bundle["notices"])[:2] + sorted(big_bundle["notices"])[-2:]
    for other in others:
        got = page.evaluate(EVALUATE, [other, {"employment_status": "employed"}, None])
        assert got == {"ok": True, "data": evaluate(big_bundle, other, {"employment_status": "employed"})}
    # An id that is no notice: the engine's Chinese error, word for word the CLI's.
    got = page.evaluate(EVALUATE, ["2099-nowhere", {}, None])
    with pytest.raises(EngineError) as expected_error:
        evaluate(big_bundle, "2099-nowhere", {})
    assert got["ok"] is False and got["isError"] is True
    assert got["data"]["message"] == expected_error.value.message and "未知的通知" in got["data"]["message"]


def test_every_year_is_reachable_from_the_chooser(big_page, big_server, big_bundle):
    page = big_page
    page.goto(big_server + "check/", wait_until="domcontentloaded")
    page.wait_for_function("window.zhichengCheck && window.zhichengCheck.notice")
    years = sorted({i[:4] for i in big_bundle["notices"]})
    offered = page.eval_on_selector_all("#zc-year option", "els => els.map(e => e.value).filter(Boolean)")
    assert sorted(offered) == years
    page.click("#zc-earlier summary")
    year = years[1]
    page.select_option("#zc-year", year)
    page.wait_for_function("!document.querySelector('#zc-year-notice').disabled")
    listed = page.eval_on_selector_all("#zc-year-notice option", "els => els.map(e => e.value).filter(Boolean)")
    assert sorted(listed) == sorted(i for i in big_bundle["notices"] if i.startswith(year + "-"))
    target = listed[-1]
    page.select_option("#zc-year-notice", target)
    page.wait_for_function(f"window.zhichengCheck.notice === '{target}'")
    assert page.input_value("#zc-notice") == target
    assert page.eval_on_selector_all(".zc-list:not([hidden])", "els => els.map(e => e.dataset.notice)") == [target]
    assert "已选择" in page.inner_text("#zc-year-msg")
    assert f"notice={target}" in page.url
    # Chosen once, it is the page's notice on the next visit too.
    page.goto(big_server + "check/", wait_until="domcontentloaded")
    page.wait_for_function(f"window.zhichengCheck && window.zhichengCheck.notice === '{target}'")


@pytest.mark.parametrize(
    "how, expected",
    [("missing", "HTTP 404"), ("corrupt", "未通过 sha256 校验")],
)
def test_a_missing_or_corrupt_notice_file_is_a_chinese_error(big_page, big_server, big_site, big_bundle, how, expected):
    page = big_page
    notice = old_notice(big_bundle)
    url = f"**/data/engine/{notice}.json"
    if how == "missing":
        page.route(url, lambda route: route.fulfill(status=404, body="not found"))
    else:
        body = (big_site / "data/engine" / f"{notice}.json").read_bytes().replace(b'"blocker"', b'"warning"', 1)
        page.route(url, lambda route: route.fulfill(status=200, body=body, content_type="application/json"))
    page.goto(big_server + f"check/?notice={notice}")
    wait_ready(page)  # the runtime itself is fine
    got = page.evaluate(EVALUATE, [notice, {}, None])
    assert got["ok"] is False and got["isError"] is True
    message = got["data"]["message"]
    assert message.startswith(f"无法载入通知“{notice}”的规则数据：") and expected in message, message
    assert "刷新页面重试" in message
    # The page says so where the verdict would be, and keeps the full checklist.
    page.wait_for_function("document.querySelector('#zc-verdict').dataset.verdict === 'invalid'")
    assert expected in page.inner_text("#zc-verdict")
    assert page.locator(f"#checklist-{notice} li[data-item]").first.is_visible()
    # Other notices are not affected.
    fine = page.evaluate(EVALUATE, ["2025-bortala", {}, None])
    assert fine == {"ok": True, "data": evaluate(big_bundle, "2025-bortala", {})}
