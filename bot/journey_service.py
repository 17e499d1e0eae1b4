"""The journey service: the next prompt, taking an answer, progress, resume, edit and summaries.

It owns the flow logic for the journal, the three stages and the manager's
flows (preparation and the agreed outcome). It knows nothing of Rasa: it reads
and writes through the :class:`~bot.store.CoachStore` and answers with a
:class:`~bot.turn.Turn`. Where the conversation is in the journey travels as a
:class:`Place` (the ``flow``, ``editing`` and ``prompt_id`` slots).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from bot import (
    answer_lists,
    audit,
    clarifying,
    engine,
    intake,
    listening,
    personal_documents,
    picking,
    plan,
    safety,
    signposting,
    staff,
    worries,
)
from bot import journey as journeys
from bot.answer_lists import FIRST_PAGE, AnswerList, Listing
from bot.audit import AuditReport
from bot.dates import read_date
from bot.documents import SHARE
from bot.framework import first_sentence
from bot.journey import Flow, Journey, Prompt
from bot.manager import BIAS_CHECK, BIAS_HEADING, BIAS_QUESTION, bias_check_blocks, calibration_text, preparation_flow
from bot.outcomes import RECORD_IN_ESR, outcome_from_answers, outcome_lines
from bot.plan import Choice
from bot.safety import STRAIN
from bot.store import CoachStore
from bot.store.repository import CODE_LIFETIME, TOO_MANY_MISSES, UNKNOWN, StoredAnswer, find_code
from bot.turn import PAUSE, Button, Message, Turn, button, buttons, spoken_list

MANAGER_FLOWS = {"manager_prep", "outcome"}
LONG_ANSWER = 5000
HELP_IN_FORM = ("You can answer in your own words, say \"skip\" to move on, \"stop\" to pause (I'll keep your "
                "place), or ask me about the framework. Here's the question again.")
USE_EARLIER = "use_earlier"  # the button that takes an earlier answer for a prompt that recalls it
RECALLED_CHARS = 300  # how much of an earlier answer is shown when it is offered again
SHOWN_CHARS = 350  # and of an answer opened from the review, under its question
WHO_SEES = "faq/who_sees_journal"  # the FAQ answer to who sees the journal, true only while nothing is shared
OUTSIDE = "That's outside what I can help with, I'm afraid: I'm here for your career conversation."
# Asked to change an earlier answer, mid-question: the journal, with the way to change one.
# {choose}: the whole list, the one answer the person named, or the few their words fit (JourneyService._to_change).
CHANGING = "Of course. {choose} Only you can see it."
CHANGING_TOLD = ("It sounds like you'd like to change an earlier answer. {choose} Only you can see it. If you meant "
                 "that as your answer to this question, I've kept it, and I'll ask you about it when we come back to "
                 "this question.")
# Done once the person says they are safe, when the safety check-in met them (JourneyService._after_check_in):
# none keeps the words.
DONE_AFTER_CHECK_IN = (intake.SKIP, intake.LATER, intake.STOP, intake.QUESTION, intake.CHANGE)
# A request the check-in met, offered once the person says they are safe; the question is asked again after it.
OFFERED_AFTER_CHECK_IN = "If you wanted this first, it's here. Otherwise, here's the question again."
PENDING = ".pending"  # words kept while the coach asks whether they are the answer (see bot.intake)
GUESSES = "guesses"  # in the kept words' value: the requests the NLU guessed at, offered as buttons
NO_DETAILS = "no_details"  # in the kept words' value: a band and staff group were asked for, and neither was named
# Prompts answered with a yes or a no: a "not now" there is a no, not a request to come back later.
CONFIRMED_KINDS = frozenset({"placement", "summary"})

Answers = Mapping[str, StoredAnswer]
# Reviewing: each answer's button opens it, to edit or delete.
REVIEW = AnswerList("review_journal", lambda number, prompt: button(f"Answer {number}", "review_journal",
                                                                    prompt=prompt.id), answer_lists.in_quotes)


@lru_cache(maxsize=1)
def coach_journey() -> Journey:
    """The staff flows and the outcome flow from journey.yml, plus the manager's preparation flow."""
    return Journey(journeys.load_journey().flows + (preparation_flow(),))


@lru_cache(maxsize=1)
def _own_flows() -> FrozenSet[str]:
    """The flows about the person's own career: the journal and the stages."""
    return frozenset(flow.id for flow in coach_journey().staff_flows())


def _when(answer: StoredAnswer) -> float:
    """When an answer was last given or changed, as a number to compare (0 when the store did not say)."""
    return answer.updated_at.timestamp() if answer.updated_at is not None else 0.0


def stage_name(flow: Flow) -> str:
    """What a button calls a flow: "stage 1" for "Stage 1: well-being and strengths"."""
    return flow.title.split(":")[0].lower()


def carry_on_choices(following: Flow) -> List[Button]:
    """The buttons of "Shall we carry on?" to the flow that follows."""
    return [button(f"Carry on to {stage_name(following)}", "where_was_i"), button("Stop for now", "stop")]


ALL_PREPARED = "You've already prepared everything. You can review your answers, or ask me to send your plan."
CARRY_ON_UNCLEAR = ("I wasn't sure whether you'd like to carry on now, so I've kept your place. Say \"where was I?\" "
                    "whenever you're ready.")


@dataclass(frozen=True)
class Place:
    """Where a conversation is in the journey: the flow, the prompt being edited, the prompt last asked."""

    flow: Optional[str] = None
    editing: Optional[str] = None
    prompt_id: Optional[str] = None


def screen(message: Message) -> Optional[Turn]:
    """What every form does first; a Turn when there is nothing to take.

    An empty message gets a nudge, and a message that needs urgent help is never
    stored (the gate's rules have already replied to it).
    """
    if message.choice is not None:
        return None
    if not message.text.strip():
        return Turn().say("I didn't get any words there. Take your time, or say \"skip\".")
    if message.safety is not None and message.safety.needs_urgent_help:
        return Turn()
    return None


# Typed for "Use what I wrote" at a prompt that offers an earlier answer: "use" with only these words after it
# ("use that", "use what I said before"; not "use my skills more"), or one of the phrases.
_ABOUT_THE_EARLIER = frozenset({"what", "i", "wrote", "said", "put", "that", "it", "this", "my", "earlier", "answer",
                                "before", "the", "same", "one", "please", "yes", "again", "as", "is"})
_SAME_AS_BEFORE = frozenset({"same", "same again", "same as before", "as before", "ditto", "as above", "see above"})


def takes_earlier(text: str) -> bool:
    """Whether ``text`` takes up the offer of an earlier answer: "use what I wrote", "use that", "yes"."""
    words = re.findall(r"[a-z']+", text.lower())
    said_use = bool(words) and words[0] == "use" and set(words[1:]) <= _ABOUT_THE_EARLIER
    return said_use or " ".join(words) in _SAME_AS_BEFORE or intake.confirmation(text) is True


