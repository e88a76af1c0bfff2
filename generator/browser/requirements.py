"""Reads ``browser-requirements.txt``: exact pins with ``--hash=sha256:`` lines, nothing else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")
_HASH = re.compile(r"^--hash=sha256:([0-9a-f]{64})$")


@dataclass(frozen=True)
class Requirement:
    name: str  # normalized (PEP 503): lower case, runs of -_. become -
    version: str
    hashes: tuple[str, ...]
    line: int

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(path: Path) -> list[Requirement]:
    """Every requirement must be ``name==version`` with at least one sha256 hash."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise UserError(f"{path}: 无法读取浏览器依赖清单：{err.strerror or err}") from None
    # Join continuation lines, remembering where each logical line starts.
    logical: list[tuple[int, str]] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()  # comments; "--hash=sha256:…" holds no "#"
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            logical.append((start, buffer.strip()))
        buffer = ""
    if buffer.strip():
        logical.append((start, buffer.strip()))

    problems: list[str] = []
    result: list[Requirement] = []
    for number, line in logical:
        parts = line.split()
        pin = _PIN.match(parts[0])
        if not pin:
            problems.append(f"{path}:{number}:1: “{parts[0]}”不是精确固定的版本（应写成 名称==版本）")
            continue
        hashes = []
        for part in parts[1:]:
            match = _HASH.match(part)
            if not match:
                problems.append(f"{path}:{number}:1: 无法识别“{part}”（只允许 --hash=sha256:<64位十六进制>）")
                continue
            hashes.append(match.group(1))
        if not hashes:
            problems.append(f"{path}:{number}:1: {parts[0]} 缺少 --hash=sha256:… 校验值")
            continue
        result.append(Requirement(normalize(pin.group(1)), pin.group(2), tuple(hashes), number))
    if problems:
        raise UserError("\n".join(problems))
    if not result:
        raise UserError(f"{path}: 浏览器依赖清单是空的")
    return result
