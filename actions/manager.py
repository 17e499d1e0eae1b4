"""Manager mode: preparation, rehearsal with a practice colleague, and recording the agreed outcome."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CoachFormValidation, buttons
from actions.journey import intervention_names, journey, start_events
from actions.store import person_of, store
from bot import journey as journeys
from bot import rehearsal
from bot.manager import conversation_checklist
from bot.outcomes import outcome_lines
from bot.questions import analyse
from bot.rehearsal import STAGES, RehearsalLog, RehearsalSummary
from bot.store.repository import find_code

FINISH_WORDS = {"finish", "end", "done", "stop rehearsing", "end rehearsal", "finish rehearsal", "that's all"}
NEXT_WORDS = {"next stage", "next", "move on", "move on to the next stage"}


class ActionStartManagerPrep(Action):
    """Work through the preparation list (or carry on with it)."""

    def name(self) -> str:
        return "action_start_manager_prep"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        flow = journey().flow("manager_prep")
        prompt = journeys.next_prompt(flow, store().answers(person_of(tracker), flow.id))
        if prompt is None:
            dispatcher.utter_message(text="You've worked through the whole preparation list. Say \"review my "
                                          "journal\" to see or edit your notes.")
        return start_events(prompt)


class ActionStartOutcome(Action):
    """Record a new agreed outcome: always starts from a clean form."""

    def name(self) -> str:
        return "action_start_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        person = person_of(tracker)
        for prompt_id in store().answers(person, "outcome"):
            store().delete_answer(person, "outcome", prompt_id)
        return start_events(journey().flow("outcome").prompts[0])


class ActionAskConfirmOutcome(Action):
    """A member of staff checks the outcome their manager recorded, by its code."""

    def name(self) -> str:
        return "action_ask_confirm_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        code = find_code(tracker.latest_message.get("text") or "")
        record = store().pending_outcome(code) if code else None
        if record is None:
            dispatcher.utter_message(text="I couldn't find an outcome waiting with that code. Codes look like "
                                          "\"KTP-482\"; your manager gets one when they record the outcome.")
            return [SlotSet("outcome_code", None)]
        dispatcher.utter_message(
            text="Here's the outcome recorded for you:\n" + "\n".join(outcome_lines(record, intervention_names()))
                 + "\nIs this what you agreed? It becomes final, and part of your record, when you confirm.",
            buttons=[{"title": "Yes, confirm it", "payload": "/affirm"},
                     {"title": "No, it needs changing", "payload": "/deny"}],
        )
        return [SlotSet("outcome_code", code), SlotSet("pending_confirmation", "confirm_outcome")]


class ActionConfirmOutcome(Action):
    def name(self) -> str:
        return "action_confirm_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        code = tracker.get_slot("outcome_code") or ""
        if store().confirm_outcome(code, person_of(tracker)):
            dispatcher.utter_message(text="Confirmed. The outcome is now final and part of your record.")
        else:
            dispatcher.utter_message(text="That outcome was already confirmed or no longer exists.")
        return [SlotSet("pending_confirmation", None), SlotSet("outcome_code", None)]


class ActionStartRehearsal(Action):
    def name(self) -> str:
        return "action_start_rehearsal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return [SlotSet("persona", None), SlotSet("rehearsal_stage", "1"), SlotSet("rehearsal_log", []),
                SlotSet("question", None)]


def _stage(tracker: Tracker) -> int:
    value = tracker.get_slot("rehearsal_stage")
    return int(value) if value and str(value).isdigit() and int(value) in STAGES else 1


class ActionAskQuestion(Action):
    """Pick a practice colleague, or prompt for the next question."""

    def name(self) -> str:
        return "action_ask_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        persona_id = tracker.get_slot("persona")
        if not persona_id:
            lines = "\n".join(f"• {p.name}, band {p.band} {p.role.lower()}: {' '.join(p.summary.split())}"
                              for p in rehearsal.list_personas())
            dispatcher.utter_message(
                text="Who would you like to practise with? They'll answer in character through the three stages, "
                     "and after each question I'll give you short feedback.\n" + lines,
                buttons=buttons([(p.id, f"{p.name} (band {p.band})") for p in rehearsal.list_personas()]),
            )
            return []
        stage = _stage(tracker)
        log = tracker.get_slot("rehearsal_log") or []
        if log and int(log[-1]["stage"]) == stage:
            return []  # mid-stage: the feedback message already carries the buttons, so don't repeat ourselves
        persona = rehearsal.get_persona(persona_id)
        dispatcher.utter_message(text=f"Stage {stage} of 3, {STAGES[stage]}. Ask {persona.name} your question.",
                                 buttons=stage_buttons(stage))
        return []


def stage_buttons(stage: int) -> List[Dict[str, str]]:
    return buttons([*([("next_stage", "Next stage")] if stage < 3 else []), ("finish", "Finish and review")])


def summary_as_dict(summary: RehearsalSummary) -> Dict[str, Any]:
    return {"open_share": summary.open_share, "stages_covered": list(summary.stages_covered),
            "checklist_missed": list(summary.checklist_missed), "tips": list(summary.tips),
            "counts": dict(summary.counts)}


def summary_from_dict(data: Dict[str, Any]) -> RehearsalSummary:
    tips = tuple(data.get("tips", ("", "")))
    return RehearsalSummary(float(data["open_share"]), tuple(data["stages_covered"]),
                            tuple(data["checklist_missed"]), (tips[0], tips[1]), dict(data.get("counts", {})))


class ValidateRehearsalForm(CoachFormValidation):
    """Each manager question gets the persona's reply and short, specific feedback."""

    slot = "question"
    interruptions: frozenset[str] = frozenset()  # every question is for the practice colleague

    def name(self) -> str:
        return "validate_rehearsal_form"

    async def validate_question(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[str, Any]:
        return await self.validate_answer(slot_value, dispatcher, tracker, domain)

    def take_answer(self, text: str, choice: Optional[str], dispatcher: CollectingDispatcher,
                    tracker: Tracker) -> Dict[str, Any]:
        persona_id = tracker.get_slot("persona")
        words = " ".join(text.lower().strip(" .!").split())
        if not persona_id:
            picked = next((p for p in rehearsal.list_personas()
                           if choice == p.id or (choice is None and p.name.lower() in words.split())), None)
            if picked is None:
                dispatcher.utter_message(text="Pick someone to practise with using the buttons.")
                return self.ask_again()
            dispatcher.utter_message(text=f"You're meeting {picked.name}. {' '.join(picked.summary.split())}")
            return {"question": None, "persona": picked.id, "rehearsal_stage": "1", "rehearsal_log": []}
        stage = _stage(tracker)
        log_data: List[Dict[str, Any]] = list(tracker.get_slot("rehearsal_log") or [])
        if choice == "next_stage" or (choice is None and words in NEXT_WORDS):
            return {"question": None, "rehearsal_stage": str(min(stage + 1, 3))}
        if choice == "finish" or (choice is None and words in FINISH_WORDS):
            self._summarise(persona_id, log_data, dispatcher, tracker)
            return self.done()
        persona = rehearsal.get_persona(persona_id)
        analysis = analyse(text)
        dispatcher.utter_message(text=f"{persona.name}: {rehearsal.persona_reply(persona, text, stage)}")
        dispatcher.utter_message(text=f"Feedback: {rehearsal.feedback(analysis)}", buttons=stage_buttons(stage))
        return {"question": None, "rehearsal_log": [*log_data, {"question": text, "stage": stage}]}

    @staticmethod
    def _summarise(persona_id: str, log_data: List[Dict[str, Any]], dispatcher: CollectingDispatcher,
                   tracker: Tracker) -> None:
        log = RehearsalLog(persona_id)
        for turn in log_data:
            log = log.add(str(turn["question"]), int(turn["stage"]))
        if not log.turns:
            dispatcher.utter_message(text="We stopped before any questions, so there's nothing to review yet.")
            return
        summary = rehearsal.summarise(log)
        person = person_of(tracker)
        previous = store().last_rehearsal(person)
        store().save_rehearsal(person, persona_id, summary_as_dict(summary))
        titles = {item.id: item.title for item in conversation_checklist()}
        missed = "; ".join(titles.get(i, i) for i in summary.checklist_missed) or "none"
        stages = ", ".join(f"{n} ({STAGES[n]})" for n in summary.stages_covered) or "none"
        text = (f"Rehearsal review: {summary.questions} question(s), {round(summary.open_share * 100)}% open.\n"
                f"• Stages covered: {stages}\n• Checklist items not covered: {missed}\n"
                f"• Try next time: {summary.tips[0]}\n• And: {summary.tips[1]}")
        if previous:
            text += "\n" + rehearsal.compare(summary, summary_from_dict(previous))
        dispatcher.utter_message(text=text)