def offered(prompt: Prompt, text: str) -> bool:
    """Whether ``text`` names what the prompt's buttons offer: an option, a yes or a no to confirm, or the earlier
    answer a prompt that recalls one offers."""
    if intake.reads_as_question(text):
        return False  # "what do you mean by stretch?"
    if prompt.recalls and takes_earlier(text):
        return True
    if prompt.kind in CONFIRMED_KINDS and intake.confirmation(text) is not None:
        return True
    options = prompt.options_from or ("growth" if prompt.kind == "placement" else None)
    return options is not None and plan.typed_choice(options, text) is not None


def met_by_check_in(text: str, parse_data: Mapping[str, Any]) -> Message:
    """Words the safety check-in met, read with the intent the NLU chose before the gate imposed the check-in (never
    a guess of risk), so that a request in them can be offered once the person says they are safe."""
    return Message(text, safety.nlu_guess(parse_data) or "inform")


def offered_after_check_in(reading: intake.Reading) -> List[str]:
    """The request offered as its button once the person says they are safe, when the words the check-in met read
    as one, or were to be kept and asked about with one offered; only those "did you mean…?" may offer (never
    deleting or starting again)."""
    request = {intake.REQUEST: reading.intent, intake.UNCLEAR: reading.offer}.get(reading.kind)
    # "where was I?" is done already: the question follows.
    return [request] if request in clarifying.offers().offers and request != intake.WHERE_WAS_I else []


def asks_who_sees(message: Message) -> bool:
    """A question about the prompt that asks who sees the journal ("is this anonymous?"), whichever FAQ the NLU
    chose, or that FAQ."""
    return intake.asks_who_sees(message.text) or message.faq == WHO_SEES


def answer_question(message: Message, prompt: Prompt) -> Turn:
    """A question about the prompt, answered in place; the prompt is then asked again."""
    if intake.asks_where(message.text):  # "how far through am i", "which stage am i on", whatever the NLU guessed
        return Turn().say("Here's where you are:")
    if message.intent == "faq" and message.faq:
        return Turn().say(response=f"utter_{message.faq}")
    if message.intent == "ask_why":
        return Turn().say(response="utter_ask_why")
    if message.intent == "bot_challenge":
        return Turn().say(response="utter_bot_challenge")
    if prompt.explained and intake.asks_to_clarify(message.text):
        said = prompt.explained.rstrip()
        return Turn().say(f"{said}{'' if said.endswith(('.', '!', '?')) else '.'} Here's the question again.")
    if message.intent == "out_of_scope":
        return Turn().say(f"{OUTSIDE} Here's the question again.")
    return Turn().say(HELP_IN_FORM)


