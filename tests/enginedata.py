"""The engine's rules as the site serves them (``data/engine/``), put back together.

``served_bundle(site)`` reads ``core.json``, every ``year-<YYYY>.json`` it names and every notice
file those name, checks each file against the sha256 that leads to it (as the browser worker
does) and returns the whole bundle: what ``python -m generator eligibility`` evaluates against.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def _checked(path: Path, sha256: str) -> dict:
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256, f"{path} 与索引中的 sha256 不符"
    return json.loads(data)


def served_bundle(site: Path) -> dict:
    engine = site / "data" / "engine"
    core = json.loads((engine / "core.json").read_bytes())
    notices = {}
    for year, sha in core.pop("years").items():
        for notice_id, notice_sha in _checked(engine / f"year-{year}.json", sha).items():
            assert notice_id.startswith(f"{year}-"), notice_id
            notices[notice_id] = _checked(engine / f"{notice_id}.json", notice_sha)
    return {**core, "notices": dict(sorted(notices.items()))}
