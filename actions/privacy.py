"""The individual owns their record: what we keep, who has seen it, deleting it, and a copy to take away."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CoachAction, checked_again, journey, send
from actions.store import person_of, store
from bot import journey as journeys
from bot.audit import AuditReport
from bot.journey_service import coach_journey
from bot.privacy import ErasureService, SubjectAccess, describe_kept
from bot.settings import load_settings
from bot.turn import Turn


class ActionWhatWeKeep(Action):
    def name(self) -> str:
        return "action_what_we_keep"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        titles = {flow.id: flow.title for flow in coach_journey().flows}
        dispatcher.utter_message(text=describe_kept(store().kept_data(person_of(tracker)), titles))
        return []


DELETING = "delete anything"


def erasure() -> ErasureService:
    return ErasureService(store(), keep_confirmed_outcomes=load_settings().keep_confirmed_outcomes)


class ActionAskDeleteData(CoachAction):
    """Say exactly what "delete my data" deletes and what it keeps, and ask to confirm."""

    action_name = "action_ask_delete_data"

    def turn(self, tracker: Tracker) -> Turn:
        return checked_again(tracker, DELETING).then(erasure().ask(person_of(tracker)))


class ActionDeleteData(Action):
    """Erase everything the person's words are in, after a confirmation; the web widget forgets its copy too."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        turn = erasure().erase(person_of(tracker), on_device=tracker.get_latest_input_channel() == "web")
        return send(dispatcher, turn) + [Restarted()]


class ActionDownloadMyData(CoachAction):
    """ "Download everything you hold about me": a page and a JSON file, at private links."""

    action_name = "action_download_my_data"

    def turn(self, tracker: Tracker) -> Turn:
        return SubjectAccess(store(), coach_journey()).download(person_of(tracker))


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
        send(dispatcher, checked_again(tracker, DELETING))
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


class ActionWhoHasSeen(CoachAction):
    """ "Who has seen my answers?": what was shared, how often each link was opened, withdrawals, exports, outcomes."""

    action_name = "action_who_has_seen"

    def turn(self, tracker: Tracker) -> Turn:
        return AuditReport(store(), coach_journey()).report(person_of(tracker))
