"""A region-wide notice (autonomous-region departments' joint notice for one engineering specialty)
is published as YAML alone — no code change — and shows on every region page, apart from the
region's own notices.

The notice is a made-up fixture (tests/example-files/region-wide/), put into a temporary copy of
content/ for one real ``python -m generator build``; nothing is added to content/.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_build import config_with_content  # noqa: F401 - the fixture: mkdocs.yml over a temp content/

from generator.content.load import load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "example-files" / "region-wide" / "2026-xinjiang-construction.yaml"
WIDE = "2026-xinjiang-construction"


def article(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return raw.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real site built from content/ plus the region-wide fixture notice."""
    tmp = tmp_path_factory.mktemp("wide")
    gen = config_with_content.__wrapped__(tmp)  # the same temp config as tests/test_build.py
    config, content = next(gen)
    try:
        shutil.copy(FIXTURE, content / "notices" / f"{WIDE}.yaml")
        check = subprocess.run(
            [sys.executable, "-m", "generator", "check", "content"], cwd=tmp, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
        site = tmp / "site"
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--config-file", str(config), "--site-dir", str(site)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield site, load_content(content)
    finally:
        next(gen, None)


def test_region_wide_notice_shows_on_every_region_page_separately(built):
    site, content = built
    own_regions = {n["region"]["slug"] for n in content.notices.values()} - {"xinjiang"}
    assert own_regions
    for slug in own_regions:
        page = article(site / "regions" / slug / "index.html")
        assert 'id="region-wide"' in page, slug
        wide = page.split('id="region-wide"', 1)[1]
        own = page.split('id="region-wide"', 1)[0]
        assert f'href="../../notices/{WIDE}/"' in wide
        assert f"notices/{WIDE}/" not in own, "the region-wide notice is not one of the region's own notices"
        assert "自治区住房和城乡建设厅" in text_of(wide)
        # The region's own notices stay listed as its own.
        for notice in content.notices.values():
            if notice["region"]["slug"] == slug:
                assert f'href="../../notices/{notice["id"]}/"' in own
    # Its own region page (the autonomous region) lists it as its own notice.
    xinjiang = article(site / "regions" / "xinjiang" / "index.html")
    assert f'href="../../notices/{WIDE}/"' in xinjiang and 'id="region-wide"' not in xinjiang


def test_region_wide_notice_page_shows_the_new_content_model(built):
    site, _content = built
    text = text_of(article(site / "notices" / WIDE / "index.html"))
    # Joint issuers with their level.
    assert "自治区住房和城乡建设厅（自治区）、自治区人力资源和社会保障厅（自治区）（联合发文）" in text
    assert "适用于全区各地" in text
    # Contacts as people with their own phones, postal address and postcode.
    assert "联系人：张老师（政策咨询） 0991-2800000" in text
    assert "联系人：李老师（材料审核） 0991-2800001 13800000000" in text
    assert "邮寄地址：乌鲁木齐市示例路1号 自治区住房和城乡建设厅人事处（邮编 830000）" in text
    # A referenced document with neither number nor URL.
    assert "《自治区工程系列建筑工程专业职称评价标准条件》 · 自治区住房和城乡建设厅" in text
    assert "评审条件另行印发，本通知未附。" in text
    # Source: official URL, retrieval and verification dates.
    assert "https://example.gov.cn/zhicheng/2026-construction.html" in text
    assert "获取日期2026年8月21日" in text and "最近核对2026年8月25日" in text
    # Silence declared by the editor vs a section simply not entered.
    assert "通知原文未提及费用。" in text
    assert "本站尚未录入本通知的遮盖（盲评）要求" in text
    assert "通知原文未提及遮盖" not in text
    # Three phases, in Beijing time.
    for when in ("2026年9月1日10:00", "2026年9月30日18:00", "2026年10月8日", "2026年11月20日"):
        assert when in text
