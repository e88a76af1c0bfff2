"""The rules engine: pure Python (stdlib, jsonschema, chinese_calendar), no I/O.

The same code runs in pytest, in ``python -m generator eligibility`` and in the browser (Pyodide).
It takes the plain-dict bundle made by :func:`generator.content.bundle.build_bundle`.
"""

from generator.engine.errors import EngineError
from generator.engine.evaluate import evaluate
from generator.engine.facts import FACTS, derive_facts, reference_date
from generator.engine.logic import evaluate_condition, referenced_facts
from generator.engine.profile import profile_problems, validate_profile
from generator.engine.workdays import count_workdays, is_workday, nth_workday

__all__ = [
    "EngineError",
    "FACTS",
    "count_workdays",
    "derive_facts",
    "evaluate",
    "evaluate_condition",
    "is_workday",
    "nth_workday",
    "profile_problems",
    "reference_date",
    "referenced_facts",
    "validate_profile",
]
