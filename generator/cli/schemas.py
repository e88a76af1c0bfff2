"""``python -m generator schemas [--check]``: regenerate the fact enumerations of the schemas."""

from __future__ import annotations

from generator.errors import UserError, display_path

NAME = "schemas"
HELP = "按规则引擎的事实清单（FACTS）重新生成 schemas/ 中的事实名枚举；--check 只检查是否过期"


def add_arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="只检查，不写文件；过期时退出码 1")


def run(args) -> int:
    from generator.content.schemagen import stale, write

    if args.check:
        old = stale()
        if old:
            names = "、".join(display_path(p) for p in old)
            raise UserError(f"{names} 与引擎的事实清单不一致：请运行 python -m generator schemas 重新生成")
        print("schemas/ 与引擎的事实清单一致")
        return 0
    changed = write()
    print("已更新：" + "、".join(display_path(p) for p in changed) if changed else "schemas/ 已是最新")
    return 0
