"""Manager mode: preparation, rehearsal with a practice colleague, the conversation checklist, and recording the
agreed outcome."""

from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CoachAction, CoachFormValidation, checked_again, entity, journey, last_buttons
from actions.store import person_of, store
from bot.checklist import ChecklistService, typed_move
from bot.rehearsal_service import Practice, RehearsalService
from bot.turn import Message, Turn


def practice_of(tracker: Tracker) -> Practice:
    return Practice.from_slots(tracker.get_slot("persona"), tracker.get_slot("rehearsal_stage"),
                               tracker.get_slot("rehearsal_log"))


class ActionStartManagerPrep(CoachAction):
    """Work through the preparation list (or carry on with it)."""

    action_name = "action_start_manager_prep"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().start_preparation(person_of(tracker))


class ActionShowChecklist(CoachAction):
    """The conversation checklist in the meeting: the start, or the item (or "done") a button asked for."""

    action_name = "action_show_checklist"

    def turn(self, tracker: Tracker) -> Turn:
        latest = tracker.latest_message
        intent = (latest.get("intent") or {}).get("name")
        moved = typed_move(latest.get("text") or "", intent, last_buttons(tracker))
        return ChecklistService().show(entity(tracker, "page") or moved)


class ActionStartOutcome(CoachAction):
    """Record a new agreed outcome: always starts from a clean form."""

    action_name = "action_start_outcome"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().start_outcome(person_of(tracker))


class ActionAskConfirmOutcome(CoachAction):
    """A member of staff checks the outcome their manager recorded, by its code."""

    action_name = "action_ask_confirm_outcome"

    def turn(self, tracker: Tracker) -> Turn:
        again = checked_again(tracker, "confirm it")
        code = tracker.get_slot("outcome_code") if again.replies else tracker.latest_message.get("text")
        return again.then(journey().show_pending_outcome(person_of(tracker), code or ""))


class ActionConfirmOutcome(CoachAction):
    action_name = "action_confirm_outcome"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().confirm_outcome(person_of(tracker), tracker.get_slot("outcome_code") or "")


class ActionStartRehearsal(CoachAction):
    action_name = "action_start_rehearsal"

    def turn(self, tracker: Tracker) -> Turn:
        return RehearsalService.start()


class ActionAskQuestion(CoachAction):
    """Pick a practice colleague, or prompt for the next question."""

    action_name = "action_ask_question"

    def turn(self, tracker: Tracker) -> Turn:
        return RehearsalService.ask(practice_of(tracker))


class ValidateRehearsalForm(CoachFormValidation):
    """Each manager question gets the persona's reply and short, specific feedback."""

    slot = "question"

    def name(self) -> str:
        return "validate_rehearsal_form"

    async def validate_question(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[str, Any]:
        return await self.validate_answer(slot_value, dispatcher, tracker, domain)

    def take(self, tracker: Tracker, message: Message) -> Turn:
        return RehearsalService(store()).take(person_of(tracker), practice_of(tracker), message)
