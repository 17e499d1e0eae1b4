"""Development interventions: eligibility, ranking and one-line reasons.

:func:`suggest` takes a person's :class:`~bot.framework.Profile` and
:class:`~bot.framework.Placement` and returns a short, varied, deterministic
list of interventions from ``bot/content/interventions.yml``. Eligibility
(bands, staff groups, career stage or age, words the person used, first-time
leaders only) is a hard filter, and paused items are never offered; everything
else only ranks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Dict, List, Literal, Optional, Pattern, Sequence, Tuple, Union

from pydantic import validator

from bot.content import ContentError, Sourced, cached_items, load_items
from bot.framework import (
    BANDS,
    CAREER_STAGES,
    GROWTH_FOCUSES,
    IMPACT_LEVELS,
    READINESS_VALUES,
    STAFF_GROUPS,
    Placement,
    Profile,
)

INTERVENTIONS_FILE = "interventions.yml"

#: Kinds that look after the person rather than their next step: brought
#: forward for "not now" and consolidation.
WELLBEING_KINDS = frozenset({"wellbeing", "flexible_working", "adjustments"})
#: Kinds the engine falls back on so that a suggestion list is never empty.
FALLBACK_KINDS = ("coaching", "wellbeing")
#: Where an external fact may come from (see the interventions file header).
SOURCE_PREFIXES = ("seed:", "brief:", "project:", "https://")

AnyValue = Literal["any"]
#: Whether a person can take an item up today. "paused" items are never suggested; "check_locally" ones say so.
Status = Literal["available", "check_locally", "paused"]
STATUS_WORDS: Dict[str, str] = {"available": "available", "check_locally": "check locally", "paused": "paused"}


class InterventionEntry(Sourced):
    """One intervention as written in ``interventions.yml``."""

    id: str
    name: str
    description: str
    helps: str
    # ``helps`` said to a line manager recording an outcome, of the member of staff ("lets them earn..."); optional:
    # without it the manager reads the clause staff read.
    helps_of_them: str = ""
    # The description, status note and provider said to a line manager, of the member of staff ("with you (their line
    # manager), HR and occupational health"), where the staff wording speaks to them; optional, as helps_of_them.
    description_of_them: str = ""
    status_note_of_them: str = ""
    provider_of_them: Optional[str] = None
    kind: str
    aimed_at: str
    status: Status
    status_note: str
    status_source: str
    status_checked: dt.date
    growth: List[str]
    impact: Union[AnyValue, List[str]] = "any"
    readiness: Union[AnyValue, List[str]] = "any"
    segments: List[str] = []
    bands: Union[AnyValue, List[str]]
    staff_groups: Union[AnyValue, List[str]] = "any"
    min_age: Optional[int] = None
    max_age: Optional[int] = None
    career_stages: List[str] = []
    unless_mentions: List[str] = []
    only_if_mentions: List[str] = []
    not_if_mentions: List[str] = []
    new_leaders_only: bool = False
    keywords: List[str] = []
    priority: float = 0
    time: Optional[str] = None
    cost: Optional[str] = None
    provider: Optional[str] = None
    link: Optional[str] = None
    no_link: Optional[str] = None  # why there is no public page: arranged where you work

    @validator("id")
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError("use lower-case letters, digits and hyphens")
        return value

    @validator("kind")
    def _kind(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z_]*", value):
            raise ValueError("use lower-case letters and underscores, e.g. coaching or flexible_working")
        return value

    @validator("growth")
    def _growth(cls, value: List[str]) -> List[str]:
        return _check_values(value, GROWTH_FOCUSES, allow_empty=False)

    @validator("impact")
    def _impact(cls, value: Union[str, List[str]]) -> Union[str, List[str]]:
        return value if value == "any" else _check_values(list(value), IMPACT_LEVELS, allow_empty=False)

    @validator("readiness")
    def _readiness(cls, value: Union[str, List[str]]) -> Union[str, List[str]]:
        return value if value == "any" else _check_values(list(value), READINESS_VALUES, allow_empty=False)

    @validator("segments", each_item=True)
    def _segment(cls, value: str) -> str:
        parts = value.split("-")
        if (
            len(parts) != 3
            or parts[0] not in GROWTH_FOCUSES
            or parts[1] not in IMPACT_LEVELS
            or parts[2] not in READINESS_VALUES
        ):
            raise ValueError(f"'{value}' is not a segment id like 'depth-strong-ready_now'")
        return value

    @validator("bands")
    def _bands(cls, value: Union[str, List[str]]) -> Union[str, List[str]]:
        return value if value == "any" else _check_values(list(value), BANDS, allow_empty=False)

    @validator("staff_groups")
    def _staff_groups(cls, value: Union[str, List[str]]) -> Union[str, List[str]]:
        if value == "any":
            return value
        if not value:
            raise ValueError('list at least one staff group, or write "any"')
        return _check_values([group.strip().lower() for group in value], STAFF_GROUPS, allow_empty=False)

    @validator("career_stages")
    def _career_stages(cls, value: List[str]) -> List[str]:
        return _check_values(value, CAREER_STAGES, allow_empty=True)

    @validator("min_age", "max_age")
    def _age(cls, value: Optional[int]) -> Optional[int]:
        if value is not None and not 16 <= value <= 100:
            raise ValueError("must be between 16 and 100")
        return value

    @validator("priority")
    def _priority(cls, value: float) -> float:
        if not -3 <= value <= 3:
            raise ValueError("must be between -3 and 3 (a small nudge to the ranking)")
        return value

    @validator("keywords", "unless_mentions", "only_if_mentions", "not_if_mentions", each_item=True)
    def _lower(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip().lower()

    @validator("source", "status_source")
    def _source(cls, value: str) -> str:
        if not value.startswith(SOURCE_PREFIXES):
            raise ValueError(f"must start with one of {', '.join(SOURCE_PREFIXES)}")
        return value

    @validator("link")
    def _link(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https:// address")
        return value


def _check_values(values: List[str], allowed: Sequence[str], allow_empty: bool) -> List[str]:
    if not values and not allow_empty:
        raise ValueError('list at least one value, or write "any"')
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValueError(f"unknown value(s) {', '.join(map(str, unknown))}; use {', '.join(allowed)}")
    return values


@dataclass(frozen=True)
class Intervention:
    """A development intervention. ``bands``/``staff_groups`` of ``None`` mean "any"."""

    id: str
    name: str
    description: str
    helps: str
    kind: str
    aimed_at: str
    status: str
    status_note: str
    status_source: str
    status_checked: dt.date
    growth: Tuple[str, ...]
    impact: Tuple[str, ...]
    readiness: Tuple[str, ...]
    segments: Tuple[str, ...]
    bands: Optional[Tuple[str, ...]]
    staff_groups: Optional[Tuple[str, ...]]
    min_age: Optional[int]
    max_age: Optional[int]
    career_stages: Tuple[str, ...]
    unless_mentions: Tuple[str, ...]
    only_if_mentions: Tuple[str, ...]
    not_if_mentions: Tuple[str, ...]
    new_leaders_only: bool
    keywords: Tuple[str, ...]
    priority: float
    time: Optional[str]
    cost: Optional[str]
    provider: Optional[str]
    link: Optional[str]
    no_link: Optional[str]
    source: str
    last_checked: dt.date
    helps_of_them: str = ""  # said of the member of staff, to a line manager (falls back to ``helps``)
    description_of_them: str = ""  # the same for the details (each falls back to the staff wording)
    status_note_of_them: str = ""
    provider_of_them: Optional[str] = None


@dataclass(frozen=True)
class Suggestion:
    """An intervention suggested to one person, with a one-line reason."""

    intervention: Intervention
    reason: str


def _convert(entry: InterventionEntry) -> Intervention:
    def clean(text: str) -> str:
        return " ".join(text.split())

    return Intervention(
        id=entry.id,
        name=clean(entry.name),
        description=clean(entry.description),
        helps=clean(entry.helps).rstrip("."),
        kind=entry.kind,
        aimed_at=clean(entry.aimed_at).rstrip("."),
        status=entry.status,
        status_note=clean(entry.status_note),
        status_source=entry.status_source,
        status_checked=entry.status_checked,
        growth=tuple(entry.growth),
        impact=IMPACT_LEVELS if entry.impact == "any" else tuple(entry.impact),
        readiness=READINESS_VALUES if entry.readiness == "any" else tuple(entry.readiness),
        segments=tuple(entry.segments),
        bands=None if entry.bands == "any" else tuple(entry.bands),
        staff_groups=None if entry.staff_groups == "any" else tuple(entry.staff_groups),
        min_age=entry.min_age,
        max_age=entry.max_age,
        career_stages=tuple(entry.career_stages),
        unless_mentions=tuple(entry.unless_mentions),
        only_if_mentions=tuple(entry.only_if_mentions),
        not_if_mentions=tuple(entry.not_if_mentions),
        new_leaders_only=entry.new_leaders_only,
        keywords=tuple(entry.keywords),
        priority=entry.priority,
        time=entry.time,
        cost=entry.cost,
        provider=entry.provider,
        link=entry.link,
        no_link=entry.no_link,
        source=entry.source,
        last_checked=entry.last_checked,
        helps_of_them=clean(entry.helps_of_them or entry.helps).rstrip("."),
        description_of_them=clean(entry.description_of_them or entry.description),
        status_note_of_them=clean(entry.status_note_of_them or entry.status_note),
        provider_of_them=entry.provider_of_them or entry.provider,
    )


def _open_to_everyone(item: Intervention) -> bool:
    return (item.bands is None and item.staff_groups is None and item.min_age is None and item.max_age is None
            and not item.career_stages and not item.only_if_mentions and item.status != "paused")


def _assemble(entries: Sequence[InterventionEntry], where: str) -> Tuple[Intervention, ...]:
    items = tuple(_convert(entry) for entry in entries)
    # suggest() promises never to return an empty list: that needs at least one
    # coaching or wellbeing item that nobody can be ineligible for.
    if not any(item.kind in FALLBACK_KINDS and _open_to_everyone(item) for item in items):
        raise ContentError(
            f"{where}: 'items' needs at least one intervention of kind {' or '.join(FALLBACK_KINDS)} "
            "with bands: any, staff_groups: any and no min_age (the fallback suggestion)"
        )
    return items


def load_interventions(directory: Optional[Path] = None) -> Tuple[Intervention, ...]:
    """Read and check ``interventions.yml`` (from ``directory`` if it has one)."""
    return _assemble(load_items(INTERVENTIONS_FILE, InterventionEntry, directory=directory), INTERVENTIONS_FILE)


@cache
def catalogue() -> Tuple[Intervention, ...]:
    """The configured interventions, read once per process."""
    return _assemble(cached_items(INTERVENTIONS_FILE, InterventionEntry), INTERVENTIONS_FILE)


def item(intervention_id: str) -> Intervention:
    """One intervention of the catalogue by its id (KeyError if unknown)."""
    found = next((i for i in catalogue() if i.id == intervention_id), None)
    if found is None:
        raise KeyError(intervention_id)
    return found


# --- matching the person's words ------------------------------------------------


@lru_cache(maxsize=4096)
def _word_start(phrase: str) -> Pattern[str]:
    # Keywords are word starts: "manag" matches "manager" and "managing".
    return re.compile(r"(?<![a-z0-9])" + re.escape(phrase))


def _first_mention(text: str, phrases: Sequence[str]) -> Optional[re.Match[str]]:
    lowered = text.lower()
    found: Optional[re.Match[str]] = None
    for phrase in phrases:
        match = _word_start(phrase).search(lowered)
        if match is not None and (found is None or match.start() < found.start()):
            found = match
    return found


def mentions(text: str, phrases: Sequence[str]) -> bool:
    """Whether ``text`` mentions any of ``phrases`` (as word starts, any case)."""
    return _first_mention(text, phrases) is not None


def _snippet(text: str, start: int, before: int = 2, after: int = 3) -> str:
    """A few of the person's own words around position ``start``."""
    words = list(re.finditer(r"\S+", text))
    index = next((i for i, word in enumerate(words) if word.end() > start), len(words) - 1)
    chosen = words[max(0, index - before) : index + after + 1]
    kept = [word.group().strip(",.;:!?\"'()") for word in chosen]
    # A quotation that ends on "and" or "the" reads as cut off: trim such words.
    while len(kept) > 1 and kept[-1].lower() in _DANGLING:
        kept.pop()
    return " ".join(kept).strip()


