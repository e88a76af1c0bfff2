"""Machine-readable notices: ``data/notices/<id>.json`` is the validated notice, as JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from json.encoder import encode_basestring

from generator.site.context import Artifact, SiteContext


def notice_json(notice: dict) -> str:
    """``json.dumps(notice, ensure_ascii=False, indent=2)`` plus a newline."""
    out: list[str] = []
    try:
        _write(notice, 0, out)
    except _Unusual:
        return json.dumps(notice, ensure_ascii=False, indent=2) + "\n"
    out.append("\n")
    return "".join(out)


class _Unusual(Exception):
    """A value the direct writer leaves to json.dumps."""


def _write(node, level: int, out: list[str]) -> None:
    """What json.dumps(..., ensure_ascii=False, indent=2) writes for a loaded document (dicts
    with text keys, lists, text, whole and finite numbers, booleans, null), written directly:
    with ``indent`` json uses its pure-Python encoder, a generator per container, which cost
    about a millisecond per notice. ``tests/test_notice_json.py`` compares both."""
    kind = type(node)
    if kind is str:
        out.append(encode_basestring(node))
    elif kind is dict:
        if not node:
            out.append("{}")
            return
        lead = "{\n" + "  " * (level + 1)
        for key, value in node.items():
            if type(key) is not str:
                raise _Unusual
            out.append(lead)
            out.append(encode_basestring(key))
            out.append(": ")
            _write(value, level + 1, out)
            lead = ",\n" + "  " * (level + 1)
        out.append("\n" + "  " * level + "}")
    elif kind is list:
        if not node:
            out.append("[]")
            return
        lead = "[\n" + "  " * (level + 1)
        for value in node:
            out.append(lead)
            _write(value, level + 1, out)
            lead = ",\n" + "  " * (level + 1)
        out.append("\n" + "  " * level + "]")
    elif node is None:
        out.append("null")
    elif node is True:
        out.append("true")
    elif node is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(node))
    elif kind is float and math.isfinite(node):
        out.append(float.__repr__(node))
    else:
        raise _Unusual


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    for notice_id, notice in ctx.content.notices.items():
        yield Artifact(
            f"data/notices/{notice_id}.json",
            memo.cached(f"data:{notice_id}", lambda: memo.notice_key(ctx, notice_id), lambda: notice_json(notice)),
        )
