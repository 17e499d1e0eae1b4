"""The individual's journey: one prompt loop (``coach_form``) over content-defined flows.

The form has a single free-text slot, ``answer``. Which question comes next is
decided from content and the person's saved answers, so an organisation can
change the questions without retraining and "where was I?" is a lookup.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CoachFormValidation, buttons, payload
from actions.store import person_of, store
from bot import engine, plan, safety, signposting
from bot import journey as journeys
from bot.dates import read_date
from bot.journey import Journey, Prompt
from bot.manager import preparation_flow
from bot.outcomes import outcome_from_answers, outcome_lines

MANAGER_FLOWS = {"manager_prep", "outcome"}
DONE_WORDS = {"done", "that's all", "thats all", "that is all", "finished", "none", "none of these", "no more"}
YES_WORDS = {"yes", "yes please", "yeah", "yep", "right", "that's right", "correct", "save", "save it", "ok",
             "okay", "that feels right", "sounds right"}


@lru_cache(maxsize=1)
def journey() -> Journey:
    """The staff flows and the outcome flow from journey.yml, plus the manager's preparation flow."""
    return Journey(journeys.load_journey().flows + (preparation_flow(),))


def _words(text: str) -> str:
    return " ".join(text.lower().strip(" .!").split())


def current_prompt(tracker: Tracker, answers: Dict[str, Any]) -> Optional[Prompt]:
    """The prompt to ask now: the one being edited, else the flow's first unanswered prompt.

    ``answers`` are the person's saved answers (all flows, or just the current one).
    """
    editing = tracker.get_slot("editing")
    if editing:
        return journey().find_prompt(editing)
    flow_id = tracker.get_slot("flow")
    return journeys.next_prompt(journey().flow(flow_id), answers) if flow_id else None


def start_events(prompt: Optional[Prompt]) -> List[EventType]:
    return [SlotSet("flow", prompt.flow if prompt else None), SlotSet("editing", None), SlotSet("answer", None)]


class ActionStartJourney(Action):
    """Start (or pick up) the journal and stages for a member of staff."""

    def name(self) -> str:
        return "action_start_journey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        prompt = journeys.resume_point(journey(), answers)
        if answers and prompt is not None:
            flow = journey().flow(prompt.flow)
            done, total = journeys.answered_count(flow, answers)
            dispatcher.utter_message(text=f"Welcome back. You're part way through {flow.title.lower()} "
                                          f"({done} of {total} answered). Let's carry on.")
        elif prompt is None:
            dispatcher.utter_message(text="You've already prepared everything. You can review your answers, "
                                          "or ask me to send your plan.")
        return start_events(prompt)


class ActionResume(Action):
    """"Where was I?": continue at the next unanswered prompt, on any channel, after any restart."""

    def name(self) -> str:
        return "action_resume"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        # The flow that was paused (a manager's preparation, say) comes first; else the staff journey.
        paused = tracker.get_slot("flow")
        prompt = journeys.next_prompt(journey().flow(paused), answers) if paused else None
        prompt = prompt or journeys.resume_point(journey(), answers)
        if prompt is None:
            if answers:
                dispatcher.utter_message(text="You've answered everything in your journal and the three stages.")
            else:
                dispatcher.utter_message(text="You haven't started yet, so let's begin with your journal.")
                prompt = journeys.resume_point(journey(), {})
        else:
            flow = journey().flow(prompt.flow)
            dispatcher.utter_message(text=f"You were in {flow.title.lower()}: "
                                          f"{journeys.progress(flow, prompt).label.lower()}.")
        return start_events(prompt)


class ActionAskAnswer(Action):
    """Ask the current prompt, with progress, and buttons for choices."""

    def name(self) -> str:
        return "action_ask_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))  # read once: the prompt, progress and summaries use it
        prompt = current_prompt(tracker, answers)
        if prompt is None:
            dispatcher.utter_message(text="There's nothing left to ask here.")
            return []
        flow = journey().flow(prompt.flow)
        editing = tracker.get_slot("editing")
        if not editing and journeys.answered_count(flow, answers)[0] == 0:
            dispatcher.utter_message(text=flow.intro)
        header = journeys.progress(flow, prompt).label
        if editing and prompt.id in answers:
            header = f"Editing your answer. Before, you said: “{journeys.quote(answers[prompt.id].text, 40)}”. " \
                     f"Give a new answer, or say \"skip\" to keep it."
        ask = ASKERS.get(prompt.kind, ask_text)
        ask(dispatcher, prompt, header, answers)
        return [SlotSet("prompt_id", prompt.id)]


def ask_text(dispatcher: CollectingDispatcher, prompt: Prompt, header: str, answers: Dict[str, Any]) -> None:
    dispatcher.utter_message(text=f"{header}\n{prompt.text}")


