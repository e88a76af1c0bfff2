"""Cross-file and semantic checks that JSON Schema cannot express.

Each check is a small function ``check(docs) -> Iterable[Problem]`` registered in the explicit
tuple :data:`CHECKS`. Generic checks (dates, URLs, ids) look at every parsed file; checks that
rely on a notice's structure only look at notices that passed their JSON Schema. All checks run;
none stops at the first problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from generator.content.validate import suggest
from generator.engine import clock
from generator.errors import Problem

DATE_RE = clock.DATE_LIKE
FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
_HTTP = re.compile(r"^https?://", re.I)


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every node, depth first, the node itself first."""
    yield from _walk_list(node, path)


def _walk_list(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """``list(walk(node, path))``, without a generator per node (86,000 nodes at 100 notices)."""
    out: list[tuple[str, Any]] = []
    stack = [(path, node)]
    pop, push, append = stack.pop, stack.extend, out.append
    while stack:
        here, value = pop()
        append((here, value))
        if isinstance(value, dict):
            prefix = here + "." if here else ""
            push(reversed([(prefix + str(key), child) for key, child in value.items()]))
        elif isinstance(value, list):
            prefix = here + "." if here else ""
            push(reversed([(prefix + str(i), child) for i, child in enumerate(value)]))
    return out


def nodes(doc) -> list[tuple[str, Any]]:
    """``walk(doc.data)``, computed once per document."""
    cached = doc.__dict__.get("_nodes")
    if cached is None:
        cached = doc.__dict__["_nodes"] = _walk_list(doc.data)
    return cached


def strings(doc) -> list[tuple[str, str]]:
    """The text nodes of ``nodes(doc)``: as the YAML parser recorded them (``doc.strings``, the
    same list in the same order), else computed once per document."""
    recorded = getattr(doc, "strings", None)
    if recorded is not None:
        return recorded
    cached = doc.__dict__.get("_strings")
    if cached is None:
        cached = doc.__dict__["_strings"] = [(path, value) for path, value in nodes(doc) if isinstance(value, str)]
    return cached


def _date_like(value: str) -> bool:
    """A quick test every string DATE_RE matches (``YYYY-``, at least 10 characters)."""
    return len(value) >= 10 and value[4] == "-"


date_error = clock.date_problem


def instant(text: str, *, end: bool = False):
    """A date or date-time string as an aware datetime (a bare end date: 24:00), or None if not real."""
    return clock.instant_or_none(text, end=end)


# ---------------------------------------------------------------- generic checks (all files)


def check_dates(docs) -> Iterable[Problem]:
    """Impossible dates and times anywhere a date-like string appears (2025-02-30, 2025-13-01)."""
    for doc in docs:
        for path, value in strings(doc):
            if _date_like(value):
                why = date_error(value)
                if why:
                    yield doc.problem(path, f"{doc.field(path)}：日期 {value} 不存在（{why}）")


def check_urls(docs) -> Iterable[Problem]:
    """Every http(s) address has a host with a dot and no full-width characters."""
    for doc in docs:
        for path, value in strings(doc):
            if not (value[:4].lower() == "http" and _HTTP.match(value)):
                continue
            bad = FULL_WIDTH.search(value)
            if bad:
                yield doc.problem(
                    path, f"{doc.field(path)}：网址 {value} 中有全角字符“{bad.group(0)}”，网址只能用半角字符"
                )
                continue
            try:
                host = urlsplit(value).hostname or ""
            except ValueError:
                host = ""
            if not host:
                yield doc.problem(path, f"{doc.field(path)}：网址 {value} 缺少主机名")
            elif not host.isascii():
                yield doc.problem(path, f"{doc.field(path)}：网址 {value} 的主机名 {host} 含非 ASCII 字符")
            elif "." not in host.strip(".") and host != "localhost":
                yield doc.problem(
                    path, f"{doc.field(path)}：网址 {value} 的主机名 {host} 不完整（缺少域名后缀，如 .gov.cn）"
                )


def check_schema_header(docs) -> Iterable[Problem]:
    """Content files start with the editor's schema line, naming the schema of their kind."""
    for doc in docs:
        if not doc.in_root:
            continue
        m = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)\s*$", doc.header)
        wanted = f"# yaml-language-server: $schema=../../schemas/{doc.kind.schema}"
        if not m:
            yield Problem(doc.shown, 1, 1, f"第一行应为 {wanted}（编辑器据此提供补全与悬停说明）")
        elif m.group(1).rsplit("/", 1)[-1] != doc.kind.schema:
            yield Problem(doc.shown, 1, 1, f"第一行引用的 {m.group(1)} 不是{doc.kind.label}的 schema，应为 {wanted}")


