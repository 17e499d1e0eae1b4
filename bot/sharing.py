"""The plan to take away, and sharing with a manager: nothing is shared unless the person picks it, sees what
their manager will see, and confirms."""

from __future__ import annotations

import re
from typing import Callable, Optional

from bot import answer_lists, audit, personal_documents, plan
from bot import journey as journeys
from bot.answer_lists import FIRST_PAGE, AnswerList, Listing
from bot.documents import PLAN as PLAN_DOCUMENT
from bot.documents import SHARE as SHARE_PAGE
from bot.documents import Published, publish
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
                 publisher: Callable[..., Published] = publish) -> None:
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
        published = self.publish(document, owner=person, kind=PLAN_DOCUMENT, store=self.store)
        base = published.address
        extra = " (with your journal and notes)" if include_journal else ""
        turn.say(f"Here's your plan to take into your conversation{extra}:\nPDF: {base}.pdf\nWeb page: {base}.html\n"
                 f"The links are private to you and work {published.lasts}. Ask me for your plan again any time "
                 "for new ones.",
                 attachment={"type": "file", "payload": {"src": f"{base}.pdf", "title": "My development plan (PDF)"}})
        if not include_journal:
            turn.say("Would you like a copy with your journal and notes too? Anything you marked as private stays "
                     "out.", [button("Yes, include my journal", "send_plan", choice=WITH_JOURNAL)])
        return turn

    def _shareable(self, answers: Answers) -> list[Prompt]:
        staff = {flow.id for flow in self.journey.staff_flows()}
        return [p for p in journeys.prompts_in_order(self.journey, list(answers))
                if p.flow in staff and not answers[p.id].skipped and not p.private]

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
        elif self._private(prompt_id):
            return Turn().say("That answer is one the question said stays private, so it can't be shared. It "
                              "stays in your journal, for you only.").set(prompt=None)
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
        if self._private(prompt_id) or not self.store.set_shared(person, chosen):
            return turn.say("I couldn't find that answer, so nothing was shared.")
        shared = self.store.answers(person)
        shown = [k for k, a in shared.items() if a.shared]
        published = self.publish(build_shared_document(self.journey, shared), owner=person, kind=SHARE_PAGE,
                                 store=self.store, pdf=False, prompt_ids=shown)
        audit.record(self.store, audit.SHARED, audit.PERSON, person, document=published.name, prompt_ids=shown)
        return turn.say("Shared. Send your manager this private link; it shows only what you've chosen to share, "
                        f"nothing else from your journal. It works {published.lasts}, and stops at once if you say "
                        f"\"stop sharing\" or change a shared answer:\n{published.address}.html")

    def stop_sharing(self, person: str) -> Turn:
        """Every shared answer becomes private again, and every share link stops working at once."""
        shared = list(self.store.shared_answers(person))
        self.store.set_shared(person, shared, shared=False)
        links = personal_documents.withdraw(self.store, person, SHARE_PAGE)
        if not shared and not links:
            return Turn().say("Nothing is shared with your manager, so there was nothing to stop. Your journal is "
                              "private to you.")
        withdrawn = ("withdrawn your share link: it no longer works, so your manager can't see anything through it"
                     if links == 1 else f"withdrawn your {links} share links: they no longer work, so your manager "
                     "can't see anything through them")
        if not shared:
            done = f"I've {withdrawn}."
        else:
            answers = f"the {len(shared)} answer{'s' if len(shared) != 1 else ''} you'd shared"
            done = (f"I've made {answers} private again, and {withdrawn}." if links else
                    f"I've made {answers} private again. There were no share links to withdraw.")
        return Turn().say(f"Done. {done} You can share again any time by saying \"share with my manager\".")

    def _private(self, prompt_id: str) -> bool:
        try:
            return self.journey.find_prompt(prompt_id).private
        except KeyError:
            return False
