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


class CoachFormValidation(FormValidationAction, metaclass=abc.ABCMeta):
    """Base class for the coach's forms: subclasses implement :meth:`take_answer`.

    Abstract, so the action server registers only the concrete forms.
    """

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
            return {"answer": None}  # the slot was only reset (e.g. as the form started): nothing was said
        text = str(slot_value)
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

    @abc.abstractmethod
    def take_answer(
        self, text: str, choice: Optional[str], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        """Store or act on one answer; return ``{"answer": None}`` to ask again, a value to finish."""

    @staticmethod
    def done() -> Dict[str, Any]:
        return {"answer": "done"}

    @staticmethod
    def ask_again() -> Dict[str, Any]:
        return {"answer": None}


def payload(intent: str, **entities: str) -> str:
    """A button payload that bypasses NLU: ``/intent{"entity": "value"}``."""
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def buttons(options: List[tuple[str, str]]) -> List[Dict[str, str]]:
    """Quick-reply buttons that send ``/choose{"choice": id}``."""
    return [{"title": title, "payload": payload("choose", choice=value)} for value, title in options]
