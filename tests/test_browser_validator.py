"""The check/ page in real headless Chromium: the engine in Pyodide, the form, local data.

Runs against the real site (``site_dir`` = ``mkdocs build --strict`` of content/). Every page
fixture fails the test if any request leaves the local server.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from casedata import load_cases
from enginedata import served_bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator.engine import EngineError, count_workdays, evaluate, nth_workday

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PREFERRED = "2025-bortala"


@pytest.fixture(scope="module")
def bundle(site_dir):
    """The rules the browser uses, as served (data/engine/, put together); the CPython side gets
    the same dict."""
    return served_bundle(site_dir)


@pytest.fixture(scope="module")
def cli_bundle():
    """What `python -m generator eligibility` evaluates against (built from content/)."""
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    return build_bundle(load_content(ROOT / "content"))


def cpython(bundle, notice, profile, today=None) -> dict:
    """The CLI's answer as a plain JSON object, or the error in the browser's shape."""
    try:
        result = evaluate(bundle, notice, profile, today=today)
    except EngineError as err:
        return {"ok": False, "data": err.to_dict()}
    return {"ok": True, "data": json.loads(json.dumps(result, ensure_ascii=False))}


BROWSER_BATCH = """async (items) => {
  await window.validator.ready;
  const out = [];
  for (const it of items) {
    try {
      const opts = it.today ? {today: it.today} : undefined;
      out.push({ok: true, data: await window.validator.evaluate(it.notice, it.profile, opts)});
    } catch (err) {
      out.push({ok: false, data: {message: err.message, problems: err.problems || []},
                isError: err instanceof Error});
    }
  }
  return out;
}"""


def browser_batch(page, items):
    return page.evaluate(BROWSER_BATCH, items)


def open_check(page, base, notice=None, full_form=False):
    """Opens the check page; ``full_form`` presses "显示全部问题" (every question at once)."""
    url = base + "check/" + (f"?notice={notice}" if notice else "")
    page.goto(url)
    page.wait_for_function("window.validator && window.validator.state.status !== 'loading'", timeout=120_000)
    assert page.evaluate("window.validator.state.status") == "ready", page.inner_text("#zc-status")
    if full_form:
        page.click("#zc-all-questions")
        assert page.get_attribute("#zc-all-questions", "aria-pressed") == "true"


def wait_settled(page):
    """Until the verdict on screen is the engine's answer for what the form holds now."""
    page.wait_for_function("window.zhichengCheck && window.zhichengCheck.settled()")


def by_year(profile: dict) -> dict:
    profile = dict(profile)
    if "continuing_education" in profile:
        profile["continuing_education"] = sorted(profile["continuing_education"], key=lambda e: str(e.get("year")))
    return profile


def notice_for_flow(bundle) -> str:
    return PREFERRED if PREFERRED in bundle["notices"] else sorted(bundle["notices"])[0]


def flow_case(bundle, notice) -> dict | None:
    """A data case for ``notice`` whose profile only uses fields the notice's form shows."""
    fields = set(bundle["notices"][notice].get("profile_fields") or ())
    best = None
    for case in load_cases():
        if case["notice"] != notice or not isinstance(case["input"], dict):
            continue
        if not set(case["input"]) <= fields:
            continue
        if cpython(bundle, notice, case["input"])["ok"] and (best is None or len(case["input"]) > len(best["input"])):
            best = case
    return best


def fill_profile(page, bundle, profile: dict):
    schema = bundle["applicant_schema"]["properties"]
    for name, value in profile.items():
        prop = schema[name]
        if name == "continuing_education":
            for entry in value:
                rows = page.locator("#zc-ce-rows tr")
                index = None
                for i in range(rows.count()):
                    if rows.nth(i).locator("[data-ce=year]").input_value() == str(entry["year"]):
                        index = i
                        break
                if index is None:
                    page.click("#zc-ce-add")
                    index = rows.count() - 1
                    rows.nth(index).locator("[data-ce=year]").fill(str(entry["year"]))
                rows.nth(index).locator("[data-ce=total]").fill(str(entry["total_hours"]))
                rows.nth(index).locator("[data-ce=professional]").fill(str(entry["professional_hours"]))
        elif "enum" in prop:
            page.select_option(f"#f-{name}", value)
        elif prop.get("type") == "boolean":
            page.select_option(f"#f-{name}", "true" if value else "false")
        else:
            page.fill(f"#f-{name}", str(value))


