"""One project name, zhicheng: distribution, MkDocs plugin, browser engine wheel and README agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from generator.browser.assemble import ENGINE_PACKAGE

ROOT = Path(__file__).resolve().parent.parent


def test_distribution_plugin_engine_wheel_and_readme_share_one_name():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = project["name"]
    assert list(project["entry-points"]["mkdocs.plugins"]) == [name]
    assert project["entry-points"]["mkdocs.plugins"][name] == "generator.site.plugin:NoticesPlugin"
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(rf"^\s*- {name}\b", mkdocs, re.M), "mkdocs.yml enables the plugin by the project name"
    assert ENGINE_PACKAGE == f"{name}-engine"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"项目名 **{name}**" in readme.split("\n## ")[0]
