"""generator.content.yamlio and generator.content: positions, plain values, and the Content interface."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.content.load import Content, collect, load_content
from generator.content.yamlio import MAX_BYTES, human_path, parse_yaml
from generator.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "example-files" / "positive" / "2026-example.yaml"


def errors(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_yaml(text, "x.yaml")
    return [str(p) for p in info.value.problems]


def test_dates_stay_strings_and_values_are_plain():
    loaded = parse_yaml(
        "d: 2025-09-01\nt: 2023-09-11T10:00+08:00\nn: 3\nf: 1.5\nb: true\nz: null\nq: '007'\nl: [a, 2]\n", "x.yaml"
    )
    assert loaded.data == {
        "d": "2025-09-01",
        "t": "2023-09-11T10:00+08:00",
        "n": 3,
        "f": 1.5,
        "b": True,
        "z": None,
        "q": "007",
        "l": ["a", 2],
    }
    assert [type(v) for v in loaded.data.values()] == [str, str, int, float, bool, type(None), str, list]
    assert type(loaded.data) is dict and type(loaded.data["l"][0]) is str


def test_positions_of_keys_values_and_items():
    text = "id: x\ntimeline:\n  - id: a\n    end: 2025-09-01\n  - id: b\nmap: {k: v}\n"
    loaded = parse_yaml(text, "x.yaml")
    assert loaded.keys["timeline"] == (2, 1)
    assert loaded.values["timeline.0"] == (3, 5)
    assert loaded.keys["timeline.0.end"] == (4, 5)
    assert loaded.values["timeline.0.end"] == (4, 10)
    assert loaded.values["timeline.1"] == (5, 5)
    assert loaded.values["map.k"] == (6, 10)
    assert human_path("timeline.0.end") == "timeline[0].end"


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: 1\na: 2\n", "x.yaml:2:1: 重复的键 a（第一次出现在第 1 行）：同一映射中每个键只能出现一次"),
        ("a:\n\tb: 1\n", "x.yaml:2:1: 缩进中有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
        (
            "a: &x 1\n",
            "x.yaml:1:4: 不支持 YAML 锚点 &x：内容文件中请直接写出完整的值（锚点和别名可被用来构造无限展开的文件）",
        ),
        (
            "a: *x\n",
            "x.yaml:1:4: 不支持 YAML 别名 *x：内容文件中请直接写出完整的值（锚点和别名可被用来构造无限展开的文件）",
        ),
        ("true: 1\n", "x.yaml:1:1: 键 true 不是字符串：请给键加引号或改用文字键"),
        ("a: b: c\n", "x.yaml:1:5: 此处不能出现“键: 值”：冒号后的内容含“: ”时请加引号，或检查缩进"),
        ("a: [1, 2\n", "x.yaml:2:1: 方括号列表 [...] 没有正确闭合或缺少逗号（相关位置：第 1 行第 4 列）"),
        ("", "x.yaml:1:1: 文件是空的：应包含一个 YAML 映射（键: 值）"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "x.yaml:1:67: 嵌套层次过深"),
        ("a: {b: 1 c: 2}\n", "x.yaml:1:11: 花括号映射 {...} 没有正确闭合或缺少逗号"),
        ("a: 1\nb: x\x00y\n", "x.yaml:2:5: 文件中有不允许的控制字符 U+0000：请删除"),
        ("a: [1,,2]\n", "x.yaml:1:7: 这里缺少值（或多了一个逗号、括号）"),
        ("a: !<x 1\n", "x.yaml:1:7: 不支持的 YAML 标签（!xxx）：以 ! 开头的文字请加引号"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2:1: 文件中只能有一个文档（不要用第二个 ---）"),
    ],
)
def test_bad_yaml_messages(text, message):
    assert errors(text) == [message]


def test_tabs_outside_indentation():
    assert parse_yaml('a: "x\\ty"\n', "x.yaml").data == {"a": "x\ty"}
    assert errors("a: 1\nb: x\ty\n") == ["x.yaml:2:5: 这里有制表符（Tab）：请改用空格，或把整个值放进引号"]


def test_huge_and_non_utf8_files(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: '" + "x" * MAX_BYTES + "'\n", encoding="utf-8")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("a: 1\nb: 申报\n".encode("gbk"))
    result = collect(tmp_path / "missing", [big, gbk])
    shown = [str(p) for p in result.problems]
    size = big.stat().st_size
    assert any(s.endswith(f"big.yaml: 文件过大（{size} 字节）：内容文件不能超过 1 MB") for s in shown), shown
    assert any(
        s.endswith("gbk.yaml:2:4: 文件不是 UTF-8 编码（第 9 个字节 0xc9 无效）：请另存为 UTF-8") for s in shown
    ), shown
    assert any(s.endswith("missing: 内容目录不存在") for s in shown), shown


def test_load_real_content_interface():
    content = load_content(ROOT / "content")
    assert isinstance(content, Content)
    assert list(content.notices) == sorted(content.notices)
    assert {"2025-urumqi-ganquanbao-pv", "2025-urumqi-private-enterprise", "2023-hami", "2025-bortala"} <= set(
        content.notices
    )
    for nid, notice in content.notices.items():
        assert notice["id"] == nid
        assert content.files[nid] == ROOT / "content" / "notices" / f"{nid}.yaml"
        assert isinstance(notice["issued_on"], str)
        line, col = content.positions[(content.files[nid], "id")]
        assert content.files[nid].read_text(encoding="utf-8").splitlines()[line - 1][col - 1 :] == nid
        # the same position under the other spellings of the key
        assert content.positions[(str(content.files[nid]), "id")] == (line, col)
        assert content.positions[(nid, "id")] == (line, col)
    assert "no-retirees" in content.shared_rules
    assert content.shared_rules["no-retirees"]["severity"] == "blocker"
    assert set(content.templates) >= {"ce-exemption-form", "bortala-publicity"}


def test_positions_accept_bracket_paths():
    content = load_content(ROOT / "content")
    nid = "2025-bortala"
    assert content.positions[(nid, "timeline[0].start")] == content.positions[(nid, "timeline.0.start")]


def test_holidays_and_all_problems_at_once(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    holidays = root / "holidays"
    holidays.mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "example-files" / "positive" / "holidays" / "2027.yaml", holidays / "2027.yaml")
    shutil.copy(EXAMPLE, root / "notices" / "2026-example.yaml")
    content = load_content(root)
    assert content.holidays["2027"]["holidays"] == ["2027-01-01", "2027-02-08", "2027-02-09"]
    assert content.holidays["2027"]["workdays"] == ["2027-02-06"]
    assert content.holidays["2027"]["source"].startswith("国务院办公厅")
    assert "2026-example" in content.notices

    # Two broken files: both problems are reported, not only the first.
    notice = root / "notices" / "2026-example.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("timeline:", "timline:"), encoding="utf-8")
    (holidays / "2027.yaml").write_text(
        "year: 2027\nsource: x\nholidays: [2027-02-29]\nworkdays: []\n", encoding="utf-8"
    )
    with pytest.raises(ContentError) as info:
        load_content(root)
    messages = [(Path(p.path).name, p.line, p.col, p.message) for p in info.value.problems]
    assert ("2027.yaml", 3, 12, "holidays[0]（放假日期）：日期 2027-02-29 不存在（2027 年 2 月只有 28 天）") in messages
    assert ("2026-example.yaml", 32, 1, "未知字段 timline：你是不是想写 timeline？") in messages
    assert ("2026-example.yaml", 1, 1, "文件顶层缺少必填字段 timeline（时间安排）") in messages


def test_missing_or_broken_schema_is_a_problem_not_a_crash(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / "template.schema.json").unlink()
    (schemas / "rules.schema.json").write_text("{not json", encoding="utf-8")
    result = collect(ROOT / "content", schemas_dir=schemas)
    messages = [str(p) for p in result.problems]
    templates = sorted((ROOT / "content" / "templates").glob("*.yaml"))
    missing = [m for m in messages if "template.schema.json，无法校验模板文件" in m]
    assert len(missing) == len(templates)
    broken = [
        m
        for m in messages
        if m.endswith(
            "rules.schema.json: 无法读取 JSON Schema：Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        )
    ]
    assert len(broken) == 1, messages
    assert not any("notices/" in m for m in messages)


def test_folded_chinese_text_has_no_spaces_from_line_breaks():
    text = "s: >-\n  申报人须为企业在职的专业技术人员，\n  在乌鲁木齐市职称评审系统网上申报\n  (9月1日) 与 English words\n  stay apart.\n"
    data = parse_yaml(text, "x.yaml").data
    assert (
        data["s"]
        == "申报人须为企业在职的专业技术人员，在乌鲁木齐市职称评审系统网上申报 (9月1日) 与 English words stay apart."
    )


def _both_paths(text: str, shown: str = "x.yaml"):
    from generator.content import yamlio

    fast = yamlio._fast_parse(text)
    saved = yamlio._fast_parse
    yamlio._fast_parse = lambda _text: None
    try:
        slow = yamlio._parse(text, shown)
    except ContentError as err:
        slow = err
    finally:
        yamlio._fast_parse = saved
    return fast, slow


def test_fast_yaml_path_equals_ruamel_for_every_content_file():
    """The libyaml fast path reads each real content file exactly as ruamel does (data and every
    key/value position), and is the one used for them."""
    files = sorted((ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))
    used = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        fast, slow = _both_paths(text, str(path))
        if fast is None:
            assert path.parent.name != "notices" or "negative" in str(path), f"{path} 未走快速路径"
            continue
        used += 1
        assert not isinstance(slow, ContentError), f"{path}: 快速路径接受了 ruamel 拒绝的文件：{slow}"
        assert (fast.data, fast.values, fast.keys) == (slow.data, slow.values, slow.keys), path
    assert used >= len(list((ROOT / "content").rglob("*.yaml")))


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: no\nc: on\nd: off\ne: y\n",  # YAML 1.2: strings
        "a: 0o17\nb: 1_000\nc: 1e3\nd: .inf\ne: 012\nf: 0x1F\ng: -0.5\nh: +3\n",
        "a: ~\nb: null\nc:\nd: ''\ne: \"\"\nf: True\ng: FALSE\n",
        "a: >\n  第一行中文\n  第二行中文\n  English words\n  here\nb: |\n  保留\n  换行\n",
        "a: {x: 1, y: [1, 2, {z: 三}]}\nb: [\"引号\", '单引号', 平文]\n",
        "a: 2025-09-01\nb: 2025-09-01T10:00+08:00\nc: 10:00\nd: 1:20:30\n",
        "- 1\n- a\n",
        "a: !!str 123\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "? [a, b]\n: 1\n",
        "%YAML 1.1\n---\na: yes\n",
        "a: 1\n---\nb: 2\n",
        "a: \"x\u2028y\"\n",
        "a: =\n",
    ],
)
def test_fast_yaml_path_agrees_or_leaves_it_to_ruamel(text):
    fast, slow = _both_paths(text)
    if fast is not None:
        assert not isinstance(slow, ContentError), slow
        assert (fast.data, fast.values, fast.keys) == (slow.data, slow.values, slow.keys)


def test_text_values_recorded_while_parsing_are_those_a_walk_of_the_document_finds():
    """The fast path records every text value as it parses (content/checks.py reads them instead
    of walking each document again): the same (path, text) pairs, in the same order, as a walk
    of the loaded document, for every content file; the ruamel path records none."""
    from generator.content.checks import _walk_list
    from generator.content.yamlio import load_yaml

    files = sorted((ROOT / "content").rglob("*.yaml"))
    assert files
    for path in files:
        loaded = load_yaml(path)
        walked = [(p, v) for p, v in _walk_list(loaded.data) if isinstance(v, str)]
        assert loaded.strings == walked, path
    assert parse_yaml("a:\nb: x\n", "t.yaml").strings is None  # an empty value: ruamel parses it