_DANGLING = frozenset(
    {"and", "or", "but", "a", "an", "the", "to", "of", "in", "on", "for", "with", "my", "at", "as", "so"}
)


# --- eligibility and ranking ------------------------------------------------------


def is_eligible(item: Intervention, profile: Profile) -> bool:
    """Whether ``item`` is for this person: band, staff group, career stage and what they said.

    Eligibility is never assumed from silence, with one exception: an item written for some bands *and* for
    the person's staff group (Talent for Care routes for clinical support staff) is offered when they have
    not said their band, so a healthcare assistant who never mentions a band still sees their routes.
    """
    if item.bands is not None and profile.band not in item.bands:
        said_group_only = profile.band is None and item.staff_groups is not None
        if not said_group_only:
            return False
    if item.staff_groups is not None and profile.staff_group not in item.staff_groups:
        return False
    if item.new_leaders_only and profile.leads_team:
        return False
    words = f"{profile.role} {profile.aspiration}"
    if item.only_if_mentions and not mentions(words, item.only_if_mentions):
        return False
    if mentions(words, item.not_if_mentions):
        return False
    staged = item.min_age is not None or item.max_age is not None or bool(item.career_stages)
    return not staged or (
        _in_age_range(item, profile.age)
        or profile.career_stage in item.career_stages
        or mentions(profile.aspiration, item.unless_mentions)
    )


