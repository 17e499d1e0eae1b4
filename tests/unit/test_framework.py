"""Placing a person on the Scope for Growth framework."""

from __future__ import annotations

from typing import Any

import pytest

from bot.framework import (
    BANDS,
    GROWTH_FOCUSES,
    IMPACT_LEVELS,
    READINESS_VALUES,
    Profile,
    default_readiness,
    growth_options,
    normalise_band,
    place,
    readiness_from_words,
)


def profile(**changes: object) -> Profile:
    values: dict[str, Any] = dict(
        band=None, staff_group=None, growth="depth", impact="solid", readiness=None, age=None, aspiration=""
    )
    values.update(changes)
    return Profile(**values)


# --- bands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "band"),
    [
        ("8A", "8a"),
        ("Band 8c", "8c"),
        ("AfC band 3", "3"),
        ("band 5", "5"),
        ("5", "5"),
        (" Band 7 ", "7"),
        ("band 8 b", "8b"),
        ("band 8-d", "8d"),
        ("Agenda for Change band 2", "2"),
        ("NHS band 9", "9"),
        ("band five", "5"),
        ("Band: 6", "6"),
        ("1", "1"),
    ],
)
def test_a_band_typed_in_any_usual_way_is_understood(typed: str, band: str) -> None:
    assert normalise_band(typed) == band


@pytest.mark.parametrize("typed", ["8", "band 8", "10", "band 0", "8e", "band 5a", "nurse", "", "   ", "band", "55"])
def test_something_that_is_not_a_band_is_refused(typed: str) -> None:
    assert normalise_band(typed) is None


def test_no_band_stays_no_band() -> None:
    assert normalise_band(None) is None


def test_every_canonical_band_normalises_to_itself() -> None:
    assert [normalise_band(band) for band in BANDS] == list(BANDS)


def test_a_profile_keeps_the_band_in_canonical_form() -> None:
    assert profile(band="Band 8A").band == "8a"


@pytest.mark.parametrize(
    "changes",
    [
        {"band": "band 12"},
        {"growth": "sideways"},
        {"impact": "huge"},
        {"readiness": "tomorrow"},
        {"age": 7},
    ],
)
def test_a_profile_with_an_unknown_value_is_refused_with_a_clear_error(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=str(next(iter(changes)))):
        profile(**changes)


# --- placement across every band and growth focus ------------------------------------------


@pytest.mark.parametrize("band", BANDS)
@pytest.mark.parametrize("growth", GROWTH_FOCUSES)
@pytest.mark.parametrize("impact", IMPACT_LEVELS)
def test_everyone_is_placed_in_the_segment_they_chose(band: str, growth: str, impact: str) -> None:
    placement = place(profile(band=band, growth=growth, impact=impact, readiness="ready_later"))
    assert placement.segment.id == f"{growth}-{impact}-ready_later"
    assert (placement.growth, placement.impact, placement.readiness) == (growth, impact, "ready_later")
    assert placement.segment.name and placement.segment.description


@pytest.mark.parametrize("readiness", READINESS_VALUES)
def test_a_chosen_readiness_is_always_kept(readiness: str) -> None:
    placement = place(profile(growth="stretch", readiness=readiness, aspiration="not now, maybe next year"))
    assert placement.readiness == readiness


@pytest.mark.parametrize(
    ("growth", "aspiration", "readiness"),
    [
        ("consolidate", "", "not_now"),
        ("consolidate", "I'm ready for a big promotion right now", "not_now"),
        ("consolidate", "maybe look again next year", "ready_later"),
        ("depth", "", "ready_now"),
        ("breadth", "", "ready_later"),
        ("stretch", "", "ready_later"),
        ("stretch", "I'm ready to step up now", "ready_now"),
        ("stretch", "become a matron one day", "ready_later"),
        ("stretch", "I'm not ready yet", "not_now"),
        ("depth", "not at the moment, I need to look after myself", "not_now"),
    ],
)
def test_readiness_defaults_from_the_persons_words_and_focus(growth: str, aspiration: str, readiness: str) -> None:
    assert place(profile(growth=growth, aspiration=aspiration)).readiness == readiness


def test_not_ready_is_read_as_not_now_although_it_contains_ready() -> None:
    assert readiness_from_words("I am not ready for that") == "not_now"


def test_consolidating_is_never_read_as_ready_for_a_move() -> None:
    assert default_readiness("consolidate", "I want it now, straight away") == "not_now"


def test_consolidate_is_a_first_class_placement_and_never_nudged_to_stretch() -> None:
    placement = place(profile(growth="consolidate", impact="strong"))
    assert placement.growth == "consolidate"
    assert placement.segment.growth == "consolidate"
    assert "valued just as much" in placement.explanation
    assert "stretch:" not in placement.explanation.lower()


def test_the_explanation_echoes_the_persons_aspiration() -> None:
    placement = place(profile(growth="stretch", aspiration="I want to become a ward manager"))
    assert "You'd like to become a ward manager." in placement.explanation


@pytest.mark.parametrize(("aspiration", "echo"), [
    ("I'd like to stay where I am for now", "You'd like to stay where you are for now."),
    ("I hope to lead my own team when I'm ready", "You'd like to lead your own team when you're ready."),
    ("Lead the night team myself", "You'd like to lead the night team yourself."),
])
def test_the_echo_says_the_persons_words_back_to_them_as_you(aspiration: str, echo: str) -> None:
    assert echo in place(profile(growth="consolidate", aspiration=aspiration)).explanation


def test_an_aspiration_without_a_lead_in_is_quoted_back() -> None:
    placement = place(profile(growth="breadth", aspiration="Community work interests me."))
    assert 'You said: "Community work interests me".' in placement.explanation


def test_the_explanation_says_when_readiness_was_assumed() -> None:
    assumed = place(profile(growth="breadth"))
    chosen = place(profile(growth="breadth", readiness="ready_now"))
    assert "You didn't say when" in assumed.explanation
    assert "You didn't say when" not in chosen.explanation


def test_a_skipped_growth_focus_and_impact_are_never_said_to_be_chosen() -> None:
    skipped = place(profile(growth="consolidate", impact="solid", growth_given=False, impact_given=False))
    assert "You chose" not in skipped.explanation and "You see your impact" not in skipped.explanation
    assert "You didn't choose a growth focus" in skipped.explanation
    assert "You didn't say how you see your impact, so I've taken it as solid" in skipped.explanation
    chosen = place(profile(growth="consolidate", impact="solid"))
    assert "You chose to consolidate" in chosen.explanation and "You see your impact as solid" in chosen.explanation


def test_the_explanation_is_plain_text_on_one_line() -> None:
    explanation = place(profile(growth="depth", aspiration="learn\nmore   about wound care")).explanation
    assert "\n" not in explanation
    assert "  " not in explanation
    assert "learn more about wound care" in explanation


def test_a_long_aspiration_is_trimmed_in_the_explanation() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    explanation = place(profile(aspiration=words)).explanation
    assert "word13..." in explanation
    assert "word20" not in explanation


# --- growth options -------------------------------------------------------------


def test_staff_are_offered_the_four_growth_focuses_with_examples() -> None:
    options = growth_options()
    assert [option.id for option in options] == list(GROWTH_FOCUSES)
    assert options[0].label == "Consolidate / not now"
    for option in options:
        assert option.explanation
        assert 2 <= len(option.examples) <= 3
