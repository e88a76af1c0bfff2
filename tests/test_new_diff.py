"""Editors' workflow: ``new`` scaffolds next year's notice, ``diff`` tells what changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.diffing import diff_notices, region_changes_html, render_text

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def workdir(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "tests" / "cases", tmp_path / "tests" / "cases")
    return tmp_path


def rt_yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def test_new_scaffolds_and_check_accepts_after_dates_are_filled(workdir):
    proc = cli("new", "--from", "2023-hami", "--year", "2024", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    assert "已生成 content/notices/2024-hami.yaml" in proc.stdout
    assert "python -m generator check" in proc.stdout and "make serve" in proc.stdout
    src = (workdir / "content/notices/2023-hami.yaml").read_text(encoding="utf-8")
    out_path = workdir / "content/notices/2024-hami.yaml"
    out = out_path.read_text(encoding="utf-8")
    assert out.splitlines()[0] == src.splitlines()[0] == \
        "# yaml-language-server: $schema=../../schemas/notice.schema.json"
    # Comments of the source survive the round trip.
    src_comments = [l.strip() for l in src.splitlines() if l.strip().startswith("#")]
    out_comments = [l.strip() for l in out.splitlines() if l.strip().startswith("#")]
    assert src_comments == out_comments

    data = YAML(typ="safe").load(out)
    assert data["id"] == "2024-hami" and data["year"] == 2024
    assert "2024年度" in data["title"] and "2023" not in data["title"]
    online = next(p for p in data["timeline"] if "T" in str(p.get("end", "")))
    assert str(online["end"]).startswith("2024-10-11T20:00")
    todo = [i for i in data["inferred"] if i["reason"].startswith("TODO 待核对")]
    shifted_fields = {i["field"] for i in todo}
    for i, phase in enumerate(data["timeline"]):
        for key in ("start", "end"):
            if key in phase:
                assert f"timeline.{i}.{key}" in shifted_fields

    # The editor fills in the new dates from next year's notice and confirms them.
    y = rt_yaml()
    doc = y.load(out_path.read_text(encoding="utf-8"))
    index = next(i for i, p in enumerate(doc["timeline"]) if "T" in str(p.get("end", "")))
    doc["timeline"][index]["start"] = "2024-09-09T10:00+08:00"
    doc["timeline"][index]["end"] = "2024-10-09T20:00+08:00"
    doc["inferred"] = [i for i in doc["inferred"]
                       if i["field"] not in (f"timeline.{index}.start", f"timeline.{index}.end")]
    with open(out_path, "w", encoding="utf-8") as fh:
        y.dump(doc, fh)
    proc = cli("check", cwd=workdir)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    proc = cli("diff", "2023-hami", "2024-hami", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    assert "【时间安排】" in proc.stdout
    assert "截止：2023年10月11日20:00 → 2024年10月9日20:00" in proc.stdout
    assert "开始：2023年9月11日10:00 → 2024年9月9日10:00" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_new_refuses_to_overwrite_and_reports_unknown_ids(workdir):
    assert cli("new", "--from", "2025-bortala", "--year", "2026", cwd=workdir).returncode == 0
    before = (workdir / "content/notices/2026-bortala.yaml").read_bytes()
    again = cli("new", "--from", "2025-bortala", "--year", "2026", cwd=workdir)
    assert again.returncode == 1
    assert "已存在，未覆盖" in again.stderr and "Traceback" not in again.stderr
    assert (workdir / "content/notices/2026-bortala.yaml").read_bytes() == before
    unknown = cli("new", "--from", "2025-nowhere", "--year", "2026", cwd=workdir)
    assert unknown.returncode == 1 and "找不到通知" in unknown.stderr and "2025-bortala" in unknown.stderr
    bad_year = cli("new", "--from", "2025-bortala", "--year", "26", cwd=workdir)
    assert bad_year.returncode == 1 and "四位数" in bad_year.stderr
    missing = cli("diff", "2025-bortala", "2027-bortala", cwd=workdir)
    assert missing.returncode == 1 and "找不到通知" in missing.stderr


def test_diff_lists_dates_rules_materials_fees_contacts():
    from generator.content import load_content

    notices = load_content(ROOT / "content").notices
    old = notices["2025-bortala"]
    import copy

    new = copy.deepcopy(old)
    new["id"], new["year"] = "2026-bortala", 2026
    new["timeline"][0]["end"] = "2026-11-06T18:00+08:00"
    new["fees"]["items"][0]["amount_cny"] = 200
    new["contacts"][0]["phones"] = ["0909-2300000"]
    removed = new["materials"].pop()
    new["rules"] = new["rules"][1:]
    text = render_text(old, new, diff_notices(old, new))
    assert "截止：2025年11月4日18:00 → 2026年11月6日18:00" in text
    assert "金额（元）：150 → 200" in text
    assert "0909-2318182 → 0909-2300000" in text
    assert f"删除 申报材料 “{removed['title']}”" in text
    assert "【资格规则】" in text
    same = render_text(old, old, diff_notices(old, old))
    assert "没有差别" in same


def test_region_changes_only_when_an_issuer_has_two_years():
    from generator.content import load_content

    notices = load_content(ROOT / "content").notices
    hami = notices["2023-hami"]
    assert region_changes_html([hami]) == ""
    import copy

    later = copy.deepcopy(hami)
    later["id"], later["year"] = "2024-hami", 2024
    later["timeline"][0]["end"] = "2024-10-12T20:00+08:00"
    html = region_changes_html([hami, later])
    assert "与 2023 年度相比" in html and "2024年10月12日20:00" in html


def test_ci_workflow_tests_pull_requests_and_publishes_main():
    wf = YAML(typ="safe").load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1 readers turn the key `on` into True
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    steps = wf["jobs"]["test"]["steps"]
    assert any(s.get("run", "").strip() == ".ci/run" for s in steps)
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
    build = wf["jobs"]["build"]
    assert "refs/heads/main" in build["if"] and build["needs"] == "test"
    assert any(s.get("run") == "make site" for s in build["steps"])
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "site"
               for s in build["steps"])
    assert wf["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
