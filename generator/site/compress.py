"""Pre-compressed copies beside each asset: ``x.br`` (brotli) and ``x.gz`` (gzip).

Servers send them instead of compressing on the fly (nginx ``gzip_static``/``brotli_static``,
Caddy ``file_server { precompressed br gzip }``, most CDNs). Brotli at quality 11 on the 9.6 MB
wasm takes ~30 s, so the copies of those files (runtime, scripts, styles: quality 11) are cached
under ``.cache/compressed/`` by the sha256 of the input: a rebuild only compresses what changed.
A copy is written only when it is at least 5 % smaller than the file itself.

Files made from the content (pages, JSON, calendars, sitemaps: ``CONTENT_SUFFIXES``) are new in
every build of a clean checkout — CI builds with an empty cache — and there are several per notice,
so their brotli quality decides the build's cost per notice: on a 93 KB notice page quality 11
takes 117 ms, 10 takes 39 ms, 7 takes 3 ms for 6.5 % more bytes (15.4 instead of 14.4 KB, about
1 KB a page; benchmarks/profile_build.py; README, 规模基准). They use quality 7. The runtime,
scripts and style sheets are the same in every build (compressed once, then cached) and keep
quality 11: they are the bulk of the check page's bytes.

Two more settings for those content files, each measured on the files of one notice (its page,
rule audit, three JSON files and .ics; README, 规模基准): brotli's window is fitted to the file
(``lgwin``: the smallest power of two that holds it, at most 22) — at quality 7 a 93 KB page took
9–10 ms with the 4 MB window and 4 ms with a 128 KB one, for the same number of bytes, since the
encoder sizes its tables by the window — and gzip uses level 6 instead of 9 (7.3 → 4.9 ms for
the six files, 0.4 % more bytes; browsers take the .br copy, the .gz is the fallback). Content
files are not cached: in a clean build (CI, the benchmark, any change to the pages or the code
that makes them) the two cache files written per file (about 0.3 ms each, eight per notice) cost
a fifth of their compression, and the cache grew by those eight files per notice at every such
build, with nothing to remove them. A rebuild with unchanged pages compresses them again (about
8 ms per notice).

Compression runs on a thread pool (brotli and zlib release the GIL), and ``generator build`` runs
it while Pagefind indexes the pages (plugin.on_post_build: ``precompress`` with ``skip`` first,
the index and the offline list after).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

EXTENSIONS = (
    ".html",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".wasm",
    ".zip",
    ".svg",
    ".xml",
    ".txt",
    ".ics",
    ".map",
    ".webmanifest",
)
MIN_BYTES = 256
CONTENT_SUFFIXES = (".html", ".json", ".ics", ".xml", ".txt", ".svg")  # made from the content
CONTENT_QUALITY = 7  # brotli quality of those (every other file: 11)
CONTENT_GZIP_LEVEL = 6  # their gzip level (every other file: 9)
MAX_CONTENT_LGWIN = 22  # their brotli window at most (fitted to the file below that)
KEEP_RATIO = 0.95  # a compressed copy is kept only when at most this share of the original


def _cache_path(data: bytes, kind: str, cache: Path | None, quality: int) -> Path | None:
    """Where the copy is cached; None for content files (never cached, see above)."""
    if cache is None or quality != 11:
        return None
    return cache / f"{hashlib.sha256(data).hexdigest()}.{kind}"


def content_lgwin(size: int) -> int:
    """Brotli's window for a content file of ``size`` bytes: the smallest that holds it (10–22)."""
    return max(10, min(MAX_CONTENT_LGWIN, (max(size, 1) - 1).bit_length()))


def cached(data: bytes, kind: str, cache: Path, quality: int = 11) -> bool:
    """Whether the cache already holds ``data`` compressed as ``kind`` at ``quality``."""
    path = _cache_path(data, kind, cache, quality)
    return path is not None and path.is_file()


def _compressed(data: bytes, kind: str, cache: Path | None, quality: int = 11) -> bytes:
    path = _cache_path(data, kind, cache, quality)
    if path is not None and path.is_file():
        return path.read_bytes()
    if kind == "br":
        out = brotli.compress(data, quality=quality, lgwin=24 if quality == 11 else content_lgwin(len(data)))
    else:
        out = gzip.compress(data, compresslevel=9 if quality == 11 else CONTENT_GZIP_LEVEL, mtime=0)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{threading.get_ident()}.tmp")  # threads: one each
        tmp.write_bytes(out)
        tmp.replace(path)
    return out


def compressed(data: bytes, kind: str, cache: Path | None = None, quality: int = 11) -> bytes:
    """``data`` compressed as ``kind`` ("br" or "gz"), from the cache when known."""
    return _compressed(data, kind, cache, quality)


def quality(path: Path) -> int:
    """The brotli quality for ``path``: lower for files made from the content (see above)."""
    return CONTENT_QUALITY if path.suffix in CONTENT_SUFFIXES else 11


def _one(path: Path, cache: Path | None) -> dict[str, int]:
    counts = {"br": 0, "gz": 0}
    data = path.read_bytes()
    if len(data) < MIN_BYTES:
        return counts
    level = quality(path)
    for kind in ("br", "gz"):
        out = _compressed(data, kind, cache, level)
        if len(out) <= KEEP_RATIO * len(data):
            path.with_name(path.name + "." + kind).write_bytes(out)
            counts[kind] += 1
    return counts


def precompress(site_dir: Path, cache: Path | None = None, skip: Callable[[str], bool] | None = None) -> dict[str, int]:
    """Writes ``.br`` and ``.gz`` beside every compressible file; returns counts per kind.
    ``skip(relative posix path)`` leaves files out (compressed by a later call)."""
    paths = [
        path
        for path in sorted(site_dir.rglob("*"))
        if path.suffix in EXTENSIONS and path.is_file() and not (skip and skip(path.relative_to(site_dir).as_posix()))
    ]
    counts = {"br": 0, "gz": 0}
    # Largest first, so that the wasm does not start last and hold up the pool alone.
    paths.sort(key=lambda p: -p.stat().st_size)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for one in pool.map(lambda p: _one(p, cache), paths):
            counts["br"] += one["br"]
            counts["gz"] += one["gz"]
    return counts
