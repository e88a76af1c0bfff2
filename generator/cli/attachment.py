"""``python -m generator attachment --template ID --rows FILE.csv|FILE.xlsx [--shared FILE.yaml] --out DIR``."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from generator.errors import UserError

NAME = "attachment"
HELP = "按表格（.csv/.xlsx，每位申报人一行）批量生成附件模板的 Word 文件（每人一份）"
FORMATS = {
    "docx": "每人一个 .docx 文件（默认）",
    "zip": "所有 .docx 打包为一个 .zip",
    "merged": "一个 .docx，每位申报人一节",
}


def add_arguments(parser) -> None:
    parser.add_argument(
        "--template", required=True, metavar="ID", help="模板标识，如 bortala-publicity（见 content/templates/）"
    )
    parser.add_argument(
        "--rows",
        required=True,
        metavar="FILE",
        help="申报人表格 .csv 或 .xlsx：第一行为表头（空白标识或中文名称，如 applicant_name 或 申报人姓名），其后每行一人",
    )
    parser.add_argument(
        "--shared",
        metavar="FILE",
        help="所有人共用的空白（YAML 映射，如 unit_name: 某某公司、publicity_start: 2025-09-29）；表格中该列有值时以表格为准",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="输出目录（不存在时创建）")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="docx",
        help="输出形式：" + "；".join(f"{k} {v}" for k, v in FORMATS.items()),
    )
    parser.add_argument("--content", default="content", metavar="DIR", help="内容目录（默认 content）")


def load_shared(path: Path, template: dict) -> dict[str, str]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from generator.attachments.rows import _norm_header, clean, header_keys

    if not path.is_file():
        raise UserError(f"{path}：文件不存在")
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError) as err:
        raise UserError(f"{path}：不是有效的 YAML：{err}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"{path}：应为“空白: 内容”形式的映射")
    keys = header_keys(template)
    out: dict[str, str] = {}
    for key, value in data.items():
        name = keys.get(_norm_header(str(key)))
        if not name:
            raise UserError(f"{path}：“{key}”不是模板 {template['id']} 的空白（可用：{'、'.join(template['blanks'])}）")
        if isinstance(value, date) or isinstance(value, (str, int, float, bool)):
            out[name] = clean(value)
        elif value is not None:
            raise UserError(f"{path}：{key} 的内容应为文字或日期")
    return out


def _write_atomically(target: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(tmp)


def run(args) -> int:
    from generator.attachments import rows as att
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    content = load_content(Path(args.content))
    template = content.templates.get(args.template)
    if template is None:
        raise UserError(f"--template：没有模板 {args.template!r}（可用：{'、'.join(sorted(content.templates))}）")
    holidays = build_bundle(content)["holidays"]
    shared = load_shared(Path(args.shared), template) if args.shared else {}
    table = att.read_table(Path(args.rows))
    mapping = att.map_columns(template, table.header)
    if not any(mapping):
        labels = "、".join(b["label"] for b in template["blanks"].values())
        raise UserError(f"第 1 行：表头没有任何一列对应模板 {template['id']} 的空白（列名可写：{labels}，或空白标识）")
    ignored = [h for h, m in zip(table.header, mapping) if h and not m]
    if not table.rows:
        raise UserError(f"{args.rows}：表头之后没有申报人数据行")
    min_days = att.min_publicity_workdays(content, template)
    shared_values, _dates, shared_problems = att.check_values(template, shared)
    errors = [f"共用内容（{args.shared}）：{p}" for p in shared_problems]
    results = [
        att.check_row(template, line, row, shared, min_workdays=min_days, holidays=holidays)
        for line, row in att.rows_as_dicts(table, mapping)
    ]
    for r in results:
        errors += [f"第 {r.line} 行：{p}" for p in r.problems if not shared_problems or p not in shared_problems]
    if errors:
        raise UserError("\n".join(errors + ["未生成任何文件。"]))
    for h in ignored:
        print(f"提示：表头“{h}”不对应任何空白，已忽略。", file=sys.stderr)
    for r in results:
        for w in r.warnings:
            print(f"第 {r.line} 行：提示：{w}", file=sys.stderr)

    files = att.render_all(template, results)
    out_dir = Path(args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"--out：无法创建目录 {out_dir}：{err.strerror}") from None
    base = att.base_name(template)
    if args.format == "zip":
        files = {f"{base}.zip": att.zip_files(files)}
    elif args.format == "merged":
        files = {f"{base}-{len(results)}人.docx": att.merge_docx(list(files.values()))}
    # Write everything to temporary files first, then rename: nothing half-written.
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = out_dir / name
            staged.append((_write_atomically(target, data), target))
    except OSError as err:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise UserError(f"--out：无法写入 {out_dir}：{err.strerror}") from None
    for tmp, target in staged:
        os.replace(tmp, target)
    print(f"已为 {len(results)} 位申报人生成 {template['title']}：")
    for _tmp, target in staged:
        print(f"  {target}")
    return 0
