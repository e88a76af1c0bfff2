"""A fast yes/no answer to "is this document valid against this JSON Schema?".

Validating a notice with ``jsonschema`` (pure Python) took about 12 ms, the largest cost of
loading content at hundreds of notices (benchmarks/profile_build.py). ``jsonschema-rs`` (Rust,
Draft 2020-12) answers the same question in about 0.1 ms. It is used only to confirm that a
document is valid: any other answer — invalid, a value it cannot read, the library missing —
returns ``None`` and the caller runs ``jsonschema`` itself, which also writes the Chinese
messages. Formats are not asserted, as ``Draft202012Validator(schema)`` without a format checker
does not assert them either.
"""

from __future__ import annotations

from typing import Any

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - the dependency is in pyproject.toml
    jsonschema_rs = None

_CACHE: dict[int, tuple[dict, Any]] = {}


def _compiled(schema: dict):
    entry = _CACHE.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_CACHE) > 32:
            _CACHE.clear()
        try:
            compiled = jsonschema_rs.validator_for(schema, validate_formats=False)
        except Exception:  # noqa: BLE001 - a schema it cannot compile: use jsonschema
            compiled = None
        entry = _CACHE[id(schema)] = (schema, compiled)
    return entry[1]


def known_valid(data: Any, schema: dict) -> bool:
    """True only when the fast validator confirms ``data`` is valid; False means "ask jsonschema"."""
    if jsonschema_rs is None:
        return False
    compiled = _compiled(schema)
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(data))
    except Exception:  # noqa: BLE001 - e.g. a value type it cannot convert
        return False
