"""``python -m generator workdays --start YYYY-MM-DD --count N``."""

from __future__ import annotations

from pathlib import Path

from generator.engine.clock import parse_date
from generator.errors import UserError

NAME = "workdays"
HELP = "计算从某日起（含当日）第 N 个工作日的日期（按国务院公布的法定节假日与调休安排）"


def add_arguments(parser) -> None:
    parser.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="起始日期（当日若为工作日计为第 1 个）")
    parser.add_argument("--count", required=True, metavar="N", help="第几个工作日（不小于 1 的整数）")
    parser.add_argument(
        "--content",
        default="content",
        metavar="DIR",
        help="内容目录，用于读取 holidays/ 中编辑补充的年份（默认 content）",
    )


def load_holidays(content_dir: Path) -> dict:
    """Editor-supplied holiday years; only problems in content/holidays/ stop this command."""
    from generator.content.bundle import build_bundle
    from generator.content.load import Content, collect
    from generator.errors import ContentError

    collected = collect(content_dir)
    holiday_dir = (Path(content_dir) / "holidays").resolve()
    own = [p for p in collected.problems if holiday_dir in Path(p.path).resolve().parents]
    if own:
        raise ContentError(own)
    only = Content(positions=collected.content.positions, files={}, root=Path(content_dir))
    only.holidays = collected.content.holidays
    return build_bundle(only)["holidays"]


def run(args) -> int:
    from generator.engine import EngineError, nth_workday

    try:
        start = parse_date(args.start)
    except ValueError:
        raise UserError(f"--start：{args.start!r} 不是有效日期（格式 YYYY-MM-DD，如 2025-09-01）") from None
    try:
        count = int(args.count)
    except ValueError:
        count = 0
    if count < 1:
        raise UserError(f"--count：{args.count!r} 不是不小于 1 的整数")
    holidays = load_holidays(Path(args.content))
    try:
        print(nth_workday(start, count, holidays=holidays).isoformat())
    except EngineError as err:
        hints = [p["editor_hint"] for p in err.problems if p.get("editor_hint")]
        raise UserError("\n".join([err.message, *hints])) from None
    return 0
