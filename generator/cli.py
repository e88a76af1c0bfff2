"""Thin command line: parse → build objects → execute. ``python -m generator --help``."""

from __future__ import annotations

import argparse
import importlib
import sys

from generator.errors import UserError

# Explicit list of command modules in generator/commands/ (no import-time registration).
COMMANDS = ("check", "eligibility", "workdays", "new", "diff", "build")


def _load(name: str):
    return importlib.import_module(f"generator.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="新疆职称申报通知指引站：校验通知内容、核验申报资格、计算工作日、维护通知。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
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
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
