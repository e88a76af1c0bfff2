"""Generated pages that are only headings and stashed HTML blocks skip Python-Markdown entirely.

After :mod:`generator.site.stash` has set the HTML blocks aside, a generated page such as a notice
page or its rule audit is a list of ATX headings (``## 概述 { #overview }``) and placeholder
lines, separated by blank lines. Converting that with Python-Markdown still cost several
milliseconds a page (a Markdown instance with every extension, block parsing, an HTML parser
over the text, inline patterns over every line, the tree processors and serialisation), the
largest share of the Markdown stage at hundreds of notices.

For such a page :func:`renderer` returns a replacement for MkDocs' ``Page.render`` that writes the
same HTML directly: each heading as the ``toc`` extension makes it (the ``attr_list`` id or the
configured slug made unique, the permalink), each placeholder as Python-Markdown emits a raw
HTML block, and it fills what ``Page.render`` fills (``content``, ``toc``, the title of a
leading ``#`` heading, the anchors the page defines and the links it makes to its own
anchors). It is only used when the page holds nothing else, when every heading's text is plain
(no character Markdown's inline syntax or HTML escaping would act on: those pages go through
Python-Markdown as before) and when the site's Markdown extensions are the ones this module
knows (:data:`KNOWN_EXTENSIONS`, with the ``toc`` options it reproduces). Set
``ZHICHENG_PLAIN_PAGES=0`` to turn it off; ``tests/test_plainpage.py`` builds the site both ways
and requires every page to be byte-identical, and compares the two renderings of edge cases.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable

from markdown.extensions.toc import TocExtension, nest_toc_tokens, strip_tags, unique
from markdown.serializers import _escape_attrib_html, _escape_cdata
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

from generator.site.stash import PLACEHOLDER_RE

# Extensions whose effect on a page of headings and raw HTML blocks is known: none changes it,
# except toc (ids, permalinks, the table of contents) and attr_list (``{ #id }``), reproduced here.
# MkDocs adds toc, tables and fenced_code to every configuration.
KNOWN_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "md_in_html",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
    }
)
# ``# text`` or ``## text { #id }`` / ``{: #id }``; the text is checked separately.
_HEADING = re.compile(r"(#{1,6}) (\S(?:.*\S)?)$")
_ATTR_ID = re.compile(r"^(.*?) +\{:? *#([A-Za-z][A-Za-z0-9_-]*) *\}$")
# Text Python-Markdown outputs unchanged: no backslash escape, code, emphasis, link, image, HTML,
# entity, attribute list, closing hashes or line break can start in it.
_CHAR = r"[^\\`*_{}\[\]()#!<>&\"'|~^=+\s\x00-\x1f\x7f]"
_PLAIN = re.compile(f"{_CHAR}+(?: {_CHAR}+)*")


def enabled() -> bool:
    return os.environ.get("ZHICHENG_PLAIN_PAGES", "1") != "0"


class Settings:
    """What the configured toc extension does to a heading, or ``usable`` False when this
    module cannot promise Python-Markdown's output for the site's configuration."""

    def __init__(self, config) -> None:
        self.config = config
        self.usable = False
        names = set(config["markdown_extensions"])
        if not names <= KNOWN_EXTENSIONS or "toc" not in names or "attr_list" not in names:
            return
        mdx = config["mdx_configs"] or {}
        unknown_options = set(mdx.get("toc") or {}) - {"permalink", "permalink_title", "permalink_class"}
        if unknown_options or any(
            options for name, options in mdx.items() if name not in ("toc", "pymdownx.superfences")
        ):
            return  # e.g. abbr's glossary applies to every page
        toc = TocExtension(**(mdx.get("toc") or {})).getConfigs()
        if str(toc["baselevel"]) != "1" or toc["anchorlink"] or toc["permalink_leading"]:
            return
        permalink = toc["permalink"]
        if permalink is True:
            self.permalink = "&para;"
        elif permalink in (False, None, ""):
            self.permalink = None
        elif isinstance(permalink, str):
            self.permalink = _escape_cdata(permalink)
        else:
            return
        self.slugify = toc["slugify"]
        self.separator = toc["separator"]
        self.toc_bottom = int(toc["toc_depth"])
        self.link_attrs = f' class="{_escape_attrib_html(toc["permalink_class"])}"'
        title = toc["permalink_title"]
        self.link_title = f' title="{_escape_attrib_html(title)}"' if title else ""
        self.usable = True


def _parse(markdown: str) -> list[tuple] | None:
    """[("h", level, text, id or None) | ("raw", placeholder)], or None when the page holds
    anything else."""
    items: list[tuple] = []
    previous_blank = True
    for line in markdown.split("\n"):
        if not line:
            previous_blank = True
            continue
        if not previous_blank:
            return None  # two lines of one block
        previous_blank = False
        if PLACEHOLDER_RE.fullmatch(line):
            items.append(("raw", line))
            continue
        m = _HEADING.match(line)
        if m is None:
            return None
        text, ident = m.group(2), None
        attr = _ATTR_ID.match(text)
        if attr is not None:
            text, ident = attr.group(1), attr.group(2)
        if not _PLAIN.fullmatch(text):
            return None
        items.append(("h", len(m.group(1)), text, ident))
    return items


def renderer(markdown: str, page, settings: Settings) -> Callable | None:
    """A ``render(config, files)`` for ``page`` that skips Python-Markdown, or None."""
    if not settings.usable or not enabled():
        return None
    items = _parse(markdown)
    if items is None:
        return None

    def render(config, files) -> None:
        del page.render  # the instance attribute: MkDocs' method again
        if page.markdown != markdown:  # changed after us (another plugin): Markdown renders it
            page.render(config, files)
            return
        used = {item[3] for item in items if item[0] == "h" and item[3]}
        counters: dict[str, int] = {}
        out, tokens, anchors, self_links = [], [], set(), {}
        for item in items:
            if item[0] == "raw":
                out.append(item[1] + "\n")
                continue
            _, level, text, ident = item
            name = strip_tags(text)
            if ident is None:
                ident = unique(settings.slugify(name, settings.separator), used, counters)
            anchors.add(ident)
            link = ""
            if settings.permalink is not None:
                link = f'<a{settings.link_attrs} href="#{ident}"{settings.link_title}>{settings.permalink}</a>'
                self_links.setdefault(ident, "#" + ident)
            out.append(f'<h{level} id="{ident}">{text}{link}</h{level}>')
            if level <= settings.toc_bottom:
                tokens.append({"level": level, "id": ident, "name": name, "html": text, "data-toc-label": ""})
        page.content = "\n".join(out).strip()
        page.toc = get_toc(nest_toc_tokens(tokens))
        first = items[0] if items else None
        page._title_from_render = " ".join(first[2].split()) if first and first[0] == "h" and first[1] == 1 else None
        page.present_anchor_ids = anchors
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {page.file: self_links} if self_links else {}

    return render