def check_ids(docs) -> Iterable[Problem]:
    """Notice and template ids equal the file name and are unique; holiday files are named by year."""
    for kind in ("notices", "templates"):
        seen: dict[str, Any] = {}
        for doc in (d for d in docs if d.kind.name == kind):
            ident = doc.data.get("id")
            if not isinstance(ident, str):
                ident = doc.stem if kind == "templates" else None
                if ident is None:
                    continue
            elif ident != doc.stem:
                yield doc.problem("id", f"{doc.field('id')}：{ident} 与文件名 {doc.path.name} 不一致，应为 {doc.stem}")
            if ident in seen:
                other = seen[ident]
                line = other.position("id")[0]
                yield doc.problem(
                    "id", f"{doc.field('id')}：{doc.kind.label}标识 {ident} 重复，已在 {other.shown} 第 {line} 行使用"
                )
            else:
                seen[ident] = doc
    for doc in (d for d in docs if d.kind.name == "holidays"):
        year = doc.data.get("year")
        if not re.fullmatch(r"\d{4}", doc.stem):
            yield doc.problem("", f"节假日文件应以年份命名，如 2027.yaml，而不是 {doc.path.name}")
        elif isinstance(year, int) and str(year) != doc.stem:
            yield doc.problem("year", f"{doc.field('year')}：{year} 与文件名 {doc.path.name} 不一致")


def check_shared_rule_ids(docs) -> Iterable[Problem]:
    """Shared rule ids are unique across all files in content/rules/."""
    seen: dict[str, tuple] = {}
    for doc in (d for d in docs if d.kind.name == "rules"):
        rules = doc.data.get("rules")
        for i, rule in enumerate(rules if isinstance(rules, list) else ()):
            rid = rule.get("id") if isinstance(rule, dict) else None
            if not isinstance(rid, str):
                continue
            if rid in seen:
                other, where = seen[rid]
                yield doc.problem(
                    f"rules.{i}.id",
                    f"{doc.field(f'rules.{i}.id')}：共享规则标识 {rid} 重复，已在 {other.shown} 第 {other.position(where)[0]} 行使用",
                )
            else:
                seen[rid] = (doc, f"rules.{i}.id")


# ---------------------------------------------------------------- notice checks


def _notices(docs):
    """Every parsed notice, schema-valid or not: `check` reports schema and cross-file problems in one
    pass. A check that cannot read an invalid notice's shape is re-run without it (see run_checks)."""
    return [d for d in docs if d.kind.name == "notices"]


def check_timeline(docs) -> Iterable[Problem]:
    """Each phase ends no earlier than it starts; phases are listed in order of their start."""
    for doc in _notices(docs):
        previous = None
        for i, phase in enumerate(doc.data.get("timeline", ())):
            start = instant(phase.get("start", ""))
            end = instant(phase.get("end", ""), end=True)
            label = phase.get("label", "")
            if start and end and end < start:
                yield doc.problem(
                    f"timeline.{i}.end",
                    f"{doc.field(f'timeline.{i}.end')}：“{label}”的结束 {phase['end']} 早于开始 {phase['start']}",
                )
            if start:
                if previous and start < previous[1]:
                    j, before, prev_label, prev_text = previous
                    yield doc.problem(
                        f"timeline.{i}.start",
                        f"{doc.field(f'timeline.{i}.start')}：时间安排应按开始时间先后排列，“{label}”的开始 {phase['start']} "
                        f"早于上一节点 timeline[{j}]“{prev_label}”的开始 {prev_text}",
                    )
                previous = (i, start, label, phase["start"])


SKIP_YEAR_CHECK = {"rules", "parameters", "applies_when", "requires", "when"}


def check_years(docs) -> Iterable[Problem]:
    """Dates of a notice fall within its year ± 1 (catches 2205-09-01 and last year's copy)."""
    for doc in _notices(docs):
        year = doc.data.get("year")
        for path, value in strings(doc):
            if not _date_like(value) or not DATE_RE.match(value) or date_error(value):
                continue
            if SKIP_YEAR_CHECK & set(path.split(".")):
                continue
            y = int(value[:4])
            if not year - 1 <= y <= year + 1:
                yield doc.problem(
                    path,
                    f"{doc.field(path)}：日期 {value} 的年份 {y} 不在通知年度 {year} 前后一年内"
                    f"（{year - 1}–{year + 1}），是否写错了年份？",
                )