def _in_age_range(item: Intervention, age: Optional[int]) -> bool:
    if age is None or (item.min_age is None and item.max_age is None):
        return False
    return (item.min_age is None or age >= item.min_age) and (item.max_age is None or age <= item.max_age)


def respects_choice(item: Intervention, placement: Placement) -> bool:
    """Consolidation is a first-class choice: never offer it stretch-only or breadth-only items."""
    if placement.growth != "consolidate":
        return True
    return bool({"consolidate", "depth"} & set(item.growth)) or item.kind in WELLBEING_KINDS


@dataclass(frozen=True)
class _Candidate:
    item: Intervention
    order: int
    score: float
    snippet: str
    relevant: bool


def _score(item: Intervention, order: int, profile: Profile, placement: Placement) -> _Candidate:
    score = 0.0
    growth_match = placement.growth in item.growth
    if growth_match:
        # A focus the person skipped is only where the coach started from: their own words about where they want to
        # go weigh more than it does.
        score += 4 if profile.growth_given else 1
    if placement.impact in item.impact:
        score += 1
    if placement.readiness in item.readiness:
        score += 2
    if placement.segment.id in item.segments:
        score += 3
    if profile.career_stage in item.career_stages:
        score += 3  # they told us where they are in their career: its conversations come first

    snippet = ""
    if item.keywords and profile.aspiration:
        hits = [m for m in (_word_start(k).search(profile.aspiration.lower()) for k in item.keywords) if m]
        if hits:
            first = min(hits, key=lambda m: m.start())
            snippet = _snippet(profile.aspiration, first.start())
            score += 3 + 0.5 * min(len(hits) - 1, 2)

    resting = placement.readiness == "not_now" or (placement.growth == "consolidate" and profile.growth_given)
    if resting:
        # "Not now" brings well-being and depth forward and moves pure moves back.
        if item.kind in WELLBEING_KINDS:
            score += 3
        if {"depth", "consolidate"} & set(item.growth):
            score += 1.5
        else:
            score -= 3
    if item.bands is not None:
        score += 1  # written for the person's band
    score += item.priority

    relevant = growth_match or bool(snippet) or (resting and item.kind in WELLBEING_KINDS)
    return _Candidate(item, order, score, snippet, relevant)


