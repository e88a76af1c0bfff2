"""``offline.json``: every file the service worker keeps for offline use, by content hash.

Written after the build (before pre-compression) as ``{"version", "files": {url: sha256},
"bytes"}``. URLs are site-relative; a page's ``x/index.html`` is listed as ``x/`` (the address
people open). ``site_overrides/sw.js`` caches each file under its sha256 and serves a cached copy
only while this list still names that hash, so a rebuilt file is fetched anew on the next online
visit and old and new files never mix.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

NAME = "offline.json"
# Not worth a phone's storage: source maps, the many lunr language packs (search falls back to
# the network), the sitemap, pre-compressed copies, and the service worker's own files.
SKIP_SUFFIXES = (".map", ".br", ".gz")
SKIP_PREFIXES = (
    "assets/javascripts/lunr/",
    ".pagefind.new/",
    ".pagefind.old/",
)  # `mkdocs serve`: an index being written
SKIP_NAMES = {NAME, "sw.js", "sitemap.xml"}


def offline_files(site_dir: Path) -> dict[str, str]:
    from generator.site import memo  # under `mkdocs serve`: digests kept per size and mtime

    files = {}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel in SKIP_NAMES or rel.endswith(SKIP_SUFFIXES) or rel.startswith(SKIP_PREFIXES):
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        files[url or "./"] = memo.file_digest(path) if memo.ENABLED else hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def write_manifest(site_dir: Path) -> dict:
    files = offline_files(site_dir)
    total = sum((site_dir / (u + "index.html" if u.endswith("/") else u)).stat().st_size for u in files)
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    manifest = {"version": version, "bytes": total, "files": files}
    (site_dir / NAME).write_text(json.dumps(manifest, indent=0) + "\n", encoding="utf-8")
    return manifest
