"""The plan to take away, and sharing with a manager: nothing is shared unless the person picks it, sees what
their manager will see, and confirms."""

from __future__ import annotations

import re
from typing import Callable, Optional

from bot import answer_lists, plan
from bot import journey as journeys
from bot.answer_lists import FIRST_PAGE, AnswerList, Listing
from bot.documents import publish
from bot.journey import Journey, Prompt
from bot.journey_service import Answers, coach_journey
from bot.plan import build_plan_document, build_shared_document
from bot.store import CoachStore
from bot.store.repository import StoredAnswer
from bot.turn import Turn, button

PLAN = "plan"  # share_answer's prompt for the plan as one
WITH_JOURNAL = "with_journal"
SHOWN_WORDS = 60  # past this, the confirmation quotes the start and says the whole answer is shared


def _listed(answer: StoredAnswer) -> str:
    return answer_lists.in_quotes(answer) + (" (shared)" if answer.shared else "")


SHARE = AnswerList("share_with_manager", lambda number, prompt: button(f"Share {number}", "share_answer",
                                                                      prompt=prompt.id), _listed)


class SharingService:
    """Send the person their plan; share what they choose with their manager."""

    def __init__(self, store: CoachStore, journey: Optional[Journey] = None,
                 publisher: Callable[..., str] = publish) -> None:
        self.store = store
        self.journey = journey or coach_journey()
        self.publish = publisher

    def send_plan(self, person: str, choice: Optional[str]) -> Turn:
        """The one-page plan as a PDF and a web page; the journal and notes only if the person chooses."""
        answers = self.store.answers(person)
        include_journal = choice == WITH_JOURNAL
        saved = self.store.plan(person)
        document = build_plan_document(self.journey, answers, include_journal=include_journal,
                                       confirmed=saved is not None and saved.status == "confirmed")
        turn = Turn().set(choice=None)
        if document.empty:
            return turn.say("There's nothing in your plan yet. Shall we start?",
                            [button("Prepare for my career conversation", "start_journey")])
        base = self.publish(document)
        extra = " (with your journal and notes)" if include_journal else ""
        turn.say(f"Here's your plan to take into your conversation{extra}:\nPDF: {base}.pdf\nWeb page: {base}.html\n"
                 "The links are private to you.",
                 attachment={"type": "file", "payload": {"src": f"{base}.pdf", "title": "My development plan (PDF)"}})
        if not include_journal:
            turn.say("Would you like a copy with your journal and notes too? Anything you marked as private stays "
                     "out.", [button("Yes, include my journal", "send_plan", choice=WITH_JOURNAL)])
        return turn

    def _shareable(self, answers: Answers) -> list[Prompt]:
        staff = {flow.id for flow in self.journey.staff_flows()}
        return [p for p in journeys.prompts_in_order(self.journey, list(answers))
                if p.flow in staff and not answers[p.id].skipped]

    def choose(self, person: str, listing: Listing = FIRST_PAGE, said: str = "") -> Turn:
        """What the person could share: their plan as one, or answers part by part. Typed "share my plan" goes
        straight to the plan."""
        if listing == FIRST_PAGE and "plan" in re.findall(r"[a-z]+", said.lower()):
            return self.ask(person, PLAN)
        answers = self.store.answers(person)
        prompts = self._shareable(answers)
        if not prompts:
            return Turn().say("You haven't written anything to share yet.")
        first = [button("Share my plan", "share_answer", prompt=PLAN)] if plan.plan_prompts(answers) else []
        return answer_lists.show(self.journey, answers, prompts, listing, SHARE,
                                 "Nothing is shared unless you choose. Share your plan as one, or pick a part and "
                                 "then an answer. I'll show you what your manager will see and ask you to confirm.",
                                 first)

    def ask(self, person: str, prompt_id: str) -> Turn:
        """What the manager would see, and "share it?"."""
        answers = self.store.answers(person)
        if prompt_id == PLAN:
            chosen = plan.plan_prompts(answers)
            if not chosen:
                return Turn().say("There's nothing in your plan to share yet.").set(prompt=None)
            before = sum(1 for key, a in answers.items() if a.shared and key not in {p.id for p in chosen})
            besides = (f", with the {before} answer{'s' if before != 1 else ''} you shared before" if before
                       else ", and nothing else")
            lines = plan.summary_lines(build_plan_document(self.journey, answers))
            shown = f"Your manager's link would show these parts of your plan, in full{besides}:\n" \
                + "\n".join(lines) + "\nShare them?"
        elif prompt_id in answers and not answers[prompt_id].skipped:
            text = answers[prompt_id].text
            quoted = journeys.quote(text, SHOWN_WORDS)
            shown = (f"Your manager would see exactly this: “{text}”. Share it?" if quoted == " ".join(text.split())
                     else f"Your manager would see your whole answer, which begins: “{quoted}”. Share it?")
        else:
            return Turn().say("I couldn't find that answer.").set(prompt=None)
        them = "them" if prompt_id == PLAN else "it"
        return Turn().say(shown, [button(f"Yes, share {them}", "affirm"), button(f"No, keep {them} private", "deny")]
                          ).set(pending_confirmation="share_answer", prompt=prompt_id)

    def share(self, person: str, prompt_id: str) -> Turn:
        """Share what was confirmed, and give the link to send the manager."""
        turn = Turn().set(pending_confirmation=None, prompt=None)
        answers = self.store.answers(person)
        chosen = [p.id for p in plan.plan_prompts(answers)] if prompt_id == PLAN else [prompt_id]
        if not self.store.set_shared(person, chosen):
            return turn.say("I couldn't find that answer, so nothing was shared.")
        link = self.publish(build_shared_document(self.journey, self.store.answers(person)), pdf=False)
        return turn.say("Shared. Send your manager this private link; it shows only what you've chosen to share, "
                        f"nothing else from your journal:\n{link}.html")
