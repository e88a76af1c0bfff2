"""Compiles Python sources to ``.pyc`` bytes — run *inside* Pyodide by ``compile_pyc.mjs``.

Pyodide's CPython must compile them itself: a ``.pyc`` holds its interpreter's magic number and
bytecode, which no other Python version can load. Input (globals set by the caller):
``_sources_text``, a JSON object ``{path: source text}``, and ``_strip_text``, the text of
``strip_source.py`` (comments and docstrings go before compiling: fewer bytes to download);
output (the value of the last expression): a JSON object ``{path: base64 of the .pyc}``. Each ``.pyc`` is hash-based and unchecked (PEP 552): it carries the
source's hash instead of a time stamp, so equal sources give equal bytes, and the importer never
looks for a source file it is not given.
"""

import base64
import importlib.util
import json
import marshal


def pyc(source: bytes, path: str) -> bytes:
    code = compile(source, path, "exec", dont_inherit=True, optimize=0)
    flags = 0b01  # hash-based, not checked against a source file (there is none in the archive)
    return (
        importlib.util.MAGIC_NUMBER
        + flags.to_bytes(4, "little")
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


def compile_all(sources: dict, strip) -> dict:
    return {
        path: base64.b64encode(pyc(strip(text).encode("utf-8"), path)).decode("ascii")
        for path, text in sorted(sources.items())
    }


_strip = {}
exec(_strip_text, _strip)  # noqa: F821  (set by compile_pyc.mjs)
json.dumps(compile_all(json.loads(_sources_text), _strip["strip"]))  # noqa: F821
