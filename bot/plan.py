"""From saved answers to a placement, suggestions and the development plan.

The journey stores answers by prompt id; this module reads them as a
:class:`~bot.framework.Profile`, and builds the plan the person takes into
their conversation.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional, Protocol

from bot import engine, framework
from bot.journey import Journey, standard_journey


class SavedAnswer(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def value(self) -> Any: ...


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    explanation: str


def choice_options(name: str) -> list[Choice]:
    """The options for a choice prompt: ``impact``, ``growth`` or ``readiness``."""
    content = framework.framework()
    if name == "growth":
        return [Choice(o.id, o.label, f"{o.explanation} For example: {'; '.join(o.examples)}.")
                for o in framework.growth_options()]
    if name == "impact":
        return [Choice(e.id, e.label, " ".join(e.description.split())) for e in content.impact]
    if name == "readiness":
        return [Choice(e.id, e.label, " ".join(e.description.split())) for e in content.readiness]
    raise KeyError(f"unknown choice list '{name}'")


def match_choice(name: str, text: str) -> Optional[str]:
    """The option a person typed, by its id or the words of its label ("I'd say depth"), or misspelt ("strech")."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    options = choice_options(name)
    for option in options:
        option_words = set(re.findall(r"[a-z]+", option.id.replace("_", " ")))
        label_words = set(re.findall(r"[a-z]+", option.label.lower())) - {"a", "the", "and", "or", "for", "i", "m"}
        if option_words <= words or (label_words and label_words <= words):
            return option.id
    if len(words) <= 3:  # a single word typed in a hurry: the closest option id, if it is close
        ids = {o.id: o.id for o in options if "_" not in o.id}
        for word in words:
            close = difflib.get_close_matches(word, list(ids), n=1, cutoff=0.8)
            if close:
                return ids[close[0]]
    return None


def meant(answers: Mapping[str, SavedAnswer], meaning: str, flow: str) -> Optional[SavedAnswer]:
    """The latest answered prompt that means ``meaning`` for ``flow`` (see ``feeds`` in journey.yml)."""
    for prompt in standard_journey().feeding(meaning, flow):
        answer = answers.get(prompt.id)
        if answer is not None and answer.status == "answered" and (answer.value is not None or answer.text):
            return answer
    return None


def meant_value(answers: Mapping[str, SavedAnswer], meaning: str, flow: str) -> Optional[Any]:
    answer = meant(answers, meaning, flow)
    return answer.value if answer is not None else None


def profile_from_answers(answers: Mapping[str, SavedAnswer], flow: str = "stage2") -> framework.Profile:
    """What the person has told the coach in ``flow``, read as a framework profile."""
    from bot.staff import read_staff_details

    details_answer = meant(answers, "details", flow)
    details = read_staff_details(details_answer.text) if details_answer is not None else None
    aspiration = meant(answers, "aspiration", flow)
    readiness = meant_value(answers, "readiness", flow)
    return framework.Profile(
        band=details.band if details else None,
        staff_group=details.staff_group if details else None,
        growth=str(meant_value(answers, "growth", flow) or "consolidate"),
        impact=str(meant_value(answers, "impact", flow) or "solid"),
        readiness=str(readiness) if readiness else None,
        age=None,
        aspiration=aspiration.text if aspiration is not None else "",
    )


def placement_for(answers: Mapping[str, SavedAnswer], flow: str = "stage2") -> framework.Placement:
    """Where the answers in ``flow`` place the person (they confirm or change it)."""
    return framework.place(profile_from_answers(answers, flow))


def suggestions_for(answers: Mapping[str, SavedAnswer], flow: str = "stage3",
                    limit: int = 5) -> list[engine.Suggestion]:
    """Interventions suggested for the profile in ``flow`` and its placement."""
    profile = profile_from_answers(answers, flow)
    return engine.suggest(profile, framework.place(profile), limit=limit)


@dataclass(frozen=True)
class PlanItem:
    question: str
    answer: str


@dataclass(frozen=True)
class PlanDocument:
    """Everything the person takes into the conversation, in their own words."""

    title: str
    segment: Optional[str]
    placement_explanation: Optional[str]
    interventions: tuple[str, ...]
    review_date: Optional[dt.date]
    sections: tuple[tuple[str, tuple[PlanItem, ...]], ...]
    created: dt.date


def build_plan_document(journey: Journey, answers: Mapping[str, SavedAnswer], *, include_journal: bool = False,
                        today: Optional[dt.date] = None) -> PlanDocument:
    """The plan document: stages 1 to 3 (and the journal if the person chooses), answers verbatim."""
    flows = [f for f in journey.staff_flows() if include_journal or f.id != "journal"]
    sections: list[tuple[str, tuple[PlanItem, ...]]] = []
    for flow in flows:
        items = tuple(
            PlanItem(p.text, answers[p.id].text)
            for p in flow.prompts
            if p.id in answers and answers[p.id].status == "answered" and p.kind in ("text", "date")
            and answers[p.id].text.strip()
        )
        if items:
            sections.append((flow.title, items))
    segment_value = meant_value(answers, "placement", "stage2")
    segment_name = explanation = None
    if isinstance(segment_value, dict):
        segment_name = segment_value.get("name")
        explanation = segment_value.get("explanation")
    chosen = meant_value(answers, "interventions", "stage3") or []
    names = {item.id: item.name for item in engine.catalogue()}
    review = meant_value(answers, "review_date", "stage3")
    return PlanDocument(
        title="My aspirational career development plan",
        segment=segment_name,
        placement_explanation=explanation,
        interventions=tuple(names.get(i, i) for i in chosen),
        review_date=dt.date.fromisoformat(review) if isinstance(review, str) else None,
        sections=tuple(sections),
        created=today or dt.date.today(),
    )


def build_shared_document(journey: Journey, answers: Mapping[str, SavedAnswer], *,
                          today: Optional[dt.date] = None) -> PlanDocument:
    """Only the answers the person chose to share with their manager, in their own words."""
    sections: list[tuple[str, tuple[PlanItem, ...]]] = []
    for flow in journey.staff_flows():
        items = tuple(PlanItem(p.text, answers[p.id].text) for p in flow.prompts
                      if p.id in answers and getattr(answers[p.id], "shared", False)
                      and answers[p.id].status == "answered")
        if items:
            sections.append((flow.title, items))
    return PlanDocument(title="What I've chosen to share with my manager", segment=None,
                        placement_explanation=None, interventions=(), review_date=None, sections=tuple(sections),
                        created=today or dt.date.today())


def summary_lines(document: PlanDocument) -> list[str]:
    """A short read-back of the plan for the person to confirm before saving."""
    lines: list[str] = []
    for title, items in document.sections:
        if title.startswith("Stage 3"):
            for item in items:
                lines.append(f"• {item.question} {item.answer}")
    if document.segment:
        lines.insert(0, f"• Where you sit: {document.segment}")
    if document.interventions:
        lines.append("• Development options: " + "; ".join(document.interventions))
    if document.review_date:
        lines.append(f"• Review by: {document.review_date.strftime('%-d %B %Y')}")
    return lines
