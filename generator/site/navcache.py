"""Material's navigation rendered once for all the pages that give it the same input.

Material renders the whole left navigation (``partials/nav.html``) for every page: about 40 % of
the theme's rendering time of a notice page and of its rule audit, two pages per notice (README,
规模基准). Its output depends on the navigation of the build (constant), on which items are
active or are the page itself, and on the page's address only through the relative links it
writes (``| url``). Notice pages, rule audits and the other pages outside the navigation are
never an item of it, so pages with the same active items and the same relative link for every
address the navigation links to get the same HTML: it is rendered for the first and reused for
the others.

``site_overrides/partials/nav.html`` asks :meth:`NavCache.key` for the page's key (None: render
as usual, e.g. a page of the navigation, whose own table of contents may appear in it) and
includes Material's original as ``material/partials/nav.html`` (the loader alias added by
:func:`install`). tests/test_navcache.py builds the real site rendering every page's navigation
and checks each against the copy it would have reused.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from mkdocs.utils import get_relative_url

PREFIX = "material"


class NavCache:
    """The navigation HTML of one build, by key (a new one per build: ``on_env``)."""

    def __init__(self) -> None:
        self.html: dict[tuple, str] = {}
        self._nav_id: int | None = None
        self._items: list = []
        self._targets: list[str] = []
        self.enabled = os.environ.get("ZHICHENG_NAV_CACHE", "1") != "0"

    def _index(self, nav, config) -> None:
        """Every item of ``nav`` (depth first) and every address the navigation links to."""
        if self._nav_id == id(nav):
            return
        items: list = []

        def walk(children):
            for item in children:
                items.append(item)
                walk(getattr(item, "children", None) or ())

        walk(nav.items)
        targets = {item.url for item in items if getattr(item, "url", None) is not None}
        homepage = getattr(nav, "homepage", None)
        targets.add(homepage.url if homepage is not None else "")
        if config is not None:
            # the logo's link and image (partials/nav.html, partials/logo.html)
            for value in ((config.extra or {}).get("homepage"), config.theme.get("logo")):
                if value:
                    targets.add(str(value))
        self._nav_id, self._items, self._targets = id(nav), items, sorted(targets)

    def key(self, page, nav, config=None) -> tuple | None:
        """What the navigation's HTML depends on for ``page``; None: do not reuse it."""
        if not self.enabled or page is None or nav is None or getattr(page, "url", None) is None:
            return None
        self._index(nav, config)
        if any(item is page for item in self._items):
            return None
        url = page.url
        return (
            url.count("/"),
            tuple(bool(getattr(item, "active", False)) for item in self._items),
            tuple(get_relative_url(target, url) for target in self._targets),
        )

    def get(self, key):
        return None if key is None else self.html.get(key)

    def put(self, key, html):
        if key is not None:
            self.html[key] = html
        return html


def material_templates(theme_dirs: list[str], custom_dir: str | None) -> Path | None:
    """Material's own template directory among the theme's (the one after our overrides)."""
    for directory in theme_dirs:
        if custom_dir and Path(directory).resolve() == Path(custom_dir).resolve():
            continue
        if (Path(directory) / "partials" / "nav.html").is_file():
            return Path(directory)
    return None


def install(env: jinja2.Environment, config) -> None:
    """A fresh cache as the global ``zc_nav``, and Material's templates under ``material/``."""
    theme = config.theme
    material = material_templates(list(theme.dirs), getattr(theme, "custom_dir", None))
    if material is None:
        return  # not Material: the override renders the navigation as usual (zc_nav undefined)
    loader = env.loader
    if not (isinstance(loader, jinja2.ChoiceLoader) and getattr(loader, "zc_material", False)):
        loader = jinja2.ChoiceLoader([loader, jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(str(material))})])
        loader.zc_material = True  # type: ignore[attr-defined]
        env.loader = loader
    env.globals["zc_nav"] = NavCache()
