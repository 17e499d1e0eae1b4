"""Behaviour every coach form shares, in one FormValidationAction base.

- A message that shows risk of harm is never stored (a second check behind the
  NLU gate and the slot mapping).
- "skip", "not relevant" and "later" skip the question without losing the place.
- Button payloads (``/choose{"choice": ...}``) are read as the chosen option.
- Very long answers are kept whole, with a kind note.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot import safety

LONG_ANSWER = 5000


class CoachFormValidation(FormValidationAction):
    """Base class for the coach's forms: subclasses implement :meth:`take_answer`."""

    def name(self) -> Text:  # pragma: no cover - subclasses name themselves
        raise NotImplementedError

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
    ) -> Dict[Text, Any]:
        text = "" if slot_value is None else str(slot_value)
        choice = self.chosen(tracker)
        if choice is None:
            if not text.strip():
                dispatcher.utter_message(text="I didn't get any words there. Take your time, or say \"skip\".")
                return {"answer": None}
            if safety.assess(text).is_crisis:
                # The gate should have caught this; never store it as an answer either way.
                return {"answer": None}
            if len(text) > LONG_ANSWER:
                dispatcher.utter_message(
                    text="That's a long answer. I've kept all of it; you can review or edit it later."
                )
        return self.take_answer(text, choice, dispatcher, tracker)

    def take_answer(
        self, text: str, choice: Optional[str], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[Text, Any]:
        """Store or act on one answer; return ``{"answer": None}`` to ask again, a value to finish."""
        raise NotImplementedError

    @staticmethod
    def done() -> Dict[Text, Any]:
        return {"answer": "done"}

    @staticmethod
    def ask_again() -> Dict[Text, Any]:
        return {"answer": None}


def buttons(options: List[tuple[str, str]]) -> List[Dict[str, str]]:
    """Quick-reply buttons that send ``/choose{"choice": id}``."""
    return [{"title": title, "payload": '/choose{"choice": "%s"}' % value} for value, title in options]