class JourneyService:
    """The journal, the stages and the manager's flows, for one person at a time."""

    def __init__(self, store: CoachStore, journey: Optional[Journey] = None) -> None:
        self.store = store
        self.journey = journey or coach_journey()

    def in_plan(self, prompt: Prompt) -> bool:
        """Whether an answer to ``prompt`` belongs in the person's own plan (not a manager's record)."""
        return prompt.flow in {f.id for f in self.journey.staff_flows()}

    # -- starting, resuming, asking ---------------------------------------------------------------

    def current_prompt(self, place: Place, answers: Answers) -> Optional[Prompt]:
        """The prompt to ask now: the one being edited, else the flow's first unanswered prompt."""
        if place.editing:
            return self.journey.find_prompt(place.editing)
        return journeys.next_prompt(self.journey.flow(place.flow), answers) if place.flow else None

    @staticmethod
    def start_at(prompt: Optional[Prompt]) -> Turn:
        # No prompt asked just before: a start or a return ("where was I?") asks the question in full, its list and
        # definitions with it, never the short re-ask that follows a misunderstanding
        return Turn().set(flow=prompt.flow if prompt else None, editing=None, answer=None, prompt_id=None)

    def carry_on(self, person: str, place: Place, message: Message) -> Turn:
        """A reply to "Shall we carry on?" that the NLU read as a yes, a "next" or nothing it knew. The words
        decide first: a change to an answer just given ("undo that", "wait, I want to change that") shows it; a yes
        in any words ("Carry on to stage 2") goes on to the next stage, and words that stop
        for now ("later", which the NLU may read as a skip) pause. Words that say neither keep the NLU's yes;
        when the NLU knew nothing either, the place is kept and the person is told so."""
        if intake.read(message).kind == intake.CHANGE:  # "undo that", which the NLU may take for a yes
            return self._to_change(person, message.text, CHANGING).set(pending_confirmation=None).pause()
        carries_on = intake.carries_on(message.text, message.intent)
        if carries_on is False:
            return self.pause()
        if carries_on is None:
            return Turn().say(CARRY_ON_UNCLEAR).set(pending_confirmation=None)
        return self.resume(person, place).set(pending_confirmation=None)

    def greet(self, person: str) -> Turn:
        """Hello: the coach's greeting, or to someone part way through their own journal and stages, a hello that
        offers to carry on where they left off first (their answers are kept)."""
        answers = self.store.answers(person)
        if self._begun(answers) and journeys.resume_point(self.journey, answers) is not None:
            return Turn().say(response="utter_greet_back")
        return Turn().say(response="utter_greet")

    def go_on(self, person: str, place: Place, message: Message) -> Turn:
        """A yes, a "next" or a "carry on" with nothing asked. Words that move along ("carry on", "keep going",
        "next") pick up where the person left off once they have begun, as "where was I?" does; anything else (a bare
        "yes", or nothing begun yet) gets the menu, and the turn waits for the person."""
        begun = bool(place.flow) or bool(self.store.answers(person))
        if begun and intake.move(message.text) == intake.NEXT:
            return self.resume(person, place)
        return Turn().say(response="utter_menu").pause()

    def answer_faq(self, person: str, message: Message) -> Turn:
        """A question about Scope for Growth with nothing asked: the FAQ answer the NLU chose, unless the words ask how
        far through the person is ("what's my progress"), which the NLU takes for the FAQ about not progressing, or who
        sees the journal, which is only the person while nothing is shared."""
        if intake.asks_where(message.text):
            return self.where_you_are(person)
        if asks_who_sees(message):
            return self._who_sees(person)
        return Turn().say(response=f"utter_{message.faq}" if message.faq else "utter_faq")

    def where_you_are(self, person: str) -> Turn:
        """How far through their own journal and stages the person is, with nothing asked; nothing is started."""
        answers = self.store.answers(person)
        if not self._begun(answers):
            return Turn().say("You haven't started your journal yet.", [button("Start my journal", "start_journey")])
        prompt = journeys.resume_point(self.journey, answers)
        review = button("Review my answers", "review_journal")
        if prompt is None:
            return Turn().say(ALL_PREPARED, [review, button("Send my plan", "send_plan")])
        flow = self.journey.flow(prompt.flow)
        done, total = journeys.answered_count(flow, answers)
        where = (f"You're part way through “{flow.title}” ({done} of {total} answered)." if done else
                 f"Next is “{flow.title}”: you haven't begun it yet.")
        return Turn().say(where, [button("Carry on where I was", "where_was_i"), review])

    def offer_again(self, person: str) -> Turn:
        """"Shall we carry on?" once more, after a question asked at the offer ("what's in stage 1?"), so its
        buttons are at hand again."""
        prompt = journeys.resume_point(self.journey, self.store.answers(person))
        if prompt is None:
            return Turn().set(pending_confirmation=None)
        following = self.journey.flow(prompt.flow)
        return Turn().say(f"Shall we carry on to {stage_name(following)}?", carry_on_choices(following))

    @staticmethod
    def pause() -> Turn:
        """"Not now" to carrying on: the place is kept for "where was I?"."""
        return Turn().say(response="utter_paused").set(pending_confirmation=None)

    def start(self, person: str) -> Turn:
        """Start (or pick up) the journal and stages for a member of staff."""
        answers = self.store.answers(person)
        prompt = journeys.resume_point(self.journey, answers)
        turn = self.start_at(prompt)
        if answers and prompt is not None:
            flow = self.journey.flow(prompt.flow)
            done, total = journeys.answered_count(flow, answers)
            if not done:  # the flow before it is finished: this one starts now
                return turn.say(f"Welcome back. Next is “{flow.title}”.")
            return turn.say(f"Welcome back. You're part way through “{flow.title}” ({done} of {total} answered). "
                            "Let's carry on.")
        if prompt is None:
            turn.say(ALL_PREPARED)
        return turn

    def resume(self, person: str, place: Place, unsure_words: Optional[Message] = None) -> Turn:
        """"Where was I?": the paused flow first (a manager's preparation, say), else the staff journey.

        ``unsure_words`` are what the person typed at the question when the safety check-in met them, only the
        classifiers having been uneasy, and they have since said they are safe: a skip, "later", stop, question
        about the question or change of an earlier answer in them is done (:meth:`_after_check_in`), so they need
        not say it again, and a request in them is offered. A stop or a change pauses here: the turn leaves with
        ``pause()`` and the question is not asked.
        """
        done, asked_again = self._after_check_in(person, place, unsure_words)
        return done if done.leave == PAUSE or asked_again else done.then(self._resume(person, place))

    def _after_check_in(self, person: str, place: Place, said: Optional[Message]) -> Tuple[Turn, bool]:
        """Words the check-in met, at the question still being asked: a skip, "later", stop, question about the
        question ("what counts as a goal?") or change of an earlier answer is done as it would have been, keeping
        no words, and a request the words and the NLU name ("can you email me the plan when it's done") is offered
        as its button. Anything else is let go and the question is asked again: the classifier alone meets many
        disclosures the lexicon misses ("2 weeks clean from sh and I just broke it"), so the words are never kept
        nor offered back as an answer (docs/safety.md, H20). Also says whether the question is then asked again
        as it is after any question about it, with no "picking up where you left off"."""
        if not said or not said.text or not place.flow or not place.prompt_id or place.editing:
            return Turn(), False
        asked = self.current_prompt(place, self.store.answers(person, place.flow))
        if asked is None or asked.id != place.prompt_id:
            return Turn(), False
        reading = self.read(asked, said)
        if reading.kind == intake.CHANGE:  # not take(): it keeps words that may be the answer
            if not self._written(person):
                return Turn(), False  # nothing written yet to change: let go
            return self._to_change(person, said.text, CHANGING).set(answer=None).pause(), False
        if reading.kind in DONE_AFTER_CHECK_IN:
            return self.take(person, place, said), reading.kind == intake.QUESTION
        # The request cannot be handed to its rules now: the turn replies to "I'm safe". Its button does it.
        request = clarifying.guess_buttons(offered_after_check_in(reading))
        if request:
            return Turn().say(OFFERED_AFTER_CHECK_IN, buttons=request).set(answer=None), True
        return Turn(), False

    def _resume(self, person: str, place: Place) -> Turn:
        answers = self.store.answers(person)
        if not answers:  # nothing to pick up: saying "where you left off" would not be true
            first = journeys.resume_point(self.journey, {})
            return self.start_at(first).say("You haven't started yet, so let's begin with your journal.")
        prompt = journeys.next_prompt(self.journey.flow(place.flow), answers) if place.flow else None
        prompt = prompt or journeys.resume_point(self.journey, answers)
        if prompt is not None:
            flow = self.journey.flow(prompt.flow)  # the question that follows says how far along it is
            return self.start_at(prompt).say(f"Picking up where you left off, in “{flow.title}”.")
        return self.start_at(None).say("You've answered everything in your journal and the three stages.")

    def start_preparation(self, person: str) -> Turn:
        """A line manager works through the preparation list (or carries on with it)."""
        flow = self.journey.flow("manager_prep")
        prompt = journeys.next_prompt(flow, self.store.answers(person, flow.id))
        turn = self.start_at(prompt)
        if prompt is None:
            turn.say("You've worked through the whole preparation list. Say \"review my journal\" to see or edit "
                     "your notes.")
        return turn

    def start_outcome(self, person: str) -> Turn:
        """Record a new agreed outcome: always from a clean form."""
        for prompt_id in self.store.answers(person, "outcome"):
            self.store.delete_answer(person, "outcome", prompt_id)
        return self.start_at(self.journey.flow("outcome").prompts[0])

    def needs_answer(self, person: str, place: Place) -> bool:
        """Whether the prompt loop has anything left to ask."""
        if place.editing:
            return True
        answers = self.store.answers(person, place.flow) if place.flow else {}
        return self.current_prompt(place, answers) is not None

    def ask(self, person: str, place: Place) -> Turn:
        """The current prompt, with progress (and the flow's intro before its first question)."""
        answers = self.store.answers(person)
        prompt = self.current_prompt(place, answers)
        if prompt is None:
            return Turn().say("There's nothing left to ask here.")
        turn = Turn().set(prompt_id=prompt.id)
        pending = answers.get(prompt.id + PENDING)
        if pending is not None and intake.only_unsure(pending.text):
            return turn.say(f"That's fine: not knowing yet is an honest answer. Shall I leave this one for now, or "
                            f"save “{journeys.quote(pending.text, 40)}” as your answer?",
                            buttons([("skip", "Leave it for now"), ("keep", "Save it as my answer")]))
        if pending is not None and (pending.value or {}).get(NO_DETAILS):
            return turn.say(f"I couldn't find a band or a staff group in “{journeys.quote(pending.text, 40)}”. Shall I "
                            "save it as written, or skip this question? Or type them, for example \"band 6 "
                            "physiotherapist\".",
                            buttons([("keep", "Save it as written"), ("skip", "Skip this question")]))
        if pending is not None:
            guesses = (pending.value or {}).get(GUESSES) or []
            return turn.say(f"You wrote: “{journeys.quote(pending.text, 40)}”\nI wasn't sure whether that was your "
                            "answer. Shall I save it as your answer to this question, or skip the question?"
                            + (" Or did you mean one of these?" if guesses else ""),
                            [*buttons([("keep", "Save it as my answer"), ("skip", "Skip this question")]),
                             *clarifying.guess_buttons(guesses)])
        flow = self.journey.flow(prompt.flow)
        # Asked just before (a misunderstanding, or a question or request in between): a short re-ask.
        again = place.prompt_id == prompt.id and not place.editing
        if not place.editing and not again and journeys.answered_count(flow, answers)[0] == 0:
            turn.say(flow.intro)
        header = journeys.progress(flow, prompt).label
        if place.editing and prompt.id in answers:
            header = (f"Editing your answer. Before, you said: “{journeys.quote(answers[prompt.id].text, 40)}”. "
                      "Give a new answer, or say \"skip\" to keep it.")
        if again and prompt.kind == "choice":  # the choices again, not every definition
            options = plan.choice_options(prompt.options_from or "")
            return turn.say(self._question_text(prompt, header), self._choices(options))
        if again and prompt.kind == "suggestions":  # after a pick or "more about": the buttons, not the list again
            return turn.say(f"{self._question_text(prompt, header)}\n{SUGGESTIONS_CLOSING}",
                            self._suggestion_buttons(prompt, answers))
        if (again or place.editing) and prompt.kind == BIAS_CHECK:  # the triggers named in short, not in full
            return turn.say(self._question_text(prompt, header))
        return turn.then(ASKERS.get(prompt.kind, JourneyService._ask_text)(self, prompt, header, answers))

    @staticmethod
    def _question_text(prompt: Prompt, header: str) -> str:
        return f"{header}\n{prompt.text}" if header else prompt.text

    def _question(self, prompt: Prompt, header: str) -> Turn:
        """The question in a bubble of its own; what it offers follows in the next, so neither runs long."""
        return Turn().say(self._question_text(prompt, header))

    def _ask_text(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        earlier = self._earlier(prompt, answers)
        if earlier is None:
            return self._question(prompt, header)
        return self._question(prompt, header).say(
            f"Earlier you said: “{journeys.clip(earlier, RECALLED_CHARS)}”\nYou could build on that for your "
            "manager, or use it as it is.", [button("Use what I wrote", "choose", choice=USE_EARLIER)])

    @staticmethod
    def _earlier(prompt: Prompt, answers: Answers) -> Optional[str]:
        """The earlier answer this prompt recalls (journey.yml), unless this prompt already has its own."""
        if not prompt.recalls or prompt.id in answers:
            return None
        earlier = answers.get(prompt.recalls)
        return earlier.text if earlier is not None and not earlier.skipped and earlier.text.strip() else None

    @staticmethod
    def _choices(options: Sequence[Choice]) -> List[Button]:
        return buttons([(o.id, o.label) for o in options])

    def _voice(self, prompt: Prompt) -> engine.Voice:
        """Who a suggestion's reason is said to: the member of staff, or a line manager recording their outcome."""
        return engine.TO_STAFF if self.in_plan(prompt) else engine.TO_MANAGER

    def _ask_bias_check(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        """Every trigger with its question and why it matters, each whole, then the question itself."""
        question = f"{header}\n{BIAS_QUESTION}" if header else BIAS_QUESTION
        return Turn().say_blocks([BIAS_HEADING, *bias_check_blocks(), question])

    def _ask_choice(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        options = plan.choice_options(prompt.options_from or "")
        # The first sentence of each: the examples after it are a "what does depth mean?" away. A line manager
        # recording an outcome reads it said of the member of staff, not of themselves.
        of_them = self._voice(prompt).of_them
        lines = "\n".join(f"• {o.label}: {first_sentence((of_them and o.of_them) or o.explanation)}" for o in options)
        return self._question(prompt, header).say(lines, self._choices(options))

    def _ask_placement(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        placement = plan.placement_for(answers)
        others = [(o.id, f"Change to {o.label.lower()}") for o in plan.choice_options("growth")
                  if o.id != placement.growth]
        return self._question(prompt, header).say(
            f"{placement.segment.name}: {placement.explanation}\nYou decide: confirm it, or choose a different "
            "growth focus.", buttons([("confirm", "That feels right"), *others]))

    def _ask_suggestions(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        picked = set(draft(answers, prompt))
        suggestions = plan.suggestions_for(answers, prompt.flow, voice=self._voice(prompt))
        # Each with why it is suggested, whether it can be taken up and who it is aimed at, never a name alone;
        # in as many bubbles as that takes. The detail is a "more about 2" away.
        lines = [f"{i}. {s.intervention.name}{' (added)' if s.intervention.id in picked else ''}: {s.reason} "
                 f"{engine.standing(s.intervention)}" for i, s in enumerate(suggestions, start=1)]
        return self._question(prompt, header).say_in_bubbles("\n".join([*lines, SUGGESTIONS_CLOSING]),
                                                             self._suggestion_buttons(prompt, answers, suggestions))

    @staticmethod
    def _suggestion_buttons(prompt: Prompt, answers: Answers,
                            suggestions: Optional[Sequence[engine.Suggestion]] = None) -> List[Button]:
        picked = set(draft(answers, prompt))
        shown = plan.suggestions_for(answers, prompt.flow) if suggestions is None else suggestions
        # Numbered as the list is ("Add 2: Flexible working"), so "2" or "the last one" typed picks what is listed
        options = [(s.intervention.id, f"{'Remove' if s.intervention.id in picked else 'Add'} {number}: "
                    f"{s.intervention.name}") for number, s in enumerate(shown, start=1)]
        return buttons([*options, ("done", "Done" if picked else "None of these for now")])

    def _ask_summary(self, prompt: Prompt, header: str, answers: Answers) -> Turn:
        if prompt.flow == "outcome":
            record = outcome_from_answers(answers, agreed_by="line manager", agreed_at=dt.datetime.now())
            lines = "\n".join(outcome_lines(record, intervention_names()))
            labels = [("save", "Record it"), ("change", "I want to change something")]
        else:
            document = plan.build_plan_document(self.journey, answers)
            lines = "\n".join(plan.summary_lines(document)) or "• (nothing yet)"
            labels = [("save", "Save my plan"), ("change", "I want to change something")]
        return Turn().say_in_bubbles(f"{header}\n{lines}\n{prompt.text}", buttons(labels))

    # -- taking answers ---------------------------------------------------------------------------

    def take(self, person: str, place: Place, message: Message) -> Turn:
        """Take one message said at a prompt: store or act on it, then ask again or finish.

        :func:`bot.intake.read` decides whether it is the answer or a request. The returned state
        sets ``answer``: None to ask (again), "done" when the flow is finished.
        """
        screened = screen(message)
        if screened is not None:
            return screened.set(answer=None)
        prompt = (self.journey.find_prompt(place.prompt_id) if place.prompt_id
                  else self.current_prompt(place, self.store.answers(person, place.flow)))
        if prompt is None:
            return Turn().set(answer="done")
        message, decided = self._with_pending(person, prompt, message)
        reading = decided or self.read(prompt, message)
        said = intake.as_read(message)  # stored as typed, read without markup
        if reading.kind == intake.QUESTION and intake.recalls_an_answer(said.text):
            return self._recalled(person, said.text).set(answer=None)  # "what did i put for the first one?"
        if reading.kind == intake.QUESTION and asks_who_sees(said):
            return self._who_sees(person).set(answer=None)
        if reading.kind == intake.QUESTION:
            return answer_question(said, prompt).set(answer=None)
        if reading.kind == intake.REQUEST:
            return Turn().set(answer=None).hand_over()
        if reading.kind == intake.STOP:
            return Turn().say(response="utter_paused").set(answer=None).pause()
        if reading.kind == intake.CHANGE:
            if self._written(person):
                if reading.told:  # the words may also answer this question: kept, and asked about when it comes back
                    self.store.save_answer(person, prompt.flow, prompt.id + PENDING, message.text)
                return self._to_change(person, message.text, CHANGING_TOLD if reading.told else CHANGING).set(
                    answer=None).pause()
            reading = intake.Reading(intake.UNCLEAR)  # nothing written yet to change: the words may be the answer
        if reading.kind in (intake.UNCLEAR, intake.ELSEWHERE):
            # The NLU's guesses at a request are offered beside "save" and "skip" when the question is asked again.
            guesses = clarifying.guesses(message.ranking, reading.offer) if reading.kind == intake.UNCLEAR else []
            self.store.save_answer(person, prompt.flow, prompt.id + PENDING, message.text,
                                   value={GUESSES: guesses} if guesses else None)
            if reading.kind == intake.ELSEWHERE:  # it may still be an answer, which is kept until the person says
                return Turn().say(OUTSIDE).set(answer=None)
            return Turn().set(answer=None)
        turn = Turn()
        if reading.kind in (intake.SKIP, intake.LATER):
            if place.editing:
                turn.say("No change: I've kept your answer as it was.")
            else:
                self.store.save_answer(person, prompt.flow, prompt.id, "", status="skipped")
                turn.say("No problem, we'll leave that one for now. You can come back to it from \"review my "
                         "journal\"." if reading.kind == intake.LATER else "No problem, we'll leave that one.")
            return turn.then(self._after(person, prompt, bool(place.editing)))
        if decided is None and self._names_no_band_or_group(prompt, message):
            # Kept, and asked about: a typo or a stray message, or a band and staff group in words not known.
            self.store.save_answer(person, prompt.flow, prompt.id + PENDING, message.text, value={NO_DETAILS: True})
            return Turn().set(answer=None)
        if message.choice is None and len(message.text) > LONG_ANSWER:
            turn.say("That's a long answer. I've kept all of it; you can review or edit it later.")
        shared = list(self.store.shared_answers(person))
        taker = TAKERS.get(prompt.kind, JourneyService._take_text)
        taken = taker(self, person, prompt, message)
        turn.then(taken)
        if taken.state.get("answer", "taken") is not None:
            turn.then(self._after(person, prompt, bool(place.editing)))
        return turn.then(self._unshared(person, shared))

    def _unshared(self, person: str, shared_before: Sequence[str]) -> Turn:
        """When answers the person had shared were changed (the store shares only words confirmed for sharing):
        the share links that showed the earlier words are withdrawn, and the person is offered to share again,
        so their manager never sees words they have not confirmed."""
        answers = self.store.answers(person)
        changed = [p for p in shared_before if p not in answers or not answers[p].shared]
        if not changed:
            return Turn()
        personal_documents.withdraw_shares_showing(self.store, person, changed)
        again = [p for p in changed if p in answers and not answers[p].skipped]
        if not again:
            return Turn().say("You'd shared that answer with your manager, so I've withdrawn any link that showed it.")
        return Turn().say(
            "You'd shared that answer with your manager, so I've stopped sharing it and withdrawn any link that "
            "showed your earlier words. Your manager won't see the new words unless you choose to share them.").say(
            "Would you like to share the new words? If not, there's nothing to do: they stay private.",
            [button("Share the new words", "share_answer", prompt=again[0])])

    def delete_answer(self, person: str, prompt_id: str) -> Turn:
        """Delete one answer (after the person confirmed); a share that showed it is withdrawn."""
        shared = list(self.store.shared_answers(person))
        try:
            prompt = self.journey.find_prompt(prompt_id)
            deleted = self.store.delete_answer(person, prompt.flow, prompt.id)
        except KeyError:
            deleted = False
        turn = Turn().say("Deleted." if deleted else "There was nothing to delete there.")
        return turn.then(self._unshared(person, shared)).set(pending_confirmation=None, prompt=None)

    @staticmethod
    def read(prompt: Prompt, message: Message) -> intake.Reading:
        """Answer or request, where a yes or a no, or one of the options offered, is always the answer."""
        message = intake.as_read(message)
        if message.choice is None and offered(prompt, message.text):
            return intake.Reading(intake.ANSWER)
        asking = frozenset(re.split(r"[._]", prompt.id))
        if prompt.feeds == "details":  # the band, title and staff group are this question's own
            asking |= intake.vocabulary().grammar.identity_names
        return intake.read(message, steps=prompt.steps, asking=asking,
                           own=prompt.flow in _own_flows(), written=prompt.kind not in TAKERS)

    def _names_no_band_or_group(self, prompt: Prompt, message: Message) -> bool:
        """A line manager asked for the member of staff's band and staff group, and the words name neither (the
        outcome's summary and the reporting read them from these words)."""
        if message.choice is not None or self.in_plan(prompt) or prompt.feeds != "details":
            return False
        details = staff.read_staff_details(message.text)
        return details.band is None and details.staff_group is None

    def _with_pending(self, person: str, prompt: Prompt,
                      message: Message) -> Tuple[Message, Optional[intake.Reading]]:
        """The message to take, after a long message the coach asked about ("save that, or skip?").

        "Save it" takes the kept words as the answer; "skip" skips; anything else is taken as new.
        The kept words are let go either way, once the person has decided.
        """
        pending = self.store.answers(person, prompt.flow).get(prompt.id + PENDING)
        if pending is None:
            return message, None
        self.store.delete_answer(person, prompt.flow, prompt.id + PENDING)
        if message.choice == "keep" or (message.choice is None and intake.confirmation(message.text)):
            return Message(pending.text, "inform"), intake.Reading(intake.ANSWER)
        if message.choice == "skip":
            return message, intake.Reading(intake.SKIP)
        return message, None

    def _after(self, person: str, prompt: Prompt, editing: bool) -> Turn:
        if editing:
            return Turn().say("Updated.").set(answer="done", editing=None, flow=None)
        flow = self.journey.flow(prompt.flow)
        finished = journeys.next_prompt(flow, self.store.answers(person, flow.id)) is None
        return Turn().set(answer="done" if finished else None)

    def _keep_note(self, person: str, prompt: Prompt, text: str, hint: str) -> Turn:
        """Keep words that did not answer a structured question, so nothing typed is lost; ask again. A bare yes or no
        ("yeah sounds about right") says nothing to keep, and never replaces words kept before."""
        if text.strip() and intake.confirmation(text) is None and not intake.only_goes_on(text):
            self.store.save_answer(person, prompt.flow, prompt.id + ".note", text)
            hint += " I've kept what you wrote as a note."
        return Turn().say(hint).set(answer=None)

    def _take_text(self, person: str, prompt: Prompt, message: Message) -> Turn:
        text = message.text
        if message.choice == USE_EARLIER or (message.choice is None and prompt.recalls and takes_earlier(text)):
            earlier = self._earlier(prompt, self.store.answers(person))
            if earlier is not None:  # "use what I wrote", or a yes to it
                self.store.save_answer(person, prompt.flow, prompt.id, earlier)
                return Turn().say("I've used what you wrote before.")
            # An old button, or "use that" where nothing was offered: nothing earlier to use.
            return Turn().say("There's no earlier answer to use for this one. Could you answer in your own words, "
                              "or say \"skip\"?").set(answer=None)
        if message.choice is None and intake.only_goes_on(text) and not intake.answered_by_yes(prompt.text):
            # "yes" to "What is your current role?" says "go on", often to the journal's welcome: it answers nothing.
            return Turn().say("Great. This one needs a few words of your own, or say \"skip\" to move on.").set(
                answer=None)
        if message.choice is None and not any(c.isalnum() for c in intake.as_read(message).text):
            # "👍", "😊😊", "?!", "<br><br>": no words to keep
            return Turn().say("Thanks! Could you put that into a few words? Or say \"skip\" to move on.").set(
                answer=None)
        if message.choice is not None:  # a button from an earlier question: its id is not this one's answer
            return Turn().say("That button was for an earlier question, so I haven't saved it. Here's this one "
                              "again: answer in your own words, or say \"skip\".").set(answer=None)
        self.store.save_answer(person, prompt.flow, prompt.id, text)
        answered = journeys.answered_count(self.journey.flow(prompt.flow), self.store.answers(person, prompt.flow))[0]
        reply = listening.acknowledge(text, answered_before=answered - 1)
        if message.intent == "other_language":
            reply = ("I've kept your words just as you wrote them. I can only understand English at the moment, so "
                     "you're welcome to add a few words in English any time from \"review my journal\".")
        turn = Turn().say(reply)
        if not self.in_plan(prompt):  # a manager's own notes are theirs, often about someone else
            return turn
        if message.safety is not None and message.safety.level == STRAIN:
            strain, topic = signposting.strain_reply(coping=listening.copes(text))
            return turn.say(strain, [button("Well-being support", "find_resources", topic=topic)])
        worry = worries.notice(text)
        if worry is not None:
            turn.say(worry.reply, [button(title, "find_resources", topic=query) for title, query in worry.buttons])
        return turn

    def _take_choice(self, person: str, prompt: Prompt, message: Message) -> Turn:
        name = prompt.options_from or ""
        options = {o.id: o for o in plan.choice_options(name)}
        picked = message.choice if message.choice in options else plan.picked_option(name, message.text)
        if picked is None:
            named = [options[option].label for option in plan.named_choices(name, message.text)]
            unsure = (f"You named {spoken_list(named)}: which fits best for now?" if len(named) > 1 else
                      "I didn't catch which one fits best.")
            return self._keep_note(person, prompt, message.text, f"{unsure} Pick a button, or type its name.")
        self.store.save_answer(person, prompt.flow, prompt.id, options[picked].label, value=picked)
        return Turn().say(f"You chose: {options[picked].label}.")

    def _take_placement(self, person: str, prompt: Prompt, message: Message) -> Turn:
        choice, text = message.choice, message.text
        growth = {o.id: o.label for o in plan.choice_options("growth")}
        new_growth = choice if choice in growth else plan.match_choice("growth", text) if choice is None else None
        if new_growth:
            focus = self.journey.feeding("growth", prompt.flow)[0]
            self.store.save_answer(person, focus.flow, focus.id, growth[new_growth], value=new_growth)
            return Turn().say(f"Changed to {growth[new_growth].lower()}.").set(answer=None)
        if choice == "confirm" or (choice is None and intake.confirmation(text)):
            placement = plan.placement_for(self.store.answers(person))
            value = {"segment_id": placement.segment.id, "name": placement.segment.name,
                     "explanation": placement.explanation}
            self.store.save_answer(person, prompt.flow, prompt.id, placement.segment.name, value=value)
            self.store.save_plan(person, segment_id=placement.segment.id)
            return Turn().say(f"Agreed: {placement.segment.name}. It's your call, and you can change it later.")
        return self._keep_note(person, prompt, text, "Tell me if that feels right, or pick a different growth focus.")

    def _take_suggestions(self, person: str, prompt: Prompt, message: Message) -> Turn:
        choice, text = message.choice, message.text
        answers = self.store.answers(person)
        picked = draft(answers, prompt)
        suggestions = {s.intervention.id: s.intervention.name for s in plan.suggestions_for(answers, prompt.flow)}
        if choice == "done" or (choice is None and intake.finished(text)):
            names = "; ".join(suggestions.get(i, i) for i in picked) or "None for now"
            self.store.save_answer(person, prompt.flow, prompt.id, names, value=picked)
            if not self.in_plan(prompt):  # a manager recording what was agreed for someone else
                return Turn().say(f"Agreed actions: {names}.")
            self.store.save_plan(person, interventions=picked)
            return Turn().say(f"In your plan: {names}.")
        if choice is None and _MORE_ABOUT.search(text):
            about = [i for i in _named(text, suggestions) if i in suggestions]
            if about:  # "more about acting up and mentoring": each in full, nothing added
                turn = Turn().set(answer=None)
                for item in about:
                    turn.say_in_bubbles(engine.in_full(engine.item(item), self._voice(prompt)))
                return turn
        chosen = [choice] if choice is not None else _named(text, suggestions)
        if not chosen or any(c not in suggestions for c in chosen):
            return self._keep_note(person, prompt, text, "Pick an option with the buttons, or say \"done\".")
        turn = Turn().set(answer=None)
        for choice in chosen:
            if choice in picked:
                picked.remove(choice)
                turn.say(f"Removed {suggestions[choice]}.")
            else:
                picked.append(choice)
                turn.say(f"Added {suggestions[choice]}.")
        self.store.save_answer(person, prompt.flow, prompt.id + ".draft", "; ".join(picked), value=picked)
        return turn

    def _take_date(self, person: str, prompt: Prompt, message: Message) -> Turn:
        when = read_date(message.text)
        if when is None:
            return self._keep_note(person, prompt, message.text,
                                   "I couldn't read a date from that. Could you give a month, or something like "
                                   "\"in six months\"?")
        self.store.save_answer(person, prompt.flow, prompt.id, message.text, value=when.isoformat())
        if self.in_plan(prompt):
            self.store.save_plan(person, review_date=when)
        return Turn().say(f"I've noted a review date of {when.strftime('%-d %B %Y')}.")

    def _take_summary(self, person: str, prompt: Prompt, message: Message) -> Turn:
        if message.choice == "save" or (message.choice is None and intake.confirmation(message.text)):
            if prompt.flow == "outcome":
                record = outcome_from_answers(self.store.answers(person, "outcome"), agreed_by="line manager",
                                              agreed_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
                code = self.store.record_outcome(record, recorded_by=person)
                # Whose outcome it is is known only once they confirm it: until then the entry has no person.
                audit.record(self.store, audit.OUTCOME_RECORDED, audit.MANAGER, None,
                             outcome_id=self.store.outcome_id(code))
                self.store.save_answer(person, prompt.flow, prompt.id, code, value=code)
                return Turn().say(f"Recorded, waiting for their confirmation. Their code is {code}. "
                                  f"They can say \"confirm outcome {code}\" to check it and make it final, "
                                  f"within {CODE_LIFETIME.days} days.").say(RECORD_IN_ESR).say(calibration_text())
            self.store.save_answer(person, prompt.flow, prompt.id, "confirmed", value="confirmed")
            self.store.save_plan(person, confirmed=True)
            return Turn()
        return self._change_at_summary(person, prompt, message)

    def _change_at_summary(self, person: str, prompt: Prompt, message: Message) -> Turn:
        """Not a yes at the summary: a date named with its new one ("make the review date june") is changed at once,
        and the summary shown again; another answer named is shown, to edit; otherwise, how to change any."""
        answers = self.store.answers(person, prompt.flow)
        shown = [p for p in self.journey.flow(prompt.flow).prompts if p.id in answers]
        named = answer_lists.named(shown, intake.naming_words(message.text), message.text)
        if len(named) == 1 and named[0].kind == "date" and read_date(message.text) is not None:
            return self._take_date(person, named[0], message).set(answer=None)
        kept, save = (("Your plan stays a draft.", "save it") if self.in_plan(prompt) else
                      ("Nothing is recorded yet.", "record it"))
        if len(named) == 1:
            return Turn().set(answer=None).say(f"Of course. {kept} Here's that answer; once it's changed, say \"where "
                                               f"was I?\" to come back and {save}.").then(
                self.review(person, prompt_id=named[0].id))
        return Turn().set(answer=None).say(
            f"Of course. {kept} Say \"review my journal\" to change any answer, then \"where was I?\" to come back "
            f"and {save}.", [button("Review my answers", "review_journal")])

    # -- after a flow, review and edit ------------------------------------------------------------

    def complete(self, person: str, place: Place) -> Turn:
        """After a flow: say so, and offer what comes next."""
        turn = Turn().set(answer=None, prompt_id=None)
        if not place.flow:
            return turn.say("Anything else?", [button("Carry on where I was", "where_was_i"),
                                               button("Review my journal", "review_journal"),
                                               button("Send me my plan", "send_plan")])
        flow = self.journey.flow(place.flow)
        answers = self.store.answers(person, flow.id)
        if journeys.next_prompt(flow, answers) is not None:
            return turn  # stopped early, e.g. "change something"
        skipped = sum(1 for a in answers.values() if a.skipped)
        if skipped * 2 >= len(flow.prompts):  # "done" or "you're prepared" would not be true
            turn.say(f"That's the end of the questions in “{flow.title}”. You skipped {skipped} of "
                     f"{len(flow.prompts)}, and that's fine: you can go back to them now, or any time from "
                     "\"review my journal\".",
                     [button("Go back to the ones I skipped", "review_journal", part=flow.id)])
        else:
            turn.say(flow.outro)
        turn.set(flow=None)
        if flow.id == "manager_prep":  # before the meeting, so the manager can plan a debrief with peers
            turn.say(calibration_text())
        if flow.id in MANAGER_FLOWS:
            return turn.say(response="utter_manager_menu")
        if flow.next:
            following = self.journey.flow(flow.next)
            choices = carry_on_choices(following)
            if flow.resources:
                choices.append(button("See resources that might help", "find_resources", topic=flow.resources))
            return turn.say(f"Next is {following.title.lower()}. Shall we carry on?", choices).set(
                pending_confirmation="carry_on")
        return turn.say("What would you like to do with your plan?", [
            button("Send me my plan", "send_plan"), button("Share with my manager", "share_with_manager"),
            button("Review my answers", "review_journal")])

    def review(self, person: str, listing: Listing = FIRST_PAGE, prompt_id: Optional[str] = None,
               intro: str = "Here's what you've written. Only you can see it.") -> Turn:
        """The person's answers by part, a page at a time; one answer, with buttons to edit or delete it."""
        answers = self.store.answers(person)
        prompts = journeys.prompts_in_order(self.journey, list(answers))
        if not prompts:
            return Turn().say("You haven't written anything yet.", [button("Start my journal", "start_journey")])
        chosen = next((p for p in prompts if p.id == prompt_id), None)
        if chosen is None:
            return answer_lists.show(self.journey, answers, prompts, listing, REVIEW, intro)
        answer = answers[chosen.id]
        said = "You skipped it." if answer.skipped else f"You said: “{journeys.clip(answer.text, SHOWN_CHARS)}”"
        page = answer_lists.page_of(self.journey, answers, prompts, REVIEW, chosen.id)
        return Turn().say(f"{chosen.text}\n{said}", [
            button("Answer it" if answer.skipped else "Edit it", "edit_answer", prompt=chosen.id),
            button("Delete it", "delete_answer", prompt=chosen.id),
            button("Back to the list", "review_journal", part=chosen.flow, page=str(page))])

    def _recalled(self, person: str, text: str) -> Turn:
        """Asked mid-form what they wrote: the answer they named ("for the first one"), else all of them so far; then
        the question being asked comes again."""
        named = answer_lists.named(self._written(person), intake.naming_words(text), text)
        shown = self.review(person, prompt_id=named[0].id) if len(named) == 1 else self.review(person)
        return shown.say("Here's the question again.")

    def _begun(self, answers: Answers) -> bool:
        """Whether the person has answered (or skipped) anything in their own journal and stages."""
        return any(prompt.flow in _own_flows() for prompt in journeys.prompts_in_order(self.journey, list(answers)))

    def _written(self, person: str) -> List[Prompt]:
        """The prompts the person has answered (or skipped), in journey order."""
        return journeys.prompts_in_order(self.journey, list(self.store.answers(person)))

    def _who_sees(self, person: str) -> Turn:
        """Who sees what the person writes: only them, while they have shared nothing; else what they shared and who
        opened it, so that "only you" is never said of a journal shared with a manager."""
        if self.store.shared_answers(person) or self.store.documents(person, SHARE):
            return AuditReport(self.store, self.journey).report(person)
        return Turn().say(response=f"utter_{WHO_SEES}")

    def _to_change(self, person: str, text: str, intro: str) -> Turn:
        """The answers to choose from to change one: the one the person named ("the review date should be
        september"), those their words fit ("the support bit": the journal's and stage 3's), or the whole list."""
        answers = self.store.answers(person)
        written = self._written(person)
        if written and intake.undoes(text):  # "undo": the answer given last
            last = max(written, key=lambda prompt: _when(answers[prompt.id]))
            return Turn().say(intro.format(choose="Here's your last answer.")).then(
                self.review(person, prompt_id=last.id))
        named = answer_lists.named(written, intake.naming_words(text), text)
        if len(named) == 1:
            return Turn().say(intro.format(choose="Here's that answer.")).then(
                self.review(person, prompt_id=named[0].id))
        if named:
            return answer_lists.offer(self.journey, answers, named, REVIEW,
                                      intro.format(choose="Which of these did you mean?"))
        return self.review(person, intro=intro.format(
            choose="Here's what you've written: choose the answer you'd like to change."))

    def edit(self, prompt_id: Optional[str]) -> Turn:
        """Ask one earlier prompt again; the old answer is kept as a revision."""
        try:
            prompt = self.journey.find_prompt(prompt_id or "")
        except KeyError:
            return Turn().say("I couldn't find that question. Say \"review my journal\" to see them all.").set(
                flow=None, editing=None)
        return Turn().set(editing=prompt.id, flow=prompt.flow, answer=None)

    # -- the agreed outcome, confirmed by the person ----------------------------------------------

    def show_pending_outcome(self, person: str, text: str) -> Turn:
        """A member of staff checks the outcome their manager recorded, by the code in ``text``."""
        code = find_code(text)
        found, record = self.store.pending_outcome(code, person) if code else (UNKNOWN, None)
        if found == TOO_MANY_MISSES:
            return Turn().set(outcome_code=None).say(
                "Several codes you typed didn't match an outcome, so I've stopped checking codes for a while. "
                "Please try again in an hour, with the code exactly as your manager gave it to you.")
        if record is None:
            return Turn().set(outcome_code=None).say(
                "I couldn't find an outcome waiting with that code. Codes look like \"KTP-482\" and work for "
                f"{CODE_LIFETIME.days} days; your manager gets one when they record the outcome, and can record "
                "it again for a new code.")
        return Turn().set(outcome_code=code, pending_confirmation="confirm_outcome").say_in_bubbles(
            "Here's the outcome recorded for you:\n"
            + "\n".join(outcome_lines(record, intervention_names(), to_the_person=True))
            + "\nIs this what you agreed? It becomes final, and part of your record, when you confirm.",
            [button("Yes, confirm it", "affirm"), button("No, it needs changing", "deny")])

    def confirm_outcome(self, person: str, code: str) -> Turn:
        turn = Turn().set(pending_confirmation=None, outcome_code=None)
        outcome = self.store.outcome_id(code)
        if self.store.confirm_outcome(code, person):
            audit.record(self.store, audit.OUTCOME_CONFIRMED, audit.PERSON, person, outcome_id=outcome)
            return turn.say("Confirmed. The outcome is now final and part of your record.")
        return turn.say("That outcome was already confirmed or no longer exists.")


SUGGESTIONS_CLOSING = "Say \"more about 2\" for the details of one. Pick as many as you like, then say \"done\"."
# "more about 2", "tell me more about the first", "what is the bridging programme?": details, not a pick.
_MORE_ABOUT = re.compile(r"\b(?:more|details?|explain|what(?:'s| is| are)|tell me about|info(?:rmation)?)\b", re.I)


_NAME_FILLER = frozenset({"a", "an", "the", "and", "or", "of", "in", "for", "your", "my", "to"})


def _named(text: str, suggestions: Mapping[str, str]) -> List[str]:
    """The suggestions (id: name, in the order listed) a person typed: by their number or place ("add 1", "the first
    and third", "the last one"); else each named in full ("add acting up and mentoring": both); else the first whose
    name shares a word with what they typed. An unknown number names nothing."""
    ids = list(suggestions)
    words = re.findall(r"[\w']+", text.lower())
    numbers = picking.places(text, len(ids))
    if numbers:
        return [ids[n - 1] if 1 <= n <= len(ids) else "" for n in numbers]
    said = set(words) - {"the", "a", "and", "add", "remove", "please", "more", "about", "tell", "me", "what", "is",
                         "details", "of", "on", "in", "for"}
    in_full = [i for i in ids
               if set(re.findall(r"[\w']+", suggestions[i].split("(")[0].lower())) - _NAME_FILLER <= said]
    if in_full:
        return in_full
    named = next((i for i in ids if set(suggestions[i].lower().split()) & said), None)
    return [named] if named else []


def intervention_names() -> Dict[str, str]:
    return {item.id: item.name for item in engine.catalogue()}


def draft(answers: Answers, prompt: Prompt) -> List[str]:
    """The suggestions picked so far at ``prompt``, before the person says "done"."""
    saved = answers.get(prompt.id + ".draft")
    return list(saved.value or []) if saved is not None else []


Asker = Callable[[JourneyService, Prompt, str, Answers], Turn]
Taker = Callable[[JourneyService, str, Prompt, Message], Turn]
ASKERS: Dict[str, Asker] = {"choice": JourneyService._ask_choice, "placement": JourneyService._ask_placement,
                            "suggestions": JourneyService._ask_suggestions, "summary": JourneyService._ask_summary,
                            BIAS_CHECK: JourneyService._ask_bias_check}
TAKERS: Dict[str, Taker] = {"choice": JourneyService._take_choice, "placement": JourneyService._take_placement,
                            "suggestions": JourneyService._take_suggestions, "date": JourneyService._take_date,
                            "summary": JourneyService._take_summary}
