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
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Sequence

from bot import engine, framework, intake, remarks
from bot.dates import read_date
from bot.journey import Journey, Prompt, clip, standard_journey
from bot.language import lemmas, nlp

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher


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
    of_them: str = ""  # the first sentence said of the member of staff, to a line manager (bot/content/segments.yml)


def choice_options(name: str) -> list[Choice]:
    """The options for a choice prompt: ``impact``, ``growth``, ``readiness`` or ``career_stage``."""
    if name == "career_stage":
        return [Choice(e.id, e.label, " ".join(e.description.split())) for e in framework.career_stages()]
    content = framework.framework()
    if name == "growth":
        return [Choice(o.id, o.label, f"{o.explanation} For example: {'; '.join(o.examples)}.", o.of_them)
                for o in framework.growth_options()]
    if name in ("impact", "readiness"):
        return [Choice(e.id, e.label, " ".join(e.description.split()), " ".join(e.of_them.split()))
                for e in (content.impact if name == "impact" else content.readiness)]
    raise KeyError(f"unknown choice list '{name}'")


def typed_choice(name: str, text: str) -> Optional[str]:
    """The option a short message names, or a short first or last clause of a longer one ("later on. 57 and
    wondering what comes next", "I need my degree first, so later on")."""
    if len(named_choices(name, text)) > 1:
        return None  # "solid, maybe strong": not the first named, but the person's choice
    parts = intake.clauses(text)  # "..." has no clause
    for part in (text, *parts[:1], *parts[1:][-1:]):
        picked = match_choice(name, part) if len(part.split()) <= 6 else None
        if picked is not None:
            return picked
    return None


# Words before an option that turn it down rather than name it.
TURNED_DOWN = ("not", "no", "never", "than", "instead of", "rather than", "over", "not really", "not yet")


def named_choices(name: str, text: str) -> list[str]:
    """The options whose id or label a message names in full ("somewhere between solid and strong": both)."""
    said = f" {' '.join(re.findall(r'[a-z]+', text.lower()))} "
    named = []
    for option in choice_options(name):
        # In order, as said: "not now, maybe ready later" names "not now" and "ready later", not "ready now". One
        # turned down is not named: "depth, not stretch", "breadth rather than depth".
        forms = (option.id.replace("_", " "), " ".join(re.findall(r"[a-z]+", option.label.lower())))
        if any(f" {form} " in said and not any(f" {no} {form} " in said for no in TURNED_DOWN) for form in forms):
            named.append(option.id)
    return named


def picked_option(name: str, text: str) -> Optional[str]:
    """The option a typed answer picks: named anywhere in it, or in a short first or last clause of it."""
    return match_choice(name, text) or typed_choice(name, text)


def match_choice(name: str, text: str) -> Optional[str]:
    """The option a person typed, by its id or the words of its label ("I'd say depth"), misspelt ("strech"), or in
    their own words ("somewhere in the middle"). None when the words name more than one ("solid or strong", "mid to
    late"): the person chooses."""
    said_as_typed = text
    if name == "career_stage":  # "mid 50s" is an age, read by _career_stage_by_numbers, not "mid"
        text = _AGES.sub(" ", text.lower())
    named, own_words = named_choices(name, text), _own_words(name, text)
    if name == "career_stage" and "retiring" in own_words:
        return "retiring"  # "take my pension early", "retiring later this year"
    if named or len(own_words) == 1:
        chosen = set(named) | own_words
        return chosen.pop() if len(chosen) == 1 else None
    words = set(re.findall(r"[a-z]+", text.lower()))
    options = choice_options(name)
    if len(words) <= 3:  # a single word typed in a hurry: the closest option, if it is close ("strech", "retirment")
        close_to = {o.id: o.id for o in options if "_" not in o.id} | {
            phrase: option for option, phrases in _said_as(name) for phrase in phrases
            if " " not in phrase and len(phrase) >= intake.MISSPELT_FROM}
        for word in words:
            close = difflib.get_close_matches(word, list(close_to), n=1, cutoff=0.8)
            if close:
                return close_to[close[0]]
    said = " ".join(re.findall(r"[a-z']+", text.lower()))
    described = [o.id for o in options if len(said.split()) >= 3 and said in o.explanation.lower()]
    if len(described) == 1:  # the option's own words: "in a year or two" is how "ready later" is explained
        return described[0]
    if name == "readiness":
        # A timing said alone is the option it names ("later on", "not yet", "asap"), not a request to put the
        # question off: the question asks when.
        timing = framework.readiness_from_words(text) or ("ready_later" if "later" in words else None)
        if len(words) <= 3 and timing is not None and not intake.points_at_the_question(text):
            return timing
        return _readiness_by_date(text)
    if name == "career_stage":
        return _career_stage_by_numbers(said_as_typed)
    return None


