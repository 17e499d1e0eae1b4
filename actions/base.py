"""The edge every coach action shares: read the tracker, call a service in ``bot``, return events.

- :func:`message_of` reads the message once, with the safety gate's verdict from its parse data.
- :class:`CoachAction` and :class:`CoachFormValidation` run each call as one unit of work
  (one database transaction) and turn the service's :class:`~bot.turn.Turn` into messages and events.
"""

from __future__ import annotations

import abc
import dataclasses
from contextvars import ContextVar
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.store import store
from bot import safety
from bot.answer_lists import Listing
from bot.journey_service import JourneyService, Place, met_by_check_in
from bot.turn import BOOKKEEPING_ACTIONS, HAND_OVER, PAUSE, Message, Turn

# How the message just taken leaves the form (a Turn's ``leave``); set within one validation call.
_leaving: ContextVar[Optional[str]] = ContextVar("leaving", default=None)


def entity(tracker: Tracker, name: str) -> Optional[str]:
    """The value of entity ``name`` in the latest message (a button's payload), if it has one."""
    return next((str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name),
                None)


def last_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    """The buttons of the coach's latest message that had any (what a typed "next" refers to)."""
    for event in reversed(tracker.events):
        buttons = (event.get("data") or {}).get("buttons") if event.get("event") == "bot" else None
        if buttons:
            return list(buttons)
    return []


JOURNEY_FORM = "coach_form"


def unsure_words(tracker: Tracker) -> Optional[Message]:
    """The words the safety check-in just met, when the person's latest message replies to that check-in and only
    the classifiers were uneasy about the words (no words of risk): "I'm safe, carry on" does a skip or "later" in
    them (``JourneyService.resume``). They carry the intent the NLU chose before the gate imposed the check-in, so
    a request in them can be offered. None otherwise, and always for a button or words in which the lexicon found
    risk."""
    said = [index for index, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(said) < 2:
        return None
    met, reply = said[-2], said[-1]
    loops = (event.get("name") for event in reversed(tracker.events[:met]) if event.get("event") == "active_loop")
    if next(loops, None) != JOURNEY_FORM:  # typed at a journey question, not in a rehearsal or outside a form
        return None
    between = [event.get("name") for event in tracker.events[met + 1:reply]
               if event.get("event") == "action" and event.get("name") not in BOOKKEEPING_ACTIONS]
    words = str(tracker.events[met].get("text") or "")
    parsed = tracker.events[met].get("parse_data") or {}
    if between != [safety.CHECK_IN_RESPONSE] or not words or words.startswith("/") or "safety" not in parsed:
        return None
    if (parsed.get("intent") or {}).get("name") != "risk_unclear" or safety.verdict(words, parsed).names_risk:
        return None
    return met_by_check_in(words, parsed)


def checked_again(tracker: Tracker, doing: str) -> Turn:
    """Said before a confirmation's question when it is asked again: a yes that did not reply to the question itself
    (a yes to something said since, or an old button pressed later) does nothing (data/rules/privacy.yml,
    manager.yml)."""
    said_yes = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
    return Turn().say(f"Just to check before I {doing}:") if said_yes else Turn()


def listing_of(tracker: Tracker) -> Listing:
    """Which part and page of a list of answers a button asked for."""
    return Listing.read(entity(tracker, "part"), entity(tracker, "page"))


def message_of(tracker: Tracker, text: Optional[str] = None) -> Message:
    """The latest message as the core sees it (``text`` is the slot value when a form filled one)."""
    latest = tracker.latest_message
    said = text if text is not None else latest.get("text") or ""
    message = Message.parsed(said, latest)
    choice = entity(tracker, "choice")
    if message.intent == "choose" and choice is not None:  # a button press: our payload, not the person's words
        return dataclasses.replace(message, choice=choice)
    return dataclasses.replace(message, safety=safety.verdict(said, latest))


def place_of(tracker: Tracker) -> Place:
    return Place(tracker.get_slot("flow"), tracker.get_slot("editing"), tracker.get_slot("prompt_id"))


def journey() -> JourneyService:
    return JourneyService(store())


def send(dispatcher: CollectingDispatcher, turn: Turn) -> List[EventType]:
    """Send the turn's replies; its state as slot events."""
    for reply in turn.replies:
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons), response=reply.response,
                                 attachment=reply.attachment, json_message=reply.custom)
    return [SlotSet(name, value) for name, value in turn.state.items()]


class CoachAction(Action, metaclass=abc.ABCMeta):
    """An action that is one call to a service. Abstract, so only the concrete actions are registered."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        with store().unit_of_work():
            turn = self.turn(tracker)
            events = send(dispatcher, turn)
        # A turn that pauses (a stop the safety check-in met, done after "I'm safe") waits for the person: the form
        # the rules would run next would ask the question again.
        return events + [FollowupAction("action_listen")] if turn.leave == PAUSE else events

    @abc.abstractmethod
    def turn(self, tracker: Tracker) -> Turn:
        """What the service makes of this moment in the conversation."""


class CoachFormValidation(FormValidationAction, metaclass=abc.ABCMeta):
    """Base class for the coach's forms, each with one free-text slot named by ``slot``."""

    slot = "answer"

    @abc.abstractmethod
    def name(self) -> str:
        """The validation action's name, ``validate_<form>``."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # Nothing in a validation awaits I/O, so the transaction never spans a pause in which another
        # conversation's turn could run and wait on its lock.
        _leaving.set(None)
        with store().unit_of_work():
            events = await super().run(dispatcher, tracker, domain)
        leaving = _leaving.get()
        if leaving == PAUSE:  # the documented way for a validation to end its form early
            events.append(SlotSet("requested_slot", None))
        elif leaving == HAND_OVER:  # as if the slot mapping had refused it: the rules answer the intent
            events.append(ActionExecutionRejected(tracker.active_loop.get("name") or self.name()[len("validate_"):]))
        return events

    async def validate_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if slot_value is None:
            return {self.slot: None}  # the slot was only reset (e.g. as the form started): nothing was said
        turn = self.take(tracker, message_of(tracker, str(slot_value)))
        send(dispatcher, turn)
        _leaving.set(turn.leave)
        return turn.state

    @abc.abstractmethod
    def take(self, tracker: Tracker, message: Message) -> Turn:
        """Store or act on one message; the turn's state sets the slot (None to ask again)."""
