"""Line manager preparation content: the preparation list, bias check, calibration tip and conversation checklist.

The items live in ``bot/content/manager_preparation.yml`` (data an organisation
can replace); this module validates and loads them, and spots which checklist
items a manager's rehearsal questions have covered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, List, Sequence, Tuple

from pydantic import BaseModel, validator

from bot.content import Sourced, cached_items
from bot.language import nlp

if TYPE_CHECKING:
    from bot.journey import Flow

FILENAME = "manager_preparation.yml"
BIAS_CHECK = "bias_check"  # the kind of the preparation's first prompt: shown with every trigger in full
BIAS_HEADING = ("First, a short bias check. Judgements slip most at these moments; for each, a question to ask "
                "yourself and why it matters.")
BIAS_QUESTION = "Which of these might be true for you in this conversation, and what will you do about it?"
BIAS_EXPLAINED = ("In other words: which of these moments could colour how you see the person, and what "
                  "will you do about each? For example: 'I'm tired after nights, so I'll move the meeting to a "
                  "morning'")


class PreparationItem(Sourced):
    """Something to reflect on before the conversation."""

    id: str
    title: str
    prompt: str
    why: str

    class Config:
        allow_mutation = False


class BiasTrigger(Sourced):
    """A situation that makes biased judgements more likely, with a question to ask yourself and why it matters."""

    id: str
    trigger: str
    question: str
    why: str

    class Config:
        allow_mutation = False


class CalibrationTip(Sourced):
    """Advice on debriefing and calibrating outcomes with peers, so people are treated consistently."""

    id: str
    text: str

    class Config:
        allow_mutation = False


class ChecklistItem(Sourced):
    """An item of the in-conversation checklist, with words that show it was covered."""

    id: str
    title: str
    prompt: str
    keywords: Tuple[str, ...]

    class Config:
        allow_mutation = False

    @validator("keywords")
    def _has_keywords(cls, value: Tuple[str, ...]) -> Tuple[str, ...]:  # noqa: N805 (pydantic validator)
        if not value or not all(word.strip() for word in value):
            raise ValueError("needs at least one non-empty keyword")
        return value


class RehearsalTip(BaseModel):
    """A tip shown after a rehearsal; ``{missing}`` is filled in by the summary."""

    id: str
    text: str

    class Config:
        allow_mutation = False


def preparation_items() -> Tuple[PreparationItem, ...]:
    """The manager's preparation list, in the order to work through it."""
    return tuple(cached_items(FILENAME, PreparationItem, key="preparation"))


def bias_check() -> Tuple[BiasTrigger, ...]:
    """The triggers of bias, each with a reflective question."""
    return tuple(cached_items(FILENAME, BiasTrigger, key="bias_check"))


def calibration_tips() -> Tuple[CalibrationTip, ...]:
    """What the guidance says about calibrating with peers, shown after preparing and after recording."""
    return tuple(cached_items(FILENAME, CalibrationTip, key="calibration"))


def conversation_checklist() -> Tuple[ChecklistItem, ...]:
    """The checklist to follow during the conversation."""
    return tuple(cached_items(FILENAME, ChecklistItem, key="conversation_checklist"))


def rehearsal_tips() -> Tuple[RehearsalTip, ...]:
    """Tips the rehearsal summary chooses from."""
    return tuple(cached_items(FILENAME, RehearsalTip, key="rehearsal_tips"))


def rehearsal_tip(tip_id: str) -> RehearsalTip:
    """One rehearsal tip by id; ``KeyError`` if the content has no such tip."""
    for tip in rehearsal_tips():
        if tip.id == tip_id:
            return tip
    raise KeyError(tip_id)


def _flat(text: str) -> str:
    return " ".join(text.split())


def bias_check_blocks() -> Tuple[str, ...]:
    """The bias check as shown in preparation: one block per trigger, with its question and why it matters."""
    return tuple(f"{t.trigger}\nAsk yourself: {_flat(t.question)}\nWhy it matters: {_flat(t.why)}"
                 for t in bias_check())


def calibration_text() -> str:
    """The calibration tip as one message."""
    return "Tip: " + " ".join(_flat(tip.text) for tip in calibration_tips())


@lru_cache(maxsize=4096)
def lemmas_of(text: str) -> Tuple[str, ...]:
    """Lower-case lemmas of ``text`` without punctuation (cached: keywords repeat a lot)."""
    return tuple(tok.lemma_.lower() for tok in nlp()(text) if not tok.is_punct)


def mentions_keyword(text_lemmas: Sequence[str], keyword: str, max_gap: int = 2) -> bool:
    """Do the keyword's lemmas appear in order, with at most ``max_gap`` words between them?"""
    wanted = lemmas_of(keyword)
    if not wanted:
        return False
    for start, lemma in enumerate(text_lemmas):
        if lemma != wanted[0]:
            continue
        position = start
        for word in wanted[1:]:
            window = text_lemmas[position + 1 : position + 2 + max_gap]
            if word not in window:
                break
            position = position + 1 + window.index(word)
        else:
            return True
    return False


def covered_checklist_items(questions: Iterable[str]) -> Tuple[str, ...]:
    """Ids of checklist items that any of ``questions`` touches, in checklist order."""
    lemma_lists: List[Tuple[str, ...]] = [lemmas_of(q) for q in questions if q.strip()]
    covered = []
    for item in conversation_checklist():
        if any(mentions_keyword(lemmas, keyword) for lemmas in lemma_lists for keyword in item.keywords):
            covered.append(item.id)
    return tuple(covered)


def preparation_flow() -> Flow:
    """The manager's preparation as a journey flow: a short bias check, then each preparation item.

    Built from this module's content, so it runs in the same prompt loop as the
    journal: one question at a time, skippable, saved as the manager's private notes.
    """
    from bot.journey import Flow, Prompt, Section

    triggers = "; ".join(t.trigger[:1].lower() + t.trigger[1:] for t in bias_check())
    # The triggers named in short: what a re-ask, an edit or the review shows. Asked afresh, every trigger is
    # shown in full first (see bias_check_blocks).
    bias = Prompt(
        id="manager_prep.bias_check", flow="manager_prep", section="bias", kind=BIAS_CHECK,
        text=f"First, a short bias check. Judgements slip most when we are: {triggers}. {BIAS_QUESTION}",
        explained=BIAS_EXPLAINED,
    )
    items = tuple(
        Prompt(id=f"manager_prep.{item.id}", flow="manager_prep", section="preparation",
               text=f"{item.title}. {' '.join(item.prompt.split())}",
               explained=f"Why it matters: {' '.join(item.why.split())}")
        for item in preparation_items()
    )
    return Flow(
        id="manager_prep",
        title="Preparing as a line manager",
        intro="Let's prepare for the conversation, one item at a time. Your notes are private to you. "
              "Say \"skip\" for anything that doesn't apply, or \"stop\" to pause.",
        outro="You're prepared. When you're ready, you can rehearse your coaching questions with a practice "
              "colleague.",
        sections=(Section("bias", "Bias check", (bias,)), Section("preparation", "Preparation", items)),
    )
