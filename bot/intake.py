"""Answer or request? The one place that decides what a message said at a question is.

Every message said while the coach is asking something is read here, from the
NLU's intent, the words and the prompt: an answer to store, or a request (skip,
later, stop, a question about the prompt, a change to an earlier answer, another
request for the rules, or unclear: a long message that also asks for something,
where the coach keeps the words and asks what to do with them).

The vocabulary is content (``bot/content/intake.yml``), matched on spaCy lemmas.
Confirmations ("save it?") are read by :func:`confirmation`; moves typed instead of a button that moves along
("next" at "Shall we carry on?", "back" in the checklist) by :func:`move` and :func:`carries_on`, from the words
whatever the NLU makes of them.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from pydantic import BaseModel

from bot import reading_model
from bot.content import content_path, read_yaml
from bot.language import lemmas, nlp
from bot.turn import Message

if TYPE_CHECKING:
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc, Span, Token

ANSWER = "answer"
SKIP = "skip"
LATER = "later"
STOP = "stop"
QUESTION = "question"
CHANGE = "change"
REQUEST = "request"  # handed to the rules for the NLU's intent
UNCLEAR = "unclear"  # keep the words, and ask whether they are the answer
ELSEWHERE = "elsewhere"  # an errand about something else: say so, keep the words, and ask whether they are the answer
FILLER = "filler"
# Moves typed instead of a button that moves along (with STOP, for "stop for now" or "later").
NEXT = "next"
BACK = "back"
SENSE = "sense:"
PROGRESS = "progress"  # a sense of its own: asking how far through the questions the person is
CLARIFY = "clarify"  # a sense of its own: asking what the question means, or for an example
NOT_FOLLOWING = "not_following"  # a sense of its own: saying one does not follow the question ("dont understand")
# Kinds the words alone can show, being about the question itself ("can we come back to this one later").
SELF_EVIDENT = (CHANGE, LATER, SKIP)
OPENING_WORD = (SKIP, STOP, CHANGE)

WHERE_WAS_I = "where_was_i"
# The intents the form hands to the rules (see the not_intent lists in domain.yml and data/rules/).
REQUEST_INTENTS = frozenset({
    "review_journal", "send_plan", "share_with_manager", "delete_data", "download_my_data", "privacy_what_kept",
    "talk_to_person", "find_resources", "restart", "where_was_i", "manager_mode", "start_journey", "edit_answer",
    "delete_answer", "share_answer", "manager_prepare", "rehearse", "record_outcome", "confirm_outcome",
    "show_checklist", "stop_sharing", "who_has_seen",
})
# Requests the NLU names more exactly than the words do: "I'm a manager" names manager mode, and the NLU which
# of the manager's requests it is.
REQUEST_FAMILY = {"manager_mode": "manager_mode", "manager_prepare": "manager_mode", "rehearse": "manager_mode",
                  "record_outcome": "manager_mode"}
# Requests whose replies also say who sees what the person writes.
TELL_WHO_SEES = frozenset({"who_has_seen", "privacy_what_kept"})
# What each of the NLU's intents would mean at a question, if the words bear it out.
INTENT_KINDS: Dict[str, str] = {
    "skip": SKIP, "stop": STOP, "goodbye": STOP, "faq": QUESTION, "ask_why": QUESTION, "help": QUESTION,
    "out_of_scope": QUESTION, "bot_challenge": QUESTION, **{intent: REQUEST for intent in REQUEST_INTENTS},
}
# Intents that are always the answer at a question (a yes, a no, a statement, a button for this prompt, or
# words in another language, which are the person's own and are kept as written).
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "thanks", "greet", "choose", "feeling_stressed",
                            "nlu_fallback", "other_language"})
# Intents the form's slot mapping keeps out (domain.yml), so they never reach this module: risk of harm, which
# the safety rules answer, and the buttons that act on an earlier answer.
KEPT_OUT = frozenset({"risk_of_harm", "risk_unclear", "edit_answer", "delete_answer", "share_answer"})
# A message of at most this many words that the NLU and the words agree on is that request; longer, the coach
# asks rather than guesses.
BRIEF = 15
# A "what ...?" of at most this many words, with a remark as short after it, asks before anything else.
ASKED_FIRST = 10
# A message of at most this many words that changes something in another question, named, asks to change it.
READ_AS_CHANGE = 30
# The trained second look (bot/reading_model.py): its request is offered first for words kept and asked about at this
# probability or above, and words the rules took as the answer are kept and asked about only at the second bar, and
# when longer than an answer's few words. Chosen on the tuning batches alone, each guessed by a model trained on the
# others, and on the hand-written answers full of command words in tests/unit/test_intake.py (docs/understanding.md).
SECOND_LOOK_PROBABILITY = 0.6
ASKED_ABOUT_PROBABILITY = 0.9
BRIEF_ANSWER = 8
NOT_FOLLOWING_WORDS = 4  # "i don't get it"; not "I don't follow the rules blindly", an answer
# Offered first when the second look reads a change in words the rules took as the answer.
REVIEW = "review_journal"
# The words that may name a question: its things, its doings and its qualities ("the drains one", "the proud bit").
NAMING_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
# "Not sure" said alone is short: past this many words a message says more than that.
UNSURE_WORDS = 12
# Requests are said early and briefly: only the start of a long message is read for them.
READ_LIMIT = 600
# Markup typed or pasted round the words ("<b>skip</b>"): a tag opens with a letter or "/", so "pay < 30k and hours
# > 40" is read as typed.
_MARKUP = re.compile(r"</?[a-z][^<>]{0,300}>", re.IGNORECASE)
# What ends a clause, for reading the first and the last one on their own.
CLAUSE_MARKS = ",.;:!-–—…"


class Grammar(BaseModel):
    """Function words by which questions and requests are put together (``grammar`` in intake.yml)."""

    question_openers: FrozenSet[str]
    inverted_openers: FrozenSet[str]
    inverted_subjects: FrozenSet[str]
    asking_you: FrozenSet[str]
    asking_to: FrozenSet[str]
    politely: FrozenSet[str]
    another_day: FrozenSet[str]
    this_question: FrozenSet[str]
    asked_subjects: FrozenSet[str]
    about_the_answer: FrozenSet[str]
    request_openers: FrozenSet[str]
    wh_words: FrozenSet[str]
    wh_contracted: FrozenSet[str]
    clause_subjects: FrozenSet[str]
    pointing_at_the_prompt: FrozenSet[str]
    i_asking: FrozenSet[str]
    question_names: FrozenSet[str]
    question_nouns: FrozenSet[str]
    light_verbs: FrozenSet[str]
    naming_determiners: FrozenSet[str]
    demonstratives: FrozenSet[str]
    times_in_order: FrozenSet[str]
    changing: FrozenSet[str]
    record_names: FrozenSet[str]
    changing_verbs: FrozenSet[str]
    editing_verbs: FrozenSet[str]
    answer_words: FrozenSet[str]
    wider_changing_verbs: FrozenSet[str]
    wanting_leads: FrozenSet[str]
    got_it_wrong: FrozenSet[str]
    contrasts: FrozenSet[str]
    record_verbs: FrozenSet[str]
    asking_leads: FrozenSet[str]
    dismissing: FrozenSet[str]
    other_value: FrozenSet[str]
    pointing_back: FrozenSet[str]
    faults: FrozenSet[str]
    faults_before: FrozenSet[str]
    told_faults: FrozenSet[str]
    told_not_faults: FrozenSet[str]
    told_fault_openers: FrozenSet[str]
    naming_openers: FrozenSet[str]
    opener_corrections: FrozenSet[str]
    said_verbs: FrozenSet[str]
    recalling: FrozenSet[str]
    undoing: FrozenSet[str]
    said_now: FrozenSet[str]
    change_afters: FrozenSet[str]
    identity_names: FrozenSet[str]
    earlier_answer: FrozenSet[str]
    step_requests: FrozenSet[str]
    asking_the_coach: FrozenSet[str]
    fetching_verbs: FrozenSet[str]
    wondering: FrozenSet[str]
    sent_away: FrozenSet[str]
    to_the_coach: FrozenSet[str]
    correcting: FrozenSet[str]
    correcting_openers: FrozenSet[str]
    returning_openers: FrozenSet[str]
    counted_records: FrozenSet[str]
    counts: FrozenSet[str]
    second_thoughts: FrozenSet[str]
    wishing_otherwise: FrozenSet[str]
    yes_no_openers: FrozenSet[str]
    tentative_openers: FrozenSet[str]
    waiting: FrozenSet[str]
    speaker: FrozenSet[str]
    self_words: FrozenSet[str]
    addressed: FrozenSet[str]
    seers: FrozenSet[str]
    seeing_verbs: FrozenSet[str]
    kept_private: FrozenSet[str]
    answering_verbs: FrozenSet[str]
    deferring_times: FrozenSet[str]
    heading_for: FrozenSet[str]
    preparing: FrozenSet[str]
    their_team: FrozenSet[str]
    their_conversations: FrozenSet[str]
    manager_versions: FrozenSet[str]
    rehearsing: FrozenSet[str]


class Vocabulary(BaseModel):
    filler: List[str]
    negations: List[str]
    kinds: Dict[str, List[str]]
    requests: Dict[str, List[str]]
    senses: Dict[str, List[List[str]]]
    yes: List[str]
    no: List[str]
    yes_also: List[str]
    go_on: List[str]
    no_also: List[str]
    carry_on_also: List[str]
    done: List[str]
    rehearsal_next: List[str]
    rehearsal_finish: List[str]
    moves: Dict[str, List[str]]
    declining: List[str]
    unsure: Dict[str, List[str]]
    reasons: Dict[str, List[str]]
    grammar: Grammar
    typed: Dict[str, str]


@dataclass(frozen=True)
class Reading:
    """What a message said at a prompt is: ``kind``, and for a request the intent its rule answers."""

    kind: str
    intent: Optional[str] = None
    # A change told, not asked ("my hours are wrong, I do 30"): the words may still be this question's answer.
    told: bool = False
    # Kept and asked about, a request the words point to that the NLU did not name: offered first among its guesses.
    offer: Optional[str] = None

    @property
    def is_answer(self) -> bool:
        return self.kind == ANSWER


@dataclass(frozen=True)
class Cue:
    """A phrase from the vocabulary found in a message: what it asks for, and which tokens it covers."""

    kind: str
    intent: Optional[str]
    start: int
    end: int

    @property
    def is_phrase(self) -> bool:
        """Two words or more: a single word may belong to an answer ("stop doing nights")."""
        return self.end - self.start > 1


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary.parse_obj(read_yaml(content_path("intake.yml")))


@cache
def _matcher() -> PhraseMatcher:
    from spacy.matcher import PhraseMatcher

    words = vocabulary()
    matcher = PhraseMatcher(nlp().vocab, attr="LEMMA")
    labels: List[Tuple[str, List[str]]] = [(FILLER, words.filler)]
    labels += [(kind, phrases) for kind, phrases in words.kinds.items()]
    labels += [(f"{REQUEST}:{intent}", phrases) for intent, phrases in words.requests.items()]
    for label, phrases in labels:
        matcher.add(label, list(nlp().pipe(p.lower() for p in phrases)))
    for label, phrases in _sense_labels():
        # A sense's word whose lemma is another word ("done" is read as "do") counts only as typed.
        matcher.add(label, [doc for doc in nlp().pipe(p.lower() for p in phrases)
                            if [t.lemma_ for t in doc] == [t.lower_ for t in doc]])
    return matcher


def _sense_labels() -> List[Tuple[str, List[str]]]:
    return [(f"{SENSE}{name}#{number}", group) for name, groups in vocabulary().senses.items()
            for number, group in enumerate(groups)]


@cache
def _typed_matcher() -> PhraseMatcher:
    """The senses' words and the kinds' phrases as typed: a word's lemma depends on the words round it ("the
    beginning" may be read as a form of "begin", "hold that thought" as "hold that think"), so they count when typed
    as listed, whatever their lemmas."""
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp().vocab, attr="LOWER")
    for label, phrases in [*_sense_labels(), *vocabulary().kinds.items()]:
        matcher.add(label, [nlp().make_doc(p.lower()) for p in phrases])
    return matcher


@cache
def _form_matcher() -> Matcher:
    """Putting this question off or leaving it out in words the phrases cannot list: a verb of answering, the question
    pointed at and a time ("I'll fill in the details bit after", "leave this till after ..."), or a part of it left
    out by name ("Leave the review date out")."""
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    particle: Dict[str, Any] = {"LOWER": {"IN": ["in", "out", "up"]}, "OP": "?"}
    named: List[Dict[str, Any]] = [{"LOWER": {"IN": ["the", "my"]}}, {"IS_ALPHA": True, "OP": "{0,2}"},
                                   {"LOWER": {"IN": sorted(grammar.question_nouns)}}]
    pointed: List[Dict[str, Any]] = [{"LOWER": {"IN": sorted(grammar.demonstratives | {"it"})}},
                                     {"LOWER": {"IN": sorted(grammar.question_nouns)}, "OP": "?"}]
    matcher = Matcher(nlp().vocab)
    verb: Dict[str, Any] = {"LEMMA": {"IN": sorted(grammar.answering_verbs)}}
    time: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.deferring_times)}}
    matcher.add(LATER, [[verb, particle, *pointer, particle, time] for pointer in (named, pointed)])
    matcher.add(SKIP, [[{"LEMMA": "leave"}, {"LOWER": {"IN": ["the", "my", "this", "that"]}},
                        {"IS_ALPHA": True, "OP": "{0,3}"}, {"LOWER": "out"}]])
    return matcher


@cache
def one_word_filler() -> FrozenSet[str]:
    """The filler's single words ("please", "pls", "ok"): never what a message is about."""
    return frozenset(word for word in vocabulary().filler if " " not in word)


