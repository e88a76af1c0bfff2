"""``python -m generator diff OLD_ID NEW_ID``: what changed between two notices."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UserError

NAME = "diff"
HELP = "比较两份通知（如上一年与今年）：逐节列出基本信息、日期、条件、规则、材料、费用、联系方式、来源等全部变化"


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="OLD_ID", help="较早的通知标识，如 2025-bortala")
    parser.add_argument("new", metavar="NEW_ID", help="较新的通知标识，如 2026-bortala")
    parser.add_argument("--content", default="content", metavar="DIR", help="内容目录（默认 content）")


def run(args) -> int:
    from generator.authoring.diff import diff_notices, render_text
    from generator.content.load import load_content

    content = load_content(Path(args.content))
    notices = content.notices
    for nid in (args.old, args.new):
        if nid not in notices:
            known = "、".join(sorted(notices)) or "（无）"
            raise UserError(f"找不到通知 {nid!r}；已有：{known}")
    old, new = notices[args.old], notices[args.new]
    print(render_text(old, new, diff_notices(old, new, content.shared_rules, templates=content.templates)))
    return 0
