"""``python -m generator eligibility --notice ID --profile FILE [--json] [--today YYYY-MM-DD[THH:MM]]``."""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import UserError, display_path

NAME = "eligibility"
HELP = "核验申报人档案（JSON 或 YAML）是否符合某份通知的申报条件，并列出需要准备的材料"

VERDICTS = {
    "eligible": "符合申报条件（本工具能判断的条件均已满足）",
    "ineligible": "不符合申报条件",
    "incomplete": "信息不全，暂无法判断（请补充下列信息）",
}
SEVERITY = {"blocker": "必须满足", "warning": "提醒", "info": "说明"}
MARK = {"pass": "✓", "fail": "✗", "unknown": "?"}


def add_arguments(parser) -> None:
    parser.add_argument("--notice", required=True, metavar="ID", help="通知标识，如 2025-bortala")
    parser.add_argument("--profile", required=True, metavar="FILE", help="申报人档案文件（.json 或 .yaml）")
    parser.add_argument("--json", action="store_true", help="输出结果对象（JSON），而不是中文报告")
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD[THH:MM]",
        help="按此时刻（北京时间）判断申报时间是否已开始/截止，如 2025-11-04T17:59（默认不判断；中文报告默认用当前时刻）",
    )
    parser.add_argument("--content", default="content", metavar="DIR", help="内容目录（默认 content）")


MAX_PROFILE_BYTES = 256_000  # a real profile is under 2 kB
MAX_PROFILE_NODES = 2_000
MAX_PROFILE_DEPTH = 8  # profile → continuing_education → entry → value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 30:
        raise _TooLong(len(text.lstrip("-")))
    return int(text)


class _TooLong(ValueError):
    pass


def _check_shape(value, shown: str) -> None:
    """Refuse documents no applicant profile can be before the engine validates them."""
    from generator.content.yamlio import CONTROL_CHARS

    count = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_PROFILE_DEPTH:
            raise UserError(f"{shown}: 嵌套层次过深（超过 {MAX_PROFILE_DEPTH} 层）：这不是申报人档案")
        if count > MAX_PROFILE_NODES:
            raise UserError(f"{shown}: 条目过多（超过 {MAX_PROFILE_NODES} 个）：这不是申报人档案")
        if isinstance(node, str) and CONTROL_CHARS.search(node):
            bad = CONTROL_CHARS.search(node).group()
            raise UserError(f"{shown}: 文字中有控制字符 U+{ord(bad):04X}：请删除")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def read_profile(path: Path):
    from generator.content.yamlio import read_text
    from generator.errors import ContentError

    shown = display_path(path)
    try:
        text = read_text(path, shown)  # size limit, special files and symlink loops refused
    except ContentError as err:
        message = err.problems[0].message if err.problems else "无法读取"
        if message == "文件不存在":
            message = "找不到申报人档案文件"
        elif message.startswith("文件不是 UTF-8"):
            message = "文件不是 UTF-8 编码的文本"
        elif "1 MB" in message:
            message = "文件过大：申报人档案不会超过 256 KB"
        raise UserError("\n".join([f"{shown}: {message}"] + [str(p) for p in err.problems[1:]])) from None
    if len(text.encode("utf-8")) > MAX_PROFILE_BYTES:
        raise UserError(f"{shown}: 文件过大：申报人档案不会超过 256 KB") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text, parse_int=_bounded_int)
        except json.JSONDecodeError as err:
            raise UserError(f"{shown}:{err.lineno}:{err.colno}: JSON 格式错误（{err.msg}）") from None
        except _TooLong as err:
            raise UserError(f"{shown}: 整数过长（{err.args[0]} 位）：档案中的数字不会这么长") from None
        except RecursionError:
            raise UserError(f"{shown}: 嵌套层次过深：这不是申报人档案") from None
        _check_shape(data, shown)
        return data
    # YAML through the content loader's parser: dates stay strings (2025-13-01 is reported by
    # the schema, not a crash), duplicate keys, tabs and aliases are path:line:col errors.
    from generator.content.yamlio import parse_yaml

    data = parse_yaml(text, shown).data
    _check_shape(data, shown)
    return data


def load_bundle(content_dir: Path) -> tuple[dict, object]:
    from generator.content.bundle import build_bundle
    from generator.content.load import load_content

    content = load_content(content_dir)
    return build_bundle(content), content


MAX_CHOICES = 12


def choices(wanted, ids: list[str]) -> str:
    """ "；可选：…" after an unknown notice id: every id when there are few, else the closest ones."""
    import difflib

    if len(ids) <= MAX_CHOICES:
        return "；可选：" + "、".join(sorted(ids))
    text = wanted if isinstance(wanted, str) else ""
    close = difflib.get_close_matches(text, ids, n=MAX_CHOICES, cutoff=0.5)
    same_year = sorted(i for i in ids if text[:5] and i.startswith(text[:5]))
    shown = list(dict.fromkeys(close + same_year))[:MAX_CHOICES]
    if not shown:
        return f"；共 {len(ids)} 份通知，标识即 content/notices/ 中的文件名"
    return f"；相近的有：{'、'.join(shown)}（共 {len(ids)} 份通知，标识即 content/notices/ 中的文件名）"