def _parse(text: str) -> Doc:
    return lemmas(_typed(text[:READ_LIMIT]))


def _typed(text: str) -> str:
    """``text`` with the short forms people type on a phone read as the words ("can u change it", "next q", "ill do
    the rest")."""
    spelt = vocabulary().typed
    return _typed_forms().sub(lambda m: spelt[m.group(0).lower()], text)


def _lowered(text: str) -> str:
    """``text`` with its typed short forms read, in lower case, with a plain apostrophe ("I’m" is "i'm")."""
    return _typed(text).lower().replace("\u2019", "'")


@cache
def _typed_forms() -> re.Pattern[str]:
    """The typed forms as whole words, the longest first ("ill get back" before any shorter form)."""
    forms = sorted(vocabulary().typed, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w'])", re.IGNORECASE)


def _quoted(doc: Doc, longest: int = 4) -> set[int]:
    """The tokens between a pair of quote marks at most ``longest`` words apart ('later', “not now”), in a
    message with words outside them: "skip" typed in quotes, as the coach wrote it, is said."""
    marks = [t.i for t in doc if t.is_quote]  # paired in turn: an odd one left at the end pairs with nothing
    inside = {i for opening, closing in zip(marks[::2], marks[1::2], strict=False) if closing - opening <= longest + 1
              for i in range(opening + 1, closing)}
    filler = one_word_filler()
    return inside if any(t.i not in inside and t.is_alpha and t.lower_ not in filler for t in doc) else set()


def _ends_clause(token: Token, also: str = "") -> bool:
    """A mark that ends a clause, typed once or more ("brb... ill do the rest", "no!! skip it")."""
    return token.is_punct and all(c in CLAUSE_MARKS + also for c in token.text)


def _symbol(token: Token) -> bool:
    """An emoji or another mark that is not a word ("later 👍", "move on pls 🙏")."""
    return not any(c.isalnum() for c in token.text)


@dataclass(frozen=True)
class Analysis:
    """What the vocabulary finds in one message."""

    cues: Tuple[Cue, ...]  # phrases, not negated
    count: int  # words
    whole: bool  # every word is part of a phrase or the filler around one
    senses: FrozenSet[str]  # kinds and request intents whose every word group is present
    opening: Optional[Cue]  # a phrase that, with filler, makes the first clause (one word: see OPENING_WORD)
    leading: Optional[Cue]  # a phrase of two words or more that, after filler only, starts the message
    closing: Optional[Cue] = None  # a phrase that, with filler, makes the last clause ("..., skip please")
    last_start: int = 0  # where the last clause starts (0: the message is one clause)
    closing_senses: FrozenSet[str] = frozenset()  # the senses of the last clause alone ("i'll carry on another day")
    declined: bool = False  # the words before the last clause decline ("she'd rather not have that recorded")
    declines_and_names: bool = False  # a leading "rather not say" names what it declines, and tells nothing
    reasons_before: FrozenSet[str] = frozenset()  # kinds whose reason the words before the last clause give
    final: Optional[Cue] = None  # a phrase that puts the question off or stops, which the message ends on
    reasons_before_final: FrozenSet[str] = frozenset()  # kinds whose reason the words before ``final`` give
    waits: Optional[str] = None  # a clause opens by putting off or leaving until something is done: LATER or STOP
    leaves_for_a_reason: bool = False  # a clause of its own leaves, after its reason ("wifi's rubbish, giving up")


def analyse(text: str) -> Analysis:
    doc = _parse(text)
    negations = _negations()
    grammar = vocabulary().grammar
    found: List[Cue] = []
    covered: set[int] = set()
    # A "no" said on its own, which spaCy tags as an interjection ("no, skip it", "actually no ill do the rest
    # another time"), turns nothing around: it is filler. "no skipping please" keeps its negation.
    filler: set[int] = {t.i for t in doc if t.pos_ == "INTJ" and t.lower_ in negations}
    groups: Dict[str, set[str]] = {}
    placed: Dict[str, Dict[str, List[int]]] = {}  # where each sense's word groups start
    strings = doc.vocab.strings
    typed = _typed_matcher()(doc)
    as_typed = set(typed)
    # A part left out by name ends its clause: "Leave the review date out", not "leave the politics out of it".
    forms = [m for m in _form_matcher()(doc) if strings[m[0]] != SKIP or m[2] == len(doc) or _ends_clause(doc[m[2]])]
    matches = sorted(_matcher()(doc) + typed + forms, key=lambda m: strings[m[0]] != FILLER)  # filler first
    quoted = _quoted(doc)
    # Where a sense's first words start inside another's longer ones, the longer are meant: "go back to it later" puts
    # the question off ("go back to"), it does not leave ("go", then "later").
    firsts = [(start, end) for match_id, start, end in matches if strings[match_id].endswith("#0")]
    for match_id, start, end in matches:
        label = strings[match_id]
        if doc[start].tag_ in ("VBD", "VBN") and _leaving(label) and (match_id, start, end) not in as_typed:
            continue  # skipping, putting off or stopping in the past tells what was done ("I stopped doing bank")
        if label == FILLER:
            filler.update(range(start, end))
            continue
        if quoted.issuperset(range(start, end)):
            continue  # words in quotes are named, not said ("what counts as 'later' career?")
        # A negation in the clause before turns nothing around ("so not yet, ask me the rest").
        window = doc[_clause_start(doc, start, max(0, start - 3)):start]
        before = [t for t in window if t.i not in filler]
        negated = any(_negates(t) for t in before) and not _negates(doc[start])  # "not answering that"
        if label.startswith(SENSE):
            name, _, number = label[len(SENSE):].partition("#")
            # A negation turns the request itself around ("I don't want to skip"), not what it is about
            # ("not answering this one"). "this" or "that" before a noun points at that thing, not at the question
            # ("I want to come back to that specialty one day", "skip the overtime this year").
            inside_longer = number == "0" and any(a <= start and end <= b and (a, b) != (start, end) for a, b in firsts)
            if not (negated and number == "0") and not _determines_a_noun(doc, start, end) and not inside_longer:
                groups.setdefault(name, set()).add(number)
                placed.setdefault(name, {}).setdefault(number, []).append(start)
            continue
        if negated or label == STOP and _heads_for(doc, end):
            continue
        kind, _, intent = label.partition(":")
        found.append(Cue(kind, intent or None, start, end))
        covered.update(range(start, end))
    words = [t for t in doc if not (t.is_punct or t.is_space or _symbol(t))]
    # "I" said with a phrase of a request is part of it ("och I'm needing to head", "I'm no wanting to answer that").
    speaking = {t.i for t in doc if t.lower_ in grammar.speaker} if any(c.is_phrase for c in found) else set()
    said = covered | filler | speaking
    senses = frozenset(name for name, hit in groups.items() if len(hit) == len(vocabulary().senses[name])
                       and _leaves_then_says_when(name, placed[name]))
    # A first question may be the whole request ("Can I answer this after? I need to ask my colleague first").
    clause_end = next((t.i for t in doc if _ends_clause(t, "?")), None)
    opening = None
    if clause_end is not None and 0 < clause_end < len(doc) - 1:
        first = [t for t in doc[:clause_end] if not (t.is_punct or _symbol(t))]
        # One word may be the first clause when it can only be the command ("pause pls, manager just walked in");
        # "later" may start an answer ("later on. 57 and wondering what comes next").
        inside = [c for c in found if c.end <= clause_end and (c.is_phrase or c.kind in OPENING_WORD)]
        # "I" with one word only to skip ("I skip. Is too personal for me"), not "I quit, ..." which may tell.
        spoken = speaking or {t.i for t in first if t.lower_ in grammar.speaker and any(c.kind == SKIP for c in inside)}
        if inside and all(t.i in said or t.i in spoken for t in first):
            opening = max(inside, key=lambda c: c.end - c.start)
    starts = [c for c in found if c.is_phrase and all(t.i in filler or t.is_punct or _symbol(t)
                                                              for t in doc[:c.start])]
    leading = min(starts, key=lambda c: (c.start, c.start - c.end)) if starts else None  # first, then longest
    whole = all(t.i in said for t in words)
    closing, closing_senses, declined, reasons_before = None, frozenset[str](), False, frozenset[str]()
    declining = set(vocabulary().negations) | set(vocabulary().declining)
    last_start = _clause_start(doc, len(doc) - 1) or None  # a mark that ends the message starts no clause
    if last_start is not None:
        last = [t for t in doc[last_start:] if not (t.is_punct or t.is_space or _symbol(t))]
        inside = [c for c in found if c.start >= last_start]
        if last and inside and all(t.i in said for t in last):
            closing = max(inside, key=lambda c: (c.end - c.start, c.end))  # the longest, then the last said
        closing_senses = frozenset(name for name, where in placed.items()
                                   if len([n for n, starts_at in where.items()
                                           if any(at >= last_start for at in starts_at)])
                                   == len(vocabulary().senses[name])
                                   and _leaves_then_says_when(name, where, last_start))
        declined = any(t.lower_ in declining or t.lemma_ in declining for t in doc[:last_start])
        reasons_before = _reasons_given(doc[:last_start])
        # Not knowing is a skip's reason before "leave that one blank", not before "it's just not for me", which may
        # end an answer. Asked only when it matters: _commands parses the clause again.
        if SKIP in reasons_before and not _commands(doc[last_start:].text):
            reasons_before -= {SKIP}
    names = leading is not None and any(t.lower_ in declining or t.lemma_ in declining
                                        for t in doc[leading.start:leading.end]) and not any(
        t.pos_ in ("VERB", "AUX") for t in doc[leading.end:])  # "..., but I'm a midwife" tells
    # The phrase must point at the question or the coach ("come back to it", "ask me later"): a time alone ("..., so
    # later on", "..., not yet") may be the answer itself. Leaving is about the session, not the question ("on a job
    # in a min so signing off").
    tail = [t.i for t in words if t.i not in filler]
    # Asked of the coach, a time alone is a request ("need to check my diary first, can we do the date later on").
    final = max((c for c in found if c.is_phrase and c.kind in (SKIP, LATER, STOP) and tail and c.end > tail[-1]
                 and (c.kind == STOP or points_at_the_question(doc[c.start:c.end].text)
                      or reads_as_question(doc[_clause_start(doc, c.start):].text))),
                key=lambda c: c.end - c.start, default=None)
    reasons_final = _reasons_given(doc[:final.start]) if final is not None else frozenset[str]()
    return Analysis(tuple(found), len(words), whole and bool(found), senses, opening, leading, closing,
                    last_start or 0, closing_senses, declined, names, reasons_before, final, reasons_final,
                    _waits(doc, found, said), _leaves_for_a_reason(doc, found, said))


def _clause_start(doc: Doc, at: int, earliest: int = 0) -> int:
    """Where the clause holding the token at ``at`` starts, looking back no further than ``earliest``."""
    return max((t.i + 1 for t in doc[earliest:at] if _ends_clause(t)), default=earliest)


def _waits(doc: Doc, found: Sequence[Cue], said: set[int]) -> Optional[str]:
    """LATER or STOP, when a clause opens by putting this question off, or by leaving, until something is done ("I'll
    record this bit after I've caught up with her", "can we resume Monday when I'm not on call"). Said of what will be
    done, not of what was ("I had to put it to one side when my mum was ill")."""
    if any(t.tag_ == "VBD" for t in doc):
        return None
    waiting = vocabulary().grammar.waiting
    for cue in found:
        if not cue.is_phrase or cue.kind not in (LATER, STOP):
            continue
        opens = _clause_start(doc, cue.start)
        # Leaving until then is asked ("can we resume Monday when I'm not on call"); told, it may be the answer ("I'm
        # off when the kids are at school, so Tuesdays work").
        pointed = (reads_as_question(doc[opens:].text) if cue.kind == STOP
                   else points_at_the_question(doc[cue.start:cue.end].text))
        named = cue.end < len(doc) and doc[cue.end].lower_ in vocabulary().grammar.question_nouns
        after = cue.end + 1 if named else cue.end  # "come back to this (question) when ..."
        if (all(t.i in said for t in doc[opens:cue.start]) and pointed
                and (doc[cue.end - 1].lower_ in waiting or after < len(doc) and doc[after].lower_ in waiting)):
            return cue.kind
    return None


def _leaves_for_a_reason(doc: Doc, found: Sequence[Cue], said: set[int]) -> bool:
    """Whether a clause is only leaving, a phrase or a bare word of it ("..., giving up for now, ...", "Next patient's
    in. Going."), after words that give the reason for stopping."""
    leaving = {word for word in vocabulary().senses[STOP][0] if " " not in word}
    ends = [t.i for t in doc if _ends_clause(t)] + [len(doc)]
    start = 0
    for end in ends:
        words = [t for t in doc[start:end] if not (t.is_punct or t.is_space or _symbol(t))]
        phrase = any(c.kind == STOP and c.is_phrase and start <= c.start and c.end <= end for c in found)
        bare = [t for t in words if t.i not in said]  # what the clause says besides phrases and filler
        only_leaves = bool(words) and (not bare if phrase else len(bare) == 1 and bare[0].lemma_ in leaving)
        if only_leaves and STOP in _reasons_given(doc[:start]):
            return True
        start = end + 1
    return False


def _heads_for(doc: Doc, end: int) -> bool:
    """Whether leaving is said with where the person is heading, a thing rather than a place ("I'm off to a new role in
    the spring"): not leaving now, as "I'm off to bed" is."""
    return end + 1 < len(doc) and doc[end].lower_ == "to" and doc[end + 1].lower_ in vocabulary().grammar.heading_for


def _leaves_then_says_when(sense: str, placed: Dict[str, List[int]], start: int = 0) -> bool:
    """For stopping, whether a word of leaving comes before the word of when ("finish now", "done for today"), as a
    request does; "we now finish the clinic letters by 3" tells how things are. Any other sense holds as found."""
    if sense != STOP:
        return True
    leaving = [at for at in placed.get("0", []) if at >= start]
    when = [at for at in placed.get("1", []) if at >= start]
    return bool(leaving and when) and min(leaving) < max(when)


def _leaving(label: str) -> bool:
    """Whether a match's label skips, puts off or stops, as a phrase or as a sense ("sense:stop#0")."""
    kind = label[len(SENSE):].partition("#")[0] if label.startswith(SENSE) else label
    return kind in (SKIP, LATER, STOP)


def _determines_a_noun(doc: Doc, start: int, end: int) -> bool:
    """Whether the words matched are a demonstrative alone that determines the noun after it ("that specialty"), or a
    word of order that says when ("changing last minute", "since I changed teams last month"), not one that points at
    the question or an answer ("come back to that", "skip this one", "change my last answer")."""
    grammar = vocabulary().grammar
    following = next((t for t in doc[end:] if t.text != "-"), None)  # "last-minute"
    if end - start != 1 or following is None or following.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM"):
        return False
    if doc[start].lower_ in grammar.times_in_order:  # "my last goal" is an answer's name
        return following.lower_ not in grammar.question_nouns | grammar.question_names | grammar.record_names
    return doc[start].lower_ in grammar.demonstratives and following.lower_ not in grammar.question_nouns


def _reasons_given(words: Span) -> FrozenSet[str]:
    """The kinds of request (later, stop) whose reason these words give ("need to check my diary first")."""
    said = [t.lower_ for t in words if not t.is_punct]
    return frozenset(kind for kind, phrases in vocabulary().reasons.items() if _says(said, phrases))


MISSPELT_FROM = 6  # letters: a shorter word is too near too many others to be read as a misspelling


@cache
def _request_words() -> FrozenSet[str]:
    """Every word of the requests' word groups (``senses``), for reading a misspelt one."""
    return frozenset(word for groups in vocabulary().senses.values() for group in groups for phrase in group
                     for word in phrase.lower().split() if len(word) >= MISSPELT_FROM)


def _respelt(text: str) -> str:
    """``text`` with each long word that is not a request word, but close to one, read as that word
    ("answres" as "answers"); used only to confirm a request the NLU already sees."""
    words = _request_words()

    def respell(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if len(word) < MISSPELT_FROM or word in words:
            return match.group(0)
        close = difflib.get_close_matches(word, words, n=1, cutoff=0.85)
        return close[0] if close else match.group(0)

    return re.sub(r"[A-Za-z]+", respell, text)


def _as_reading(kind: str, intent: Optional[str], nlu_intent: Optional[str] = None) -> Reading:
    if kind == REQUEST and nlu_intent is not None and intent != nlu_intent:
        # The rules answer the NLU's intent, so a request it did not see cannot be handed to them: keep the
        # words, and ask what to do with them.
        return Reading(UNCLEAR)
    return Reading(kind, intent if kind == REQUEST else None)


def as_read(message: Message) -> Message:
    """The message as its words are read: without HTML tags or entities ("<b>skip</b>" is "skip"). What is stored is
    what was typed."""
    if "<" not in message.text and "&" not in message.text:
        return message
    return replace(message, text=_MARKUP.sub(" ", html.unescape(message.text)).strip())


def read(message: Message, steps: bool = False, asking: FrozenSet[str] = frozenset(), own: bool = False,
         written: bool = False) -> Reading:
    """Whether a message said at a question is the answer, or a request; never a guess that loses words. At a
    question that asks for the person's ``steps``, a request said as a step they will take is the answer. ``asking``
    names the question being asked (its id's words): another question named as wrong is a change told. At a question
    about the person's ``own`` career, preparing for one's team's conversations may be a manager in the wrong place.
    At a question answered in the person's own words (``written``), saying only "not sure" is kept and asked about.
    The words' reading is then weighed against the trained second look (``_second_look``)."""
    return _second_look(message, _by_rules(message, steps, asking, own, written))


def _by_rules(message: Message, steps: bool, asking: FrozenSet[str], own: bool, written: bool) -> Reading:
    reading = _read(message)
    if written and reading.kind == ANSWER and only_unsure(message.text):
        return Reading(UNCLEAR)  # "hmm not sure": leave it for now, or save those words?
    if own and reading.kind in (ANSWER, QUESTION) and prepares_for_a_team(message.text):
        return Reading(UNCLEAR, offer="manager_mode")  # the words kept, and "I'm a manager preparing" offered
    if reading.kind == REQUEST and reading.intent == WHERE_WAS_I and asks_where(message.text):
        return Reading(QUESTION)  # "how far through am i": the place shown, and the question asked again
    if message.held_back and reading.kind == REQUEST:
        reading = Reading(UNCLEAR)  # a start the NLU was unsure of is never acted on: keep the words, and ask
    if reading.kind in (ANSWER, QUESTION, UNCLEAR) and (asks_to_edit_another_answer(message.text, asking)
                                                        or returns_to_another_question(message.text, asking)):
        return Reading(CHANGE)
    if reading.kind == ANSWER and (tells_another_answer_wrong(message.text, asking)
                                   or corrects_in_a_last_clause(message.text)):
        return Reading(CHANGE, told=True)
    if reading.kind == LATER and _leaves_until_another_day(message.text):
        return Reading(STOP)  # "not today. ill come back to all of this later in the week"
    if steps and reading.kind == REQUEST and said_as_a_step(message.text, reading.intent):
        return Reading(ANSWER)
    return reading


def prepare() -> None:
    """Load spaCy, the vocabulary and the trained second look now, so the first person does not wait."""
    read(Message("warm up", "inform"))


def _second_look(message: Message, reading: Reading) -> Reading:
    """The rules' reading, weighed against the trained model's guess, which never loses an answer.

    Words the rules took as the answer are kept and asked about when the model is all but sure they are something
    else, in a message longer than an answer's few words and with no "not" in it (n-grams cannot read "I don't want
    to skip this"): its request is offered first, or "Review my answers" for a change. Words the rules kept and asked
    about get the model's request as the first button, when the rules had none. Where the rules read a skip, "later",
    stop, question, change or request, the model may say which; a request goes to the rules only when the NLU named
    it too."""
    text = message.text.strip()
    if message.choice is not None or not text or text.startswith("/") or reading.kind == ELSEWHERE:
        return reading  # an errand about things the coach never speaks of is told so, and kept if the person says
    guess = reading_model.default_model().guess(text)
    family = REQUEST_FAMILY.get(reading.intent or "", reading.intent)
    if guess.kind == ANSWER or guess.probability < SECOND_LOOK_PROBABILITY or (guess.kind, guess.intent) == (
            reading.kind, family):
        return reading
    offer = guess.intent if guess.kind == REQUEST else REVIEW if guess.kind == CHANGE else None
    if reading.kind == UNCLEAR:
        return reading if reading.offer else Reading(UNCLEAR, offer=offer)
    if reading.kind == ANSWER:
        if guess.probability < ASKED_ABOUT_PROBABILITY or len(_typed_words(text)) <= BRIEF_ANSWER or _negated(text):
            return reading
        return Reading(UNCLEAR, offer=offer)
    if ({reading.kind, guess.kind} <= {SKIP, LATER}  # both leave the question for now; the rules say which
            or (reading.kind, guess.kind) == (STOP, LATER)  # "I'll carry on with it later": the rules' stop stands
            or reading.kind == QUESTION and (guess.intent == WHERE_WAS_I or guess.kind == CHANGE
                                             or guess.intent == REVIEW and recalls_an_answer(text)
                                             or asks_who_sees(text))):
        # "how far through am i" gets the place shown, "what did i put for my role" the answer, "who else can see my
        # answers" who sees them; "should i put X or Y" is not a change
        return reading
    if guess.kind != REQUEST:
        return Reading(guess.kind)
    if REQUEST_FAMILY.get(message.intent or "", message.intent) == guess.intent and not message.held_back:
        return Reading(REQUEST, message.intent)
    return Reading(UNCLEAR, offer=offer)


def _negated(text: str) -> bool:
    return any(_negates(t) for t in _parse(text))


def _negates(token: Token) -> bool:
    """A "not", "n't", "never" or "no" (as typed, or by its lemma: "dont" is "do" and "not")."""
    negations = _negations()
    return token.lower_ in negations or token.lemma_ in negations


@cache
def _negations() -> FrozenSet[str]:
    return frozenset(vocabulary().negations)


def only_unsure(text: str) -> bool:
    """Whether a message says only that the person does not know ("hmm not sure", "no idea tbh", "dunno yet")."""
    words = _typed_words(text)
    if len(words) > UNSURE_WORDS:
        return False
    unsure, at = False, 0
    while at < len(words):
        match = next(((phrase, says) for phrase, says in _unsure_phrases()
                      if tuple(words[at:at + len(phrase)]) == phrase), None)
        if match is None:
            return False  # a word that says something: "not sure, maybe a secondment"
        at += len(match[0])
        unsure = unsure or match[1]
    return unsure


@cache
def _unsure_phrases() -> Tuple[Tuple[Tuple[str, ...], bool], ...]:
    """The phrases that say "I don't know" (True) and the words that may surround them (False), the longest first."""
    unsure = vocabulary().unsure
    phrases = [(tuple(_said(p).split()), True) for p in unsure["phrases"]]
    phrases += [(tuple(_said(p).split()), False) for p in unsure["also"]]
    phrases += [((word,), False) for word in one_word_filler()]
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


@cache
def _change_talk() -> FrozenSet[str]:
    """The lemmas of words that talk about changing an answer ("redo", "wrong", "the bit", "i wrote"), or are too
    light to name one ("need"): they name no question."""
    grammar = vocabulary().grammar
    words = (grammar.changing_verbs | grammar.editing_verbs | grammar.wider_changing_verbs | grammar.record_verbs
             | grammar.question_nouns | grammar.answer_words | grammar.said_verbs | grammar.light_verbs
             | {word for word in grammar.changing if " " not in word})
    return frozenset(words) | {t.lemma_ for t in lemmas(" ".join(sorted(words)))}


def naming_words(text: str) -> FrozenSet[str]:
    """The lemmas in a request to change an answer that may name which one ("can i redo the bit about what drains
    me": "drain"), its typed short forms read; what is matched against the questions is bot.answer_lists.named's."""
    return frozenset(t.lemma_ for t in _parse(text) if t.pos_ in NAMING_POS and not t.is_stop) - _change_talk()


def requests_named(text: str) -> FrozenSet[str]:
    """The requests a message's own words name ("stop sharing with my manager": stop_sharing), whatever the NLU
    made of it: for where a misread request would do harm ("unsure" at "Are you safe?" read as stop_sharing)."""
    found = analyse(text)
    return frozenset({cue.intent for cue in found.cues if cue.intent} | set(found.senses))


def prepares_for_a_team(text: str) -> bool:
    """Whether a message speaks of preparing for the conversations of the person's team ("I wanted to use this to prep
    for my staff's appraisals", "get ready for a career chat with one of my team", "so i can prepare for their
    conversations") or asks for the manager's version ("is there a manager side to this")."""
    grammar = vocabulary().grammar
    start = text[:READ_LIMIT]  # said early, as requests are
    words = _typed_words(start)
    return _says(words, grammar.manager_versions) or (
        _says(words, grammar.their_conversations) and bool(_team_matcher()(lemmas(_lowered(start)))))


def prepares_for_their_conversation(text: str) -> bool:
    """Whether a line manager's words ask to prepare for a conversation of their team's ("I want to prepare for a
    conversation with one of my team"), not for the manager's side as such ("is there a manager version") or to
    rehearse it ("practise a chat with one of my staff")."""
    grammar, words = vocabulary().grammar, _typed_words(text[:READ_LIMIT])
    return (prepares_for_a_team(text) and not _says(words, grammar.manager_versions)
            and not _says(words, grammar.rehearsing))


@cache
def _team_matcher() -> Matcher:
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    team = [nlp().make_doc(phrase) for phrase in sorted(grammar.their_team)]
    matcher = Matcher(nlp().vocab)
    preparing: Dict[str, Any] = {"LEMMA": {"IN": sorted(grammar.preparing)}}
    mine: Dict[str, Any] = {"LOWER": {"IN": ["my", "our"]}}
    matcher.add("for_my_team", [
        [preparing, {"OP": "{0,6}"}, {"LOWER": {"IN": ["for", "with"]}}, {"OP": "{0,3}"}, mine,
         {"IS_ALPHA": True, "OP": "{0,2}"}, *[{"LOWER": word.text} for word in doc]] for doc in team])
    matcher.add("their_conversations", [[preparing, {"LOWER": "for"}, {"LOWER": "their"}, {"IS_ALPHA": True, "OP": "?"},
                                         {"LOWER": {"IN": sorted(grammar.their_conversations)}}]])
    return matcher


def _leaves_until_another_day(text: str) -> bool:
    """Whether words that put something off name another day and not this question: the person is leaving ("can i
    save this and come back another day, too tired"), not asking for the question later ("can we come back to this
    one tomorrow")."""
    grammar = vocabulary().grammar
    words = _typed_words(text)
    return _says(words, grammar.another_day) and not _says(words, grammar.this_question)


def puts_the_question_off(text: str) -> bool:
    """Whether the words alone ask to skip the question or come back to it ("skip, i honestly dont know", "park it,
    I'm still thinking"): the safety detector's classifier hears "leave", "end" and "drop" in them. Not leaving or
    changing an answer, whose words a farewell or putting one's affairs in order may share ("Goodbye. Thank you for
    trying to help me", "I've updated my will"). Any other clause gives a reason for it ("I'm still thinking", "dont
    know"): other words may say more than the request ("leave it blank, I won't need a plan where I'm going")."""
    if len(text) > READ_LIMIT or _read(Message(text)).kind not in (SKIP, LATER):
        return False
    rest = [clause for clause in clauses(text, "?") if _read(Message(clause)).kind not in (SKIP, LATER)]
    return all(_reasons_given(_parse(clause)[:]) & {SKIP, LATER} for clause in rest)


def said_as_a_step(text: str, intent: Optional[str]) -> bool:
    """Whether a request's words are a step the person will take ("find a mentor", "look at the resources on the
    learning hub"), not asked of the coach ("find me some courses", "can you show me resources?")."""
    grammar = vocabulary().grammar
    words = _bare(text)
    return (intent in grammar.step_requests and bool(words) and _commands(text) and not reads_as_question(text)
            and not analyse(text).whole  # the request's own words and nothing else ("talk to someone")
            and words[0] not in grammar.asking_the_coach and not set(words) & grammar.to_the_coach)


def _read(message: Message) -> Reading:
    if message.choice is not None:
        return Reading(ANSWER)
    text = message.text.strip()
    if not text:
        return Reading(ANSWER)
    meant = INTENT_KINDS.get(message.intent or "")
    if text.startswith("/") and meant is not None:  # a button from an earlier message ("/review_journal")
        return _as_reading(meant, message.intent)
    found = analyse(text)
    changes = found.count <= READ_AS_CHANGE and changes_another_question(text)
    if message.intent == "other_language" and not (found.whole or found.opening or changes or asks_who_sees(text)):
        return Reading(ANSWER)  # the person's own words, unless they are the coach's ("pause pls, school run")
    if recalls_an_answer(text) and len(clauses(text, "?")) == 1 and (
            found.count <= BRIEF_ANSWER or found.count <= BRIEF and text.rstrip().endswith("?")):
        # "what did i put for the first one?", "remind me what i wrote earlier"; not an answer that starts so ("what
        # did i put in my appraisal is what matters"). A question, whatever the NLU saw: the answers are shown and the
        # question asked again (JourneyService.take), rather than leaving it as a review would.
        return Reading(QUESTION)
    if found.whole:  # "not sure, can we skip this one"
        cue = max(found.cues, key=lambda c: (c.end - c.start, c.kind != QUESTION, c.end))  # then the last said
        decided = [c for c in found.cues if c.kind in (SKIP, LATER, STOP) and c.start >= cue.end]
        if cue.kind == QUESTION and decided:  # not knowing what to put, then what to do: "dont know what, move on"
            cue = max(decided, key=lambda c: (c.end, c.end - c.start))
        if cue.kind == LATER and _leaves_then_comes_back(found):
            return Reading(STOP)
        if cue.kind == CHANGE and PROGRESS in found.senses and found.count <= 2 and text.rstrip().endswith("?"):
            return Reading(QUESTION)  # "last question?" asks how far through; "last question" goes back one
        if cue.kind == REQUEST and meant == REQUEST and message.intent != cue.intent:
            return _as_reading(REQUEST, message.intent)  # the NLU names the request more exactly
        return _as_reading(cue.kind, cue.intent, message.intent)
    if found.opening is not None:  # "gotta go, the ward's kicking off"
        cue = found.opening
        if cue.kind == REQUEST and meant == REQUEST and REQUEST_FAMILY.get(message.intent or "") == cue.intent:
            return _as_reading(REQUEST, message.intent)  # "I'm a manager, ...": the NLU names which request
        return _as_reading(cue.kind, cue.intent, message.intent)
    if changes:
        return Reading(CHANGE)  # "actually for the growth one can u put breadth not depth"
    if found.count > BRIEF and CHANGE in found.senses and _asked_in_a_clause(CHANGE, clauses(text, "?")):
        return Reading(CHANGE)  # "wait, can I change what I said for impact? I undersold myself, ..."
    if meant == REQUEST and found.count > BRIEF:
        # A long message with the request the NLU saw asked in a brief clause of its own, with why or what
        # before it ("can I start my own journal now, I've got my chat next week", "before I carry on, tell me
        # what you keep about me"), or put to the coach in the last clause, its words said before ("happy for my ward
        # manager to see all this before my appraisal, can u share it with her").
        parts = clauses(text, "?")  # "Got any leadership courses you can point me to? I want to read up first"
        if len(parts) > 1 and (_asked_in_a_clause(message.intent or "", parts) or (
                message.intent in found.senses and puts_a_request_to_the_coach(parts[-1]))):
            return Reading(REQUEST, message.intent)
    if STOP in found.closing_senses and STOP in found.reasons_before and found.count <= READ_AS_CHANGE:
        return Reading(STOP)  # an interruption, then leaving ("That's my break over. I'll pick this up another day")
    if found.leaves_for_a_reason and found.count <= READ_AS_CHANGE:
        return Reading(STOP)  # "Ward's gone mental, I'm off. I'll come back to the lot another day"
    closing = found.closing.kind if found.closing is not None else next(
        (kind for kind in (SKIP, STOP, LATER) if kind in found.closing_senses), None)
    if closing in (SKIP, STOP) and (found.count <= BRIEF or closing in found.reasons_before):
        return _closing(found, closing, meant)  # "not one for me, pass"
    if closing in (SKIP, LATER, STOP) and closing in found.closing_senses:
        # The last clause asks it of this question by itself ("..., can we come back to this one?"). In a long
        # message the words before may be the answer: keep them, and ask, unless they give the reason.
        return Reading(closing if found.count <= BRIEF or closing in found.reasons_before else UNCLEAR)
    ending = found.closing
    if ending is not None and ending.kind in (SKIP, LATER, STOP) and ending.is_phrase:
        # A last clause of its own that asks it in a phrase ("..., can we come back to it", "..., can we move on"),
        # not the one word an answer may end on ("I'm fine for now, maybe later"). In a long message, only when the
        # words before say why ("I don't really want to go into my health on here, can we move on"); otherwise
        # they may be the answer: keep them, and ask.
        if found.count <= BRIEF or ending.kind in found.reasons_before or _same_before(found, ending.kind):
            return _closing(found, ending.kind, meant)
        return Reading(UNCLEAR)
    final = found.final
    if final is not None and final.kind in found.reasons_before_final and found.count <= READ_AS_CHANGE:
        return Reading(final.kind)  # "let me check my payslip and come back to it"
    if found.waits is not None and found.count <= READ_AS_CHANGE:
        return Reading(found.waits)  # "I'll come back to it when I've asked a couple of colleagues what they'd say"
    if asks_who_sees(text):  # "will my manager see this", "hw private is this": answered in place, or by the
        # request the NLU saw that also says who has ("has my manager looked at any of this yet?")
        return _as_reading(REQUEST, message.intent) if message.intent in TELL_WHO_SEES else Reading(QUESTION)
    if answers_itself(text):
        return Reading(ANSWER)  # "what do I enjoy? teaching the new starters"
    if found.count <= BRIEF or (found.count <= 30 and reads_as_question(text)):
        # The NLU saw a request, and the words bear it out ("can you send my answers to my line manager").
        sense = message.intent if meant == REQUEST else meant
        if sense is not None and sense != QUESTION and (
                sense in found.senses or (meant == REQUEST and sense in analyse(_respelt(text)).senses)) and (
                meant != REQUEST or _asks(text)):
            return _as_reading(meant or ANSWER, message.intent)
        # A request about the question itself, whatever the NLU guessed ("come back to this one").
        for kind in SELF_EVIDENT:
            if kind in found.senses:
                return Reading(UNCLEAR if kind == CHANGE and _wishes_otherwise(text) else kind)
    leading = found.leading
    if leading is not None and leading.kind == SKIP and found.declines_and_names and found.count <= BRIEF:
        return Reading(SKIP)  # "rather not say my band tbh"
    if leading is not None and leading.kind == STOP and STOP in found.senses and found.count <= BRIEF and (
            reads_as_question(text)):
        return Reading(STOP)  # leaving, and when, asked: "can I log out and come back to all of it on my day off?"
    if leading is not None and leading.kind in (SKIP, LATER, STOP) and (
            leading.kind in found.senses or message.intent != "inform"):
        # "I'd rather skip this one because I've never thought about it": ask. Words that start like a request
        # but are not about the question, and that the NLU reads as a statement, are an answer ("Move on to a
        # team leader role").
        return Reading(UNCLEAR)
    if NOT_FOLLOWING in found.senses and found.count <= NOT_FOLLOWING_WORDS:
        return Reading(QUESTION)  # "dont understand", "you've lost me": the question is put another way
    # A request the NLU saw that the words do not bear out gives way to a question about the answer ("how long
    # should my answer be").
    borne_out = meant == REQUEST and message.intent in found.senses
    if (meant == QUESTION or CLARIFY in found.senses and not borne_out or PROGRESS in found.senses
            or message.intent == "nlu_fallback" and _about_the_prompt(text) and _asks_what(text)
            or not borne_out and _asks_about_the_answer(text)) and reads_as_question(text):
        # "who gets to see what i put here", which the NLU could not place; "can you give me an example of what
        # people put here"; "which stage am i on", answered with the place
        return Reading(QUESTION)
    if message.intent == "inform" and _tentative(text):
        return Reading(ANSWER)  # "could i try a secondment maybe?", "after christmas, jan?"
    if text.rstrip().endswith("?") and reads_as_question(text) and (
            meant != REQUEST or _about_the_prompt(text) or _asks_what(text)):
        # A question about the question ("is breadth the same as a sideways move?"), or about this, or a "what",
        # "where" or "how" question, whatever request the NLU guessed that the words do not bear out ("will my
        # manager see this?", "where do I find the competences for my role?").
        return Reading(QUESTION)
    asked, mark, remark = text.partition("?")
    if mark and _asks_what(asked) and len(asked.split()) <= ASKED_FIRST and 0 < len(remark.split()) <= ASKED_FIRST:
        return Reading(QUESTION)  # "what is Our Leadership Way? never heard of it", "what competences? where are they"
    if meant is not None and meant != QUESTION and found.count > BRIEF and found.cues:
        return Reading(UNCLEAR)  # the NLU and a phrase both see a request in a long message: ask
    if message.intent == "out_of_scope" and message.elsewhere and _commands(text):
        return Reading(ELSEWHERE)  # an errand about things the coach never speaks of ("convert 20 yen to dollars")
    if (meant is None or message.intent == "out_of_scope") and puts_a_request_to_the_coach(text):
        # "email me the plan when we're done", which the NLU could not name, or took for something else entirely ("cn
        # u email the plan to my nhs.net when its done"): keep, and ask
        return Reading(UNCLEAR)
    if message.intent == "nlu_fallback" and found.senses & REQUEST_INTENTS and reads_as_question(text):
        # A question the NLU could not place, in a request's words ("has my band 7 been shown any of my answers"):
        # keep, and ask, with its guesses.
        return Reading(UNCLEAR)
    return Reading(ANSWER)


def _closing(found: Analysis, kind: str, meant: Optional[str]) -> Reading:
    """A short message that ends by skipping or stopping ("she'd rather not have that recorded, skip"): that
    request when the last clause says it by itself ("i'll carry on another day"), the words before it decline
    ("not a good time, can we stop"), or the NLU sees it and the words before it ask for nothing themselves
    ("thats me for today, bye"), or they give the reason ("got a job come in, have to go"), or it skips in a phrase
    of its own ("that ones a bit deep for a tuesday morning, skip it"). Otherwise the words before may be an answer
    ("I'd like to stop doing nights, bye"): ask."""
    before = [cue for cue in found.cues if cue.end <= found.last_start]
    if kind == LATER and _leaves_then_comes_back(found):
        return Reading(STOP)
    skips_in_a_phrase = kind == SKIP and found.closing is not None and found.closing.is_phrase
    if (kind in found.closing_senses or found.declined or (meant == kind and not before)
            or _same_before(found, kind) or kind in found.reasons_before or skips_in_a_phrase):
        return Reading(kind)
    return Reading(UNCLEAR)


def _leaves_then_comes_back(found: Analysis) -> bool:
    """Whether the message opens by leaving, so that coming back after it is the return promised, not this question
    put off: "that's me done for today, I'll come back to it"."""
    return found.leading is not None and found.leading.kind == STOP


def _same_before(found: Analysis, kind: str) -> bool:
    """Whether the words before the last clause say the same in a phrase of their own ("sorry need to stop here,
    breaks over"), not a word that an answer may hold ("I'd like to stop doing nights, bye")."""
    before = [cue for cue in found.cues if cue.end <= found.last_start]
    return any(cue.is_phrase for cue in before) and all(cue.kind == kind for cue in before)


def _tentative(text: str) -> bool:
    """Whether a message with a question mark is an answer put tentatively: a step the person wonders about
    ("could i try a secondment maybe?") or a fragment ("after christmas, jan?"), not a question about the prompt or
    the coach ("do you mean energy like physically?"), not a "what" or "how" question, and not one word ("depth?"
    asks what it means)."""
    grammar, words = vocabulary().grammar, _after_filler(text)
    first = words[0] if words else ""
    asked = re.findall(r"[\w']+", text.partition("?")[0].lower())
    return (text.rstrip().endswith("?") and len(re.findall(r"[\w']+", text)) > 1 and not _about_the_prompt(text)
            and first not in grammar.wh_words | grammar.wh_contracted
            and not (asked and asked[-1] in grammar.wh_words)  # "impact on who? patients or the trust?" asks
            and (first not in grammar.question_openers or _opens_tentatively(words)))


def _opens_tentatively(words: Sequence[str]) -> bool:
    """Whether the words open as a step the person wonders about ("could i", "maybe")."""
    said = " ".join(words)
    return any(f"{said} ".startswith(f"{opener} ") for opener in vocabulary().grammar.tentative_openers)


def points_at_the_question(text: str) -> bool:
    """Whether the words point at the question or the coach ("come back to it", "ask me later"), not only at a
    time ("later on", "not yet"), which may be an answer."""
    grammar = vocabulary().grammar
    return bool(_word_set(text) & (grammar.pointing_at_the_prompt | grammar.to_the_coach | grammar.question_nouns))


def _asks_about_the_answer(text: str) -> bool:
    """Whether a message opens with a yes-or-no question about what to write ("does this count if im not in a
    management role", "should i name actual people or just say 'a mentor'"), with or without a question mark."""
    grammar, words = vocabulary().grammar, _after_filler(text)
    # "can i just put band 5" puts the answer tentatively; "should i name people or just say 'a mentor'" asks.
    tentative = _opens_tentatively(words) and "or" not in words
    return (len(words) > 2 and words[0] in grammar.yes_no_openers and words[1] in grammar.asked_subjects
            and _says(words, grammar.about_the_answer) and not tentative)


def _about_the_prompt(text: str) -> bool:
    """Whether a question points at the prompt or the coach ("is this ...", "do you ...", "does it ...")."""
    return bool(_word_set(text) & vocabulary().grammar.pointing_at_the_prompt)


def _word_set(text: str) -> FrozenSet[str]:
    return frozenset(re.findall(r"[a-z']+", text.lower()))


def clauses(text: str, also: str = "") -> List[str]:
    """The clauses of a message (split at ``also`` as well: "?" for the questions in it)."""
    marks = re.escape(CLAUSE_MARKS + also)
    return [clause.strip() for clause in re.split(f"[{marks}]", text) if clause.strip()]


def _wishes_otherwise(text: str) -> bool:
    """Whether a message asks whether "it" could be otherwise ("my manager said no to flexible hours, could it be
    compressed hours instead"), which may be about work as well as about the answer."""
    return _says(_typed_words(text), vocabulary().grammar.wishing_otherwise)


def _asked_in_a_clause(sense: str, parts: List[str]) -> bool:
    """Whether a brief clause of a long message asks for ``sense`` by itself."""
    return any(len(part.split()) <= BRIEF and sense in analyse(part).senses and _asks(part) for part in parts)


def _asks(text: str) -> bool:
    """Whether words that name a request are said as one: a question, or a clause that is a command or
    "I want ..." / "can I ..." ("before I go on, show me my answers"). "More regular shifts and someone to talk
    to" names something the person needs; it asks for nothing."""
    grammar = vocabulary().grammar
    questions = [f"{question}?" for question in text.split("?")[:-1]]  # "anything to read up on? free stuff ideally"
    said = _said(text).split()
    return (any(reads_as_question(question) for question in [text, *questions])
            or _says(said, grammar.asking_you | grammar.asking_to)
            or bool(said) and said[-1] in grammar.politely  # "checklist for the appraisal meeting pls"
            or any(reads_as_question(clause) or _clause_asks(clause)
                   for clause in clauses(text)))  # "before I forget, can you email me the plan"


def _clause_asks(clause: str) -> bool:
    filler = one_word_filler()
    said = [t for t in _parse(clause) if not (t.is_punct or t.is_space or t.lower_ in filler)]
    if not said:
        return False
    first = said[0]
    if first.lower_ == "i":  # "I want to talk to someone", not "I share my plan with my manager every month"
        return len(said) > 1 and said[1].lower_ in vocabulary().grammar.i_asking
    # A verb first, but not the "-ing" of a clause that tells ("presenting to big groups, I forget everything").
    return first.pos_ == "VERB" and first.tag_ != "VBG" or first.lower_ in vocabulary().grammar.request_openers


def puts_a_request_to_the_coach(text: str) -> bool:
    """Whether a clause opens by asking the coach to do something in so many words ("can you show me the checklist",
    "i dont want my manager seeing this anymore, can you turn the sharing off"), or on a verb that asks for the
    coach's things, said to it ("email me the plan when we're done", "pls send me my answers"). Not an answer's "my
    manager always says can you cover a shift", "can you believe it", "send me on more courses", "give me a busy shift
    any day", "send for me", or "I'll tell you if something's wrong"."""
    grammar = vocabulary().grammar
    lead_in = grammar.asking_leads - grammar.yes_no_openers - grammar.to_the_coach  # "pls", "oh", not "can", "you"
    for clause in clauses(text, "?"):
        words = _after_filler(_typed(clause), lead_in)
        then = set(words[2:3])
        asks_you = " ".join(words[:2]) in grammar.asking_you and not then & grammar.wondering
        fetches = (len(words) > 1 and words[0] in grammar.fetching_verbs and words[1] in grammar.to_the_coach
                   and not then & grammar.sent_away)
        if asks_you or fetches:
            return True
    return False


def _brief_enough_to_change(text: str) -> bool:
    """Whether a message is short enough to ask for a change: at most ``READ_AS_CHANGE`` words and ``READ_LIMIT``
    characters. Checked before parsing, so a huge message, even of emoji alone, is never parsed whole."""
    return len(text) <= READ_LIMIT and len(text.split()) <= READ_AS_CHANGE


def changes_another_question(text: str) -> bool:
    """Whether a message points at another of the coach's questions by name ("the values one", "the bit about my
    band") and changes something ("can u put breadth not depth", "should say band 7"), or changes an answer it names
    ("update my staff group to AHP", "I got my job title wrong", "re my vision, scrap that"), or points back at what
    the person said before and corrects it ("sorry typo in my last answer", "I put 6 months for the review but can
    you make it 3"), or asks the coach to dismiss or replace what was said ("ignore what i said bout energy", "...
    confidence in meetings not IT skills, can you swap it"), or opens by calling itself a correction ("correction to
    my goals: ..."), or says the mind was changed about what was said ("I changed my mind about what I find hard")."""
    if not _brief_enough_to_change(text):
        return False
    grammar = vocabulary().grammar
    said = _lowered(text)
    words = re.findall(r"[a-z']+", said)
    opens = re.match(r"\W*([a-z]+)\s*(?:to\b|[:,;.!\-–—])", said)
    # A question named first, by itself ("motivation one - change to learning new things").
    heading = re.match(r"\W*([a-z]+) ([a-z]+)\s*[:,;\-–—]", said)
    named_first = heading is not None and heading.group(1) in grammar.question_names and (
        heading.group(2) in grammar.question_nouns)
    return (((named_first or _names_a_question(words)) and _says(words, grammar.changing))
            or _changes_by_name(said, words)
            or _said_then_now(said)
            or _asks_to_replace(said)
            or ((_says(words, grammar.earlier_answer) or _names_an_answer(words)) and _says(words, grammar.correcting))
            or (opens is not None and opens.group(1) in grammar.correcting_openers)
            or _says(words, grammar.second_thoughts))


def returns_to_another_question(text: str, asking: FrozenSet[str]) -> bool:
    """Whether a short message goes back to another question than the one being asked (``asking``) and changes its
    answer: opening on it by name ("the goals - take out the third one"), or in the person's words ("going back to
    what support I'd need, add my supervisor", "re: what helps me be at my best - scrap 'more staff'"), or counting
    one of its answers just after a word that changes it ("swap goal two for my ILM 5", "take out the 2nd step"). Not
    "the goals: change teams and get my ILM" at the goals question, nor "my first goal is to change teams"."""
    if not _brief_enough_to_change(text):
        return False
    grammar = vocabulary().grammar
    said = _lowered(text)
    words = re.findall(r"[a-z0-9']+", said)
    if not _says(words, grammar.changing):
        return False
    asked = {word.rstrip("s") for word in asking}
    heading = re.match(r"\W*the ([a-z]+)\s*[:,;\-–—]", said)
    if heading is not None and heading.group(1) in grammar.question_names:
        return heading.group(1).rstrip("s") not in asked and _changes_after(said, heading.end())
    returning = "|".join(re.escape(opener) for opener in sorted(grammar.returning_openers))
    back = re.match(rf"\W*(?:{returning})\W*\s*(?:(?:what|how|where|when|why)\b|the (?:bit|one|question|part) "
                    r"(?:about|on|where)\b)", said)
    if back is not None:
        # "what I'd like to develop" cannot name the question being asked: that needs no going back. The change is
        # said after it: "going back to where I trained" is a wish.
        return _changes_after(said, back.end())
    for i, word in enumerate(words):
        # "goal two", "the 2nd step", "the second of my steps"
        of = 3 if words[i - 2:i] in (["of", "my"], ["of", "the"]) else 2 if words[i - 1:i] == ["of"] else 0
        counts = {*words[i - 1:i], *words[i + 1:i + 2], *(words[i - of:i - of + 1] if of else [])}
        if word in grammar.counted_records and counts & grammar.counts and word.rstrip("s") not in asked and _says(
                words[max(0, i - 6):i], grammar.changing):
            return True
    return False


def _changes_after(said: str, start: int) -> bool:
    return _says(re.findall(r"[a-z0-9']+", said[start:]), vocabulary().grammar.changing)


def _names_an_answer(words: Sequence[str]) -> bool:
    """Whether "my" names an answer by what it was about: "my proud moment answer", "my feelings answer"."""
    return any(word == "answer" and "my" in words[max(0, i - 3):i - 1] for i, word in enumerate(words))


def tells_another_answer_wrong(text: str, asking: FrozenSet[str]) -> bool:
    """Whether a short message names another question's answer and tells it was wrong: said of the answer to end
    its clause ("my hours are wrong, I do 30 not 37.5", "the answer i give for the vision is not correct"), opened on
    ("wrong role, I'm a pharmacy technician", "scratch the aspiration"), or a record given what it should be ("my
    title should be Advanced Clinical Practitioner"). Told, not asked, so the words may also be this question's
    answer, and they are kept (bot.journey_service). ``asking`` names the question being asked: "my role is wrong
    for me" at the question about the role is its answer."""
    if not _brief_enough_to_change(text):
        return False
    doc = nlp().make_doc(_lowered(text))
    if len([t for t in doc if t.is_alpha]) > READ_AS_CHANGE:
        return False
    # Nothing after but filler or the change asked again ("goals wrong pls change").
    grammar = vocabulary().grammar
    filler = one_word_filler() | grammar.changing_verbs
    for match_id, start, end in _told_matcher()(doc):
        form = nlp().vocab.strings[match_id]
        named = [t.lower_ for t in doc[start:end] if t.lower_ in _answer_names() | grammar.question_nouns]
        if not named or named[0] in asking:
            continue
        rest = next((t for t in doc[end:] if t.lower_ not in filler), None)
        opens = start == 0 or _ends_clause(doc[start - 1])
        if (form == "said_of" and (rest is None or _ends_clause(rest))) or (form == "opened" and opens) or (
                form == "should"):
            return True
    return False


def asks_to_edit_another_answer(text: str, asking: FrozenSet[str]) -> bool:
    """Whether a short message asks to edit an answer it names, other than the one being asked (``asking``): with a
    verb that only edits words ("can I redo behaviours, i was rushing", "I need to correct my career vision"), or
    with one that may change a thing in one's life too, a record or an answer named and asked of the coach ("can I
    remove the third goal", "please delete my proud moment answer"), or wanted back ("I want to change my aspiration
    back to what it was"); not told ("I changed my goals after the course")."""
    if not _brief_enough_to_change(text):
        return False
    doc = lemmas(_lowered(text))
    if len([t for t in doc if t.is_alpha]) > READ_AS_CHANGE:
        return False
    asked = {word.rstrip("s") for word in asking}  # "my second goal" at the goals question
    for match_id, start, end in _edit_matcher()(doc):
        after = doc[end] if end < len(doc) else None
        if doc[end - 1].lower_.rstrip("s") in asked or any(t.lower_ == "all" for t in doc[start:end]) or (
                after is not None and _names_a_thing(after)):
            continue  # this question's own, all of them ("delete all my answers"), or a thing ("redo my band 6 prep")
        back = after is not None and after.lower_ == "back"  # "I want to change my aspiration back to what it was"
        if nlp().vocab.strings[match_id] == "edited" or _asked_for(doc, start, wanted=back):
            return True
    return False


def _names_a_thing(after: Token) -> bool:
    """Whether the word after an answer's name makes the name part of a thing's ("the review process", "the goal
    setting process", "the timing of drug rounds")."""
    return after.lower_ not in vocabulary().grammar.question_nouns and (
        after.pos_ in ("NOUN", "PROPN", "NUM") or after.tag_ == "VBG" or after.lower_ == "of")


def _asked_for(doc: Doc, start: int, wanted: bool = False) -> bool:
    """Whether the words before the verb at ``start``, in its clause, only ask it of the coach ("can I", "please",
    "is it possible to"), or, ``wanted``, want it ("actually I want to"). None at all is not enough: "update my goals
    every quarter" may be a step, and so may "I want to change my band by next year"."""
    grammar = vocabulary().grammar
    return bool(_asking_words(doc, start, grammar.wanting_leads | (grammar.i_asking if wanted else frozenset())))


@cache
def _edit_matcher() -> Matcher:
    """The forms of :func:`asks_to_edit_another_answer`: a verb, a determiner, up to two words, and the name."""
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    determiner: Dict[str, Any] = {"LOWER": {"IN": ["my", "the", "that", "this"]}, "OP": "?"}
    words: Dict[str, Any] = {"IS_ALPHA": True, "OP": "{0,2}"}
    matcher = Matcher(nlp().vocab)
    matcher.add("edited", [[{"LOWER": {"IN": sorted(grammar.editing_verbs)}}, determiner, words,
                            {"LOWER": {"IN": sorted(grammar.question_names | grammar.record_names
                                                    | grammar.answer_words)}}]])
    matcher.add("asked", [[{"LOWER": {"IN": sorted(grammar.wider_changing_verbs)}}, determiner, words,
                           {"LOWER": {"IN": sorted(grammar.record_names | grammar.answer_words)}}]])
    return matcher


def corrects_in_a_last_clause(text: str) -> bool:
    """Whether a short message gives a value, then asks in a last clause of its own only for a change ("I'm in estates
    and facilities, not admin and clerical, fix that", "the feedback was from 2022, not this year, please correct"),
    or says it got the value wrong ("my role is bank not permanent, I got that wrong"): one value set against another.
    Told, so the words before may be this question's answer too, and they are kept."""
    parts = clauses(text)
    if len(parts) < 2 or not _brief_enough_to_change(text):
        return False
    grammar = vocabulary().grammar
    said = _typed_words(parts[-1])
    last = [w for w in said if w not in one_word_filler()]
    before = lemmas(" ".join(parts[:-1]))
    if not any(t.lower_ in grammar.contrasts for t in before):
        return False  # no value set against another: "more staff, fix that" asks for it on the ward
    verbs = grammar.changing_verbs | grammar.record_verbs
    if last and set(last) <= verbs | grammar.asking_leads | grammar.pointing_back and set(last) & verbs:
        return any(t.pos_ in ("NOUN", "PROPN", "NUM") for t in before)
    return _says(said, grammar.got_it_wrong)


@cache
def _answer_names() -> FrozenSet[str]:
    grammar = vocabulary().grammar
    return grammar.question_names | grammar.record_names | grammar.identity_names


@cache
def _told_matcher() -> Matcher:
    """The forms of :func:`tells_another_answer_wrong`, as spaCy token patterns over the words as typed."""
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    name: Dict[str, Any] = {"LOWER": {"IN": sorted(_answer_names())}}
    being: Dict[str, Any] = {"LOWER": {"IN": ["is", "are", "was", "were", "'s", "s"]}, "OP": "?"}
    matcher = Matcher(nlp().vocab)
    matcher.add("said_of", [[name, being, {"LOWER": {"IN": sorted(grammar.told_faults)}}],
                            [name, being, {"LOWER": "not"}, {"LOWER": {"IN": sorted(grammar.told_not_faults)}}],
                            # "the proud bit was wrong": a question named by its noun
                            [{"LOWER": {"IN": ["my", "the"]}}, {"IS_ALPHA": True, "OP": "?"},
                             {"LOWER": {"IN": sorted(grammar.question_nouns - {"one"})}}, being,
                             {"LOWER": {"IN": sorted(grammar.told_faults)}}],
                            [name, being, {"LOWER": "out"}, {"LOWER": "of"}, {"LOWER": "date"}]])
    matcher.add("opened", [[{"LOWER": {"IN": sorted(grammar.told_fault_openers)}}, {"LOWER": "in", "OP": "?"},
                            {"LOWER": {"IN": ["my", "the"]}, "OP": "?"}, {"IS_ALPHA": True, "OP": "?"}, name]])
    record: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.record_names | grammar.identity_names)}}
    # "my title should be ...", "the review date should be ...": not "the review process should be fairer"
    named_as: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.question_nouns | {"date"})}, "OP": "?"}
    # "my band changed to 6 last week": a record a person is, told to be something new
    identity: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.identity_names)}}
    matcher.add("should", [[record, named_as, {"LOWER": "should"}, {"LOWER": {"IN": ["be", "say", "read"]}}],
                           [{"LOWER": "my"}, identity, {"LOWER": {"IN": ["has", "have", "'s"]}, "OP": "?"},
                            {"LOWER": "changed"}, {"LOWER": "to"}]])
    return matcher


