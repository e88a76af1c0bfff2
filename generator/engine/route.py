"""``route``: where the applicant's papers and fee go, and by when (the checklist's last mile).

Everything comes from the notice: ``submission`` (online only or paper too; the paper items,
copies, deadline and destinations, each destination optionally with a ``when`` condition over the
facts, e.g. ``unit_level: {const: county}``), ``fees`` (one item per level) and the timeline's
paper-submission phases. A destination whose condition is unknown stays listed with the fields it
waits for (``missing``), never guessed.
"""

from __future__ import annotations

from datetime import timedelta

from generator.engine.clock import parse_date
from generator.engine.errors import EngineError
from generator.engine.logic import evaluate_condition, referenced_facts
from generator.engine.workdays import nth_workday


def _fields(condition, facts: dict, profile: dict, missing_fields) -> list[str]:
    return missing_fields(referenced_facts(condition), facts, profile)


def paper_due(paper: dict, profile: dict, holidays: dict | None) -> dict | None:
    """The paper deadline counted in working days from the applicant's own event date
    (e.g. the day the system shows 已接收材料): that day does not count, the Nth working day
    after it is the last day. Unknown without the date; a year the calendar lacks is said so."""
    count = paper.get("within_workdays")
    if not count:
        return None
    due: dict = {"workdays": count, "after": paper.get("within_workdays_after", "")}
    received = profile.get("materials_received_on")
    if not received:
        due["missing"] = ["materials_received_on"]
        return due
    try:
        due["date"] = nth_workday(parse_date(received) + timedelta(days=1), count, holidays).isoformat()
        due["text"] = f"{received} {due['after']}，第 {count} 个工作日为 {due['date']}，最晚须在这一天送达"
    except EngineError as err:
        due["problem"] = err.message
    return due


def route(notice: dict, facts: dict, profile: dict, missing_fields, holidays: dict | None = None) -> dict:
    """The ``route`` member of the result object."""
    submission = notice.get("submission") or {}
    out: dict = {"online_only": bool(submission.get("online_only", False))}
    paper = submission.get("paper")
    if paper and not out["online_only"]:
        destinations = []
        for dest in paper.get("destinations", ()):
            applies = evaluate_condition(dest.get("when"), facts) if "when" in dest else None
            if applies is False:
                continue
            entry = {"who": dest["who"], "where": dest["where"], "status": "yours" if applies else "if_applicable"}
            if applies is None and "when" in dest:
                missing = _fields(dest["when"], facts, profile, missing_fields)
                if missing:
                    entry["missing"] = missing
            destinations.append(entry)
        out["paper"] = {
            "items": list(paper.get("items", ())),
            "copies": paper.get("copies"),
            "duplex": paper.get("duplex"),
            "deadline": paper.get("deadline"),
            "destinations": destinations,
            "clause": paper.get("clause"),
        }
        due = paper_due(paper, profile, holidays)
        if due:
            out["paper"]["due"] = due
    fees = notice.get("fees") or {}
    target = facts.get("target_level")
    items = [dict(i) for i in fees.get("items", ()) if target is None or i.get("level") in (None, target)]
    out["fees"] = {"items": items, "clause": fees.get("clause"), "decided": target is not None}
    if target is None and any(i.get("level") for i in items):
        out["fees"]["missing"] = ["target_level"]
    return out


def route_fields(result_route: dict) -> list[str]:
    """Fields that would narrow the route down (for the optional questions)."""
    fields: list[str] = []
    for dest in (result_route.get("paper") or {}).get("destinations", ()):
        fields += [f for f in dest.get("missing", ()) if f not in fields]
    fields += [f for f in result_route.get("fees", {}).get("missing", ()) if f not in fields]
    due = (result_route.get("paper") or {}).get("due") or {}
    fields += [f for f in due.get("missing", ()) if f not in fields]
    return fields
