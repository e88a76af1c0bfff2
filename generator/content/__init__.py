"""The content layer: YAML with positions, schema validation, cross-file checks, the engine bundle.

``load_content(root)`` reads ``content/`` into a validated :class:`Content` (or raises
:class:`~generator.errors.ContentError` with every problem as ``path:line:col: message``);
``generator.content.bundle.build_bundle(content)`` turns it into the plain dict the engine takes.
Modules: ``yamlio`` (ruamel.yaml with line/col), ``validate`` (schema errors in Chinese, through
:mod:`generator.engine.messages`), ``checks`` (cross-file checks), ``load`` (the loader),
``bundle`` (the engine bundle), ``schemagen`` (fact enumerations of the schemas).
"""

from generator.content.load import Content, collect, load_content

__all__ = ["Content", "collect", "load_content"]
