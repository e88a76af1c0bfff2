"""build_bundle(content) → the plain, JSON-serialisable dict the engine evaluates against.

``{"version": 1, "applicant_schema": {...}, "notices": {id: notice}, "holidays": {...},
"round_months": {region slug: [months]}}`` where
each notice has its ``rules`` resolved (``use:`` references replaced by the shared rule with the
notice's clause and overrides), its ``reference_date`` filled in, and ``profile_fields``: the
applicant fields its rules and materials use (in schema order), for the browser form.
The command line evaluates against the whole bundle. The browser gets it split by
:func:`engine_files` (``data/engine/``), so that what it downloads does not grow with the number
of notices: a core without notices, one index per year, one file per notice.
"""

from __future__ import annotations

import copy
import hashlib
import json

from generator.engine.facts import FACTS, fact_fields, reference_date
from generator.engine.logic import referenced_facts
from generator.engine.timeline import round_months
from generator.errors import ContentError, Problem, display_path
from generator.resources import load_schema

BUNDLE_VERSION = 1
OVERRIDABLE = ("id", "clause", "message", "severity", "details", "basis", "note")


def load_applicant_schema() -> dict:
    return load_schema("applicant.schema.json")


def _where(content, notice_id: str, dotted: str, message: str) -> Problem:
    path = getattr(content, "files", {}).get(notice_id, f"content/notices/{notice_id}.yaml")
    line, col = 0, 0
    positions = getattr(content, "positions", None) or {}
    for key in ((path, dotted), (str(path), dotted), (notice_id, dotted)):
        if key in positions:
            line, col = positions[key]
            break
    return Problem(display_path(path), line, col, message)


_SCALARS = (str, int, float, bool, type(None))


def plain_copy(node):
    """``copy.deepcopy`` of loaded content: dicts and lists copied by hand, scalars shared (they
    are immutable), anything else through ``copy.deepcopy``. Half of deepcopy's time (no memo,
    no dispatch): the bundle copies every notice and its rules (benchmarks/profile_build.py)."""
    kind = type(node)
    if kind is dict:
        return {key: plain_copy(value) for key, value in node.items()}
    if kind is list:
        return [plain_copy(value) for value in node]
    if kind in _SCALARS:
        return node
    return copy.deepcopy(node)


def resolve_rules(notice: dict, shared: dict, problem) -> list[dict]:
    """The notice's rules with ``use:`` references resolved."""
    resolved = []
    seen: set[str] = set()
    for i, rule in enumerate(notice.get("rules") or ()):
        if "use" in rule:
            base = shared.get(rule["use"])
            if base is None:
                known = "、".join(sorted(shared)) or "（无）"
                problem(f"rules.{i}.use", f"rules[{i}].use：共享规则 {rule['use']!r} 不存在；可用：{known}")
                continue
            full = plain_copy(base)
            for key in OVERRIDABLE:
                if key in rule:
                    full[key] = plain_copy(rule[key])
            full["shared"] = rule["use"]
        else:
            full = plain_copy(rule)
        if full["id"] in seen:
            problem(f"rules.{i}", f"rules[{i}]：规则标识 {full['id']!r} 重复")
            continue
        seen.add(full["id"])
        for key in ("applies_when", "requires"):
            for name in referenced_facts(full.get(key)):
                if name not in FACTS:
                    problem(f"rules.{i}", f"rules[{i}].{key}：未知的事实 {name!r}")
        resolved.append(full)
    return resolved


def profile_fields(notice: dict, schema: dict) -> list[str]:
    """Applicant fields that the notice's rules and material conditions depend on."""
    used: set[str] = set()
    conditions = []
    for rule in notice.get("rules", ()):
        conditions += [rule.get("applies_when"), rule.get("requires")]
    conditions += [m.get("when") for m in notice.get("materials", ())]
    paper = (notice.get("submission") or {}).get("paper") or {}
    conditions += [d.get("when") for d in paper.get("destinations", ())]  # where papers go
    for condition in conditions:
        for name in referenced_facts(condition):
            used.update(fact_fields(name, notice))
    if paper.get("within_workdays") and not (notice.get("submission") or {}).get("online_only"):
        used.add("materials_received_on")  # the paper deadline counts working days from it
    order = list(schema.get("properties", {}))
    return [f for f in order if f in used]


