"""Urgent signposting when a message shows risk of harm, and the gentle check-in when it may."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import signposting


class ActionUrgentSignpost(Action):
    """The crisis reply, then a gentle follow-up: the person chooses what happens next.

    Nothing from the message is stored; the form (if any) is paused by the rule.
    """

    def name(self) -> str:
        return "action_urgent_signpost"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=signposting.crisis_message())
        dispatcher.utter_message(
            text="I've paused what we were doing. There's no rush. Would you like to talk to someone, "
                 "see more support, or carry on later?",
            buttons=[
                {"title": "Talk to a person", "payload": "/talk_to_person"},
                {"title": "Show wellbeing support", "payload": '/find_resources{"topic": "wellbeing"}'},
                {"title": "Carry on where I was", "payload": "/where_was_i"},
                {"title": "Stop for now", "payload": "/stop"},
            ],
        )
        return [SlotSet("answer", None)]


class ActionSafetyCheckIn(Action):
    """The middle path: ask whether the person is safe, with the urgent numbers in the same reply.

    Nothing from the message is stored; a form in progress is paused by the rule and "I'm safe"
    takes the person back to where they were.
    """

    def name(self) -> str:
        return "action_safety_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(
            text=signposting.check_in_message(),
            buttons=[
                {"title": "I'm safe, carry on", "payload": "/where_was_i"},
                {"title": "I need help now", "payload": "/risk_of_harm"},
                {"title": "Talk to someone", "payload": "/talk_to_person"},
            ],
        )
        return [SlotSet("answer", None)]