def ask_choice(dispatcher: CollectingDispatcher, prompt: Prompt, header: str, answers: Dict[str, Any]) -> None:
    options = plan.choice_options(prompt.options_from or "")
    lines = "\n".join(f"• {o.label}: {o.explanation}" for o in options)
    dispatcher.utter_message(text=f"{header}\n{prompt.text}\n{lines}",
                             buttons=buttons([(o.id, o.label) for o in options]))


def ask_placement(dispatcher: CollectingDispatcher, prompt: Prompt, header: str, answers: Dict[str, Any]) -> None:
    placement = plan.placement_for(answers)
    others = [(o.id, f"Change to {o.label.lower()}") for o in plan.choice_options("growth")
              if o.id != placement.growth]
    dispatcher.utter_message(
        text=f"{header}\n{prompt.text}\n{placement.segment.name}: {placement.explanation}\n"
             "You decide: confirm it, or choose a different growth focus.",
        buttons=buttons([("confirm", "That feels right"), *others]),
    )


def ask_suggestions(dispatcher: CollectingDispatcher, prompt: Prompt, header: str, answers: Dict[str, Any]) -> None:
    picked = set(_draft(answers, prompt))
    suggestions = plan.suggestions_for(answers, prompt.flow)
    lines = "\n".join(f"{i}. {s.intervention.name}{' (added)' if s.intervention.id in picked else ''}: {s.reason}"
                      for i, s in enumerate(suggestions, start=1))
    options = [(s.intervention.id, ("Remove " if s.intervention.id in picked else "Add ") + s.intervention.name)
               for s in suggestions]
    dispatcher.utter_message(
        text=f"{header}\n{prompt.text}\n{lines}\nPick as many as you like, then say \"done\".",
        buttons=buttons([*options, ("done", "Done" if picked else "None of these for now")]),
    )


def ask_summary(dispatcher: CollectingDispatcher, prompt: Prompt, header: str, answers: Dict[str, Any]) -> None:
    if prompt.flow == "outcome":
        record = outcome_from_answers(answers, agreed_by="line manager", agreed_at=dt.datetime.now())
        lines = "\n".join(outcome_lines(record, intervention_names()))
        labels = [("save", "Record it"), ("change", "I want to change something")]
    else:
        document = plan.build_plan_document(journey(), answers)
        lines = "\n".join(plan.summary_lines(document)) or "• (nothing yet)"
        labels = [("save", "Save my plan"), ("change", "I want to change something")]
    dispatcher.utter_message(text=f"{header}\n{lines}\n{prompt.text}", buttons=buttons(labels))


def intervention_names() -> Dict[str, str]:
    return {item.id: item.name for item in engine.catalogue()}


ASKERS = {"choice": ask_choice, "placement": ask_placement, "suggestions": ask_suggestions, "summary": ask_summary}


def _draft(answers: Dict[str, Any], prompt: Prompt) -> List[str]:
    draft = answers.get(prompt.id + ".draft")
    return list(draft.value or []) if draft is not None else []


