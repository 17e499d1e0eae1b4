"""The rehearsal service: a line manager practises coaching questions with a practice colleague.

State travels in the conversation (``persona``, ``rehearsal_stage`` and
``rehearsal_log`` slots); only the finished review is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from bot import intake, rehearsal
from bot.journey_service import screen
from bot.manager import conversation_checklist
from bot.questions import analyse
from bot.rehearsal import STAGES, RehearsalLog, RehearsalSummary
from bot.store import CoachStore
from bot.turn import Button, Message, Turn, buttons, spoken_list


@dataclass(frozen=True)
class Practice:
    """Where a rehearsal is: the practice colleague, the stage and the questions asked so far."""

    persona: Optional[str] = None
    stage: int = 1
    log: List[Dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_slots(cls, persona: Optional[str], stage: Any, log: Optional[List[Dict[str, Any]]]) -> Practice:
        number = int(stage) if stage and str(stage).isdigit() and int(stage) in STAGES else 1
        return cls(persona, number, list(log or []))


def stage_buttons(stage: int) -> List[Button]:
    return buttons([*([("next_stage", "Next stage")] if stage < 3 else []), ("finish", "Finish and review")])


def summary_as_dict(summary: RehearsalSummary) -> Dict[str, Any]:
    return {"open_share": summary.open_share, "stages_covered": list(summary.stages_covered),
            "checklist_missed": list(summary.checklist_missed), "tips": list(summary.tips),
            "counts": dict(summary.counts)}


def summary_from_dict(data: Dict[str, Any]) -> RehearsalSummary:
    tips = tuple(data.get("tips", ("", "")))
    return RehearsalSummary(float(data["open_share"]), tuple(data["stages_covered"]),
                            tuple(data["checklist_missed"]), (tips[0], tips[1]), dict(data.get("counts", {})))


class RehearsalService:
    def __init__(self, store: CoachStore) -> None:
        self.store = store

    @staticmethod
    def start() -> Turn:
        return Turn().set(persona=None, rehearsal_stage="1", rehearsal_log=[], question=None)

    @staticmethod
    def ask(practice: Practice) -> Turn:
        """Pick a practice colleague, or prompt for the next question."""
        if not practice.persona:
            personas = rehearsal.list_personas()
            lines = "\n".join(f"• {p.name}, band {p.band} {p.role.lower()}: {' '.join(p.summary.split())}"
                              for p in personas)
            return Turn().say_in_bubbles(
                "Who would you like to practise with? They'll answer in character through the three stages, "
                "and after each question I'll give you short feedback.\n" + lines,
                buttons([(p.id, f"{p.name} (band {p.band})") for p in personas]))
        if practice.log and int(practice.log[-1]["stage"]) == practice.stage:
            return Turn()  # mid-stage: the feedback already carries the buttons, so don't repeat ourselves
        persona = rehearsal.get_persona(practice.persona)
        return Turn().say(f"Stage {practice.stage} of 3, {STAGES[practice.stage]}. Ask {persona.name} your question.",
                          stage_buttons(practice.stage))

    def take(self, person: str, practice: Practice, message: Message) -> Turn:
        """One message from the manager: the persona's reply and feedback; ``question`` "done" to finish."""
        screened = screen(message)  # every other message is a question for the practice colleague
        if screened is not None:
            return screened.set(question=None)
        choice = message.choice or intake.rehearsal_step(message.text)
        said = re.findall(r"[\w']+", message.text.lower())
        if not practice.persona:
            picked = next((p for p in rehearsal.list_personas()
                           if choice == p.id or (choice is None and p.name.lower() in said)), None)
            if picked is None:  # a question asked before anyone was picked: who answers it comes first
                names = spoken_list([p.name for p in rehearsal.list_personas()], "or")
                return Turn().say(f"First, pick someone to practise with: type a name ({names}) or use the buttons. "
                                  "Then ask them your question.").set(question=None)
            return Turn().say(f"You're meeting {picked.name}. {' '.join(picked.summary.split())}").set(
                question=None, persona=picked.id, rehearsal_stage="1", rehearsal_log=[])
        stage = practice.stage
        if choice == "next_stage":
            return Turn().set(question=None, rehearsal_stage=str(min(stage + 1, 3)))
        if choice == "finish":
            return self.review(person, practice).set(question="done")
        persona = rehearsal.get_persona(practice.persona)
        return Turn().set(question=None, rehearsal_log=[*practice.log, {"question": message.text, "stage": stage}]) \
            .say(f"{persona.name}: {rehearsal.persona_reply(persona, message.text, stage)}") \
            .say(f"Feedback: {rehearsal.feedback(analyse(message.text))}", stage_buttons(stage))

    def review(self, person: str, practice: Practice) -> Turn:
        """Summarise the rehearsal, save it, and compare it with the last one."""
        log = RehearsalLog(practice.persona or "")
        for turn in practice.log:
            log = log.add(str(turn["question"]), int(turn["stage"]))
        if not log.turns:
            return Turn().say("We stopped before any questions, so there's nothing to review yet.")
        summary = rehearsal.summarise(log)
        previous = self.store.last_rehearsal(person)
        self.store.save_rehearsal(person, log.persona_id, summary_as_dict(summary))
        titles = {item.id: item.title for item in conversation_checklist()}
        missed = "; ".join(titles.get(i, i) for i in summary.checklist_missed) or "none"
        stages = ", ".join(f"{n} ({STAGES[n]})" for n in summary.stages_covered) or "none"
        text = (f"Rehearsal review: {summary.questions} question(s), {round(summary.open_share * 100)}% open.\n"
                f"• Stages covered: {stages}\n• Checklist items not covered: {missed}\n"
                f"• Try next time: {summary.tips[0]}\n• And: {summary.tips[1]}")
        if previous:
            text += "\n" + rehearsal.compare(summary, summary_from_dict(previous))
        return Turn().say_in_bubbles(text)
