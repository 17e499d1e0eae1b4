"""Typed choices read as the buttons they stand for."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.plan import match_choice


@pytest.mark.parametrize(("typed", "option"), [
    ("in a year or two", "ready_later"),  # the words "ready later" is explained with
    ("next year", "ready_later"),
    ("in two weeks", "ready_now"),
    ("not now", "not_now"),
    ("the patients", None),
])
def test_a_typed_timing_is_read_as_the_readiness_it_means(typed: str, option: Optional[str]) -> None:
    assert match_choice("readiness", typed) == option


@pytest.mark.parametrize(("typed", "option"), [
    ("becoming an expert in wound care", "depth"),
    ("widen my experience across the trust", "breadth"),
    ("a secondment to theatres", "breadth"),
    ("stepping up to a senior role", "stretch"),
    ("staying put for now", "consolidate"),
    ("a promotion, or a secondment", None),  # two focuses: the person picks
    ("the patients", None),
])
def test_a_growth_focus_typed_in_the_persons_own_words_picks_it(typed: str, option: Optional[str]) -> None:
    assert match_choice("growth", typed) == option
