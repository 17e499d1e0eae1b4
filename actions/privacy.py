"""The individual owns their record: what we keep, and deleting it."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CoachAction, journey
from actions.store import person_of, store
from bot import journey as journeys
from bot.journey_service import coach_journey
from bot.privacy import describe_kept
from bot.turn import Turn


class ActionWhatWeKeep(Action):
    def name(self) -> str:
        return "action_what_we_keep"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        titles = {flow.id: flow.title for flow in coach_journey().flows}
        dispatcher.utter_message(text=describe_kept(store().kept_data(person_of(tracker)), titles))
        return []


class ActionAskDeleteData(Action):
    def name(self) -> str:
        return "action_ask_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(
            text="This will erase your journal, your stage notes, your plan and our conversation history. "
                 "It can't be undone. Are you sure?",
            buttons=[{"title": "Yes, delete everything", "payload": "/affirm"},
                     {"title": "No, keep it", "payload": "/deny"}],
        )
        return [SlotSet("pending_confirmation", "delete_data")]


class ActionDeleteData(Action):
    """Erase the journal, stage notes, plan and conversation history, after a confirmation."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        store().erase_person(person_of(tracker))
        dispatcher.utter_message(text="Done. I've deleted your journal, stage notes, plan and our conversation "
                                      "history. If you come back, we'll start afresh.")
        return [Restarted()]


class ActionCancelConfirmation(Action):
    def name(self) -> str:
        return "action_cancel_confirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text="Okay, nothing has changed.")
        return [SlotSet("pending_confirmation", None), SlotSet("prompt", None)]


class ActionAskDeleteAnswer(Action):
    def name(self) -> str:
        return "action_ask_delete_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        try:
            prompt = coach_journey().find_prompt(tracker.get_slot("prompt") or "")
        except KeyError:
            dispatcher.utter_message(text="I couldn't find that answer.")
            return [SlotSet("prompt", None)]
        dispatcher.utter_message(
            text=f"Delete your answer to “{journeys.quote(prompt.text, 12)}”? The question will be asked again "
                 "next time you carry on.",
            buttons=[{"title": "Yes, delete it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}],
        )
        return [SlotSet("pending_confirmation", "delete_answer")]


class ActionDeleteAnswer(CoachAction):
    action_name = "action_delete_answer"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().delete_answer(person_of(tracker), tracker.get_slot("prompt") or "")
