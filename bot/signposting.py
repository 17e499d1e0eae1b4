"""Signposting: the resource catalogue, topic lists, search and the crisis reply.

The catalogue is content (``bot/content/resources.yml``) plus an optional
``resources_local.yml`` from the organisation (same schema; same id replaces,
new ids are added). Phone numbers live only in those files: the messages here
are assembled from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from pydantic import BaseModel, ValidationError, root_validator, validator

from bot.content import ContentError, Sourced, content_path, load_items, read_yaml
from bot.turn import Button, Turn, button

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

RESOURCES_FILE = "resources.yml"
LOCAL_RESOURCES_FILE = "resources_local.yml"
# A source more than this many years older than its last check is named in the listing ("from a 2014 source"),
# so the person can weigh a fact that may have moved on.
OLDER_SOURCE_YEARS = 5
_SOURCE_DATE = re.compile(r"(\d{4})(-\d{2}){0,2}|undated")


class Topic(BaseModel):
    """A signposting topic with the words people use for it."""

    id: str
    label: str
    keywords: List[str] = []


class Resource(Sourced):
    """One place to get help."""

    id: str
    name: str
    description: str
    topics: List[str]
    phone: Optional[str] = None
    text_keyword: Optional[str] = None
    text_number: Optional[str] = None
    url: Optional[str] = None
    audience: str = "all staff"
    urgent: bool = False
    crisis_line: Optional[str] = None
    keywords: List[str] = []
    # What people call it when they ask about it by name ("Mary Seacole", "FTSU"): a message naming one is about
    # this resource, whatever else the NLU made of it (named_resource, bot/nlu/scope_gate.py).
    names: List[str] = []
    verify: bool = False
    note: Optional[str] = None
    # A service with no national address (occupational health, your guardian): found locally, never given a
    # made-up url. ``reach`` says where, when that is not your organisation's intranet (your GP practice).
    local: bool = False
    reach: Optional[str] = None
    # When the fact's own source was written: a year ("2014"), year-month, date, or "undated".
    source_date: Optional[str] = None
    # The urgent numbers in a few words, for the reminder in replies after a disclosure ("call {phone} ...").
    reminder_line: Optional[str] = None

    @validator("url")
    def _https(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https:// address")
        return value

    @validator("source_date", pre=True)
    def _source_date(cls, value: Any) -> Optional[str]:
        if value is None:
            return None
        text = str(value)  # YAML reads 2014 as a number and 2020-07-01 as a date
        if not _SOURCE_DATE.fullmatch(text):
            raise ValueError('give a year (2014), a year and month (2023-10), a date, or "undated"')
        return text

    @root_validator(skip_on_failure=True)
    def _address_or_local(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if not values.get("url") and not values.get("local"):
            raise ValueError("give the service's public https:// address (url), or mark it local: true if it has "
                             "no national address")
        return values

    @property
    def source_year(self) -> Optional[int]:
        match = _SOURCE_DATE.fullmatch(self.source_date or "")
        return int(match.group(1)) if match and match.group(1) else None

    @property
    def older_source(self) -> bool:
        """Whether the fact comes from a source much older than its last check (People Plan 2020, 2014)."""
        year = self.source_year
        return year is not None and self.last_checked.year - year > OLDER_SOURCE_YEARS

    @property
    def contact(self) -> str:
        """How to reach it, in words ("call 116 123", "text SHOUT to 85258", its address)."""
        ways = []
        if self.phone:
            ways.append(f"call {self.phone}")
        if self.text_keyword and self.text_number:
            ways.append(f"text {self.text_keyword} to {self.text_number}")
        if self.url:
            ways.append(self.url)
        elif self.local and not ways:  # no national address: say where to look rather than invent one
            ways.append(self.reach or "see your organisation's intranet")
        return ", ".join(ways)


class LocalResource(Resource):
    """An organisation's own item (resources_local.yml): local unless it says otherwise."""

    local: bool = True


class Messages(BaseModel):
    """The wording around the crisis and strain lists."""

    crisis_intro: str
    crisis_outro: str
    strain_intro: str
    strain_outro: str
    strain_light: str
    strain_topic: str = "wellbeing"
    check_in_intro: str
    check_in_outro: str
    unread_outro: str
    # Repeated in replies that send a person onwards after they disclosed risk (talk to a person, resources).
    reminder_intro: str = "If you need urgent help:"
    older_source_note: str = "From a {year} source, so check it is still current."


@dataclass(frozen=True)
class Catalogue:
    """Topics, resources (default merged with local) and message wording."""

    topics: Tuple[Topic, ...]
    resources: Tuple[Resource, ...]
    messages: Messages


