"""Pre-compression settings of the files made from the content (generator/site/compress.py).

Several such files per notice are compressed afresh in every clean build, so their settings set
part of the build's cost per notice: brotli quality 7 with a window fitted to the file, gzip
level 6. The runtime, scripts and style sheets (cached, compressed once) keep quality 11 with the
largest window and gzip level 9. Each copy still decompresses to the file itself.
"""

from __future__ import annotations

import gzip

import brotli

from generator.site.compress import content_lgwin, precompress


def brotli_window_bits(stream: bytes) -> int:
    """WBITS from a brotli stream header (RFC 7932, section 9.1)."""
    bits = int.from_bytes(stream[:2], "little")
    if bits & 1 == 0:
        return 16
    n = (bits >> 1) & 7
    if n:
        return 17 + n
    m = (bits >> 4) & 7
    return 17 if m == 0 else 8 + m


def gzip_extra_flags(stream: bytes) -> int:
    """XFL of a gzip member: 2 for level 9, 0 for the levels between 2 and 8 (RFC 1952)."""
    return stream[8]


def test_content_window_is_the_smallest_that_holds_the_file():
    assert content_lgwin(0) == 10 and content_lgwin(1024) == 10 and content_lgwin(1025) == 11
    assert content_lgwin(93_370) == 17 and content_lgwin(1 << 17) == 17 and content_lgwin((1 << 17) + 1) == 18
    assert content_lgwin(50_000_000) == 22


def test_content_files_get_a_fitted_window_and_gzip_6_assets_quality_11(tmp_path):
    small = tmp_path / "notices" / "a" / "index.html"
    small.parent.mkdir(parents=True)
    small.write_text("<p>职称申报：继续教育、评审费</p>\n" * 120, encoding="utf-8")
    large = tmp_path / "data" / "notices" / "b.json"
    large.parent.mkdir(parents=True)
    large.write_text("".join(f'{{"id": "m{i}", "title": "材料{i * 7919 % 10007}"}}\n' for i in range(6000)))
    script = tmp_path / "assets" / "x.js"
    script.parent.mkdir()
    script.write_text("function f(a){return a+1}\n" * 300, encoding="utf-8")
    assert precompress(tmp_path, tmp_path / ".cache") == {"br": 3, "gz": 3}
    for path in (small, large, script):
        br = path.with_name(path.name + ".br").read_bytes()
        gz = path.with_name(path.name + ".gz").read_bytes()
        assert brotli.decompress(br) == path.read_bytes() and gzip.decompress(gz) == path.read_bytes()
    size = lambda p: p.stat().st_size  # noqa: E731
    assert 10 < brotli_window_bits(small.with_name("index.html.br").read_bytes()) == content_lgwin(size(small)) < 16
    assert brotli_window_bits(large.with_name("b.json.br").read_bytes()) == content_lgwin(size(large)) > 17
    assert brotli_window_bits(script.with_name("x.js.br").read_bytes()) == 24
    assert gzip_extra_flags(small.with_name("index.html.gz").read_bytes()) == 0
    assert gzip_extra_flags(script.with_name("x.js.gz").read_bytes()) == 2


def test_content_files_are_never_cached_assets_are(tmp_path):
    """Only the copies of runtime, scripts and styles are cached (by content hash); content files
    are compressed in every build, and copies an older build cached for them are not read."""
    import hashlib

    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    page = site / "index.html"
    page.write_text("<p>遮盖要求</p>\n" * 400, encoding="utf-8")
    (site / "data" / "large.json").write_text('{"a": "继续教育"}' * 4000, encoding="utf-8")
    script = site / "x.js"
    script.write_text("var a = 1;\n" * 200, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    key = hashlib.sha256(page.read_bytes()).hexdigest()
    stale = brotli.compress(page.read_bytes(), quality=7, lgwin=22)  # as an older build cached it
    (cache / f"{key}.q7.br").write_bytes(stale)
    (cache / f"{key}.gz").write_bytes(gzip.compress(page.read_bytes(), 9, mtime=0))
    assert precompress(site, cache) == {"br": 3, "gz": 3}
    script_key = hashlib.sha256(script.read_bytes()).hexdigest()
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [f"{key}.q7.br", f"{key}.gz", f"{script_key}.br", f"{script_key}.gz"]
    )
    br = page.with_name("index.html.br").read_bytes()
    assert br != stale and brotli_window_bits(br) == content_lgwin(page.stat().st_size)
    assert gzip_extra_flags(page.with_name("index.html.gz").read_bytes()) == 0
    assert brotli.decompress(br) == page.read_bytes()
