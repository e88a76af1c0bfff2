"""A copy of this project whose content holds N notices: the bundled ones plus synthetic copies.

    from benchmarks.synthetic import make_project
    project = make_project(tmp_dir, 200)      # tmp_dir/mkdocs.yml, content/ with 200 notices

A synthetic notice is a bundled notice moved to an earlier year, as a site accumulates them: copy
k of a notice gets the id ``<year>-<original id without year>-s<k>``, its year 1–18 years earlier
(cycling, so no year before 2005, the first year of the holiday calendar), every date (timeline,
issue date, rule conditions) shifted by the same number of years, and the year in its title,
short title and summary replaced. The region stays the region of the original, so at 1000
notices a region holds many notices a year, in earlier years only: the current year holds the
bundled notices alone, as it does on the real site until next year's notices are added.

Everything else of the project (site_pages, site_overrides, schemas, content/rules, templates,
the browser runtime in node_modules and .cache) is linked, not copied.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
LINKED = (
    "site_pages",
    "site_overrides",
    "schemas",
    "node_modules",
    ".cache",
    "package.json",
    "package-lock.json",
    "browser-requirements.txt",
    "pyproject.toml",
    "generator",
    "tests",
)
YEARS_BACK = 18
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2})?\+08:00)?$")
SKIP_ROOT = ("inferred", "id", "year", "source")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/notice.schema.json"


def _shift(value: str, years: int) -> str:
    from generator.authoring.scaffold import shift_value

    return shift_value(value, years)


def _walk(node, years: int, top: bool = False):
    if isinstance(node, dict):
        return {k: (v if top and k in SKIP_ROOT else _walk(v, years)) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, years) for v in node]
    if isinstance(node, str) and DATE_RE.match(node):
        return _shift(node, years)
    return node


def synthetic_notice(notice: dict, k: int) -> dict:
    """Copy ``k`` (1, 2, ...) of ``notice``, moved ``1 + (k - 1) % 18`` years back."""
    back = 1 + (k - 1) % YEARS_BACK
    old, new = notice["year"], notice["year"] - back
    out = _walk(notice, -back, top=True)
    base = re.sub(r"^\d{4}-", "", notice["id"])
    out["id"] = f"{new}-{base}-s{k}"
    out["year"] = new
    for key in ("title", "short_title", "summary"):
        if isinstance(out.get(key), str):
            out[key] = re.sub(rf"(?<!\d){old}(?=\s*年)", str(new), out[key])
    ce = (out.get("parameters") or {}).get("continuing_education") or {}
    if isinstance(ce.get("years"), list):
        ce["years"] = [y - back if isinstance(y, int) else y for y in ce["years"]]
    return out


def bundled_notices() -> list[dict]:
    yaml = YAML(typ="safe", pure=True)
    out = []
    for path in sorted((ROOT / "content" / "notices").glob("*.yaml")):
        out.append(json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8")), default=str)))
    return out


def make_project(dest: Path, total: int) -> Path:
    """A project directory at ``dest`` whose content holds ``total`` notices (at least the bundled)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        if (ROOT / name).exists() and not (dest / name).exists():
            (dest / name).symlink_to(ROOT / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("notices"))
    (content / "notices").mkdir()
    originals = bundled_notices()
    for path in sorted((ROOT / "content" / "notices").glob("*.yaml")):
        shutil.copy2(path, content / "notices" / path.name)
    for i in range(max(0, total - len(originals))):
        notice = synthetic_notice(originals[i % len(originals)], i // len(originals) + 1)
        # JSON is YAML: the loader reads it like any notice file.
        (content / "notices" / f"{notice['id']}.yaml").write_text(
            SCHEMA_LINE + "\n" + json.dumps(notice, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return dest
