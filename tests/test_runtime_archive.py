"""The archive of precompiled Python the worker loads instead of wheels (generator/browser/archive.py).

Python-only checks of its contents, reproducibility and cache; that Pyodide imports the engine
from it is tests/test_runtime_node.py, that a damaged archive ends in a Chinese error in the
browser is tests/test_validator_offline.py.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.browser import archive, assemble, fetch, stdlib
from generator.browser.requirements import parse_requirements

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "browser-requirements.txt"
CACHE = ROOT / ".cache" / "wheels"

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").exists()
    or fetch.find_cached(parse_requirements(REQUIREMENTS)[0], CACHE) is None
    or shutil.which("node") is None,
    reason="浏览器运行时未准备：请先运行 make runtime",
)


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        return {name: zf.read(name) for name in zf.namelist()}


def test_archive_holds_compiled_engine_packages_and_engine_stdlib_but_no_source():
    files = assemble.runtime_files()
    manifest = json.loads(files["runtime.json"])
    name = manifest["archive"]
    assert name == archive.file_name(files[name]) and name in manifest["files"]
    entries = _entries(files[name])
    for needed in (
        "generator/__init__.pyc",
        "generator/engine/api.pyc",
        "jsonschema/__init__.pyc",
        "referencing/_core.pyc",
        "attr/_make.pyc",
        "pyrsistent/_pmap.pyc",
        "rpds.pyc",
        "chinese_calendar/__init__.pyc",
        "jsonschema_specifications/_core.pyc",
    ):
        assert needed in entries, needed
    assert not [n for n in entries if n.endswith(".py")], "源码不应随归档下发"
    assert not [n for n in entries if "/tests/" in n or "/benchmarks/" in n or ".dist-info" in n]
    # One interpreter's bytecode: the same magic number everywhere, hash-based and unchecked.
    headers = {data[:4] for n, data in entries.items() if n.endswith(".pyc")}
    assert len(headers) == 1 and next(iter(headers)).endswith(b"\r\n")
    assert {data[4:8] for n, data in entries.items() if n.endswith(".pyc")} == {b"\x01\0\0\0"}
    # The stdlib modules only the engine imports are here, precompiled, not in the trimmed zip.
    moved = stdlib.engine_sources()
    assert "datetime.py" in moved
    with zipfile.ZipFile(io.BytesIO(files[manifest["stdlib"]])) as zf:
        in_stdlib = set(zf.namelist())
    for module in moved:
        assert module[:-3] + ".pyc" in entries and module not in in_stdlib, module


def test_archive_is_reproducible_and_a_changed_engine_is_compiled_anew(tmp_path):
    first = archive.build()
    assert archive.build() == first  # from the cache, byte for byte
    # A copy of the project whose engine differs in one function.
    root = tmp_path / "root"
    shutil.copytree(ROOT / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    (root / stdlib.CACHE_DIR).mkdir(parents=True)
    shutil.copy(ROOT / stdlib.CACHE_DIR / stdlib.ENGINE_NAME, root / stdlib.CACHE_DIR)
    api = root / "generator/engine/api.py"
    api.write_text(api.read_text(encoding="utf-8") + "\n\ndef _added():\n    return 42\n", encoding="utf-8")
    changed = archive.build(root, REQUIREMENTS, CACHE)
    assert archive.file_name(changed) != archive.file_name(first)
    old, new = _entries(first), _entries(changed)
    assert old.keys() == new.keys()
    assert [n for n in old if old[n] != new[n]] == ["generator/engine/api.pyc"]
    assert len(list((root / archive.CACHE_DIR).glob("archive-*.zip"))) == 1


def test_archive_without_the_traced_stdlib_list_asks_for_make_runtime(tmp_path):
    from generator.errors import UserError

    with pytest.raises(UserError) as err:
        stdlib.engine_sources(tmp_path)
    assert "make runtime" in str(err.value)


def test_embedded_specifications_give_the_same_registry_as_the_package():
    """The archive's jsonschema_specifications reads no files: its _core embeds the very schemas
    of the pinned wheel, and the registry built from them equals the installed package's."""
    import jsonschema_specifications
    from referencing.jsonschema import EMPTY_REGISTRY

    files = archive.sources()
    assert not [n for n in files if n.startswith("jsonschema_specifications/schemas/")]
    source = files["jsonschema_specifications/_core.py"].decode("utf-8")
    assert "import importlib" not in source and "from importlib" not in source
    namespace: dict = {}
    exec(compile(source, "_core.py", "exec"), namespace)  # noqa: S102 - our own generated module
    registry = (namespace["_schemas"]() @ EMPTY_REGISTRY).crawl()
    expected = jsonschema_specifications.REGISTRY
    assert len(list(expected)) >= 20
    assert sorted(registry) == sorted(expected)
    for uri in expected:
        assert registry.contents(uri) == expected.contents(uri), uri
