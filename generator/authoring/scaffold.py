"""``new --from ID --year YYYY [--id NEW_ID]``: a new notice, and its cases file, from an existing one.

Next year's notice of the same issuer (``--year``), or another issuer's notice in any year
(``--id``). The source file is copied with ruamel.yaml's round-trip mode (comments, key order,
quoting and the ``# yaml-language-server`` line survive); ``id``, ``year`` and the year in
``title`` / ``short_title`` / ``summary`` are updated; every date (timeline, issued_on, rule
conditions ...) is shifted by the year difference, and each shifted field gets a TODO entry in
``inferred`` telling the editor to confirm it against the new notice.

The source's data cases (``tests/cases/<from>.yaml``) are copied the same way into
``tests/cases/<new id>.yaml``: dates shifted, every case renamed ``[待核对] …`` for review.

Safety: the new id must match the notice id pattern (no ``/``, no ``..``), both files are written
only inside ``content/notices/`` and the cases folder, nothing is overwritten, and the two files
are written together or not at all.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from generator.authoring.cases import plain
from generator.engine import clock
from generator.errors import UserError, display_path

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/notice.schema.json"
TODO = "TODO 待核对"
# Integer year lists that move with the notice year (e.g. the continuing-education years).
YEAR_LISTS = (("parameters", "continuing_education", "years"),)


@dataclass
class Scaffold:
    path: Path
    new_id: str
    shifted: list[tuple[str, str, str]] = field(default_factory=list)  # (dotted, old, new)
    cases_path: Path | None = None
    cases: int = 0
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (case name, why) not copied


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def find_notice_file(content_dir: Path, notice_id: str) -> Path:
    notices = content_dir / "notices"
    direct = notices / f"{notice_id}.yaml"
    if direct.is_file():
        return direct
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(notice_id)}['\"]?\s*$", re.M)
    for path in sorted(notices.glob("*.yaml")) if notices.is_dir() else ():
        try:
            if pattern.search(path.read_text(encoding="utf-8")):
                return path
        except (OSError, UnicodeDecodeError):
            continue
    known = sorted(p.stem for p in notices.glob("*.yaml")) if notices.is_dir() else []
    raise UserError(f"找不到通知 {notice_id!r}（在 {display_path(notices)} 中）；已有：{'、'.join(known) or '（无）'}")


def _shift_date(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 2月29日 → 2月28日
        return d.replace(year=d.year + years, day=28)


def shift_value(value: str, years: int) -> str:
    parts = clock.split_date(value)
    if parts is None:
        return value
    day, rest = parts
    return _shift_date(day, years).isoformat() + rest


def _walk(
    node,
    path: list,
    years: int,
    shifted: list,
    skip_root_keys=("inferred", "id", "year", "source"),
    seen: set | None = None,
):
    """Shifts every date string (or date object) in place; records (dotted, old, new).

    Merged keys (``<<: *base``) are left to the node that defines them, and a node reached twice
    through an alias is shifted once.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CommentedMap):
        items = list(node.non_merged_items()) if hasattr(node, "non_merged_items") else list(node.items())
        for key, value in items:
            if not path and key in skip_root_keys:
                continue
            new = _shifted(value, years)
            if new is not None:
                node[key] = new
                shifted.append((".".join(map(str, path + [key])), _text(value), _text(new)))
            else:
                _walk(value, path + [key], years, shifted, skip_root_keys, seen)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(list(node)):
            new = _shifted(value, years)
            if new is not None:
                node[i] = new
                shifted.append((".".join(map(str, path + [i])), _text(value), _text(new)))
            else:
                _walk(value, path + [i], years, shifted, skip_root_keys, seen)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _shifted(value, years: int):
    if isinstance(value, datetime):
        return value.replace(year=_shift_date(value.date(), years).year)
    if isinstance(value, date):
        return _shift_date(value, years)
    if isinstance(value, str) and clock.split_date(value):
        new = shift_value(str(value), years)
        if isinstance(value, ScalarString):
            return type(value)(new)
        return new
    return None


def _replace_year(text, old: int, new: int):
    if not isinstance(text, str):
        return text
    replaced = re.sub(rf"(?<!\d){old}(?=\s*年)", str(new), str(text))
    if not isinstance(text, ScalarString):
        return replaced
    out = type(text)(replaced)
    if hasattr(text, "fold_pos") and len(replaced) == len(text):  # keep the folded line breaks
        out.fold_pos = list(text.fold_pos)
    return out