def _names_a_question(words: Sequence[str]) -> bool:
    """A question named with a determiner and a noun ("the values one", "the proud experience one": the determiner
    may come a word early), or a noun about it ("the bit about my band", "the question about steps"), or described in
    the person's words between "the" and "bit", "one" or "question" ("the what drains me bit", "the how am i feeling
    one", "the one about how i work with others"); not "the best bit of my job"."""
    grammar = vocabulary().grammar
    return _described_question(words) or any(word in grammar.question_names and (
        set(words[max(0, i - 2):i]) & grammar.naming_determiners
        and any(after in grammar.question_nouns for after in words[i + 1:i + 3])
        or "about" in words[max(0, i - 2):i] and any(noun in grammar.question_nouns for noun in words[max(0, i - 3):i]))
        for i, word in enumerate(words))


def _described_question(words: Sequence[str]) -> bool:
    said = " ".join(words)
    return bool(re.search(r"\bthe (?:bit|one|question|part) (?:about|where|on)\b", said)
                or re.search(r"\bthe (?:(?:how|what|where|when|why)(?: [a-z']+){1,4}) (?:bit|one|question)\b"
                             r"(?! (?:of|is|was)\b)", said))


def _changes_by_name(said: str, words: Sequence[str]) -> bool:
    """An answer kept as a record (``record_names``), named with "my" or "the" and changed: by a verb just before it,
    with nothing after but filler or a mark ("redo my goals please", "change my goals 🙏"), or given a new value
    ("update my staff group to AHP"); or said to be wrong ("I got my job title wrong"). Or any answer named after a
    typo ("typo in my role"), or named first and then corrected ("re my vision, scrap that", "for growth I meant
    stretch"). Or any question gone back to by name, with nothing after ("go back to motivation pls"), or any answer
    named and asked to be changed to a new value ("change my first goal to ...", "update my hours to 0.8")."""
    doc = nlp().make_doc(said)
    grammar = vocabulary().grammar
    filler, corrected = one_word_filler(), _says(words, grammar.opener_corrections)
    for match_id, start, end in _change_matcher()(doc):
        form = nlp().vocab.strings[match_id]
        rest = [t for t in doc[end:] if t.lower_ not in filler and t.lower_ not in grammar.change_afters]
        if (form in ("verb", "back") and (not rest or _symbol(rest[0])) or form in ("record", "fault")
                or form == "opener" and corrected and not any(t.is_alpha for t in doc[:start])
                or form == "asked" and _asking_words(doc, start) is not None
                or form == "asked_you" and _says(_asking_words(doc, start) or [], grammar.asking_you)):
            return True
    return False


