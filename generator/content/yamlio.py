"""Strict YAML loading that keeps the line and column of every node.

``load_yaml(path)`` returns a :class:`Loaded`: the document as plain ``dict``/``list``/``str``/
``int``/``float``/``bool``/``None`` (ready for JSON Schema validation and JSON output) and two
position maps keyed by dotted path (``timeline.2.end``; the document itself is ``""``):
``values`` (where each node starts) and ``keys`` (where each mapping key starts). Lines and
columns are 1-based.

Dates stay strings: the resolver has no timestamp rule, so ``2025-09-01`` is ``"2025-09-01"``.
Rejected, each as one :class:`~generator.errors.Problem` (``path:line:col: 中文消息``):
files over 1 MB, symlink loops and special files (devices, pipes), bytes that are not UTF-8,
tabs in indentation, malformed YAML, duplicate keys, anchors and aliases (content never needs
them, and refusing them defeats alias bombs), more than MAX_NODES nodes or MAX_DEPTH levels,
integers longer than MAX_INT_DIGITS digits, control characters in text, non-string keys, an
empty file and more than one document. Every limit is checked while parsing, so hostile input
costs at most about a second.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.scalarstring import FoldedScalarString

from generator.errors import ContentError, Problem, display_path

MAX_BYTES = 1_000_000
# Bounds checked while parsing, before anything expensive is built: the largest real notice has
# about 900 nodes and 4 levels; a 1 MB file of 490,000 list items would take minutes and gigabytes.
MAX_NODES = 10_000
MAX_DEPTH = 64
MAX_INT_DIGITS = 30  # Python refuses to convert integers of more than 4300 digits (ValueError)
# Control characters other than tab and newline, and the Unicode controls that reorder or hide
# text (bidi overrides, zero-width joiners are allowed): never part of a notice's text.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _NoTimestampResolver(VersionedResolver):
    """The YAML 1.2 resolver minus the timestamp rule: dates and times load as strings."""

    @property
    def versioned_resolver(self) -> Any:
        version = self.processing_version
        if isinstance(version, str):
            version = tuple(map(int, version.split(".")))
        if version not in self._version_implicit_resolver:
            for versions, tag, regexp, first in implicit_resolvers:
                if version in versions and tag != _TIMESTAMP:
                    self.add_version_implicit_resolver(version, tag, regexp, first)
        table = self._version_implicit_resolver[version]
        # VersionedResolver.resolve() extends the list it gets with "+=": hand out copies.
        return {ch: list(rules) for ch, rules in table.items()}


class _AnchorError(MarkedYAMLError):
    pass


class _LimitError(MarkedYAMLError):
    pass


class _NoAliasComposer(Composer):
    """Refuses anchors (&name) and aliases (*name) before anything is built from them, and stops
    at MAX_NODES nodes (counted as they are composed, so a huge file costs no more than that)."""

    _nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            event = self.parser.peek_event()
            raise _LimitError(None, None, f"nodes:{MAX_NODES}", event.start_mark)
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _AnchorError(None, None, f"alias:{event.anchor}", event.start_mark)
        event = self.parser.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise _AnchorError(None, None, f"anchor:{event.anchor}", event.start_mark)
        return super().compose_node(parent, index)


class _BoundedConstructor(RoundTripConstructor):
    """Integers longer than MAX_INT_DIGITS are an error with a position, not a ValueError."""

    def construct_yaml_int(self, node: Any) -> Any:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise _LimitError(None, None, f"int:{digits}", node.start_mark)
        return super().construct_yaml_int(node)


_BoundedConstructor.add_constructor("tag:yaml.org,2002:int", _BoundedConstructor.construct_yaml_int)


def make_yaml() -> YAML:
    """A round-trip YAML instance with the project's rules (also usable for writing files)."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _NoTimestampResolver
    yaml.Composer = _NoAliasComposer
    yaml.Constructor = _BoundedConstructor
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    return yaml


@dataclass
class Loaded:
    data: Any
    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""  # sha256 of the text, identifies the document for caches
    header: str = ""  # the first line (editors' "# yaml-language-server: $schema=..." line)
    # (dotted path, text) of every string value in document order, as the parser met them (the
    # fast path), for the checks that look at every text (content/checks.py); None: not recorded.
    strings: list[tuple[str, str]] | None = None


