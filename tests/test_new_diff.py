"""Editors' workflow: ``new`` scaffolds next year's notice, ``diff`` tells what changed."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.authoring.diff import diff_notices, region_changes, render_text
from generator.site.context import make_env


def region_changes_html(notices, shared_rules=None) -> str:
    """The region page's 与上一年相比的变化 block, rendered by its page template."""
    changes = region_changes(notices, shared_rules)
    return make_env().get_template("region-changes.html").render(changes=changes) if changes else ""


ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


# The four notices CONTRACTS §2 keeps in content/: the scaffolding tests start from them.
FIXTURES = ("2025-urumqi-ganquanbao-pv", "2025-urumqi-private-enterprise", "2023-hami", "2025-bortala")


@pytest.fixture
def workdir(tmp_path) -> Path:
    """A scratch copy of content/, schemas/ and tests/cases/ with only the four fixture notices, so
    that what these tests scaffold (2026-bortala, 2024-hami ...) is free whatever editors have added."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "tests" / "cases", tmp_path / "tests" / "cases")
    for folder, suffix in (("content/notices", ".yaml"), ("content/sources", ".txt"), ("tests/cases", ".yaml")):
        for path in (tmp_path / folder).glob(f"*{suffix}"):
            if path.stem not in FIXTURES:
                path.unlink()
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
    assert (
        out.splitlines()[0] == src.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/notice.schema.json"
    )
    # Comments of the source survive the round trip.
    src_comments = [line.strip() for line in src.splitlines() if line.strip().startswith("#")]
    out_comments = [line.strip() for line in out.splitlines() if line.strip().startswith("#")]
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
    doc["inferred"] = [
        i for i in doc["inferred"] if i["field"] not in (f"timeline.{index}.start", f"timeline.{index}.end")
    ]
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
    from generator.content.load import load_content

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
    from generator.content.load import load_content

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
    assert any(
        s.get("uses", "").startswith("actions/upload-pages-artifact") and s["with"]["path"] == "site"
        for s in build["steps"]
    )
    assert wf["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")


def listing(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_new_for_another_issuer_in_the_same_year_writes_notice_and_cases(workdir):
    proc = cli(
        "new", "--from", "2025-urumqi-ganquanbao-pv", "--year", "2025", "--id", "2025-urumqi-other-pv", cwd=workdir
    )
    assert proc.returncode == 0, proc.stderr
    assert "已生成 content/notices/2025-urumqi-other-pv.yaml" in proc.stdout
    assert "tests/cases/2025-urumqi-other-pv.yaml" in proc.stdout
    notice = YAML(typ="safe").load((workdir / "content/notices/2025-urumqi-other-pv.yaml").read_text(encoding="utf-8"))
    assert notice["id"] == "2025-urumqi-other-pv" and notice["year"] == 2025
    todo = {i["field"] for i in notice["inferred"] if i["reason"].startswith("TODO 待核对")}
    assert {"issuer", "region", "contacts"} <= todo, "another issuer: who issued it and whom to call must be rewritten"
    assert "url" not in notice["source"] and "verified_on" not in notice["source"]
    cases = YAML(typ="safe").load((workdir / "tests/cases/2025-urumqi-other-pv.yaml").read_text(encoding="utf-8"))
    source_cases = YAML(typ="safe").load(
        (workdir / "tests/cases/2025-urumqi-ganquanbao-pv.yaml").read_text(encoding="utf-8")
    )
    assert len(cases) == len(source_cases)
    assert all(c["notice"] == "2025-urumqi-other-pv" and c["name"].startswith("[待核对] ") for c in cases)
    assert [c["input"] for c in cases] == [c["input"] for c in source_cases], "same year: no date moves"
    assert cli("check", cwd=workdir).returncode == 0


def test_new_shifts_the_cases_dates_and_leaves_out_cases_the_new_calendar_breaks(workdir):
    proc = cli("new", "--from", "2023-hami", "--year", "2024", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    text = (workdir / "tests/cases/2024-hami.yaml").read_text(encoding="utf-8")
    cases = YAML(typ="safe").load(text)
    source = YAML(typ="safe").load((workdir / "tests/cases/2023-hami.yaml").read_text(encoding="utf-8"))
    first, src_first = cases[0]["input"], source[0]["input"]
    assert str(first["graduated_on"]) == str(src_first["graduated_on"]).replace(
        str(src_first["graduated_on"])[:4], str(int(str(src_first["graduated_on"])[:4]) + 1)
    )
    assert [ce["year"] for ce in first["continuing_education"]] == [
        ce["year"] + 1 for ce in src_first["continuing_education"]
    ]
    # Every case copied still holds for the new notice (the engine decides, as in test_engine_cases).
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content
    from generator.engine import evaluate

    bundle = build_bundle(load_content(workdir / "content"))
    for case in cases:
        data = json.loads(json.dumps(case, default=str))
        result = evaluate(bundle, "2024-hami", data["input"], today=data.get("today"))
        assert result["verdict"] == data["output"]["verdict"], case["name"]
    # Those left out are named for the editor, in the file and on the terminal.
    left_out = [c["name"] for c in source if c["name"] not in {n.split("：", 1)[1] for n in (x["name"] for x in cases)}]
    for name in left_out:
        assert name in text and name in proc.stdout


@pytest.mark.parametrize(
    "bad", ["../2025-evil", "2025-a/b", "2025-..-x", "2025-Bad", "2025-ok/../../x", "evil", "2026-x"]
)
def test_new_refuses_ids_that_are_not_notice_ids(workdir, bad):
    before = listing(workdir)
    proc = cli("new", "--from", "2025-bortala", "--year", "2025", "--id", bad, cwd=workdir)
    assert proc.returncode == 1 and "--id" in proc.stderr and "Traceback" not in proc.stderr
    assert listing(workdir) == before


def test_new_never_writes_outside_content_whatever_the_source_says(workdir):
    src = workdir / "content/notices/2025-bortala.yaml"
    src.write_text(src.read_text(encoding="utf-8").replace("id: 2025-bortala", "id: ../../../escape"), encoding="utf-8")
    before = listing(workdir)
    proc = cli("new", "--from", "2025-bortala", "--year", "2026", cwd=workdir)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert listing(workdir) == before and not (workdir.parent / "escape.yaml").exists()


def test_new_writes_both_files_or_neither(workdir):
    taken = workdir / "tests/cases/2026-bortala.yaml"
    taken.write_text("# 编辑已经开始写的用例\n", encoding="utf-8")
    before = listing(workdir)
    proc = cli("new", "--from", "2025-bortala", "--year", "2026", cwd=workdir)
    assert proc.returncode == 1 and "已存在，未覆盖" in proc.stderr
    assert listing(workdir) == before
    assert not (workdir / "content/notices/2026-bortala.yaml").exists()


# --- diff is driven by the notice schema -------------------------------------------------------

SCHEMA = json.loads((ROOT / "schemas" / "notice.schema.json").read_text(encoding="utf-8"))
RAW_CODES = re.compile(
    r"(?<![A-Za-z_-])(junior|intermediate|deputy_senior|senior|private_enterprise|state_owned_enterprise|"
    r"public_institution|evaluation|initial|conferral|blocker|warning|autonomous_region|prefecture|"
    r"development_zone|not_required|as_rules)(?![A-Za-z_-])"
)
# Values for top-level properties the base notice (2025-bortala) does not have.
SAMPLES = {
    "issuers": [{"name": "自治州人力资源和社会保障局", "level": "prefecture"}],
    "sub_area": "博乐市",
    "applies_to": ["hami"],
    "silent_on": ["criteria"],
}


def mutate(value):
    """The same value, changed somewhere (deep inside for objects and lists)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        if re.match(r"^\d{4}-\d{2}-\d{2}", value):
            return str(int(value[:4]) + 1) + value[4:]
        for codes in (("junior", "senior"), ("prefecture", "county")):  # another valid code, not free text
            if value in codes or value in ("intermediate", "deputy_senior", "autonomous_region", "development_zone"):
                if value in codes:
                    return codes[1] if value == codes[0] else codes[0]
        return value + "（改）"
    if isinstance(value, list):
        return value[:-1] if len(value) > 1 else [mutate(value[0])] if value else value
    if isinstance(value, dict):
        out = dict(value)
        key = next(iter(out))
        out[key] = mutate(out[key])
        return out
    return value