ID_RE = re.compile(r"^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$")
REVIEW = "[待核对] "
# Fields a notice of another issuer (``--id``) must certainly rewrite.
OTHER_ISSUER_FIELDS = ("issuer", "issuers", "region", "sub_area", "addressees", "contacts", "platforms")
# Source facts that describe the old document only: dropped from the copy.
SOURCE_FACTS_OF_THE_OLD_DOCUMENT = ("url", "retrieved_on", "verified_on", "file")


def check_new_id(new_id: str, year: int) -> str:
    """The new notice id, or a UserError saying why it cannot be one (never a path)."""
    if not isinstance(new_id, str) or "/" in new_id or "\\" in new_id or ".." in new_id or not ID_RE.match(new_id):
        raise UserError(
            f"--id：{new_id!r} 不是有效的通知标识。标识只能由小写字母、数字和连字符组成，"
            f"以四位年度开头，如 {year}-urumqi-gaoxin（不能含 / 或 ..）"
        )
    if not new_id.startswith(f"{year}-"):
        raise UserError(f"--id：{new_id} 应以新通知的年度 {year}- 开头（如 {year}-{new_id.split('-', 1)[-1]}）")
    return new_id


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().parent == folder.resolve()
    except OSError:
        return False


def _dump(y: YAML, data) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _still_holds(case: dict, evaluate_case) -> str | None:
    """None when the case's expectation holds for the new notice, else why not (Chinese)."""
    try:
        result = evaluate_case(case)
    except Exception as err:  # noqa: BLE001 - an engine error is a reason to review, not a crash
        return f"核验出错：{err}"
    expected = case.get("output") or {}
    failing = sorted(r["rule"] for r in result["reasons"] if r["outcome"] == "fail")
    if result["verdict"] != expected.get("verdict"):
        return f"结论由 {expected.get('verdict')} 变为 {result['verdict']}"
    if failing != sorted(expected.get("failing") or []):
        return f"不通过的规则由 {sorted(expected.get('failing') or [])} 变为 {failing}"
    if "unknown" in expected:
        unknown = sorted(
            r["rule"] for r in result["reasons"] if r["outcome"] == "unknown" and r["severity"] == "blocker"
        )
        if unknown != sorted(expected["unknown"]):
            return f"无法判断的规则由 {sorted(expected['unknown'])} 变为 {unknown}"
    reasons = {r["rule"]: r["outcome"] for r in result["reasons"]}
    for rule, outcome in (expected.get("outcomes") or {}).items():
        if reasons.get(rule, "absent") != outcome:
            return f"规则 {rule} 的结果由 {outcome} 变为 {reasons.get(rule, 'absent')}"
    return None


def _scaffold_cases(
    y: YAML, cases_src: Path, old_id: str, new_id: str, delta: int, evaluate_case=None
) -> tuple[str, int, list[tuple[str, str]]]:
    """The source's cases for the new notice: notice id replaced, dates shifted, names marked.

    With ``evaluate_case`` each shifted case is run against the new notice; a case whose
    expectation no longer holds (typically a count of working days across another year's
    holidays) is left out and returned as (name, why) for the editor to rewrite.
    """
    try:
        raw = cases_src.read_text(encoding="utf-8")
        cases = y.load(raw)
    except Exception as err:  # noqa: BLE001 - any parse error means "fix the source cases first"
        raise UserError(f"{display_path(cases_src)}: 无法读取来源通知的用例文件：{err}") from None
    if not isinstance(cases, CommentedSeq):
        raise UserError(f"{display_path(cases_src)}: 用例文件顶层应为列表")
    shifted: list = []
    _walk(cases, [], delta, shifted, skip_root_keys=())
    count = 0
    seen: set[int] = set()

    def shift_years(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, CommentedMap):
            own = list(node.non_merged_items()) if hasattr(node, "non_merged_items") else list(node.items())
            for key, value in own:
                if key == "year" and isinstance(value, int) and not isinstance(value, bool):
                    node[key] = value + delta
                else:
                    shift_years(value)
        elif isinstance(node, CommentedSeq):
            for value in node:
                shift_years(value)

    shift_years(cases)
    dropped: list[tuple[str, str]] = []
    for index in range(len(cases) - 1, -1, -1):
        case = cases[index]
        if not isinstance(case, CommentedMap):
            continue
        if case.get("notice") == old_id:
            case["notice"] = new_id
        if evaluate_case is not None and delta and case.get("notice") == new_id and "input" in case:
            why = _still_holds(plain(case), evaluate_case)
            if why is not None and not _anchors_in(case):
                dropped.append((str(case.get("name")), why))
                del cases[index]
                continue
        if isinstance(case.get("name"), str):
            case["name"] = f"{REVIEW}{new_id}：{case['name']}"
        count += 1
    dropped.reverse()
    lines = [line for line in raw.splitlines() if line.startswith("#")]
    header = "\n".join(
        [
            f"# 由 python -m generator new 从 {display_path(cases_src)} 生成（{old_id} → {new_id}"
            + (f"，日期顺延 {delta} 年" if delta else "")
            + "）。",
            f"# {TODO}：按新通知逐条核对每个用例的档案与预期结论，改正后去掉用例名称前的“{REVIEW.strip()}”；",
            "# 新通知增删的规则须各有一个使其不通过的用例（见编辑指南“用例文件”一节）。",
        ]
    )
    body = _dump(y, cases)
    if dropped:
        body += "\n# 以下来源用例顺延日期后预期不再成立（多为另一年度的节假日与调休使工作日数不同），未复制；\n"
        body += f"# {TODO}：请按新年度的日历改写后补回：\n"
        body += "".join(f"#   - {name}：{why}\n" for name, why in dropped)
    # ruamel keeps the leading comment block of the source in front of the first item; drop it.
    for line in lines:
        if body.startswith(line + "\n"):
            body = body[len(line) + 1 :]
    return header + "\n" + body, count, dropped


