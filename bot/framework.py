"""The Scope for Growth framework: growth focus, impact, readiness and segments.

A person chooses where they sit (the framework is employee-led); :func:`place`
turns that choice into a :class:`Placement` with a plain-English explanation.
The segment table and the wording shown to staff live in
``bot/content/segments.yml`` so an organisation can replace them with its
official table without changing code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from pydantic import BaseModel, root_validator, validator

from bot.content import ContentError, Sourced, cached_items, load_items

SEGMENTS_FILE = "segments.yml"

#: The growth focuses, impact levels and readiness values the code understands.
#: Content files supply their labels and explanations, not new values: the
#: engine treats "consolidate" and "not_now" specially.
GROWTH_FOCUSES: Tuple[str, ...] = ("consolidate", "depth", "breadth", "stretch")
IMPACT_LEVELS: Tuple[str, ...] = ("developing", "solid", "strong")
READINESS_VALUES: Tuple[str, ...] = ("not_now", "ready_later", "ready_now")

_BAND_PATTERN = re.compile(r"^(?:(?:nhs|afc|agenda\s+for\s+change)\s*)*(?:band\s*)?(?P<band>[1-79]|8\s*[a-d])$")
_BAND_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "nine": "9",
}
#: Staff groups the coach knows (the values of ``staff_groups`` in interventions.yml).
STAFF_GROUPS: Tuple[str, ...] = (
    "nursing",
    "midwifery",
    "medical",
    "allied_health",
    "healthcare_science",
    "pharmacy",
    "support",
    "admin",
    "estates",
    "management",
    "ambulance",
)
#: Each staff group as people say it, after the NHS workforce statistics' groups.
STAFF_GROUP_NAMES: Dict[str, str] = {
    "nursing": "nursing", "midwifery": "midwifery", "medical": "medical and dental",
    "allied_health": "allied health professionals", "healthcare_science": "healthcare science",
    "pharmacy": "pharmacy", "support": "support to clinical staff", "admin": "administrative and clerical",
    "estates": "estates and facilities", "management": "management", "ambulance": "ambulance",
}
#: Career stages a person may choose to give (optional): they bring forward the People Plan's mid-career and
#: later-career conversations without asking for an age.
CAREER_STAGES: Tuple[str, ...] = ("early", "mid", "later", "retiring")
#: Every Agenda for Change band, in order. Band 8 is only ever 8a-8d.
BANDS: Tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")


# --- content schemas ----------------------------------------------------------


class SaidOfThem(BaseModel):
    """An option a line manager also reads when recording the agreed outcome: ``of_them`` is its first sentence said
    of the member of staff ("They are ready to act on their growth now"). Optional: without it the manager reads the
    sentence staff read."""

    of_them: str = ""


class GrowthFocusEntry(Sourced, SaidOfThem):
    """One growth focus as shown to staff when they choose."""

    id: str
    label: str
    explanation: str
    examples: List[str]
    # How people say it in their own words when they type rather than press the button ("going deeper in my
    # field"), matched on lemmas; a message that names more than one focus picks none.
    said_as: List[str] = []

    @validator("id")
    def _known_growth(cls, value: str) -> str:
        if value not in GROWTH_FOCUSES:
            raise ValueError(f"must be one of {', '.join(GROWTH_FOCUSES)}")
        return value

    @validator("examples")
    def _two_or_three_examples(cls, value: List[str]) -> List[str]:
        if not 2 <= len(value) <= 3:
            raise ValueError("give 2 or 3 examples")
        return value


class ImpactLevelEntry(SaidOfThem):
    """One impact level with a plain description."""

    id: str
    label: str
    description: str

    @validator("id")
    def _known_impact(cls, value: str) -> str:
        if value not in IMPACT_LEVELS:
            raise ValueError(f"must be one of {', '.join(IMPACT_LEVELS)}")
        return value


class ReadinessEntry(SaidOfThem):
    """One readiness (timing) value with a plain description."""

    id: str
    label: str
    description: str

    @validator("id")
    def _known_readiness(cls, value: str) -> str:
        if value not in READINESS_VALUES:
            raise ValueError(f"must be one of {', '.join(READINESS_VALUES)}")
        return value


class SegmentEntry(Sourced):
    """One segment: a growth focus x impact level x readiness cell."""

    id: str
    name: str
    description: str
    growth: str
    impact: str
    readiness: str

    @validator("growth")
    def _growth(cls, value: str) -> str:
        if value not in GROWTH_FOCUSES:
            raise ValueError(f"must be one of {', '.join(GROWTH_FOCUSES)}")
        return value

    @validator("impact")
    def _impact(cls, value: str) -> str:
        if value not in IMPACT_LEVELS:
            raise ValueError(f"must be one of {', '.join(IMPACT_LEVELS)}")
        return value

    @validator("readiness")
    def _readiness(cls, value: str) -> str:
        if value not in READINESS_VALUES:
            raise ValueError(f"must be one of {', '.join(READINESS_VALUES)}")
        return value

    @root_validator(skip_on_failure=True)
    def _id_matches_cell(cls, values: Dict[str, str]) -> Dict[str, str]:
        expected = f"{values['growth']}-{values['impact']}-{values['readiness']}"
        if values.get("id") != expected:
            raise ValueError(f"id must be '{expected}' for this growth, impact and readiness")
        return values


# --- domain objects -----------------------------------------------------------


class CareerStageEntry(BaseModel):
    """A career stage a person may choose, with what it means (``career_stages`` in journey.yml)."""

    id: str
    label: str
    description: str
    said_as: List[str] = []  # in people's own words, matched on lemmas
    ages: Optional[Tuple[int, int]] = None  # the ages it points to, from and to
    years_in: Optional[Tuple[int, int]] = None  # the years of service it points to, from and to

    @validator("id")
    def _known_stage(cls, value: str) -> str:  # noqa: N805 - pydantic validator
        if value not in CAREER_STAGES:
            raise ValueError(f"unknown career stage '{value}', expected one of {', '.join(CAREER_STAGES)}")
        return value


def career_stages() -> List[CareerStageEntry]:
    """The career stages offered by the optional journal question, in the order written."""
    return cached_items("journey.yml", CareerStageEntry, key="career_stages")


@dataclass(frozen=True)
class Profile:
    """What a person has said about themselves, as far as they chose to say it.

    ``band`` is normalised on creation ("Band 8A" becomes "8a"); an unknown
    band, growth focus, impact level or readiness raises :class:`ValueError`.
    """

    band: Optional[str]
    staff_group: Optional[str]
    growth: str
    impact: str
    readiness: Optional[str]
    age: Optional[int]
    aspiration: str
    role: str = ""  # their current role in their own words ("healthcare assistant on a surgical ward")
    career_stage: Optional[str] = None
    leads_team: bool = False  # they already lead or manage people
    # Whether the person chose their growth focus and said their impact, or skipped them and the defaults stand in
    growth_given: bool = True
    impact_given: bool = True

    def __post_init__(self) -> None:
        if self.band is not None:
            band = normalise_band(self.band)
            if band is None:
                raise ValueError(f"band {self.band!r} is not an Agenda for Change band (use 1-7, 8a-8d or 9)")
            object.__setattr__(self, "band", band)
        if self.staff_group is not None:
            object.__setattr__(self, "staff_group", self.staff_group.strip().lower() or None)
        if self.growth not in GROWTH_FOCUSES:
            raise ValueError(f"growth must be one of {', '.join(GROWTH_FOCUSES)}, not {self.growth!r}")
        if self.impact not in IMPACT_LEVELS:
            raise ValueError(f"impact must be one of {', '.join(IMPACT_LEVELS)}, not {self.impact!r}")
        if self.readiness is not None and self.readiness not in READINESS_VALUES:
            raise ValueError(f"readiness must be one of {', '.join(READINESS_VALUES)}, not {self.readiness!r}")
        if self.age is not None and not 16 <= self.age <= 100:
            raise ValueError(f"age must be between 16 and 100, not {self.age}")
        if self.career_stage is not None and self.career_stage not in CAREER_STAGES:
            raise ValueError(f"career stage must be one of {', '.join(CAREER_STAGES)}, not {self.career_stage!r}")
        object.__setattr__(self, "aspiration", " ".join((self.aspiration or "").split()))
        object.__setattr__(self, "role", " ".join((self.role or "").split()))


@dataclass(frozen=True)
class Segment:
    """A cell of the framework: growth focus x impact level x readiness."""

    id: str
    name: str
    description: str
    growth: str
    impact: str
    readiness: str


@dataclass(frozen=True)
class Placement:
    """Where a person sits on the framework, and why, in their own words."""

    segment: Segment
    explanation: str
    growth: str
    impact: str
    readiness: str


@dataclass(frozen=True)
class GrowthOption:
    """A growth focus as offered to staff: label, plain explanation, examples."""

    id: str
    label: str
    explanation: str
    examples: Tuple[str, ...]
    said_as: Tuple[str, ...] = ()
    of_them: str = ""


@dataclass(frozen=True)
class Framework:
    """The whole framework content: axis wording and the segment table."""

    growth: Tuple[GrowthFocusEntry, ...]
    impact: Tuple[ImpactLevelEntry, ...]
    readiness: Tuple[ReadinessEntry, ...]
    segments: Tuple[Segment, ...]

    def segment(self, growth: str, impact: str, readiness: str) -> Segment:
        """The segment for one cell."""
        wanted = f"{growth}-{impact}-{readiness}"
        for segment in self.segments:
            if segment.id == wanted:
                return segment
        raise ContentError(f"{SEGMENTS_FILE}: no segment '{wanted}'")

    def growth_entry(self, growth: str) -> GrowthFocusEntry:
        """The wording for one growth focus."""
        return next(entry for entry in self.growth if entry.id == growth)

    def impact_entry(self, impact: str) -> ImpactLevelEntry:
        """The wording for one impact level."""
        return next(entry for entry in self.impact if entry.id == impact)

    def readiness_entry(self, readiness: str) -> ReadinessEntry:
        """The wording for one readiness value."""
        return next(entry for entry in self.readiness if entry.id == readiness)


# --- loading ------------------------------------------------------------------


def _assemble(
    growth: List[GrowthFocusEntry],
    impact: List[ImpactLevelEntry],
    readiness: List[ReadinessEntry],
    segments: List[SegmentEntry],
) -> Framework:
    # Each axis must be complete, and every cell must have a segment, or
    # place() could not answer for some choices.
    for key, entries, wanted in (
        ("growth", growth, GROWTH_FOCUSES),
        ("impact", impact, IMPACT_LEVELS),
        ("readiness", readiness, READINESS_VALUES),
    ):
        missing = [value for value in wanted if value not in {entry.id for entry in entries}]
        if missing:
            raise ContentError(f"{SEGMENTS_FILE}: '{key}' is missing {', '.join(missing)}")
    cells = {segment.id for segment in segments}
    missing_cells = [
        f"{g}-{i}-{r}"
        for g in GROWTH_FOCUSES
        for i in IMPACT_LEVELS
        for r in READINESS_VALUES
        if f"{g}-{i}-{r}" not in cells
    ]
    if missing_cells:
        raise ContentError(f"{SEGMENTS_FILE}: 'items' has no segment for {', '.join(missing_cells)}")
    return Framework(
        growth=tuple(sorted(growth, key=lambda entry: GROWTH_FOCUSES.index(entry.id))),
        impact=tuple(sorted(impact, key=lambda entry: IMPACT_LEVELS.index(entry.id))),
        readiness=tuple(sorted(readiness, key=lambda entry: READINESS_VALUES.index(entry.id))),
        segments=tuple(
            Segment(s.id, s.name, " ".join(s.description.split()), s.growth, s.impact, s.readiness) for s in segments
        ),
    )


def load_framework(directory: Optional[Path] = None) -> Framework:
    """Read and check ``segments.yml`` (from ``directory`` if it has one)."""
    return _assemble(
        load_items(SEGMENTS_FILE, GrowthFocusEntry, key="growth", directory=directory),
        load_items(SEGMENTS_FILE, ImpactLevelEntry, key="impact", directory=directory),
        load_items(SEGMENTS_FILE, ReadinessEntry, key="readiness", directory=directory),
        load_items(SEGMENTS_FILE, SegmentEntry, key="items", directory=directory),
    )


@cache
def framework() -> Framework:
    """The configured framework, read once per process."""
    return _assemble(
        cached_items(SEGMENTS_FILE, GrowthFocusEntry, key="growth"),
        cached_items(SEGMENTS_FILE, ImpactLevelEntry, key="impact"),
        cached_items(SEGMENTS_FILE, ReadinessEntry, key="readiness"),
        cached_items(SEGMENTS_FILE, SegmentEntry, key="items"),
    )


# --- public functions ---------------------------------------------------------


def normalise_band(text: Optional[str]) -> Optional[str]:
    """Agenda for Change band in canonical form ("8A", "Band 8c", "AfC band 3" -> "8a", "8c", "3").

    Returns ``None`` for anything that is not a band (including plain "8",
    which is always 8a-8d, and bands above 9).
    """
    if text is None:
        return None
    cleaned = " ".join(text.strip().lower().replace(":", " ").replace("-", " ").split())
    for word, digit in _BAND_WORDS.items():
        cleaned = re.sub(rf"\b{word}\b", digit, cleaned)
    match = _BAND_PATTERN.match(cleaned)
    if match is None:
        return None
    return match.group("band").replace(" ", "")


def growth_options(source: Optional[Framework] = None) -> List[GrowthOption]:
    """The four growth focuses with the explanation and examples shown to staff."""
    content = source or framework()
    return [
        GrowthOption(entry.id, entry.label, " ".join(entry.explanation.split()), tuple(entry.examples),
                     tuple(entry.said_as), " ".join(entry.of_them.split()))
        for entry in content.growth
    ]


_NOT_NOW = re.compile(
    r"\b(not now|not yet|not ready|not at the moment|not right now|not this year|no change|stay (?:put|where i am)"
    r"|happy where i am|happy in my (?:role|job)|take a break|step back|slow down|for now)\b"
)
_LATER = re.compile(
    r"\b(next year|in (?:a|one|two|three|a few|few|the next) (?:years?|months)|in the future|in future|one day"
    r"|eventually|longer term|long term|in time|later on|some day|someday|by \d{4})\b"
)
_NOW = re.compile(r"\b(now|ready|straight away|right away|this year|asap|soon|as soon as|immediately)\b")


def readiness_from_words(aspiration: str) -> Optional[str]:
    """Timing the person stated in their own words, if any ("not yet", "next year", "now")."""
    text = aspiration.lower()
    # "not ready" contains "ready": test the negative and the later forms first.
    if _NOT_NOW.search(text):
        return "not_now"
    if _LATER.search(text):
        return "ready_later"
    if _NOW.search(text):
        return "ready_now"
    return None


def default_readiness(growth: str, aspiration: str = "") -> str:
    """Readiness when the person has not chosen one.

    Their own words win. Otherwise consolidating means "not now"; deepening
    expertise can start now in the current role; breadth and stretch are a
    move to prepare for, so "ready later". Nothing is assumed upwards.
    """
    stated = readiness_from_words(aspiration)
    if growth == "consolidate":
        # Consolidating is never read as "ready for a move", whatever the wording.
        return "ready_later" if stated == "ready_later" else "not_now"
    if stated is not None:
        return stated
    return "ready_now" if growth == "depth" else "ready_later"


_LEADS = re.compile(
    r"^(?:i(?:'m| am|'d)?\s+)?(?:(?:really|would|'d|do|just)\s+)*"
    r"(?:want(?:ing)?|like|love|hope|hoping|aim|aiming|plan|planning|wish|intend|hope|keen|looking)\s+to\s+",
    re.IGNORECASE,
)


# Aspirations often arrive already stripped of "I want to" ("become a ward manager").
_GOAL_VERBS = frozenset(
    {
        "become", "be", "get", "move", "lead", "train", "work", "stay", "develop", "learn", "take", "go", "do", "keep",
        "run", "manage", "step", "try", "study", "retire", "grow", "build", "find", "start", "return", "reduce",
        "qualify", "apply", "join", "specialise", "specialize", "progress", "make", "explore", "change", "teach",
        "improve", "spend", "focus", "gain", "complete", "finish", "look",
    }
)  # fmt: skip


def aspiration_quote(aspiration: str, max_words: int = 14) -> str:
    """A short quotation of the person's aspiration, trimmed to ``max_words`` words."""
    words = aspiration.strip().rstrip(".!?;, ").split()
    quote = " ".join(words[:max_words])
    return quote + ("..." if len(words) > max_words else "")


