"""Typed configuration of the ``zhicheng`` MkDocs plugin."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class NoticesConfig(Config):
    enabled = c.Type(bool, default=True)
    content_dir = c.Type(str, default="content")
    schemas_dir = c.Type(str, default="schemas")
