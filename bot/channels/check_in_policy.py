"""What a reply typed at the safety check-in ("Are you safe at the moment?"), or at the crisis reply, leads to.

The NLU cannot read such a reply: "unsure" and "what does safe even mean" come out as a yes, "yes but I've got a
plan" as a request to send the plan, "yh im safe" as another language. Rules answer intents, so they carried on,
showed the menu or talked about the plan. This dialogue policy answers the one turn after either from the safety
verdict instead (``bot.safety``, carried in the parse data by the gate):

* at the check-in, a reply that says the person is safe ("im safe", "yes, all good x", "im ok, just a long
  shift") carries on where they were, as the button "I'm safe, carry on" does; anything else gets the crisis
  reply with the urgent numbers and the offer of a person, as "I need help now" does: the check-in asked because
  the coach was unsure, and a reply that does not say "safe" leaves it unsure;
* a request either offers with a button, typed (a person; at the crisis reply also support, carry on, stop),
  and a request about the person's own data (delete, download, what is kept, who has seen, stop sharing) keep
  their rules, when the words ask for it (``bot.intake.requests_named``): the NLU's guess alone is not enough;
* at the crisis reply anything else, "im fine" included, gets the check-in, so nobody goes back to career
  questions just after a disclosure without saying that they are safe.

Buttons ("/where_was_i") and messages the gate read as risk keep their own rules. The policy outranks the
RulePolicy (priority 7 against 6), so no rule for the NLU's guess can answer instead.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot import intake, safety
from bot.turn import BOOKKEEPING_ACTIONS

CHECK_IN = safety.CHECK_IN_RESPONSE
CRISIS_REPLY = "utter_urgent_next_steps"  # the end of the crisis reply, with its offers
# A person's say over their own data is never held up, even here ("delete my data" right after a disclosure).
PRIVACY = frozenset({"delete_data", "download_my_data", "privacy_what_kept", "who_has_seen", "stop_sharing"})
# What each offers with its buttons, typed ("talk to someone", "carry on where I was", "stop for now"); the
# check-in's "I'm safe, carry on" is read from the words, and its "I need help now" is risk.
OFFERED = {CRISIS_REPLY: frozenset({"talk_to_person", "find_resources", "where_was_i", "stop"}) | PRIVACY,
           CHECK_IN: frozenset({"talk_to_person"}) | PRIVACY}
CARRY_ON = ("action_resume", "coach_form")  # as the rules for a yes to the check-in
URGENT = ("utter_urgent_signpost", CRISIS_REPLY, "action_listen")  # as "I need help now"
ASK = (CHECK_IN, "action_listen")
RISK_INTENTS = frozenset({"risk_of_harm", "risk_unclear"})  # the safety rules answer these


def reply_to(events: Sequence[Any]) -> Optional[Tuple[str, List[str]]]:
    """When the person's last message replied to the check-in or the crisis reply: which, and the actions run
    since; else None."""
    since: List[str] = []
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered):
            before = (e.action_name for e in reversed(events[:index]) if isinstance(e, ActionExecuted))
            last = next((name for name in before if name not in BOOKKEEPING_ACTIONS), None)
            return (last, list(reversed(since))) if last in (CHECK_IN, CRISIS_REPLY) else None
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name not in BOOKKEEPING_ACTIONS:
            since.append(event.action_name)
    return None


def next_step(asked: str, message: Dict[str, Any], done: Sequence[str]) -> Optional[str]:
    """The action that answers a reply to ``asked`` (the check-in or the crisis reply), given the actions already
    run since the reply."""
    text = str(message.get("text") or "")
    intent = (message.get("intent") or {}).get("name")
    if not text or text.startswith("/") or intent in RISK_INTENTS:
        return None  # a button, or risk the gate found: their own rules
    if intent in OFFERED[asked] and intent in intake.requests_named(text):
        return None  # asked for in words ("talk to someone"), not a guess: "unsure" once read as stop_sharing
    plan: Tuple[str, ...] = ASK if asked == CRISIS_REPLY else (
        CARRY_ON if safety.verdict(text, message).reassured else URGENT)
    steps = list(done)
    return plan[len(steps)] if len(steps) < len(plan) and list(plan[:len(steps)]) == steps else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class CheckInReplyPolicy(Policy):
    """Answers the turn after the safety check-in or the crisis reply from the safety verdict, not the NLU's
    intent."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 7}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[str, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        reply = reply_to(list(tracker.events))
        message = tracker.latest_message.parse_data if tracker.latest_message else {}
        action = next_step(reply[0], dict(message), reply[1]) if reply is not None else None
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))