CONSOLIDATING = "consolidate"  # among what the reasons have said already
FOCUS = "focus"  # and "Suits your focus on ..."


@dataclass(frozen=True)
class Voice:
    """Who a reason is said to: the member of staff ("you"), or their line manager recording the outcome ("they")."""

    mentioned: str
    chose: str
    where: str
    stage: str
    focus: str
    of_them: bool


TO_STAFF = Voice("You mentioned", "You chose", "where you are", "At this stage of your career", "Suits your focus on",
                 of_them=False)
TO_MANAGER = Voice("They mentioned", "They chose", "where they are", "At this stage of their career",
                   "Suits their focus on", of_them=True)


def _reason(candidate: _Candidate, profile: Profile, placement: Placement, quoted: set[str], voice: Voice) -> str:
    item = candidate.item
    helps = item.helps_of_them if voice.of_them else item.helps
    if candidate.snippet and candidate.snippet not in quoted:  # their words once, not five times over
        quoted.add(candidate.snippet)
        text = f'{voice.mentioned} "{candidate.snippet}": this {helps}.'
    elif placement.readiness == "not_now" and item.kind in WELLBEING_KINDS:
        text = f"As now is not the time for a change, this {helps}."
    elif placement.growth == "consolidate" and placement.growth in item.growth:
        chose = f"{voice.chose} to consolidate" if profile.growth_given else "For consolidating"  # not when skipped
        text = f"This {helps}." if CONSOLIDATING in quoted else f"{chose} {voice.where}: this {helps}."
        quoted.add(CONSOLIDATING)  # said once, not five times over
    elif _in_age_range(item, profile.age) or profile.career_stage in item.career_stages:
        text = f"{voice.stage}, this {helps}."
    elif placement.growth in item.growth:
        suits = "This" if FOCUS in quoted else f"{voice.focus} {placement.growth}: this"
        text = f"{suits} {helps}."
        quoted.add(FOCUS)  # said once, not five times over
    else:
        text = f"This {helps}."
    return " ".join(text.split())