def run(args) -> int:
    from generator.engine import EngineError, evaluate
    from generator.engine.clock import now, parse_today

    if args.today is not None:
        try:
            parse_today(args.today)
        except EngineError:
            raise UserError(
                f"--today：{args.today!r} 不是有效日期或时间（格式 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，北京时间，"
                "如 2025-10-20 或 2025-11-04T17:59）"
            ) from None
    path = Path(args.profile)
    profile = read_profile(path)
    bundle, content = load_bundle(Path(args.content))
    today = args.today
    if today is None and not args.json:
        today = now().strftime("%Y-%m-%dT%H:%M")
    try:
        result = evaluate(bundle, args.notice, profile, today=today)
    except EngineError as err:
        if err.problems and err.problems[0]["field"] == "notice":
            raise UserError(err.message + choices(args.notice, list(bundle["notices"]))) from None
        if err.problems and err.problems[0]["field"] == "today":
            raise UserError(err.message) from None
        shown = display_path(path)
        raise UserError("\n".join(f"{shown}: {p['message']}" for p in err.problems)) from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_report(result, bundle, getattr(content, "templates", {}) or {}))
    return 0


def render_report(result: dict, bundle: dict, templates: dict) -> str:
    """A Chinese report: the verdict, why, and what to prepare."""
    notice = bundle["notices"][result["notice"]]
    props = bundle["applicant_schema"]["properties"]
    title = notice.get("short_title") or notice.get("title") or result["notice"]
    out = [f"{title}（{result['notice']}）", ""]
    window = result.get("window")
    closed = ""
    if window and window["status"] == "closed":
        from generator.engine.clock import parse_moment

        end, timed = parse_moment(window["end"])
        closed = f"；但本轮申报已于 {end.strftime('%Y-%m-%d %H:%M') if timed else window['end']} 截止"
    out.append(f"结论：{VERDICTS[result['verdict']]}{closed}")
    out.append(f"年限计算基准日：{result['reference_date']}")
    if window:
        from generator.engine.clock import parse_moment
        from generator.engine.timeline import STATUS_LABELS

        def shown(value):
            moment, timed = parse_moment(value)
            return moment.strftime("%Y-%m-%d %H:%M") if timed else value

        status = STATUS_LABELS[window["status"]]
        out.append(
            f"申报时间：{shown(window['start'])} 至 {shown(window['end'])}（北京时间；"
            f"按 {shown(window['today'])}：{status}）"
        )
        if window.get("next"):
            out.append(f"本轮已截止。{window['next']['text']}；请留意：{'、'.join(window['next']['watch'])}。")
    groups = [
        ("不满足的条件（不得申报的原因）", lambda r: r["severity"] == "blocker" and r["outcome"] == "fail"),
        ("尚需补充信息才能判断的条件", lambda r: r["severity"] == "blocker" and r["outcome"] == "unknown"),
        ("已满足的条件", lambda r: r["severity"] == "blocker" and r["outcome"] == "pass"),
        ("提醒（不影响结论，但影响材料是否合格）", lambda r: r["severity"] == "warning"),
        ("说明与需自行核对的事项", lambda r: r["severity"] == "info"),
    ]
    for heading, keep in groups:
        reasons = [r for r in result["reasons"] if keep(r)]
        if not reasons:
            continue
        out += ["", f"{heading}："]
        for r in reasons:
            clause = f"（见通知 {r['clause']}）" if r.get("clause") else ""
            out.append(f"  {MARK[r['outcome']]} {r['message']}{clause}")
            if r.get("detail") and not (r.get("missing") and r["detail"].startswith("还需填写")):
                out.append(f"    {r['detail']}")
            if r.get("missing"):
                names = "、".join(f"{props.get(f, {}).get('title', f)}（{f}）" for f in r["missing"])
                out.append(f"    请在档案中填写：{names}")
    out += ["", f"需要准备的材料（{len(result['checklist'])} 项）："]
    for i, item in enumerate(result["checklist"], 1):
        if item["status"] == "if_applicable":
            flag = "视情况"
        else:
            flag = "必交" if item["required"] else "有则提交"
        clause = f"（见通知 {item['clause']}）" if item.get("clause") else ""
        out.append(f"  {i}. [{flag}] {item['title']}{clause}")
        out.append(f"     原因：{item['why']}")
        if item.get("missing"):
            names = "、".join(props.get(f, {}).get("title", f) for f in item["missing"])
            out.append(f"     是否需要取决于：{names}")
        if item.get("template"):
            tpl = templates.get(item["template"], {})
            name = tpl.get("title", item["template"]) if isinstance(tpl, dict) else item["template"]
            out.append(f"     模板：{name}（站点 templates/ 页面可下载，标识 {item['template']}）")
    return "\n".join(out)
