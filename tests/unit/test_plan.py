"""Typed choices read as the buttons they stand for."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.plan import match_choice, named_choices, typed_choice


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


@pytest.mark.parametrize(("name", "typed", "named"), [
    ("impact", "somewhere between solid and strong i reckon", ["solid", "strong"]),
    ("impact", "solid, maybe strong", ["solid", "strong"]),
    ("growth", "depth or breadth, not sure", ["depth", "breadth"]),
    ("readiness", "not now, maybe ready later", ["not_now", "ready_later"]),  # not "ready now": words in order
])
def test_naming_two_options_picks_neither_and_says_which_were_named(name: str, typed: str, named: list[str]) -> None:
    assert named_choices(name, typed) == named
    assert match_choice(name, typed) is None and typed_choice(name, typed) is None


@pytest.mark.parametrize(("name", "typed", "option"), [
    ("impact", "Solid", "solid"),
    ("readiness", "I'm ready now", "ready_now"),
    ("growth", "Consolidate / not now", "consolidate"),
    ("career_stage", "Early in my career", "early"),
    ("growth", "depth, not stretch", "depth"),  # the other turned down, not named
    ("growth", "breadth rather than depth", "breadth"),
])
def test_one_option_named_by_its_label_or_id_is_picked(name: str, typed: str, option: str) -> None:
    assert match_choice(name, typed) == option


@pytest.mark.parametrize(("typed", "stage"), [
    ("somewhere in the middle", "mid"),
    ("about 12 years in so middle i guess", "mid"),
    ("just qualified", "early"),
    ("late starter, career changer at 45 but new to nursing", "early"),  # "late starter", not "late"
    ("not new, not old, just in the thick of it", "mid"),  # a phrase after a "not" names nothing
    ("winding down", "later"),
    ("take my pension early", "retiring"),  # retiring, whatever else is said
    ("nearly retired", "retiring"),  # not "early", which "nearly" is spelt close to
    ("retirment", "retiring"),
    ("mid to late", None),  # two stages: the person picks
    ("i'm a nurse", None),
])
def test_a_career_stage_typed_in_the_persons_own_words_picks_it(typed: str, stage: Optional[str]) -> None:
    assert match_choice("career_stage", typed) == stage


@pytest.mark.parametrize(("typed", "stage"), [
    ("im 58", "later"),
    ("late 50s", "later"),
    ("mid 40s", "mid"),  # an age, not "mid"
    ("mid 50s", "later"),
    ("Im 58", "later"),
    ("40 this year", "mid"),
    ("40 yrs service this year", "later"),  # years of service, not an age
    ("15 yrs in", "mid"),
    ("2 yrs in", "early"),
    ("getting on a bit, 57", "later"),
    ("im 52", None),  # between the ages the stages point to
    ("40 years old", "mid"),
])
def test_an_age_or_years_of_service_point_to_a_career_stage(typed: str, stage: Optional[str]) -> None:
    assert match_choice("career_stage", typed) == stage
