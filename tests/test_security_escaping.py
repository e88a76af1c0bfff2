"""Escaping by construction: content text never runs as code, and ordinary punctuation survives.

A copy of the real content gets a script probe appended to every free-text field of one notice
and one template (every string the schema does not restrict by pattern, enum or format); the site
is built from it and every generated page, data file, calendar and Word file is searched for the
probe *live* — as an element, an attribute or an unescaped string — and for the probe's
characters shown correctly as text.
"""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.content.yamlio import make_yaml

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "2025-bortala"

# What an attacker or a careless editor types: tags, an attribute break-out, entities, quotes.
PROBE = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp; A&B “引号” <b>x</b>"
SHORT_PROBE = "\"'><b>x</b>&"  # for fields with a short maxLength (clause numbers)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**schema["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _free_text(node: dict) -> bool:
    types = node.get("type")
    is_string = types == "string" or (isinstance(types, list) and "string" in types)
    return is_string and not any(k in node for k in ("pattern", "enum", "const", "format"))


# Strings that are references, not text: a clause number is matched against the notice's clause
# list, so a probe there would only make the build fail before anything is rendered.
REFERENCES = {"clause", "number", "field"}


def _stuff(value, node: dict, schema: dict, path: str, hits: list[str]):
    """The value with PROBE appended to every free-text string the schema allows."""
    node = _resolve(schema, node or {})
    if path.rsplit(".", 1)[-1] in REFERENCES:
        return value
    for combo in ("oneOf", "anyOf"):
        if combo in node and not isinstance(value, (dict, list)) and not _free_text(node):
            return value
    if isinstance(value, dict):
        for combo in ("oneOf", "anyOf", "allOf"):
            for branch in node.get(combo, ()):
                branch = _resolve(schema, branch)
                if set(value) <= set(branch.get("properties", {})):
                    node = {**node, **branch}
                    break
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        extra = extra if isinstance(extra, dict) else {}
        return {k: _stuff(v, props.get(k, extra), schema, f"{path}.{k}", hits) for k, v in value.items()}
    if isinstance(value, list):
        items = node.get("items", {})
        return [_stuff(v, items, schema, f"{path}.{i}", hits) for i, v in enumerate(value)]
    if isinstance(value, str) and _free_text(node):
        limit = node.get("maxLength", 10**6)
        for probe in (PROBE, SHORT_PROBE):
            if len(value + probe) <= limit:
                hits.append(path)
                return value + probe
    return value


