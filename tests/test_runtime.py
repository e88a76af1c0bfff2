"""The self-hosted browser runtime: pins, hashes, our wheels, the lock, the site files.

Python-only checks (no browser). Node-based smoke tests of the assembled runtime are in
tests/test_runtime_node.py; the real-browser tests in tests/test_browser_validator.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from generator.browser import assemble, fetch, wheels
from generator.browser.requirements import parse_requirements
from generator.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "browser-requirements.txt"
CACHE = ROOT / ".cache" / "wheels"

needs_runtime = pytest.mark.skipif(
    not (ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").exists()
    or fetch.find_cached(parse_requirements(REQUIREMENTS)[0], CACHE) is None,
    reason="浏览器运行时未准备：请先运行 make runtime",
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------- pins


def test_package_json_pins_pyodide_exactly_and_lockfile_agrees():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for section in ("dependencies", "devDependencies"):
        for name, spec in package.get(section, {}).items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name} 未精确固定版本：{spec}"
            entry = lock["packages"][f"node_modules/{name}"]
            assert entry["version"] == spec
            assert entry["integrity"].startswith("sha512-")
    assert "pyodide" in package["dependencies"]


def test_browser_requirements_are_pinned_with_hashes_and_complete():
    reqs = {r.name: r for r in parse_requirements(REQUIREMENTS)}
    assert reqs["jsonschema"].version == "4.26.0"
    assert reqs["chinesecalendar"].version == "1.11.0"
    for name in ("attrs", "referencing", "jsonschema-specifications", "pyrsistent", "pyrsistent-as-rpds-py"):
        assert name in reqs, name
    # jsonschema's optional format extras stay out of the browser (their import costs ~1 s).
    for extra in (
        "fqdn",
        "idna",
        "isoduration",
        "jsonpointer",
        "rfc3339-validator",
        "rfc3986-validator",
        "rfc3987",
        "uri-template",
        "webcolors",
        "rpds-py",
    ):
        assert extra not in reqs, extra
    for req in reqs.values():
        assert req.hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in req.hashes)


def test_requirements_parser_rejects_unpinned_and_unhashed_lines(tmp_path):
    bad = tmp_path / "req.txt"
    bad.write_text("jsonschema>=4\nattrs==26.1.0\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        parse_requirements(bad)
    text = str(err.value)
    assert f"{bad}:1:1:" in text and "精确固定" in text
    assert f"{bad}:2:1:" in text and "缺少 --hash" in text


@needs_runtime
def test_pinned_versions_match_the_python_side():
    """The browser runs the same jsonschema and chinesecalendar versions as the CLI."""
    from importlib.metadata import version

    reqs = {r.name: r for r in parse_requirements(REQUIREMENTS)}
    assert version("jsonschema") == reqs["jsonschema"].version
    assert version("chinesecalendar") == reqs["chinesecalendar"].version


# ----------------------------------------------------------------------------- fetch


@needs_runtime
def test_fetch_is_offline_when_cached(tmp_path, monkeypatch):
    dest = tmp_path / "wheels"
    shutil.copytree(CACHE, dest)

    def no_network(*args, **kwargs):
        raise AssertionError("fetch called pip although every wheel is cached")

    monkeypatch.setattr(subprocess, "run", no_network)
    found = fetch.fetch(REQUIREMENTS, dest)
    assert set(found) == {r.name for r in parse_requirements(REQUIREMENTS)}


@needs_runtime
def test_fetch_refuses_a_tampered_wheel(tmp_path, monkeypatch):
    dest = tmp_path / "wheels"
    shutil.copytree(CACHE, dest)
    victim = next(dest.glob("jsonschema-4.26.0-*.whl"))
    victim.write_bytes(victim.read_bytes() + b"tampered")

    class Failed:
        returncode = 1
        stdout = ""
        stderr = "网络不可用（测试）"

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(UserError) as err:
        fetch.fetch(REQUIREMENTS, dest)
    assert "下载浏览器依赖失败" in str(err.value)


def test_fetch_cli_reports_bad_requirements_without_traceback(tmp_path):
    bad = tmp_path / "req.txt"
    bad.write_text("jsonschema\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "generator.browser.fetch", "--requirements", str(bad), "--dest", str(tmp_path / "w")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad}:1:1:" in proc.stderr


# ----------------------------------------------------------------------------- our wheels


def _wheel_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return zf.namelist()


def test_engine_wheel_holds_exactly_the_engine_and_is_reproducible():
    first, second = wheels.engine_wheel(), wheels.engine_wheel()
    assert first.data == second.data and first.sha256 == second.sha256
    names = _wheel_names(first.data)
    code = sorted(n for n in names if ".dist-info/" not in n)
    expected = ["generator/__init__.py"] + sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "generator" / "engine").rglob("*.py")
        if "__pycache__" not in p.parts
    )
    assert code == sorted(expected)
    assert "generator/engine/__init__.py" in code
    # The version carries a hash of the code: a changed engine is a new file name (no stale cache).
    assert re.fullmatch(r"zhicheng_engine-\d+\.\d+\.\d+\.post\d+-py3-none-any\.whl", first.file_name)


def test_a_changed_engine_gets_a_new_wheel_file_name(tmp_path):
    shutil.copytree(
        ROOT / "generator" / "engine", tmp_path / "generator" / "engine", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "generator" / "__init__.py", tmp_path / "generator" / "__init__.py")
    before = wheels.engine_wheel(tmp_path)
    assert before.file_name == wheels.engine_wheel(ROOT).file_name
    target = tmp_path / "generator" / "engine" / "errors.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = wheels.engine_wheel(tmp_path)
    assert after.file_name != before.file_name and after.sha256 != before.sha256


def test_wheel_record_lists_every_file_with_its_hash():
    import base64

    wheel = wheels.engine_wheel()
    with zipfile.ZipFile(BytesIO(wheel.data)) as zf:
        record_name = next(n for n in zf.namelist() if n.endswith("RECORD"))
        rows = [line.split(",") for line in zf.read(record_name).decode().splitlines()]
        listed = {row[0] for row in rows}
        assert listed == set(zf.namelist())
        for name, digest, size in rows:
            if name == record_name:
                continue
            data = zf.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(data)


def _run_with_wheels(tmp_path, wheel_list, code) -> subprocess.CompletedProcess:
    paths = []
    for w in wheel_list:
        target = tmp_path / w.file_name
        target.write_bytes(w.data)
        paths.append(str(target))
    prelude = f"import sys; sys.path[:0] = {paths!r}\n"
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=tmp_path, capture_output=True, text=True)


def test_engine_wheel_imports_the_engine_from_the_wheel(tmp_path):
    proc = _run_with_wheels(
        tmp_path,
        [wheels.engine_wheel()],
        (
            "import generator.engine as e\n"
            "assert '.whl' in e.__file__, e.__file__\n"
            "print(sorted(n for n in ('evaluate', 'EngineError', 'nth_workday') if hasattr(e, n)))\n"
        ),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['EngineError', 'evaluate', 'nth_workday']"


@needs_runtime
def test_rpds_shim_makes_jsonschema_work_on_pyrsistent(tmp_path):
    pinned = {w.name: w for w in assemble.pinned_wheels()}
    proc = _run_with_wheels(
        tmp_path,
        [wheels.rpds_shim_wheel(), pinned["pyrsistent-as-rpds-py"], pinned["pyrsistent"]],
        (
            "import rpds, jsonschema\n"
            "assert rpds.__file__.endswith('rpds.py'), rpds.__file__\n"
            "assert rpds.is_pure_pyrsistent_as_rpds\n"
            "v = jsonschema.Draft202012Validator({'$defs': {'n': {'type': 'integer'}},"
            " 'properties': {'a': {'$ref': '#/$defs/n'}}})\n"
            "print([e.message for e in v.iter_errors({'a': 'x'})])\n"
        ),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[\"'x' is not of type 'integer'\"]"


# ----------------------------------------------------------------------------- lock file


@needs_runtime
def test_lock_of_the_pinned_wheels_is_closed_and_the_site_ships_no_wheels():
    files = assemble.runtime_files()
    npm_lock = json.loads((ROOT / "node_modules/pyodide/pyodide-lock.json").read_text())
    shipped = json.loads(files["pyodide-lock.json"])
    # The worker installs no Pyodide package: everything is in the one archive.
    assert shipped == {"info": npm_lock["info"], "packages": {}}
    assert not any(name.endswith(".whl") for name in files)
    all_wheels = [*assemble.pinned_wheels(), wheels.rpds_shim_wheel(), wheels.engine_wheel()]
    lock = assemble.build_lock(npm_lock, all_wheels)
    by_file = {w.file_name: w.data for w in all_wheels}
    for name, pkg in lock["packages"].items():
        assert pkg["name"] == name
        assert pkg["sha256"] == sha256(by_file[pkg["file_name"]])
        assert pkg["install_dir"] == "site" and pkg["package_type"] == "package"
        assert pkg["imports"], name
        for dep in pkg["depends"]:
            assert dep in lock["packages"], f"{name} 依赖 {dep}，但锁文件里没有"
    assert lock["packages"]["rpds-shim"]["imports"] == ["rpds"]
    assert "rpds-shim" in lock["packages"]["jsonschema"]["depends"]
    assert lock["packages"]["zhicheng-engine"]["imports"] == ["generator"]
    with pytest.raises(UserError) as err:
        assemble.build_lock(npm_lock, [w for w in all_wheels if w.name != "attrs"])
    assert "attrs" in str(err.value) and "browser-requirements.txt" in str(err.value)
    for core in assemble.CORE_FILES:
        assert files[core] == (ROOT / "node_modules/pyodide" / core).read_bytes()


def test_missing_runtime_is_a_clear_chinese_error(tmp_path):
    with pytest.raises(UserError) as err:
        assemble.runtime_files(tmp_path)
    assert "make runtime" in str(err.value)


# ----------------------------------------------------------------------------- the built site


def test_site_serves_the_runtime_and_the_bundle(site_dir):
    pyodide = site_dir / "assets" / "pyodide"
    manifest = json.loads((pyodide / "runtime.json").read_text(encoding="utf-8"))
    assert manifest["archive"].startswith("zhicheng-engine-")
    for name, entry in manifest["files"].items():
        if name != "runtime.json":
            assert sha256((pyodide / name).read_bytes()) == entry["sha256"], name
    for core in assemble.CORE_FILES:
        assert (pyodide / core).stat().st_size > 0
    for name in ("worker.js", "validator.js", "check.js", "check.css"):
        assert (site_dir / "assets" / "validator" / name).is_file(), name

    from enginedata import served_bundle

    from generator.content.bundle import build_bundle, engine_files
    from generator.content.load import load_content

    expected = build_bundle(load_content(ROOT / "content"))
    # Byte for byte (key order included: the engine's output order follows the bundle's order),
    # and put together from the served files they are the command line's bundle.
    engine = site_dir / "data" / "engine"
    served = {p.name: p.read_bytes() for p in engine.iterdir() if p.suffix == ".json"}
    assert served == engine_files(expected)
    assert served_bundle(site_dir) == expected
    assert not (site_dir / "data" / "engine-bundle.json").exists()  # nothing holds every notice