def _merge(defaults: Sequence[Topic] | Sequence[Resource], local: Sequence[Topic] | Sequence[Resource]) -> list:
    merged: Dict[str, object] = {item.id: item for item in defaults}
    for item in local:
        merged[item.id] = item  # same id: the organisation's version wins
    return list(merged.values())


def load_catalogue(directory: Optional[Path] = None) -> Catalogue:
    """Read resources.yml and, when present, resources_local.yml (override folder first)."""
    topics: list = load_items(RESOURCES_FILE, Topic, key="topics", directory=directory)
    resources: list = load_items(RESOURCES_FILE, Resource, key="items", directory=directory)
    path = content_path(RESOURCES_FILE, directory)
    try:
        messages = Messages.parse_obj((read_yaml(path) or {}).get("messages"))
    except ValidationError as exc:
        raise ContentError(f"{path}: invalid 'messages': {exc}") from exc
    local_path = content_path(LOCAL_RESOURCES_FILE, directory)
    if local_path.exists():
        local_data = read_yaml(local_path) or {}
        if "items" in local_data:
            resources = _merge(resources, load_items(LOCAL_RESOURCES_FILE, LocalResource, key="items",
                                                     directory=directory))
        if "topics" in local_data:
            topics = _merge(topics, load_items(LOCAL_RESOURCES_FILE, Topic, key="topics", directory=directory))
    known = {topic.id for topic in topics}
    for resource in resources:
        unknown = [t for t in resource.topics if t not in known]
        if unknown:
            raise ContentError(f"resource {resource.id}: unknown topic(s) {', '.join(unknown)}")
    return Catalogue(topics=tuple(topics), resources=tuple(resources), messages=messages)


@cache
def default_catalogue() -> Catalogue:
    """The configured catalogue, read once per process."""
    return load_catalogue()


def _cat(catalogue: Optional[Catalogue]) -> Catalogue:
    return catalogue if catalogue is not None else default_catalogue()


def topics(*, catalogue: Optional[Catalogue] = None) -> List[Topic]:
    """All topics, in file order (the urgent-help topic last)."""
    found = list(_cat(catalogue).topics)
    return [t for t in found if t.id != "crisis"] + [t for t in found if t.id == "crisis"]


def resources_for_topic(topic_id: str, *, catalogue: Optional[Catalogue] = None) -> List[Resource]:
    """Resources listed under ``topic_id`` (urgent ones first). Unknown topic: ValueError."""
    cat = _cat(catalogue)
    if topic_id not in {t.id for t in cat.topics}:
        raise ValueError(f"unknown topic: {topic_id!r}")
    chosen = [r for r in cat.resources if topic_id in r.topics]
    return sorted(chosen, key=lambda r: not r.urgent)


def urgent_resources(*, catalogue: Optional[Catalogue] = None) -> List[Resource]:
    """The urgent items, in file order, excluding any marked verify."""
    return [r for r in _cat(catalogue).resources if r.urgent and not r.verify]


_WORD = re.compile(r"[a-z0-9]+")
# Everyday words for the same thing; both sides are reduced with _stem.
SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "retire": ("pension", "retirement"),
    "pension": ("retire", "retirement"),
    "burnout": ("wellbeing", "stress", "exhausted"),
    "burnt": ("burnout", "wellbeing"),
    "stress": ("wellbeing", "burnout"),
    "whistleblow": ("speak", "concern", "guardian"),
    "whistleblowing": ("speak", "concern", "guardian"),
    "whistle": ("speak", "concern", "guardian"),
    "bully": ("speak", "concern"),
    "apprentice": ("apprenticeship",),
    "promotion": ("career", "progression"),
    "part": ("flexible",),
    "hours": ("flexible",),
    "manager": ("leadership",),
    "counselling": ("therapy", "talking"),
    "therapy": ("talking", "counselling"),
    "suicidal": ("urgent", "crisis"),
    "crisis": ("urgent",),
    "diversity": ("edi", "inclusion"),
    "inclusion": ("edi", "diversity"),
}


def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> List[str]:
    return [_stem(w) for w in _WORD.findall(text.lower())]


def _query_terms(query: str) -> List[str]:
    terms = _terms(query)
    expanded = list(terms)
    for word in _WORD.findall(query.lower()):
        for key in (word, _stem(word)):
            for synonym in SYNONYMS.get(key, ()):
                expanded.append(_stem(synonym))
    return list(dict.fromkeys(expanded))


