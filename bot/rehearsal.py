"""Manager rehearsal: practise a career conversation with a persona, with transparent feedback.

Personas live in ``bot/content/personas.yml``. Everything here is a pure
function of its inputs: the same question at the same stage always gets the
same reply, so a rehearsal can be replayed and tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

from pydantic import BaseModel, validator

from bot.content import cached_items
from bot.manager import conversation_checklist, covered_checklist_items, lemmas_of, mentions_keyword, rehearsal_tip
from bot.questions import QUESTION_TYPES, QuestionAnalysis, analyse, reflects_back, split_questions
from bot.turn import spoken_list

STAGES: Mapping[int, str] = {1: "well-being and strengths", 2: "career", 3: "plan"}
FILENAME = "personas.yml"


class PersonaTopic(BaseModel):
    """What a persona says about one topic: a full answer and a short yes/no-style one."""

    id: str
    keywords: Tuple[str, ...]
    answer: str
    short: str

    class Config:
        allow_mutation = False


class PersonaStage(BaseModel):
    """A persona's answers for one stage of the conversation."""

    stage: int
    fallback: str
    fallback_short: str
    topics: Tuple[PersonaTopic, ...]

    class Config:
        allow_mutation = False

    @validator("stage")
    def _known_stage(cls, value: int) -> int:  # noqa: N805 (pydantic validator)
        if value not in STAGES:
            raise ValueError(f"stage must be one of {sorted(STAGES)}")
        return value


class Persona(BaseModel):
    """Someone a manager can rehearse a career conversation with."""

    id: str
    name: str
    band: str
    role: str
    summary: str
    on_leading: str
    on_why: str
    on_multiple: str
    on_statement: str
    stages: Tuple[PersonaStage, ...]

    class Config:
        allow_mutation = False

    @validator("stages")
    def _all_stages(cls, value: Tuple[PersonaStage, ...]) -> Tuple[PersonaStage, ...]:  # noqa: N805
        if sorted(s.stage for s in value) != sorted(STAGES):
            raise ValueError("needs exactly one entry for each of stages 1, 2 and 3")
        return value

    def stage(self, number: int) -> PersonaStage:
        """The answers for stage ``number`` (1, 2 or 3)."""
        for entry in self.stages:
            if entry.stage == number:
                return entry
        raise ValueError(f"stage must be one of {sorted(STAGES)}, not {number!r}")


def list_personas() -> Tuple[Persona, ...]:
    """All rehearsal personas, in content order."""
    return tuple(cached_items(FILENAME, Persona, key="personas"))


def get_persona(persona_id: str) -> Persona:
    """The persona with this id; ``KeyError`` naming the known ids if there is none."""
    for persona in list_personas():
        if persona.id == persona_id:
            return persona
    known = ", ".join(p.id for p in list_personas())
    raise KeyError(f"no persona {persona_id!r} (known: {known})")


def _best_topic(persona: Persona, question: str, stage: int) -> Optional[PersonaTopic]:
    """The topic whose keywords the question mentions most: current stage first, then the others."""
    lemmas = lemmas_of(question)
    current = [persona.stage(stage)]
    others = [s for s in persona.stages if s.stage != stage]
    for entries in (current, others):
        best: Optional[PersonaTopic] = None
        best_hits = 0
        for entry in entries:
            for topic in entry.topics:
                hits = sum(1 for keyword in topic.keywords if mentions_keyword(lemmas, keyword))
                if hits > best_hits:
                    best, best_hits = topic, hits
        if best is not None:
            return best
    return None


def persona_reply(persona: Persona, question: str, stage: int) -> str:
    """What the persona says to ``question`` at ``stage`` (1, 2 or 3).

    Open and "why" questions get the full answer; closed questions get the short,
    yes/no-style one; leading questions get the persona's going-along reply; of
    several questions only the first is answered.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {sorted(STAGES)}, not {stage!r}")
    analysis = analyse(question)
    prefix = ""
    if analysis.type == "statement":
        return persona.on_statement
    if analysis.type == "multiple":
        question = next(q for q in split_questions(question) if analyse(q).is_question)
        analysis = analyse(question)
        prefix = persona.on_multiple + " "
    if analysis.type == "leading":
        return prefix + persona.on_leading
    topic = _best_topic(persona, question, stage)
    entry = persona.stage(stage)
    if analysis.type == "closed":
        return prefix + (topic.short if topic is not None else entry.fallback_short)
    answer = topic.answer if topic is not None else entry.fallback
    if analysis.type == "why":
        return f"{prefix}{persona.on_why} {answer}"
    return prefix + answer


# --- the rehearsal log and its summary --------------------------------------------


@dataclass(frozen=True)
class RehearsalTurn:
    """One thing the manager said, how it was analysed, and the stage it was asked in."""

    question: str
    analysis: QuestionAnalysis
    stage: int


@dataclass(frozen=True)
class RehearsalLog:
    """The manager's turns in one rehearsal, oldest first."""

    persona_id: str
    turns: Tuple[RehearsalTurn, ...] = ()

    def add(self, question: str, stage: int) -> RehearsalLog:
        """A new log with ``question`` (asked at ``stage``) analysed and appended."""
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {sorted(STAGES)}, not {stage!r}")
        return RehearsalLog(self.persona_id, self.turns + (RehearsalTurn(question, analyse(question), stage),))


