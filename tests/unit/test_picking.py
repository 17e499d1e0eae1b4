"""A numbered button picked by typing: which messages pick which button, and which are not picks at all.

bench/understanding.py gives the figures on the labelled sets (tests/data/typed_picks*.yml)."""

from __future__ import annotations

from typing import List, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import picking
from bot.turn import Button


def answers(*numbers: int) -> List[Button]:
    return [{"title": f"Answer {n}", "payload": f'/review_journal{{"prompt": "p{n}"}}'} for n in numbers]


def number_picked(text: str, buttons: List[Button]) -> Optional[int]:
    button = picking.picked(text, buttons)
    return int(button["title"].split()[1]) if button else None


@pytest.mark.parametrize("text, number", [
    ("3", 3), ("answer 2", 2), ("No.1", 1), ("#4", 4), ("q3", 3), ("the third one", 3), ("2nd", 2),
    ("erm number one", 1), ("third one please", 3), ("thrid", 3), ("secound", 2), ("can i change number 4", 4),
    ("3 - want to reword it", 3), ("2 👍", 2), ("the last one", 4), ("last", 4),
])
def test_a_typed_number_or_place_picks_the_button_that_carries_it(text: str, number: int) -> None:
    assert number_picked(text, answers(1, 2, 3, 4)) == number


@pytest.mark.parametrize("text", [
    "3 years in band 5", "number one priority is my family", "the first thing i'd change is the rota", "3pm",
    "the 3rd of march", "3 and 4", "1-4", "24/7 it feels like", "none of them", "all of them", "skip", "ok",
    "the one about how im feeling", "i want to end it", "first of all how do I stop sharing",
])
def test_numbers_said_about_something_else_and_other_words_are_not_picks(text: str) -> None:
    assert number_picked(text, answers(1, 2, 3, 4)) is None


def test_a_number_no_button_on_screen_carries_is_not_a_pick() -> None:
    assert number_picked("7", answers(1, 2, 3, 4)) is None
    assert number_picked("2", answers(5, 6, 7, 8)) is None
    assert number_picked("last one", answers(5, 6, 7, 8)) == 8


STAGES = [{"title": "Early in my career", "payload": "/early"}, {"title": "Mid-career", "payload": "/mid"},
          {"title": "Later in my career", "payload": "/later"}]


@pytest.mark.parametrize("text, payload", [("the second one", "/mid"), ("first", "/early"), ("last one pls", "/later"),
                                           ("3", "/later")])
def test_buttons_without_numbers_are_picked_by_their_place(text: str, payload: str) -> None:
    assert (picking.picked(text, STAGES) or {}).get("payload") == payload


def test_a_place_is_left_to_the_question_when_its_words_number_their_own_lines() -> None:
    """The suggestions: "1. Mid-career conversation ...", with "None of these for now" as the last button."""
    options = [{"title": f"Add {name}", "payload": f"/{name}"} for name in ("talk", "flex", "skills")]
    buttons = [*options, {"title": "None of these for now", "payload": "/done"}]
    said = "Here are some options.\n1. Talk: ...\n2. Flex: ...\n3. Skills: ...\nPick as many as you like."
    assert picking.picked("the last one", buttons, said) is None and picking.picked("1", buttons, said) is None
    assert (picking.picked("the last one", buttons) or {}).get("payload") == "/done"  # no numbered lines


def test_a_yes_or_a_no_is_never_picked_by_its_place() -> None:
    erase = [{"title": "Yes, delete everything", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}]
    assert picking.picked("1", erase) is None and picking.picked("the first one", erase) is None


def test_a_place_beyond_the_buttons_picks_none() -> None:
    assert picking.picked("fourth", STAGES) is None and picking.picked("anything", []) is None


def test_a_long_message_is_never_a_pick_whatever_its_words() -> None:
    assert not picking.may_pick("please " * 20 + "3")


@given(st.text(max_size=80))
def test_a_pick_is_always_a_button_on_screen(text: str) -> None:
    buttons = answers(1, 2, 3)
    assert picking.picked(text, buttons) in (None, *buttons)
    assert picking.picked(text, buttons) is None or picking.may_pick(text)


