"""A person's answers as lists a phone can show: by part of the journey, a few answers to a page.

Reviewing and sharing both list what the person has written. Long journeys would
otherwise fill a screen with dozens of buttons, so a list first names the parts
(the journal, each stage), then shows one part a page at a time, and each answer
on the page gets one button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, FrozenSet, Mapping, Optional, Sequence

from bot.journey import Flow, Journey, Prompt, clip
from bot.language import lemmas
from bot.store.repository import StoredAnswer
from bot.turn import BUBBLE_CHARS, Button, Turn, button

PER_PAGE = 4  # with "More" and "Other parts", six buttons at most
# A word that names at most this many of the person's answers points at them ("the support bit": the journal's and
# stage 3's); one found in more ("work") names none of them.
NAMED_AT_MOST = 3
# A question scoring at least this share of the best is offered beside it: the person picks, rather than the coach
# opening the wrong answer.
CLOSE_SCORE = 0.5
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
QUESTION_CHARS = 90  # a question is named by its first sentence, cut to this
ANSWER_CHARS = 80  # and an answer by its start


@dataclass(frozen=True)
class Listing:
    """Which part of a list to show (a flow id, or None for the parts) and which page of it."""

    part: Optional[str] = None
    page: int = 1

    @classmethod
    def read(cls, part: Optional[str], page: Optional[str]) -> Listing:
        """From a button's entities; anything unreadable shows the first page."""
        number = int(page) if page and page.isdigit() else 1
        return cls(part or None, max(number, 1))


FIRST_PAGE = Listing()


@dataclass(frozen=True)
class AnswerList:
    """One kind of list: the intent that pages it, and what a button on an answer does."""

    intent: str  # asks for a part or a page: review_journal, share_with_manager
    pick: Callable[[int, Prompt], Button]  # the button for the answer numbered n in its part
    shown: Callable[[StoredAnswer], str]  # how an answer reads in the list


def short_question(prompt: Prompt) -> str:
    """A prompt named by its first sentence (its question), kept short."""
    return clip(re.split(r"(?<=[.?!])\s", prompt.text, maxsplit=1)[0], QUESTION_CHARS)


def part_name(flow: Flow) -> str:
    """A part's name for a button: "Stage 1", "Personal reflection journal"."""
    return flow.title.split(":")[0]


def parts(journey: Journey, prompts: Sequence[Prompt]) -> list[tuple[Flow, list[Prompt]]]:
    """The prompts grouped by flow, in journey order (``prompts`` are in journey order)."""
    grouped: dict[str, list[Prompt]] = {}
    for prompt in prompts:
        grouped.setdefault(prompt.flow, []).append(prompt)
    return [(journey.flow(flow_id), listed) for flow_id, listed in grouped.items()]


def _line(number: int, prompt: Prompt, answer: str, part: str = "") -> str:
    return f"{number}. {part + ': ' if part else ''}{short_question(prompt)}\n   {answer}"


def _pages(prompts: Sequence[Prompt], answers: Mapping[str, StoredAnswer], kind: AnswerList,
           title: str) -> list[list[Prompt]]:
    """The prompts in pages: up to PER_PAGE each, as many as fit a bubble with the part's heading."""
    pages: list[list[Prompt]] = [[]]
    heading = len(_heading(title, len(prompts), len(prompts), len(prompts)))  # the longest it can be
    used = heading
    for number, prompt in enumerate(prompts, start=1):
        line = _line(number, prompt, kind.shown(answers[prompt.id]))
        if pages[-1] and (len(pages[-1]) == PER_PAGE or used + 1 + len(line) > BUBBLE_CHARS):
            pages.append([])
            used = heading
        pages[-1].append(prompt)
        used += 1 + len(line)
    return pages


def _heading(title: str, first: int, last: int, total: int) -> str:
    where = f"answers {first} to {last} of {total}" if total > 1 else "1 answer"
    return f"“{title}”, {where}:"


def page_of(journey: Journey, answers: Mapping[str, StoredAnswer], prompts: Sequence[Prompt], kind: AnswerList,
            prompt_id: str) -> int:
    """The page of a part on which ``prompt_id`` is listed."""
    listed = [p for p in prompts if p.flow == journey.find_prompt(prompt_id).flow]
    pages = _pages(listed, answers, kind, journey.flow(listed[0].flow).title)
    return next(number for number, page in enumerate(pages, start=1) if any(p.id == prompt_id for p in page))


def show(journey: Journey, answers: Mapping[str, StoredAnswer], prompts: Sequence[Prompt], listing: Listing,
         kind: AnswerList, intro: str, first: Sequence[Button] = ()) -> Turn:
    """The list as it opens (``intro``, then the parts with ``first`` before them), or one page of one part.

    A list with one part and nothing before it opens at that part's first page, after the intro.
    """
    grouped = parts(journey, prompts)
    chosen = next(((f, p) for f, p in grouped if f.id == listing.part), None)
    if chosen is None and len(grouped) == 1 and not first:
        return Turn().say(intro).then(_page(answers, grouped, grouped[0], 1, kind, first))
    if chosen is None:
        lines = [f"• {flow.title}: {_count(listed, answers)}" for flow, listed in grouped]
        choices = [*first, *(button(part_name(flow), kind.intent, part=flow.id) for flow, _ in grouped)]
        return Turn().say(intro + " Which part would you like to see?\n" + "\n".join(lines), choices)
    return _page(answers, grouped, chosen, listing.page, kind, first)


