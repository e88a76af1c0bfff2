"""``python -m generator new --from ID --year YYYY``: scaffold next year's notice of the same issuer."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UserError, display_path

NAME = "new"
HELP = "以已有通知为底稿，生成同一发文单位新年度的通知文件（日期按年份顺延，待编辑核对）"


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="source", required=True, metavar="ID", help="作为底稿的通知标识，如 2025-bortala")
    parser.add_argument("--year", required=True, metavar="YYYY", help="新通知的年度，如 2026")
    parser.add_argument("--content", default="content", metavar="DIR", help="内容目录（默认 content）")


def run(args) -> int:
    from generator.scaffold import TODO, scaffold

    try:
        year = int(args.year)
        if len(str(args.year).strip()) != 4:
            raise ValueError
    except ValueError:
        raise UserError(f"--year：{args.year!r} 不是四位数的年度，如 2026") from None
    result = scaffold(Path(args.content), args.source, year)
    path = display_path(result.path)
    print(f"已生成 {path}（通知标识 {result.new_id}）。")
    print(f"其中 {len(result.shifted)} 个日期已按年份顺延，并在 inferred 中逐条标注“{TODO}”。")
    print("下一步：")
    print(f"  1. 对照新通知原文修改 {path}：标题、日期与时刻、条件、材料、费用、联系方式、附件；")
    print(f"     每核对一处，删除 inferred 中对应的“{TODO}”条目（编辑器会按 schema 提示字段含义）。")
    print("  2. 运行 python -m generator check 校验，按提示的 文件:行:列 修正。")
    print(f"  3. 运行 python -m generator diff {args.source} {result.new_id} 查看与上一年相比的变化。")
    print("  4. 运行 make serve，在 http://127.0.0.1:8000 预览页面。")
    print("  5. 提交 pull request，CI 会运行全部测试。")
    return 0
