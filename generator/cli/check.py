"""``python -m generator check [PATH ...]``: validate content, one line per problem.

Without paths, all of ``content/`` is checked. With paths (files or folders), the whole content
directory is still loaded — cross-file checks need it — but only problems in the given paths are
reported. A given folder that holds ``notices/`` is a content directory of its own; files outside
``content/`` are checked together with it (a file's kind comes from the name of its folder:
templates, rules, holidays or notices; any other folder means a notice).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from generator.content.load import KINDS, collect
from generator.errors import Problem, display_path, safe_resolve

NAME = "check"
HELP = "校验 content/ 中的通知、模板、共享规则与节假日数据（每个问题一行：路径:行:列: 说明）"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="要校验的文件或目录（默认整个 content/）")
    parser.add_argument(
        "--content", default="content", metavar="DIR", help="内容目录，作为交叉校验的上下文（默认 content）"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="输出格式：text 每个问题一行（默认）；json 一个对象 {ok, problems, counts}",
    )


def _is_content_root(path: Path) -> bool:
    return path.is_dir() and (path / "notices").is_dir()


def _inside(path: Path, folder: Path) -> bool:
    """``path`` (or, for a symlink, the link itself) lies inside ``folder``."""
    base = safe_resolve(folder)
    for candidate in (safe_resolve(path), safe_resolve(path.parent) / path.name):
        try:
            candidate.relative_to(base)
            return True
        except ValueError:
            continue
    return False


def _plan(args) -> tuple[Path, list[Path], list[Path] | None, list[Problem]]:
    """(content root, extra files, paths to report on or None for all, problems with the paths)."""
    root = Path(args.content)
    if not args.paths:
        return root, [], None, []
    roots = [Path(p) for p in args.paths if _is_content_root(Path(p))]
    if roots:
        root = roots[0]
    extra: list[Path] = []
    scope: list[Path] = []
    problems: list[Problem] = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            problems.append(Problem(display_path(path), 0, 0, "文件或目录不存在"))
            continue
        if _is_content_root(path) and safe_resolve(path) != safe_resolve(root):
            problems.append(
                Problem(display_path(path), 0, 0, f"一次只能校验一个内容目录（已在校验 {display_path(root)}）")
            )
            continue
        if path.is_file() and path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(display_path(path), 0, 0, "不是 YAML 文件（应以 .yaml 结尾）"))
            continue
        if _inside(path, root):
            kind_dirs = {(root / k.name).resolve() for k in KINDS}
            if path.is_file() and safe_resolve(path).parent not in kind_dirs:
                names = "、".join(f"{k.name}/" for k in KINDS)
                problems.append(
                    Problem(display_path(path), 0, 0, f"不在 {display_path(root)}/ 的 {names} 中，不会被使用")
                )
                continue
            scope.append(path)
            continue
        scope.append(path)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and (p.is_symlink() or not p.is_dir())
            )
            if not found:
                problems.append(Problem(display_path(path), 0, 0, "目录中没有 .yaml 文件"))
            extra.extend(found)
        else:
            extra.append(path)
    return root, extra, scope, problems


def _in_scope(problem: Problem, scope: list[Path] | None) -> bool:
    if scope is None:
        return True
    given = Path(problem.path)
    # A link is reported where it is, not where it points (a link to /dev/zero is in scope).
    targets = {safe_resolve(given), safe_resolve(given.parent) / given.name}
    return any(
        target == safe_resolve(p) or target == safe_resolve(p.parent) / p.name or _inside(target, p)
        for target in targets
        for p in scope
    )


def _bundle_problems(content) -> list[Problem]:
    """Problems found while resolving rules for the engine (unknown facts, duplicate rule ids)."""
    from generator.content.bundle import build_bundle
    from generator.errors import ContentError

    try:
        build_bundle(content)
    except ContentError as err:
        return list(err.problems)
    return []


def run(args) -> int:
    root, extra, scope, problems = _plan(args)
    if scope is not None and not scope:
        root_problems: list[Problem] = []
        result = None
    else:
        result = collect(root, extra)
        found = list(result.problems)
        if not found:
            found = _bundle_problems(result.content)
        root_problems = [p for p in found if _in_scope(p, scope)]
    problems = sorted(problems + root_problems)
    counts = {k.name: 0 for k in KINDS}
    for doc in result.docs if result is not None else ():
        if scope is None or _in_scope(Problem(doc.shown, 0, 0, ""), scope):
            counts[doc.kind.name] += 1
    if args.format == "json":
        report = {"ok": not problems, "problems": [asdict(p) for p in problems], "counts": counts}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(f"内容校验未通过：{len(problems)} 个问题，涉及 {files} 个文件。")
        return 1
    parts = [
        f"{counts['notices']} 份通知",
        f"{counts['templates']} 个模板",
        f"{counts['rules']} 个共享规则文件（{len(result.content.shared_rules)} 条规则）",
        f"{counts['holidays']} 个节假日年份",
    ]
    if scope is not None:
        parts = [part.split("（")[0] for part, n in zip(parts, counts.values()) if n]
    print(f"内容校验通过：{'、'.join(parts)}。" if parts else "内容校验通过：没有找到要校验的内容文件。")
    return 0
