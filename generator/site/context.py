"""What every page producer receives, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass
class Artifact:
    """One generated file. ``path`` is the site-relative source uri.

    ``.md`` artifacts are rendered by MkDocs (they appear in navigation and search); anything
    else (``.json``, ``.ics``, ``.docx``, ``.svg``, ``.whl`` ...) is copied into the site as-is.
    """

    path: str
    content: str | bytes


@dataclass
class SiteContext:
    content: Any  # generator.content.Content
    bundle: dict  # generator.content.bundle.build_bundle(content)
    config: Any  # mkdocs MkDocsConfig
    root: Path  # project root (directory of mkdocs.yml)
    today: date  # build date: a static fallback only; "now" is computed in the browser
    env: jinja2.Environment = field(default=None)  # type: ignore[assignment]
    # Bytes a first visit of check/ downloads for the validator (brotli), set by runtime.py.
    runtime_download: int = 0

    def __post_init__(self):
        if self.env is None:
            self.env = make_env()

    def render(self, template: str, **values) -> str:
        return self.env.get_template(template).render(ctx=self, **values)


# Names a plain dict has as attributes (its methods): ``d.items`` stays the method.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """``{{ notice.title }}`` looks the key up directly in a plain dict. Jinja tries the
    attribute first and the key after its AttributeError: the same result (a dict has no
    attributes besides its methods, which keep precedence), without raising and catching an
    exception for each of the ~1000 fields a notice page reads."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_env() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build (SiteContext): templates cannot change while it renders, and
        # Jinja would otherwise stat the template file at every render and include (as MkDocs'
        # own theme environment, auto_reload is off).
        auto_reload=False,
    )
    # ``tojson`` is the one way data reaches a page: HTML-safe (<, >, &, ' escaped), Chinese kept
    # as UTF-8 (smaller pages), compact. Keys stay in the order they were built (page scripts read
    # e.g. an attachment's blanks in document order); every producer builds its data in a fixed order.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False, "separators": (",", ":")}
    from generator.site.memo import jinja_cache

    env.bytecode_cache = jinja_cache()  # compiled once per `mkdocs serve` session
    return env