def find_resources(query: str, limit: int = 5, *, catalogue: Optional[Catalogue] = None) -> List[Resource]:
    """Best matching resources for free text ("pension", "speak up", "burnout"), best first."""
    cat = _cat(catalogue)
    terms = _query_terms(query)
    phrase = " ".join(_terms(query))
    if not terms:
        return []
    topic_words = {t.id: set(_terms(" ".join([t.label, t.id.replace("_", " ")] + t.keywords))) for t in cat.topics}
    scored: List[Tuple[float, int, Resource]] = []
    for order, resource in enumerate(cat.resources):
        name = set(_terms(resource.name))
        keywords = set(_terms(" ".join(resource.keywords)))
        body = set(_terms(resource.description))
        topics_of = set().union(*(topic_words.get(t, set()) for t in resource.topics)) if resource.topics else set()
        score = 0.0
        for term in terms:
            score += 3 * (term in name) + 2 * (term in keywords) + 1 * (term in body) + 0.5 * (term in topics_of)
        if len(phrase.split()) > 1 and phrase in " ".join(_terms(" ".join(resource.keywords + [resource.name]))):
            score += 3  # the whole phrase, e.g. "speak up"
        if score > 0:
            scored.append((score, order, resource))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if scored:
        best = scored[0][0]
        scored = [s for s in scored if s[0] >= best / 3]  # drop incidental one-word matches
    return [resource for _, _, resource in scored[: max(limit, 0)]]


def _line(resource: Resource) -> str:
    template = resource.crisis_line or f"{resource.name}: {resource.contact or resource.description}"
    return template.format(
        phone=resource.phone or "",
        text_keyword=resource.text_keyword or "",
        text_number=resource.text_number or "",
        name=resource.name,
    ).strip()


def _with_urgent_resources(intro: str, outro: str, cat: Catalogue) -> str:
    lines = [intro.strip(), ""]
    lines += [f"- {_line(r)}" for r in urgent_resources(catalogue=cat)]
    lines += ["", outro.strip()]
    return "\n".join(lines)


def urgent_reminder(*, catalogue: Optional[Catalogue] = None) -> str:
    """The urgent numbers in one sentence, repeated in every reply that sends a person onwards after they
    disclosed risk (rendered by Rasa in domain.yml, and by the resources listing)."""
    cat = _cat(catalogue)
    parts = [r.reminder_line.format(phone=r.phone or "", text_keyword=r.text_keyword or "",
                                    text_number=r.text_number or "", name=r.name).strip()
             for r in urgent_resources(catalogue=cat) if r.reminder_line]
    listed = "; ".join(parts[:-1]) + f"; or {parts[-1]}" if len(parts) > 1 else "".join(parts)
    return f"{cat.messages.reminder_intro.strip()} {listed}."


def crisis_message(*, catalogue: Optional[Catalogue] = None) -> str:
    """The urgent reply: warm, short, then every urgent resource from the catalogue."""
    cat = _cat(catalogue)
    return _with_urgent_resources(cat.messages.crisis_intro, cat.messages.crisis_outro, cat)


def check_in_message(*, catalogue: Optional[Catalogue] = None) -> str:
    """The middle path: ask gently whether the person is safe, with the urgent resources in the same reply."""
    cat = _cat(catalogue)
    return _with_urgent_resources(cat.messages.check_in_intro, cat.messages.check_in_outro, cat)


def unread_message_reply(crisis: bool, *, catalogue: Optional[Catalogue] = None) -> str:
    """The urgent resources for a message too long to take in (``bot.limits``): the crisis or check-in
    opening, and an ending that promises neither a paused question nor buttons, since that path has neither."""
    cat = _cat(catalogue)
    intro = cat.messages.crisis_intro if crisis else cat.messages.check_in_intro
    return _with_urgent_resources(intro, cat.messages.unread_outro, cat)


def strain_reply(*, coping: bool = False, catalogue: Optional[Catalogue] = None) -> tuple[str, str]:
    """The lighter wellbeing reply in an answer's turn, short enough for a phone: the acknowledgement and the
    choice, with the resources a button away. Returns the text and the resource topic for that button.

    ``coping``: the person also says they are managing ("tired but ok"), so a word and the button are enough."""
    cat = _cat(catalogue)
    if coping:
        return cat.messages.strain_light.strip(), cat.messages.strain_topic
    return f"{cat.messages.strain_intro.strip()} {cat.messages.strain_outro.strip()}", cat.messages.strain_topic


