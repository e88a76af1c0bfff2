"""Formatting helpers shared by the page producers: Chinese labels, Beijing-time dates, escaping.

Producer templates are ``*.html`` Jinja files (autoescaped) that emit Markdown headings and raw
HTML blocks; text from content/ therefore never gets a chance to be read as Markdown.
"""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup, escape

# Chinese labels of content values, one source (generator/content/labels.py); re-exported for pages.
from generator.content.labels import (  # noqa: E402,F401
    EMPLOYER_TYPES,
    ISSUER_LEVELS,
    KINDS,
    LEVELS,
    MASKING,
    PHASES,
    POLICY_KINDS,
    SECTIONS,
    SEVERITY,
)
from generator.engine.clock import date_cn, instant_iso, when_cn  # noqa: F401  (re-exported for pages)
from generator.engine.timeline import STATUS_LABELS, window_instants

_URL = re.compile(r"https?://[!-~]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}[!-~]*")
_URL_TRAIL = ".,;:!?)]}>'\""


def instant(value: str, *, end: bool) -> str:
    """ISO instant with offset for the browser; a bare end date means 24:00 of that day.

    The engine's timeline model decides this (generator/engine/timeline.py), for every page.
    """
    return instant_iso(value, end=end)


def rich(text) -> Markup:
    """Escapes text for HTML, turns URLs into links and line breaks into <br>."""
    if text is None:
        return Markup("")
    text = str(text)
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group(0)
        stripped = url.rstrip(_URL_TRAIL)
        end = m.start() + len(stripped)
        out.append(str(escape(text[pos : m.start()])))
        href = stripped if stripped.startswith("http") else "http://" + stripped
        out.append(f'<a href="{escape(href)}" rel="noopener">{escape(stripped)}</a>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out).strip().replace("\n", "<br>\n"))


def fmt_amount(value) -> str:
    """150.0 → "150", 12.5 → "12.5"."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def clause(value) -> Markup:
    """The citation shown next to every fact: 〔原文 五、（三）1〕."""
    if not value:
        return Markup("")
    # Concatenated rather than Markup.format (the same escaping; format's Formatter cost more
    # than the rest of the filter, and every fact of a notice page has a clause).
    return Markup('<span class="zc-clause" title="通知原文条款">原文 ' + str(escape(value)) + "</span>")


def md_text(text) -> str:
    """Escapes text for use inside a Markdown heading or link text."""
    text = str(escape(str(text))).replace("\n", " ")
    return Markup(re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", text))


def levels_cn(values) -> str:
    return "、".join(LEVELS.get(v, v) for v in values or ())


def kinds_cn(values) -> str:
    return "、".join(KINDS.get(v, v) for v in values or ())


def status_badge(start: str | None, end: str | None) -> Markup:
    """A status mark filled in by status.js ("now" or ``?today=``) from the engine's instants."""
    if not (start or end):
        return Markup("")
    attrs = ""
    if start:
        attrs += f' data-zc-start="{escape(instant_iso(start, end=False))}"'
    if end:
        attrs += f' data-zc-end="{escape(instant_iso(end, end=True))}"'
    labels = "|".join(STATUS_LABELS[s] for s in ("upcoming", "open", "closed"))
    return Markup(f'<span class="zc-when"{attrs} data-zc-labels="{labels}" hidden></span>')


def phase_badge(phase: dict) -> Markup:
    return status_badge(phase.get("start"), phase.get("end"))


def window_badge(notice: dict) -> Markup:
    """The notice's application window as a status mark (empty when it has no dated window)."""
    span = window_instants(notice)
    return status_badge(span["start"], span["end"]) if span else Markup("")


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Registers the filters above on the shared Jinja environment (idempotent)."""
    env.filters.update(
        rich=rich,
        tel=tel,
        clause=clause,
        md=md_text,
        when=when_cn,
        date_cn=date_cn,
        levels=levels_cn,
        kinds=kinds_cn,
        level=lambda v: LEVELS.get(v, v),
        kind=lambda v: KINDS.get(v, v),
        employer=lambda v: EMPLOYER_TYPES.get(v, v),
        phase=lambda v: PHASES.get(v, v),
        policy_kind=lambda v: POLICY_KINDS.get(v, v),
        masking=lambda v: MASKING.get(v, v),
        severity=lambda v: SEVERITY.get(v, v),
        issuer_level=lambda v: ISSUER_LEVELS.get(v, v),
        yuan=fmt_amount,
        phase_badge=phase_badge,
        window_badge=window_badge,
    )
    return env
