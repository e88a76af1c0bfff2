"""The trimmed standard library, the runtime manifest, pre-compression and the offline list."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import brotli
import pytest

from generator.browser import assemble, stdlib
from generator.browser.strip_source import strip
from generator.site.compress import precompress
from generator.site.offline import offline_files, write_manifest

ROOT = Path(__file__).resolve().parent.parent


def test_strip_removes_comments_and_docstrings_but_keeps_the_code():
    source = (
        '"""Module doc."""\n'
        "from __future__ import annotations\n"
        "# a remark\n"
        "X = '# not a comment'  # trailing\n"
        "def f(a):\n"
        "    '''Doc.'''\n"
        "    return a + 1\n"
        "class C:\n"
        '    """Only a docstring."""\n'
        "TEXT = '''\n"
        "keep # this\n"
        "'''\n"
    )
    out = strip(source)
    assert "Module doc" not in out and "Doc." not in out and "a remark" not in out
    assert "trailing" not in out
    assert "X = '# not a comment'" in out and "keep # this" in out
    scope: dict = {}
    exec(compile(out, "<stripped>", "exec"), scope)
    assert scope["f"](1) == 2 and scope["TEXT"] == "\nkeep # this\n"
    assert scope["C"].__doc__ is None


def test_split_keeps_submodules_beside_a_package_start_up_imported():
    keep, move = stdlib.split(
        ["importlib/__init__.py", "importlib/resources/abc.py", "json/__init__.py", "datetime.py"],
        ["importlib/__init__.py", "json/__init__.py"],
    )
    assert keep == ["importlib/__init__.py", "importlib/resources/abc.py", "json/__init__.py"]
    assert move == ["datetime.py"]


def test_strip_leaves_unparsable_source_alone():
    assert strip("def (:\n  # x\n") == "def (:\n  # x\n"


def test_trim_stores_only_the_listed_files_uncompressed_and_reproducibly():
    full = (ROOT / "node_modules/pyodide/python_stdlib.zip").read_bytes()
    keep = ["json/__init__.py", "json/decoder.py"]
    data = stdlib.trim(full, keep, {"json/decoder.py": "X = 1\n"})
    assert data == stdlib.trim(full, keep, {"json/decoder.py": "X = 1\n"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names == sorted(set(keep) | set(stdlib.ALWAYS))
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        assert zf.read("json/decoder.py") == b"X = 1\n"
    with pytest.raises(Exception) as err:
        stdlib.trim(full, ["no/such_module.py"])
    assert "找不到" in str(err.value)


def test_built_stdlib_holds_what_start_up_and_engine_import_and_is_much_smaller():
    """`make runtime` traced the imports: start-up's files are in the trimmed zip, the engine's
    others are listed for the archive (precompiled there), and nothing is in both."""
    data = stdlib.trimmed_path().read_bytes()
    full = (ROOT / "node_modules/pyodide/python_stdlib.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
    for needed in (
        "json/__init__.py",
        "re/__init__.py",
        "_pyodide/_base.py",
        "pyodide/__init__.py",
        "encodings/utf_8.py",
    ):
        assert needed in names, needed
    engine_only = stdlib.engine_sources()
    # jsonschema_specifications' schemas are embedded (archive.embed_specifications): nothing
    # reads package data through importlib.resources any more, so it is shipped nowhere.
    assert "importlib/resources/__init__.py" not in names | set(engine_only)
    assert "datetime.py" in engine_only and "uuid.py" in engine_only
    assert not names & set(engine_only)
    assert "unittest/__init__.py" not in names and "xml/__init__.py" not in names
    assert len(brotli.compress(data, quality=5)) < len(full) / 4


def test_runtime_manifest_has_sha256_and_size_of_every_file():
    files = assemble.runtime_files()
    manifest = json.loads(files["runtime.json"])
    assert manifest["stdlib"].startswith("python_stdlib-") and manifest["stdlib"] in files
    assert "python_stdlib.zip" not in files
    for name, data in files.items():
        if name == "runtime.json":
            continue
        entry = manifest["files"][name]
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}, name
    for core in ("pyodide.asm.wasm", "pyodide.asm.mjs", manifest["stdlib"]):
        assert core in manifest["files"]


def test_precompress_writes_identical_br_and_gz_beside_files(tmp_path):
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>职称申报</p>" * 200, encoding="utf-8")
    tiny = tmp_path / "tiny.css"
    tiny.write_text("a{}", encoding="utf-8")
    image = tmp_path / "x.png"
    image.write_bytes(b"\x89PNG" * 200)
    cache = tmp_path / "cache"
    counts = precompress(tmp_path, cache)
    assert counts == {"br": 1, "gz": 1}
    assert brotli.decompress((page.parent / "index.html.br").read_bytes()) == page.read_bytes()
    assert gzip.decompress((page.parent / "index.html.gz").read_bytes()) == page.read_bytes()
    assert not (tmp_path / "tiny.css.br").exists() and not (tmp_path / "x.png.br").exists()
    # a page is made from the content: not cached (assets are: tests/test_compress.py)
    assert not cache.exists() or not list(cache.iterdir())


def test_built_site_has_precompressed_runtime_and_an_offline_list(site_dir):
    wasm = site_dir / "assets/pyodide/pyodide.asm.wasm"
    assert brotli.decompress((site_dir / "assets/pyodide/pyodide.asm.wasm.br").read_bytes()) == wasm.read_bytes()
    manifest = json.loads((site_dir / "offline.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    for url in (
        "check/",
        "templates/",
        "notices/2025-bortala/",
        "assets/pyodide/pyodide.asm.wasm",
        "data/engine/core.json",
        "assets/validator/worker.js",
    ):
        assert url in files, url
    assert files["check/"] == hashlib.sha256((site_dir / "check/index.html").read_bytes()).hexdigest()
    assert not any(u.endswith((".br", ".gz", ".map")) or u == "sw.js" for u in files)
    assert (site_dir / "sw.js").is_file()


def test_check_page_states_the_download_size_from_the_build(site_dir):
    html = (site_dir / "check/index.html").read_text(encoding="utf-8")
    mb = float(html.split('data-download-mb="', 1)[1].split('"', 1)[0])
    wire = 0
    # The runtime, the engine's core, and the largest notice's rules with its year's index (a
    # visit loads one notice's: the page states the most it can be).
    engine = site_dir / "data/engine"
    largest = max((p for p in engine.glob("*.json") if p.name[:4].isdigit()), key=lambda p: p.stat().st_size)
    first_visit = [engine / "core.json", engine / f"year-{largest.name[:4]}.json", largest]
    for path in [*(site_dir / "assets/pyodide").iterdir(), *first_visit]:
        if path.suffix in (".br", ".gz"):
            continue
        br = path.with_name(path.name + ".br")
        wire += (br if br.exists() else path).stat().st_size
    assert abs(mb - wire / 1e6) < 0.06, (mb, wire)
    assert f"首次使用需下载约 {mb:.1f} MB" in html


def test_offline_list_names_pages_by_their_address(tmp_path):
    (tmp_path / "check").mkdir()
    (tmp_path / "check/index.html").write_text("x", encoding="utf-8")
    (tmp_path / "index.html").write_text("y", encoding="utf-8")
    (tmp_path / "a.js.br").write_bytes(b"z")
    assert offline_files(tmp_path) == {
        "./": hashlib.sha256(b"y").hexdigest(),
        "check/": hashlib.sha256(b"x").hexdigest(),
    }
    first = write_manifest(tmp_path)["version"]
    (tmp_path / "check/index.html").write_text("x2", encoding="utf-8")
    assert write_manifest(tmp_path)["version"] != first