def _asks_to_replace(said: str) -> bool:
    """What the person said before, asked to be dismissed ("ignore what i said bout energy", "scrap what i put for
    values"), or given as one value, not another, with the coach asked to change it ("... confidence in meetings not
    IT skills, can you swap it"). Asked, not told: "I forget what I said in my last appraisal" is an answer."""
    doc = lemmas(said)
    grammar = vocabulary().grammar
    filler = one_word_filler()
    for match_id, start, end in _replace_matcher()(doc):
        if nlp().vocab.strings[match_id] != "replaced":
            if _asking_words(doc, start) is not None:
                return True
            continue
        # The change asked for ends the message: "can you swap it", not "can you swap it with the night team".
        rest = [t for t in doc[end:] if t.lower_ not in filler and t.lower_ not in grammar.change_afters]
        if _asking_words(doc, end - 2) is not None and (not rest or _symbol(rest[0])):
            return True
    return False


def _asking_words(doc: Doc, start: int, also: FrozenSet[str] = frozenset()) -> Optional[List[str]]:
    """The words before the verb at ``start`` in its clause, when they only ask it of the coach: asking words and
    filler ("can you change ...", "lol ignore ...", "sorry, disregard ...", none at all), or ``also`` those;
    ``None`` when a subject tells it ("I want to change ...", "I forget what I said")."""
    leads = vocabulary().grammar.asking_leads | also
    words: List[str] = []
    for token in reversed(doc[:start]):
        if _ends_clause(token):
            break
        if token.lower_ not in leads:
            return None
        words.insert(0, token.lower_)
    return words