def check_templates_exist(docs) -> Iterable[Problem]:
    """Every ``template:`` a notice references is a file in content/templates/."""
    known = {
        d.data.get("id") if isinstance(d.data.get("id"), str) else d.stem for d in docs if d.kind.name == "templates"
    }
    known |= {d.stem for d in docs if d.kind.name == "templates"}
    for doc in _notices(docs):
        for path, value in strings(doc):
            if path.endswith("template") and path.rpartition(".")[2] == "template" and value not in known:
                guess = suggest(value, known)
                hint = f"你是不是想写 {guess}？" if guess else "content/templates/ 下没有这个文件"
                yield doc.problem(path, f"{doc.field(path)}：模板 {value} 不存在：{hint}")


def check_rule_refs(docs) -> Iterable[Problem]:
    """Every ``rules[].use`` names a shared rule of content/rules/."""
    shared = set()
    for d in docs:
        if d.kind.name == "rules" and isinstance(d.data.get("rules"), list):
            shared |= {r.get("id") for r in d.data["rules"] if isinstance(r, dict) and isinstance(r.get("id"), str)}
    for doc in _notices(docs):
        for i, rule in enumerate(doc.data.get("rules", ())):
            use = rule.get("use")
            if isinstance(use, str) and use not in shared:
                guess = suggest(use, shared)
                hint = f"你是不是想写 {guess}？" if guess else "content/rules/ 中没有这条规则"
                yield doc.problem(f"rules.{i}.use", f"{doc.field(f'rules.{i}.use')}：共享规则 {use} 不存在：{hint}")


NUMERALS = "一二三四五六七八九十百零〇"


def _cites(clause: str, number: str) -> bool:
    """Does ``clause`` lie under the source section ``number`` (``五、（三）1`` under ``五``)?"""
    if clause == number:
        return True
    if not clause.startswith(number):
        return False
    nxt = clause[len(number)]
    return not (nxt.isdigit() or nxt in NUMERALS)


def check_clauses(docs) -> Iterable[Problem]:
    """Each cited ``clause`` starts with a section listed in ``clauses`` (or an existing 附件N)."""
    for doc in _notices(docs):
        numbers = [c["number"] for c in doc.data.get("clauses", ())]
        attachments = {f"附件{a['number']}" for a in doc.data.get("attachments", ()) if "number" in a}
        known = numbers + sorted(attachments)
        by_first: dict[str, list[str]] = {}  # a clause can only lie under numbers it starts with
        for n in known:
            by_first.setdefault(n[:1], []).append(n)
        for path, value in strings(doc):
            if not path.endswith("clause") or path.rpartition(".")[2] != "clause":
                continue
            clause = value.strip()
            candidates = by_first.get(clause[:1], []) + (by_first.get("", []) if clause else [])
            if any(_cites(clause, n) for n in candidates):
                continue
            top = re.match(rf"附件\s*\d+|[{NUMERALS}]+|\S+?(?=[、，．.（(\s]|$)", value.strip())
            head = top.group(0) if top else value
            listed = "、".join(numbers[:20])
            yield doc.problem(
                path,
                f"{doc.field(path)}：引用的条款 {value} 的一级编号 {head} 不在本通知的 clauses 中（现有：{listed}）",
            )


def check_unique_within(docs) -> Iterable[Problem]:
    """Ids of list items (materials, policies, timeline phases, ...) are unique within a notice."""
    for doc in _notices(docs):
        for key, items in doc.data.items():
            if not isinstance(items, list):
                continue
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str) or key == "rules":
                    continue
                if ident in seen:
                    yield doc.problem(
                        f"{key}.{i}.id",
                        f"{doc.field(f'{key}.{i}.id')}：标识 {ident} 与 {key}[{seen[ident]}] 重复，同一列表中的标识必须唯一",
                    )
                else:
                    seen[ident] = i


def check_inferred(docs) -> Iterable[Problem]:
    """Every ``inferred[].field`` names a field that exists in the notice."""
    for doc in _notices(docs):
        for i, item in enumerate(doc.data.get("inferred", ())):
            field = item.get("field", "")
            dotted = re.sub(r"\[(\d+)\]", r".\1", field).lstrip(".")
            if doc.get(dotted, _MISSING) is _MISSING:
                yield doc.problem(
                    f"inferred.{i}.field", f"{doc.field(f'inferred.{i}.field')}：字段 {field} 在本通知中不存在"
                )


