"""The ``zhicheng`` MkDocs plugin: every page about notices is generated from ``content/``."""

from __future__ import annotations

import html
import importlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.engine import clock
from generator.errors import UserError
from generator.site.config import NoticesConfig
from generator.site.context import SiteContext

# Explicit, ordered list of page-kind modules in generator/site/pages/ (each has produce(ctx)).
PRODUCERS: tuple[str, ...] = (
    "home",
    "notices",
    "audit",
    "regions",
    "data",
    "runtime",
    "check",
    "attachments",
    "calendar",
    "search",
)


# Chinese titles and order of the top-level navigation (sections are named after folders).
NAV_ORDER: tuple[tuple[str, str], ...] = (
    ("index.md", "首页"),
    ("notices", "通知"),
    ("archive", "年度归档"),
    ("regions", "地区"),
    ("check", "资格核验"),
    ("templates", "模板"),
    ("calendar", "日历"),
    ("editors.md", "编辑指南"),
)


def _first_segment(item) -> str | None:
    """The top-level folder (or file) a navigation item stands for."""
    if getattr(item, "file", None) is not None:
        return item.file.src_uri.split("/", 1)[0]
    for child in getattr(item, "children", None) or ():
        found = _first_segment(child)
        if found:
            return found
    return None


def _flatten_single_pages(items: list) -> None:
    """A folder holding only its index page (regions/<slug>/) becomes that page in the nav,
    so it shows the page's own Chinese title instead of the folder name."""
    for i, item in enumerate(items):
        if not item.is_section:
            continue
        _flatten_single_pages(item.children)
        if len(item.children) == 1 and item.children[0].is_page:
            page = item.children[0]
            page.parent = item.parent
            items[i] = page


# Top-level folders whose section shows only its index page in the navigation: the navigation
# is the same few links on every page, however many notices, regions, years or templates exist
# (each index page lists its own pages). The search page is reached from the header.
INDEX_ONLY: frozenset[str] = frozenset({"notices", "regions", "archive", "templates", "calendar", "check"})
NOT_IN_NAV: frozenset[str] = frozenset({"search"})


def _is_index_of(item, key: str) -> bool:
    file = getattr(item, "file", None)
    return file is not None and file.src_uri == f"{key}/index.md"


def _prune(items: list) -> list:
    kept = []
    for item in items:
        key = _first_segment(item)
        if key in NOT_IN_NAV:
            continue
        if item.is_section and key in INDEX_ONLY:
            item.children = [child for child in item.children if _is_index_of(child, key)]
            for child in item.children:
                child.parent = item
        kept.append(item)
    return kept


def _producer(name: str):
    return importlib.import_module(f"generator.site.pages.{name}")


# Front-matter values that Material prints into <title>, <meta content="…">, the header and the
# navigation without escaping (and the search plugin copies into its index as HTML).
ESCAPED_META = ("title", "description")


def escape_meta(meta: dict) -> None:
    """Front-matter text becomes HTML text: ``<``, ``&`` and quotes are escaped once, here, so
    that every place Material prints them shows the characters instead of running them."""
    for key in ESCAPED_META:
        if key in meta and meta[key] is not None:
            meta[key] = html.escape(str(meta[key]), quote=True)