@dataclass(frozen=True)
class RehearsalSummary:
    """Figures and two tips at the end of a rehearsal."""

    open_share: float
    stages_covered: Tuple[int, ...]
    checklist_missed: Tuple[str, ...]
    tips: Tuple[str, str]
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def questions(self) -> int:
        """How many turns were questions (statements excluded)."""
        return sum(n for kind, n in self.counts.items() if kind != "statement")


def _choose_tips(
    counts: Mapping[str, int],
    open_share: float,
    stages_missing: List[int],
    checklist_missed: Tuple[str, ...],
    reflected: bool,
) -> Tuple[str, str]:
    """The two most useful tips: the most frequent problem first, then gaps in coverage."""
    weights: Dict[str, float] = {
        "closed_to_open": counts.get("closed", 0),
        # A leading question distorts the answer, so it weighs a little more than a closed one.
        "drop_leading": counts.get("leading", 0) * 1.5,
        "one_at_a_time": counts.get("multiple", 0) * 1.2,
        "why_to_what": counts.get("why", 0) * 1.1,
        "cover_stages": 1.5 * len(stages_missing),
        "checklist": 0.75 if checklist_missed else 0.0,
        "reflect_back": 0.0 if reflected else 0.5,
        "keep_open": 0.25 if open_share >= 0.6 else 0.0,
    }
    order = list(weights)
    chosen = sorted((tip for tip in order if weights[tip] > 0), key=lambda t: (-weights[t], order.index(t)))[:2]
    for spare in ("reflect_back", "keep_open", "one_at_a_time"):
        if len(chosen) >= 2:
            break
        if spare not in chosen:
            chosen.append(spare)
    titles = {item.id: item.title for item in conversation_checklist()}
    missing_titles = [titles[i][:1].lower() + titles[i][1:] for i in checklist_missed]
    if len(missing_titles) > 3:
        missing_titles = missing_titles[:3] + [f"{len(checklist_missed) - 3} more"]
    fill = {
        "cover_stages": spoken_list([f"stage {n} ({STAGES[n]})" for n in stages_missing]),
        "checklist": spoken_list(missing_titles),
    }
    texts = [rehearsal_tip(tip).text.replace("{missing}", fill.get(tip, "")) for tip in chosen]
    return texts[0], texts[1]


def summarise(log: RehearsalLog) -> RehearsalSummary:
    """Open-question share, stages and checklist coverage, counts by type and exactly two tips."""
    counts: Dict[str, int] = {kind: 0 for kind in QUESTION_TYPES}
    for turn in log.turns:
        counts[turn.analysis.type] += 1
    asked = sum(n for kind, n in counts.items() if kind != "statement")
    open_share = counts["open"] / asked if asked else 0.0
    stages_covered = tuple(sorted({turn.stage for turn in log.turns if turn.analysis.is_question}))
    stages_missing = [n for n in STAGES if n not in stages_covered]
    covered = set(covered_checklist_items(turn.question for turn in log.turns))
    checklist_missed = tuple(item.id for item in conversation_checklist() if item.id not in covered)
    reflected = any(reflects_back(turn.question) for turn in log.turns)
    tips = _choose_tips(counts, open_share, stages_missing, checklist_missed, reflected)
    return RehearsalSummary(open_share, stages_covered, checklist_missed, tips, counts)


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def compare(current: RehearsalSummary, previous: RehearsalSummary) -> str:
    """A plain sentence on how open-question share and coverage changed since the last rehearsal."""
    before, now = round(previous.open_share * 100), round(current.open_share * 100)
    if now > before:
        opening = f"Your open questions rose from {_percent(previous.open_share)} to {_percent(current.open_share)}"
    elif now < before:
        opening = f"Your open questions fell from {_percent(previous.open_share)} to {_percent(current.open_share)}"
    else:
        opening = f"Your open questions stayed at {_percent(current.open_share)}"
    total = len(STAGES)
    stages_before, stages_now = len(previous.stages_covered), len(current.stages_covered)
    if stages_now == stages_before:
        stages = f"you covered {stages_now} of {total} stages both times"
    else:
        stages = f"you covered {stages_now} of {total} stages (last time {stages_before})"
    items = len(conversation_checklist())
    done_before = items - len(previous.checklist_missed)
    done_now = items - len(current.checklist_missed)
    if done_now == done_before:
        checklist = f"{done_now} of {items} checklist items, the same as before"
    else:
        checklist = f"{done_now} of {items} checklist items (last time {done_before})"
    return f"{opening}; {stages}, and {checklist}."


def feedback(analysis: QuestionAnalysis) -> str:
    """Short, specific feedback on one question: what worked, or why it is closed/leading, plus a rewrite."""
    reason = analysis.reasons[0] if analysis.reasons else ""
    reason_lower = reason[:1].lower() + reason[1:] if reason and not reason.startswith("'") else reason
    try_line = f' Try: "{analysis.rewrite}"' if analysis.rewrite else ""
    if analysis.type == "open":
        return f"Good open question: {reason_lower}"
    if analysis.type == "statement":
        if "reflects back" in reason:
            return f"Good reflecting back: {reason_lower}"
        return (
            "That's a statement rather than a question. To hear more from them, "
            "ask something open with 'what' or 'how'."
        )
    if analysis.type == "closed":
        return f"That's a closed question: {reason_lower}{try_line}"
    if analysis.type == "leading":
        return f"That's a leading question: {reason_lower}{try_line}"
    if analysis.type == "multiple":
        return f"That's several questions at once: {reason_lower}{try_line}"
    return f"That's a 'why' question: {reason_lower}{try_line}"
