"""The built site (``mkdocs build --strict`` of the real content): pages, facts, data, escaping.

The facts below are read from the four source notices in ../shared/seeds/ and must appear on
each notice's page exactly as an applicant needs them (Beijing-time dates and times, phones,
fees, URLs, offices).
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import markdown
import pytest

from generator.content.load import load_content
from generator.engine import clock
from generator.engine.timeline import countdown
from generator.site import fmt
from generator.site.context import SiteContext
from generator.site.pages.home import classify, deadline_entries
from generator.site.pages.notices import render_notice

ROOT = Path(__file__).resolve().parent.parent
# Every notice content/ holds (file name = id): the generic page tests run for each of them.
NOTICE_IDS = tuple(sorted(p.stem for p in (ROOT / "content" / "notices").glob("*.yaml")))

# Key facts of each seed, as they must read on the notice page (text, tags stripped).
SEED_FACTS = {
    "2025-urumqi-ganquanbao-pv": [
        "2025年9月1日",
        "2025年9月29日",  # 网上材料申报时间: 9月1日—9月29日
        "2025年10月1日",
        "2025年10月30日",  # 网上材料审核时间: 10月1日—10月30日
        "李世辉",
        "0991-7706810",  # 人力资源服务中心
        "0991-3193615",
        "3193501",  # 平台技术服务
        "https://wlmq.xjzcsq.com",  # 乌鲁木齐市职称评审系统
        "光伏硅基",
        "48 小时内",  # 退回后 48 小时内修改
        "3 次",  # 被退回超过3次
        "新人社发〔2021〕26号",
        "推荐单位公示",
        "主管单位推荐意见",
        "继续教育免试表",
    ],
    "2025-urumqi-private-enterprise": [
        "2025年2月25日",
        "2025年3月17日",  # 申报时间
        "刘朕豪",
        "0991-4656129",  # 授予
        "王琪程",
        "0991-4871993",
        "0991-4167940",  # 初定
        "wlmq.xjzcsq.com",
        "2000",
        "3000",  # 工作小结字数 2000-3000
        "www.cdgdc.edu.cn",
        "zwfw.cscse.edu.cn",  # 学历学位查询
        "人社厅发〔2020〕13号",
        "新人社发〔2023〕70号",
        "推荐报告",
    ],
    "2023-hami": [
        "2023年9月11日10:00",
        "2023年10月11日20:00",  # 申报时间
        "2023年10月16日",
        "2023年10月20日",  # 评审委员会审核
        "2023年10月26日",
        "2023年10月30日",  # 报送纸质材料
        "2023年11月13日",
        "2023年12月15日",  # 召开评审委员会
        "hm.xjzcsq.com",
        "www.chsi.com.cn",
        "615办公室",
        "18299919968",
        "2230098",
        "2268936",  # 附件4 评审委员会联系方式
        "市委党校综合楼507",
        "前进西路6号",
        "0991-3193615",
        "巴里坤县",
        "伊吾县",
        "访惠聚",
        "人社部令第40号",
    ],
    "2025-bortala": [
        "2025年10月11日10:00",
        "2025年11月4日18:00",  # 个人/单位/县市申报时间
        "150元",
        "300元",  # 职称评审费 初级/中级
        "413办公室",
        "0909-2318182",
        "0909-2281063",
        "0909-6999878",
        "0909-5330690",
        "0909-7710772",
        "https://bozxt.xjzcsq.com/",
        "90",
        "三分之二",  # 继续教育学时
        "1000",
        "2000",  # 工作总结字数
        "新人社发〔2025〕28号",
        "我的主页-我的申请书-检查姓名掩盖",
        "新疆智慧人社",
    ],
}

SECTION_ANCHORS = (
    "overview",
    "eligibility",
    "exclusions",
    "timeline",
    "steps",
    "materials",
    "masking",
    "fees",
    "contacts",
    "templates",
)


def page_text(path: Path) -> str:
    """Visible text of the article of a built page (tags removed, entities decoded)."""
    raw = path.read_text(encoding="utf-8")
    article = raw.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", article))


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


def test_every_notice_is_built(site_dir, content):
    assert set(SEED_FACTS) <= set(content.notices) == set(NOTICE_IDS)
    for notice_id in content.notices:
        assert (site_dir / "notices" / notice_id / "index.html").is_file()
    for page in ("index.html", "notices/index.html", "404.html", "search/index.html", "pagefind/pagefind.js"):
        assert (site_dir / page).is_file(), page


@pytest.mark.parametrize("notice_id", sorted(SEED_FACTS))  # the four fixtures of CONTRACTS §2
def test_notice_page_shows_seed_facts(site_dir, notice_id):
    text = page_text(site_dir / "notices" / notice_id / "index.html")
    missing = [fact for fact in SEED_FACTS[notice_id] if fact not in text]
    assert not missing, f"{notice_id} 页面缺少：{missing}"


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_notice_page_structure(site_dir, content, notice_id):
    notice = content.notices[notice_id]
    raw = (site_dir / "notices" / notice_id / "index.html").read_text(encoding="utf-8")
    for anchor in SECTION_ANCHORS:
        assert f'id="{anchor}"' in raw, anchor
    # Every material, timeline phase and policy has its own anchor for the validator to link to.
    for item in notice["materials"]:
        assert f'id="material-{item["id"]}"' in raw
    for phase in notice["timeline"]:
        assert f'id="phase-{phase["id"]}"' in raw
    for policy in notice.get("policies", []):
        assert f'id="policy-{policy["id"]}"' in raw
    # The prominent link to the validator, preselecting this notice.
    assert f'href="../../check/?notice={notice_id}"' in raw
    # Phones are tap-to-call links.
    for contact in notice["contacts"]:
        for phone in contact.get("phones", []):
            assert f'href="{fmt.tel(phone)}"' in raw
    # Every section cites a clause of the notice.
    text = page_text(site_dir / "notices" / notice_id / "index.html")
    for anchor in ("scope", "eligibility", "timeline", "steps", "materials", "contacts", "templates"):
        section = raw.split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]
        assert 'class="zc-clause"' in section, f"{anchor} 没有标注出处"
    assert "北京时间" in text


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_every_timeline_date_is_on_the_page(site_dir, content, notice_id):
    text = page_text(site_dir / "notices" / notice_id / "index.html")
    for phase in content.notices[notice_id]["timeline"]:
        assert phase["label"] in text
        for key in ("start", "end"):
            if phase.get(key):
                assert fmt.when_cn(phase[key]) in text, (phase["id"], key)


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_every_material_and_exclusion_is_on_the_page(site_dir, content, notice_id):
    notice = content.notices[notice_id]
    text = page_text(site_dir / "notices" / notice_id / "index.html")
    for item in notice["materials"]:
        assert item["title"] in text
    for item in notice.get("exclusions", []) + notice["eligibility"]:
        assert item["text"].strip().splitlines()[0] in text
    for fee in (notice.get("fees") or {}).get("items", []):
        assert f"{fmt.fmt_amount(fee['amount_cny'])}元" in text


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_data_json_is_the_validated_notice(site_dir, content, notice_id):
    data = json.loads((site_dir / "data" / "notices" / f"{notice_id}.json").read_text(encoding="utf-8"))
    assert data == content.notices[notice_id]


def test_region_pages_list_their_notices(site_dir, content):
    regions: dict[str, list[str]] = {}
    for notice in content.notices.values():
        regions.setdefault(notice["region"]["slug"], []).append(notice["id"])
    assert {"urumqi", "hami", "bortala"} <= set(regions)
    for slug, ids in regions.items():
        raw = (site_dir / "regions" / slug / "index.html").read_text(encoding="utf-8")
        for notice_id in ids:
            assert f'href="../../notices/{notice_id}/"' in raw
            for phase in content.notices[notice_id]["timeline"]:
                assert f'href="../../notices/{notice_id}/#phase-{phase["id"]}"' in raw
        listing = (site_dir / "regions" / "index.html").read_text(encoding="utf-8")
        assert f'href="../regions/{slug}/"' in listing
        # Only its own notices, and the region-wide ones in their own section (in the article;
        # the navigation lists them all).
        article = raw.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
        own = article.split('id="region-wide"', 1)[0]
        others = set(content.notices) - set(ids)
        assert not any(f"notices/{other}/" in own for other in others)
        from generator.site.pages.regions import applies_there

        wide = {n["id"] for n in content.notices.values() if applies_there(n, slug)}
        assert not any(f"notices/{other}/" in article for other in others - wide)


def test_home_lists_regions_this_years_notices_and_links_the_archive(site_dir, content):
    raw = (site_dir / "index.html").read_text(encoding="utf-8")
    year = max(n["year"] for n in content.notices.values() if n["year"] <= date.today().year)
    for notice in content.notices.values():
        assert f'href="regions/{notice["region"]["slug"]}/"' in raw
        linked = f'href="notices/{notice["id"]}/"' in raw.split('id="regions"', 1)[0]
        assert linked == (notice["year"] == year), notice["id"]
        archive = (site_dir / "archive" / str(notice["year"]) / "index.html").read_text(encoding="utf-8")
        assert f'href="../../notices/{notice["id"]}/"' in archive
        if notice["year"] != year:
            assert f'href="archive/{notice["year"]}/"' in raw
    blob = raw.split('<script type="application/json" id="zc-deadline-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(blob)
    assert {e["notice"] for e in data["entries"]} == {n["id"] for n in content.notices.values() if n["year"] == year}
    timed = [e for e in data["entries"] if e["end"]]
    assert timed
    for entry in timed:  # Beijing-time instants (a date-only end closes at the next midnight) and their text
        phase = next(p for p in content.notices[entry["notice"]]["timeline"] if p["id"] == entry["phase"])
        assert entry["end"] == fmt.instant(phase["end"], end=True) and entry["end"].endswith("+08:00"), entry
        assert entry["end_text"] == fmt.when_cn(phase["end"]), entry
        # Deadlines carry the engine's countdown texts ("还剩 N 天" … "已截止"); site.js only picks one.
        assert entry.get("countdown") == (countdown(phase["end"]) if entry["deadline"] else None), entry
    assert '<script src="assets/javascripts/site.js" type="module"></script>' in raw
    index = (site_dir / "archive" / "index.html").read_text(encoding="utf-8")
    for y in {n["year"] for n in content.notices.values()}:
        assert f'href="{y}/"' in index


def test_navigation_lists_sections_not_every_notice(site_dir, content):
    """The navigation is the same short list on every page: no notice, region or template."""
    navs = set()
    for page in ("index.html", "notices/2025-bortala/index.html", "regions/hami/index.html", "templates/index.html"):
        raw = (site_dir / page).read_text(encoding="utf-8")
        nav = raw.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
        nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)  # page's own toc
        assert "notices/2" not in nav and "regions/hami" not in nav and "search/" not in nav, page
        navs.add(len(re.findall(r'<a href=', nav)))
    assert len(navs) == 1 and navs.pop() <= 12


def test_static_fallback_uses_beijing_time(content):
    ctx = SiteContext(content=content, bundle={}, config=None, root=ROOT, today=date(2025, 10, 20))
    entries = deadline_entries(ctx)
    from datetime import datetime

    during = classify(entries, datetime(2025, 10, 20, 12, tzinfo=clock.BEIJING))
    assert any(e["notice"] == "2025-bortala" for e in during["open"])
    assert during["upcoming"][0]["end"] <= "2025-11-04T18:00+08:00"
    # One minute after 18:00 Beijing time on 4 November the Bortala window has closed.
    after = classify(entries, datetime(2025, 11, 4, 18, 1, tzinfo=clock.BEIJING))
    assert not any(
        e["notice"] == "2025-bortala" and e["phase"] == p["id"]
        for e in after["open"]
        for p in content.notices["2025-bortala"]["timeline"]
        if p.get("end", "").startswith("2025-11-04T18:00")
    )


def test_markdown_special_characters_in_content_stay_literal(content):
    notice = json.loads(json.dumps(content.notices["2025-bortala"]))
    notice["summary"] = "*不是强调* | <b>不是标签</b> [不是链接](x) # 不是标题 http://example.org/a_b_c"
    notice["exclusions"] = [{"text": "1. 不是编号 `不是代码` _x_", "clause": "五、（三）1"}]
    ctx = SiteContext(content=content, bundle={}, config=None, root=ROOT, today=date(2025, 1, 1))
    source = render_notice(ctx, notice)
    body = source.split("\n---\n", 1)[1]
    out = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert "*不是强调* | <b>不是标签</b> [不是链接](x) # 不是标题" in text
    assert "1. 不是编号 `不是代码` _x_" in text
    assert "<b>" not in out and "<em>" not in out and "<code>不是代码" not in out
    assert '<a href="http://example.org/a_b_c"' in out
    # The front matter survives any text: it is JSON inside YAML.
    assert '"*不是强调* | <b>不是标签</b>' in source.split("\n---\n", 1)[0]


def test_nav_is_chinese_and_ordered(site_dir):
    raw = (site_dir / "notices" / "index.html").read_text(encoding="utf-8")
    nav = raw.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    labels = [html.unescape(x).strip() for x in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)]
    top = [label for label in labels if label in ("首页", "通知", "地区", "资格核验", "模板", "日历", "编辑指南")]
    assert top[:3] == ["首页", "通知", "地区"]
    assert top == sorted(top, key=["首页", "通知", "地区", "资格核验", "模板", "日历", "编辑指南"].index)


def test_no_page_refers_to_another_host_for_assets(site_dir):
    for page in site_dir.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        for ref in re.findall(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="([^"]+)"', raw):
            assert not re.match(r"(https?:)?//", ref), f"{page}: {ref}"
        assert "fonts.googleapis" not in raw and "fonts.gstatic" not in raw


def test_search_index_is_pagefind_in_chinese_and_no_page_embeds_an_index(site_dir, content):
    """Pagefind indexed every notice page in Chinese; no page links a whole-site index."""
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"zh"}
    bodies = [p for p in site_dir.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert entry["languages"]["zh"]["page_count"] == len(bodies)
    for notice_id in content.notices:
        assert site_dir / "notices" / notice_id / "index.html" in bodies
    assert not (site_dir / "search" / "search_index.json").exists()
    assert (site_dir / "search" / "index.html") not in bodies, "搜索结果页本身不应被索引"
    for page in site_dir.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "search_index.json" not in raw and "pagefind/pagefind.js" not in raw, page


def _indexed_urls(site_dir) -> list[str]:
    import gzip

    urls = []
    for fragment in (site_dir / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        urls.append(json.loads(data[data.index(b"{") :])["url"])
    return urls


def test_search_indexes_notices_and_their_original_text_but_not_rule_audits(site_dir, content):
    """Pagefind reads no rule-audit page (its glob, search.index_glob): one page less per notice
    to parse; the guidance page and the original text of every notice are in the index."""
    urls = _indexed_urls(site_dir)
    assert len(urls) == len(set(urls)) >= len(content.notices)
    assert not [u for u in urls if "/rules/" in u]
    for notice_id in content.notices:
        assert f"/notices/{notice_id}/" in urls
        assert (site_dir / "notices" / notice_id / "rules" / "index.html").is_file()
        if (site_dir / "notices" / notice_id / "source" / "index.html").is_file():
            assert f"/notices/{notice_id}/source/" in urls
    assert "/templates/" in urls and any(u.startswith("/regions/") and u != "/regions/" for u in urls)


def test_notice_pages_carry_search_meta_and_outweigh_templates(site_dir, content):
    def body_attrs(path):
        raw = path.read_text(encoding="utf-8")
        tag = re.search(r"<div data-pagefind-body[^>]*>", raw).group(0)
        return dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', tag))

    template = body_attrs(next((site_dir / "templates").glob("*/index.html")))
    assert template["data-zc-kind"] == "模板"
    for notice_id, notice in content.notices.items():
        attrs = body_attrs(site_dir / "notices" / notice_id / "index.html")
        assert attrs["data-zc-kind"] == "通知"
        assert attrs["data-zc-year"] == str(notice["year"])
        assert attrs["data-zc-region"] == notice["region"]["name"]
        assert html.unescape(attrs["data-zc-title"]) == (notice.get("short_title") or notice["title"])
        assert float(attrs["data-pagefind-weight"]) > float(template["data-pagefind-weight"])


def test_stashed_html_blocks_give_the_same_page(content):
    """Generated pages skip Markdown's HTML parsing (generator/site/stash.py) with no change to
    the HTML, the table of contents or the anchors MkDocs checks links against."""
    from generator.site.stash import anchor_ids, restore, stash

    ctx = SiteContext(content=content, bundle={}, config=None, root=ROOT, today=date(2025, 10, 20))
    extensions = ["attr_list", "md_in_html", "tables", "toc", "abbr", "def_list", "admonition"]
    for notice in content.notices.values():
        source = render_notice(ctx, notice).split("\n---\n", 1)[1]
        plain = markdown.Markdown(extensions=extensions)
        expected = plain.convert(source)
        stashed_source, blocks = stash(source)
        assert len(blocks) >= 5 and len(stashed_source) < len(source) / 3
        fast = markdown.Markdown(extensions=extensions)
        assert restore(fast.convert(stashed_source), blocks) == expected, notice["id"]
        assert fast.toc == plain.toc
        in_blocks = set(re.findall(r'\sid="([^"]+)"', "\n".join(blocks)))
        assert in_blocks == anchor_ids(blocks) and "overview-facts" in in_blocks


# --- the original text beside the structure (content/sources/<id>.txt) -------------------------

SOURCES = ROOT / "content" / "sources"
WITH_SOURCE = tuple(nid for nid in NOTICE_IDS if (SOURCES / f"{nid}.txt").is_file())


def squash_source(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("－", "-").replace("—", "-")


def test_the_bundled_notices_keep_their_original_text():
    assert set(SEED_FACTS) <= set(WITH_SOURCE)


@pytest.mark.parametrize("notice_id", WITH_SOURCE)
def test_original_text_page_is_linked_from_the_notice_page(site_dir, notice_id):
    raw = (site_dir / "notices" / notice_id / "index.html").read_text(encoding="utf-8")
    assert '<a href="source/">通知原文</a>' in raw
    original = page_text(site_dir / "notices" / notice_id / "source" / "index.html")
    source = (SOURCES / f"{notice_id}.txt").read_text(encoding="utf-8")
    assert squash_source(source) in squash_source(original)


@pytest.mark.parametrize("notice_id", WITH_SOURCE)
def test_phones_and_document_numbers_are_in_the_original_text(content, notice_id):
    """Fidelity: every phone and every cited document number is printed in the original — except
    an area code the editor inferred and declared in ``inferred``."""
    notice = content.notices[notice_id]
    source = squash_source((SOURCES / f"{notice_id}.txt").read_text(encoding="utf-8"))
    inferred = {i["field"] for i in notice.get("inferred", [])}
    for i, contact in enumerate(notice["contacts"]):
        phones = [(f"contacts.{i}.phones.{j}", p) for j, p in enumerate(contact.get("phones", []))]
        for k, person in enumerate(contact.get("people", [])):
            phones += [(f"contacts.{i}.people.{k}.phones.{j}", p) for j, p in enumerate(person.get("phones", []))]
        for path, phone in phones:
            shown = phone.split("-", 1)[1] if path in inferred and "-" in phone else phone
            assert shown in source, f"{notice_id} {path} {phone}"
    for item in notice.get("basis", []):
        if "number" in item:
            assert squash_source(item["number"]) in source, item


@pytest.mark.parametrize("notice_id", NOTICE_IDS)
def test_pages_claim_silence_only_where_the_editor_declared_it(site_dir, content, notice_id):
    """``silent_on`` → 通知原文未提及…; a section simply not entered → 本站尚未录入…, never silence."""
    notice = content.notices[notice_id]
    text = page_text(site_dir / "notices" / notice_id / "index.html")
    for key in notice.get("silent_on", []):
        assert f"通知原文未提及{fmt.SECTIONS[key]}" in text, key
    for key in ("exclusions", "masking", "submission", "fees", "attachments"):
        if key not in notice and key not in notice.get("silent_on", []):
            assert f"本站尚未录入本通知的{fmt.SECTIONS[key]}" in text, key
            assert f"通知原文未提及{fmt.SECTIONS[key]}" not in text, key
    for claim in (
        "本通知未提出遮盖",
        "本通知未列明收费项目",
        "本通知未对提交次数",
        "本通知没有附件",
        "本通知未单独列出",
    ):
        assert claim not in text, claim  # the page's own words never claim silence for the notice


def test_inferred_area_codes_are_flagged_next_to_the_phone(site_dir, content):
    for notice_id, notice in content.notices.items():
        raw = (site_dir / "notices" / notice_id / "index.html").read_text(encoding="utf-8")
        for entry in notice.get("inferred", []):
            m = re.fullmatch(r"contacts\.(\d+)\.phones\.(\d+)", entry["field"])
            if m:
                phone = notice["contacts"][int(m[1])]["phones"][int(m[2])]
                item = raw.split(f'id="contact-{int(m[1]) + 1}"', 1)[1].split("</li>", 1)[0]
                assert f">{phone}</a>" in item, (notice_id, phone)
                assert '<small class="zc-flag"><strong>原文未写明，本站推断：</strong>' in item, (notice_id, phone)
                assert entry["reason"] in html.unescape(re.sub(r"<[^>]+>", "", item)), (notice_id, phone)
