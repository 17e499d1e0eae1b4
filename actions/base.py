"""Behaviour every coach form shares, in one FormValidationAction base.

- A message that shows risk of harm is never stored (a second check behind the
  NLU gate and the slot mapping).
- "skip", "not relevant" and "later" skip the question without losing the place.
- Button payloads (``/choose{"choice": ...}``) are read as the chosen option.
- Very long answers are kept whole, with a kind note.
"""

from __future__ import annotations

import abc
import json
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot import safety

LONG_ANSWER = 5000
HELP_IN_FORM = ("You can answer in your own words, say \"skip\" to move on, \"stop\" to pause (I'll keep your "
                "place), or ask me about the framework. Here's the question again.")


def reads_like_a_question(text: str) -> bool:
    """Short requests and questions, as opposed to a reflective answer."""
    words = text.split()
    return len(words) <= 12 or (text.rstrip().endswith("?") and len(words) <= 30)


class CoachFormValidation(FormValidationAction, metaclass=abc.ABCMeta):
    """Base class for the coach's forms: subclasses implement :meth:`take_answer`.

    Abstract, so the action server registers only the concrete forms. Each form
    has one free-text slot, named by ``slot``.
    """

    slot = "answer"
    # Intents answered in place (then the question is asked again) when the message reads like
    # a question or a short request. Longer text is kept as the answer: a misread intent must
    # never swallow what someone wrote.
    interruptions: frozenset[str] = frozenset({"faq", "ask_why", "help"})

    @abc.abstractmethod
    def name(self) -> str:
        """The validation action's name, ``validate_<form>``."""

    @staticmethod
    def chosen(tracker: Tracker) -> Optional[str]:
        """The option picked with a button, if the message was a button press."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "choose":
            return None
        for entity in tracker.latest_message.get("entities", []):
            if entity.get("entity") == "choice":
                return str(entity.get("value"))
        return None

    async def validate_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if slot_value is None:
            return {self.slot: None}  # the slot was only reset (e.g. as the form started): nothing was said
        text = str(slot_value)
        choice = self.chosen(tracker)
        if choice is None:
            if not text.strip():
                dispatcher.utter_message(text="I didn't get any words there. Take your time, or say \"skip\".")
                return {self.slot: None}
            if safety.verdict(text, tracker.latest_message).needs_urgent_help:
                # The gate's rules should have paused the form; never store it as an answer either way.
                return {self.slot: None}
            if self.answer_interruption(text, dispatcher, tracker):
                return {self.slot: None}
            if len(text) > LONG_ANSWER:
                dispatcher.utter_message(
                    text="That's a long answer. I've kept all of it; you can review or edit it later."
                )
        return self.take_answer(text, choice, dispatcher, tracker)

    def answer_interruption(self, text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """Answer a question asked mid-form ("what is breadth?", "why are you asking?"); True if answered."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in self.interruptions or not reads_like_a_question(text):
            return False
        if intent == "faq":
            # The ResponseSelector files its answer under the retrieval intent, or "default" when it serves all.
            selectors = tracker.latest_message.get("response_selector") or {}
            selected = (selectors.get("faq") or selectors.get("default") or {}).get("response", {})
            key = selected.get("intent_response_key")
            if not key:
                return False
            dispatcher.utter_message(response=f"utter_{key}")
        elif intent == "ask_why":
            dispatcher.utter_message(response="utter_ask_why")
        else:
            dispatcher.utter_message(text=HELP_IN_FORM)
        return True

    @abc.abstractmethod
    def take_answer(
        self, text: str, choice: Optional[str], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """Store or act on one answer; return ``{"answer": None}`` to ask again, a value to finish."""

    def done(self) -> Dict[str, Any]:
        return {self.slot: "done"}

    def ask_again(self) -> Dict[str, Any]:
        return {self.slot: None}


def payload(intent: str, **entities: str) -> str:
    """A button payload that bypasses NLU: ``/intent{"entity": "value"}``."""
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def buttons(options: List[tuple[str, str]]) -> List[Dict[str, str]]:
    """Quick-reply buttons that send ``/choose{"choice": id}``."""
    return [{"title": title, "payload": payload("choose", choice=value)} for value, title in options]