def _write(path: Path, data: dict) -> None:
    # JSON is YAML: the loader reads it with positions, and no quoting rule can be got wrong.
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + "\n" + json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def probed_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probe")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    yaml = make_yaml()
    from generator.content.yamlio import load_yaml

    stuffed: dict[str, list[str]] = {}
    for kind, name, schema_name in (
        ("notices", NOTICE, "notice.schema.json"),
        ("templates", None, "template.schema.json"),
    ):
        schema = json.loads((ROOT / "schemas" / schema_name).read_text(encoding="utf-8"))
        files = sorted((content / kind).glob("*.yaml"))
        target = content / kind / f"{name}.yaml" if name else files[0]
        data = load_yaml(target).data
        hits: list[str] = []
        _write(target, _stuff(data, schema, schema, "", hits))
        stuffed[target.stem] = hits

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for i, entry in enumerate(config["plugins"]):
        if entry == "zhicheng" or (isinstance(entry, dict) and "zhicheng" in entry):
            config["plugins"][i] = {"zhicheng": {"content_dir": str(content)}}
    config_path = ROOT / f".mkdocs-test-{uuid.uuid4().hex[:8]}.yml"
    with config_path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    site = tmp / "site"
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--config-file",
                str(config_path),
                "--site-dir",
                str(site),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        config_path.unlink(missing_ok=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site, stuffed


class _Elements(html.parser.HTMLParser):
    """Every start tag with its attributes, and every text node, as the browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_free_text_field_was_probed(probed_site):
    _, stuffed = probed_site
    notice_fields = set(stuffed[NOTICE])
    for field in (".title", ".short_title", ".summary", ".region.name", ".issuer"):
        assert field in notice_fields, f"{field} not probed: {sorted(notice_fields)[:20]}"
    template = next(k for k in stuffed if k != NOTICE)
    assert ".title" in stuffed[template] and ".summary" in stuffed[template]


def test_no_page_carries_the_probe_live(probed_site):
    site, _ = probed_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    shown_in: list[str] = []
    for page in pages:
        doc = parse(page)
        for tag, attrs in doc.tags:
            # No element the probe would create, no attribute it would break out into.
            assert "onerror" not in attrs, f"{page}: live onerror on <{tag}>"
            if tag == "img":
                assert attrs.get("src") != "x", f"{page}: injected <img src=x>"
            if tag == "b":
                raise AssertionError(f"{page}: injected <b> from content")
        for tag, attrs in doc.tags:
            if tag == "script":
                assert "alert(" not in " ".join(attrs.values())
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in raw, f"{page}: live <script> from content"
        assert "<img src=x" not in raw, f"{page}: live <img> from content"
        # Inline script bodies: none may exist at all (CSP), so none can carry content.
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", raw), (
            f"{page}: inline executable <script>"
        )
        text = "".join(doc.text)
        if "<script>alert(1)</script>" in text:
            shown_in.append(page.relative_to(site).as_posix())
    # The probe is shown as text (escaped once, not twice) where the notice is shown.
    assert f"notices/{NOTICE}/index.html" in shown_in
    notice_page = site / "notices" / NOTICE / "index.html"
    raw = notice_page.read_text(encoding="utf-8")
    assert "&amp;amp;amp;" not in raw and "&amp;lt;" not in raw, "text escaped twice"


def test_title_and_meta_show_the_characters(probed_site):
    """<title>, <meta name=description> and the navigation show the typed characters as text
    (both probes contain the quote break-out and a <b> element)."""
    import html as _html

    site, _ = probed_site
    raw = (site / "notices" / NOTICE / "index.html").read_text(encoding="utf-8")
    m = re.search(r"<title>(.*?)</title>", raw, re.S)
    assert m, "no <title>"
    assert "<" not in m.group(1) and '"' not in m.group(1)
    assert "\"'><b>x</b>&" in _html.unescape(m.group(1))
    doc = parse(site / "notices" / NOTICE / "index.html")
    metas = [a for t, a in doc.tags if t == "meta" and a.get("name") == "description"]
    assert metas and "<img src=x onerror=alert(2)>&amp; A&B “引号”" in metas[0]["content"]
    # The region page: heading, navigation and <title> hold the probed region name as text.
    region = parse(site / "regions" / "bortala" / "index.html")
    nav_text = [t for t in region.text if "<b>x</b>" in t]
    assert len(nav_text) >= 2, nav_text


def test_search_index_holds_escaped_text(probed_site):
    """Pagefind keeps a page's text and its result title as text (search.js shows them with
    textContent): the typed characters are there as characters, and no page's attribute breaks."""
    import gzip

    site, _ = probed_site
    fragments = []
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
        assert raw.startswith("pagefind_dcd")
        fragments.append(json.loads(raw[len("pagefind_dcd") :]))
    notice = next(f for f in fragments if f["url"] == f"/notices/{NOTICE}/")
    assert notice["meta"]["title"].endswith(("<b>x</b>&", PROBE)), notice["meta"]["title"]
    assert "<script>alert(1)</script>" in notice["content"].replace("\u200b", "")
    doc = parse(site / "notices" / NOTICE / "index.html")
    body = [a for t, a in doc.tags if "data-pagefind-body" in a]
    assert len(body) == 1 and body[0]["data-zc-title"] == notice["meta"]["title"]


def test_data_files_and_calendar_carry_text_not_markup(probed_site):
    site, _ = probed_site
    data = json.loads((site / "data" / "notices" / f"{NOTICE}.json").read_text(encoding="utf-8"))
    assert data["title"].endswith(PROBE)  # JSON data is exact text; consumers escape it
    home = (site / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="zc-deadline-data">(.*?)</script>', home, re.S)
    assert block and "</script" not in block.group(1).lower() and "<" not in block.group(1)
    entries = [e for e in json.loads(block.group(1))["entries"] if e["notice"] == NOTICE]
    if entries:  # the probed notice is one of this year's notices on the home page
        assert any(e["title"].endswith((PROBE, SHORT_PROBE)) for e in entries)
    else:  # an earlier year's notice is listed on its archive page, escaped
        archive = (site / "archive" / NOTICE[:4] / "index.html").read_text(encoding="utf-8")
        assert f"notices/{NOTICE}/" in archive and "<script>alert" not in archive
    ics = (site / "calendar" / f"{NOTICE}.ics").read_bytes().decode("utf-8")
    unfolded = ics.replace("\r\n ", "")
    for line in unfolded.split("\r\n"):
        assert "\n" not in line and "\r" not in line
        if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION")):
            # RFC 5545 TEXT: commas and semicolons escaped; nothing can start a new property.
            value = line.split(":", 1)[1]
            assert not re.search(r"(?<!\\)[;,]", value), line
    assert "BEGIN:VEVENT" in unfolded


def test_word_files_are_well_formed_xml(probed_site):
    site, stuffed = probed_site
    template = next(k for k in stuffed if k != NOTICE)
    docx = site / "templates" / f"{template}.docx"
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(z.read(name))  # raises on markup the probe broke
        body = z.read("word/document.xml").decode("utf-8")
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "<script>" not in body and "&lt;script&gt;alert(1)" in body
    assert "<b>" not in core and "&lt;b&gt;x&lt;/b&gt;" in core


def test_check_rejects_control_characters(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / "notices" / f"{NOTICE}.yaml"
    text = target.read_text(encoding="utf-8")
    text = re.sub(r'^(title: ).*$', r'\1"带控制字符\\x07的标题"', text, count=1, flags=re.M)
    target.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("title:"))
    assert re.search(rf"{NOTICE}\.yaml:{line}:\d+: 文字中有控制字符 U\+0007", proc.stdout), proc.stdout