def _anchors_in(node) -> bool:
    """True when a node defines an anchor that other cases may refer to (it cannot be dropped)."""
    if getattr(getattr(node, "anchor", None), "value", None):
        return True
    if isinstance(node, CommentedMap):
        own = node.non_merged_items() if hasattr(node, "non_merged_items") else node.items()
        return any(_anchors_in(v) for _k, v in own)
    if isinstance(node, CommentedSeq):
        return any(_anchors_in(v) for v in node)
    return False


def _case_evaluator(content_dir: Path, new_id: str, notice_text: str):
    """evaluate(case) against the content plus the new notice, or None when the content does not load."""
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content
    from generator.content.yamlio import parse_yaml
    from generator.engine import evaluate
    from generator.errors import ContentError

    try:
        content = load_content(content_dir)
        content.notices[new_id] = parse_yaml(notice_text, f"{new_id}.yaml").data
        bundle = build_bundle(content)
    except (ContentError, UserError, OSError, ValueError):
        return None

    def run(case: dict) -> dict:
        return evaluate(bundle, case["notice"], case["input"], today=case.get("today"))

    return run


def _write_together(files: list[tuple[Path, str]]) -> None:
    """Writes every file or none: each goes to a temp file, then is linked in without overwriting."""
    import os
    import tempfile

    temps: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for target, text in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".new-", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            temps.append((target, Path(tmp)))
        for target, tmp in temps:
            try:
                os.link(tmp, target)  # fails if target exists: never overwrites, even in a race
            except FileExistsError:
                raise UserError(f"{display_path(target)} 已存在，未覆盖。要重新生成，请先删除或改名该文件。") from None
            done.append(target)
    except BaseException:
        for target in done:
            target.unlink(missing_ok=True)
        raise
    finally:
        for _target, tmp in temps:
            tmp.unlink(missing_ok=True)


