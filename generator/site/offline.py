"""The service worker's file lists: ``offline.json`` (the core, stored after one visit of check/)
and ``offline/<bucket>.<hash>.json`` (every other file, stored when it is visited), by content hash.

``offline.json`` is fetched on every page opened online, so its size must not grow with the site:
``{"version", "bytes", "files": {url: sha256}, "lists": [name, ...], "network": [prefix, ...]}``
(``network``: where the files never stored are, so the service worker does not look them up).

* ``files`` is the core, stored once the check page's validator is ready: the runtime, scripts,
  styles, fonts and images (``assets/``), the engine's data that is not per notice (``data/engine/core.json``, the per-year indexes of
  the core notices' years), the home,
  check, search and template pages with every template file, and every file of the notices the
  home page is about (``generator.site.pages.home.home_notices``: this year's, and those still
  open or upcoming). ``bytes`` is their total size.
* ``lists`` has one name per bucket (``BUCKETS`` of them, empty ones too: the same size at any
  number of notices). Every other file is in bucket ``int(sha256(url)[:8], 16) % BUCKETS`` — the
  service worker computes the same number from the address it is asked for — and bucket ``b``'s
  list is written to
  ``offline/<name>.json``, ``name = "<b as 2 hex digits>.<sha256 of the list's bytes, 16 hex>"``,
  as ``{"files": {url: sha256}, "with": {"notices/<id>/": [url, ...]}}``. ``with`` names the
  other files of a notice (``rules/`` and ``source/`` pages, ``data/notices/<id>.json``,
  ``calendar/<id>.ics``, ``data/engine/<id>…``): a file belongs to notice ``<id>`` when one of its
  path segments, or a file name up to its first dot, is that id. The service worker stores them
  with the page of the notice a person checked.

URLs are site-relative; a page's ``x/index.html`` is listed as ``x/`` (the address people open).
``site_overrides/sw.js`` caches each file under its sha256 and serves a cached copy only while the
newest list it knows names that hash, so a rebuilt file is fetched anew on the next online visit
and old and new files never mix. A list's name carries its own hash: a changed list has a new
name in ``offline.json``, an unchanged one is not downloaded again.

Not listed at all (network only): the Pagefind index (search needs the network), source maps,
Material's lunr language packs, the sitemap, pre-compressed copies and these lists themselves.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

NAME = "offline.json"
LISTS_DIR = "offline"
BUCKETS = 64
SKIP_SUFFIXES = (".map", ".br", ".gz")
NETWORK_ONLY = ("pagefind/", "assets/javascripts/lunr/")  # in offline.json: never looked up
SKIP_PREFIXES = (
    *NETWORK_ONLY,
    LISTS_DIR + "/",
    ".pagefind.new/",  # `mkdocs serve`: an index being written
    ".pagefind.old/",
)
SKIP_NAMES = {NAME, "sw.js", "sitemap.xml"}
CORE_PAGES = {"./", "check/", "search/"}
# The engine's data that is not per notice: files at the top of data/ and the worker's rules core;
# the per-year indexes of data/engine/ and data/check/ are core for the years of the core notices
# (the others are stored when read, like the rest of those years).
CORE_DATA = re.compile(r"^data/(?:[^/]+|engine/core\.json)$")
YEAR_INDEX = re.compile(r"^data/(?:engine|check)/year-(\d{4})\.json$")
CORE_PREFIXES = ("assets/", "templates/")


def is_manifest(rel: str) -> bool:
    """``offline.json`` or one of its lists (written after the rest of the site)."""
    return rel == NAME or rel.startswith(LISTS_DIR + "/")


def offline_files(site_dir: Path) -> dict[str, str]:
    """Every file the service worker may keep, ``{url: sha256}``."""
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


def bucket(url: str) -> int:
    """The list a non-core URL is in (sw.js: ``bucketOf``)."""
    return int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % BUCKETS


def owner(url: str, ids: set[str]) -> str | None:
    """The notice a file belongs to: a path segment, or a file name up to its first dot, is its id."""
    for segment in url.rstrip("/").split("/"):
        for candidate in (segment, segment.split(".", 1)[0]):
            if candidate in ids:
                return candidate
    return None


def is_core(url: str, notice: str | None, core_notices: set[str], core_years: set[str] = frozenset()) -> bool:
    if notice is not None:
        return notice in core_notices
    year = YEAR_INDEX.match(url)
    return (
        url in CORE_PAGES
        or url.startswith(CORE_PREFIXES)
        or CORE_DATA.match(url) is not None
        or (year is not None and year.group(1) in core_years)
    )


def core_notice_ids(ctx) -> tuple[dict[str, str], set[str], set[str]]:
    """({every notice id: its year}, the ids of the notices the home page is about, their years)
    for a SiteContext."""
    from generator.site.pages.home import home_notices

    core = home_notices(ctx)
    years = {notice_id: str(n["year"]) for notice_id, n in ctx.content.notices.items()}
    return years, {n["id"] for n in core}, {str(n["year"]) for n in core}


def _site_notices(site_dir: Path):
    """A stand-in SiteContext from the built ``data/notices/<id>.json`` (no build context at hand)."""
    from generator.engine import clock

    notices = {}
    for path in sorted((site_dir / "data" / "notices").glob("*.json")):
        notice = json.loads(path.read_text(encoding="utf-8"))
        notices[notice["id"]] = notice
    return SimpleNamespace(content=SimpleNamespace(notices=notices), today=clock.now().date())


def _size(site_dir: Path, url: str) -> int:
    return (site_dir / (url + "index.html" if url.endswith("/") else url)).stat().st_size


def split(
    files: dict[str, str],
    ids: Iterable[str] | dict[str, str],
    core_notices: Iterable[str],
    core_years: Iterable[str] = (),
) -> tuple[dict, list[dict]]:
    """(core ``{url: sha256}``, the ``BUCKETS`` lists ``{"files", "with"}`` of the rest).
    ``ids``: the notice ids, or ``{id: year}`` so that a notice's year indexes go with it."""
    ids = ids if isinstance(ids, dict) else dict.fromkeys(ids, "")
    core_notices, core_years = set(core_notices), set(core_years)
    core: dict[str, str] = {}
    lists: list[dict] = [{"files": {}, "with": {}} for _ in range(BUCKETS)]
    others: dict[str, list[str]] = {}  # notice id → its files other than its page
    for url, digest in files.items():
        notice = owner(url, ids)
        if is_core(url, notice, core_notices, core_years):
            core[url] = digest
            continue
        lists[bucket(url)]["files"][url] = digest
        if notice is not None and url != f"notices/{notice}/":
            others.setdefault(notice, []).append(url)
    # The worker reads a notice's rules through its year's index: kept with the notice too.
    years = ids if isinstance(ids, dict) else {}
    for notice in list(others):
        year = years.get(notice)
        for url in (f"data/engine/year-{year}.json", f"data/check/year-{year}.json"):
            if year and url in files and url not in core:
                others[notice].append(url)
    for notice, urls in others.items():
        page = f"notices/{notice}/"
        if page in files:
            lists[bucket(page)]["with"][page] = sorted(urls)
    return core, lists