def _said_then_now(said: str) -> bool:
    """What the person said before, as a value, then what is true ("I wrote midwife but I'm a maternity support
    worker", "I put band 4 but I got regraded"), or a record given as one value, not another ("my band is 6 not 5",
    "staff group should say AHP, not nursing", "should be physio not OT"). Not "I put my name down, I'm hoping" (no
    value) nor "I'm band 5 not looking to move" (the record is not said to be anything). Or what was said, then asked
    to be something else instead ("i put asap, can that be in a years time instead"), not "... instead of ..."."""
    doc = lemmas(said)
    return any(doc.vocab.strings[rule] != "said_then_instead" or doc[end:end + 1].text != "of"
               for rule, _, end in _said_matcher()(doc))


@cache
def _said_matcher() -> Matcher:
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    value: Dict[str, Any] = {"POS": {"IN": ["NOUN", "PROPN", "NUM", "ADJ"]}, "OP": "{1,3}"}
    when: Dict[str, Any] = {"LOWER": {"IN": ["before", "earlier", "first"]}, "OP": "?"}
    contrast: Dict[str, Any] = {"LOWER": {"IN": [",", "but", "-", ";", "–", "—"]}}
    now: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.said_now)}}
    matcher = Matcher(nlp().vocab)
    said: List[Dict[str, Any]] = [{"LOWER": "i"}, {"LOWER": {"IN": sorted(grammar.said_verbs)}}]
    then_now: List[Dict[str, Any]] = [contrast, {"LOWER": "but", "OP": "?"}, {"LOWER": "i"}, now]
    matcher.add("said_then_now", [[*said, value, when, *then_now],
                                  # Said earlier, of a job the tagger takes for an adverb or of nothing named ("i
                                  # typed paramedic earlier but im ...", "that one i answered earlier, im ...")
                                  [*said, {"POS": "ADV", "OP": "?"}, {"LOWER": "earlier"}, *then_now]])
    # What was said for a question named, then set against: "i said stepping up for the growth thing but ...",
    # "placement - i said yes it felt right but ...", "the what i want to develop question, i said IT but ...". Not
    # "i put myself forward for the leadership programme, but" (a thing named), nor "..., i said it before, but".
    against: Dict[str, Any] = {"LOWER": {"IN": ["but", ","]}}
    name: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.question_names)}}
    what: List[Dict[str, Any]] = [{"LOWER": {"NOT_IN": sorted(grammar.demonstratives | {"it", "so"})}},
                                  {"OP": "{0,3}"}]
    noun: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.question_nouns | {"thing"})}}
    matcher.add("said_for_a_question", [
        [*said, *what, {"LOWER": {"IN": ["for", "in", "on", "to"]}}, {"LOWER": {"IN": ["the", "my"]}},
         {"IS_ALPHA": True, "OP": "{0,2}"}, name, {**noun, "OP": "?"}, against],
        [{**name, "IS_SENT_START": True}, {"IS_PUNCT": True}, *said, *what, against],
        [{"LOWER": "question"}, {"IS_PUNCT": True}, *said, {"OP": "{1,4}"}, against]])  # "..., i said IT but"
    # What was said, then asked to be something else instead: "for when i want it to happen i put asap, can that be
    # in a years time instead". Not "i put my name down, can i go on the course instead of ..." (see _said_then_now).
    matcher.add("said_then_instead", [[*said, {"OP": "{1,4}"}, {"LOWER": {"IN": [",", "-", "but", "so"]}},
                                       {"LOWER": {"IN": ["can", "could"]}}, {"LOWER": {"IN": ["that", "it", "you"]}},
                                       {"OP": "{1,6}"}, {"LOWER": "instead"}]])
    said_to_be: Dict[str, Any] = {"LOWER": {"IN": ["is", "'s", "should", "must"]}}
    # "not" then the other value, a thing or a number ("not OT", "not 5", "not clinical nurse educator"), not a state
    # ("should be fine, not worried").
    other: List[Dict[str, Any]] = [{"LOWER": "not"}, {"POS": "ADJ", "OP": "?"},
                                   {"POS": {"IN": ["NOUN", "PROPN", "NUM"]}}]
    matcher.add("one_not_another", [
        # A record is never a state, so any word may follow ("not admin", which the tagger takes for a verb).
        [{"LOWER": {"IN": sorted(grammar.identity_names)}}, said_to_be, {"OP": "{0,5}"}, {"LOWER": "not"},
         {"IS_PUNCT": False}],
        [{"LOWER": "should", "IS_SENT_START": True}, {"LOWER": {"IN": ["be", "say", "read"]}}, {"OP": "{1,4}"},
         *other]])
    return matcher


