"""Rendered output kept per input digest while ``mkdocs serve`` runs, so that an edit rebuilds
only what the edited file affects (``make serve``; generator/site/incremental.py).

Producers wrap their expensive per-notice work in :func:`cached` with a key made of the digests
of every input it reads: the notice's own file (:func:`notice_key`), the shared content
(rules, templates, holidays, schemas: :func:`shared_key`) and any value derived from other
notices (passed in the key as plain data). Outside ``mkdocs serve`` (``make site``, tests)
:func:`cached` simply computes: a one-off build has nothing to reuse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jinja2

T = TypeVar("T")

# Switched on by the plugin for `mkdocs serve` only (on_startup).
ENABLED = False
_STORE: dict[str, tuple[str, Any]] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}  # (path, mtime_ns, size) -> sha256 of the file


class _Bytecode(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory (by template name and source checksum), so that
    a rebuild does not compile Material's and our templates again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = _Bytecode()


def jinja_cache():
    """The bytecode cache for a Jinja environment: shared across rebuilds under ``mkdocs serve``."""
    return BYTECODE if ENABLED else None


def enable(on: bool = True) -> None:
    global ENABLED
    ENABLED = on
    if not on:
        _STORE.clear()
        BYTECODE.store.clear()


def file_digest(path: Path) -> str:
    """sha256 of a file (cached by its path, mtime and size); "" when it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return ""
    key = (str(path), st.st_mtime_ns, st.st_size)
    digest = _DIGESTS.get(key)
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if len(_DIGESTS) > 20_000:
            _DIGESTS.clear()
        _DIGESTS[key] = digest
    return digest


def stats_key(paths) -> str:
    """A digest of the names, sizes and modification times of every file under ``paths``."""
    import os

    parts = []
    for base in paths:
        base = Path(base)
        if base.is_file():
            st = base.stat()
            parts.append(f"{base}:{st.st_mtime_ns}:{st.st_size}")
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                parts.append(f"{dirpath}/{name}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def data_key(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def notice_key(ctx, notice_id: str) -> str:
    """The digest of a notice's YAML file."""
    path = (getattr(ctx.content, "files", None) or {}).get(notice_id)
    return file_digest(Path(path)) if path else data_key(ctx.content.notices[notice_id])


def shared_key(ctx) -> str:
    """One digest of everything a notice's pages read besides the notice itself: the shared
    rules, templates and holidays of content/, the JSON schemas, the page templates of
    generator/site/templates and the build date."""
    cached = getattr(ctx, "_memo_shared", None)
    if cached is not None:
        return cached
    parts = [str(ctx.today)]
    root = getattr(ctx.content, "root", None)
    dirs = [Path(root) / name for name in ("rules", "templates", "holidays")] if root else []
    dirs.append(Path(__file__).resolve().parents[2] / "schemas")
    dirs.append(Path(__file__).resolve().parent / "templates")  # the producers' Jinja templates
    for folder in dirs:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                parts.append(f"{path}:{file_digest(path)}")
    key = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    ctx._memo_shared = key
    return key


def cached(kind: str, key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier rebuild with the same ``kind`` and ``key``
    (``key`` may be a function giving it: it is then called only under ``mkdocs serve``)."""
    if not ENABLED:
        return compute()
    if callable(key):
        key = key()
    digest = key if isinstance(key, str) else data_key(key)
    hit = _STORE.get(kind)
    if hit is not None and hit[0] == digest:
        return hit[1]
    value = compute()
    _STORE[kind] = (digest, value)
    return value