def write_manifest(site_dir: Path, ctx=None) -> dict:
    """Write ``offline.json`` and ``offline/*.json`` for the built site; ``ctx`` (the build's
    SiteContext) says which notices are core, else the site's own ``data/notices/`` does."""
    ids, core_notices, core_years = core_notice_ids(ctx if ctx is not None else _site_notices(site_dir))
    core, lists = split(offline_files(site_dir), ids, core_notices, core_years)
    lists_dir = site_dir / LISTS_DIR
    if lists_dir.exists():  # `mkdocs serve` writes into the same folder again
        shutil.rmtree(lists_dir)
    lists_dir.mkdir()
    names = []
    for b, data in enumerate(lists):
        raw = json.dumps(data, indent=0, sort_keys=True).encode("utf-8")
        name = f"{b:02x}.{hashlib.sha256(raw).hexdigest()[:16]}"
        (lists_dir / f"{name}.json").write_bytes(raw)
        names.append(name)
    version = hashlib.sha256(json.dumps([core, names], sort_keys=True).encode()).hexdigest()[:16]
    manifest = {
        "version": version,
        "bytes": sum(_size(site_dir, u) for u in core),
        "files": core,
        "lists": names,
        "network": list(NETWORK_ONLY),
    }
    # Replaced, not rewritten in place: a server never sends half a file (and a hard-linked
    # copy of a site keeps its own).
    tmp = site_dir / (NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=0) + "\n", encoding="utf-8")
    tmp.replace(site_dir / NAME)
    return manifest
