"""``questions``: the applicant fields whose answers could still change the verdict (CONTRACTS §6).

Derived generically from the result itself: the candidates are the fields that the unknown
blocker rules are missing (each rule names them through the facts it references and ``FACTS``'
``fields``), so a new rule, fact or applicant field takes part without any list here.

Most decisive first:

1. fields with a value that alone makes the applicant ineligible (tried for every choice of an
   enumerated or yes/no field) — so a retiree or a civil servant learns the answer from the first
   question; among them, and then among the other fields:
2. the fields that the most undecided blocker rules are waiting for, then the larger share of
   deciding answers;
3. ties in the order of ``schemas/applicant.schema.json`` (which follows the notice's logic:
   who you are, what you apply for, education, record, service, materials).

An empty list once the verdict is ``eligible`` or ``ineligible``: nothing can change it.
``optional_questions`` (checklist refinements) are the fields the checklist and the warnings
still miss, in the same schema order.
"""

from __future__ import annotations

from collections.abc import Callable


def candidate_values(prop: dict, mentioned: set | None = None) -> list:
    """The answers worth trying for one field (enumerations and yes/no only).

    With ``mentioned`` (every scalar the notice's rules and materials name), a long list is cut
    to the values the rules tell apart: those named, plus one unnamed value and 其他, which stand
    for all the others (a condition that names none of them treats them all alike).
    """
    if "enum" in prop:
        values = list(prop["enum"])
        if mentioned is None or len(values) <= 6:
            return values
        named = [v for v in values if v in mentioned]
        unnamed = [v for v in values if v not in mentioned]
        keep = named + unnamed[:1] + [v for v in unnamed[1:] if v == "其他"]
        return keep
    if prop.get("type") == "boolean":
        return [True, False]
    return []


def mentioned_values(*trees) -> set:
    """Every scalar (string, number, boolean) inside the given JSON-like trees."""
    found: set = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, (str, int, float, bool)):
            found.add(node)

    for tree in trees:
        walk(tree)
    return found


def _schema_order(schema: dict) -> dict[str, int]:
    return {name: i for i, name in enumerate(schema.get("properties", {}))}


def questions_for(
    profile: dict,
    schema: dict,
    verdict: str,
    reasons: list[dict],
    verdict_of: Callable[[dict], str],
    mentioned: set | None = None,
) -> list[str]:
    """Fields to ask next, most decisive first (see the module docstring)."""
    if verdict != "incomplete":
        return []
    order = _schema_order(schema)
    waiting: dict[str, int] = {}
    for reason in reasons:
        if reason["severity"] != "blocker" or reason["outcome"] != "unknown":
            continue
        for field in reason.get("missing", ()):
            waiting[field] = waiting.get(field, 0) + 1
    props = schema.get("properties", {})
    deciding: dict[str, float] = {}
    for field in waiting:
        values = candidate_values(props.get(field, {}), mentioned)
        if not values:
            continue
        failing = sum(1 for v in values if verdict_of({**profile, field: v}) == "ineligible")
        if failing:
            deciding[field] = failing / len(values)
    return sorted(waiting, key=lambda f: rank(f, deciding, waiting, order))


def rank(field: str, deciding: dict, waiting: dict, order: dict) -> tuple:
    """Sort key: fields with an answer that decides first; among them, and then among the rest,
    the fields the most undecided rules wait for; then the larger share of deciding answers;
    then the schema's order."""
    return (field not in deciding, -waiting[field], -deciding.get(field, 0.0), order.get(field, len(order)))


def optional_questions(
    profile: dict, schema: dict, reasons: list[dict], checklist: list[dict], extra: list[str] = ()
) -> list[str]:
    """Fields that would refine the checklist (and where it goes) or settle a warning."""
    order = _schema_order(schema)
    fields: list[str] = []
    sources = [r.get("missing", ()) for r in reasons if r["outcome"] == "unknown"]
    sources += [c.get("missing", ()) for c in checklist]
    sources.append(list(extra))
    for missing in sources:
        for field in missing:
            if field not in fields and profile.get(field) is None:
                fields.append(field)
    return sorted(fields, key=lambda f: order.get(f, len(order)))
