"""Pointing the way: resources by topic buttons or a free-text search, and "did you mean…?" when unsure."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import entity, send
from bot import clarifying, signposting


class ActionFindResources(Action):
    """Resources on the topic asked for, or a page of topics to choose from."""

    def name(self) -> str:
        return "action_find_resources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # The topic of this request alone: the slot also fills from an answer that happens to name one ("band 5 staff
        # nurse"), which must not steer a later request that named none.
        turn = signposting.resources_turn(entity(tracker, "topic"), entity(tracker, "page"),
                                          after_disclosure=bool(tracker.get_slot("risk_disclosed")))
        return [*send(dispatcher, turn), SlotSet("topic", None)]


class ActionDidYouMean(Action):
    """A message the NLU could not place: its strongest guesses as buttons, or "I'm not sure I understood"."""

    def name(self) -> str:
        return "action_did_you_mean"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        latest = tracker.latest_message
        return send(dispatcher, clarifying.did_you_mean(latest.get("intent_ranking") or [], latest.get("text") or ""))