def build_bundle(content) -> dict:
    """Raises ContentError (path:line:col) for unknown shared rules, duplicate ids, unknown facts."""
    schema = load_applicant_schema()
    shared = dict(getattr(content, "shared_rules", {}) or {})
    problems: list[Problem] = []
    notices = {}
    for notice_id in sorted(content.notices):
        notice = plain_copy(content.notices[notice_id])

        def problem(dotted, message, _id=notice_id):
            problems.append(_where(content, _id, dotted, message))

        notice["rules"] = resolve_rules(notice, shared, problem)
        for i, material in enumerate(notice.get("materials", ())):
            for name in referenced_facts(material.get("when")):
                if name not in FACTS:
                    problem(f"materials.{i}.when", f"materials[{i}].when：未知的事实 {name!r}")
        try:
            notice["reference_date"] = reference_date(notice)
        except Exception as err:  # EngineError: no date to compute years against
            problem("reference_date", str(err))
        notice["profile_fields"] = profile_fields(notice, schema)
        notices[notice_id] = notice
    if problems:
        raise ContentError(problems)
    holidays = {
        str(year): {
            "holidays": sorted(data.get("holidays", ())),
            "workdays": sorted(data.get("workdays", ())),
            "source": data.get("source", ""),
        }
        for year, data in sorted((getattr(content, "holidays", {}) or {}).items())
    }
    return {
        "version": BUNDLE_VERSION,
        "applicant_schema": schema,
        "notices": notices,
        "holidays": holidays,
        # What a closed round's "next" says (engine/timeline.next_round): from every notice of a
        # region, so that the browser, which loads notices one by one, answers as the CLI.
        "round_months": round_months(notices.values()),
    }


CORE_FILE = "core.json"


def encode(value) -> bytes:
    """Compact JSON, UTF-8. Key order is kept (no sort_keys): the engine lists missing fields in
    the applicant schema's property order, so the browser must see the very same order as the CLI."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def year_file(year: str) -> str:
    return f"year-{year}.json"


def notice_file(notice_id: str) -> str:
    return f"{notice_id}.json"


def engine_files(bundle: dict) -> dict[str, bytes]:
    """The bundle as the browser's files (names relative to ``data/engine/``).

    - ``<id>.json``: one notice of the bundle, exactly as in ``bundle["notices"]``;
    - ``year-<YYYY>.json``: ``{id: sha256 of <id>.json}`` for the notices whose id starts with
      that year (every id does: ``^\\d{4}-``, schemas/notice.schema.json);
    - ``core.json``: the bundle without its notices, plus ``"years": {YYYY: sha256 of
      year-<YYYY>.json}``. It grows with the number of years, not of notices.

    The worker revalidates ``core.json`` and checks every other file against the sha256 that
    leads to it, so a stale or corrupt file is refused, never evaluated.
    """
    files: dict[str, bytes] = {}
    years: dict[str, dict[str, str]] = {}
    for notice_id, notice in bundle.get("notices", {}).items():
        data = encode(notice)
        files[notice_file(notice_id)] = data
        years.setdefault(notice_id[:4], {})[notice_id] = hashlib.sha256(data).hexdigest()
    core = {key: value for key, value in bundle.items() if key != "notices"}
    core["years"] = {}
    for year in sorted(years):
        data = encode(dict(sorted(years[year].items())))
        files[year_file(year)] = data
        core["years"][year] = hashlib.sha256(data).hexdigest()
    files[CORE_FILE] = encode(core)
    return files