def suggest(
    profile: Profile,
    placement: Placement,
    limit: int = 5,
    interventions: Optional[Sequence[Intervention]] = None,
    voice: Voice = TO_STAFF,
) -> List[Suggestion]:
    """Ranked, varied, eligible interventions for one person; never empty.

    Only eligible items are offered (:func:`is_eligible`), and consolidation
    chosen is never offered stretch (:func:`respects_choice`); a growth focus
    the person skipped leaves their aspiration to lead. The top results show
    at most one item per kind where there are enough kinds. Ties break on
    file order, so the answer is deterministic.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    items = catalogue() if interventions is None else tuple(interventions)
    candidates = [
        _score(item, order, profile, placement)
        for order, item in enumerate(items)
        if item.status != "paused" and is_eligible(item, profile)
        and (respects_choice(item, placement) or not profile.growth_given)  # a skipped focus chose nothing
    ]
    ranked = sorted((c for c in candidates if c.relevant), key=lambda c: (-c.score, c.order))

    chosen: List[_Candidate] = []
    kinds: set[str] = set()
    for candidate in ranked:
        if candidate.item.kind not in kinds:
            chosen.append(candidate)
            kinds.add(candidate.item.kind)
        if len(chosen) == limit:
            break
    for candidate in ranked:
        if len(chosen) == limit:
            break
        if candidate not in chosen:
            chosen.append(candidate)

    if not chosen:
        fallback = sorted(
            (c for c in candidates if c.item.kind in FALLBACK_KINDS),
            key=lambda c: (FALLBACK_KINDS.index(c.item.kind), c.order),
        )
        if not fallback:
            raise ContentError(f"{INTERVENTIONS_FILE}: no coaching or wellbeing intervention this person can take up")
        chosen = fallback[:limit]
    quoted: set[str] = set()
    return [Suggestion(c.item, _reason(c, profile, placement, quoted, voice)) for c in chosen]


def standing(item: Intervention) -> str:
    """Whether it can be taken up and who it is aimed at, as guidance: "Check locally. Aimed at ..."."""
    return f"{STATUS_WORDS[item.status].capitalize()}. Aimed at {item.aimed_at}."


def in_full(item: Intervention, voice: Voice = TO_STAFF) -> str:
    """Everything the catalogue says about an item, for "tell me more", said to the member of staff or, of them, to
    their line manager."""
    description, note, provider = ((item.description_of_them, item.status_note_of_them, item.provider_of_them)
                                   if voice.of_them else (item.description, item.status_note, item.provider))
    facts = [f"{item.name}. {description}", f"Aimed at {item.aimed_at}.",
             f"{STATUS_WORDS[item.status].capitalize()}: {note} (checked {item.status_checked:%B %Y})"]
    facts += [f"{label}: {value}" for label, value in
              (("Provider", provider), ("Time", item.time), ("Cost", item.cost), ("More at", item.link)) if value]
    return "\n".join(facts)


def suggestion_as_dict(suggestion: Suggestion) -> Dict[str, object]:
    """A JSON-ready dictionary of one suggestion (optional fields only when known)."""
    item = suggestion.intervention
    data: Dict[str, object] = {
        "id": item.id,
        "name": item.name,
        "kind": item.kind,
        "reason": suggestion.reason,
        "description": item.description,
        "aimed_at": item.aimed_at,
        "status": item.status,
        "status_note": item.status_note,
        "status_checked": item.status_checked.isoformat(),
        "status_source": item.status_source,
    }
    for key in ("provider", "time", "cost", "link"):
        value = getattr(item, key)
        if value is not None:
            data[key] = value
    data["source"] = item.source
    data["last_checked"] = item.last_checked.isoformat()
    return data
