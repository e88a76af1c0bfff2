"""Generated schema parts: the fact enumerations come from the engine's FACTS (issue 10)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.content.schemagen import generated, stale
from generator.engine import FACTS

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_are_not_stale():
    # Fails in CI when a fact was added to the engine without `python -m generator schemas`.
    assert stale() == [], "请运行 python -m generator schemas 重新生成事实名枚举"


def test_a_new_fact_makes_the_schemas_stale_and_regeneration_fixes_them(tmp_path):
    for name in ("notice.schema.json", "rules.schema.json"):
        shutil.copy(ROOT / "schemas" / name, tmp_path / name)
    notice = json.loads((tmp_path / "notice.schema.json").read_text(encoding="utf-8"))
    enum = notice["$defs"]["condition"]["properties"]["properties"]["propertyNames"]["enum"]
    enum.remove(sorted(FACTS)[0])
    (tmp_path / "notice.schema.json").write_text(
        json.dumps(notice, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    assert stale(tmp_path) == [tmp_path / "notice.schema.json"]
    text = generated(tmp_path)[tmp_path / "notice.schema.json"]
    assert (
        sorted(FACTS)[0] in json.loads(text)["$defs"]["condition"]["properties"]["properties"]["propertyNames"]["enum"]
    )


def test_schemas_command_check_mode():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "schemas", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "一致" in proc.stdout
