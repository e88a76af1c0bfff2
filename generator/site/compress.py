"""Pre-compressed copies beside each asset: ``x.br`` (brotli) and ``x.gz`` (gzip).

Servers send them instead of compressing on the fly (nginx ``gzip_static``/``brotli_static``,
Caddy ``file_server { precompressed br gzip }``, most CDNs). Brotli at quality 11 on the 9.6 MB
wasm takes ~30 s, so every result is cached under ``.cache/compressed/`` by the sha256 of the
input: a rebuild only compresses what changed. A copy is written only when it is at least 5 %
smaller than the file itself.

Pages (``.html``) are brotli'd at quality 10 instead of 11: on the generated pages that is about
2.5 times faster (23 instead of 56 ms a page, the largest cost of a first build at hundreds of
notices) for 1.7 % more bytes (benchmarks/profile_build.py; README, 规模基准). Every other file is
static across builds (compressed once, then cached) and keeps quality 11.
"""

from __future__ import annotations

import gzip
import hashlib
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
PAGE_QUALITY = 10  # brotli quality of .html pages (everything else: 11)
KEEP_RATIO = 0.95  # a compressed copy is kept only when at most this share of the original


def _compressed(data: bytes, kind: str, cache: Path | None, quality: int = 11) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    path = cache / f"{key}.{kind}" if cache else None
    if path is not None and path.is_file():
        return path.read_bytes()
    if kind == "br":
        out = brotli.compress(data, quality=quality, lgwin=24 if quality == 11 else 22)
    else:
        out = gzip.compress(data, compresslevel=9, mtime=0)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(out)
        tmp.replace(path)
    return out


def compressed(data: bytes, kind: str, cache: Path | None = None) -> bytes:
    """``data`` compressed as ``kind`` ("br" or "gz"), from the cache when known."""
    return _compressed(data, kind, cache)


def precompress(site_dir: Path, cache: Path | None = None) -> dict[str, int]:
    """Writes ``.br`` and ``.gz`` beside every compressible file; returns counts per kind."""
    counts = {"br": 0, "gz": 0}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in EXTENSIONS:
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        for kind in ("br", "gz"):
            out = _compressed(data, kind, cache, PAGE_QUALITY if path.suffix == ".html" else 11)
            if len(out) <= KEEP_RATIO * len(data):
                path.with_name(path.name + "." + kind).write_bytes(out)
                counts[kind] += 1
    return counts
