"""An attachment form as HTML: the printable document and the prefill and batch forms.

Rendered by the page templates in ``generator/attachments/templates/`` (Jinja, autoescaped), from
the attachment-form model (:mod:`generator.attachments.forms`); the site's attachment pages
(``generator/site/pages/attachments.py``) put them on ``templates/<id>/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.attachments import rows
from generator.attachments.forms import blank_order, cell_parts, line_align, line_text, note_prefix, segments

TEMPLATES_DIR = Path(__file__).with_name("templates")
PRIVACY = "所填内容只在本机浏览器中处理并直接生成 Word 文件，不会上传或发送到任何地方。"


@lru_cache(maxsize=1)
def env() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        segments=segments, line_align=line_align, line_text=line_text, cell_parts=cell_parts, note_prefix=note_prefix
    )
    return environment


def _render(name: str, **values) -> Markup:
    return Markup(env().get_template(name).render(**values).rstrip("\n"))


def document_html(template: dict) -> Markup:
    """The attachment as a printable document; every blank a ``<span class="zc-blank">``."""
    return _render("document.html", template=template, blanks=template["blanks"])


def form_html(template: dict) -> Markup:
    """The prefill form: one field per blank, in document order."""
    return _render("form.html", template=template, order=blank_order(template), privacy=PRIVACY)


def batch_html(template: dict) -> Markup:
    """The batch form: rows pasted from Excel/WPS or opened from .xlsx/.csv, a column mapping,
    one preview and problem list per applicant, and the two downloads. Filled in by batch.js."""
    return _render("batch.html", template=template, columns=rows.column_headers(template), privacy=PRIVACY)