def _own_words(name: str, text: str) -> set[str]:
    """The options a person names in their own words ("going deeper in my own field" is depth, "somewhere in the
    middle" is mid-career): those the phrases of ``said_as`` name, the longest phrase where two overlap ("late
    starter", not "late"), and none said after a "not" ("not new, not old")."""
    from spacy.util import filter_spans

    matcher = _said_as_matcher(name)
    if matcher is None:
        return set()
    doc = lemmas(text)
    strings, negations = nlp().vocab.strings, set(intake.vocabulary().negations)
    matches = matcher(doc)
    kept = {(span.start, span.end) for span in filter_spans([doc[start:end] for _, start, end in matches])}
    return {strings[match_id] for match_id, start, end in matches if (start, end) in kept
            and not any(token.lower_ in negations for token in doc[max(0, start - 3):start])}


def _said_as(name: str) -> list[tuple[str, Sequence[str]]]:
    """Each option with the phrases people name it by (``said_as``): growth focuses and career stages only; the
    other choice lists are picked by their labels."""
    if name == "growth":
        return [(o.id, o.said_as) for o in framework.growth_options()]
    if name == "career_stage":
        return [(e.id, e.said_as) for e in framework.career_stages()]
    return []


@cache
def _said_as_matcher(name: str) -> Optional[PhraseMatcher]:
    from spacy.matcher import PhraseMatcher

    said_as = _said_as(name)
    if not said_as:
        return None
    matcher = PhraseMatcher(nlp().vocab, attr="LEMMA")
    for option, phrases in said_as:
        matcher.add(option, [lemmas(phrase) for phrase in phrases])
    return matcher


# An age or years of service, said at the career stage question: "15 yrs in", "40 yrs service" (not "40 years
# old"); "im 58", "late 50s", "60 next birthday", "over 55", or a number said alone ("getting on a bit, 57").
_YEARS_IN = re.compile(r"\b(\d{1,2})\s*(?:years?|yrs?)\b(?!\s*old)")
_DECADE = re.compile(r"\b(?:(early|mid|late)[\s-]*)?([1-7])0'?s\b")
_AGE = re.compile(r"\b(?:i'?m|i am|aged?|over)\s+(\d{2})\b"
                  r"|\b(\d{2})\s*(?:this year|next year|next birthday|years? old|yrs? old|yo)\b")
_AGES = re.compile(f"{_DECADE.pattern}|{_AGE.pattern}")
_ALONE = re.compile(r"^\D*?\b(\d{2})\b\D*$")
_DECADE_PART = {"early": 2, "mid": 5, "late": 7}


def _career_stage_by_numbers(text: str) -> Optional[str]:
    """The one career stage that an age or years of service point to (``ages`` and ``years_in`` in journey.yml)."""
    said = text.lower()
    years = [int(found) for found in _YEARS_IN.findall(said)]
    said = _YEARS_IN.sub(" ", said)
    ages = [int(tens) * 10 + _DECADE_PART.get(part, 5) for part, tens in _DECADE.findall(said)]
    said = _DECADE.sub(" ", said)
    ages += [int(first or second) for first, second in _AGE.findall(said)]
    alone = _ALONE.match(said) if not ages and not years else None
    ages += [int(alone.group(1))] if alone else []
    pointed = {stage.id for stage in framework.career_stages()
               for within, numbers in ((stage.ages, ages), (stage.years_in, years)) if within is not None
               for number in numbers if within[0] <= number <= within[1]}
    return pointed.pop() if len(pointed) == 1 else None