def _page(answers: Mapping[str, StoredAnswer], grouped: Sequence[tuple[Flow, list[Prompt]]],
          chosen: tuple[Flow, list[Prompt]], wanted: int, kind: AnswerList, first: Sequence[Button]) -> Turn:
    flow, listed = chosen
    pages = _pages(listed, answers, kind, flow.title)
    page = min(wanted, len(pages))
    start = sum(len(p) for p in pages[:page - 1])
    numbered = list(enumerate(pages[page - 1], start=start + 1))
    lines = [_line(n, p, kind.shown(answers[p.id])) for n, p in numbered]
    choices = [kind.pick(n, p) for n, p in numbered]
    if page < len(pages):
        choices.append(button("More", kind.intent, part=flow.id, page=str(page + 1)))
    elif len(pages) > 1:
        choices.append(button("Back to the start", kind.intent, part=flow.id))
    if len(grouped) > 1 or first:
        choices.append(button("Other parts", kind.intent))
    heading_line = _heading(flow.title, start + 1, start + len(numbered), len(listed))
    return Turn().say(heading_line + "\n" + "\n".join(lines), choices)


def offer(journey: Journey, answers: Mapping[str, StoredAnswer], prompts: Sequence[Prompt], kind: AnswerList,
          intro: str) -> Turn:
    """A few answers from any parts, numbered, each named with its part, with a way to the whole list."""
    numbered = list(enumerate(prompts, start=1))
    lines = [_line(n, p, kind.shown(answers[p.id]), part_name(journey.flow(p.flow))) for n, p in numbered]
    return Turn().say(intro + "\n" + "\n".join(lines),
                      [*(kind.pick(n, p) for n, p in numbered), button("All my answers", kind.intent)])


def _count(prompts: Sequence[Prompt], answers: Mapping[str, StoredAnswer]) -> str:
    skipped = sum(1 for p in prompts if answers[p.id].skipped)
    written = len(prompts) - skipped
    said = f"{written} answer{'s' if written != 1 else ''}"
    return said + (f", {skipped} skipped" if skipped else "")


def in_quotes(answer: StoredAnswer) -> str:
    return "(skipped)" if answer.skipped else f"“{clip(answer.text, ANSWER_CHARS)}”"


def named(prompts: Sequence[Prompt], words: FrozenSet[str], text: str = "") -> list[Prompt]:
    """The questions among ``prompts`` that a person names in asking to change an answer, from the ``words`` that may
    name one (bot.intake.naming_words): "the support bit" names the journal's and stage 3's, "the review date" only
    stage 3's. A word counts for less the more questions it is found in, and twice in a question's short name (its
    id: "my role" is the role question, not the others that mention a role); found in many ("work"), it names none.
    A part named in ``text`` ("the stage 1 one about...") narrows the questions to that part."""
    part = _part_named(text)
    asked = [prompt for prompt in prompts if part is None or prompt.flow == part] or list(prompts)
    found = {prompt.id: words & (_names(prompt) | _id_names(prompt)) for prompt in asked}
    spread = {word: sum(word in hits for hits in found.values()) for word in words}
    scores = {prompt.id: sum((1 + (word in _id_names(prompt))) / spread[word] for word in found[prompt.id]
                             if spread[word] <= NAMED_AT_MOST) for prompt in asked}
    best = max(scores.values(), default=0)
    close = sorted((p for p in asked if best and scores[p.id] >= CLOSE_SCORE * best), key=lambda p: -scores[p.id])
    return close[:NAMED_AT_MOST]


def _part_named(text: str) -> Optional[str]:
    said = text.lower()
    stage = _STAGE.search(said)
    if stage:
        return "stage" + stage.group(1)
    return "journal" if re.search(r"\bjournal\b", said) else None


_STAGE = re.compile(r"\bstage\s*([123])\b")  # not "the career stage one"


@lru_cache(maxsize=256)
def _names(prompt: Prompt) -> FrozenSet[str]:
    """The words of a question, its examples too ("For example your manager, a mentor")."""
    return frozenset(t.lemma_ for t in lemmas(prompt.text) if t.pos_ in _CONTENT and not t.is_stop)


@lru_cache(maxsize=256)
def _id_names(prompt: Prompt) -> FrozenSet[str]:
    """The words of a question's id after its part, its name in short ("wellbeing support", "leadership way")."""
    named = " ".join(prompt.id.split(".")[1:]).replace("_", " ")
    return frozenset(t.lemma_ for t in lemmas(named) if not t.is_stop)
