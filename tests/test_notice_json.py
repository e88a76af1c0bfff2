"""data/notices/<id>.json is written without json's pure-Python indenting encoder
(generator/site/pages/data.py) and must be exactly what json.dumps(indent=2) writes."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.site.pages.data import notice_json

ROOT = Path(__file__).resolve().parent.parent


def expected(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_every_bundled_notice_and_its_synthetic_copies_as_json_dumps_writes_them():
    from benchmarks.synthetic import bundled_notices, synthetic_notice
    from generator.content.load import load_content

    notices = list(load_content(ROOT / "content").notices.values())
    notices += [synthetic_notice(n, k) for n in bundled_notices() for k in (1, 7)]
    assert len(notices) >= 12
    for notice in notices:
        assert notice_json(notice) == expected(notice)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


@given(json_values)
def test_any_loaded_value_including_nan_and_odd_text_as_json_dumps_writes_it(value):
    assert notice_json(value) == expected(value)


def test_keys_that_are_not_text_fall_back_to_json_dumps():
    value = {"a": {1: [True, None], 2.5: {}}, "b": []}
    assert notice_json(value) == expected(value)
