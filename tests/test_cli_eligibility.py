"""`python -m generator eligibility` and `workdays` through the real CLI (CONTRACTS §4, §6)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "tests" / "cases" / "profiles"
RESULT_SCHEMA = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))


def cli(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def assert_user_error(proc, *fragments):
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_json_output_is_the_result_object():
    proc = cli(
        "eligibility", "--notice", "2025-bortala", "--profile", str(PROFILES / "bortala-engineer.json"), "--json"
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(RESULT_SCHEMA).validate(result)
    assert result["notice"] == "2025-bortala"
    assert result["verdict"] == "eligible"
    assert "window" not in result  # --json is deterministic unless --today is given
    items = {i["item"]: i for i in result["checklist"]}
    # 未取得初级直接申报中级 → 社会保险个人缴费汇总单; 社保不足半年 → 情况说明及承诺书
    assert any("汇总单" in i["title"] for i in items.values())
    assert any("承诺书" in i["title"] and "用人单位" in i["title"] for i in items.values())


def test_yaml_profile_gives_the_same_result_as_json():
    a = cli("eligibility", "--notice", "2025-bortala", "--profile", str(PROFILES / "bortala-engineer.json"), "--json")
    b = cli("eligibility", "--notice", "2025-bortala", "--profile", str(PROFILES / "bortala-engineer.yaml"), "--json")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_today_adds_the_window_status():
    proc = cli(
        "eligibility",
        "--notice",
        "2025-bortala",
        "--profile",
        str(PROFILES / "bortala-engineer.json"),
        "--json",
        "--today",
        "2025-11-05",
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["window"]["status"] == "closed"
    proc = cli(
        "eligibility",
        "--notice",
        "2025-bortala",
        "--profile",
        str(PROFILES / "bortala-engineer.json"),
        "--today",
        "2025-13-01",
    )
    assert_user_error(proc, "--today：'2025-13-01' 不是有效日期")


def test_human_report_explains_verdict_reasons_and_materials(tmp_path):
    profile = json.loads((PROFILES / "bortala-engineer.json").read_text(encoding="utf-8"))
    profile["employment_status"] = "retired"
    del profile["graduated_on"]
    path = tmp_path / "me.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "结论：不符合申报条件" in out
    assert "✗ 离退休人员不得申报" in out and "五、（三）1" in out
    assert "需要准备的材料" in out and "社会保险个人缴费汇总单" in out
    assert "申报时间：" in out


@pytest.mark.parametrize(
    "content, fragments",
    [
        ('{"graduated_on": "2025-13-01"}', ["me.json: graduated_on", "不是有效日期"]),
        (
            '{"full_time": "yes", "education": "phd"}',
            ["me.json: education", "me.json: full_time", "应为布尔值（true 或 false）"],
        ),
        ('{"graduation": "2020-07-01"}', ["me.json: 未知字段 graduation："]),
        ('{"graduated_on": ', ["me.json:1:", "JSON 格式错误"]),
        ("[1, 2]", ["me.json: 整个档案"]),
    ],
)
def test_bad_profiles_are_one_chinese_line_per_problem(tmp_path, content, fragments):
    path = tmp_path / "me.json"
    path.write_text(content, encoding="utf-8")
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(path), cwd=ROOT)
    assert_user_error(proc, *fragments)


def test_bad_yaml_profile_has_line_and_column(tmp_path):
    path = tmp_path / "me.yaml"
    path.write_text("education: bachelor\n  full_time: [true\n", encoding="utf-8")
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(path))
    assert_user_error(proc, "me.yaml:2:12: ")


def test_unknown_notice_and_missing_file():
    proc = cli("eligibility", "--notice", "2025-nowhere", "--profile", str(PROFILES / "bortala-engineer.json"))
    assert_user_error(proc, "未知的通知 \"2025-nowhere\"", "2025-bortala")
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", "no-such-profile.json")
    assert_user_error(proc, "no-such-profile.json: 找不到申报人档案文件")


# --- workdays ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, count, expected",
    [("2025-09-26", "5", "2025-10-09"), ("2025-10-11", "1", "2025-10-11"), ("2023-09-28", "5", "2023-10-10")],
)
def test_workdays(start, count, expected):
    proc = cli("workdays", "--start", start, "--count", count)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected + "\n"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--start", "2025-13-01", "--count", "5"], "--start：'2025-13-01' 不是有效日期"),
        (["--start", "2025-09-01", "--count", "0"], "--count：'0' 不是不小于 1 的整数"),
        (["--start", "2025-09-01", "--count", "五"], "--count：'五' 不是不小于 1 的整数"),
        (["--start", "2040-03-01", "--count", "5"], "没有 2040 年的法定节假日与调休安排"),
    ],
)
def test_workdays_errors(args, fragment):
    assert_user_error(cli("workdays", *args), fragment)


def test_workdays_uses_holiday_years_added_by_editors(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "holidays").mkdir(exist_ok=True)
    (content / "holidays" / "2040.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/holidays.schema.json\n"
        "year: 2040\n"
        "source: 测试数据（并非真实安排）\n"
        "holidays: [2040-01-02, 2040-01-03]\n"
        "workdays: [2040-01-07]\n",
        encoding="utf-8",
    )
    proc = cli("workdays", "--start", "2040-01-01", "--count", "4", "--content", str(content))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "2040-01-07\n"  # 2 and 3 January are holidays; Saturday 7 January is a workday
    proc = cli("workdays", "--start", "2040-12-28", "--count", "5", "--content", str(content))
    assert_user_error(proc, "没有 2041 年的法定节假日与调休安排")


@pytest.mark.parametrize(
    "name, data, fragments",
    [
        ("me.yaml", b"education: bachelor\neducation: master\n", ["me.yaml:2:1: 重复的键 education"]),
        ("me.json", "{\"county\": \"巴里坤县\"}".encode("gb18030"), ["me.json: 文件不是 UTF-8 编码的文本"]),
        ("me.yaml", b"graduated_on: 2025-13-01\n", ["me.yaml: graduated_on", "不是有效日期"]),
        ("me.yaml", b"- 1\n- 2\n", ["me.yaml: 整个档案应为映射"]),
    ],
    ids=["重复的键", "非UTF-8编码", "不存在的日期", "顶层不是对象"],
)
def test_unreadable_or_invalid_profile_files(tmp_path, name, data, fragments):
    path = tmp_path / name
    path.write_bytes(data)
    assert_user_error(cli("eligibility", "--notice", "2025-bortala", "--profile", str(path)), *fragments)


def test_profile_path_is_a_directory(tmp_path):
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(tmp_path))
    assert_user_error(proc, "这是一个目录")


def test_usage_errors_are_chinese_user_errors():
    """argparse's own messages are translated, and a usage mistake exits 1 like any user error."""
    assert_user_error(cli("eligibility", "--profile", "me.json"), "缺少必需的参数：--notice", "用法：")
    assert_user_error(cli("workdays", "--start", "2025-09-01", "--count", "5", "--bogus"), "无法识别的参数：--bogus")
    assert_user_error(cli(), "缺少必需的参数：命令")


def test_workdays_ignores_problems_outside_the_holiday_files(tmp_path):
    """A typo in a notice must not stop the working-day calculator; a bad holiday file must."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    notice = content / "notices" / "2025-bortala.yaml"
    notice.write_text(notice.read_text(encoding="utf-8") + "timline: x\n", encoding="utf-8")
    proc = cli("workdays", "--start", "2025-09-29", "--count", "5", "--content", str(content))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "2025-10-11\n"
    (content / "holidays").mkdir(exist_ok=True)
    (content / "holidays" / "2027.yaml").write_text("year: 2027\n", encoding="utf-8")
    proc = cli("workdays", "--start", "2027-01-04", "--count", "1", "--content", str(content))
    assert_user_error(proc, "2027.yaml:1:1:")
