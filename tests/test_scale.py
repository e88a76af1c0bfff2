"""Page weight does not grow with the number of notices (no browser: built HTML + linked assets).

The site is built a second time with the bundled notices plus synthetic copies in earlier years
(benchmarks/synthetic.py, as ``make bench`` does); the home page and a notice page must weigh
what they weigh on the bundled site, and the navigation must not list the notices.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conftest import BIG_SITE_NOTICES as N  # noqa: E402

from benchmarks.synthetic import synthetic_notice  # noqa: E402

LIMIT = 400_000


def page_weight(site: Path, page: str) -> int:
    """Bytes of the page's HTML plus every stylesheet and script it links, uncompressed."""
    html_path = site / page
    raw = html_path.read_text(encoding="utf-8")
    total = len(raw.encode("utf-8"))
    refs = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', raw)
    refs += re.findall(r'<script\b[^>]*src="([^"]+)"', raw)
    for ref in sorted(set(refs)):
        target = (html_path.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        assert target.is_file(), f"{page} 链接了不存在的文件 {ref}"
        total += target.stat().st_size
    return total


def test_synthetic_notices_are_earlier_copies_with_shifted_dates():
    from benchmarks.synthetic import bundled_notices

    original = next(n for n in bundled_notices() if n["id"] == "2025-bortala")
    copy = synthetic_notice(original, 3)
    assert copy["id"] == "2022-bortala-s3" and copy["year"] == 2022
    assert copy["issued_on"] == "2022" + original["issued_on"][4:]
    assert copy["timeline"][0]["start"][:4] == "2022"
    assert "2022" in copy["title"] and "2025" not in copy["title"]


def test_built_site_holds_all_synthetic_notices(big_site):
    assert len(list((big_site / "notices").glob("*/index.html"))) == N


@pytest.mark.parametrize("page,tolerance", [("index.html", 0.20), ("notices/2025-bortala/index.html", 0.10)])
def test_page_weight_does_not_grow_with_notices(site_dir, big_site, page, tolerance):
    small, big = page_weight(site_dir, page), page_weight(big_site, page)
    assert big <= LIMIT, f"{page}：{N} 份通知时 {big} 字节，超过 {LIMIT}"
    assert abs(big - small) <= tolerance * small, f"{page}：4 份 {small} 字节，{N} 份 {big} 字节"


def test_navigation_does_not_list_every_notice(big_site):
    raw = (big_site / "notices" / "2025-bortala" / "index.html").read_text(encoding="utf-8")
    nav = raw.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)
    listed = set(re.findall(r'href="[./]*notices/([^/"]+)/"', nav))
    assert not listed, f"导航列出了通知：{sorted(listed)[:5]}…"
    home = (big_site / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="notices/([^/"]+)/"', home.split('id="regions"', 1)[0]))
    assert linked and len({i[:4] for i in linked}) == 1, sorted(linked)  # one year: this year's notices
    years = set(re.findall(r'href="archive/(\d{4})/"', home))
    assert len(years) >= 10
    for year in years:
        assert (big_site / "archive" / year / "index.html").is_file()


def test_check_page_and_engine_core_do_not_grow_with_notices(site_dir, big_site):
    """The check page embeds only the likely notices, the worker's core holds no notice: both
    weigh what they weigh at the bundled notices (within 20 %), while every notice's rules and
    page data are there to load on demand."""
    for rel in ("check/index.html", "data/engine/core.json"):
        small, big = (site_dir / rel).stat().st_size, (big_site / rel).stat().st_size
        assert abs(big - small) <= 0.20 * small, f"{rel}：4 份 {small} 字节，{N} 份 {big} 字节"
    html = (big_site / "check/index.html").read_text(encoding="utf-8")
    ids = sorted(p.stem for p in (big_site / "data/notices").glob("*.json"))
    assert len(ids) == N
    synthetic = [i for i in ids if re.search(r"-s\d+$", i)]
    assert synthetic and not any(i in html for i in synthetic), "核验页内嵌了往年的（合成）通知"
    for notice_id in ids:
        assert (big_site / "data/engine" / f"{notice_id}.json").is_file(), notice_id
        assert (big_site / "data/check" / f"{notice_id}.json").is_file(), notice_id
    # Every year of notices is reachable from the page (its chooser and its archive links).
    for year in {i[:4] for i in ids}:
        assert f'<option value="{year}">' in html and f'href="../archive/{year}/"' in html, year
        assert (big_site / "data/check" / f"year-{year}.json").is_file(), year
