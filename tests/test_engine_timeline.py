"""One timeline model (generator/engine/timeline.py) and the engine's JSON API (api.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from generator.content.bundle import build_bundle
from generator.content.load import load_content
from generator.engine import EngineError, evaluate
from generator.engine.api import Api, handle
from generator.engine.timeline import (
    BEIJING,
    COUNTDOWN_DAYS,
    countdown,
    countdown_at,
    parse_today,
    status_at,
    window_instants,
)

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "tests" / "cases" / "profiles" / "bortala-engineer.json"


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(load_content(ROOT / "content"))


@pytest.mark.parametrize(
    "today, status",
    [
        ("2025-10-11T09:59", "upcoming"),
        ("2025-10-11T10:00", "open"),
        ("2025-11-04T17:59", "open"),
        ("2025-11-04T18:00", "closed"),
        ("2025-11-04T20:00", "closed"),  # the evening of the closing day: closed, not "open all day"
        ("2025-11-04T10:01:00.000Z", "closed"),  # the browser's UTC instant is 18:01 in Beijing
        ("2025-11-04T09:59:00Z", "open"),
        ("2025-11-04", "open"),  # a bare date asks about the whole day
        ("2025-11-05", "closed"),
    ],
)
def test_window_status_has_the_time_of_day_in_beijing_time(bundle, today, status):
    window = evaluate(bundle, "2025-bortala", {}, today=today)["window"]
    assert window["status"] == status
    assert window["start"] == "2025-10-11T10:00+08:00" and window["end"] == "2025-11-04T18:00+08:00"


def test_a_closed_round_says_when_the_next_is_usually_published(bundle):
    window = evaluate(bundle, "2025-bortala", {}, today="2026-03-01T12:00")["window"]
    assert window["status"] == "closed"
    assert window["next"]["months"] == [10]  # 博州's notice was issued on 2025-10-10
    assert "10月" in window["next"]["text"]
    assert "自治州人力资源和社会保障局" in window["next"]["watch"]
    assert "next" not in evaluate(bundle, "2025-bortala", {}, today="2025-10-20T12:00")["window"]


def test_status_boundaries_are_half_open_instants():
    start = datetime(2025, 10, 11, 10, tzinfo=BEIJING)
    end = datetime(2025, 11, 4, 18, tzinfo=BEIJING)
    assert status_at(start, end, end) == "closed"
    assert status_at(start, end, start) == "open"


def test_pages_get_the_instants_they_compare_with(bundle):
    assert window_instants(bundle["notices"]["2025-bortala"]) == {
        "start": "2025-10-11T10:00+08:00",
        "end": "2025-11-04T18:00+08:00",
    }
    hami = window_instants(bundle["notices"]["2023-hami"])
    assert hami["end"].endswith("+08:00")


@pytest.mark.parametrize(
    "now, text",
    [
        ("2025-10-04T23:59", ""),  # more than COUNTDOWN_DAYS ahead: the date alone
        ("2025-10-05T00:00", "还剩 31 天"),
        ("2025-10-20T12:00", "还剩 16 天"),  # 10-20 … 11-04: 16 days to apply on, today included
        ("2025-11-02T23:59", "还剩 3 天"),
        ("2025-11-03T00:00", "明天截止"),
        ("2025-11-04T00:00", "今天截止"),
        ("2025-11-04T17:59", "今天截止"),
        ("2025-11-04T18:00", "已截止"),  # the end instant itself is closed (half-open window)
        ("2025-11-04T20:00", "已截止"),  # the evening of the closing day: not "今天截止"
        ("2025-11-04T09:59:00Z", "今天截止"),  # a UTC instant, 17:59 in Beijing
        ("2026-01-01", "已截止"),
    ],
)
def test_countdown_of_a_window_closing_at_18_00(now, text):
    assert countdown_at(countdown("2025-11-04T18:00+08:00"), now) == text


@pytest.mark.parametrize(
    "now, text",
    [
        ("2025-11-03T23:59", "明天截止"),
        ("2025-11-04T00:00", "今天截止"),
        ("2025-11-04T23:59", "今天截止"),  # a date-only end: the whole day counts
        ("2025-11-05T00:00", "已截止"),  # … and closes at the next midnight
    ],
)
def test_countdown_of_a_date_only_end_closes_at_the_next_midnight(now, text):
    assert countdown_at(countdown("2025-11-04"), now) == text


def test_countdown_breakpoints_are_beijing_instants_in_order():
    timed = countdown("2025-11-04T18:00+08:00")
    assert timed[-4:] == [
        ["2025-11-02T00:00+08:00", "还剩 3 天"],
        ["2025-11-03T00:00+08:00", "明天截止"],
        ["2025-11-04T00:00+08:00", "今天截止"],
        ["2025-11-04T18:00+08:00", "已截止"],
    ]
    assert len(timed) == COUNTDOWN_DAYS + 2
    assert timed[0] == ["2025-10-05T00:00+08:00", f"还剩 {COUNTDOWN_DAYS + 1} 天"]
    instants = [datetime.fromisoformat(at) for at, _ in timed]
    assert instants == sorted(instants) and len(set(instants)) == len(instants)
    assert all(at.endswith("+08:00") for at, _ in timed)
    # A date-only end and the same end written as the next midnight are one deadline; an end
    # written in UTC is converted to Beijing time first.
    assert countdown("2025-11-04") == countdown("2025-11-05T00:00+08:00")
    assert countdown("2025-11-04T10:00Z") == timed
    # A deadline just after midnight still closes on that day.
    assert countdown("2025-11-04T00:30+08:00")[-2:] == [
        ["2025-11-04T00:00+08:00", "今天截止"],
        ["2025-11-04T00:30+08:00", "已截止"],
    ]


@pytest.mark.parametrize("value", ["2025-13-01", "2025-11-04T25:00", "yesterday", "2025-11-04 18:00", 20251104])
def test_a_bad_today_is_a_chinese_error(value):
    with pytest.raises(EngineError) as err:
        parse_today(value)
    assert "不是有效的日期或时间" in err.value.message


def cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "today, status, text",
    [
        ("2025-11-04T17:59", "open", "正在受理"),
        ("2025-11-04T18:01", "closed", "已截止"),
    ],
)
def test_cli_today_with_time_of_day(today, status, text):
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(PROFILE), "--json", "--today", today)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["window"]["status"] == status
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(PROFILE), "--today", today)
    assert proc.returncode == 0, proc.stderr
    assert f"按 {today.replace('T', ' ')}：{text}" in proc.stdout


def test_cli_report_on_a_closed_round_says_so_and_where_to_watch():
    proc = cli("eligibility", "--notice", "2025-bortala", "--profile", str(PROFILE), "--today", "2026-02-01T09:00")
    assert proc.returncode == 0, proc.stderr
    assert "本轮申报已于 2025-11-04 18:00 截止" in proc.stdout
    assert "新一轮通知通常在每年10月前后发布" in proc.stdout


def test_api_answers_json_for_every_request(bundle):
    api = Api(json.dumps(bundle, ensure_ascii=False))
    profile = json.loads(PROFILE.read_text(encoding="utf-8"))
    answer = json.loads(
        api.call_json(json.dumps({"type": "evaluate", "data": {"notice": "2025-bortala", "profile": profile}}))
    )
    assert answer == {"ok": True, "data": evaluate(bundle, "2025-bortala", profile)}
    answer = handle(bundle, {"type": "workdays", "data": {"start": "2025-09-26", "end": "2025-10-09", "count": 5}})
    assert answer["ok"] and answer["data"]["workdays"] == 5 and answer["data"]["enough"] is True
    assert "公示天数符合要求" in answer["data"]["text"]
    answer = handle(bundle, {"type": "workdays", "data": {"start": "2025-10-09", "end": "2025-09-26"}})
    assert not answer["ok"] and "早于开始日期" in answer["data"]["message"]
    answer = handle(bundle, {"type": "window", "data": {"notice": "2025-bortala", "today": "2025-10-20T12:00"}})
    assert answer["data"]["status"] == "open"
    answer = handle(bundle, {"type": "evaluate", "data": {"notice": "2099-x", "profile": {}}})
    assert not answer["ok"] and "未知的通知" in answer["data"]["message"]
    answer = handle(bundle, {"type": "nonsense"})
    assert not answer["ok"] and "未知的请求类型" in answer["data"]["message"]
    assert json.loads(api.call_json("{not json"))["ok"] is False
