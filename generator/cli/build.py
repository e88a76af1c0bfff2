"""``python -m generator build [--site-dir site]``: an atomic, strict MkDocs build.

The site is built into a temporary sibling of the target directory and swapped into place only
when the build succeeded (old site renamed aside, new one renamed in, old one deleted). On any
failure the Chinese problems are printed, the temporary directory is removed and the previous
``site/`` is left exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from generator.errors import UserError, display_path

NAME = "build"
HELP = "生成静态站点（mkdocs build --strict）；只有生成成功才替换原有 site/，失败时原站点保持不变"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--site-dir", default=None, metavar="DIR", help="输出目录（默认取 mkdocs.yml 的 site_dir，即 site）"
    )
    parser.add_argument(
        "--config-file", default="mkdocs.yml", metavar="FILE", help="MkDocs 配置文件（默认 mkdocs.yml）"
    )


class _Collect(logging.Handler):
    """Keeps the warnings and errors MkDocs logs during the build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed log call must not hide the real problem
            text = str(record.msg)
        prefix = "警告" if record.levelno == logging.WARNING else "错误"
        self.messages.append(f"{prefix}：{text.rstrip()}")


def _translate_abort(text: str) -> str:
    if "strict mode" in text and "warning" in text:
        return "严格模式（strict）下出现警告，已中止生成"
    if "configuration error" in text:
        return "mkdocs.yml 配置有误，已中止生成"
    if "BuildError" in text:
        return "生成过程中出错，已中止"
    return text


def build_site(config_file: Path, site_dir: Path | None = None) -> Path:
    """Build into a temporary sibling and swap it in; return the site directory."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise UserError(f"{display_path(config_file)}: 找不到 MkDocs 配置文件")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    tmp: Path | None = None
    try:
        try:
            config = load_config(str(config_file), strict=True)
            target = Path(site_dir) if site_dir is not None else Path(config["site_dir"])
            target = target.resolve()
            if target.exists() and not target.is_dir():
                raise UserError(f"{display_path(target)}: 已存在同名文件，不是目录，无法作为站点输出目录")
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
            config["site_dir"] = str(tmp)
            build(config)
        except MkDocsException as err:
            lines = handler.messages or []
            lines.append(_translate_abort(str(getattr(err, "message", err))))
            raise UserError(_failure(target_name(site_dir, config_file), lines)) from None
        except OSError as err:
            raise UserError(
                _failure(target_name(site_dir, config_file), handler.messages + [f"文件操作失败：{err}"])
            ) from None
        _swap(tmp, target)
        tmp = None
        return target
    finally:
        logger.removeHandler(handler)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def target_name(site_dir: Path | None, config_file: Path) -> str:
    return display_path(site_dir) if site_dir is not None else "site"


def _failure(name: str, lines: list[str]) -> str:
    body = "\n".join(lines) if lines else "（MkDocs 未给出原因）"
    return f"{body}\n站点生成失败，原有的 {name}/ 保持不变。"


def _swap(new: Path, target: Path) -> None:
    """Rename ``target`` aside, ``new`` into place, then delete the old one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run(args) -> int:
    site = Path(args.site_dir) if args.site_dir else None
    target = build_site(Path(args.config_file), site)
    files = sum(1 for p in target.rglob("*") if p.is_file())
    print(f"站点已生成：{display_path(target)}/（{files} 个文件）")
    return 0