@pytest.fixture(scope="module")
def content():
    from generator.content.load import load_content

    return load_content(ROOT / "content")


def test_every_schema_property_is_covered_by_diff():
    from generator.authoring.diff import IDENTITY, NOT_COMPARED, top_sections

    sections = {key for key, _title in top_sections()}
    missing = [
        key for key in SCHEMA["properties"] if key not in IDENTITY and key not in NOT_COMPARED and key not in sections
    ]
    assert missing == []


@pytest.mark.parametrize("prop", [k for k in SCHEMA["properties"] if k not in ("id", "year")])
def test_diff_reports_a_change_in_every_top_level_property(prop, content):
    from generator.authoring.diff import IDENTITY, diff_notices, render_text

    old = copy.deepcopy(content.notices["2025-bortala"])
    new = copy.deepcopy(old)
    if prop in old:
        new[prop] = mutate(old[prop])
    else:
        assert prop in SAMPLES, f"新的通知字段 {prop}：请在 SAMPLES 中给一个取值，证明 diff 会报告它的变化"
        new[prop] = SAMPLES[prop]
    assert new != old
    sections = diff_notices(old, new, content.shared_rules)
    expected = "identity" if prop in IDENTITY else prop
    assert [s.key for s in sections] == [expected], [(s.key, [c.text() for c in s.changes]) for s in sections]
    text = render_text(old, new, sections)
    assert not RAW_CODES.search(text.split("\n", 1)[1]), text


