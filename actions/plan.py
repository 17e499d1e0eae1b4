"""The plan as a document to take into the meeting, and sharing chosen items with a manager."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import CoachAction, checked_again, listing_of
from actions.store import person_of, store
from bot.sharing import SharingService
from bot.turn import Turn


def sharing() -> SharingService:
    return SharingService(store())


class ActionSendPlan(CoachAction):
    """Render the plan (HTML and PDF) under an unguessable name and send the links."""

    action_name = "action_send_plan"

    def turn(self, tracker: Tracker) -> Turn:
        return sharing().send_plan(person_of(tracker), tracker.get_slot("choice"))


class ActionShareWithManager(CoachAction):
    """What could be shared: the plan as one, or answers part by part."""

    action_name = "action_share_with_manager"

    def turn(self, tracker: Tracker) -> Turn:
        return sharing().choose(person_of(tracker), listing_of(tracker), tracker.latest_message.get("text") or "")


class ActionAskShareAnswer(CoachAction):
    """Show what the manager would see, and ask to confirm."""

    action_name = "action_ask_share_answer"

    def turn(self, tracker: Tracker) -> Turn:
        return checked_again(tracker, "share anything").then(sharing().ask(person_of(tracker),
                                                                          tracker.get_slot("prompt") or ""))


class ActionShareAnswer(CoachAction):
    """Share what was confirmed, and send the manager's link."""

    action_name = "action_share_answer"

    def turn(self, tracker: Tracker) -> Turn:
        return sharing().share(person_of(tracker), tracker.get_slot("prompt") or "")


class ActionStopSharing(CoachAction):
    """"Stop sharing": every shared answer private again, every share link withdrawn."""

    action_name = "action_stop_sharing"

    def turn(self, tracker: Tracker) -> Turn:
        return sharing().stop_sharing(person_of(tracker))