# The person's words said back to them: "stay where I am" -> "stay where you are".
_TO_SECOND_PERSON = {"i": "you", "i'm": "you're", "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
                     "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i am": "you are",
                     "i was": "you were"}
_FIRST_PERSON = re.compile(r"\b(i am|i was|i'm|i've|i'd|i'll|im|i|me|my|mine|myself)\b", re.IGNORECASE)


def second_person(words: str) -> str:
    """``words`` as the coach says them back: the person's "I" and "my" become "you" and "your"."""
    return _FIRST_PERSON.sub(lambda m: _TO_SECOND_PERSON[m.group(0).lower().replace("’", "'")], words)


def _echo(aspiration: str) -> str:
    """Reflect the aspiration back: 'You'd like to become a ward manager.' or a quotation."""
    if not aspiration:
        return ""
    stripped = _LEADS.sub("", aspiration.strip())
    if stripped and (stripped != aspiration.strip() or stripped.split()[0].lower() in _GOAL_VERBS):
        said = stripped[0].lower() + stripped[1:] if stripped[1:2].islower() else stripped  # "Lead", not "NHS"
        return f"You'd like to {second_person(aspiration_quote(said))}."
    return f'You said: "{aspiration_quote(aspiration)}".'


def place(profile: Profile, source: Optional[Framework] = None) -> Placement:
    """Place a person on the framework from their own choices.

    Pure: the growth focus and impact are the person's; readiness defaults
    from their words and focus (see :func:`default_readiness`). "Consolidate
    / not now" is a first-class outcome and is never nudged towards stretch.
    """
    content = source or framework()
    readiness = profile.readiness or default_readiness(profile.growth, profile.aspiration)
    segment = content.segment(profile.growth, profile.impact, readiness)
    growth = content.growth_entry(profile.growth)
    impact = content.impact_entry(profile.impact)
    timing = content.readiness_entry(readiness)

    sentences = [_echo(profile.aspiration)]
    assumed = []  # what the person skipped and the coach stood in for: never said to be their choice
    if not profile.growth_given:
        assumed.append(f"You didn't choose a growth focus, so I've started from \"{growth.label.lower()}\"")
    elif profile.growth == "consolidate":
        sentences.append(
            "You chose to consolidate for now: staying where you are and strengthening what you already do well. "
            "That is valued just as much as any other choice, and nobody should push you towards stretch."
        )
    else:
        sentences.append(f"You chose {growth.label.lower()}: {first_sentence(growth.explanation)}")
    if profile.impact_given:
        sentences.append(f"You see your impact as {impact.label.lower()}.")
    else:
        assumed.append(f"You didn't say how you see your impact, so I've taken it as {impact.label.lower()}")
    if profile.readiness is None:
        assumed.append(f"You didn't say when, so I've taken it as \"{timing.label.lower()}\"")
    else:
        sentences.append(f'On timing, you said "{timing.label.lower()}".')
    if assumed:
        them = "that" if len(assumed) == 1 else "these"
        sentences.append(". ".join(assumed) + f"; you can change {them} at any time.")
    sentences.append(f'That puts you in "{segment.name}", a starting point for your conversation, not a judgement.')
    explanation = " ".join(part for part in sentences if part)
    return Placement(
        segment=segment, explanation=explanation, growth=profile.growth, impact=profile.impact, readiness=readiness
    )


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, starting in lower case (it follows a label or a clause)."""
    text = " ".join(text.split())
    end = text.find(". ")
    sentence = text if end == -1 else text[: end + 1]
    sentence = sentence[0].lower() + sentence[1:] if sentence else sentence
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."
