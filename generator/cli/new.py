"""``python -m generator new --from ID --year YYYY [--id NEW_ID]``: scaffold a notice and its cases file."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UserError, display_path

NAME = "new"
HELP = (
    "以已有通知为底稿，生成新通知及其用例文件：同一发文单位的新年度，或用 --id 生成另一发文单位的通知"
    "（日期按年份顺延，待编辑核对；只写 content/notices/ 与 tests/cases/，不覆盖已有文件）"
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--from", dest="source", required=True, metavar="ID", help="作为底稿的通知标识，如 2025-bortala"
    )
    parser.add_argument("--year", required=True, metavar="YYYY", help="新通知的年度，如 2026")
    parser.add_argument(
        "--id",
        dest="new_id",
        metavar="NEW_ID",
        help="新通知的标识（默认把来源标识的年份换成 --year），如 2025-urumqi-other-pv；"
        "只能含小写字母、数字和连字符，以年度开头",
    )
    parser.add_argument("--content", default="content", metavar="DIR", help="内容目录（默认 content）")
    parser.add_argument("--cases", default="tests/cases", metavar="DIR", help="用例目录（默认 tests/cases）")


def run(args) -> int:
    from generator.authoring.scaffold import TODO, scaffold

    try:
        year = int(args.year)
        if len(str(args.year).strip()) != 4:
            raise ValueError
    except ValueError:
        raise UserError(f"--year：{args.year!r} 不是四位数的年度，如 2026") from None
    result = scaffold(Path(args.content), args.source, year, new_id=args.new_id, cases_dir=Path(args.cases))
    path = display_path(result.path)
    cases = display_path(result.cases_path)
    print(f"已生成 {path}（通知标识 {result.new_id}）和用例文件 {cases}（{result.cases} 个用例）。")
    if result.dropped:
        print(f"有 {len(result.dropped)} 个来源用例在顺延日期后预期不再成立，未复制（已列在用例文件末尾）：")
        for name, why in result.dropped:
            print(f"  - {name}：{why}")
    print(f"其中 {len(result.shifted)} 个日期已按年份顺延，并在 inferred 中逐条标注“{TODO}”。")
    print("下一步：")
    print(f"  1. 把新通知原文保存为 content/sources/{result.new_id}.txt（页面会链接“通知原文”）。")
    print(f"  2. 对照原文修改 {path}：标题、日期与时刻、条件、材料、费用、联系方式、附件、source；")
    print(f"     每核对一处，删除 inferred 中对应的“{TODO}”条目（编辑器会按 schema 提示字段含义）。")
    print(f"  3. 核对 {cases} 中每个用例的档案与预期结论，去掉名称前的“[待核对]”。")
    print("  4. 运行 python -m generator check 校验，按提示的 文件:行:列 修正；make test-fast 运行用例与页面测试。")
    print(f"  5. 运行 python -m generator diff {args.source} {result.new_id} 查看与底稿相比的变化。")
    print(
        "  6. 运行 make serve，在 http://127.0.0.1:8000 预览页面（网址加 ?today=YYYY-MM-DDTHH:MM 可看某一时刻的样子）。"
    )
    print("  7. 提交 pull request，CI 会运行全部测试。")
    return 0
