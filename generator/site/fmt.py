"""Formatting helpers shared by the page producers: Chinese labels, Beijing-time dates, escaping.

Producer templates are ``*.html`` Jinja files (autoescaped) that emit Markdown headings and raw
HTML blocks; text from content/ therefore never gets a chance to be read as Markdown.
"""

from __future__ import annotations

import re
import jinja2
from markupsafe import Markup, escape

from generator.engine.clock import date_or_none, instant_iso, parse_when  # noqa: F401  (parse_when: re-exported)
from generator.engine.timeline import STATUS_LABELS, window_instants

def _enum_labels(field: str) -> dict[str, str]:
    """Chinese labels of an applicant field's values: one source, the schema's ``x-enum-labels``."""
    from generator.content.bundle import load_applicant_schema

    return dict(load_applicant_schema()["properties"][field].get("x-enum-labels", {}))


LEVELS = _enum_labels("target_level")
KINDS = _enum_labels("application_type")
EMPLOYER_TYPES = _enum_labels("employer_type")
PHASES = {
    "preparation": "准备",
    "application": "网上申报",
    "unit_review": "单位审核推荐",
    "review": "材料审核",
    "paper_submission": "报送纸质材料",
    "payment": "缴费",
    "defense": "答辩",
    "committee": "评审会",
    "publicity": "结果公示",
    "results": "结果发布",
    "filing": "备案",
    "other": "其他",
}
POLICY_KINDS = {
    "exemption": "免除",
    "early_application": "提前申报",
    "equivalence": "视同",
    "direct_application": "直接申报",
    "cross_region": "跨地区",
    "continuity": "年限连续计算",
    "relaxation": "放宽条件",
    "integrity": "诚信",
    "other": "其他",
}
MASKING = {"required": "需要遮盖", "not_required": "无需遮盖", "as_rules": "按遮盖要求"}
SEVERITY = {"blocker": "必须满足", "warning": "提醒", "info": "说明"}
ISSUER_LEVELS = {"autonomous_region": "自治区", "prefecture": "地州市", "county": "县市区", "development_zone": "开发区（园区）"}
# What a page says for a section the notice is silent on (``silent_on``) — never said of a section
# that is simply not entered yet.
SECTIONS = {
    "fees": "费用", "masking": "遮盖（盲评）要求", "submission": "提交次数与退回补正", "attachments": "附件",
    "policies": "有关政策", "oversight": "监督与诚信", "exclusions": "不得申报的情形", "criteria": "评审条件",
    "application_steps": "申报步骤", "material_rules": "材料通用要求", "basis": "依据文件",
}

_URL = re.compile(r"https?://[!-~]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}[!-~]*")
_URL_TRAIL = ".,;:!?)]}>'\""


def when_cn(value: str | None, *, year: bool = True) -> str:
    """``2023-10-11T20:00+08:00`` → ``2023年10月11日20:00`` (北京时间, exact as in the notice)."""
    if not value:
        return ""
    day, hhmm = parse_when(value)
    text = f"{day.month}月{day.day}日"
    if year:
        text = f"{day.year}年" + text
    return text + (hhmm or "")


def date_cn(value: str | None) -> str:
    if not value:
        return ""
    day = date_or_none(value)
    if day is None:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"


def instant(value: str, *, end: bool) -> str:
    """ISO instant with offset for the browser; a bare end date means 24:00 of that day.

    The engine's timeline model decides this (generator/engine/timeline.py), for every page.
    """
    return instant_iso(value, end=end)


def rich(text) -> Markup:
    """Escapes text for HTML, turns URLs into links and line breaks into <br>."""
    if text is None:
        return Markup("")
    text = str(text)
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group(0)
        stripped = url.rstrip(_URL_TRAIL)
        end = m.start() + len(stripped)
        out.append(str(escape(text[pos:m.start()])))
        href = stripped if stripped.startswith("http") else "http://" + stripped
        out.append(f'<a href="{escape(href)}" rel="noopener">{escape(stripped)}</a>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out).strip().replace("\n", "<br>\n"))


def fmt_amount(value) -> str:
    """150.0 → "150", 12.5 → "12.5"."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def clause(value) -> Markup:
    """The citation shown next to every fact: 〔原文 五、（三）1〕."""
    if not value:
        return Markup("")
    return Markup('<span class="zc-clause" title="通知原文条款">原文 {}</span>').format(value)


def md_text(text) -> str:
    """Escapes text for use inside a Markdown heading or link text."""
    text = str(escape(str(text))).replace("\n", " ")
    return Markup(re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", text))


def levels_cn(values) -> str:
    return "、".join(LEVELS.get(v, v) for v in values or ())


def kinds_cn(values) -> str:
    return "、".join(KINDS.get(v, v) for v in values or ())


def status_badge(start: str | None, end: str | None) -> Markup:
    """A status mark filled in by status.js ("now" or ``?today=``) from the engine's instants."""
    if not (start or end):
        return Markup("")
    attrs = ""
    if start:
        attrs += f' data-zc-start="{escape(instant_iso(start, end=False))}"'
    if end:
        attrs += f' data-zc-end="{escape(instant_iso(end, end=True))}"'
    labels = "|".join(STATUS_LABELS[s] for s in ("upcoming", "open", "closed"))
    return Markup(f'<span class="zc-when"{attrs} data-zc-labels="{labels}" hidden></span>')


def phase_badge(phase: dict) -> Markup:
    return status_badge(phase.get("start"), phase.get("end"))


def window_badge(notice: dict) -> Markup:
    """The notice's application window as a status mark (empty when it has no dated window)."""
    span = window_instants(notice)
    return status_badge(span["start"], span["end"]) if span else Markup("")


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Registers the filters above on the shared Jinja environment (idempotent)."""
    env.filters.update(
        rich=rich,
        tel=tel,
        clause=clause,
        md=md_text,
        when=when_cn,
        date_cn=date_cn,
        levels=levels_cn,
        kinds=kinds_cn,
        level=lambda v: LEVELS.get(v, v),
        kind=lambda v: KINDS.get(v, v),
        employer=lambda v: EMPLOYER_TYPES.get(v, v),
        phase=lambda v: PHASES.get(v, v),
        policy_kind=lambda v: POLICY_KINDS.get(v, v),
        masking=lambda v: MASKING.get(v, v),
        severity=lambda v: SEVERITY.get(v, v),
        issuer_level=lambda v: ISSUER_LEVELS.get(v, v),
        yuan=fmt_amount,
        phase_badge=phase_badge,
        window_badge=window_badge,
    )
    return env
