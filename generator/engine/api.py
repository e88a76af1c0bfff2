"""JSON in, JSON out: the engine's one entry point for the browser worker (and any other caller).

The Web Worker (site_overrides/assets/validator/worker.js) loads the bundle into :class:`Api`
and calls :meth:`Api.call_json` with the request text; the command line and the tests call the
same functions with plain dicts. Every answer is ``{"ok": true, "data": ...}`` or
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
from generator.engine.evaluate import evaluate
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
            notice = bundle.get("notices", {}).get(data.get("notice"))
            if notice is None:
                raise EngineError(f"未知的通知 {show(data.get('notice'))}", [])
            result = window(notice, data.get("today"))
        else:
            raise EngineError(f"未知的请求类型：{show(kind)}", [])
        return {"ok": True, "data": result}
    except EngineError as err:
        return {"ok": False, "data": err.to_dict()}
    except Exception as err:  # a bug: reported as such, never as a verdict
        return {"ok": False, "data": _internal(err)}


class Api:
    """The bundle loaded once; requests answered as JSON text (for Pyodide)."""

    def __init__(self, bundle_text: str):
        self.bundle = json.loads(bundle_text)

    def call_json(self, request_text: str) -> str:
        try:
            request = json.loads(request_text)
        except ValueError as err:
            return json.dumps({"ok": False, "data": _internal(err)}, ensure_ascii=False)
        return json.dumps(handle(self.bundle, request), ensure_ascii=False)
