"""The one error type of the engine: a Chinese message plus one problem per field."""

from __future__ import annotations


class EngineError(Exception):
    """Unknown notice, invalid profile or missing calendar data.

    ``problems`` is a list of ``{"field": ..., "message": ...}`` dicts (plain JSON), one per
    problem; ``str(err)`` is the whole Chinese message, one line per problem.
    """

    def __init__(self, message: str, problems: list[dict] | None = None):
        self.message = message
        self.problems = [dict(p) for p in (problems or [])]
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        """A structured-clonable form for the browser worker."""
        return {"message": self.message, "problems": [dict(p) for p in self.problems]}
