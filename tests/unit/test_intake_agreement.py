"""The form's slot mapping, the rules and bot.intake agree on "answer or request?".

bot.intake decides; domain.yml keeps out only what can never be an answer, and every request
the intake hands back has a rule to answer it. A new intent must be given a decision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set

import yaml

from bot import intake

ROOT = Path(__file__).resolve().parents[2]
# Rasa's RulePolicy answers these itself (restart runs action_restart), with no rule in data/rules.
ANSWERED_BY_RASA = {"restart"}


def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def rules() -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        found += yaml.safe_load(path.read_text()).get("rules", [])
    return found


def first_intent(rule: Dict[str, Any]) -> str:
    return next((step["intent"] for step in rule["steps"] if "intent" in step), "")


def mid_form(rule: Dict[str, Any]) -> bool:
    """Whether the rule waits for an intent while the form is active (not after a step that ended it)."""
    if not any(c.get("active_loop") == "coach_form" for c in rule.get("condition", [])):
        return False
    before_intent = [step for step in rule["steps"][:next(
        (i for i, step in enumerate(rule["steps"]) if "intent" in step), len(rule["steps"]))]]
    return not any("active_loop" in step and step["active_loop"] is None for step in before_intent)


def kept_out_of_the_answer() -> Set[str]:
    mapping = domain()["slots"]["answer"]["mappings"][0]
    return set(mapping["not_intent"])


def test_the_slot_mapping_keeps_out_exactly_what_the_intake_never_sees() -> None:
    assert kept_out_of_the_answer() == intake.KEPT_OUT


def test_every_request_the_intake_hands_back_has_a_rule_to_answer_it() -> None:
    answered = {first_intent(rule) for rule in rules()} | ANSWERED_BY_RASA
    assert intake.REQUEST_INTENTS - answered == set()


def test_no_mid_form_rule_waits_for_an_intent_the_intake_keeps_in_the_form() -> None:
    handed_back = intake.REQUEST_INTENTS | intake.KEPT_OUT
    dead = {first_intent(rule) for rule in rules() if mid_form(rule) and first_intent(rule)} - handed_back
    assert dead == set(), f"these mid-form rules can never fire: {dead}"


def test_every_intent_has_one_decision() -> None:
    decided = [*intake.INTENT_KINDS, *intake.ANSWER_INTENTS, *(intake.KEPT_OUT - set(intake.INTENT_KINDS))]
    assert sorted(set(decided)) == sorted(decided), "an intent has two decisions"
    assert set(domain()["intents"]) | {"nlu_fallback"} == set(decided)
