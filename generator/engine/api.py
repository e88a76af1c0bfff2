"""JSON in, JSON out: the engine's one entry point for the browser worker (and any other caller).

The Web Worker (site_overrides/assets/validator/worker.js) loads the core of the bundle into
:class:`Api` (``data/engine/core.json``: version, applicant schema, holidays, no notices), adds
each notice when it is first needed with :meth:`Api.add_notice` (the text of
``data/engine/<id>.json``; the worker fetches and checks it, this module does no I/O) and calls
:meth:`Api.call_json` with the request text; the command line and the tests call the same
functions with the whole bundle as plain dicts. Every answer is ``{"ok": true, "data": ...}`` or
``{"ok": false, "data": {"message", "problems"[, "internal"]}}`` — never an exception.

Requests (``type`` → ``data``):

- ``evaluate``: ``{notice, profile, today?}`` → the result object (CONTRACTS §6).
- ``workdays``: ``{start, end?, count?}`` → ``{start, end?, workdays?, count?, earliest_end?,
  enough?, text}``: working days of a publicity period under the official holiday calendar,
  the earliest end for ``count`` working days, and one Chinese sentence saying what it means.
- ``window``: ``{notice, today}`` → the ``window`` member alone (status at a moment).
"""

from __future__ import annotations

import json

from generator.engine.clock import to_date
from generator.engine.errors import EngineError
from generator.engine.evaluate import evaluate, unknown_notice
from generator.engine.profile import show
from generator.engine.timeline import window
from generator.engine.workdays import count_workdays, nth_workday


def _internal(err: Exception) -> dict:
    return {"message": f"核验器内部错误：{type(err).__name__}: {err}", "problems": [], "internal": True}


_date = to_date


def workdays(bundle: dict, start, end=None, count=None) -> dict:
    """Publicity-period arithmetic, entirely in the engine (the page only shows ``text``)."""
    holidays = bundle.get("holidays")
    first = _date(start, "start")
    data: dict = {"start": first.isoformat()}
    parts = []
    if end:
        last = _date(end, "end")
        data["end"] = last.isoformat()
        if last < first:
            text = f"结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}，请检查。"
            raise EngineError(text, [{"field": "end", "message": text}])
        data["workdays"] = count_workdays(first, last, holidays)
        parts.append(
            f"公示期 {first.isoformat()} 至 {last.isoformat()} 共 {data['workdays']} 个工作日"
            "（已扣除法定节假日，计入调休上班日）。"
        )
    if count:
        data["count"] = int(count)
        data["earliest_end"] = nth_workday(first, int(count), holidays).isoformat()
        parts.append(
            f"通知要求公示不少于 {data['count']} 个工作日：自 {first.isoformat()} 开始，"
            f"最早可于 {data['earliest_end']} 结束。"
        )
        if "workdays" in data:
            data["enough"] = data["workdays"] >= data["count"]
            parts.append("公示天数符合要求。" if data["enough"] else "公示天数不足，请延长公示期。")
    data["text"] = "".join(parts)
    return data


def handle(bundle: dict, request) -> dict:
    """One request (a dict ``{type, data}``) → ``{"ok", "data"}``."""
    try:
        if not isinstance(request, dict):
            raise EngineError("请求应为对象", [])
        kind, data = request.get("type"), request.get("data") or {}
        if kind == "evaluate":
            result = evaluate(bundle, data.get("notice"), data.get("profile"), today=data.get("today") or None)
        elif kind == "workdays":
            result = workdays(bundle, data.get("start"), data.get("end"), data.get("count"))
        elif kind == "window":
            notice_id = data.get("notice")
            notice = bundle.get("notices", {}).get(notice_id) if isinstance(notice_id, str) else None
            if notice is None:
                raise unknown_notice(notice_id)
            result = window(notice, data.get("today"))
        else:
            raise EngineError(f"未知的请求类型：{show(kind)}", [])
        return {"ok": True, "data": result}
    except EngineError as err:
        return {"ok": False, "data": err.to_dict()}
    except Exception as err:  # a bug: reported as such, never as a verdict
        return {"ok": False, "data": _internal(err)}


def add_notice(bundle: dict, notice, expected_id=None) -> str:
    """Adds one notice of the bundle (as ``build_bundle`` made it) to ``bundle``; returns its id.

    Raises :class:`EngineError` (Chinese) when ``notice`` is not a notice object or is not the
    notice ``expected_id`` that was asked for.
    """
    notice_id = notice.get("id") if isinstance(notice, dict) else None
    if not isinstance(notice_id, str) or not isinstance(notice.get("rules", []), list):
        raise EngineError("通知规则数据无效：应为一份通知（带 id 的对象）", [])
    if expected_id is not None and notice_id != expected_id:
        raise EngineError(f"通知规则数据与所请求的通知不符：请求 {show(expected_id)}，收到 {show(notice_id)}", [])
    bundle.setdefault("notices", {})[notice_id] = notice
    return notice_id


class Api:
    """The bundle loaded once (whole, or its core with notices added one by one); requests
    answered as JSON text (for Pyodide)."""

    def __init__(self, bundle_text: str):
        self.bundle = json.loads(bundle_text)
        self.bundle.setdefault("notices", {})

    def add_notice(self, notice_text: str, expected_id=None) -> str:
        """Adds one notice (the JSON text of ``data/engine/<id>.json``); answers
        ``{"ok": true, "data": {"notice": id}}`` or ``{"ok": false, "data": {"message", ...}}``."""
        try:
            notice = json.loads(notice_text)
            answer = {"ok": True, "data": {"notice": add_notice(self.bundle, notice, expected_id)}}
        except ValueError as err:
            answer = {"ok": False, "data": {"message": f"通知规则数据不是有效的 JSON：{err}", "problems": []}}
        except EngineError as err:
            answer = {"ok": False, "data": err.to_dict()}
        return json.dumps(answer, ensure_ascii=False)

    def call_json(self, request_text: str) -> str:
        try:
            request = json.loads(request_text)
        except ValueError as err:
            return json.dumps({"ok": False, "data": _internal(err)}, ensure_ascii=False)
        return json.dumps(handle(self.bundle, request), ensure_ascii=False)
