"""The journey's actions: each reads the tracker, asks the journey service, and returns its turn."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    CoachAction,
    CoachFormValidation,
    entity,
    journey,
    listing_of,
    message_of,
    place_of,
    unsure_words,
)
from actions.store import person_of
from bot.turn import Message, Turn


class ActionStartJourney(CoachAction):
    """Start (or pick up) the journal and stages for a member of staff."""

    action_name = "action_start_journey"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().start(person_of(tracker))


class ActionResume(CoachAction):
    """"Where was I?": continue at the next unanswered prompt, on any channel, after any restart."""

    action_name = "action_resume"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().resume(person_of(tracker), place_of(tracker), unsure_words(tracker))


class ActionAskAnswer(CoachAction):
    """Ask the current prompt, with progress, and buttons for choices."""

    action_name = "action_ask_answer"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().ask(person_of(tracker), place_of(tracker))


class ValidateCoachForm(CoachFormValidation):
    """Takes each answer: saves it as given, reflects it back, moves on."""

    def name(self) -> str:
        return "validate_coach_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[str]:
        return ["answer"] if journey().needs_answer(person_of(tracker), place_of(tracker)) else []

    def take(self, tracker: Tracker, message: Message) -> Turn:
        return journey().take(person_of(tracker), place_of(tracker), message)


class ActionFlowComplete(CoachAction):
    """After a flow: say so, and offer what comes next."""

    action_name = "action_flow_complete"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().complete(person_of(tracker), place_of(tracker))


class ActionCarryOn(CoachAction):
    """Yes (or "next") to "Shall we carry on?": the next stage begins; the words can still say "later"."""

    action_name = "action_carry_on"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().carry_on(person_of(tracker), place_of(tracker), message_of(tracker))


class ActionGreet(CoachAction):
    """Hello: the greeting, or "carry on where you left off?" to someone part way through."""

    action_name = "action_greet"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().greet(person_of(tracker))


class ActionGoOn(CoachAction):
    """Yes, "next" or "carry on" with nothing asked: where the person was, or the menu."""

    action_name = "action_go_on"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().go_on(person_of(tracker), place_of(tracker), message_of(tracker))


class ActionAnswerFaq(CoachAction):
    """A question about Scope for Growth with nothing asked: its answer, or how far through the person is."""

    action_name = "action_answer_faq"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().answer_faq(person_of(tracker), message_of(tracker))


class ActionOfferCarryOnAgain(CoachAction):
    """After a question answered at "Shall we carry on?": the offer again, with its buttons."""

    action_name = "action_offer_carry_on_again"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().offer_again(person_of(tracker))


class ActionPause(CoachAction):
    """"Not now" when offered the next stage: say how to pick up again."""

    action_name = "action_pause"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().pause()


class ActionReviewJournal(CoachAction):
    """Show the person's answers by part and page, or one answer with buttons to edit or delete it."""

    action_name = "action_review_journal"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().review(person_of(tracker), listing_of(tracker), entity(tracker, "prompt"))


class ActionEditAnswer(CoachAction):
    """Ask one earlier prompt again; the old answer is kept as a revision."""

    action_name = "action_edit_answer"

    def turn(self, tracker: Tracker) -> Turn:
        return journey().edit(tracker.get_slot("prompt"))