# ----------------------------------------------------------------------------- API and parity


def test_every_data_case_gives_the_identical_object_in_the_browser(page, http_server, bundle, cli_bundle):
    cases = load_cases()
    if not cases:
        pytest.skip("tests/cases/ 中还没有数据用例")
    open_check(page, http_server)
    items = [{"notice": c["notice"], "profile": c["input"], "today": c.get("today")} for c in cases]
    got = browser_batch(page, items)
    mismatches = []
    for case, item, answer in zip(cases, items, got):
        expected = cpython(cli_bundle, item["notice"], item["profile"], item["today"])
        answer.pop("isError", None)
        if answer != expected:
            mismatches.append(f"{case['file']}: {case.get('name')}")
    assert not mismatches, "浏览器与命令行结果不一致：\n" + "\n".join(mismatches)
    assert len(got) == len(cases)


INVALID_PROFILES = [
    {"graduated_on": "2025-13-01"},
    {"graduated_on": "2025-02-30", "education": "bachelor"},
    {"education": "小学"},
    {"full_time": "yes", "dispatched_months": -1},
    {"target_level": 3, "timline": "x"},
    {"continuing_education": [{"year": 2024, "total_hours": 90}]},
    {"continuing_education": [{"year": "2024", "total_hours": -5, "professional_hours": "a"}]},
    {"work_summary_chars": 1.5, "publicity_start": "2025/09/01"},
    ["not", "an", "object"],
    None,
]


def test_invalid_profiles_give_the_same_errors_as_cpython(page, http_server, bundle):
    open_check(page, http_server)
    notice = notice_for_flow(bundle)
    items = [{"notice": notice, "profile": p, "today": None} for p in INVALID_PROFILES]
    got = browser_batch(page, items)
    for profile, answer in zip(INVALID_PROFILES, got):
        expected = cpython(bundle, notice, profile)
        assert expected["ok"] is False, profile
        assert answer["ok"] is False and answer["isError"] is True, profile
        assert answer["data"]["message"] == expected["data"]["message"]
        assert answer["data"]["problems"] == expected["data"]["problems"]
        assert answer["data"]["problems"], profile