@pytest.mark.parametrize("text, numbers", [
    ("the first and third", [1, 3]), ("more about 2", [2]), ("the last one", [5]), ("add the mentoring one", []),
    ("add 2 and 4 and 2", [2, 4]), ("at least the coaching", []),
])
def test_every_number_or_place_named_among_the_options_listed(text: str, numbers: List[int]) -> None:
    assert picking.places(text, 5) == numbers


VIEW = [{"title": "Edit it", "payload": '/edit_answer{"prompt": "p3"}'},
        {"title": "Delete it", "payload": '/delete_answer{"prompt": "p3"}'},
        {"title": "Back to the list", "payload": "/review_journal"}]


@pytest.mark.parametrize("text, payload", [
    ("edit it", '/edit_answer{"prompt": "p3"}'), ("Edit it please", '/edit_answer{"prompt": "p3"}'),
    ("ok, back to the list", "/review_journal"), ("DELETE IT!", '/delete_answer{"prompt": "p3"}'),
])
def test_a_buttons_label_typed_is_that_button(text: str, payload: str) -> None:
    assert (picking.picked(text, VIEW) or {}).get("payload") == payload


@pytest.mark.parametrize("text", ["edit it to say band 6", "it", "ok thanks", "what does delete do?"])
def test_other_words_than_a_label_are_not_that_button(text: str) -> None:
    assert picking.picked(text, VIEW) is None
    assert picking.picked(text, [{"title": "OK", "payload": "/affirm"}]) is None


MANAGER_MENU = [{"title": "Prepare for a conversation", "payload": "/manager_prepare"},
                {"title": "Rehearse my questions", "payload": "/rehearse"},
                {"title": "Conversation checklist", "payload": "/show_checklist"},
                {"title": "Record an agreed outcome", "payload": "/record_outcome"},
                {"title": "Find resources for managers", "payload": '/find_resources{"topic": "managers"}'}]


@pytest.mark.parametrize("text, payload", [
    ("prepare please", "/manager_prepare"), ("prepair", "/manager_prepare"), ("rehersal", "/rehearse"),
    ("the checklist", "/show_checklist"), ("record it", "/record_outcome"), ("i want to edit it", None),
    ("help me prepare", None),  # "help" is no label's word: it may be one's own conversation, which the coach asks
])
def test_at_a_menu_a_few_words_of_one_buttons_label_pick_it(text: str, payload: Optional[str]) -> None:
    assert (picking.picked(text, MANAGER_MENU) or {}).get("payload") == payload
    assert (picking.picked("i want to edit it", VIEW) or {}).get("payload") == '/edit_answer{"prompt": "p3"}'
    assert (picking.picked("delete", VIEW) or {}).get("payload") == '/delete_answer{"prompt": "p3"}'  # it confirms


@pytest.mark.parametrize("text", ["conversation", "prepare my questions", "how do I record it?",
                                  "what should I prepare for the conversation with my band 5"])
def test_words_that_fit_two_labels_a_question_or_much_else_pick_nothing(text: str) -> None:
    assert picking.picked(text, MANAGER_MENU) is None


def test_a_few_words_never_pick_an_answer_a_yes_or_a_no_or_the_check_ins_im_safe() -> None:
    check_in = [{"title": "I'm safe, carry on", "payload": "/where_was_i"},
                {"title": "I need help now", "payload": "/risk_of_harm"},
                {"title": "Talk to someone", "payload": "/talk_to_person"}]
    assert picking.picked("carry on", check_in) is None and picking.picked("safe", check_in) is None
    choices = [{"title": t, "payload": f'/choose{{"choice": "{t}"}}'} for t in ("Early", "Later in my career", "Mid")]
    assert picking.picked("later", choices) is None
    assert picking.picked("delete", VIEW[1:]) is None  # two buttons: as good as a yes or a no


def test_words_of_risk_always_reach_the_safety_gate_even_as_a_buttons_label() -> None:
    """"I need help now" is a button at the check-in; typed, the safety gate reads it, as every disclosure."""
    check_in = [{"title": "I'm safe, carry on", "payload": "/where_was_i"},
                {"title": "I need help now", "payload": "/risk_of_harm"},
                {"title": "Talk to someone", "payload": "/talk_to_person"}]
    assert picking.picked("I need help now", check_in) is None
    assert picking.picked("self-harm support", [{"title": "Self-harm support", "payload": "/find_resources"}]) is None
    assert (picking.picked("talk to someone", check_in) or {}).get("payload") == "/talk_to_person"