@cache
def _change_matcher() -> Matcher:
    """The forms of :func:`_changes_by_name`, as spaCy token patterns over the words as typed."""
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    determiner: Dict[str, Any] = {"LOWER": {"IN": ["my", "the"]}}
    any_word: Dict[str, Any] = {"IS_ALPHA": True, "OP": "?"}
    record = [determiner, any_word, {"LOWER": {"IN": sorted(grammar.record_names)}}]
    name: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.question_names)}}
    matcher = Matcher(nlp().vocab)
    # A verb that only edits words needs no "my" ("redo goals pls").
    editing: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.editing_verbs)}}
    matcher.add("verb", [[{"LOWER": {"IN": sorted(grammar.changing_verbs)}}, *record],
                         [editing, {"LOWER": {"IN": sorted(grammar.record_names)}}]])
    # Going back to any question by its name, with nothing after ("go back to motivation pls", "revisit values, I
    # want to add fairness"); not "go back to studying", nor "revisit my goals every quarter".
    # "Come back to" puts a question off; it is not this.
    back: List[Dict[str, Any]] = [{**determiner, "OP": "?"}, any_word, name]
    matcher.add("back", [[{"LOWER": {"IN": ["go", "going"]}}, {"LOWER": "back"}, {"LOWER": "to"}, *back],
                         [{"LOWER": "revisit"}, *back]])
    matcher.add("record", [[{"LOWER": {"IN": sorted(grammar.record_verbs)}}, *record, {"LOWER": "to"}]])
    matcher.add("fault", [[*record, any_word, {"LOWER": {"IN": sorted(grammar.faults)}}],
                          [{"LOWER": {"IN": sorted(grammar.faults_before)}}, any_word, any_word, determiner, any_word,
                           name]])
    matcher.add("opener", [[{"LOWER": {"IN": sorted(grammar.naming_openers)}}, {"IS_PUNCT": True, "OP": "?"},
                            {**determiner, "OP": "?"}, any_word, name]])  # "re: my aspiration - scrap that"
    # An answer named, then "to" its new value, asked of the coach (:func:`_asking_words`), not told ("I want to
    # change my role to something with more patient contact"); "change specialty to mental health" names no answer.
    # A record with any changing verb ("change my first goal to ...", "change band to 8a pls"), any answer with a
    # record verb ("update my hours to 0.8") or, the coach asked in so many words, with any changing verb ("can you
    # change my motivation to helping patients"): a bare "change my hours to part time" may be a step.
    named: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.question_names | grammar.record_names
                                                    | grammar.identity_names)}}
    new_value: List[Dict[str, Any]] = [any_word, {"LOWER": "to"}]
    changing: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.changing_verbs)}}
    matcher.add("asked", [
        [changing, {**determiner, "OP": "?"}, any_word, {"LOWER": {"IN": sorted(grammar.record_names)}}, *new_value],
        [{"LOWER": {"IN": sorted(grammar.record_verbs)}}, {**determiner, "OP": "?"}, any_word, named, *new_value]])
    matcher.add("asked_you", [[changing, {**determiner, "OP": "?"}, any_word, named, *new_value]])
    return matcher


