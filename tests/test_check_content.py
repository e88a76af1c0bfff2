"""``python -m generator check`` on the real content and on bad invocations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_check(capsys, *args: str, cwd: Path = ROOT) -> tuple[int, list[str], str]:
    os.chdir(cwd)
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_real_content_passes(capsys):
    code, lines, _ = run_check(capsys)
    assert code == 0, "\n".join(lines)
    assert len(lines) == 1
    count = len(list((ROOT / "content" / "notices").glob("*.yaml")))
    assert lines[0].startswith(f"内容校验通过：{count} 份通知、")
    templates = len(list((ROOT / "content" / "templates").glob("*.yaml")))
    assert f"、{templates} 个模板、" in lines[0]


def test_real_content_passes_via_subprocess():
    proc = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("内容校验通过：")


def test_single_real_file(capsys):
    code, lines, _ = run_check(capsys, "content/notices/2025-bortala.yaml")
    assert (code, lines) == (0, ["内容校验通过：1 份通知。"])


def test_missing_path_and_missing_content_dir(capsys, tmp_path):
    code, lines, err = run_check(capsys, "no/such/file.yaml")
    assert (code, lines) == (1, ["no/such/file.yaml: 文件或目录不存在", "内容校验未通过：1 个问题，涉及 1 个文件。"])
    code, lines, err = run_check(capsys, cwd=tmp_path)
    assert (code, lines) == (1, ["content: 内容目录不存在", "内容校验未通过：1 个问题，涉及 1 个文件。"])
    assert "Traceback" not in err


def test_files_that_would_not_be_used(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "stray.yaml").write_text("id: x\n", encoding="utf-8")
    (root / "notes.txt").write_text("x", encoding="utf-8")
    code, lines, _ = run_check(capsys, "content/stray.yaml", "content/notes.txt", cwd=tmp_path)
    assert (code, lines) == (
        1,
        [
            "content/notes.txt: 不是 YAML 文件（应以 .yaml 结尾）",
            "content/stray.yaml: 不在 content/ 的 notices/、templates/、rules/、holidays/ 中，不会被使用",
            "内容校验未通过：2 个问题，涉及 2 个文件。",
        ],
    )


def test_directory_given_as_content_file(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "notices" / "odd.yaml").mkdir()
    code, lines, _ = run_check(capsys, cwd=tmp_path)
    assert code == 0, lines  # a folder named *.yaml is not a content file


def test_problem_only_reported_for_given_paths(capsys, tmp_path):
    """Checking one file still loads the rest for context but reports only that file."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    bortala = root / "notices" / "2025-bortala.yaml"
    bortala.write_text(bortala.read_text(encoding="utf-8").replace("\nissuer:", "\nissuerr:", 1), encoding="utf-8")
    code, lines, _ = run_check(capsys, "content/notices/2023-hami.yaml", cwd=tmp_path)
    assert (code, lines) == (0, ["内容校验通过：1 份通知。"])
    code, lines, _ = run_check(capsys, "content/notices/2025-bortala.yaml", cwd=tmp_path)
    assert code == 1
    assert lines[-1] == "内容校验未通过：2 个问题，涉及 1 个文件。"
    assert any("未知字段 issuerr：你是不是想写 issuer？" in line for line in lines)
    assert any("文件顶层缺少必填字段 issuer（" in line for line in lines)
    assert all(line.startswith("content/notices/2025-bortala.yaml:") for line in lines[:-1])


def test_unreferenced_template_deleted_is_reported(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "templates" / "bortala-publicity.yaml").unlink()
    code, lines, _ = run_check(capsys, cwd=tmp_path)
    assert code == 1
    assert any(
        line.startswith("content/notices/2025-bortala.yaml:") and "模板 bortala-publicity 不存在" in line
        for line in lines
    ), lines


def test_schema_header_line_required(capsys, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    hami = root / "notices" / "2023-hami.yaml"
    hami.write_text(hami.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    rules = root / "rules" / "common.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("rules.schema.json", "notice.schema.json", 1), encoding="utf-8"
    )
    code, lines, _ = run_check(capsys, cwd=tmp_path)
    assert code == 1
    assert (
        "content/notices/2023-hami.yaml:1:1: 第一行应为 # yaml-language-server: $schema=../../schemas/notice.schema.json（编辑器据此提供补全与悬停说明）"
        in lines
    )
    assert (
        "content/rules/common.yaml:1:1: 第一行引用的 ../../schemas/notice.schema.json 不是共享规则文件的 schema，"
        "应为 # yaml-language-server: $schema=../../schemas/rules.schema.json"
    ) in lines


def test_json_report(capsys):
    import json

    code, lines, _ = run_check(capsys, "--format", "json", "tests/example-files/negative/2026-bad-enum.yaml")
    report = json.loads("\n".join(lines))
    assert code == 1 and report["ok"] is False
    assert report["problems"] == [
        {
            "path": "tests/example-files/negative/2026-bad-enum.yaml",
            "line": 32,
            "col": 12,
            "message": report["problems"][0]["message"],
        }
    ]
    assert report["problems"][0]["message"].startswith(
        "timeline[0].phase（节点类型）的值 \"aplication\" 不在允许的取值中"
    )
    code, lines, _ = run_check(capsys, "--format", "json")
    report = json.loads("\n".join(lines))
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert report["counts"]["notices"] == len(list((ROOT / "content" / "notices").glob("*.yaml")))
