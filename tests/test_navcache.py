"""Material's navigation is rendered once per distinct input and reused (generator/site/navcache.py):
the reused HTML is exactly what Material renders for each page."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands import build as mk_build
from mkdocs.config import load_config

from generator.site import navcache

ROOT = Path(__file__).resolve().parent.parent


def test_every_reused_navigation_of_the_real_build_is_what_material_renders(tmp_path, monkeypatch):
    """The real site is built with the cache never answering, so that Material renders every
    page's navigation; every page whose key another page had before must have rendered the very
    same HTML, and the notice pages and rule audits share their navigation."""
    rendered: dict[tuple, str] = {}
    pages_by_key: dict[tuple, list[str]] = {}
    uncached: list[str] = []
    current: dict[str, str] = {}
    real_key = navcache.NavCache.key

    def key(self, page, nav, config=None):
        current["page"] = getattr(page, "url", None)
        found = real_key(self, page, nav, config)
        if found is None:
            uncached.append(current["page"])
        return found

    def put(self, key, html):
        if key is not None:
            pages_by_key.setdefault(key, []).append(current["page"])
            if key in rendered:
                assert str(html) == str(rendered[key]), current["page"]
            rendered.setdefault(key, html)
        return html

    monkeypatch.setattr(navcache.NavCache, "key", key)
    monkeypatch.setattr(navcache.NavCache, "get", lambda self, key: None)
    monkeypatch.setattr(navcache.NavCache, "put", put)
    monkeypatch.setenv("ZHICHENG_SEARCH_INDEX", "0")
    monkeypatch.chdir(ROOT)
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        mk_build.build(cfg)
    finally:
        logger.setLevel(level)
    notices = sorted(p.stem for p in (ROOT / "content" / "notices").glob("*.yaml"))
    assert len(notices) >= 2
    shared = {k: urls for k, urls in pages_by_key.items() if len(urls) > 1}
    for kind in ("notices/{}/", "notices/{}/rules/"):
        keys = {k for k, urls in pages_by_key.items() for nid in notices if kind.format(nid) in urls}
        assert len(keys) == 1 and keys <= set(shared), kind  # one navigation for all of them
    # the pages of the navigation itself render their own (their table of contents may show)
    assert "" in uncached and "check/" in uncached, uncached  # the home page, the check page
    # and the written pages hold that navigation
    page = (tmp_path / "site" / "notices" / notices[-1] / "index.html").read_text(encoding="utf-8")
    key_of = next(k for k, urls in pages_by_key.items() if f"notices/{notices[-1]}/" in urls)
    assert str(rendered[key_of]).strip() and str(rendered[key_of]) in page


def test_switched_off_by_environment(monkeypatch):
    monkeypatch.setenv("ZHICHENG_NAV_CACHE", "0")
    assert navcache.NavCache().key(object(), object()) is None


def test_material_templates_are_found_after_the_overrides():
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    found = navcache.material_templates(list(cfg.theme.dirs), cfg.theme.custom_dir)
    assert found is not None and found.parent.name == "material"
    assert (ROOT / "site_overrides" / "partials" / "nav.html").is_file()  # the override is not Material's
