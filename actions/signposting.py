"""Finding resources: by topic buttons or a free-text search."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import signposting
from bot.turn import payload


def _describe(resource: signposting.Resource) -> str:
    line = f"• {resource.name}: {resource.description}"
    if resource.contact:
        line += f" ({resource.contact})"
    if resource.verify and resource.note:
        line += f" Note: {resource.note}"
    return line


class ActionFindResources(Action):
    def name(self) -> str:
        return "action_find_resources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        topic = tracker.get_slot("topic")
        if not topic:
            dispatcher.utter_message(
                text="Which topic would you like resources on?",
                buttons=[{"title": t.label, "payload": payload("find_resources", topic=t.id)}
                         for t in signposting.topics()],
            )
            return []
        found = signposting.find_resources(str(topic))
        if not found:
            dispatcher.utter_message(
                text=f"I couldn't find resources about “{topic}”. Here are the topics I know about.",
                buttons=[{"title": t.label, "payload": payload("find_resources", topic=t.id)}
                         for t in signposting.topics()],
            )
        else:
            dispatcher.utter_message(text="Here's what might help:\n" + "\n".join(_describe(r) for r in found))
        return [SlotSet("topic", None)]
