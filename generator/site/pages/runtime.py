"""Page producer: the self-hosted browser runtime of the validator.

Puts the Pyodide core, the trimmed standard library, the archive of precompiled Python and
``runtime.json`` (sha256 and size of each file, checked by the worker) under ``assets/pyodide/``,
and the content bundle the engine evaluates, split so that a visit downloads the same bytes at
any number of notices (``generator.content.bundle.engine_files``), under ``data/engine/``:
``core.json`` (applicant schema, holidays, the sha256 of each year's index), ``year-<YYYY>.json``
(sha256 of each notice file of that year) and ``<id>.json`` (one notice). The worker
(``site_overrides/assets/validator/worker.js``) loads only these files, from this site: the
runtime and the core at start, a notice's file when that notice is first asked about.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from generator.browser.assemble import runtime_files
from generator.content.bundle import CORE_FILE, engine_files, notice_file, year_file
from generator.site.compress import KEEP_RATIO, cached, compressed, quality
from generator.site.context import Artifact, SiteContext

PYODIDE_DIR = "assets/pyodide"
ENGINE_DIR = "data/engine"


def first_visit(bundle: dict, engine: dict[str, bytes]) -> list[str]:
    """The engine files a first visit downloads at most: the core, and the largest notice with
    its year's index (a visit needs one notice's; the check page states this upper bound)."""
    notices = list(bundle.get("notices", {}))
    if not notices:
        return [CORE_FILE]
    largest = max(notices, key=lambda n: len(engine[notice_file(n)]))
    return [CORE_FILE, year_file(largest[:4]), notice_file(largest)]


def served_size(data: bytes, cache, name: str) -> int:
    """Bytes a server sends for the file ``name`` holding ``data``: its .br copy when precompress
    writes one, else itself."""
    from generator.site import memo

    level = quality(Path(name))
    if memo.ENABLED and cache is not None and not cached(data, "br", cache, level):
        # `mkdocs serve` writes no .br copies: a quick estimate (brotli quality 1, some per cent
        # larger) instead of a second of quality 11 whenever the engine bundle changes.
        import brotli

        br = len(brotli.compress(data, quality=1))
        return br if br <= KEEP_RATIO * len(data) else len(data)
    br = len(compressed(data, "br", cache, level))
    return br if br <= KEEP_RATIO * len(data) else len(data)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    # Under `mkdocs serve` the runtime is assembled again only when one of its sources changed.
    sources = lambda: memo.stats_key(  # noqa: E731
        [
            ctx.root / p
            for p in (
                "node_modules/pyodide",
                ".cache/runtime",
                ".cache/wheels",
                "browser-requirements.txt",
                "package-lock.json",
            )
        ]
        + [Path(__file__).resolve().parents[1] / p for p in ("engine", "browser")]
    )
    files = memo.cached("runtime", sources, lambda: runtime_files(ctx.root))
    engine = engine_files(ctx.bundle)
    visit = [(f"{ENGINE_DIR}/{name}", engine[name]) for name in first_visit(ctx.bundle, engine)]
    cache = ctx.root / ".cache" / "compressed"
    # What the validator downloads on a first visit, as sent with the .br files beside each
    # asset (generator/site/compress.py); the check page states it before the download.
    ctx.runtime_download = memo.cached(
        "runtime-download",
        lambda: (sources(), [hashlib.sha256(data).hexdigest() for _, data in visit]),
        lambda: sum(served_size(data, cache, name) for name, data in [*files.items(), *visit]),
    )
    # The check page carries the manifest in its <head> (site_overrides/main.html), so the worker
    # starts its downloads without fetching runtime.json first.
    ctx.config.extra["zc_runtime"] = json.loads(files["runtime.json"])
    for name, data in sorted(files.items()):
        yield Artifact(f"{PYODIDE_DIR}/{name}", data)
    for name, data in engine.items():
        yield Artifact(f"{ENGINE_DIR}/{name}", data)