def test_diff_names_rules_by_their_message_and_enums_by_their_labels(content):
    from generator.authoring.diff import diff_notices, render_text

    old = content.notices["2025-bortala"]
    new = copy.deepcopy(old)
    new["rules"] = [r for r in old["rules"] if r.get("use") != "no-retirees"]
    new["scope"]["levels"] = ["junior"]
    new["scope"]["employer_types"] = ["private_enterprise"]
    text = render_text(old, new, diff_notices(old, new, content.shared_rules))
    assert "删除 资格规则 “离退休人员" in text and "no-retirees" not in text
    assert "删除 受理级别（原为：中级）" in text
    assert "新增 受理单位类型：民营企业" in text
    assert not RAW_CODES.search(text.split("\n", 1)[1]), text


def test_every_enum_code_of_the_notice_schema_has_a_chinese_label():
    from generator.authoring.diff import enum_labels

    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            if "enum" in node and "/condition" not in path and "propertyNames" not in path:
                labels = enum_labels(node)
                missing.extend(
                    f"{path}: {code}" for code in node["enum"] if isinstance(code, str) and code not in labels
                )
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(SCHEMA, "")
    assert missing == []


def test_region_change_list_uses_diff_with_chinese_labels(content):
    old = content.notices["2025-bortala"]
    new = copy.deepcopy(old)
    new["id"], new["year"] = "2026-bortala", 2026
    new["scope"]["levels"] = ["junior"]
    new["inferred"] = []
    html_text = region_changes_html([old, new], content.shared_rules)
    assert "删除 受理级别（原为：中级）" in html_text
    assert "推断字段" not in html_text, "editors' bookkeeping is not an applicant's change"
    assert not RAW_CODES.search(
        re.sub(r"<[^>]+>", "", html_text).replace("2025-bortala", "").replace("2026-bortala", "")
    )


def test_editors_guide_rule_examples_use_real_facts_and_cover_every_severity():
    """The worked examples of site_pages/editors.md only name facts the engine provides."""
    guide = (ROOT / "site_pages" / "editors.md").read_text(encoding="utf-8")
    facts = set(SCHEMA["$defs"]["condition"]["properties"]["properties"]["propertyNames"]["enum"])
    blocks = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    named = set()

    def walk(node, parent=None):
        if isinstance(node, dict):
            for key, value in node.items():
                if parent in ("requires", "applies_when", "when") and key == "properties" and isinstance(value, dict):
                    named.update(value)
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, parent)

    for block in blocks:
        walk(YAML(typ="safe", pure=True).load(block))
    assert named and named <= facts, named - facts
    for severity in ("blocker", "warning", "info"):
        assert f"severity: {severity}" in guide or f"`{severity}`" in guide
    for topic in (
        "use:",
        "applies_when:",
        "requires:",
        "when:",
        "tests/cases/",
        "?today=",
        "make test-fast",
        "silent_on",
    ):
        assert topic in guide, topic
