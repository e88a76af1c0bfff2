"""Thin command line: parse → build objects → execute. ``python -m generator --help``."""

from __future__ import annotations

import argparse
import importlib
import sys

from generator.errors import UserError

# Explicit list of command modules in generator/cli/ (no import-time registration).
COMMANDS = ("check", "eligibility", "workdays", "attachment", "new", "diff", "build", "schemas")


# argparse's own messages, in Chinese (argparse looks them up through gettext at call time).
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid %(type)s value: %(value)r": "参数值无效（应为 %(type)s）：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可匹配 %(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _zh(text: str) -> str:
    return _ZH.get(text, text)


argparse._ = _zh  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese messages; a usage error is a user error (exit 1, CONTRACTS §4)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}：错误：{message}\n")


def _load(name: str):
    return importlib.import_module(f"generator.cli.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m generator",
        description="新疆职称申报通知指引站：校验通知内容、核验申报资格、计算工作日、批量生成附件、维护通知。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True, parser_class=_Parser)
    for name in COMMANDS:
        module = _load(name)
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except UserError as err:
        print(str(err), file=sys.stderr)
        return 1
    except RecursionError:
        print("输入的嵌套层次过深，无法处理：请检查文件内容。", file=sys.stderr)
        return 1
    except MemoryError:
        print("输入过大，内存不足以处理：请检查文件内容。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
