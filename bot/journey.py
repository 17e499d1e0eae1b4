"""The individual's journey: flows of prompts (journal, stages), progress and "where was I".

Flows come from ``content/journey.yml``. State is only the saved answers, so
resuming after a restart, in a later session or on another channel is a lookup
of the first prompt without an answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Protocol

from pydantic import BaseModel, validator

from bot.content import ContentError, content_path, read_yaml

PROMPT_KINDS = ("text", "choice", "date", "placement", "suggestions", "summary", "bias_check")
# What an answer can mean to the rest of the coach (``feeds`` in journey.yml).
MEANINGS = ("details", "career_stage", "impact", "growth", "readiness", "aspiration", "placement", "interventions",
            "goals", "support", "review_date")


class _PromptSchema(BaseModel):
    id: str
    text: str
    kind: str = "text"
    optional: bool = False
    private: bool = False
    options_from: Optional[str] = None
    feeds: Optional[str] = None
    recalls: Optional[str] = None
    explained: Optional[str] = None
    steps: bool = False

    @validator("kind")
    def _known_kind(cls, value: str) -> str:  # noqa: N805 - pydantic validator
        if value not in PROMPT_KINDS:
            raise ValueError(f"unknown kind '{value}', expected one of {', '.join(PROMPT_KINDS)}")
        return value

    @validator("feeds")
    def _known_meaning(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805 - pydantic validator
        if value is not None and value not in MEANINGS:
            raise ValueError(f"unknown meaning '{value}', expected one of {', '.join(MEANINGS)}")
        return value


class _SectionSchema(BaseModel):
    id: str
    title: str
    prompts: list[_PromptSchema]


class _FlowSchema(BaseModel):
    id: str
    title: str
    intro: str
    outro: str
    next: Optional[str] = None
    resources: Optional[str] = None  # a resource topic to offer when the flow is done
    sections: list[_SectionSchema]


class _JourneySchema(BaseModel):
    source: str
    last_checked: dt.date
    flows: list[_FlowSchema]


@dataclass(frozen=True)
class Prompt:
    id: str
    flow: str
    section: str
    text: str
    kind: str = "text"
    optional: bool = False
    options_from: Optional[str] = None
    feeds: Optional[str] = None
    private: bool = False  # never leaves the person's own view: no plan document, no share
    recalls: Optional[str] = None  # an earlier prompt whose answer is offered here, rather than asking twice
    explained: Optional[str] = None  # the question put another way, with an example ("what do you mean?")
    steps: bool = False  # asks what the person will do, so an answer may be said as a step ("find a mentor")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    intro: str
    outro: str
    sections: tuple[Section, ...]
    next: Optional[str] = None
    resources: Optional[str] = None

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for s in self.sections for p in s.prompts)


@dataclass(frozen=True)
class Progress:
    section_number: int
    section_count: int
    section_title: str
    prompt_number: int
    prompt_count: int

    @property
    def label(self) -> str:
        """E.g. "Section 2 of 6: Health and well-being (question 1 of 2)", or "Question 2 of 4" in a flow of one
        section (whose title is the flow's, already said)."""
        question = f"question {self.prompt_number} of {self.prompt_count}" if self.prompt_count > 1 else ""
        if self.section_count == 1:
            return question[:1].upper() + question[1:]
        text = f"Section {self.section_number} of {self.section_count}: {self.section_title}"
        return f"{text} ({question})" if question else text


class AnswerLike(Protocol):
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Journey:
    """All flows in order, as loaded from content."""

    flows: tuple[Flow, ...] = field(default_factory=tuple)

    def flow(self, flow_id: str) -> Flow:
        for f in self.flows:
            if f.id == flow_id:
                return f
        raise KeyError(flow_id)

    def find_prompt(self, prompt_id: str) -> Prompt:
        for f in self.flows:
            for p in f.prompts:
                if p.id == prompt_id:
                    return p
        raise KeyError(prompt_id)

    def staff_flows(self) -> tuple[Flow, ...]:
        """The journal and stages, in the order a member of staff goes through them."""
        ordered: list[Flow] = []
        current: Optional[str] = self.flows[0].id if self.flows else None
        while current and current not in {f.id for f in ordered}:
            flow = self.flow(current)
            ordered.append(flow)
            current = flow.next
        return tuple(ordered)

    def feeding(self, meaning: str, flow_id: str) -> tuple[Prompt, ...]:
        """The prompts whose answers mean ``meaning`` for ``flow_id``, latest first.

        A member of staff builds one picture across the journal and stages; any other
        flow (the manager's record of an outcome) stands on its own answers.
        """
        staff = self.staff_flows()
        scope = staff if flow_id in {f.id for f in staff} else (self.flow(flow_id),)
        return tuple(p for f in reversed(scope) for p in reversed(f.prompts) if p.feeds == meaning)


@lru_cache(maxsize=1)
def standard_journey() -> Journey:
    """The journey in ``journey.yml``, read once."""
    return load_journey()


def load_journey(directory: Optional[Path] = None) -> Journey:
    """Read and validate ``journey.yml``; errors name the file and the field."""
    path = content_path("journey.yml", directory)
    raw = read_yaml(path)
    try:
        schema = _JourneySchema.parse_obj(raw)
    except Exception as exc:  # pydantic.ValidationError, or a non-mapping file
        raise ContentError(f"{path}: invalid content\n{exc}") from exc
    flows = tuple(
        Flow(
            id=f.id, title=f.title, intro=f.intro.strip(), outro=f.outro.strip(), next=f.next, resources=f.resources,
            sections=tuple(
                Section(s.id, s.title, tuple(
                    Prompt(p.id, f.id, s.id, " ".join(p.text.split()), p.kind, p.optional, p.options_from, p.feeds,
                           p.private, p.recalls, p.explained, p.steps)
                    for p in s.prompts
                ))
                for s in f.sections
            ),
        )
        for f in schema.flows
    )
    ids = [p.id for f in flows for p in f.prompts]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ContentError(f"{path}: duplicate prompt id(s): {', '.join(duplicated)}")
    known = {f.id for f in flows}
    private = {p.id for f in flows for p in f.prompts if p.private}
    for f in flows:
        if f.next and f.next not in known:
            raise ContentError(f"{path}: flows[{f.id}].next: unknown flow '{f.next}'")
        for p in f.prompts:
            if p.recalls and p.recalls not in ids[:ids.index(p.id)]:
                raise ContentError(f"{path}: prompts[{p.id}].recalls: '{p.recalls}' is not an earlier prompt")
            if p.recalls in private:  # "use what I wrote" would copy private words where they could be shared
                raise ContentError(f"{path}: prompts[{p.id}].recalls: '{p.recalls}' is private, so it is never "
                                   "offered again")
    return Journey(flows)


def next_prompt(flow: Flow, answers: Mapping[str, AnswerLike]) -> Optional[Prompt]:
    """The first prompt of ``flow`` with no answer yet (a skip counts as an answer)."""
    for prompt in flow.prompts:
        if prompt.id not in answers:
            return prompt
    return None


def resume_point(journey: Journey, answers: Mapping[str, AnswerLike]) -> Optional[Prompt]:
    """Where a member of staff left off across the journal and stages, or None when done."""
    for flow in journey.staff_flows():
        prompt = next_prompt(flow, answers)
        if prompt is not None:
            return prompt
    return None


def progress(flow: Flow, prompt: Prompt) -> Progress:
    """Where ``prompt`` sits in its flow: section n of m, question i of k."""
    for s_index, section in enumerate(flow.sections, start=1):
        for p_index, candidate in enumerate(section.prompts, start=1):
            if candidate.id == prompt.id:
                return Progress(s_index, len(flow.sections), section.title, p_index, len(section.prompts))
    raise KeyError(prompt.id)


def quote(text: str, max_words: int = 18) -> str:
    """A short quotation of the person's own words for reflecting back."""
    words = " ".join(text.split()).split(" ")
    short = " ".join(words[:max_words])
    return short + ("…" if len(words) > max_words else "")


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word where there is one, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"


def answered_count(flow: Flow, answers: Mapping[str, AnswerLike]) -> tuple[int, int]:
    """How many of the flow's prompts have answers (skips included), and how many there are."""
    prompts = flow.prompts
    return sum(1 for p in prompts if p.id in answers), len(prompts)


def prompts_in_order(journey: Journey, prompt_ids: Sequence[str]) -> list[Prompt]:
    """Prompts for ``prompt_ids`` in journey order (unknown ids are left out)."""
    wanted = set(prompt_ids)
    return [p for f in journey.flows for p in f.prompts if p.id in wanted]