class ValidateCoachForm(CoachFormValidation):
    """Takes each answer: saves it as given, reflects it back, moves on."""

    def name(self) -> str:
        return "validate_coach_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[str]:
        if tracker.get_slot("editing"):
            return ["answer"]
        flow_id = tracker.get_slot("flow")
        answers = store().answers(person_of(tracker), flow_id) if flow_id else {}
        return ["answer"] if current_prompt(tracker, answers) is not None else []

    def take_answer(self, text: str, choice: Optional[str], dispatcher: CollectingDispatcher,
                    tracker: Tracker) -> Dict[str, Any]:
        person = person_of(tracker)
        prompt_id = tracker.get_slot("prompt_id")
        prompt = (journey().find_prompt(prompt_id) if prompt_id
                  else current_prompt(tracker, store().answers(person, tracker.get_slot("flow"))))
        if prompt is None:
            return self.done()
        editing = bool(tracker.get_slot("editing"))
        if choice is None and journeys.is_skip(text):
            if editing:
                dispatcher.utter_message(text="No change: I've kept your answer as it was.")
            else:
                store().save_answer(person, prompt.flow, prompt.id, "", status="skipped")
                dispatcher.utter_message(text="No problem, we'll leave that one.")
            return self._next(person, prompt, editing, dispatcher)
        taker = TAKERS.get(prompt.kind, take_text)
        if not taker(self, person, prompt, text, choice, dispatcher):
            return self.ask_again()
        return self._next(person, prompt, editing, dispatcher)

    def _next(self, person: str, prompt: Prompt, editing: bool, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        if editing:
            dispatcher.utter_message(text="Updated.")
            return {**self.done(), "editing": None, "flow": None}
        flow = journey().flow(prompt.flow)
        if journeys.next_prompt(flow, store().answers(person, flow.id)) is None:
            return self.done()
        return self.ask_again()


def take_text(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
              dispatcher: CollectingDispatcher) -> bool:
    if choice is not None:
        text = choice
    store().save_answer(person, prompt.flow, prompt.id, text)
    reply = journeys.reflect_back(text)
    if safety.assess(text, second_opinion=False).level == "strain":
        reply += "\n" + signposting.strain_message()
    dispatcher.utter_message(text=reply)
    return True


def _keep_note(person: str, prompt: Prompt, text: str, dispatcher: CollectingDispatcher, hint: str) -> bool:
    """Keep words that did not answer a structured question, so nothing typed is lost."""
    if text.strip():
        store().save_answer(person, prompt.flow, prompt.id + ".note", text)
        hint += " I've kept what you wrote as a note."
    dispatcher.utter_message(text=hint)
    return False


def take_choice(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
                dispatcher: CollectingDispatcher) -> bool:
    name = prompt.options_from or ""
    options = {o.id: o for o in plan.choice_options(name)}
    picked = choice if choice in options else plan.match_choice(name, text)
    if picked is None:
        return _keep_note(person, prompt, text, dispatcher,
                          "I didn't catch which one fits best. Pick a button, or type its name.")
    store().save_answer(person, prompt.flow, prompt.id, options[picked].label, value=picked)
    dispatcher.utter_message(text=f"You chose: {options[picked].label}.")
    return True


def take_placement(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
                   dispatcher: CollectingDispatcher) -> bool:
    growth_ids = {o.id for o in plan.choice_options("growth")}
    new_growth = choice if choice in growth_ids else plan.match_choice("growth", text) if choice is None else None
    if new_growth:
        label = next(o.label for o in plan.choice_options("growth") if o.id == new_growth)
        store().save_answer(person, prompt.flow, "stage2.growth", label, value=new_growth)
        dispatcher.utter_message(text=f"Changed to {label.lower()}.")
        return False
    if choice == "confirm" or _words(text) in YES_WORDS:
        placement = plan.placement_for(store().answers(person))
        value = {"segment_id": placement.segment.id, "name": placement.segment.name,
                 "explanation": placement.explanation}
        store().save_answer(person, prompt.flow, prompt.id, placement.segment.name, value=value)
        store().save_plan(person, segment_id=placement.segment.id)
        dispatcher.utter_message(text=f"Agreed: {placement.segment.name}. It's your call, and you can change it later.")
        return True
    return _keep_note(person, prompt, text, dispatcher,
                      "Tell me if that feels right, or pick a different growth focus.")


def take_suggestions(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
                     dispatcher: CollectingDispatcher) -> bool:
    answers = store().answers(person)
    picked = _draft(answers, prompt)
    suggestions = {s.intervention.id: s.intervention.name for s in plan.suggestions_for(answers, prompt.flow)}
    if choice == "done" or (choice is None and _words(text) in DONE_WORDS):
        names = "; ".join(suggestions.get(i, i) for i in picked) or "None for now"
        store().save_answer(person, prompt.flow, prompt.id, names, value=picked)
        if prompt.flow == "stage3":
            store().save_plan(person, interventions=picked)
        dispatcher.utter_message(text=f"In your plan: {names}.")
        return True
    if choice is None:
        words = set(_words(text).split())
        choice = next((i for i, n in suggestions.items() if set(n.lower().split()) & words - {"the", "a", "and"}),
                      None)
    if choice not in suggestions:
        return _keep_note(person, prompt, text, dispatcher, "Pick an option with the buttons, or say \"done\".")
    if choice in picked:
        picked.remove(choice)
        dispatcher.utter_message(text=f"Removed {suggestions[choice]}.")
    else:
        picked.append(choice)
        dispatcher.utter_message(text=f"Added {suggestions[choice]}.")
    store().save_answer(person, prompt.flow, prompt.id + ".draft", "; ".join(picked), value=picked)
    return False


def take_date(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
              dispatcher: CollectingDispatcher) -> bool:
    when = read_date(text)
    if when is None:
        return _keep_note(person, prompt, text, dispatcher,
                          "I couldn't read a date from that. Could you give a month, or something like "
                          "\"in six months\"?")
    store().save_answer(person, prompt.flow, prompt.id, text, value=when.isoformat())
    if prompt.flow == "stage3":
        store().save_plan(person, review_date=when)
    dispatcher.utter_message(text=f"I've noted a review date of {when.strftime('%-d %B %Y')}.")
    return True


def take_summary(form: ValidateCoachForm, person: str, prompt: Prompt, text: str, choice: Optional[str],
                 dispatcher: CollectingDispatcher) -> bool:
    if choice == "save" or (choice is None and _words(text) in YES_WORDS):
        if prompt.flow == "outcome":
            record = outcome_from_answers(store().answers(person, "outcome"), agreed_by="line manager",
                                          agreed_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
            code = store().record_outcome(record, recorded_by=person)
            store().save_answer(person, prompt.flow, prompt.id, code, value=code)
            dispatcher.utter_message(text=f"Recorded, waiting for their confirmation. Their code is {code}. "
                                          f"They can say \"confirm outcome {code}\" to check it and make it final.")
            return True
        store().save_answer(person, prompt.flow, prompt.id, "confirmed", value="confirmed")
        store().save_plan(person, confirmed=True)
        return True
    dispatcher.utter_message(text="Of course. Your plan stays a draft. Say \"review my journal\" to change any "
                                  "answer, then \"where was I?\" to come back and save it.",
                             buttons=[{"title": "Review my answers", "payload": "/review_journal"}])
    return False


TAKERS = {"choice": take_choice, "placement": take_placement, "suggestions": take_suggestions, "date": take_date,
          "summary": take_summary}


class ActionFlowComplete(Action):
    """After a flow: say so, and offer what comes next."""

    def name(self) -> str:
        return "action_flow_complete"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        flow_id = tracker.get_slot("flow")
        events: List[EventType] = [SlotSet("answer", None), SlotSet("prompt_id", None)]
        if not flow_id:
            dispatcher.utter_message(text="Anything else?", buttons=[
                {"title": "Carry on where I was", "payload": "/where_was_i"},
                {"title": "Review my journal", "payload": "/review_journal"},
                {"title": "Send me my plan", "payload": "/send_plan"},
            ])
            return events
        flow = journey().flow(flow_id)
        answers = store().answers(person_of(tracker), flow.id)
        if journeys.next_prompt(flow, answers) is not None:  # stopped early, e.g. "change something"
            return events
        dispatcher.utter_message(text=flow.outro)
        if flow.id in MANAGER_FLOWS:
            dispatcher.utter_message(response="utter_manager_menu")
        elif flow.next:
            following = journey().flow(flow.next)
            choices = [{"title": f"Carry on to {following.title.split(':')[0].lower()}", "payload": "/where_was_i"},
                       {"title": "Stop for now", "payload": "/stop"}]
            if flow.resources:
                choices.append({"title": "See resources that might help",
                                "payload": payload("find_resources", topic=flow.resources)})
            dispatcher.utter_message(text=f"Next is {following.title.lower()}. Shall we carry on?", buttons=choices)
        else:
            dispatcher.utter_message(text="What would you like to do with your plan?", buttons=[
                {"title": "Send me my plan", "payload": "/send_plan"},
                {"title": "Share with my manager", "payload": "/share_with_manager"},
                {"title": "Review my answers", "payload": "/review_journal"},
            ])
        return [*events, SlotSet("flow", None)]


class ActionReviewJournal(Action):
    """Show the person's answers with buttons to edit or delete any of them."""

    def name(self) -> str:
        return "action_review_journal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        prompts = journeys.prompts_in_order(journey(), list(answers))
        if not prompts:
            dispatcher.utter_message(text="You haven't written anything yet.",
                                     buttons=[{"title": "Start my journal", "payload": "/start_journey"}])
            return []
        lines = []
        edit_buttons = []
        for number, prompt in enumerate(prompts, start=1):
            answer = answers[prompt.id]
            shown = "(skipped)" if answer.skipped else f"“{journeys.quote(answer.text, 25)}”"
            lines.append(f"{number}. {prompt.text}\n   {shown}")
            edit_buttons.append({"title": f"Edit {number}", "payload": payload("edit_answer", prompt=prompt.id)})
            edit_buttons.append({"title": f"Delete {number}",
                                 "payload": payload("delete_answer", prompt=prompt.id)})
        dispatcher.utter_message(text="Here's what you've written. Only you can see it.\n" + "\n".join(lines),
                                 buttons=edit_buttons)
        return []


class ActionEditAnswer(Action):
    """Ask one earlier prompt again; the old answer is kept as a revision."""

    def name(self) -> str:
        return "action_edit_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        prompt_id = tracker.get_slot("prompt")
        try:
            prompt = journey().find_prompt(prompt_id or "")
        except KeyError:
            dispatcher.utter_message(text="I couldn't find that question. Say \"review my journal\" to see them all.")
            return [SlotSet("flow", None), SlotSet("editing", None)]
        return [SlotSet("editing", prompt.id), SlotSet("flow", prompt.flow), SlotSet("answer", None)]