APPLICANT_SCHEMA = json.loads((ROOT / "schemas" / "applicant.schema.json").read_text(encoding="utf-8"))
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.text(max_size=12)
    | st.sampled_from(["2025-02-30", "2024-07-01", "retired", "bachelor", "junior"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ANY_PROFILE = st.one_of(
    from_schema(APPLICANT_SCHEMA),
    st.dictionaries(st.sampled_from(sorted(APPLICANT_SCHEMA["properties"])), JSON_VALUES, max_size=6),
    JSON_VALUES,
)


def js_like(value):
    """The value as JavaScript holds it: a JS number has no int/float distinction (90.0 is 90), and
    an object lists its array-index keys ("0", "4", …) first, ascending, then the others in order."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        index = sorted((k for k in value if re.fullmatch(r"0|[1-9][0-9]*", k) and int(k) < 2**32 - 1), key=int)
        keys = index + [k for k in value if k not in index]
        return {k: js_like(value[k]) for k in keys}
    if isinstance(value, list):
        return [js_like(v) for v in value]
    return value


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_profiles_agree_with_cpython(page_factory, http_server, bundle, data):
    """Hypothesis profiles (valid by the schema, near-valid, or any JSON): same answer in both."""
    notices = sorted(bundle["notices"])
    items = [
        {"notice": data.draw(st.sampled_from(notices)), "profile": js_like(data.draw(ANY_PROFILE)), "today": None}
        for _ in range(40)
    ]
    page = page_factory()
    open_check(page, http_server)
    got = browser_batch(page, items)
    for item, answer in zip(items, got):
        answer.pop("isError", None)
        assert answer == cpython(bundle, item["notice"], item["profile"]), item


def test_unknown_notice_rejects_with_a_chinese_error(page, http_server, bundle):
    open_check(page, http_server)
    [answer] = browser_batch(page, [{"notice": "2099-nowhere", "profile": {}, "today": None}])
    assert answer["ok"] is False and answer["isError"] is True
    assert "未知的通知" in answer["data"]["message"] and "2099-nowhere" in answer["data"]["message"]
    assert answer["data"]["message"] == cpython(bundle, "2099-nowhere", {})["data"]["message"]


def test_runtime_comes_from_this_site_only(page, http_server):
    open_check(page, http_server)
    urls = page.request_log.urls
    assert any(u.endswith("/assets/pyodide/pyodide.asm.wasm") for u in urls)
    # The engine comes as one archive of precompiled Python, not as wheels.
    assert any(re.search(r"/assets/pyodide/zhicheng-engine-[0-9a-f]{16}\.zip$", u) for u in urls)
    assert not any(u.endswith(".whl") for u in urls)
    assert any(u.endswith("/data/engine/core.json") for u in urls)
    info = page.evaluate("window.validator.state.info")
    assert info["python"].startswith("3.")


# ----------------------------------------------------------------------------- progressive page


def test_page_is_useful_before_python_and_explains_a_failed_load(page_factory, http_server, bundle):
    page = page_factory()
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    notice = notice_for_flow(bundle)
    page.goto(http_server + f"check/?notice={notice}")
    # Before (here: without) Python: the full checklist of the notice is on the page.
    section = page.locator(f"#checklist-{notice}")
    assert section.is_visible()
    materials = bundle["notices"][notice]["materials"]
    assert section.locator("li[data-item]").count() == len(materials)
    for m in materials:
        assert section.locator(f"li[data-item='{m['id']}']").is_visible()
    page.wait_for_function("window.validator.state.status === 'error'", timeout=120_000)
    error = page.locator("#zc-error")
    assert error.is_visible()
    text = error.inner_text()
    assert "核验程序加载失败" in text and "完整材料清单" in text
    assert error.locator("a[href='#checklist']").count() == 1
    assert error.locator(f"a[href='../notices/{notice}/#materials']").count() == 1


def test_no_webassembly_gives_a_chinese_message(page_factory, http_server):
    page = page_factory()
    page.add_init_script("delete window.WebAssembly;")
    page.goto(http_server + "check/")
    page.wait_for_function("window.validator.state.status === 'error'")
    assert "不支持 WebAssembly" in page.inner_text("#zc-error")
    assert page.locator(".zc-list:not([hidden]) li[data-item]").count() > 0


def test_progress_indicator_is_shown_while_loading(page, http_server):
    page.goto(http_server + "check/", wait_until="domcontentloaded")
    assert page.locator("#zc-progress").count() == 1
    assert "加载" in page.inner_text("#zc-status")
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    assert page.locator("#zc-progress").is_hidden()
    assert "已就绪" in page.inner_text("#zc-status")


BUNDLE_LOADED = (
    "() => performance.getEntriesByType('resource').filter(e => /\\/bundle\\.[0-9a-f]+\\.min\\.js$/.test(e.name))"
)


def test_material_bundle_waits_for_the_validator_or_the_first_touch(page_factory, http_server):
    """The check page leaves Material's bundle out of Pyodide's start (md-deferred.js): it is
    requested only after the validator is ready, then works (the colour toggle applies and saves
    the scheme); touched earlier, the page loads it at once and the early choice is applied."""
    page = page_factory(mobile=True)
    page.goto(http_server + "check/", wait_until="domcontentloaded")
    assert page.locator("script[data-bundle]").count() == 1
    assert page.locator("script[src*='/bundle.']").count() == 0
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    ready_at = page.evaluate("window.validator.state.info.readyAt")
    page.wait_for_function(f"({BUNDLE_LOADED})().length === 1")
    requested_at = page.evaluate(f"({BUNDLE_LOADED})()[0].startTime")
    assert requested_at >= ready_at, (requested_at, ready_at)
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")

    # The first touch while Python still loads: the bundle comes at once, the choice is kept.
    early = page_factory(mobile=True)
    errors = []
    early.on("pageerror", lambda err: errors.append(str(err)))
    early.goto(http_server + "check/", wait_until="domcontentloaded")
    scheme = early.get_attribute("body", "data-md-color-scheme")
    early.locator("label.md-header__button[for^='__palette']:visible").first.click()
    early.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    early.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    requested_at = early.evaluate(f"({BUNDLE_LOADED})()[0].startTime")
    assert requested_at < early.evaluate("window.validator.state.info.readyAt")
    saved = early.evaluate("JSON.parse(localStorage.getItem(new URL('..', location).pathname + '.__palette'))")
    assert saved["color"]["scheme"] == early.get_attribute("body", "data-md-color-scheme")
    assert not errors, errors


# ----------------------------------------------------------------------------- the user's flow


def test_notice_is_preselected_and_form_shows_only_its_fields(page, http_server, bundle):
    for notice, data in bundle["notices"].items():
        # The form is built at build time: no need to wait for Python here.
        page.goto(http_server + f"check/?notice={notice}", wait_until="domcontentloaded")
        page.wait_for_function("window.zhichengCheck && window.zhichengCheck.notice")
        assert page.input_value("#zc-notice") == notice
        # At the start: only the engine's first questions for an empty profile.
        first = evaluate(bundle, notice, {})["questions"][:3]
        shown = set(
            page.eval_on_selector_all("[data-field-wrap]:not([hidden])", "els => els.map(e => e.dataset.fieldWrap)")
        )
        assert shown == set(first), notice
        # "显示全部问题": every field the notice's rules use, and no other.
        page.click("#zc-all-questions")
        shown = set(
            page.eval_on_selector_all("[data-field-wrap]:not([hidden])", "els => els.map(e => e.dataset.fieldWrap)")
        )
        assert shown == set(data["profile_fields"]), notice
        visible_lists = page.eval_on_selector_all(".zc-list:not([hidden])", "els => els.map(e => e.dataset.notice)")
        assert visible_lists == [notice]
        assert page.input_value("#zc-notice") == notice
        # Chinese labels from the applicant schema.
        for name in data["profile_fields"]:
            title = bundle["applicant_schema"]["properties"][name]["title"]
            assert title in page.inner_text(f"[data-field-wrap='{name}']")


def test_unknown_notice_in_the_address_is_explained(page, http_server, bundle):
    page.goto(http_server + "check/?notice=2099-nowhere", wait_until="domcontentloaded")
    page.wait_for_function("window.zhichengCheck && window.zhichengCheck.notice")
    assert "2099-nowhere" in page.inner_text("#zc-data-msg") and "不存在" in page.inner_text("#zc-data-msg")
    assert page.input_value("#zc-notice") in bundle["notices"]


def test_user_fills_the_form_and_gets_the_engines_verdict_and_checklist(page_factory, http_server, bundle):
    notice = notice_for_flow(bundle)
    case = flow_case(bundle, notice)
    if case is None:
        pytest.skip(f"没有只用 {notice} 表单字段的数据用例")
    page = page_factory(mobile=True)
    open_check(page, http_server, notice, full_form=True)
    fill_profile(page, bundle, case["input"])
    wait_settled(page)
    profile = page.evaluate("window.zhichengCheck.profile()")
    assert by_year(profile) == by_year(case["input"])
    today = page.evaluate("window.zhichengCheck.result.window ? window.zhichengCheck.result.window.today : null")
    expected = cpython(bundle, notice, case["input"], today)["data"]
    assert page.get_attribute("#zc-verdict", "data-verdict") == expected["verdict"]
    assert page.get_attribute("#zc-verdict", "data-verdict") == case["output"]["verdict"]
    shown = page.eval_on_selector_all("#zc-reasons li", "els => els.map(e => [e.dataset.rule, e.dataset.outcome])")
    assert sorted(map(tuple, shown)) == sorted((r["rule"], r["outcome"]) for r in expected["reasons"])
    # Every reason shows its message (one tap away: 逐条核验结果) and links to the rule.
    page.click("#zc-reasons-all summary")
    for r in expected["reasons"]:
        item = page.locator(f"#zc-reasons li[data-rule='{r['rule']}']")
        assert r["message"] in item.inner_text()
        link = item.locator("a.zc-clause-link")
        assert link.get_attribute("href") == f"../notices/{notice}/#rule-{r['rule']}"
        if r.get("clause"):
            assert r["clause"] in link.inner_text()
    section = page.locator(f"#checklist-{notice}")
    listed = section.locator("li[data-item]:not([hidden])")
    assert sorted(listed.evaluate_all("els => els.map(e => e.dataset.item)")) == sorted(
        c["item"] for c in expected["checklist"]
    )
    for c in expected["checklist"]:
        assert c["why"] in section.locator(f"li[data-item='{c['item']}']").inner_text()
    # Phone-friendly: nothing wider than the screen.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390 + 1


def test_rule_and_material_links_point_at_existing_anchors(site_dir, bundle):
    for notice, data in bundle["notices"].items():
        html = (site_dir / "notices" / notice / "index.html").read_text(encoding="utf-8")
        for rule in data["rules"]:
            assert f'id="rule-{rule["id"]}"' in html, (notice, rule["id"])
        for m in data["materials"]:
            assert f'id="material-{m["id"]}"' in html, (notice, m["id"])
        assert f"check/?notice={notice}" in html, f"{notice} 的通知页没有链接到核验页"


def test_state_is_saved_restored_and_deleted(page_factory, http_server, bundle):
    notice = notice_for_flow(bundle)
    page = page_factory()
    open_check(page, http_server, notice, full_form=True)
    fields = bundle["notices"][notice]["profile_fields"]
    schema = bundle["applicant_schema"]["properties"]
    enum_field = next(f for f in fields if "enum" in schema[f])
    value = schema[enum_field]["enum"][0]
    page.select_option(f"#f-{enum_field}", value)
    first_item = bundle["notices"][notice]["materials"][0]["id"]
    page.check(f"#checklist-{notice} [data-tick='{first_item}']")
    page.wait_for_timeout(300)

    page.reload()
    page.wait_for_function("window.validator.state.status === 'ready'", timeout=120_000)
    assert page.input_value(f"#f-{enum_field}") == value
    assert page.is_checked(f"#checklist-{notice} [data-tick='{first_item}']")
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('zhicheng-check:v1:{notice}'))")
    assert stored["profile"][enum_field] == value and stored["ticks"][first_item] is True

    page.click("#zc-delete")
    assert "已删除" in page.inner_text("#zc-data-msg")
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('zhicheng-check:'))")
    assert keys == []
    assert page.input_value(f"#f-{enum_field}") == ""
    assert not page.is_checked(f"#checklist-{notice} [data-tick='{first_item}']")
    page.reload()
    assert page.input_value(f"#f-{enum_field}") == ""


def test_profile_export_and_import_round_trip(page_factory, http_server, bundle, tmp_path):
    notice = notice_for_flow(bundle)
    page = page_factory()
    open_check(page, http_server, notice, full_form=True)
    fields = bundle["notices"][notice]["profile_fields"]
    schema = bundle["applicant_schema"]["properties"]
    enum_field = next(f for f in fields if "enum" in schema[f])
    value = schema[enum_field]["enum"][-1]
    page.select_option(f"#f-{enum_field}", value)
    with page.expect_download() as info:
        page.click("#zc-export")
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported[enum_field] == value
    assert info.value.suggested_filename == f"zhicheng-profile-{notice}.json"

    page.click("#zc-delete")
    assert page.input_value(f"#f-{enum_field}") == ""
    upload = tmp_path / "me.json"
    upload.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#zc-import", str(upload))
    page.wait_for_function(f"document.querySelector('#f-{enum_field}').value === '{value}'")
    assert "已导入" in page.inner_text("#zc-data-msg")

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    page.set_input_files("#zc-import", str(bad))
    page.wait_for_function("document.querySelector('#zc-data-msg').textContent.includes('导入失败')")


def test_invalid_input_is_reported_next_to_the_field(page, http_server, bundle):
    notice = next((n for n, d in bundle["notices"].items() if "continuing_education" in d["profile_fields"]), None)
    if notice is None:
        pytest.skip("没有使用继续教育学时的通知")
    open_check(page, http_server, notice, full_form=True)
    row = page.locator("#zc-ce-rows tr").first
    row.locator("[data-ce=total]").fill("90")  # professional hours missing
    wait_settled(page)
    page.wait_for_function("document.querySelector('#zc-verdict').dataset.verdict === 'invalid'")
    error = page.locator("#e-continuing_education")
    # Shown under the question in plain Chinese: no field code name.
    assert error.is_visible() and "专业科目学时" in error.inner_text()
    assert "continuing_education" not in error.inner_text()


def test_publicity_working_days_and_earliest_end(page, http_server, bundle):
    notice = next(
        (n for n, d in bundle["notices"].items() if {"publicity_start", "publicity_end"} <= set(d["profile_fields"])),
        None,
    )
    if notice is None:
        pytest.skip("没有使用公示期的通知")
    minimum = (bundle["notices"][notice].get("parameters") or {}).get("publicity", {}).get("min_workdays")
    open_check(page, http_server, notice, full_form=True)
    page.fill("#f-publicity_start", "2025-09-29")
    page.fill("#f-publicity_end", "2025-10-10")
    out = page.locator("#zc-publicity-out")
    expected_days = count_workdays("2025-09-29", "2025-10-10", bundle["holidays"])
    page.wait_for_function(f"document.querySelector('#zc-publicity-out').dataset.workdays === '{expected_days}'")
    assert f"共 {expected_days} 个工作日" in out.inner_text()
    if minimum:
        earliest = nth_workday(date(2025, 9, 29), minimum, holidays=bundle["holidays"]).isoformat()
        assert out.get_attribute("data-earliest-end") == earliest
        assert earliest in out.inner_text()


def test_work_summary_is_counted_locally(page, http_server, bundle):
    notice = next((n for n, d in bundle["notices"].items() if "work_summary_chars" in d["profile_fields"]), None)
    if notice is None:
        pytest.skip("没有使用工作总结字数的通知")
    open_check(page, http_server, notice, full_form=True)
    text = "本人自参加工作以来，认真履行岗位职责。\n" * 60  # 19 characters per line, no spaces
    sent = []
    page.on("request", lambda r: sent.append((r.method, r.url, r.post_data or "")))
    page.fill("#zc-summary-text", text)
    page.wait_for_function("document.querySelector('#zc-summary-count').dataset.chars === '1140'")
    assert page.input_value("#f-work_summary_chars") == "1140"
    page.wait_for_timeout(500)
    # The text is neither sent anywhere nor stored.
    assert all(method == "GET" and not body and "%E8%AE%A4" not in url for method, url, body in sent), sent
    stored = page.evaluate(f"localStorage.getItem('zhicheng-check:v1:{notice}')") or ""
    assert "认真履行" not in stored
    tool = page.locator("#tool-summary .zc-tool-reasons li")
    assert tool.count() >= 1


def test_print_view_shows_only_the_personal_checklist(page, http_server, bundle):
    notice = notice_for_flow(bundle)
    open_check(page, http_server, notice)
    page.emulate_media(media="print")
    assert page.locator(f"#checklist-{notice}").is_visible()
    assert page.locator("#zc-profile").is_hidden()
    assert page.locator("#zc-data").is_hidden()
    page.emulate_media(media="screen")
    assert page.locator("#zc-profile").is_visible()


# ----------------------------------------------------------------------------- whole site


def test_no_page_requests_another_host(page_factory, http_server, site_dir):
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    page = page_factory()
    for rel in pages:
        url = http_server + ("" if rel == "." else rel + "/")
        page.goto(url, wait_until="load")
    page.goto(http_server + "check/")
    page.wait_for_function("window.validator.state.status !== 'loading'", timeout=120_000)
    assert page.request_log.foreign() == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def test_check_page_has_no_accessibility_violations(page, http_server, bundle):
    if not AXE.exists():
        pytest.skip("axe-core 未安装（npm ci）")
    notice = notice_for_flow(bundle)
    open_check(page, http_server, notice)
    page.select_option("#zc-notice", notice)
    wait_settled(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run({include: [['.md-content']]},"
        " {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'], resultTypes: ['violations']})"
    )
    problems = [f"{v['id']}（{v['impact']}）：{[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]
    assert not problems, "\n".join(problems)
