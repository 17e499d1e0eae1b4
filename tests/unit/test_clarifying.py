""""Did you mean…?": a message the NLU could not place gets its strongest guesses as buttons (bot/clarifying.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot import clarifying
from bot.turn import Turn

RULES = Path(__file__).resolve().parents[2] / "data" / "rules"


def ranking(*guesses: tuple[str, float]) -> List[Dict[str, Any]]:
    return [{"name": "nlu_fallback", "confidence": 0.35}] + [{"name": n, "confidence": c} for n, c in guesses]


def payloads(turn: Turn) -> List[str]:
    return [b["payload"] for reply in turn.replies for b in reply.buttons]


def test_the_strongest_guesses_are_offered_in_order_then_what_the_coach_can_do() -> None:
    turn = clarifying.did_you_mean(ranking(("share_with_manager", 0.30), ("send_plan", 0.28), ("who_has_seen", 0.2)))
    assert turn.replies[0].response == clarifying.DID_YOU_MEAN
    assert payloads(turn) == ["/share_with_manager", "/send_plan", "/help"]
    assert [b["title"] for b in turn.replies[0].buttons][:2] == ["Share with my manager", "Send me my plan"]


def test_deleting_starting_again_and_guesses_that_are_not_requests_are_never_offered() -> None:
    turn = clarifying.did_you_mean(ranking(("delete_data", 0.4), ("restart", 0.3), ("inform", 0.2),
                                           ("out_of_scope", 0.2), ("privacy_what_kept", 0.15)))
    assert payloads(turn) == ["/privacy_what_kept", "/help"]


def test_with_no_guess_worth_offering_the_coach_says_it_did_not_follow() -> None:
    turn = clarifying.did_you_mean(ranking(("find_resources", 0.05), ("inform", 0.5)))
    assert turn.replies[0].response == clarifying.NOT_UNDERSTOOD and payloads(turn) == []
    assert clarifying.did_you_mean([]).replies[0].response == clarifying.NOT_UNDERSTOOD


def rule_intents() -> Set[str]:
    found: Set[str] = set()
    for path in RULES.glob("*.yml"):
        for rule in yaml.safe_load(path.read_text())["rules"]:
            found.update(step["intent"] for step in rule.get("steps", []) if "intent" in step)
    return found


def test_every_button_offered_does_what_it_says_through_a_rule_of_its_own() -> None:
    assert set(clarifying.offers().offers) <= rule_intents()


@given(st.lists(st.tuples(st.sampled_from([*clarifying.offers().offers, "inform", "delete_data", "faq"]),
                          st.floats(0, 1)), max_size=12))
def test_never_more_buttons_than_a_phone_shows_and_only_requests_on_offer(guesses: List[tuple[str, float]]) -> None:
    offered = payloads(clarifying.did_you_mean(ranking(*guesses)))
    assert len(offered) <= clarifying.offers().most + 1
    assert all(p.lstrip("/") in clarifying.offers().offers or p == "/help" for p in offered)


@pytest.mark.parametrize("leaving", ["gotta go", "i need to go", "bye for now"])
def test_words_that_only_leave_pause_rather_than_ask_did_you_mean(leaving: str) -> None:
    turn = clarifying.did_you_mean(ranking(("where_was_i", 0.3), ("send_plan", 0.2)), leaving)
    assert [r.response for r in turn.replies] == [clarifying.PAUSED]


def test_other_words_the_nlu_could_not_place_still_get_did_you_mean() -> None:
    turn = clarifying.did_you_mean(ranking(("where_was_i", 0.3), ("send_plan", 0.2)), "gotta go, ward is kicking off")
    assert turn.replies[0].response == clarifying.DID_YOU_MEAN
