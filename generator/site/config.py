"""Typed configuration of the ``zhicheng`` MkDocs plugin."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NoticesConfig(Config):
    enabled = c.Type(bool, default=True)
    content_dir = c.Type(str, default="content")
    schemas_dir = c.Type(str, default="schemas")
    # Build the Pagefind search index after the site is written (generator/site/pages/search.py).
    # ``mkdocs serve`` may turn it off with ZHICHENG_SEARCH_INDEX=0 for the fastest reloads.
    search_index = c.Type(bool, default=True)
