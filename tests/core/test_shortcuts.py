"""Shortcuts taken for speed give exactly what the plain way gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core import projects
from core.rules import FIELD_RULES

_WORDINGS = [re.compile(w) for rule in FIELD_RULES for w in rule.wordings]
_PIECES = sorted(
    {w for rule in FIELD_RULES for w in re.findall(r"[\u4e00-\u9fff]{1,4}", "".join(rule.wordings))}
)


def _is_field_label_one_by_one(name: str) -> bool:
    bare = re.sub(r"^(?:[0-9]{4}年度?)?(?:本年度?|全年)?", "", name)
    return any(p.fullmatch(bare) for p in _WORDINGS)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "2023年", "本年度", "全年", "的", "项目"]), max_size=5))
def test_one_pattern_for_all_wordings_fullmatches_as_any_of_them(pieces):
    name = "".join(pieces)
    assert projects._is_field_label(name) == _is_field_label_one_by_one(name)


# Names that fullmatch a wording (those with a lookahead past the end never do).
_WORDED = st.one_of(
    [st.from_regex(w.pattern, fullmatch=True) for w in _WORDINGS if "(?=" not in w.pattern]
)


@settings(max_examples=500, deadline=None)
@given(_WORDED, st.sampled_from(["", "2023年", "本年度", "全年", "2024年度本年"]))
def test_names_worded_as_labels_are_judged_as_one_by_one(name, lead):
    assert projects._is_field_label(lead + name) == _is_field_label_one_by_one(lead + name)


def test_field_labels_are_recognised_and_project_names_are_not():
    assert projects._is_field_label("2023年度基本支出")
    assert projects._is_field_label("项目支出")
    assert not projects._is_field_label("农村道路建设项目")