@cache
def _replace_matcher() -> Matcher:
    """The forms of :func:`_asks_to_replace`, as spaCy token patterns over the tagged words."""
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    matcher = Matcher(nlp().vocab)
    # "forget what I said about my manager", "ignore what I've put for energy"; not "delete everything I've put in",
    # which asks for all of it to be erased.
    matcher.add("dismissed", [[{"LOWER": {"IN": sorted(grammar.dismissing)}}, {"LOWER": "what"}, {"LOWER": "i"},
                               {"LOWER": {"IN": ["'ve", "ve", "have", "just"]}, "OP": "?"},
                               {"LOWER": {"IN": sorted(grammar.said_verbs)}}]])
    # Not "swap IT skills for confidence in meetings": the words alone cannot tell it from a plan ("swap nights for
    # days"), which would be lost.
    # "... is confidence in meetings not IT skills, can you swap it": the change asked in a clause of its own, after
    # a value, not a state ("not sure, can you change it"; the tagger may take "skills" in "it skills" for a verb).
    matcher.add("replaced", [[{"LOWER": {"IN": sorted(grammar.other_value)}}, {"IS_ALPHA": True, "OP": "{0,3}"},
                              {"IS_ALPHA": True, "POS": {"NOT_IN": ["ADJ", "ADV"]}}, {"IS_PUNCT": True},
                              {"IS_ALPHA": True, "OP": "{0,3}"},
                              {"LOWER": {"IN": sorted(grammar.changing_verbs)}},
                              {"LOWER": {"IN": sorted(grammar.pointing_back)}}]])
    return matcher


