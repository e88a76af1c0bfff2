"""The service worker's lists (generator/site/offline.py) on the bundled site and on a site of
many notices: what a phone stores after one visit, and what it fetches on every online visit,
do not grow with the number of notices; every other file is listed, by hash, in the one bucket
list sw.js looks it up in. The browser side is tests/test_validator_offline.py."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import BIG_SITE_NOTICES as BIG_NOTICES

from generator.site.offline import BUCKETS, bucket, offline_files


def _manifest(site: Path) -> dict:
    return json.loads((site / "offline.json").read_text(encoding="utf-8"))


def _lists(site: Path, manifest: dict) -> list[dict]:
    out = []
    for b, name in enumerate(manifest["lists"]):
        raw = (site / "offline" / f"{name}.json").read_bytes()
        assert name == f"{b:02x}.{hashlib.sha256(raw).hexdigest()[:16]}", name  # sw.js checks this
        out.append(json.loads(raw))
    return out


def test_offline_json_and_the_precache_do_not_grow_with_notices(site_dir, big_site):
    small, big = _manifest(site_dir), _manifest(big_site)
    small_bytes = (site_dir / "offline.json").stat().st_size
    big_bytes = (big_site / "offline.json").stat().st_size
    assert big_bytes <= 1.2 * small_bytes, (
        f"offline.json：4 份通知 {small_bytes} 字节，{BIG_NOTICES} 份 {big_bytes} 字节"
    )
    assert big["bytes"] <= 1.2 * small["bytes"], (
        f"预缓存：4 份通知 {small['bytes']} 字节，{BIG_NOTICES} 份 {big['bytes']}"
    )
    assert len(big["files"]) == len(small["files"])
    assert len(big["lists"]) == len(small["lists"]) == BUCKETS
    # The notices stored with the core are those the home page is about: the bundled ones of the
    # current year, not the synthetic copies in earlier years (nor 2023-hami, closed long ago).
    core_notices = {u.split("/")[1] for u in big["files"] if u.startswith("notices/")}
    assert core_notices == {"2025-bortala", "2025-urumqi-ganquanbao-pv", "2025-urumqi-private-enterprise"}
    for url in (
        "./",
        "check/",
        "search/",
        "templates/",
        "data/engine/core.json",
        "data/engine/year-2025.json",
        "data/engine/2025-bortala.json",
        "data/check/2025-bortala.json",
        "assets/validator/worker.js",
    ):
        assert url in big["files"], url
    assert big["bytes"] == sum(
        (big_site / (u + "index.html" if u.endswith("/") else u)).stat().st_size for u in big["files"]
    )


def test_every_other_file_is_in_the_list_of_its_bucket_with_its_hash(big_site):
    manifest = _manifest(big_site)
    lists = _lists(big_site, manifest)
    files = offline_files(big_site)
    listed = {}
    for b, data in enumerate(lists):
        for url, digest in data["files"].items():
            assert bucket(url) == b, url
            assert url not in manifest["files"] and url not in listed, url
            listed[url] = digest
    assert {**manifest["files"], **listed} == files
    assert len(listed) > 4 * BIG_NOTICES  # each old notice: its page, data and .ics, most have more
    assert not any(u.startswith(tuple(manifest["network"])) for u in files)  # the search index
    assert any((big_site / "pagefind").iterdir())
    sizes = [(big_site / "offline" / f"{name}.json").stat().st_size for name in manifest["lists"]]
    assert max(sizes) < 4 * sum(sizes) / len(sizes), sizes  # spread over the buckets


def test_an_old_notice_page_lists_its_other_files_for_the_check_page(big_site):
    manifest = _manifest(big_site)
    lists = _lists(big_site, manifest)
    page = "notices/2016-bortala-s9/"
    assert (big_site / page / "index.html").is_file() and page not in manifest["files"]
    companions = lists[bucket(page)]["with"][page]
    assert set(companions) >= {
        "notices/2016-bortala-s9/rules/",
        "data/notices/2016-bortala-s9.json",
        "calendar/2016-bortala-s9.ics",
    }
    assert all(u in lists[bucket(u)]["files"] for u in companions)
    assert not any("2016-bortala-s9" in u for u in manifest["files"])
