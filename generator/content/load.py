"""Load and validate everything under ``content/``.

``load_content(root)`` reads every YAML file of every kind (notices, templates, shared rules,
holiday years) with positions (:mod:`generator.content.yamlio`), validates each with its JSON Schema
(:mod:`generator.content.validate`), runs the cross-file checks of :mod:`generator.content.checks`, and returns
a :class:`Content` — or raises :class:`~generator.errors.ContentError` carrying *all* problems.
``collect(root, extra_files)`` is the same without raising (used by ``check``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.validate import SchemaIndex, schema_messages
from generator.content.yamlio import human_path, load_yaml
from generator.errors import ContentError, Problem, display_path, safe_resolve
from generator.resources import schemas_dir

SCHEMAS = schemas_dir()


@dataclass(frozen=True)
class Kind:
    name: str  # sub-directory of content/
    schema: str  # file in schemas/
    label: str  # Chinese name used in messages and the summary


# Explicit list of content kinds, in load order.
KINDS: tuple[Kind, ...] = (
    Kind("notices", "notice.schema.json", "通知"),
    Kind("templates", "template.schema.json", "模板"),
    Kind("rules", "rules.schema.json", "共享规则文件"),
    Kind("holidays", "holidays.schema.json", "节假日年份"),
)
KIND_BY_NAME = {k.name: k for k in KINDS}


@dataclass
class Doc:
    """One parsed content file."""

    kind: Kind
    path: Path
    shown: str  # path as printed (relative to cwd)
    data: Any
    values: dict[str, tuple[int, int]]
    keys: dict[str, tuple[int, int]]
    digest: str = ""  # sha256 of the text
    header: str = ""  # first line of the file
    in_root: bool = True  # part of the content directory (not a file checked on its own)
    valid: bool = True  # passed its JSON Schema
    index: SchemaIndex | None = None  # the kind's schema, for field titles in messages
    strings: list[tuple[str, str]] | None = None  # every text value, when the parser recorded them

    @property
    def stem(self) -> str:
        return self.path.stem

    def position(self, dotted: str, *, key: bool = False) -> tuple[int, int]:
        """Line/col of a node (or its key); the nearest known ancestor when unknown."""
        path = dotted
        while True:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path.rpartition(".")[0]

    def problem(self, dotted: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.position(dotted, key=key)
        return Problem(self.shown, line, col, message)

    def field(self, dotted: str) -> str:
        """How messages name a field: ``timeline[2].end（结束）``."""
        if not dotted:
            return "文件顶层"
        name = human_path(dotted)
        title = self.index.title(dotted.split(".")) if self.index is not None else None
        return f"{name}（{title}）" if title else name

    def get(self, dotted: str, default: Any = None) -> Any:
        node = self.data
        for part in dotted.split(".") if dotted else []:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return default
        return node


def normalize_path(dotted: str) -> str:
    """``timeline[2].end`` or ``timeline.2.end`` → ``timeline.2.end``."""
    return re.sub(r"\[(\d+)\]", r".\1", dotted).lstrip(".")


class PositionMap(dict):
    """``(file, dotted path) -> (line, col)``; file may be a Path, its string, or a notice/template
    id; the path may use ``[2]`` or ``.2`` for list items."""

    def __init__(self, files: dict[str, Path]):
        super().__init__()
        self._files = files

    def _key(self, key: Any) -> Any:
        if isinstance(key, tuple) and len(key) == 2:
            file, dotted = key
            if isinstance(file, str) and file in self._files:
                file = self._files[file]
            return (Path(file).as_posix(), normalize_path(str(dotted)))
        return key

    def __setitem__(self, key, value):
        super().__setitem__(self._key(key), value)

    def __getitem__(self, key):
        return super().__getitem__(self._key(key))

    def __contains__(self, key):
        return super().__contains__(self._key(key))

    def get(self, key, default=None):
        return super().get(self._key(key), default)


@dataclass
class Content:
    notices: dict[str, dict] = field(default_factory=dict)
    templates: dict[str, dict] = field(default_factory=dict)
    shared_rules: dict[str, dict] = field(default_factory=dict)
    holidays: dict[str, dict] = field(default_factory=dict)
    positions: PositionMap = field(default_factory=lambda: PositionMap({}))
    files: dict[str, Path] = field(default_factory=dict)
    root: Path | None = None


@dataclass
class Collected:
    content: Content
    docs: list[Doc]
    problems: list[Problem]


@dataclass
class Schema:
    data: dict
    digest: str
    index: SchemaIndex


def load_schema(name: str, schemas_dir: Path = SCHEMAS) -> Schema | None:
    path = schemas_dir / name
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    return Schema(data, hashlib.sha256(text.encode()).hexdigest(), SchemaIndex(data))


# (schema digest, document digest) -> schema messages; the same text validates the same way.
_VALIDATED: dict[tuple[str, str], list] = {}


def _files_of(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    # Links and special files are listed too (not silently skipped): reading them reports a
    # symlink loop, a device or a pipe as a problem of that file.
    return sorted(
        p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and (p.is_symlink() or not p.is_dir())
    )


def _link_problem(path: Path, root: Path) -> Problem | None:
    """A symlink in content/ may only point inside content/ (a pull request could otherwise
    make the build read any file of the machine into the site or its error messages)."""
    if not path.is_symlink():
        return None
    target = safe_resolve(path)
    try:
        target.relative_to(safe_resolve(root))
    except ValueError:
        return Problem(display_path(path), 0, 0, "符号链接指向内容目录之外：内容文件必须位于内容目录中")
    return None


def _kind_for(path: Path) -> Kind:
    """The kind of a file given on its own: from its folder name, else a notice."""
    return KIND_BY_NAME.get(safe_resolve(path).parent.name, KIND_BY_NAME["notices"])


def _parse(kind: Kind, path: Path, problems: list[Problem], *, in_root: bool = True) -> Doc | None:
    shown = display_path(path)
    try:
        loaded = load_yaml(path, shown)
    except ContentError as err:
        problems.extend(err.problems)
        return None
    doc = Doc(kind, path, shown, loaded.data, loaded.values, loaded.keys, loaded.digest, loaded.header, in_root)
    doc.strings = loaded.strings
    if not isinstance(doc.data, dict):
        what = "列表" if isinstance(doc.data, list) else f"单个值 {doc.data!r}"
        problems.append(Problem(shown, 1, 1, f"文件顶层应为映射（键: 值），实际是{what}"))
        return None
    return doc


def _validate(doc: Doc, schema: Schema | None, schemas_dir: Path, problems: list[Problem]) -> None:
    if schema is None:
        doc.valid = False
        problems.append(
            doc.problem("", f"缺少 {display_path(schemas_dir / doc.kind.schema)}，无法校验{doc.kind.label}文件")
        )
        return
    doc.index = schema.index
    key = (schema.digest, doc.digest)
    if key not in _VALIDATED or not doc.digest:
        if len(_VALIDATED) > 1024:
            _VALIDATED.clear()
        _VALIDATED[key] = schema_messages(doc.data, schema.data)
    for dotted, message, at_key in _VALIDATED[key]:
        doc.valid = False
        problems.append(doc.problem(dotted, message, key=at_key))


def collect(root: Path, extra_files: tuple[Path, ...] | list[Path] = (), *, schemas_dir: Path = SCHEMAS) -> Collected:
    """Parse, validate and cross-check ``root`` (plus files outside it); never raises for bad input."""
    from generator.content.checks import run_checks

    root = Path(root)
    problems: list[Problem] = []
    docs: list[Doc] = []
    if not root.is_dir():
        what = "不是目录" if root.exists() else "不存在"
        problems.append(Problem(display_path(root), 0, 0, f"内容目录{what}"))
    known: set[Path] = set()
    if root.is_dir():
        for kind in KINDS:
            for path in _files_of(root / kind.name):
                known.add(safe_resolve(path))
                link = _link_problem(path, root)
                if link is not None:
                    problems.append(link)
                    continue
                doc = _parse(kind, path, problems)
                if doc is not None:
                    docs.append(doc)
    for path in extra_files:
        path = Path(path)
        if safe_resolve(path) in known:
            continue
        known.add(safe_resolve(path))
        doc = _parse(_kind_for(path), path, problems, in_root=False)
        if doc is not None:
            docs.append(doc)

    schemas: dict[str, Schema | None] = {}
    broken: set[str] = set()
    for doc in docs:
        name = doc.kind.name
        if name not in schemas and name not in broken:
            try:
                schemas[name] = load_schema(doc.kind.schema, schemas_dir)
            except (OSError, ValueError) as err:
                broken.add(name)
                problems.append(
                    Problem(
                        display_path(schemas_dir / doc.kind.schema),
                        0,
                        0,
                        f"无法读取 JSON Schema：{' '.join(str(err).split())}",
                    )
                )
        if name in broken:
            doc.valid = False
            continue
        _validate(doc, schemas[name], schemas_dir, problems)

    # A value the schema already rejected (e.g. a date pattern) is not reported twice.
    taken = {(p.path, p.line, p.col) for p in problems}
    problems.extend(p for p in run_checks(docs) if (p.path, p.line, p.col) not in taken)
    return Collected(content=_assemble(root, docs), docs=docs, problems=problems)


def _assemble(root: Path, docs: list[Doc]) -> Content:
    files: dict[str, Path] = {}
    content = Content(positions=PositionMap(files), files=files, root=root)
    notices, templates = {}, {}
    for doc in docs:
        if doc.kind.name == "notices":
            notices[str(doc.data.get("id", doc.stem))] = doc
        elif doc.kind.name == "templates":
            templates[str(doc.data.get("id", doc.stem))] = doc
        elif doc.kind.name == "rules":
            for rule in doc.data.get("rules") or ():
                if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                    content.shared_rules.setdefault(rule["id"], rule)
        elif doc.kind.name == "holidays":
            content.holidays[doc.stem] = doc.data
        posix = doc.path.as_posix()
        dict.update(content.positions, {(posix, dotted): pos for dotted, pos in doc.values.items()})
    for tid in sorted(templates):
        content.templates[tid] = templates[tid].data
        files.setdefault(tid, templates[tid].path)
    for nid in sorted(notices):
        content.notices[nid] = notices[nid].data
        files[nid] = notices[nid].path
    content.holidays = dict(sorted(content.holidays.items()))
    return content


def load_content(root: Path, *, schemas_dir: Path = SCHEMAS) -> Content:
    """All content under ``root``, validated; ContentError with every problem otherwise."""
    result = collect(Path(root), schemas_dir=schemas_dir)
    if result.problems:
        raise ContentError(result.problems)
    return result.content


__all__ = ["Content", "ContentError", "Doc", "KINDS", "load_content", "collect", "human_path"]
