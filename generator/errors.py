"""Typed user errors. Their message is all the user sees (no traceback)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a content file, reported as ``path:line:col: message``.

    ``line`` and ``col`` are 1-based; 0 means "unknown" (then they are left out).
    """

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}: {self.message}"
        return f"{self.path}: {self.message}"


def safe_resolve(path: Path | str) -> Path:
    """``Path.resolve()`` that never raises: a symlink loop resolves to the link's own place."""
    p = Path(path)
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" (Python < 3.13)
        return safe_resolve(p.parent) / p.name if p.parent != p else p.absolute()


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when possible, with forward slashes."""
    p = Path(path)
    try:
        # A link is named where it is, not where it points.
        full = safe_resolve(p.parent) / p.name if p.is_symlink() else safe_resolve(p)
        p = full.relative_to(safe_resolve(Path.cwd()))
    except ValueError:
        pass
    return p.as_posix()


class UserError(Exception):
    """A mistake in the user's input; ``str(err)`` is a complete Chinese message."""


class ContentError(UserError):
    """Content failed validation; carries every problem found (never only the first)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