SOON = dt.timedelta(days=120)  # a step within about four months is "ready now"; later, "ready later"


def _readiness_by_date(text: str) -> Optional[str]:
    when = read_date(text)
    if when is None or when < dt.date.today():
        return None
    return "ready_now" if when - dt.date.today() <= SOON else "ready_later"


def answered(answer: Optional[SavedAnswer]) -> bool:
    return answer is not None and answer.status == "answered" and (answer.value is not None or bool(answer.text))


def meant_prompt(answers: Mapping[str, SavedAnswer], meaning: str, flow: str) -> Optional[Prompt]:
    """The latest answered prompt that means ``meaning`` for ``flow`` (see ``feeds`` in journey.yml)."""
    return next((p for p in standard_journey().feeding(meaning, flow) if answered(answers.get(p.id))), None)


def meant(answers: Mapping[str, SavedAnswer], meaning: str, flow: str) -> Optional[SavedAnswer]:
    """The answer to :func:`meant_prompt`."""
    prompt = meant_prompt(answers, meaning, flow)
    return answers[prompt.id] if prompt is not None else None


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
    stage = meant_value(answers, "career_stage", flow)
    growth, impact = meant_value(answers, "growth", flow), meant_value(answers, "impact", flow)
    return framework.Profile(
        band=details.band if details else None,
        staff_group=details.staff_group if details else None,
        growth=str(growth or "consolidate"),
        impact=str(impact or "solid"),
        readiness=str(readiness) if readiness else None,
        age=None,
        aspiration=aspiration.text if aspiration is not None else "",
        role=details_answer.text if details_answer is not None else "",
        career_stage=str(stage) if stage in framework.CAREER_STAGES else None,
        leads_team=details.leads_team if details else False,
        growth_given=bool(growth),
        impact_given=bool(impact),
    )


def placement_for(answers: Mapping[str, SavedAnswer], flow: str = "stage2") -> framework.Placement:
    """Where the answers in ``flow`` place the person (they confirm or change it)."""
    return framework.place(profile_from_answers(answers, flow))


def suggestions_for(answers: Mapping[str, SavedAnswer], flow: str = "stage3", limit: int = 5,
                    voice: engine.Voice = engine.TO_STAFF) -> list[engine.Suggestion]:
    """Interventions suggested for the profile in ``flow`` and its placement, each with its reason said in ``voice``."""
    profile = profile_from_answers(answers, flow)
    return engine.suggest(profile, framework.place(profile), limit=limit, voice=voice)


@dataclass(frozen=True)
class PlanItem:
    question: str
    answer: str


@dataclass(frozen=True)
class PlanOption:
    """A development option the person chose, with what they need to follow it up."""

    name: str
    helps: str
    provider: Optional[str] = None
    time: Optional[str] = None
    cost: Optional[str] = None
    link: Optional[str] = None
    check: Optional[str] = None  # what to check locally before relying on it, if anything


@dataclass(frozen=True)
class PlanDocument:
    """Everything the person takes into the conversation, in their own words.

    The plan itself fits one page: where they sit and why, what they aim for, goals, the
    options they chose, support and a review date. ``sections`` hold the rest of what they
    wrote (their notes, and the journal if they choose), or what they chose to share.
    """

    title: str
    created: dt.date
    segment: Optional[str] = None
    placement_explanation: Optional[str] = None
    aim: Optional[str] = None
    goals: Optional[str] = None
    options: tuple[PlanOption, ...] = ()
    support: Optional[str] = None
    review_date: Optional[dt.date] = None
    confirmed: bool = False
    sections: tuple[tuple[str, tuple[PlanItem, ...]], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.segment or self.aim or self.goals or self.options or self.support or self.sections)


# What the one-page plan is made of, by meaning (``feeds`` in journey.yml), in the order it shows them.
PLAN_MEANINGS = ("placement", "aspiration", "goals", "interventions", "support", "review_date")


