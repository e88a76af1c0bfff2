"""The batch form of the templates pages (one document per applicant row, filled in by
site_overrides/assets/javascripts/batch.js) and the pinned npm libraries it uses, copied from
``node_modules`` into ``assets/vendor/`` at build time."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape

from generator.attachments import rows as attachments
from generator.site.context import Artifact, SiteContext

PRIVACY = "所填内容只在本机浏览器中处理并直接生成 Word 文件，不会上传或发送到任何地方。"


def batch_html(template: dict) -> str:
    """The batch form: rows pasted from Excel/WPS or opened from .xlsx/.csv, a column mapping,
    one preview and problem list per applicant, and the two downloads. Filled in by batch.js."""
    tid = escape(template["id"])
    columns = "、".join(attachments.column_headers(template))
    return (
        '<form class="zc-batch" id="zc-batch" autocomplete="off" novalidate>\n'
        "<p>单位有多位申报人时：所有人共用的内容（单位名称、受理异议的部门、监督电话、公示开始日期等）在上方"
        "“在线填写”中填写一次；下面每位申报人一行，行中空着的栏目使用上方所填的内容。"
        "公示结束日期未填时，按法定节假日和调休自动填为规定的最后一个工作日。"
        f"{escape(PRIVACY)}</p>\n"
        f'<p>列模板：<a href="../{tid}-columns.xlsx" download>Excel 表格（.xlsx）</a> · '
        f'<a href="../{tid}-columns.csv" download>CSV</a>（列：{escape(columns)}）。'
        "表头写空白的中文名称（如“申报人姓名”）或标识（如 applicant_name）；其他列（如序号）不使用。</p>\n"
        "<fieldset><legend>申报人表格</legend>\n"
        '<div class="zc-field zc-field--textarea"><label for="zc-batch-paste">从 Excel / WPS 复制表格（连同表头行）粘贴到这里</label>'
        '<textarea id="zc-batch-paste" rows="5" spellcheck="false"></textarea></div>\n'
        '<div class="zc-field"><label for="zc-batch-file">或打开表格文件（.xlsx 或 .csv）</label>'
        '<input type="file" id="zc-batch-file" accept=".xlsx,.csv,.tsv,.txt,'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"></div>\n'
        "</fieldset>\n"
        '<details class="zc-batch-mapping" id="zc-batch-mapping" hidden>'
        '<summary id="zc-batch-mapping-summary">列与空白的对应</summary>'
        '<p class="zc-hint">按表头自动对应；表头与空白名称不同时，请在这里为每一列选择对应的空白。</p>'
        '<div id="zc-batch-columns" class="zc-batch-columns"></div></details>\n'
        '<p class="zc-batch-summary" id="zc-batch-summary" role="status" aria-live="polite"></p>\n'
        '<ol class="zc-batch-rows" id="zc-batch-rows" aria-label="每位申报人的文档"></ol>\n'
        '<p class="zc-prefill-actions">'
        '<button type="button" class="md-button md-button--primary" id="zc-batch-zip" disabled>下载 .zip（每人一个 Word 文件）</button> '
        '<button type="button" class="md-button" id="zc-batch-merged" disabled>下载一个 Word 文件（每人一节）</button> '
        '<button type="button" class="md-button" id="zc-batch-clear">清空表格</button></p>\n'
        '<p class="zc-prefill-status" id="zc-batch-status" role="status" aria-live="polite"></p>\n'
        "</form>"
    )


VENDOR = (
    # (file in node_modules, path in the site): pinned in package.json / package-lock.json.
    ("fflate/esm/browser.js", "assets/vendor/fflate/browser.js"),
    ("fflate/LICENSE", "assets/vendor/fflate/LICENSE"),
    ("read-excel-file/bundle/read-excel-file.min.js", "assets/vendor/read-excel-file/read-excel-file.min.js"),
    ("read-excel-file/LICENSE", "assets/vendor/read-excel-file/LICENSE"),
)


def vendor_files(ctx: SiteContext) -> Iterable[Artifact]:
    """The browser libraries of the batch form, copied from node_modules (``make runtime``)."""
    from generator.errors import UserError

    for src, dest in VENDOR:
        path = ctx.root / "node_modules" / src
        try:
            yield Artifact(dest, path.read_bytes())
        except FileNotFoundError:
            raise UserError(f"找不到浏览器库 {path}：请先运行 make runtime（npm ci）") from None


__all__ = ["batch_html", "vendor_files", "VENDOR"]
