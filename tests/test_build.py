"""``python -m generator build``: strict MkDocs build swapped in atomically.

A successful build replaces the previous site completely; a failed one (here: broken content
behind the same mkdocs.yml, via the plugin's ``content_dir``) leaves it byte-for-byte intact.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from generator.content.yamlio import make_yaml

ROOT = Path(__file__).resolve().parent.parent


def tree(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".site.new-", ".site.old-")))


def build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def config_with_content(tmp_path):
    """A copy of mkdocs.yml next to the real one whose plugin reads ``tmp_path/content``."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    yaml = make_yaml()
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config["plugins"]
    for i, entry in enumerate(plugins):
        if entry == "zhicheng" or (isinstance(entry, dict) and "zhicheng" in entry):
            options = dict(entry["zhicheng"] or {}) if isinstance(entry, dict) else {}
            options["content_dir"] = str(content)
            plugins[i] = {"zhicheng": options}
            break
    else:
        pytest.fail("mkdocs.yml has no zhicheng plugin")
    path = ROOT / f".mkdocs-test-{uuid.uuid4().hex[:8]}.yml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    try:
        yield path, content
    finally:
        path.unlink(missing_ok=True)


def test_failed_build_leaves_previous_site_intact(tmp_path, config_with_content):
    config, content = config_with_content
    notice = content / "notices" / "2025-bortala.yaml"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("\ntimeline:", "\ntimline:", 1), encoding="utf-8")
    line = text[: text.index("\ntimeline:")].count("\n") + 2

    site = tmp_path / "out" / "site"
    (site / "notices").mkdir(parents=True)
    (site / "index.html").write_text("<p>旧站点</p>", encoding="utf-8")
    (site / "notices" / "data.bin").write_bytes(bytes(range(256)))
    before = tree(site)

    proc = build("--config-file", config.name, "--site-dir", str(site))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"2025-bortala.yaml:{line}:1: 未知字段 timline：你是不是想写 timeline？" in proc.stderr
    assert proc.stderr.rstrip().endswith("保持不变。")
    assert tree(site) == before
    assert leftovers(site.parent) == []


def test_missing_config_file(tmp_path):
    proc = build("--config-file", "no-such-mkdocs.yml", "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == "no-such-mkdocs.yml: 找不到 MkDocs 配置文件"
    assert not (tmp_path / "site").exists()


def test_successful_build_replaces_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    proc = build("--site-dir", str(site))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("站点已生成：")
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()
    for source in sorted((ROOT / "content" / "notices").glob("*.yaml")):
        assert (site / "notices" / source.stem / "index.html").is_file(), source.stem
    assert leftovers(tmp_path) == []
