"""Attachment templates on the site: ``templates/`` (all templates and the notices using them),
``templates/<id>/`` (printable page with an in-browser prefill form) and ``templates/<id>.docx``.

``templates/workdays.json`` lists every working day, as the engine decides it, of the years the
notices need (chinese_calendar plus editor years from content/holidays), so the forms can suggest
and check publicity periods without any request leaving the site and without a second calendar in JS.
``templates/<id>-columns.xlsx`` / ``.csv`` are the column templates of the batch form, and
``assets/vendor/`` holds its pinned npm libraries (fflate, read-excel-file).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta

from markupsafe import escape

from generator import attachments
from generator.docx_render import render_docx
from generator.site import fmt
from generator.site.batch import PRIVACY, batch_html, vendor_files
from generator.site.context import Artifact, SiteContext
from generator.templating import KIND_LABELS, blank_order, cell_parts, line_align, line_text, note_prefix, segments



def usages(ctx: SiteContext) -> dict[str, list[dict]]:
    """template id → [{"notice": notice, "where": "附件3", "title": ...}] from notices and templates."""
    out: dict[str, list[dict]] = {tid: [] for tid in ctx.content.templates}
    seen: set[tuple[str, str]] = set()

    def add(tid, notice, where, title):
        if tid in out and (tid, notice["id"]) not in seen:
            seen.add((tid, notice["id"]))
            out[tid].append({"notice": notice, "where": where, "title": title})

    notices = ctx.content.notices
    for notice in notices.values():
        for a in notice.get("attachments") or []:
            if a.get("template"):
                add(a["template"], notice, f"附件{a['number']}", a["title"])
        for m in notice.get("materials") or []:
            if m.get("template"):
                add(m["template"], notice, m.get("clause", ""), m["title"])
    for tid, tpl in ctx.content.templates.items():
        for src in tpl["source"]["notices"]:
            if src["notice"] in notices:
                add(tid, notices[src["notice"]], src["clause"], src.get("attachment_title", tpl["title"]))
    for items in out.values():
        items.sort(key=lambda u: (-u["notice"]["year"], u["notice"]["id"]))
    return out


def display_title(ctx: SiteContext, template: dict, used_by: list[dict]) -> str:
    """The template's title, plus the notice that uses it when another template has the same title
    (several notices call their attachment simply “推荐单位公示（模板）”)."""
    title = template["title"]
    clashes = [t for t in ctx.content.templates.values() if t["title"] == title and t["id"] != template["id"]]
    if clashes and used_by:
        n = used_by[0]["notice"]
        return f"{title} · {n.get('short_title') or n['title']}"
    return title


def borrowed_notes(ctx: SiteContext, template: dict) -> list[str]:
    """For each notice that only names this attachment, say whose full text the page shows."""
    sources = template["source"]["notices"]
    full = [s for s in sources if s.get("full_text")]
    lines = []
    for src in sources:
        if src.get("full_text") is not False or not full:
            continue
        notice = ctx.content.notices.get(src["notice"]) or {}
        origin = ctx.content.notices.get(full[0]["notice"]) or {}
        name = notice.get("short_title") or notice.get("title") or src["notice"]
        origin_name = origin.get("short_title") or origin.get("title") or full[0]["notice"]
        lines.append(
            '<div class="admonition warning zc-borrowed"><p class="admonition-title">借用的模板</p>'
            f"<p>{escape(name)}只列出了{escape(src['clause'])}“{escape(src.get('attachment_title', template['title']))}”的名称，"
            f"未附全文；本页给出的是{escape(origin_name)}{escape(full[0]['clause'])}的全文，请向发文单位确认是否通用。</p></div>"
        )
    return lines


def min_publicity_workdays(ctx: SiteContext, template: dict) -> int | None:
    return attachments.min_publicity_workdays(ctx.content, template)


def workday_calendar(ctx: SiteContext) -> dict:
    """The engine's working-day calendar for the browser, one entry per year it knows:
    ``{"years": {"2025": {"working_days": [...every working day...], "holidays": [...weekday
    holidays...], "workdays": [...adjusted weekend workdays...], "source": ...}}}``.

    Every day is classified by ``generator.engine.is_workday`` (chinese_calendar plus the editor
    years of content/holidays); the page only looks dates up in ``working_days`` and never decides
    itself whether a day is worked. A year the engine does not know is left out, and the page says so.
    """
    from generator.engine import EngineError
    from generator.engine.workdays import is_workday

    years = {n["year"] for n in ctx.content.notices.values()} | {ctx.today.year}
    editor = (ctx.bundle or {}).get("holidays") or {}
    wanted = set(range(min(years) - 1, max(years) + 2)) | {int(y) for y in editor if str(y).isdigit()}
    out: dict[str, dict] = {}
    for year in sorted(wanted):
        day = date(year, 1, 1)
        working, holidays, workdays = [], [], []
        try:
            while day.year == year:
                work = is_workday(day, editor)
                if work:
                    working.append(day.isoformat())
                if day.weekday() < 5 and not work:
                    holidays.append(day.isoformat())
                elif day.weekday() >= 5 and work:
                    workdays.append(day.isoformat())
                day += timedelta(days=1)
        except EngineError:
            continue
        source = editor[str(year)].get("source", "content/holidays") if str(year) in editor else "chinese_calendar"
        out[str(year)] = {"working_days": working, "holidays": holidays, "workdays": workdays, "source": source}
    return {"years": out, "note": "国务院办公厅公布的法定节假日与调休上班日；未列出的年份无法计算工作日。"}


# ---------------------------------------------------------------- printable document (HTML)

def _html_text(text: str, blanks: dict) -> str:
    parts = []
    for seg in segments(text, blanks):
        if seg.blank:
            parts.append(
                f'<span class="zc-blank" data-blank="{escape(seg.blank)}" data-placeholder="{escape(seg.text)}">'
                f"{escape(seg.text)}</span>"
            )
        else:
            parts.append(str(escape(seg.text)))
    return "".join(parts)


def document_html(template: dict) -> str:
    blanks = template["blanks"]
    out = [f'<article class="zc-doc" id="zc-doc" lang="zh-CN" aria-label="{escape(template["title"])}（预览）">']
    for block in template["blocks"]:
        kind = block["type"]
        if kind == "title":
            out.append('<div class="zc-doc-title">' + "<br>".join(_html_text(l, blanks) for l in block["lines"]) + "</div>")
        elif kind in ("paragraph", "plain"):
            cls = "zc-doc-p" if kind == "paragraph" else "zc-doc-plain"
            out.append(f'<p class="{cls}">{_html_text(block["text"], blanks)}</p>')
        elif kind == "signature":
            out.append(f'<div class="zc-doc-sign zc-doc-gap-{block.get("space_before", 1)}">')
            for line in block["lines"]:
                out.append(f'<p class="zc-doc-align-{line_align(line)}">{_html_text(line_text(line), blanks)}</p>')
            out.append("</div>")
        elif kind == "table":
            out.append('<table class="zc-doc-table">')
            widths = block.get("widths_cm")
            if widths:
                total = sum(widths)
                out.append("<colgroup>" + "".join(f'<col width="{round(w / total * 100)}%">' for w in widths) + "</colgroup>")
            for row in block["rows"]:
                out.append("<tr>")
                for cell in row:
                    parts = cell_parts(cell)
                    tag = "th" if parts["label"] else "td"
                    span = f' colspan="{parts["span"]}"' if parts["span"] > 1 else ""
                    tall = " zc-doc-tall" if parts["height_cm"] else ""
                    lines = "".join(
                        f'<p class="zc-doc-align-{line_align(l, "center" if parts["label"] else "left")}">{_html_text(line_text(l), blanks)}</p>'
                        for l in parts["lines"])
                    scope = ' scope="row"' if parts["label"] else ""
                    out.append(f'<{tag}{span}{scope} class="zc-doc-cell{tall}">{lines}</{tag}>')
                out.append("</tr>")
            out.append("</table>")
        elif kind == "notes":
            out.append(f'<div class="zc-doc-notes"><p>{escape(block.get("heading", "注："))}</p>')
            for j, item in enumerate(block["items"]):
                out.append(f"<p>{escape(note_prefix(j))}{_html_text(item, blanks)}</p>")
            out.append("</div>")
    out.append("</article>")
    return "\n".join(out)


# ---------------------------------------------------------------- prefill form

def _field(name: str, blank: dict) -> str:
    fid = f"zc-f-{name}"
    label = f'<label for="{fid}">{escape(blank["label"])}</label>'
    common = f'id="{fid}" name="{escape(name)}" data-blank="{escape(name)}" data-kind="{escape(blank["kind"])}"'
    kind = blank["kind"]
    if kind == "textarea":
        control = f"<textarea {common} rows=\"3\"></textarea>"
    elif kind == "date":
        control = f'<input type="date" {common}>'
    elif kind == "number":
        control = f'<input type="number" min="0" step="1" inputmode="numeric" {common}>'
    elif kind in ("level", "choice"):
        opts = "".join(f'<option value="{escape(o)}">{escape(o)}</option>' for o in blank.get("options", []))
        control = f'<select {common}><option value="">（未选择）</option>{opts}</select>'
    elif kind == "phone":
        control = f'<input type="tel" inputmode="tel" autocomplete="off" {common}>'
    else:
        control = f'<input type="text" autocomplete="off" {common}>'
    hints = []
    if blank.get("help"):
        hints.append(str(escape(blank["help"])))
    if blank.get("example"):
        hints.append("例：" + str(escape(blank["example"])))
    hint = f'<small class="zc-hint">{"　".join(hints)}</small>' if hints else ""
    suggest = ""
    if blank.get("suggest"):
        suggest = (f'<small class="zc-suggest" data-suggest="{escape(blank["suggest"])}" data-for="{escape(name)}" '
                   f'aria-live="polite"></small>')
    return f'<div class="zc-field zc-field--{escape(kind)}">{label}{control}{hint}{suggest}</div>'


def form_html(template: dict) -> str:
    blanks = template["blanks"]
    fields = "\n".join(_field(name, blanks[name]) for name in blank_order(template))
    return (
        '<form class="zc-prefill" id="zc-prefill" autocomplete="off" novalidate>\n'
        "<fieldset><legend>在线填写（可选）</legend>\n"
        f'<p class="zc-privacy">{escape(PRIVACY)}未填写的空白在文件中保留原样（××），可打印后手写。'
        '单位有多位申报人时，在这里填写共用的内容，再到下方<a href="#batch">批量生成</a>。</p>\n'
        f"{fields}\n"
        "</fieldset>\n"
        '<p class="zc-prefill-actions">'
        '<button type="button" class="md-button md-button--primary" id="zc-download" disabled>下载已填写的 Word 文件</button> '
        f'<a class="md-button" href="../{escape(template["id"])}.docx" download>下载空白模板（.docx）</a> '
        '<button type="button" class="md-button" id="zc-print">打印本页文档</button> '
        '<button type="reset" class="md-button">清空</button></p>\n'
        '<p class="zc-prefill-status" id="zc-prefill-status" role="status" aria-live="polite"></p>\n'
        "</form>"
    )


def render_template_page(ctx: SiteContext, template: dict, used_by: list[dict]) -> str:
    from generator.site.notices import front_matter

    tid = template["id"]
    shown = display_title(ctx, template, used_by)
    config = {
        "id": tid,
        "title": template["title"],
        "docx": f"../{tid}.docx",
        "workdays": "../workdays.json",
        "publicity_min_workdays": min_publicity_workdays(ctx, template),
        "file_base": attachments.base_name(template),
        "order": blank_order(template),
        "header_aliases": attachments.HEADER_ALIASES,
        "blanks": {name: {"label": b["label"], "kind": b["kind"],
                          "placeholder": b.get("placeholder") or b["label"],
                          "options": b.get("options"),
                          "suggest": b.get("suggest")}
                   for name, b in template["blanks"].items()},
    }
    # JSON inside <script type="application/json">: no "<", ">" or "&" at all, so neither
    # "</script" nor "<!--" can appear, whatever a template's text holds.
    data = (json.dumps(config, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    origin = ("原文只列出附件名称，本模板由本站按通知要求拟写" if template.get("inferred")
              else "照录通知所附原文")
    lines = [
        "---",
        str(front_matter(title=shown, description=template.get("summary", template["title"]),
                         zc_search={"kind": "模板", "weight": 0.5, "title": shown})),
        "---",
        f"# {fmt.md_text(shown)}",
        "",
        '<div class="zc-section zc-tpl-meta" markdown="0">',
    ]
    if template.get("summary"):
        lines.append(f"<p>{fmt.rich(template['summary'])}</p>")
    lines.append(f'<p><span class="zc-badge{" zc-badge--cond" if template.get("inferred") else ""}">{escape(origin)}</span>'
                 f" 类型：{escape(KIND_LABELS.get(template['kind'], template['kind']))}</p>")
    if template.get("inferred"):
        lines.append(
            '<div class="admonition warning zc-inferred"><p class="admonition-title">非通知原文</p>'
            f"<p>{fmt.rich(template['inferred']['reason'])}</p></div>"
        )
    if used_by:
        lines.append("<p>使用本模板的通知：</p><ul>")
        for u in used_by:
            n = u["notice"]
            short = n.get("short_title") or n["title"]
            lines.append(f'<li><a href="../../notices/{escape(n["id"])}/#templates">{escape(short)}</a>'
                         f"（{escape(u['where'])}：{escape(u['title'])}）</li>")
        lines.append("</ul>")
    lines += borrowed_notes(ctx, template)
    if template["source"].get("note"):
        lines.append(f"<p><small>整理说明：{fmt.rich(template['source']['note'])}</small></p>")
    lines.append("</div>")
    lines += [
        "",
        "## 填写与下载 { #fill }",
        "",
        '<div class="zc-section zc-tpl-fill" markdown="0">',
        form_html(template),
        "</div>",
        "",
        "## 批量生成（多位申报人） { #batch }",
        "",
        '<div class="zc-section zc-tpl-batch" markdown="0">',
        batch_html(template),
        "</div>",
        "",
        "## 文档预览 { #document }",
        "",
        '<div class="zc-section zc-tpl-doc" markdown="0">',
        '<p class="zc-hint">下划线处为待填空白；上方填写的内容会实时显示在这里，也可直接打印本页。</p>',
        document_html(template),
        "</div>",
        "",
        f'<script type="application/json" id="zc-template-data">{data}</script>',
        '<script type="module" src="../../assets/javascripts/prefill.js"></script>',
        '<script type="module" src="../../assets/javascripts/batch.js"></script>',
        "",
    ]
    return "\n".join(lines)


def render_index(ctx: SiteContext, used: dict[str, list[dict]]) -> str:
    from generator.site.notices import front_matter

    lines = [
        "---",
        str(front_matter(title="模板下载", description="各地职称申报通知所附模板：推荐单位公示、公示结果、推荐报告、主管单位推荐意见、免除继续教育学习申请表，Word 下载与在线填写。",
                         zc_search={"kind": "模板", "weight": 0.5, "title": "模板下载"})),
        "---",
        "# 模板下载",
        "",
        '<div class="zc-section" markdown="0">',
        f"<p>通知要求上传或报送的模板，均可下载为 Word 文件（.docx，A4，仿宋/小标宋字体），或在模板页在线填写后下载。{escape(PRIVACY)}</p>",
        '<p>标注“本站拟写”的模板：通知只列出了附件名称而未附全文，措辞按通知条款拟写，请以发文单位提供的正式模板为准。</p>',
        '<div class="zc-table" tabindex="0" role="region" aria-label="模板列表"><table>',
        "<thead><tr><th>模板</th><th>类型</th><th>使用的通知</th><th>来源</th><th>下载</th></tr></thead><tbody>",
    ]
    order = sorted(ctx.content.templates.values(),
                   key=lambda t: (min((u["notice"]["id"] for u in used.get(t["id"], [])), default="~"), t["id"]))
    for tpl in order:
        tid = tpl["id"]
        notices = "<br>".join(
            f'<a href="../notices/{escape(u["notice"]["id"])}/#templates">{escape(u["notice"].get("short_title") or u["notice"]["title"])}</a>'
            f" <small>{escape(u['where'])}</small>" for u in used.get(tid, [])) or "—"
        origin = '<span class="zc-badge zc-badge--cond">本站拟写</span>' if tpl.get("inferred") else "通知原文"
        lines.append(
            f'<tr id="tpl-{escape(tid)}"><td><a href="{escape(tid)}/">{escape(display_title(ctx, tpl, used.get(tid, [])))}</a></td>'
            f"<td>{escape(KIND_LABELS.get(tpl['kind'], tpl['kind']))}</td><td>{notices}</td><td>{origin}</td>"
            f'<td><a href="{escape(tid)}.docx" download>Word</a> · <a href="{escape(tid)}/#fill">在线填写</a></td></tr>'
        )
    lines += ["</tbody></table></div>", "</div>", ""]
    return "\n".join(lines)


def produce(ctx: SiteContext) -> Iterable[Artifact]:
    from generator.site import memo

    templates = getattr(ctx.content, "templates", None) or {}
    used = usages(ctx)
    for tid, tpl in templates.items():
        # Under `mkdocs serve`: the files of a template are made again only when the shared
        # content changed, its page also when a notice using it changed.
        shared = (lambda: memo.shared_key(ctx)) if memo.ENABLED else ""
        users = (lambda: (memo.shared_key(ctx), [(u["notice"]["id"], memo.notice_key(ctx, u["notice"]["id"]),
                                                  u["where"], u["title"]) for u in used.get(tid, [])]))
        yield Artifact(f"templates/{tid}.docx", memo.cached(f"docx:{tid}", shared, lambda: render_docx(tpl)))
        yield Artifact(f"templates/{tid}/index.md", memo.cached(
            f"template-page:{tid}", users, lambda: render_template_page(ctx, tpl, used.get(tid, []))))
        yield Artifact(f"templates/{tid}-columns.csv", memo.cached(
            f"columns-csv:{tid}", shared, lambda: attachments.columns_csv(tpl)))
        yield Artifact(f"templates/{tid}-columns.xlsx", memo.cached(
            f"columns-xlsx:{tid}", shared, lambda: attachments.columns_xlsx(tpl)))
    yield from vendor_files(ctx)
    years = sorted({n["year"] for n in ctx.content.notices.values()})
    yield Artifact("templates/workdays.json", memo.cached(
        "workdays", lambda: (memo.shared_key(ctx), years),
        lambda: json.dumps(workday_calendar(ctx), ensure_ascii=False)))
    yield Artifact("templates/index.md", render_index(ctx, used))


__all__ = ["produce", "usages", "workday_calendar", "document_html", "form_html"]
