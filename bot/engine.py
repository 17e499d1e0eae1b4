"""Development interventions: eligibility, ranking and one-line reasons.

:func:`suggest` takes a person's :class:`~bot.framework.Profile` and
:class:`~bot.framework.Placement` and returns a short, varied, deterministic
list of interventions from ``bot/content/interventions.yml``. Eligibility
(bands, staff groups, age) is a hard filter; everything else only ranks.
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
from bot.framework import BANDS, GROWTH_FOCUSES, IMPACT_LEVELS, READINESS_VALUES, STAFF_GROUPS, Placement, Profile

INTERVENTIONS_FILE = "interventions.yml"

#: Kinds that look after the person rather than their next step: brought
#: forward for "not now" and consolidation.
WELLBEING_KINDS = frozenset({"wellbeing", "flexible_working", "adjustments"})
#: Kinds the engine falls back on so that a suggestion list is never empty.
FALLBACK_KINDS = ("coaching", "wellbeing")
#: Where an external fact may come from (see the interventions file header).
SOURCE_PREFIXES = ("seed:", "brief:", "project:", "https://")

AnyValue = Literal["any"]


class InterventionEntry(Sourced):
    """One intervention as written in ``interventions.yml``."""

    id: str
    name: str
    description: str
    helps: str
    kind: str
    growth: List[str]
    impact: Union[AnyValue, List[str]] = "any"
    readiness: Union[AnyValue, List[str]] = "any"
    segments: List[str] = []
    bands: Union[AnyValue, List[str]]
    staff_groups: Union[AnyValue, List[str]] = "any"
    min_age: Optional[int] = None
    max_age: Optional[int] = None
    unless_mentions: List[str] = []
    keywords: List[str] = []
    priority: float = 0
    time: Optional[str] = None
    cost: Optional[str] = None
    provider: Optional[str] = None
    link: Optional[str] = None

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

    @validator("keywords", "unless_mentions", each_item=True)
    def _lower(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip().lower()

    @validator("source")
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
    growth: Tuple[str, ...]
    impact: Tuple[str, ...]
    readiness: Tuple[str, ...]
    segments: Tuple[str, ...]
    bands: Optional[Tuple[str, ...]]
    staff_groups: Optional[Tuple[str, ...]]
    min_age: Optional[int]
    max_age: Optional[int]
    unless_mentions: Tuple[str, ...]
    keywords: Tuple[str, ...]
    priority: float
    time: Optional[str]
    cost: Optional[str]
    provider: Optional[str]
    link: Optional[str]
    source: str
    last_checked: dt.date


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
        growth=tuple(entry.growth),
        impact=IMPACT_LEVELS if entry.impact == "any" else tuple(entry.impact),
        readiness=READINESS_VALUES if entry.readiness == "any" else tuple(entry.readiness),
        segments=tuple(entry.segments),
        bands=None if entry.bands == "any" else tuple(entry.bands),
        staff_groups=None if entry.staff_groups == "any" else tuple(entry.staff_groups),
        min_age=entry.min_age,
        max_age=entry.max_age,
        unless_mentions=tuple(entry.unless_mentions),
        keywords=tuple(entry.keywords),
        priority=entry.priority,
        time=entry.time,
        cost=entry.cost,
        provider=entry.provider,
        link=entry.link,
        source=entry.source,
        last_checked=entry.last_checked,
    )


def _open_to_everyone(item: Intervention) -> bool:
    return item.bands is None and item.staff_groups is None and item.min_age is None and item.max_age is None


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
    """Whether the person can take up ``item``: band, staff group and age rules.

    When an item is limited to some bands or staff groups and the person has
    not said theirs, it is not offered: eligibility is never assumed.
    """
    if item.bands is not None and profile.band not in item.bands:
        return False
    if item.staff_groups is not None and profile.staff_group not in item.staff_groups:
        return False
    age_limited = item.min_age is not None or item.max_age is not None
    return not (
        age_limited and not _in_age_range(item, profile.age) and not mentions(profile.aspiration, item.unless_mentions)
    )


def _in_age_range(item: Intervention, age: Optional[int]) -> bool:
    if age is None:
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
        score += 4
    if placement.impact in item.impact:
        score += 1
    if placement.readiness in item.readiness:
        score += 2
    if placement.segment.id in item.segments:
        score += 3

    snippet = ""
    if item.keywords and profile.aspiration:
        hits = [m for m in (_word_start(k).search(profile.aspiration.lower()) for k in item.keywords) if m]
        if hits:
            first = min(hits, key=lambda m: m.start())
            snippet = _snippet(profile.aspiration, first.start())
            score += 3 + 0.5 * min(len(hits) - 1, 2)

    resting = placement.readiness == "not_now" or placement.growth == "consolidate"
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


def _reason(candidate: _Candidate, profile: Profile, placement: Placement) -> str:
    item = candidate.item
    if candidate.snippet:
        text = f'You mentioned "{candidate.snippet}": this {item.helps}.'
    elif placement.readiness == "not_now" and item.kind in WELLBEING_KINDS:
        text = f"As now is not the time for a change, this {item.helps}."
    elif placement.growth == "consolidate" and placement.growth in item.growth:
        text = f"You chose to consolidate where you are: this {item.helps}."
    elif item.min_age is not None and _in_age_range(item, profile.age):
        text = f"At this stage of your career, this {item.helps}."
    elif item.bands is not None and profile.band is not None:
        text = f"Open to you at band {profile.band}: this {item.helps}."
    elif placement.growth in item.growth:
        text = f"Suits your focus on {placement.growth}: this {item.helps}."
    else:
        text = f"This {item.helps}."
    return " ".join(text.split())


def suggest(
    profile: Profile,
    placement: Placement,
    limit: int = 5,
    interventions: Optional[Sequence[Intervention]] = None,
) -> List[Suggestion]:
    """Ranked, varied, eligible interventions for one person; never empty.

    Only eligible items are offered (:func:`is_eligible`), and consolidation
    is never offered stretch (:func:`respects_choice`). The top results show
    at most one item per kind where there are enough kinds. Ties break on
    file order, so the answer is deterministic.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    items = catalogue() if interventions is None else tuple(interventions)
    candidates = [
        _score(item, order, profile, placement)
        for order, item in enumerate(items)
        if is_eligible(item, profile) and respects_choice(item, placement)
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
    return [Suggestion(c.item, _reason(c, profile, placement)) for c in chosen]


def suggestion_as_dict(suggestion: Suggestion) -> Dict[str, object]:
    """A JSON-ready dictionary of one suggestion (optional fields only when known)."""
    item = suggestion.intervention
    data: Dict[str, object] = {
        "id": item.id,
        "name": item.name,
        "kind": item.kind,
        "reason": suggestion.reason,
        "description": item.description,
    }
    for key in ("provider", "time", "cost", "link"):
        value = getattr(item, key)
        if value is not None:
            data[key] = value
    data["source"] = item.source
    data["last_checked"] = item.last_checked.isoformat()
    return data