class NoticesPlugin(BasePlugin[NoticesConfig]):
    # Set by on_startup under `mkdocs serve --dirty` (make serve): incremental rebuilds
    # (generator/site/incremental.py). MkDocs keeps this plugin object across rebuilds because
    # it has on_startup; every other build (make site, tests) leaves it None.
    incremental = None
    serving = False

    def on_startup(self, *, command, dirty):
        from generator.site import memo

        self.serving = command == "serve"
        memo.enable(self.serving)
        if self.serving and dirty:
            from generator.site.incremental import Incremental

            self.incremental = Incremental()

    def on_shutdown(self):
        from generator.site import memo

        memo.enable(False)
        if getattr(self, "_indexer", None) is not None:
            self._indexer.stop()

    def on_build_error(self, *, error):
        if self.incremental is not None:
            self.incremental.failed()

    def on_config(self, config):
        from generator.site.csp import META_POLICY

        config.extra["content_security_policy"] = META_POLICY
        if not self.config.enabled:
            return
        from generator.content.bundle import build_bundle
        from generator.content.load import load_content

        root = Path(config.config_file_path).parent

        def load():
            content = load_content(root / self.config.content_dir)
            return content, build_bundle(content)

        try:
            if self.incremental is not None:  # reused while no content or schema file changed
                from generator.content.load import SCHEMAS  # the schemas load_content uses

                content, bundle = self.incremental.load(root / self.config.content_dir, SCHEMAS)
            else:
                content, bundle = load()
        except UserError as err:
            raise PluginError(f"内容校验失败，未生成站点：\n{err}") from None
        self.ctx = SiteContext(content=content, bundle=bundle, config=config, root=root, today=clock.now().date())
        return config

    def on_files(self, files: Files, *, config):
        if not self.config.enabled:
            return
        self.generated_pages: set[str] = set()
        self.stashed: dict[str, list[str]] = {}
        inc = self.incremental
        if inc is not None:
            inc.start()
        for name in PRODUCERS:
            for artifact in _producer(name).produce(self.ctx):
                if artifact.path.endswith(".md"):
                    self.generated_pages.add(artifact.path)
                existing = files.get_file_from_path(artifact.path)
                if existing is not None:
                    files.remove(existing)
                # INCLUDED explicitly: MkDocs excludes /templates/ from docs by default.
                if inc is not None:
                    files.append(inc.file(config, artifact.path, artifact.content, InclusionLevel.INCLUDED))
                else:
                    files.append(
                        File.generated(
                            config, artifact.path, content=artifact.content, inclusion=InclusionLevel.INCLUDED
                        )
                    )
        if inc is not None:
            inc.remove_stale()
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        """Front-matter text is escaped for Material (every page, generated or hand-written,
        whether or not the plugin is enabled); generated pages' HTML blocks then bypass
        Markdown's HTML parsing (generator/site/stash.py), and a generated page that is only
        headings and such blocks bypasses Python-Markdown altogether (generator/site/plainpage.py)."""
        escape_meta(page.meta)
        if not self.config.enabled or page.file.src_uri not in getattr(self, "generated_pages", ()):
            return markdown
        from generator.site import plainpage
        from generator.site.stash import stash

        markdown, blocks = stash(markdown)
        self.stashed[page.file.src_uri] = blocks
        # A page left with only headings and blocks is rendered without Python-Markdown.
        settings = getattr(self, "_plain_settings", None)
        if settings is None or settings.config is not config:
            settings = self._plain_settings = plainpage.Settings(config)
        render = plainpage.renderer(markdown, page, settings)
        if render is not None:
            page.render = render
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if self.incremental is not None:
            self.incremental.rendered_page(page)
        blocks = getattr(self, "stashed", {}).pop(page.file.src_uri, None)
        if not blocks:
            return html
        from generator.site.stash import anchor_ids, restore

        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchor_ids(blocks)
        return restore(html, blocks)

    def on_nav(self, nav, *, config, files):
        if not self.config.enabled:
            return
        order = {key: (rank, title) for rank, (key, title) in enumerate(NAV_ORDER)}
        nav.items = _prune(nav.items)
        for item in nav.items:
            if item.is_section:
                _flatten_single_pages(item.children)
        for item in nav.items:
            key = _first_segment(item)
            if item.is_section and key in order:
                item.title = order[key][1]
        nav.items.sort(key=lambda item: order.get(_first_segment(item), (len(order), ""))[0])
        if self.incremental is not None:
            self.incremental.check_fingerprint(config, nav, files)
        return nav

    def on_env(self, env, *, config, files):
        from generator.site.navcache import install

        install(env, config)  # Material's navigation rendered once per distinct input
        if self.serving:
            from generator.site.memo import jinja_cache

            env.bytecode_cache = jinja_cache()  # Material's templates: compiled once per session
        if self.incremental is not None:
            self.incremental.restore_titles(files)
        return env

    def on_post_build(self, *, config):
        """Index the written site with Pagefind, then list it for offline use and pre-compress it
        (all before `generator build` swaps it into site/)."""
        if not self.config.enabled:
            return
        import os

        from generator.site.compress import precompress
        from generator.site.offline import is_manifest, write_manifest

        index = self.config.search_index and os.environ.get("ZHICHENG_SEARCH_INDEX", "1") != "0"
        if self.serving:
            # `mkdocs serve`: the page is reloaded as soon as the pages are written; the search
            # index follows in the background, and the dev server sends no .br/.gz copies.
            from generator.site.serve_index import BackgroundIndexer

            try:
                write_manifest(Path(config.site_dir), self.ctx)
            except OSError:  # the background index was swapped in meanwhile: next rebuild
                pass
            if self.incremental is not None:
                self.incremental.finished()
            if index:
                if getattr(self, "_indexer", None) is None:
                    self._indexer = BackgroundIndexer()
                self._indexer.request(Path(config.site_dir))
            return
        site_dir = Path(config.site_dir)
        root = Path(config.config_file_path).parent
        cache = root / ".cache" / "compressed"
        from generator.site.slim import slim_site

        slim_site(site_dir, Path(getattr(config.theme, "custom_dir", None) or root / "site_overrides"))
        from generator.site.pages.search import BUNDLE_DIR, start_index

        indexing = None
        if index:
            try:
                indexing = start_index(site_dir)
            except UserError as err:
                raise PluginError(str(err)) from None
        # Pagefind only reads the pages: compress everything else meanwhile (on both cores), then
        # the index and the offline lists (generator/site/offline.py), written last.
        later = lambda rel: rel.startswith(BUNDLE_DIR + "/") or is_manifest(rel)  # noqa: E731
        try:
            precompress(site_dir, cache, skip=later if indexing else None)
        except BaseException:
            if indexing is not None:
                indexing.proc.kill()
            raise
        if indexing is not None:
            try:
                indexing.wait()
            except UserError as err:
                raise PluginError(str(err)) from None
        write_manifest(site_dir, self.ctx)
        precompress(site_dir, cache, skip=lambda rel: not later(rel))

    def on_serve(self, server, *, config, builder):
        if not self.config.enabled:
            return
        root = Path(config.config_file_path).parent
        for sub in (self.config.content_dir, self.config.schemas_dir):
            if (root / sub).is_dir():
                server.watch(str(root / sub))
        return server