# A word of a name this long may be typed two letters out ("seacol", "cheif", which swaps two, "franklyn");
# shorter words ("nye", "nhs", "eap") must be exact, or they would match common ones. (One letter for five to
# seven letters missed "aspiring cheif executive" among the tuning messages, and two found no more look-alikes.)
TWO_TYPOS_FROM = 5


# Short words of a name people type as a sign or a digit ("talent 4 care", "retire & return").
STAND_INS = {"for": ["4"], "and": ["&", "n"], "to": ["2"]}


def _name_pattern(doc: Doc) -> List[Dict[str, Any]]:
    return [{"LOWER": {"FUZZY2": t.lower_}} if len(t) >= TWO_TYPOS_FROM else
            {"LOWER": {"IN": [t.lower_, *STAND_INS.get(t.lower_, [])]}} for t in doc]


def _name_matcher(cat: Catalogue) -> Matcher:
    from spacy.matcher import Matcher

    from bot import language

    nlp = language.nlp()
    matcher = Matcher(nlp.vocab)
    for resource in cat.resources:
        if resource.names:
            matcher.add(resource.id, [_name_pattern(nlp.make_doc(name)) for name in resource.names])
    return matcher


@cache
def _default_name_matcher() -> Matcher:
    return _name_matcher(default_catalogue())


def named_resource(doc: Doc, *, catalogue: Optional[Catalogue] = None) -> Optional[Resource]:
    """The resource a message names (``Resource.names``), the longest name found if it names several.

    ``doc`` comes from the coach's own spaCy pipeline (``bot.language.nlp``), whose vocabulary the matcher uses.
    """
    matcher = _default_name_matcher() if catalogue is None else _name_matcher(catalogue)
    matches = matcher(doc)
    if not matches:
        return None
    match_id, _, _ = max(matches, key=lambda m: (m[2] - m[1], -m[1]))
    found = doc.vocab.strings[match_id]
    return next(resource for resource in _cat(catalogue).resources if resource.id == found)


TOPICS_PER_PAGE = 4  # with urgent help and "More topics", six buttons at most
RESOURCES_SHOWN = 4


def _topic_buttons(page: int) -> List[Button]:
    """A page of topics; urgent help is on every page."""
    listed = topics()
    others = [t for t in listed if t.id != "crisis"]
    pages = [others[i:i + TOPICS_PER_PAGE] for i in range(0, len(others), TOPICS_PER_PAGE)] or [[]]
    page = min(max(page, 1), len(pages))
    shown = pages[page - 1] + [t for t in listed if t.id == "crisis"]
    choices = [button(t.label, "find_resources", topic=t.id) for t in shown]
    if page < len(pages):
        choices.append(button("More topics", "find_resources", page=str(page + 1)))
    elif len(pages) > 1:
        choices.append(button("Back to the first topics", "find_resources", page="1"))
    return choices


def describe(resource: Resource, *, catalogue: Optional[Catalogue] = None) -> str:
    """One line of a listing: what it is, how to reach it, and any doubt or age of its source."""
    line = f"• {resource.name}: {resource.description}"
    if resource.contact:
        line += f" ({resource.contact})"
    if resource.verify and resource.note:
        line += f" Note: {resource.note}"
    if resource.older_source:
        line += " " + _cat(catalogue).messages.older_source_note.format(year=resource.source_year)
    return line


def resources_turn(topic: Optional[str], page: Optional[str] = None, after_disclosure: bool = False) -> Turn:
    """Resources on a topic or search words, the one resource asked for by name (its id), or, without a topic,
    a page of topics to choose from.

    After a disclosure of risk in this conversation (``after_disclosure``), the urgent numbers come first, so
    urgent help stays on the page wherever the person goes next."""
    turn = Turn()
    number = int(page) if page and page.isdigit() else 1
    if topic == "crisis":  # the "Urgent help" button: every urgent service, not the best search matches
        return turn.say_in_bubbles("Urgent help, any time:\n" + "\n".join(describe(r) for r in urgent_resources()))
    if after_disclosure:
        turn.say(urgent_reminder())
    if not topic:
        return turn.say("Which topic would you like resources on?", _topic_buttons(number))
    named = [r for r in default_catalogue().resources if r.id == topic]  # asked for by name (named_resource)
    found = named or find_resources(topic, limit=RESOURCES_SHOWN)
    if not found:
        return turn.say(f"I couldn't find resources about “{topic}”. Here are the topics I know about.",
                        _topic_buttons(1))
    heading = "Here's what I know about it:" if named else "Here's what might help:"
    return turn.say_in_bubbles(heading + "\n" + "\n".join(describe(r) for r in found))
