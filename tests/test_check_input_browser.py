"""The check page treats imported files, saved data and the address as untrusted input.

A hostile or wrong profile file is refused with a Chinese message before anything is changed;
corrupted localStorage is set aside as a backup instead of breaking the page; ``?notice=__proto__``
is not a notice.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

NOTICE = "2025-bortala"


def open_check(page, base, query=f"?notice={NOTICE}"):
    page.goto(base + "check/" + query)
    page.wait_for_function("window.validator && window.validator.state.status !== 'loading'", timeout=120_000)
    assert page.evaluate("window.validator.state.status") == "ready", page.inner_text("#zc-status")


def saved(page) -> dict:
    return page.evaluate(f"JSON.parse(localStorage.getItem('zhicheng-check:v1:{NOTICE}'))")


@pytest.mark.parametrize(
    "name, body, expected",
    [
        ("list.json", "[1, 2]", "应是一个 JSON 对象"),
        ("tostring.json", '{"series": {"toString": null}}', "类型不对"),
        ("types.json", '{"birth_year": "很早"}', ""),
        ("unknown.json", '{"password": "x"}', "未知项目"),
        ("proto.json", '{"__proto__": {"polluted": true}}', "未知项目"),
        ("control.json", '{"series": "工\\u0007程"}', "类型不对"),
        ("notjson.json", "<html>", "不是有效的 JSON"),
    ],
)
def test_hostile_import_is_refused_and_changes_nothing(page, http_server, tmp_path, name, body, expected):
    open_check(page, http_server)
    field = page.eval_on_selector("#zc-profile [data-field][data-kind=enum]", "e => e.getAttribute('data-field')")
    option = page.eval_on_selector(f"[data-field='{field}']", "e => e.options[e.options.length - 1].value")
    page.select_option(f"[data-field='{field}']", option)
    page.wait_for_function(
        f"JSON.parse(localStorage.getItem('zhicheng-check:v1:{NOTICE}') || '{{}}').profile?.{field} === '{option}'"
    )
    before = saved(page)["profile"]
    upload = tmp_path / name
    upload.write_text(body, encoding="utf-8")
    page.set_input_files("#zc-import", str(upload))
    page.wait_for_function("document.querySelector('#zc-data-msg').textContent.includes('导入')")
    page.wait_for_timeout(300)
    text = page.inner_text("#zc-data-msg")
    assert "导入失败" in text and "未做任何修改" in text and expected in text, text
    assert saved(page)["profile"] == before
    assert page.input_value(f"[data-field='{field}']") == option
    assert page.evaluate("({}).polluted") is None


def test_import_lists_fields_and_keeps_a_backup(page, http_server, tmp_path):
    open_check(page, http_server)
    field = page.eval_on_selector("#zc-profile [data-field][data-kind=enum]", "e => e.getAttribute('data-field')")
    options = page.eval_on_selector(f"[data-field='{field}']", "e => [...e.options].map(o => o.value).filter(Boolean)")
    page.select_option(f"[data-field='{field}']", options[0])
    page.wait_for_function(
        f"JSON.parse(localStorage.getItem('zhicheng-check:v1:{NOTICE}') || '{{}}').profile?.{field} === '{options[0]}'"
    )
    upload = tmp_path / "mine.json"
    upload.write_text(json.dumps({field: options[-1]}), encoding="utf-8")
    page.set_input_files("#zc-import", str(upload))
    page.wait_for_function("document.querySelector('#zc-data-msg').textContent.includes('已导入')")
    assert page.input_value(f"[data-field='{field}']") == options[-1]
    assert f"（{field}）" in page.inner_text("#zc-data-msg")
    backups = page.evaluate(
        "Object.keys(localStorage).filter(k => k.includes(':backup:')).map(k => JSON.parse(localStorage.getItem(k)))"
    )
    assert any(b.get("profile", {}).get(field) == options[0] for b in backups), backups


def test_corrupted_storage_is_set_aside_not_fatal(page, http_server):
    page.goto(http_server + "check/")
    page.evaluate(f"""() => {{
      localStorage.setItem('zhicheng-check:v1:{NOTICE}', '{{not json');
      localStorage.setItem('zhicheng-check:v1:last-notice', '"{NOTICE}"');
    }}""")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_check(page, http_server, "")
    assert not errors
    assert "已原样另存为备份" in page.inner_text("#zc-data-msg")
    kept = page.evaluate(
        "Object.keys(localStorage).filter(k => k.includes(':backup:')).map(k => localStorage.getItem(k))"
    )
    assert "{not json" in kept


@pytest.mark.parametrize("name", ["__proto__", "constructor", "toString"])
def test_prototype_names_are_not_notices(page, http_server, name):
    open_check(page, http_server, f"?notice={name}")
    assert f"“{name}”不存在" in page.inner_text("#zc-data-msg")
    assert page.evaluate("window.zhichengCheck.notice") != name


def test_control_characters_typed_into_a_template_blank_give_a_valid_docx(page, http_server, tmp_path):
    import io
    import zipfile
    from xml.etree import ElementTree

    page.goto(http_server + "templates/urumqi-pe-publicity/")
    page.evaluate("""() => {
      const el = document.getElementById('zc-f-applicant_name');
      el.value = '王\\u0007小\\u0000明\\u202e<&>';
      el.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    with page.expect_download() as info:
        page.click("#zc-download")
    target = tmp_path / "out.docx"
    info.value.save_as(target)
    page.wait_for_function("document.querySelector('[role=status], #zc-status') !== null")
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as z:
        assert z.testzip() is None
        xml = z.read("word/document.xml").decode("utf-8")
    ElementTree.fromstring(xml)  # well-formed: Word can open it
    text = "".join(ElementTree.fromstring(xml).itertext())
    assert "王小明<&>" in text
    assert not any(ch in text for ch in "\x07\x00\u202e")