def plan_prompts(answers: Mapping[str, SavedAnswer]) -> list[Prompt]:
    """The prompts whose answers make the one-page plan: the latest answered one of each meaning, unless it is
    private or a remark to the coach rather than an answer."""
    found = (meant_prompt(answers, meaning, "stage3") for meaning in PLAN_MEANINGS)
    return [p for p in found if p is not None and not p.private and not remarks.is_remark(answers[p.id].text)]


def _option(item: engine.Intervention) -> PlanOption:
    check = f"Check locally: {item.status_note}" if item.status == "check_locally" else None
    return PlanOption(item.name, item.helps, item.provider, item.time, item.cost, item.link, check)


def _items(flow_prompts: Sequence[Prompt], answers: Mapping[str, SavedAnswer],
           keep: Callable[[Prompt, SavedAnswer], bool]) -> tuple[PlanItem, ...]:
    return tuple(PlanItem(p.text, answers[p.id].text) for p in flow_prompts
                 if p.id in answers and answers[p.id].status == "answered" and keep(p, answers[p.id]))


def build_plan_document(journey: Journey, answers: Mapping[str, SavedAnswer], *, include_journal: bool = False,
                        confirmed: bool = False, today: Optional[dt.date] = None) -> PlanDocument:
    """The one-page plan; with ``include_journal``, the person's notes from the journal and stages after it.

    Answers marked private, and remarks made to the coach rather than answers, are never in it.
    """
    planned = plan_prompts(answers)  # remarks already left out, each answer read once
    in_plan = {p.id for p in planned}
    words = {p.feeds: answers[p.id].text.strip() for p in planned if answers[p.id].text.strip()}

    def note(prompt: Prompt, answer: SavedAnswer) -> bool:
        return (prompt.kind in ("text", "date") and not prompt.private and prompt.id not in in_plan
                and bool(answer.text.strip()) and not remarks.is_remark(answer.text))

    sections = [(flow.title, _items(flow.prompts, answers, note)) for flow in journey.staff_flows()] \
        if include_journal else []
    placement = meant_value(answers, "placement", "stage3")
    placement = placement if isinstance(placement, dict) else {}
    chosen = meant_value(answers, "interventions", "stage3") or []
    catalogue = {item.id: item for item in engine.catalogue()}
    review = meant_value(answers, "review_date", "stage3")
    return PlanDocument(
        title="My aspirational career development plan",
        created=today or dt.date.today(),
        segment=placement.get("name"),
        placement_explanation=placement.get("explanation"),
        aim=words.get("aspiration"),
        goals=words.get("goals"),
        options=tuple(_option(catalogue[i]) for i in chosen if i in catalogue),
        support=words.get("support"),
        review_date=dt.date.fromisoformat(review) if isinstance(review, str) else None,
        confirmed=confirmed,
        sections=tuple((title, items) for title, items in sections if items),
    )


def build_shared_document(journey: Journey, answers: Mapping[str, SavedAnswer], *,
                          today: Optional[dt.date] = None) -> PlanDocument:
    """Only the answers the person chose to share with their manager, in their own words; never a private one."""
    sections = [(flow.title, _items(flow.prompts, answers,
                                    lambda p, a: bool(getattr(a, "shared", False)) and not p.private))
                for flow in journey.staff_flows()]
    return PlanDocument(title="What I've chosen to share with my manager", created=today or dt.date.today(),
                        sections=tuple((title, items) for title, items in sections if items))


SUMMARY_LINE = 75  # characters of one line of a summary: six of them fit a phone's screen


def summary_lines(document: PlanDocument) -> list[str]:
    """A short read-back of the plan (each part's start) for the person to confirm before saving or sharing."""
    parts = [("Where you sit", document.segment), ("Your aim", document.aim), ("Goals", document.goals),
             ("Development options", "; ".join(o.name for o in document.options)), ("Support", document.support),
             ("Review by", document.review_date.strftime("%-d %B %Y") if document.review_date else None)]
    return [clip(f"• {label}: {text}", SUMMARY_LINE) for label, text in parts if text]
