"""The turn after the safety check-in: a reply that says "safe" carries on, anything else gets the urgent numbers,
whatever intent the NLU gave it; after the crisis reply, anything it did not offer gets the check-in
(bot/channels/check_in_policy.py)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered

from bot import safety
from bot.channels.check_in_policy import ASK, CARRY_ON, CHECK_IN, CRISIS_REPLY, URGENT, next_step, reply_to


def said(text: str, intent: str = "affirm") -> Dict[str, Any]:
    """A message as the gate leaves it: the NLU's intent and the safety verdict."""
    return {"text": text, "intent": {"name": intent}, "safety": safety.assess(text).as_dict()}


def check_in_then(text: str, *after: str, paused_form: bool = False, asked: str = CHECK_IN) -> List[Event]:
    events: List[Event] = [ActionExecuted("action_listen"), UserUttered("I'm on the bridge"), ActionExecuted(asked)]
    if paused_form:
        events += [ActionExecuted("action_deactivate_loop"), ActiveLoop(None)]
    events += [ActionExecuted("action_listen"), UserUttered(text), SlotSet("risk_disclosed", True)]
    return events + [ActionExecuted(name) for name in after]


@pytest.mark.parametrize("paused_form", [False, True])
def test_the_reply_to_the_check_in_is_found_whether_or_not_a_form_was_paused(paused_form: bool) -> None:
    assert reply_to(check_in_then("im safe", paused_form=paused_form)) == (CHECK_IN, [])
    assert reply_to(check_in_then("unsure", "utter_urgent_signpost")) == (CHECK_IN, ["utter_urgent_signpost"])
    assert reply_to(check_in_then("thanks", paused_form=paused_form, asked=CRISIS_REPLY)) == (CRISIS_REPLY, [])


def test_a_later_message_is_not_a_reply_to_the_check_in() -> None:
    events = check_in_then("no", *URGENT[:2]) + [ActionExecuted("action_menu"), ActionExecuted("action_listen"),
                                                 UserUttered("ok")]
    assert reply_to(events) is None
    assert reply_to([ActionExecuted("action_listen"), UserUttered("im safe")]) is None


def test_a_reply_that_says_safe_carries_on_like_the_button_whatever_the_intent() -> None:
    for intent in ("affirm", "other_language", "inform"):  # "yh im safe" came out as another language
        message = said("yh im safe, just a long shift", intent)
        assert [next_step(CHECK_IN, message, CARRY_ON[:n]) for n in range(3)] == [*CARRY_ON, None]


@pytest.mark.parametrize(("text", "intent"), [("unsure", "affirm"), ("yes but i've got a plan", "send_plan"),
                                              ("what does safe even mean", "affirm"), ("dunno", "deny"),
                                              ("ok for tonight, not sure about tomorrow", "nlu_fallback"),
                                              ("unsure", "stop_sharing"), ("not really", "talk_to_person")])
def test_anything_else_gets_the_urgent_numbers_and_the_offer_of_a_person(text: str, intent: str) -> None:
    message = said(text, intent)
    assert [next_step(CHECK_IN, message, URGENT[:n]) for n in range(4)] == [*URGENT, None]


@pytest.mark.parametrize("asked", [CHECK_IN, CRISIS_REPLY])
def test_buttons_and_risk_keep_their_own_rules(asked: str) -> None:
    assert next_step(asked, {"text": "/where_was_i", "intent": {"name": "where_was_i"}}, []) is None
    assert next_step(asked, said("i've taken some tablets", "risk_of_harm"), []) is None


@pytest.mark.parametrize(("text", "intent"), [("thanks", "thanks"), ("im fine", "affirm"), ("unsure", "affirm"),
                                              ("yes but i've got a plan", "send_plan")])
def test_after_the_crisis_reply_anything_it_did_not_offer_gets_the_check_in(text: str, intent: str) -> None:
    message = said(text, intent)
    assert [next_step(CRISIS_REPLY, message, ASK[:n]) for n in range(3)] == [*ASK, None]


@pytest.mark.parametrize(("text", "intent"), [("talk to someone", "talk_to_person"), ("stop for now", "stop"),
                                              ("carry on where I was", "where_was_i")])
def test_after_the_crisis_reply_what_it_offered_keeps_its_rule(text: str, intent: str) -> None:
    assert next_step(CRISIS_REPLY, said(text, intent), []) is None


def test_talk_to_someone_typed_at_the_check_in_acts_as_its_button() -> None:
    assert next_step(CHECK_IN, said("can i talk to someone", "talk_to_person"), []) is None


@pytest.mark.parametrize("asked", [CHECK_IN, CRISIS_REPLY])
def test_a_request_about_their_own_data_is_never_held_up(asked: str) -> None:
    assert next_step(asked, said("delete my data", "delete_data"), []) is None
    assert next_step(asked, said("what do you keep about me", "privacy_what_kept"), []) is None


def test_a_reply_without_the_gates_verdict_is_assessed_afresh() -> None:
    assert next_step(CHECK_IN, {"text": "yes", "intent": {"name": "affirm"}}, []) == CARRY_ON[0]
    assert next_step(CHECK_IN, {"text": "probably", "intent": {"name": "affirm"}}, []) == URGENT[0]


def test_once_another_action_has_answered_the_policy_stays_out() -> None:
    assert next_step(CHECK_IN, said("unsure"), ["utter_default"]) is None
