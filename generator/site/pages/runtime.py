"""Page producer: the self-hosted browser runtime of the validator.

Puts the Pyodide core, every pinned wheel, the engine wheel, the ``rpds`` shim and the
``pyodide-lock.json`` (sha256 of each wheel, verified by Pyodide) under ``assets/pyodide/``, and
the content bundle the engine evaluates under ``data/engine-bundle.json``. The worker
(``site_overrides/assets/validator/worker.js``) loads only these files, from this site.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.browser.assemble import runtime_files
from generator.site.compress import KEEP_RATIO, compressed
from generator.site.context import Artifact, SiteContext

PYODIDE_DIR = "assets/pyodide"
BUNDLE_PATH = "data/engine-bundle.json"


def bundle_json(bundle: dict) -> str:
    # Key order is kept (no sort_keys): the engine lists missing fields in the applicant schema's
    # property order, so the browser must see the very same order as the CLI.
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))


def served_size(data: bytes, cache) -> int:
    """Bytes a server sends for ``data``: its .br copy when precompress writes one, else itself."""
    br = len(compressed(data, "br", cache))
    return br if br <= KEEP_RATIO * len(data) else len(data)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    files = runtime_files(ctx.root)
    bundle = bundle_json(ctx.bundle).encode("utf-8")
    cache = ctx.root / ".cache" / "compressed"
    # What the validator downloads on a first visit, as sent with the .br files beside each
    # asset (generator/site/compress.py); the check page states it before the download.
    ctx.runtime_download = sum(served_size(data, cache) for data in [*files.values(), bundle])
    for name, data in sorted(files.items()):
        yield Artifact(f"{PYODIDE_DIR}/{name}", data)
    yield Artifact(BUNDLE_PATH, bundle)