_MISSING = object()


def check_template_sources(docs) -> Iterable[Problem]:
    """A template's ``source.notices[].notice`` names an existing notice."""
    notices = {d.data.get("id") for d in docs if d.kind.name == "notices"}
    for doc in (d for d in docs if d.kind.name == "templates" and d.valid):
        source = doc.data.get("source")
        items = source.get("notices") if isinstance(source, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else ()):
            nid = item.get("notice") if isinstance(item, dict) else None
            if isinstance(nid, str) and nid not in notices:
                guess = suggest(nid, {n for n in notices if isinstance(n, str)})
                hint = f"你是不是想写 {guess}？" if guess else "content/notices/ 下没有这份通知"
                yield doc.problem(
                    f"source.notices.{i}.notice",
                    f"{doc.field(f'source.notices.{i}.notice')}：通知 {nid} 不存在：{hint}",
                )


def check_template_text(docs) -> Iterable[Problem]:
    """A template's {blanks} are defined and used, table rows add up (generator.attachments.forms)."""
    from generator.attachments.forms import check_template

    for doc in (d for d in docs if d.kind.name == "templates" and d.valid):
        for path, message in check_template(doc.data):
            yield doc.problem(path, f"{doc.field(path)}：{message}")


def check_holidays(docs) -> Iterable[Problem]:
    """Holiday years: dates near their year, adjusted workdays on weekends, no date in both lists."""
    for doc in (d for d in docs if d.kind.name == "holidays" and d.valid):
        year = doc.data["year"]
        holidays = set(doc.data["holidays"])
        for key in ("holidays", "workdays"):
            for i, value in enumerate(doc.data[key]):
                path = f"{key}.{i}"
                if date_error(value):
                    continue
                if not year - 1 <= int(value[:4]) <= year + 1:
                    yield doc.problem(path, f"{doc.field(path)}：日期 {value} 不在 {year} 年前后")
                elif key == "workdays":
                    day = clock.parse_date(value).weekday()
                    if day < 5:
                        names = "一二三四五"
                        yield doc.problem(
                            path,
                            f"{doc.field(path)}：{value} 是星期{names[day]}，"
                            f"调休上班日应是周六或周日（平日本来就上班）",
                        )
                    if value in holidays:
                        yield doc.problem(path, f"{doc.field(path)}：{value} 同时列在 holidays（放假日期）中")


def check_silent_on(docs) -> Iterable[Problem]:
    """A section is either filled in or declared silent (``silent_on``), never both."""
    for doc in _notices(docs):
        for i, key in enumerate(doc.data.get("silent_on") or ()):
            if isinstance(key, str) and key in doc.data:
                yield doc.problem(
                    f"silent_on.{i}",
                    f"{doc.field(f'silent_on.{i}')}：{key} 已经填写了内容，却又声明“原文未涉及”；删去其中之一",
                )


def check_applies_to(docs) -> Iterable[Problem]:
    """``applies_to`` does not repeat the notice's own region."""
    for doc in _notices(docs):
        own = (doc.data.get("region") or {}).get("slug")
        for i, slug in enumerate(doc.data.get("applies_to") or ()):
            if slug == own:
                yield doc.problem(
                    f"applies_to.{i}", f"{doc.field(f'applies_to.{i}')}：{slug} 是本通知自己的地区，无需列出"
                )


Check = Callable[[list], Iterable[Problem]]

# Explicit registry (name, function), run in this order.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("dates", check_dates),
    ("urls", check_urls),
    ("schema-header", check_schema_header),
    ("ids", check_ids),
    ("shared-rule-ids", check_shared_rule_ids),
    ("timeline", check_timeline),
    ("years", check_years),
    ("templates-exist", check_templates_exist),
    ("rule-refs", check_rule_refs),
    ("clauses", check_clauses),
    ("unique-within", check_unique_within),
    ("inferred", check_inferred),
    ("template-sources", check_template_sources),
    ("holidays", check_holidays),
    ("template-text", check_template_text),
    ("silent-on", check_silent_on),
    ("applies-to", check_applies_to),
)


def run_checks(docs) -> list[Problem]:
    problems: list[Problem] = []
    for _name, check in CHECKS:
        try:
            problems.extend(list(check(docs)))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            # A notice that failed its schema has a shape this check cannot read: its schema
            # problems are reported already; run the check on the rest.
            problems.extend(check([d for d in docs if d.valid or d.kind.name != "notices"]))
    return problems
