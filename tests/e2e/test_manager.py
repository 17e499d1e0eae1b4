"""A line manager prepares, rehearses with each practice colleague and records an outcome, over REST."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.rehearsal import list_personas
from bot.store import open_store
from tests.e2e.servers import CoachServers, button_payloads, suggestion_payloads, texts

pytestmark = pytest.mark.servers


def manager() -> str:
    return f"manager-{uuid.uuid4().hex[:8]}"


def test_a_manager_in_the_meeting_steps_through_the_checklist_typed_or_tapped(coach: CoachServers) -> None:
    user = manager()
    first = coach.say(user, "can you bring up the checklist for the meeting")
    assert "Checklist 1 of 9" in texts(first)
    following = coach.say(user, next(p for p in button_payloads(first) if '"2"' in p))
    assert "Checklist 2 of 9" in texts(following)
    assert "Checklist 3 of 9" in texts(coach.say(user, "next"))
    following = coach.say(user, "back")
    assert "Checklist 2 of 9" in texts(following)
    done = coach.say(user, next(p for p in button_payloads(following) if '"done"' in p))
    assert "/record_outcome" in button_payloads(done)


def test_manager_mode_offers_preparation_rehearsal_and_recording(coach: CoachServers) -> None:
    replies = coach.say(manager(), "I'm a line manager")
    assert {"/manager_prepare", "/rehearse", "/record_outcome"} <= set(button_payloads(replies))
    assert "never visible to you" in texts(replies)


@pytest.mark.parametrize("typed, expected", [("prepare please", "bias check"), ("rehersal", "practise with"),
                                              ("record it", "record the outcome you agreed")])
def test_a_few_words_of_a_button_typed_at_the_manager_menu_do_what_it_does(coach: CoachServers, typed: str,
                                                                            expected: str) -> None:
    user = manager()
    coach.say(user, "/manager_mode")
    assert expected in texts(coach.say(user, typed))


@pytest.mark.parametrize("asked", ["I want to prepare for a conversation with one of my team",
                                   "help me get ready for my staff's appraisals"])
def test_asking_at_the_manager_menu_to_prepare_for_ones_teams_conversation_starts_the_preparation(
        coach: CoachServers, asked: str) -> None:
    user = manager()
    coach.say(user, "/manager_mode")
    reply = texts(coach.say(user, asked))
    assert "bias check" in reply and "Section 1 of 2" in reply, reply


def test_a_question_asked_before_picking_a_practice_colleague_says_how_to_pick_one(coach: CoachServers) -> None:
    user = manager()
    coach.say(user, "/rehearse")
    assert "type a name (Amira, Daniel, Grace or Sam)" in texts(coach.say(user, "how are you finding things?"))
    assert "You're meeting Amira" in texts(coach.say(user, "amira"))


def test_preparation_starts_with_the_bias_check_and_saves_private_notes(coach: CoachServers) -> None:
    user = manager()
    first = texts(coach.say(user, "/manager_prepare"))
    assert "bias check" in first and "Section 1 of 2" in first
    second = texts(coach.say(user, "I'm rushing today, so I'll block out an hour"))
    assert "Section 2 of 2" in second
    store = open_store(coach.database_url)
    notes = store.answers(store.person_id(user), "manager_prep")
    assert notes["manager_prep.bias_check"].text == "I'm rushing today, so I'll block out an hour"


@pytest.mark.parametrize("persona", [p.id for p in list_personas()])
def test_a_manager_rehearses_with_each_persona_and_gets_a_review(coach: CoachServers, persona: str) -> None:
    user = manager()
    choose = texts(coach.say(user, "/rehearse"))
    assert "Who would you like to practise with" in choose
    coach.say(user, f'/choose{{"choice": "{persona}"}}')
    reply = coach.say(user, "What matters most to you in your work at the moment?")
    said = texts(reply)
    name = next(p.name for p in list_personas() if p.id == persona)
    assert f"{name}:" in said and "Feedback: Good open question" in said
    closed = texts(coach.say(user, "Are you happy in your role?"))
    assert "closed question" in closed and "Try:" in closed
    coach.say(user, '/choose{"choice": "next_stage"}')
    coach.say(user, "How do you see your career developing over the next few years?")
    review = texts(coach.say(user, '/choose{"choice": "finish"}'))
    assert "67% open" in review and "Stages covered: 1" in review and "Try next time" in review
    assert coach.tracker(user).get("active_loop", {}).get("name") is None


def agree_placement(coach: CoachServers, manager_id: str, growth: str, impact: str, readiness: str) -> None:
    """Start recording an outcome, and press the buttons for the placement agreed."""
    coach.say(manager_id, "/record_outcome")
    for choice in (growth, impact, readiness):
        coach.say(manager_id, f'/choose{{"choice": "{choice}"}}')


@pytest.mark.parametrize("asked", ["confirm outcome {code}", "my manager gave me a code {spaced}"])
def test_an_outcome_is_recorded_by_the_manager_and_confirmed_by_the_person(coach: CoachServers, asked: str) -> None:
    user, staff = manager(), f"staff-{uuid.uuid4().hex[:8]}"
    agree_placement(coach, user, "breadth", "solid", "ready_later")
    suggestions = coach.say(user, "band 5 staff nurse")
    picks = suggestion_payloads(suggestions)
    assert picks, "suggestions should come as buttons"
    coach.say(user, picks[0])
    coach.say(user, '/choose{"choice": "done"}')
    coach.say(user, "Arrange a secondment to the discharge team")
    summary = texts(coach.say(user, "in six months"))
    assert "Arrange a secondment to the discharge team" in summary
    recorded = texts(coach.say(user, '/choose{"choice": "save"}'))
    code = re.search(r"code is ([A-Z]{3}-\d{3})", recorded)
    assert code, recorded
    assert "ESR" in recorded and "peer managers" in recorded  # record it in ESR or locally; calibrate with peers
    assert "band 5, nursing" in summary  # in words, not as stored
    check = texts(coach.say(staff, asked.format(code=code.group(1), spaced=code.group(1).replace("-", " "))))
    assert "Arrange a secondment" in check
    assert "Confirmed" in texts(coach.say(staff, "yes"))
    store = open_store(coach.database_url)
    confirmed = [o for o in store.outcomes() if o.person_id == store.person_id(staff)]
    assert len(confirmed) == 1 and confirmed[0].confirmed_by_person
    assert confirmed[0].next_steps == "Arrange a secondment to the discharge team"


def test_a_manager_recording_an_outcome_reads_the_details_of_an_action_said_of_the_person(coach: CoachServers) -> None:
    user = manager()
    agree_placement(coach, user, "consolidate", "solid", "not_now")
    listed = texts(coach.say(user, "band 6 staff nurse"))
    assert "1. " in listed, listed
    details = texts(coach.say(user, "more about 1"))
    assert "Aimed at" in details and not re.search(r"\byour\b", details, re.IGNORECASE), details


def test_a_band_and_staff_group_that_names_neither_is_kept_and_asked_about(coach: CoachServers) -> None:
    user = manager()
    agree_placement(coach, user, "depth", "solid", "ready_now")
    asked = coach.say(user, "asdfgh")
    assert "couldn't find a band or a staff group in “asdfgh”" in texts(asked), texts(asked)
    assert button_payloads(asked) == ['/choose{"choice": "keep"}', '/choose{"choice": "skip"}']
    # Typed again, the new words are taken, and the development actions follow.
    assert suggestion_payloads(coach.say(user, "band 6 physio"))
