"""The plan as a document to take into the meeting, and sharing chosen items with a manager."""

from __future__ import annotations

import secrets
from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.store import person_of, store
from bot import journey as journeys
from bot.documents import render_html, render_pdf
from bot.journey_service import coach_journey
from bot.plan import PlanDocument, build_plan_document, build_shared_document
from bot.settings import load_settings
from bot.turn import payload

DOCUMENT_PATH = "/webhooks/web/documents/"


def publish(document: PlanDocument, *, pdf: bool = True) -> str:
    """Render a document under an unguessable name; returns its address without the extension."""
    settings = load_settings()
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    name = secrets.token_urlsafe(18)
    (settings.documents_dir / f"{name}.html").write_text(render_html(document), encoding="utf-8")
    if pdf:
        (settings.documents_dir / f"{name}.pdf").write_bytes(render_pdf(document))
    return settings.public_url + DOCUMENT_PATH + name


class ActionSendPlan(Action):
    """Render the plan (HTML and PDF) under an unguessable name and send the links."""

    def name(self) -> str:
        return "action_send_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        include_journal = tracker.get_slot("choice") == "with_journal"
        document = build_plan_document(coach_journey(), answers, include_journal=include_journal)
        if not document.sections and not document.segment:
            dispatcher.utter_message(text="There's nothing in your plan yet. Shall we start?",
                                     buttons=[{"title": "Prepare for my career conversation",
                                               "payload": "/start_journey"}])
            return []
        base = publish(document)
        dispatcher.utter_message(
            text=f"Here's your plan to take into your conversation{' (with your journal)' if include_journal else ''}:"
                 f"\nPDF: {base}.pdf\nWeb page: {base}.html\nThe links are private to you.",
            attachment={"type": "file", "payload": {"src": f"{base}.pdf", "title": "My development plan (PDF)"}},
        )
        if not include_journal:
            dispatcher.utter_message(text="Would you like a copy that includes your journal too?", buttons=[
                {"title": "Yes, include my journal", "payload": '/send_plan{"choice": "with_journal"}'},
            ])
        return [SlotSet("choice", None)]


class ActionShareWithManager(Action):
    """List the person's answers; each is shared only if they pick it and confirm."""

    def name(self) -> str:
        return "action_share_with_manager"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        prompts = [p for p in journeys.prompts_in_order(coach_journey(), list(answers)) if not answers[p.id].skipped]
        if not prompts:
            dispatcher.utter_message(text="You haven't written anything to share yet.")
            return []
        lines, share_buttons = [], []
        for number, prompt in enumerate(prompts, start=1):
            mark = " (shared)" if answers[prompt.id].shared else ""
            lines.append(f"{number}. {journeys.quote(prompt.text, 12)}{mark}")
            share_buttons.append({"title": f"Share {number}", "payload": payload("share_answer", prompt=prompt.id)})
        dispatcher.utter_message(
            text="Nothing is shared unless you choose. Pick an answer to share with your manager; I'll show you "
                 "exactly what they'll see and ask you to confirm.\n" + "\n".join(lines),
            buttons=share_buttons,
        )
        return []


class ActionAskShareAnswer(Action):
    def name(self) -> str:
        return "action_ask_share_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = store().answers(person_of(tracker))
        prompt_id = tracker.get_slot("prompt") or ""
        if prompt_id not in answers:
            dispatcher.utter_message(text="I couldn't find that answer.")
            return [SlotSet("prompt", None)]
        dispatcher.utter_message(
            text=f"Your manager would see exactly this: “{answers[prompt_id].text}”. Share it?",
            buttons=[{"title": "Yes, share it", "payload": "/affirm"}, {"title": "No, keep it private",
                                                                         "payload": "/deny"}],
        )
        return [SlotSet("pending_confirmation", "share_answer")]


class ActionShareAnswer(Action):
    def name(self) -> str:
        return "action_share_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        person = person_of(tracker)
        if not store().set_shared(person, [tracker.get_slot("prompt") or ""]):
            dispatcher.utter_message(text="I couldn't find that answer, so nothing was shared.")
        else:
            link = publish(build_shared_document(coach_journey(), store().answers(person)), pdf=False)
            dispatcher.utter_message(
                text=f"Shared. Send your manager this private link; it shows only what you've chosen to share, "
                     f"nothing else from your journal:\n{link}.html")
        return [SlotSet("pending_confirmation", None), SlotSet("prompt", None)]
