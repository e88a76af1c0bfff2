"""Page producer: the self-hosted browser runtime of the validator.

Puts the Pyodide core, every pinned wheel, the engine wheel, the ``rpds`` shim and the
``pyodide-lock.json`` (sha256 of each wheel, verified by Pyodide) under ``assets/pyodide/``, and
the content bundle the engine evaluates under ``data/engine-bundle.json``. The worker
(``site_overrides/assets/validator/worker.js``) loads only these files, from this site.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from generator.browser.assemble import runtime_files
from generator.site.compress import KEEP_RATIO, cached, compressed, quality
from generator.site.context import Artifact, SiteContext

PYODIDE_DIR = "assets/pyodide"
BUNDLE_PATH = "data/engine-bundle.json"


def bundle_json(bundle: dict) -> str:
    # Key order is kept (no sort_keys): the engine lists missing fields in the applicant schema's
    # property order, so the browser must see the very same order as the CLI.
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))


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
    bundle = bundle_json(ctx.bundle).encode("utf-8")
    cache = ctx.root / ".cache" / "compressed"
    # What the validator downloads on a first visit, as sent with the .br files beside each
    # asset (generator/site/compress.py); the check page states it before the download.
    ctx.runtime_download = memo.cached(
        "runtime-download",
        lambda: (sources(), hashlib.sha256(bundle).hexdigest()),
        lambda: sum(served_size(data, cache, name) for name, data in [*files.items(), (BUNDLE_PATH, bundle)]),
    )
    # The check page carries the manifest in its <head> (site_overrides/main.html), so the worker
    # starts its downloads without fetching runtime.json first.
    ctx.config.extra["zc_runtime"] = json.loads(files["runtime.json"])
    for name, data in sorted(files.items()):
        yield Artifact(f"{PYODIDE_DIR}/{name}", data)
    yield Artifact(BUNDLE_PATH, bundle)