# Folding (``>``) joins lines with a space; between Chinese characters or punctuation that
# space is not text the editor wrote, only a line break in the file.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_FOLD_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def fold_cjk(text: str) -> str:
    """Undo the spaces that YAML folding inserts between two Chinese characters."""
    return _FOLD_SPACE.sub("", text)


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def human_path(dotted: str) -> str:
    """``timeline.2.end`` → ``timeline[2].end`` (how messages name a field)."""
    out = ""
    for part in dotted.split(".") if dotted else []:
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


# ruamel's English problems → Chinese; anything else is shown after a Chinese lead.
_TRANSLATIONS = [
    (r"mapping values are not allowed here", "此处不能出现“键: 值”：冒号后的内容含“: ”时请加引号，或检查缩进"),
    (r"could not find expected ':'", "缺少冒号“:”：键与值之间要写“: ”（冒号后加空格）"),
    (r"expected <block end>, but found '<block sequence start>'", "列表项“- ”的缩进与上文不一致"),
    (r"expected <block end>, but found '<block mapping start>'", "缩进不一致：这一行与同级的键缩进不同"),
    (r"expected <block end>, but found", "缩进不一致或多余的内容：请检查这一行与上一行的缩进"),
    (r"expected a single document", "文件中只能有一个文档（不要用第二个 ---）"),
    (r"found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    (r"found unknown escape character", "双引号字符串中有无效的转义（\\ 后的字符）；如需反斜杠请用单引号"),
    (r"while scanning a quoted scalar", "引号没有闭合"),
    (r"found undefined tag handle|found unknown tag", "不支持的 YAML 标签（!xxx）"),
    (
        r"found character '%' that cannot start any token|found character '@' that cannot start any token|found character '`' that cannot start any token",
        "以 % @ ` 开头的值必须加引号",
    ),
    (r"expected ',' or '\]'", "方括号列表 [...] 没有正确闭合或缺少逗号"),
    (r"expected ',' or '}'", "花括号映射 {...} 没有正确闭合或缺少逗号"),
    (r"found character '\\t' that cannot start any token", "这里有制表符（Tab）：请改用空格，或把整个值放进引号"),
    (r"expected the node content, but found '<stream end>'", "文件意外结束：这里缺少值"),
    (r"expected the node content, but found", "这里缺少值（或多了一个逗号、括号）"),
    (
        r"expected alphabetic or numeric character",
        "锚点、别名或标签（& * ! 之后）的名字只能是字母或数字；以 & * ! 开头的文字请加引号",
    ),
    (r"expected chomping or indentation indicators", "块文字 | 或 > 后面只能跟 + - 或缩进数字，正文要另起一行"),
    (r"expected '<document start>', but found", "文档在这里之前已经结束：多余的内容，请检查缩进"),
    (r"expected ' ', but found", "这里需要一个空格"),
    (r"found character '(.)' that cannot start any token", "字符 {0} 不能出现在值的开头：请给这个值加引号"),
    (r"unacceptable character (#x[0-9a-fA-F]+)", "文件中有不允许的控制字符 {0}：请删除"),
    (
        r"expected URI|expected '!' but found|expected '>' but found",
        "不支持的 YAML 标签（!xxx）：以 ! 开头的文字请加引号",
    ),
    (r"expected indentation indicator", "块文字 | 或 > 后面只能跟 + - 或缩进数字，正文要另起一行"),
    (r"maximum depth of data structure exceeded", "嵌套层次过深"),
]


def _translate(problem: str) -> str:
    for pattern, chinese in _TRANSLATIONS:
        m = re.search(pattern, problem)
        if m:
            return chinese.format(*m.groups()) if m.groups() else chinese
    return f"YAML 语法错误（{' '.join(problem.split())}）"


def _fail(path: str, line: int, col: int, message: str) -> ContentError:
    return ContentError([Problem(path, line, col, message.replace("\n", " "))])


def _tab_problem(text: str, shown: str) -> Problem | None:
    if "\t" not in text:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        indent = re.match(r"[ \t]*", line).group(0)
        if "\t" in indent and line.strip() and not line.lstrip(" \t").startswith("#"):
            return Problem(
                shown, number, indent.index("\t") + 1, "缩进中有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"
            )
    return None


def read_text(path: Path, shown: str | None = None) -> str:
    """The file as text, or a ContentError naming the file (missing, too big, not UTF-8, a
    symlink loop, or not a regular file such as a link to /dev/zero or a named pipe)."""
    shown = shown or display_path(path)
    try:
        info = os.stat(path)  # follows links: ELOOP for a loop, the target's type otherwise
        if stat.S_ISDIR(info.st_mode):
            raise _fail(shown, 0, 0, "这是一个目录，不是文件")
        if not stat.S_ISREG(info.st_mode):
            raise _fail(shown, 0, 0, "不是普通文件（设备、管道或套接字）：内容文件只能是普通的 YAML 文件")
        if info.st_size > MAX_BYTES:
            raise _fail(shown, 0, 0, f"文件过大（{info.st_size} 字节）：内容文件不能超过 1 MB")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
                raise _fail(shown, 0, 0, "不是普通文件：内容文件只能是普通的 YAML 文件")
            with os.fdopen(fd, "rb", closefd=False) as handle:
                raw = handle.read(MAX_BYTES + 1)
        finally:
            os.close(fd)
        if len(raw) > MAX_BYTES:
            raise _fail(shown, 0, 0, "文件过大：内容文件不能超过 1 MB")
    except ContentError:
        raise
    except FileNotFoundError:
        what = "符号链接指向的文件不存在" if os.path.islink(path) else "文件不存在"
        raise _fail(shown, 0, 0, what) from None
    except IsADirectoryError:
        raise _fail(shown, 0, 0, "这是一个目录，不是文件") from None
    except PermissionError:
        raise _fail(shown, 0, 0, "无权读取此文件") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _fail(shown, 0, 0, "符号链接循环：链接最终指回自身，无法读取") from None
        if err.errno == errno.ENAMETOOLONG:
            raise _fail(shown, 0, 0, "路径过长") from None
        raise _fail(shown, 0, 0, f"无法读取文件：{err.strerror or err}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise _fail(
            shown,
            line,
            col,
            f"文件不是 UTF-8 编码（第 {err.start + 1} 个字节 0x{raw[err.start]:02x} 无效）：请另存为 UTF-8",
        ) from None


def load_yaml(path: Path, shown: str | None = None) -> Loaded:
    shown = shown or display_path(path)
    return parse_yaml(read_text(path, shown), shown)


# Round-trip parsing is pure Python and slow (~0.1 s per notice); the same text parsed again in
# the same process (tests, mkdocs serve rebuilds, check after build) comes from this cache.
_CACHE: dict[tuple[str, str], Loaded | ContentError] = {}
_CACHE_SIZE = 512


def parse_yaml(text: str, shown: str) -> Loaded:
    """Parse one YAML document; raise ContentError with one problem if it is not acceptable."""
    key = (shown, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    cached = _CACHE.get(key)
    if cached is None:
        try:
            cached = _parse(text, shown)
        except ContentError as err:
            cached = err
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    if isinstance(cached, ContentError):
        raise ContentError(list(cached.problems))
    return Loaded(
        _copy(cached.data),
        dict(cached.values),
        dict(cached.keys),
        key[1],
        text.split("\n", 1)[0].rstrip("\r"),
        None if cached.strings is None else list(cached.strings),
    )


def _copy(node: Any) -> Any:
    """A copy of a loaded document (dicts, lists and immutable scalars only): what
    ``copy.deepcopy`` gives, at a fraction of its cost (no memo, no dispatch)."""
    kind = type(node)
    if kind is dict:
        return {key: _copy(value) for key, value in node.items()}
    if kind is list:
        return [_copy(value) for value in node]
    return node


def _parse(text: str, shown: str) -> Loaded:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _fail(shown, 0, 0, "文件过大：内容文件不能超过 1 MB")
    tab = _tab_problem(text, shown)
    if tab is not None:
        raise ContentError([tab])
    fast = _fast_parse(text)
    if fast is not None:
        return fast
    yaml = make_yaml()
    try:
        data = yaml.load(text)
    except DuplicateKeyError as err:
        mark = err.problem_mark
        key = re.search(r'found duplicate key "(.*)" with value', err.problem or "")
        name = key.group(1) if key else ""
        first = err.context_mark
        where = f"（第一次出现在第 {first.line + 1} 行）" if first is not None else ""
        raise _fail(
            shown, mark.line + 1, mark.column + 1, f"重复的键 {name}{where}：同一映射中每个键只能出现一次"
        ) from None
    except _LimitError as err:
        mark = err.problem_mark
        kind, value = err.problem.split(":", 1)
        if kind == "nodes":
            message = f"文件中的条目过多（超过 {value} 个）：内容文件不会有这么多条目，请检查是否误粘贴了数据"
        else:
            message = f"整数过长（{value} 位）：请检查这个数字；如是编号或文字，请加引号"
        raise _fail(shown, mark.line + 1, mark.column + 1, message) from None
    except _AnchorError as err:
        mark = err.problem_mark
        kind, name = err.problem.split(":", 1)
        what = f"别名 *{name}" if kind == "alias" else f"锚点 &{name}"
        raise _fail(
            shown,
            mark.line + 1,
            mark.column + 1,
            f"不支持 YAML {what}：内容文件中请直接写出完整的值（锚点和别名可被用来构造无限展开的文件）",
        ) from None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or ""
        if isinstance(err, ComposerError) and "expected a single document" in (err.context or ""):
            problem = "expected a single document"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        message = _translate(problem)
        start = err.context_mark
        if (
            start is not None
            and mark is not None
            and start.line != mark.line
            and problem != "expected a single document"
        ):
            message += f"（相关位置：第 {start.line + 1} 行第 {start.column + 1} 列）"
        raise _fail(shown, line, col, message) from None
    except ReaderError as err:
        before = text[: err.position]
        line = before.count("\n") + 1
        col = err.position - (before.rfind("\n") + 1) + 1
        raise _fail(
            shown,
            line,
            col,
            f"文件中有不允许的控制字符 U+{ord(err.character) if isinstance(err.character, str) else err.character:04X}：请删除",
        ) from None
    except YAMLError as err:
        raise _fail(shown, 0, 0, _translate(str(err))) from None
    except RecursionError:
        raise _fail(shown, 0, 0, "嵌套层次过深") from None
    except ValueError as err:  # e.g. a number ruamel cannot convert
        raise _fail(shown, 0, 0, f"无法解析的值（{' '.join(str(err).split())[:120]}）") from None
    if data is None:
        raise _fail(shown, 1, 1, "文件是空的：应包含一个 YAML 映射（键: 值）")
    loaded = Loaded(data=None)
    problems: list[Problem] = []
    loaded.values[""] = (1, 1)
    loaded.data = _plain(data, "", loaded, problems, shown)
    loaded.values[""] = (1, 1)  # the document itself, even where a key "" at the top shares its path
    if problems:
        raise ContentError(problems)
    return loaded


def _plain(node: Any, path: str, loaded: Loaded, problems: list[Problem], shown: str) -> Any:
    """Convert ruamel's round-trip objects to plain Python, recording positions."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        tag = getattr(getattr(node, "tag", None), "value", None)
        if tag and tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            line, col = loaded.values.get(path, (0, 0))
            problems.append(
                Problem(shown, line, col, f"不支持的 YAML 标签 {tag.replace('tag:yaml.org,2002:', '!!')}：请删除标签")
            )
            return None
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        merged_reported = False
        for key, value in node.items():
            try:
                position = node.lc.key(key)
            except KeyError:
                position = None
            if position is None:  # a key brought in by a merge key (<<): it has no place in the file
                if not merged_reported:
                    line, col = loaded.values.get(path, (0, 0))
                    problems.append(Problem(shown, line, col, "不支持 YAML 合并键 <<：请在这里直接写出完整的键和值"))
                    merged_reported = True
                continue
            kline, kcol = position
            if not isinstance(key, str):
                shown_key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                problems.append(
                    Problem(shown, kline + 1, kcol + 1, f"键 {shown_key} 不是字符串：请给键加引号或改用文字键")
                )
                continue
            sub = join(path, str(key))
            loaded.keys[sub] = (kline + 1, kcol + 1)
            vline, vcol = node.lc.value(key)
            loaded.values[sub] = (vline + 1, vcol + 1)
            out[str(key)] = _plain(value, sub, loaded, problems, shown)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            line, col = node.lc.item(i) or (loaded.values.get(path, (1, 1))[0] - 1, 0)
            sub = join(path, i)
            loaded.values[sub] = (line + 1, col + 1)
            items.append(_plain(value, sub, loaded, problems, shown))
        return items
    if isinstance(node, bool) or type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        text = fold_cjk(str(node)) if isinstance(node, FoldedScalarString) else str(node)
        bad = CONTROL_CHARS.search(text)
        if bad:
            line, col = loaded.values.get(path, (0, 0))
            problems.append(
                Problem(shown, line, col, f"文字中有控制字符 U+{ord(bad.group()):04X}：请删除（复制粘贴时常会带入）")
            )
        return text
    if node is None:
        return None
    line, col = loaded.values.get(path, (0, 0))
    problems.append(Problem(shown, line, col, f"不支持的值类型 {type(node).__name__}"))
    return None


# ---------------------------------------------------------------------------------------------
# Fast path. ruamel's round-trip parser is pure Python (~0.1 s of CPU per notice, most of a
# build at hundreds of notices). An ordinary, valid document is read instead from the event
# stream of libyaml (PyYAML's C parser, installed with MkDocs), giving the same data and the
# same positions; the moment anything is unusual (an anchor or alias, a tag, a duplicate or
# non-string key, a scalar that is not plainly a string, bool, null or simple number, a YAML
# directive, Unicode line separators or control characters, more than one document, more than
# MAX_NODES nodes or nesting near MAX_DEPTH, an integer near MAX_INT_DIGITS, any parser error)
# the fast path gives up and ruamel parses the text, so every problem is still reported by the
# code above, in Chinese, at its line and column. tests/test_loader.py checks that both paths
# give identical results for every content file.

_FAST_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_FAST_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_FAST_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_FAST_NULL = {"", "~", "null", "Null", "NULL"}
_NOT_FAST_TEXT = re.compile("[\t\x85\u2028\u2029]")


class _GiveUp(Exception):
    pass


def _plain_scalar_resolvers():
    table: dict[str, list] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions and tag != _TIMESTAMP:
            for ch in first or [None]:
                table.setdefault(ch, []).append((tag, regexp))
    return table


_RESOLVERS: dict | None = None
# Plain scalar text → its value (or _GIVE_UP): ids, booleans and the like recur in every notice.
_PLAIN_VALUES: dict[str, Any] = {}
_GIVE_UP = object()


def _resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted, untagged, non-empty) scalar, or _GIVE_UP."""
    global _RESOLVERS
    if _RESOLVERS is None:
        _RESOLVERS = _plain_scalar_resolvers()
    tag = "tag:yaml.org,2002:str"
    for t, regexp in _RESOLVERS.get(value[:1] if value else "", []) + _RESOLVERS.get(None, []):
        if regexp.match(value):
            tag = t
            break
    if value in _FAST_NULL and tag.endswith(":null"):
        return None
    if tag.endswith(":str"):
        return value
    if tag.endswith(":bool") and value in _FAST_BOOL:
        return _FAST_BOOL[value]
    if tag.endswith(":int") and _FAST_INT.match(value) and len(value) <= MAX_INT_DIGITS:
        return int(value)
    if tag.endswith(":float") and _FAST_FLOAT.match(value):
        return float(value)
    return _GIVE_UP


def _fast_scalar(event) -> Any:
    if event.tag is not None and not event.implicit[0] and not event.implicit[1]:
        raise _GiveUp  # an explicit tag (!!str, !x)
    value = event.value
    style = event.style
    # The text has no control characters (_fast_parse): only a double-quoted escape makes one.
    if style == '"' and CONTROL_CHARS.search(value):
        raise _GiveUp  # e.g. "\x07" written as an escape: ruamel's path reports it
    if style == ">":
        return fold_cjk(value)
    if style:  # quoted or literal (libyaml gives "" for plain): text as written
        if event.tag not in (None, "!"):
            raise _GiveUp
        return value
    if not value:
        raise _GiveUp  # an empty value: ruamel places it at the next token
    result = _PLAIN_VALUES.get(value, _PLAIN_VALUES)
    if result is _PLAIN_VALUES:
        result = _resolve_plain(value)
        if len(_PLAIN_VALUES) > 50_000:
            _PLAIN_VALUES.clear()
        _PLAIN_VALUES[value] = result
    if result is _GIVE_UP:
        raise _GiveUp
    return result


def _fast_parse(text: str) -> Loaded | None:
    """The document through libyaml, or None when ruamel must decide (see above)."""
    try:
        import yaml as pyyaml

        loader_class = pyyaml.CSafeLoader
    except (ImportError, AttributeError):
        return None
    if _NOT_FAST_TEXT.search(text) or CONTROL_CHARS.search(text):
        return None  # ruamel's path reports control characters where they are
    loader = loader_class(text)
    loaded = Loaded(data=None, strings=[])
    loaded.values[""] = (1, 1)
    try:
        return _fast_document(loader, loaded)
    except (_GiveUp, pyyaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()


def _event_types():
    from yaml import events as ev

    return ev


def _fast_document(loader, loaded: Loaded) -> Loaded | None:
    ev = _event_types()
    event = loader.get_event()
    if not isinstance(event, ev.StreamStartEvent):
        raise _GiveUp
    event = loader.get_event()
    if not isinstance(event, ev.DocumentStartEvent) or event.version or event.tags:
        raise _GiveUp
    data = _FastReader(loader, loaded).node(loader.get_event(), "", 0)
    if not isinstance(loader.get_event(), ev.DocumentEndEvent):
        raise _GiveUp
    if not isinstance(loader.get_event(), ev.StreamEndEvent):
        raise _GiveUp  # a second document: ruamel words the problem
    if data is None:
        raise _GiveUp  # empty file: ruamel's path words the problem
    loaded.data = data
    return loaded


class _FastReader:
    """Builds the document from libyaml's events, recording every position (one object per file)."""

    def __init__(self, loader, loaded: Loaded) -> None:
        ev = _event_types()
        self.get_event = loader.get_event
        self.values = loaded.values
        self.keys = loaded.keys
        self.strings = loaded.strings
        self.count = 0
        self.scalar, self.alias = ev.ScalarEvent, ev.AliasEvent
        self.seq_start, self.seq_end = ev.SequenceStartEvent, ev.SequenceEndEvent
        self.map_start, self.map_end = ev.MappingStartEvent, ev.MappingEndEvent

    def node(self, event, path: str, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth >= MAX_DEPTH - 2:
            raise _GiveUp  # ruamel's path stops at the limit and says where
        kind = type(event)
        if kind is self.alias or getattr(event, "anchor", None) is not None:
            raise _GiveUp
        if kind is self.scalar:
            value = _fast_scalar(event)
            if type(value) is str:
                self.strings.append((path, value))
            return value
        prefix = path + "." if path else ""
        values = self.values
        if kind is self.seq_start:
            if event.tag is not None and not event.implicit:
                raise _GiveUp
            items: list = []
            get_event, end = self.get_event, self.seq_end
            while True:
                item = get_event()
                if type(item) is end:
                    return items
                sub = f"{prefix}{len(items)}"
                mark = item.start_mark
                values[sub] = (mark.line + 1, mark.column + 1)
                items.append(self.node(item, sub, depth + 1))
        if kind is self.map_start:
            if event.tag is not None and not event.implicit:
                raise _GiveUp
            out: dict[str, Any] = {}
            get_event, end, scalar, keys = self.get_event, self.map_end, self.scalar, self.keys
            while True:
                key_event = get_event()
                kind = type(key_event)
                if kind is end:
                    return out
                if kind is not scalar:
                    raise _GiveUp  # a complex key
                key = _fast_scalar(key_event)
                if type(key) is not str or key in out or key == "<<" or not key:
                    raise _GiveUp  # non-string, duplicate, merge or empty key (ruamel's path)
                sub = prefix + key
                mark = key_event.start_mark
                keys[sub] = (mark.line + 1, mark.column + 1)
                value_event = get_event()
                mark = value_event.start_mark
                values[sub] = (mark.line + 1, mark.column + 1)
                out[key] = self.node(value_event, sub, depth + 1)
        raise _GiveUp
