"""Machine-readable notices: ``data/notices/<id>.json`` is the validated notice, as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.site.context import Artifact, SiteContext


def notice_json(notice: dict) -> str:
    return json.dumps(notice, ensure_ascii=False, indent=2) + "\n"


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    for notice_id, notice in ctx.content.notices.items():
        yield Artifact(
            f"data/notices/{notice_id}.json",
            memo.cached(f"data:{notice_id}", lambda: memo.notice_key(ctx, notice_id), lambda: notice_json(notice)),
        )