def scaffold(
    content_dir: Path, from_id: str, year: int, new_id: str | None = None, cases_dir: Path | None = None
) -> Scaffold:
    content_dir = Path(content_dir)
    cases_dir = Path(cases_dir) if cases_dir is not None else Path("tests") / "cases"
    if not (2000 <= year <= 2100):
        raise UserError(f"--year：{year} 不是合理的年度（2000–2100）")
    if new_id is not None:
        check_new_id(new_id, year)
    src = find_notice_file(content_dir, from_id)
    y = _yaml()
    try:
        raw = src.read_text(encoding="utf-8")
        data = y.load(raw)
    except Exception as err:  # ruamel raises many types; all mean "fix the source first"
        raise UserError(f"{display_path(src)}: 无法读取来源通知（请先运行 python -m generator check）：{err}") from None
    if not isinstance(data, CommentedMap) or "id" not in data or "year" not in data:
        raise UserError(f"{display_path(src)}: 来源通知缺少 id 或 year 字段")
    try:
        old_year = int(data["year"])
    except (TypeError, ValueError):
        raise UserError(f"{display_path(src)}: 来源通知的 year 不是整数") from None
    if year == old_year and new_id is None:
        raise UserError(
            f"--year：{year} 与来源通知的年度相同；同一年度另一发文单位的通知请用 --id 给出新标识，"
            f"如 --id {year}-urumqi-gaoxin"
        )
    delta = year - old_year
    old_id = str(data["id"])
    if new_id is None:
        new_id = re.sub(r"^\d{4}", str(year), old_id) if re.match(r"^\d{4}-", old_id) else f"{year}-{old_id}"
        if not ID_RE.match(new_id):
            raise UserError(
                f"{display_path(src)}: 来源通知的标识 {old_id!r} 不合规，无法据此生成新标识；请用 --id 给出新标识"
            )
    if new_id == old_id:
        raise UserError(f"--id：{new_id} 与来源通知相同；请给出新的标识")
    notices_dir = content_dir / "notices"
    target = notices_dir / f"{new_id}.yaml"
    cases_target = cases_dir / f"{new_id}.yaml"
    if not _inside(target, notices_dir) or not _inside(cases_target, cases_dir):  # belt and braces
        raise UserError(
            f"--id：{new_id!r} 会写到 {display_path(notices_dir)} 或 {display_path(cases_dir)} 之外，已拒绝"
        )
    for path in (target, cases_target):
        if path.exists():
            raise UserError(f"{display_path(path)} 已存在，未覆盖。要重新生成，请先删除或改名该文件。")
    try:
        find_notice_file(content_dir, new_id)
    except UserError:
        pass
    else:
        raise UserError(f"通知标识 {new_id!r} 已被其他文件使用，未生成。")
    cases_src = cases_dir / f"{old_id}.yaml"
    if not cases_src.is_file():
        raise UserError(
            f"来源通知 {old_id} 没有用例文件 {display_path(cases_src)}；请先为它补写用例，或以另一份有用例的通知为底稿"
        )

    result = Scaffold(path=target, new_id=new_id, cases_path=cases_target)
    _walk(data, [], delta, result.shifted)
    for keys in YEAR_LISTS:
        node = data
        for k in keys:
            node = node.get(k) if isinstance(node, CommentedMap) else None
        if isinstance(node, CommentedSeq):
            for i, v in enumerate(list(node)):
                if isinstance(v, int) and not isinstance(v, bool):
                    node[i] = v + delta
                    result.shifted.append((".".join(keys) + f".{i}", str(v), str(v + delta)))

    data["id"] = new_id
    data["year"] = year
    text_fields = []
    for key in ("title", "short_title", "summary"):
        if key in data:
            new_text = _replace_year(data[key], old_year, year)
            if new_text != data[key]:
                data[key] = new_text
            text_fields.append(key)
    other_issuer = re.sub(r"^\d{4}-", "", new_id) != re.sub(r"^\d{4}-", "", old_id)
    if other_issuer:
        text_fields += [k for k in OTHER_ISSUER_FIELDS if k in data]
    if isinstance(data.get("source"), CommentedMap):
        source = data["source"]
        for key in SOURCE_FACTS_OF_THE_OLD_DOCUMENT:
            if key in source:
                del source[key]
        source["file"] = f"{TODO}：{year}年度通知原文文件名（原文另存为 content/sources/{new_id}.txt）"
        source["note"] = (
            f"由 {old_id} 用 python -m generator new 生成；"
            f"{TODO}：请按 {year} 年度通知原文逐项核对全部内容，填写 url、retrieved_on、verified_on 后改写本说明。"
        )

    shifted_fields = {dotted for dotted, _o, _n in result.shifted}
    inferred = CommentedSeq()
    for dotted, old, new in result.shifted:
        inferred.append(
            CommentedMap(
                [
                    ("field", dotted),
                    (
                        "reason",
                        f"{TODO}：由 {old_id} 的 {old} 按年度顺延{delta}年得到（{new}），"
                        f"请按新通知原文改正日期与时刻后删除本条。",
                    ),
                ]
            )
        )
    for key in text_fields:
        why = (
            f"年份已改为 {year}；请按新通知原文核对措辞"
            if key in ("title", "short_title", "summary")
            else "这是另一发文单位的通知，请按新通知原文改写"
        )
        inferred.append(
            CommentedMap(
                [
                    ("field", key),
                    ("reason", f"{TODO}：由 {old_id} 复制，{why}后删除本条。"),
                ]
            )
        )
    for entry in data.get("inferred") or []:
        if isinstance(entry, CommentedMap) and entry.get("field") not in shifted_fields | set(text_fields):
            inferred.append(entry)
    data["inferred"] = inferred

    out = _dump(y, data)
    first = raw.splitlines()[0] if raw else ""
    header = first if first.startswith("# yaml-language-server:") else SCHEMA_LINE
    if not out.startswith(header):
        out = header + "\n" + out
    cases_text, result.cases, result.dropped = _scaffold_cases(
        _yaml(), cases_src, old_id, new_id, delta, _case_evaluator(content_dir, new_id, out)
    )
    _write_together([(target, out), (cases_target, cases_text)])
    return result