def _says(words: Sequence[str], phrases: Iterable[str]) -> bool:
    """Whether the words hold one of the phrases, whole words in order ("make it" in "can you make it 3")."""
    said = f" {' '.join(words)} "
    return any(f" {phrase} " in said for phrase in phrases)


def _commands(text: str) -> bool:
    """Whether a message starts with a bare verb, as an errand does ("convert 20 yen to dollars"), not an account
    ("turned a complaint into a compliment") or a statement ("I talk a lot, make tea for everyone")."""
    said = [t for t in _parse(text) if not (t.is_punct or t.is_space or t.lower_ in one_word_filler())]
    return bool(said) and said[0].tag_ == "VB"


def asks_where(text: str) -> bool:
    """Whether a message asks where the person is up to ("how far through am i", "which bit am i on?")."""
    return PROGRESS in analyse(text).senses


def recalls_an_answer(text: str) -> bool:
    """Whether a message opens by asking back what the person wrote ("what did i put for the first one?")."""
    said = _plainly(text)
    return any(said == phrase or said.startswith(phrase + " ") for phrase in vocabulary().grammar.recalling)


def undoes(text: str) -> bool:
    """Whether a message only undoes the last answer, or goes back a question ("undo", "undo that", "go back one")."""
    return _plainly(text) in _undoing()


@cache
def _undoing() -> FrozenSet[str]:
    """The undo phrases as a message is read (filler dropped), once: "undo that" is "undo"."""
    return frozenset(_plainly(said) for said in vocabulary().grammar.undoing)


def asks_who_sees(text: str) -> bool:
    """Whether a message asks who sees what the person writes ("will my manager see this", "is this anonymous?",
    "sorry my english not so good - this answers, who is reading them?"): a clause of it that reads as a question
    names someone seeing it, or its being kept private. Not an answer's "my manager sees me as reliable", nor "can
    you share my answers with my manager", which asks the coach to."""
    marks = re.escape(CLAUSE_MARKS)
    asked = re.findall(rf"[^?{marks}]+\?*", _typed(text))  # each clause with its question mark ("confidential??")
    return any(reads_as_question(clause) and not puts_a_request_to_the_coach(clause)  # "can you share it with her"
               and bool(_seeing_matcher()(_parse(clause))) for clause in asked)


@cache
def _seeing_matcher() -> Matcher:
    from spacy.matcher import Matcher

    grammar = vocabulary().grammar
    seer: Dict[str, Any] = {"LOWER": {"IN": sorted(grammar.seers)}}
    seeing: Dict[str, Any] = {"LEMMA": {"IN": sorted(grammar.seeing_verbs)}}
    between: Dict[str, Any] = {"IS_ALPHA": True, "OP": "{0,5}"}
    matcher = Matcher(nlp().vocab)
    matcher.add("seen", [[seer, between, seeing], [seeing, between, seer]])
    matcher.add("private", [[{"LOWER": word} for word in phrase.split()] for phrase in grammar.kept_private])
    return matcher


def asks_to_clarify(text: str) -> bool:
    """Whether a question asks what the prompt means or for an example ("not sure what you mean", "example?")."""
    return bool({CLARIFY, NOT_FOLLOWING} & analyse(text).senses)


def answers_itself(text: str) -> bool:
    """Whether a message asks the question of the person themselves and answers it: "what do I enjoy? teaching the
    new starters", "how's work? better than last month". The words before the question mark name the person, or
    are a few put to nobody else, and ask for nothing of the coach's; the words after it say something, not ask."""
    asked, mark, said = text.partition("?")
    said = said.lstrip("?!").strip()
    grammar = vocabulary().grammar
    words, after = _after_filler(asked), re.findall(r"[\w']+", said.lower())
    if not mark or "?" in said or not after or not words or len(words) > ASKED_FIRST:
        return False
    # "what's Our Leadership Way?", "what is breadth?": a term asked about, not the question asked back
    defines = words[0] in grammar.wh_contracted and words[0].startswith("what") or (
        len(words) > 1 and words[0] in grammar.wh_words and words[1] in ("is", "are", "does", "do"))
    # "what do I enjoy" names "where was I?" as the intake's words have it; "where am i up to" asks it. The senses
    # named include how far through ("which bit am i on"), so that is asked too.
    named = requests_named(asked) - ({WHERE_WAS_I} if words[0] in ("what", "how") else set())
    return (not set(words) & grammar.addressed and words[0] not in grammar.yes_no_openers
            and words[-1] not in grammar.wh_words and not _says(words, grammar.about_the_answer)
            and (bool(set(words) & grammar.self_words) or len(words) <= 4 and not defines)
            and not named
            and not reads_as_question(said) and not only_unsure(said) and NOT_FOLLOWING not in analyse(said).senses)


def _asks_what(text: str) -> bool:
    """Whether a question asks "what", "where", "how"...: not a tentative answer ("what about a secondment?")."""
    words = re.findall(r"[\w']+", text.lower())
    grammar = vocabulary().grammar
    return len(words) > 1 and words[0] in grammar.wh_words | grammar.wh_contracted and words[1] != "about"


def _after_filler(text: str, filler: Optional[FrozenSet[str]] = None) -> List[str]:
    """The lower-cased words of a message from the first that is not one-word filler ("sorry what do you mean"), or
    not one of ``filler``."""
    skipped = one_word_filler() if filler is None else filler
    words = re.findall(r"[\w']+", text.lower())
    while words and words[0] in skipped:
        words = words[1:]
    return words


def reads_as_question(text: str) -> bool:
    """A short question ("what do you mean by stretch?"), as opposed to a reflective answer. Without a question
    mark, a "when", "what" or "how" followed by its subject starts a clause, not a question ("when a patient
    walks out the door", "what I enjoy is teaching")."""
    words = _after_filler(text)  # "sorry what do you mean by aspiration"
    if not words or len(words) > 30:
        return False
    if text.rstrip().endswith("?"):
        return True
    grammar = vocabulary().grammar
    if words[0] in grammar.wh_contracted:  # "whats the weather tomorrow"; not "what's the point, nothing changes"
        return len(clauses(text)) == 1
    if words[0] in grammar.wh_words and len(words) > 1 and words[1] in grammar.clause_subjects:
        return False
    return words[0] in grammar.question_openers or (
        words[0] in grammar.inverted_openers and len(words) > 1 and words[1] in grammar.inverted_subjects)


def confirmation(text: str, offered: Sequence[str] = ()) -> Optional[bool]:
    """True for a yes ("yes save it", "yep"), False for a no ("not yet"), None when it is neither.

    The whole message must be a yes or a no, with filler and, for a yes, words that only say what
    is being agreed to ("save it"); a yes with a "but" or a "not" in it is not a yes. The ``offered`` words
    may follow either ("carry on to stage 2", "no, not stage 2").
    """
    words = vocabulary()
    said = _said(text)
    if not said:
        return None
    if len(said) >= 6:  # a misspelt phrase typed alone ("that feels rite", "yes pleese")
        close = difflib.get_close_matches(said, words.yes + words.no, n=1, cutoff=0.85)
        if close:
            return close[0] in words.yes
    for answer, phrases in ((False, words.no), (True, words.yes)):
        for phrase in sorted(phrases, key=len, reverse=True):
            if said == phrase or said.startswith(phrase + " "):
                rest = said[len(phrase):].split()
                if _only_confirming(rest, answer, offered):
                    return answer
    return None


def answered_by_yes(question: str) -> bool:
    """Whether a plain "yes" answers a question of the coach's ("Is there anything ... you'd want your manager to
    understand?", "...: could the person need any reasonable adjustments?"), as opposed to an open one, where a
    "yes" only says "go on" ("What is your current role?")."""
    openers = vocabulary().grammar.yes_no_openers
    clauses_asked = [clause for asked in re.findall(r"[^.?!]*\?", question) for clause in re.split(r"[:;,]", asked)]
    return any(words[0].lower() in openers for words in (re.findall(r"[A-Za-z']+", c) for c in clauses_asked) if words)


def only_goes_on(text: str) -> bool:
    """Whether a message is a yes that only says "go on" ("yes", "yep let's go"), not an answer ("fine", "ok")."""
    bare = _bare(text)
    return bool(bare) and set(bare) <= set(vocabulary().go_on)


def _only_confirming(rest: List[str], answer: bool, offered: Sequence[str] = ()) -> bool:
    words = vocabulary()
    allowed = set(words.yes_also if answer else words.no_also) | set(offered)
    return all(word in allowed for word in rest)


def _bare(text: str) -> List[str]:
    """The words said, without the one-word filler around them ("next please" is "next")."""
    filler = one_word_filler()
    return [word for word in _said(text).split() if word not in filler]


def _plainly(text: str) -> str:
    """The words said, typed short forms read and one-word filler dropped ("ok undo it pls" is "undo")."""
    return " ".join(_bare(_typed(text)))


def _said(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower().replace("’", "'")))


def _typed_words(text: str) -> List[str]:
    """The words of a message, its typed short forms read ("ill come back tmrw")."""
    return _said(_typed(text)).split()


def finished(text: str) -> bool:
    """Whether the person says they have picked all they want ("done", "none of these")."""
    return _said(text) in vocabulary().done


def rehearsal_step(text: str) -> Optional[str]:
    """"next_stage" or "finish" when a manager moves a rehearsal along in words, else None."""
    said = _said(text)
    if said in vocabulary().rehearsal_next:
        return "next_stage"
    return "finish" if said in vocabulary().rehearsal_finish else None


def move(text: str) -> Optional[str]:
    """NEXT, BACK or STOP when the whole message moves along ("next please", "go back", "later", "stop for now"),
    else None. The words decide, whatever the NLU made of them: "later" is never a "next"."""
    said = _said(text)
    bare = " ".join(_bare(text))
    for name, phrases in vocabulary().moves.items():
        if said in phrases or (bare and bare in phrases):
            return name
    found = analyse(text)
    if found.whole and all(cue.kind in (STOP, LATER) for cue in found.cues):
        return STOP
    return None


def carries_on(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """At "Shall we carry on?": True to go on to the next stage ("next", "yep", the button's own "Carry on to
    stage 2"), False to stop for now ("later", "not today"). The words decide first; when they say neither, the
    NLU's yes (``intent`` affirm, or skip for a typed "next") carries on, and anything else gives None."""
    moved = move(text)
    if moved in (NEXT, STOP):
        return moved == NEXT
    said = confirmation(text, vocabulary().carry_on_also)
    if said is None and intent in ("affirm", "skip"):
        return True
    return said
