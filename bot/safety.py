"""Safety detector: does a message disclose a risk of harm, or strain?

``assess(text)`` returns a :class:`SafetyAssessment` with one of four levels:

* ``crisis``: risk of harm to self or others, abuse or acute distress. The
  conversation must stop whatever form it is in and give urgent signposting.
* ``concern``: wording that often means risk but may not ("this is goodbye",
  "I'm on the bridge"), or a message the trained classifier reads as risk. The
  coach asks gently whether the person is safe, with the urgent numbers in the
  same reply.
* ``strain``: stress, burnout, exhaustion, feeling overwhelmed. A lighter
  wellbeing path, no alarm.
* ``none``.

How it decides (all words come from ``bot/content/safety_lexicon.yml``):

1. Patterns are matched over one spaCy parse of the message, token by token, on
   the lower-case form, spaCy's norm and lemma and a rough stem, so typos,
   missing apostrophes and lower case do not hide a disclosure.
2. Workplace idioms ("this rota is killing me") veto the matches they overlap.
3. Matches of clinical vocabulary ("overdose", "suicidal") count only when the
   sentence is not about a patient, a training course or similar: a missing or
   first-person subject counts (the speaker), and so does an unclear one.
4. A plain denial ("I would never hurt myself") lowers a match to strain unless
   a contrast follows ("... but I keep thinking about it"); hedges ("I'm not
   sure I want to live") do not deny anything.

The detector errs towards crisis for anything the speaker says about
themselves: a false alarm costs a gentle message, a miss can cost a life.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, List, Literal, Mapping, Optional, Sequence, Set, Tuple

from pydantic import BaseModel, ValidationError

from bot.content import ContentError, content_path, read_yaml
from bot.intake import puts_the_question_off
from bot.language import nlp
from bot.risk_classifier import CHECK_IN_PROBABILITY, UNSURE_PROBABILITY, RiskClassifier, default_classifier

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CRISIS = "crisis"
CONCERN = "concern"
STRAIN = "strain"
NONE = "none"
# The category of a check-in raised by the classifier alone, where the lexicon found no words of risk.
UNSURE = "unclear"
# The domain response that asks "Are you safe at the moment?" (the check-in), read back from the tracker by the
# dialogue policy for the reply (bot/channels/check_in_policy.py) and by the action that carries on after it.
CHECK_IN_RESPONSE = "utter_safety_check_in"
LEXICON_FILE = "safety_lexicon.yml"

# Messages longer than this are parsed as head + tail; the middle gets a cheap
# lexical scan (tokenizer only), so a disclosure anywhere is still seen.
MAX_PARSED_CHARS = 4000
# Beyond this, only the first and last half of this many characters are scanned at all.
MAX_SCANNED_CHARS = 400_000

FUZZY_MIN_LENGTH = 6
# A misspelling must share the first letter and be this close (difflib's ratio) to a lexicon word:
# "suacide" and "overdoes" are near enough, "overdue" (0.80 to "overdose") is not.
FUZZY_CUTOFF = 0.85

# Most severe first: the category reported when several match.
CRISIS_ORDER = ("suicide", "self_harm", "harm_to_others", "abuse", "acute_distress")
SELF_CATEGORIES = frozenset({"suicide", "self_harm", "acute_distress"})
DENIED_RISK = "denied_risk"
REASSURANCE = "reassurance"
WHOLE, LEADING = "whole", "leading"  # how a message says the person is safe (_reassurance)
_NEGATIONS = frozenset({"not", "never", "no", "n't", "nt"})
_PERSON_PRONOUNS = frozenset({"he", "she", "they", "someone", "somebody", "him", "her", "them"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
# Verb particles that turn a harm verb into an ordinary phrasal verb ("kicked me off the rota").
_HARMLESS_PARTICLES = frozenset({"off", "out", "back", "down", "in", "over", "through", "on", "around"})
# Words that give a verb said without an object one after all ("cut through the park", "cut in front of me",
# "cut short", "cut loose").
_OBJECT_WORDS = frozenset({"through", "across", "into", "out", "off", "down", "back", "up", "to", "from", "along",
                           "past", "round", "around", "short", "ahead", "front", "loose", "free", "open"})
# "seeing overdoses in my head": a verb of meeting cases, turned inward.
_INWARD = frozenset({"head", "mind", "thoughts", "dreams", "sleep", "future", "option", "options", "way"})


@dataclass(frozen=True)
class SafetyAssessment:
    """The outcome for one message: level, the most severe category, and why."""

    level: str
    category: Optional[str]
    reasons: Tuple[str, ...]
    # Risk words were found but read as an idiom, clinical talk or a plain denial.
    explained_away: bool = False
    # The classifier's probability, when it was asked (only where the lexicon found no risk).
    score: Optional[float] = None
    # The message says the person is safe, alone or first ("im safe", "yes, all good, just a long shift"), and
    # nothing takes it back: the reply to the check-in that carries on (bot/channels/check_in_policy.py).
    reassured: bool = False

    @property
    def is_crisis(self) -> bool:
        """True when the message needs urgent signposting."""
        return self.level == CRISIS

    @property
    def needs_check_in(self) -> bool:
        """True when the coach should ask whether the person is safe (the middle path)."""
        return self.level == CONCERN

    @property
    def needs_urgent_help(self) -> bool:
        """True when the reply must carry the urgent numbers (the crisis reply or the check-in)."""
        return self.level in (CRISIS, CONCERN)

    @property
    def names_risk(self) -> bool:
        """True when the lexicon found words of risk; False when only the classifiers were uneasy (a check-in
        from the classifier's score alone, or from DIET's guess where the score was unsure)."""
        return self.level == CRISIS or (self.level == CONCERN and self.category != UNSURE)

    def as_dict(self) -> Dict[str, object]:
        """A JSON-ready view (used by the CLI and carried in the parse data)."""
        return {"level": self.level, "category": self.category, "reasons": list(self.reasons),
                "explained_away": self.explained_away, "score": self.score, "reassured": self.reassured}


# The intents only the safety gate imposes (bot/nlu/safety_gate.py): a crisis, and the check-in.
RISK_INTENTS = ("risk_of_harm", "risk_unclear")
# Where the gate keeps the NLU classifiers' own best intent beside its verdict.
NLU_GUESS_KEY = "diet_guess"


def nlu_guess(parse_data: Mapping[str, Any]) -> Optional[str]:
    """The intent the NLU's classifiers chose for a message before the safety gate imposed its own, unless it was
    a guess of risk, which is the gate's alone to weigh."""
    given = parse_data.get("safety")
    guess = given.get(NLU_GUESS_KEY) if isinstance(given, dict) else None
    name = guess.get("name") if isinstance(guess, dict) else None
    return str(name) if name and name not in RISK_INTENTS else None


def verdict(text: str, parse_data: Dict[str, Any]) -> SafetyAssessment:
    """The safety gate's verdict carried in a message's parse data; assessed afresh only if it is missing."""
    given = parse_data.get("safety")
    if isinstance(given, dict) and given.get("level") in (CRISIS, CONCERN, STRAIN, NONE):
        return SafetyAssessment(str(given["level"]), given.get("category"), tuple(given.get("reasons") or ()),
                                bool(given.get("explained_away")), given.get("score"), bool(given.get("reassured")))
    return assess(text)


def prepare() -> None:
    """Load the spaCy model, the lexicon and the classifier now, so the first person does not wait."""
    assess("warm up")


# --- lexicon file schema --------------------------------------------------------


class _RuleSpec(BaseModel):
    id: str
    level: Literal["crisis", "concern", "strain"]
    category: str
    anchored: bool = False
    patterns: List[str]


class _RelationSpec(BaseModel):
    id: str
    level: Literal["crisis", "concern", "strain"]
    category: str
    verbs: List[str]
    subject: Literal["self", "person", "any"]
    # "none": the verb said with no object at all ("I cut in the car"), where its object goes without saying.
    object: Literal["self", "reflexive", "person", "none"]


class _IdiomSpec(BaseModel):
    id: str
    level: Literal["none", "strain"]
    patterns: List[str]
    unless_subject: Optional[str] = None


class _ContextSpec(BaseModel):
    work_persons: List[str]
    work_nouns: List[str]
    work_verbs: List[str]
    experience_verbs: List[str]
    # Verbs whose plural object is cases met at work ("I see a lot of overdoses"), not the speaker's own.
    case_verbs: List[str] = []
    hedge_words: List[str]
    contrast_words: List[str]
    first_person: List[str]
    clause_end: List[str]


class _ReassuranceSpec(BaseModel):
    patterns: List[str] = []
    filler: List[str] = []
    explaining: List[str] = []
    unless: List[str] = []


class _LexiconSpec(BaseModel):
    version: int
    last_checked: date
    source: str
    spellings: Dict[str, str]
    fuzzy: List[str] = []
    classes: Dict[str, List[str]]
    rules: List[_RuleSpec]
    relations: List[_RelationSpec]
    idioms: List[_IdiomSpec]
    context: _ContextSpec
    reassurance: _ReassuranceSpec = _ReassuranceSpec()


# --- compiled patterns ----------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    words: FrozenSet[str] = frozenset()
    optional: bool = False
    gap: int = 0
    clause_end: bool = False


@dataclass(frozen=True)
class _Pattern:
    owner: str
    text: str
    slots: Tuple[_Slot, ...]


@dataclass(frozen=True)
class _Owner:
    """A rule or idiom that patterns belong to."""

    id: str
    kind: Literal["rule", "idiom"]
    level: str
    category: str
    anchored: bool
    unless_subject: Optional[str]


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The compiled safety lexicon. Build with :func:`load_lexicon`."""

    spellings: Dict[str, str]
    fuzzy: Tuple[str, ...]
    classes: Dict[str, FrozenSet[str]]
    owners: Dict[str, _Owner]
    index: Dict[str, Tuple[_Pattern, ...]]
    relations: Tuple[_RelationSpec, ...]
    work_words: FrozenSet[str]
    work_persons: FrozenSet[str]
    work_verbs: FrozenSet[str]
    experience_verbs: FrozenSet[str]
    case_verbs: FrozenSet[str]
    hedge_words: FrozenSet[str]
    contrast_words: FrozenSet[str]
    first_person: FrozenSet[str]
    clause_end: FrozenSet[str]
    person_words: FrozenSet[str]
    reassurance: Dict[str, Tuple[_Pattern, ...]]  # by first word, like ``index``
    reassurance_filler: FrozenSet[str]
    reassurance_explaining: FrozenSet[str]
    reassurance_unless: FrozenSet[str]


def _slot_variants(token: str, classes: Dict[str, List[str]], where: str) -> List[List[_Slot]]:
    """The slot sequences one pattern token stands for (several when a class has multi-word members)."""
    if token == "$":
        return [[_Slot(clause_end=True)]]
    if re.fullmatch(r"~\d+", token):
        return [[_Slot(gap=int(token[1:]))]]
    optional = token.startswith("?")
    body = token[1:] if optional else token
    if "|" in body and ("$" in body or "~" in body):
        raise ContentError(f"{where}: '$' and '~N' cannot be alternatives")
    words: Set[str] = set()
    multi: List[List[str]] = []
    for alternative in body.split("|"):
        if alternative.startswith("<") and alternative.endswith(">"):
            name = alternative[1:-1]
            if name not in classes:
                raise ContentError(f"{where}: unknown class <{name}>")
            for member in classes[name]:
                parts = member.lower().split()
                if len(parts) == 1:
                    words.add(parts[0])
                else:
                    multi.append(parts)
        elif alternative:
            words.add(alternative.lower())
    variants: List[List[_Slot]] = []
    if words:
        variants.append([_Slot(words=frozenset(words), optional=optional)])
    for parts in multi:
        variants.append([_Slot(words=frozenset({part})) for part in parts])
    if optional and multi:
        variants.append([])
    return variants


def _compile(owner: str, text: str, classes: Dict[str, List[str]]) -> List[_Pattern]:
    where = f"{LEXICON_FILE}: pattern {text!r} ({owner})"
    sequences: List[List[_Slot]] = [[]]
    for token in text.split():
        options = _slot_variants(token, classes, where)
        sequences = [seq + option for seq in sequences for option in options]
    patterns: List[_Pattern] = []
    for seq in sequences:
        # An optional first slot becomes two patterns so every pattern starts with a required word.
        while seq and seq[0].optional:
            patterns.extend(_compile_fixed(owner, text, [_Slot(words=seq[0].words)] + seq[1:], where))
            seq = seq[1:]
        patterns.extend(_compile_fixed(owner, text, seq, where))
    return patterns


def _compile_fixed(owner: str, text: str, seq: List[_Slot], where: str) -> List[_Pattern]:
    if not seq or not seq[0].words:
        raise ContentError(f"{where}: a pattern must start with a word")
    return [_Pattern(owner=owner, text=text, slots=tuple(seq))]


def load_lexicon(directory: Optional[Path] = None) -> Lexicon:
    """Read and compile ``safety_lexicon.yml`` (the override folder first, then the default)."""
    path = content_path(LEXICON_FILE, directory)
    try:
        spec = _LexiconSpec.parse_obj(read_yaml(path))
    except ValidationError as exc:
        raise ContentError(f"{path}: invalid safety lexicon: {exc}") from exc
    classes = {name: [m.lower() for m in members] for name, members in spec.classes.items()}
    owners: Dict[str, _Owner] = {}
    index: Dict[str, List[_Pattern]] = {}

    def index_of(owner: str, texts: Iterable[str]) -> Dict[str, Tuple[_Pattern, ...]]:
        found: Dict[str, List[_Pattern]] = {}
        for text in texts:
            for pattern in _compile(owner, text, classes):
                for word in pattern.slots[0].words:
                    found.setdefault(word, []).append(pattern)
        return {word: tuple(patterns) for word, patterns in found.items()}

    def add(owner: _Owner, texts: Iterable[str]) -> None:
        if owner.id in owners:
            raise ContentError(f"{path}: duplicate rule or idiom id {owner.id!r}")
        owners[owner.id] = owner
        for word, patterns in index_of(owner.id, texts).items():
            index.setdefault(word, []).extend(patterns)

    for rule in spec.rules:
        add(_Owner(rule.id, "rule", rule.level, rule.category, rule.anchored, None), rule.patterns)
    for idiom in spec.idioms:
        if idiom.unless_subject is not None and idiom.unless_subject not in classes:
            raise ContentError(f"{path}: idiom {idiom.id}: unknown class {idiom.unless_subject!r}")
        add(_Owner(idiom.id, "idiom", idiom.level, "idiom", True, idiom.unless_subject), idiom.patterns)
    ctx = spec.context
    person_words = frozenset(classes.get("person", [])) | frozenset(classes.get("abuser", [])) | _PERSON_PRONOUNS
    return Lexicon(
        spellings={k.lower(): v.lower() for k, v in spec.spellings.items()},
        fuzzy=tuple(w.lower() for w in spec.fuzzy),
        classes={name: frozenset(members) for name, members in classes.items()},
        owners=owners,
        index={word: tuple(patterns) for word, patterns in index.items()},
        relations=tuple(spec.relations),
        work_words=frozenset(w.lower() for w in ctx.work_persons + ctx.work_nouns),
        work_persons=frozenset(w.lower() for w in ctx.work_persons),
        work_verbs=frozenset(ctx.work_verbs),
        experience_verbs=frozenset(ctx.experience_verbs),
        case_verbs=frozenset(ctx.case_verbs),
        hedge_words=frozenset(ctx.hedge_words),
        contrast_words=frozenset(ctx.contrast_words),
        first_person=frozenset(ctx.first_person),
        clause_end=frozenset(ctx.clause_end),
        person_words=person_words,
        reassurance=index_of(REASSURANCE, spec.reassurance.patterns),
        reassurance_filler=frozenset(w.lower() for w in spec.reassurance.filler),
        reassurance_explaining=frozenset(w.lower() for w in spec.reassurance.explaining),
        reassurance_unless=frozenset(w.lower() for w in spec.reassurance.unless),
    )


@cache
def default_lexicon() -> Lexicon:
    """The configured lexicon, compiled once per process."""
    return load_lexicon()


# --- text clean-up --------------------------------------------------------------

_TAG = re.compile(r"<[^<>]{0,300}>")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]")
_SELF_HARM = re.compile(r"\b(?:self|slef|sefl)[\s\-_‐‑–]*(harm|injur|mutilat)", re.IGNORECASE)
_BURN_OUT = re.compile(r"\bburn(?:t|ed|ing)?[\s\-‐‑–]+out\b", re.IGNORECASE)
_ANY_MORE = re.compile(r"\bany\s+(?:more|longer)\b", re.IGNORECASE)
# "my self", "over dose", "od'd": split or shortened words people type in a hurry.
_SPLIT_SELF = re.compile(r"\b(my|your|him|her|them|our)[\s\-]+(self|selves)\b", re.IGNORECASE)
_OVER_DOSE = re.compile(r"\bover[\s\-]+dos(e|ed|es|ing)\b", re.IGNORECASE)
_OD_PAST = re.compile(r"\bo\.?d(?:'d|'ed|ed)\b", re.IGNORECASE)  # never "odd"
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
# "k i l l  m y s e l f": a word typed a letter at a time (three letters or more), before runs of spaces go.
_SPACED_LETTERS = re.compile(r"\b[a-z](?: [a-z]){2,}\b", re.IGNORECASE)
_REPEATS = re.compile(r"([a-z])\1{2,}", re.IGNORECASE)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})


def clean_text(text: str) -> str:
    """Normalise a raw chat message for analysis: no HTML, plain quotes, joined compounds."""
    if "<" in text or "&" in text:
        text = html.unescape(_TAG.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _CONTROL.sub(" ", text)
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _SPACES.sub(" ", text)  # spaCy makes a token of a run of spaces, which would split "want to  die"
    text = _SELF_HARM.sub(lambda m: "self" + m.group(1).lower(), text)
    text = _BURN_OUT.sub("burnout", text)
    text = _ANY_MORE.sub("anymore", text)  # one token for "I can't do this any more"
    text = _SPLIT_SELF.sub(lambda m: m.group(1) + m.group(2), text)
    text = _OVER_DOSE.sub(lambda m: "overdos" + m.group(1).lower(), text)
    text = _OD_PAST.sub("overdosed", text)
    # "sooooo tired", "diiiie": three or more repeats become two.
    text = _REPEATS.sub(r"\1\1", text)
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        text = text.lower()  # the small English model parses shouting badly
    return text


def _stems(word: str) -> Set[str]:
    """Rough stems so "cutting", "overdosed" and "hits" meet their pattern words."""
    out = {word}
    if len(word) > 4 and word.endswith("ing"):
        base = word[:-3]
        out |= {base, base + "e"}
        if len(base) > 2 and base[-1] == base[-2]:
            out.add(base[:-1])
    if len(word) > 3 and word.endswith("ed"):
        base = word[:-2]
        out |= {base, word[:-1]}
        if len(base) > 2 and base[-1] == base[-2]:
            out.add(base[:-1])
        if base.endswith("i"):
            out.add(base[:-1] + "y")
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
        if word.endswith("es"):
            out.add(word[:-2])
        if word.endswith("ies"):
            out.add(word[:-3] + "y")
    return out


# --- token view -----------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    lower: str
    forms: FrozenSet[str]
    ends_clause: bool
    ends_sentence: bool


def _token_view(token: Token, lex: Lexicon) -> _Tok:
    lemma = token.lemma_.lower() if token.pos_ != "PRON" else ""
    return _view(
        token.lower_, token.norm_.lower(), lemma, token.pos_, token.is_punct or token.is_space, "\n" in token.text, lex
    )


@lru_cache(maxsize=20_000)
def _view(lower: str, norm: str, lemma: str, pos: str, punct: bool, newline: bool, lex: Lexicon) -> _Tok:
    """Token view from its strings; cached because long messages repeat words."""
    forms = {lower} | _stems(lower)
    spelled = lex.spellings.get(lower)
    if spelled:
        forms |= _stems(spelled)
    if norm:
        forms.add(lex.spellings.get(norm, norm))
    if lemma:
        forms.add(lemma)
    if not spelled and len(lower) >= FUZZY_MIN_LENGTH and lower not in lex.fuzzy:
        forms |= _stems(_near_spelling(lower, lex))
    is_punct = punct or not any(ch.isalnum() for ch in lower)
    ends_sentence = newline or lower in {".", "!", "?", "...", "\u2026"}
    ends_clause = is_punct or lower in lex.clause_end or pos in {"CCONJ", "SCONJ", "SYM", "INTJ"}
    return _Tok(lower=lower, forms=frozenset(forms), ends_clause=ends_clause, ends_sentence=ends_sentence)


def _near_spelling(word: str, lex: Lexicon) -> str:
    """The fuzzy lexicon word a misspelt ``word`` stands for, or ``word`` itself."""
    candidates = [w for w in lex.fuzzy if w[0] == word[0]]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=FUZZY_CUTOFF)
    return close[0] if close else word


def _match_at(slots: Tuple[_Slot, ...], k: int, toks: Sequence[_Tok], i: int) -> int:
    """End index of a match of ``slots[k:]`` starting at token ``i``, or -1."""
    if k == len(slots):
        return i
    slot = slots[k]
    if slot.gap:
        for skip in range(slot.gap + 1):
            j = i + skip
            if j > len(toks) or (skip and toks[j - 1].ends_sentence):
                break
            end = _match_at(slots, k + 1, toks, j)
            if end >= 0:
                return end
        return -1
    if slot.clause_end:
        return _match_at(slots, k + 1, toks, i) if i >= len(toks) or toks[i].ends_clause else -1
    if i < len(toks) and toks[i].forms & slot.words:
        end = _match_at(slots, k + 1, toks, i + 1)
        if end >= 0:
            return end
    return _match_at(slots, k + 1, toks, i) if slot.optional else -1


@dataclass(frozen=True)
class _Hit:
    owner: _Owner
    start: int
    end: int
    text: str


def _covered(toks: Sequence[_Tok], index: Dict[str, Tuple[_Pattern, ...]]) -> Set[int]:
    """The tokens inside a match of any pattern of ``index``."""
    covered: Set[int] = set()
    for i, tok in enumerate(toks):
        for form in tok.forms:
            for pattern in index.get(form, ()):
                covered.update(range(i, _match_at(pattern.slots, 0, toks, i)))  # -1: no match, nothing covered
    return covered


def _reassurance(toks: Sequence[_Tok], lex: Lexicon) -> Optional[str]:
    """How the message says the person is safe: ``WHOLE`` when that is all it says ("im safe, thanks"),
    ``LEADING`` when it says so first and the rest only explains, with no "but", "not", hedge or time ("im safe,
    just a bad day on the ward"), else None ("safe for now", "im fine. (im not)")."""
    covered = _covered(toks, lex.reassurance)
    if not covered:
        return None
    plain = [not any(ch.isalnum() for ch in tok.lower) for tok in toks]
    said = [i in covered or bool(tok.forms & lex.reassurance_filler) or plain[i] for i, tok in enumerate(toks)]
    if all(said):
        return WHOLE
    first_end = next((i for i, tok in enumerate(toks) if i > min(covered) and (
        plain[i] or tok.lower in lex.reassurance_explaining)), len(toks))
    rest = toks[first_end:]
    if all(said[:first_end]) and not any(tok.forms & lex.reassurance_unless for tok in rest):
        return LEADING
    return None


def _pattern_hits(toks: Sequence[_Tok], lex: Lexicon) -> List[_Hit]:
    hits: Dict[Tuple[str, int], _Hit] = {}
    for i, tok in enumerate(toks):
        seen: Set[int] = set()
        for form in tok.forms:
            for pattern in lex.index.get(form, ()):
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                end = _match_at(pattern.slots, 0, toks, i)
                if end > i:
                    key = (pattern.owner, i)
                    if key not in hits or hits[key].end < end:
                        hits[key] = _Hit(lex.owners[pattern.owner], i, end, pattern.text)
    return sorted(hits.values(), key=lambda h: (h.start, h.end))


# --- parse-based context ----------------------------------------------------------


def _lower_forms(token: Token) -> Set[str]:
    return {token.lower_, token.lemma_.lower()}


def _is_work(token: Token, lex: Lexicon) -> bool:
    return bool(_lower_forms(token) & lex.work_words)


def _subject(token: Token) -> Optional[Token]:
    """The token's subject; with two (a misparse), the nearest one before it ("im scared my partner will kill me")."""
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    before = [c for c in subjects if c.i < token.i]
    return before[-1] if before else (subjects[0] if subjects else None)


def _is_person(token: Token, lex: Lexicon) -> bool:
    return bool(_lower_forms(token) & lex.person_words) or token.pos_ == "PROPN" or token.ent_type_ == "PERSON"


def _classify_subject(subject: Token, verb: Token, lex: Lexicon, strict: bool = True) -> str:
    """'self', 'other' (clinical or training talk) or 'third' (someone else, not clearly work)."""
    lower = subject.lower_
    if lower in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        subject = verb.head
        lower = subject.lower_
    if lower in ("i", "me", "myself"):
        if strict and verb.lemma_.lower() in lex.work_verbs:
            return "other"
        if strict and any(c.dep_ == "prep" and c.lower_ == "as" and any(_is_work(g, lex) for g in c.children)
                          for c in verb.children):
            return "other"  # "As a mental health nurse I do safety planning with people at risk of suicide"
        if any(c.dep_ in ("dobj", "dative") and _is_work(c, lex) for c in verb.children):
            return "other"  # "I lost a patient to suicide"
        return "self"
    if _is_work(subject, lex):
        return "other"
    if verb.lemma_.lower() in lex.work_verbs:
        return "other"  # "we admitted an overdose"
    owned = any(c.lower_ == "my" for c in subject.children)
    if owned and not _is_person(subject, lex):
        return "self"  # "my life is falling apart", "my thoughts are ..."
    return "third"


def _experiencer(span_start: int, span_end: int, doc: Doc, lex: Lexicon, strict: bool = True) -> str:
    """Whose experience a matched span is: 'self', 'other' or 'third'/'unknown'.

    ``strict`` also treats work words attached to the match as clinical talk
    ("suicide in patients"); strain is checked without it, since stress is
    usually about work ("overwhelmed by my workload").
    """
    span = doc[span_start:span_end]
    trigger = span.root
    inside = set(range(span_start, span_end))
    outside = [child for child in trigger.children if child.i not in inside]
    # "a staff suicide", "self harm assessment"
    if strict and any(c.dep_ in ("compound", "amod", "nmod") and _is_work(c, lex) for c in outside):
        return "other"
    who = _walk_to_subject(trigger, inside, lex, strict)
    if who == "self" or not strict:
        return who  # an explicit "I" beats a work word nearby: "I self-harmed on the ward"
    # "suicide in patients"
    if any(c.dep_ == "prep" and any(g.dep_ == "pobj" and _is_work(g, lex) for g in c.children) for c in outside):
        return "other"
    return who


def _walk_to_subject(trigger: Token, inside: Set[int], lex: Lexicon, strict: bool) -> str:
    """Climb the parse from the match to the first subject and classify it."""
    if strict and trigger.tag_ == "NNS" and _cases_met(_governing_verb(trigger), lex):
        return "other"  # "I see a lot of overdoses on the unit": cases, where "I've had two overdoses" is not
    token = trigger
    for _ in range(10):
        if token.i not in inside and _is_work(token, lex) and token.pos_ in ("NOUN", "PROPN"):
            return "other"  # "suicide prevention training", "a course on self harm"
        if token.i not in inside and token.pos_ == "NOUN" and _lower_forms(token) & lex.person_words:
            return "third"  # "people at risk of suicide"
        subject = _subject(token)
        if subject is not None and subject.i not in inside:
            return _classify_subject(subject, token, lex, strict)
        if token.pos_ == "VERB" and token.lemma_.lower() in lex.experience_verbs and token.dep_ == "ROOT":
            return "self"  # "feeling suicidal again": no subject means the speaker
        if strict and token.pos_ == "VERB" and token.lemma_.lower() in lex.work_verbs:
            return "other"  # "I want to specialise in domestic abuse"
        if token.head is token:
            break
        token = token.head
    return "unknown"


def _cases_met(verb: Token, lex: Lexicon) -> bool:
    """Whether a verb says cases are met at work ("I deal with suicides"), not seen as a way out ("I see overdoses
    as my only option") or in the mind ("I keep seeing overdoses in my head")."""
    return verb.lemma_.lower() in lex.case_verbs and not any(
        c.dep_ == "prep" and (c.lower_ == "as" or any(g.lower_ in _INWARD for g in c.children)) for c in verb.children)


def _governing_verb(token: Token) -> Token:
    """The verb a noun is the object of, through "a lot of" and prepositions ("deal with suicides")."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head is token or token.dep_ not in ("dobj", "pobj", "prep"):
            break
        token = token.head
    return token


def _about_a_patient(span_start: int, span_end: int, doc: Doc, lex: Lexicon) -> bool:
    """A sentence about a patient or client whose words are reported ("my patient said he wants to die")."""
    sentence = doc[span_start].sent
    persons = [t for t in sentence if _lower_forms(t) & lex.work_persons]
    # "asking for me, not a patient" is about the speaker
    if not [t for t in persons if not any(p.lower_ in _NEGATIONS for p in doc[max(0, t.i - 2):t.i])]:
        return False
    subject = _subject_near(span_start, span_end, doc) or _subject(doc[span_start:span_end].root.head)
    return subject is None or subject.lower_ not in lex.first_person


def _sentence_has_work(span_start: int, doc: Doc, lex: Lexicon) -> bool:
    sentence = doc[span_start].sent
    return any(_is_work(t, lex) or t.lemma_.lower() in lex.work_verbs for t in sentence)


def _hedged_above(token: Token, lex: Lexicon) -> bool:
    node = token
    for _ in range(4):
        if node.head is node:
            return False
        node = node.head
        if _lower_forms(node) & lex.hedge_words:
            return True
    return False


def _denies(neg: int, span_start: int, doc: Doc) -> bool:
    """A negation denies a match only just before it, in the same clause: not "I don't want to wake up ...
    and I've made sure I won't", nor "if dinner's not ready he hits me", nor "i cant think i want it all to stop"."""
    if neg > span_start or neg < span_start - 3:
        return False
    return not any(t.dep_ in ("nsubj", "nsubjpass", "mark") or t.pos_ == "SCONJ" for t in doc[neg + 1:span_start])


def _negated(span_start: int, span_end: int, doc: Doc, lex: Lexicon) -> bool:
    """A plain denial governs the span ("I would never hurt myself", "I'm not suicidal")."""
    inside = set(range(span_start, span_end))
    token = doc[span_start:span_end].root
    for _ in range(4):
        if _lower_forms(token) & lex.hedge_words:
            return False  # "I can't stop thinking about it", "not sure I want to live"
        for child in token.children:
            if child.i in inside:
                continue
            if not _denies(child.i, span_start, doc):
                continue
            if child.dep_ == "neg" or (child.lower_ in ("never", "no") and child.dep_ in ("advmod", "det")):
                return not _hedged_above(token, lex)
        if token.head is token or token.dep_ not in (
            "xcomp",
            "acomp",
            "attr",
            "dobj",
            "pobj",
            "prep",
            "amod",
            "compound",
            "ccomp",
            "pcomp",
            "advmod",
        ):
            return False
        token = token.head
    return False


def _subject_near(start: int, end: int, doc: Doc) -> Optional[Token]:
    for token in doc[start:end]:
        subject = _subject(token)
        if subject is not None:
            return subject
    return None


def _relation_hits(doc: Doc, lex: Lexicon) -> List[Tuple[_RelationSpec, int, int]]:
    found: List[Tuple[_RelationSpec, int, int]] = []
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX", "NOUN"):
            continue
        lemmas = _lower_forms(verb) | _stems(verb.lower_)
        if any(c.dep_ == "prt" and c.lower_ in _HARMLESS_PARTICLES for c in verb.children):
            continue
        subject = _subject(verb)
        passive = subject is not None and subject.dep_ == "nsubjpass"
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if passive:
            obj = subject
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            subject = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        if subject is None:
            # "I want to kill him": the subject sits on the governing verb.
            node = verb
            for _ in range(3):
                if node.dep_ not in ("xcomp", "conj", "advcl", "ccomp") or node.head is node:
                    break
                node = node.head
                subject = _subject(node)
                if subject is not None:
                    break
        for relation in lex.relations:
            if not lemmas & set(relation.verbs):
                continue
            if relation.object == "none":
                if obj is None and not passive and _said_by_the_speaker(verb, subject) and _says_no_object(verb):
                    found.append((relation, verb.i, verb.i + 1))
                continue
            if obj is None:
                continue
            if relation.object == "self" and obj.lower_ not in ("me", "i"):
                continue
            if relation.object == "reflexive" and obj.lower_ not in ("myself", "meself"):
                continue
            if relation.object == "person" and not _is_person(obj, lex):
                continue
            if relation.subject == "self" and (subject is None or subject.lower_ not in ("i", "me")):
                continue
            if relation.subject == "person" and (subject is None or not _is_person(subject, lex)):
                continue
            if relation.subject == "person" and subject is not None and subject.lower_ in ("i", "me", "it"):
                continue
            found.append((relation, min(verb.i, obj.i), max(verb.i, obj.i) + 1))
    return found


def _said_by_the_speaker(verb: Token, subject: Optional[Token]) -> bool:
    """Whether a verb is the speaker's own doing: "I" did it, or nobody is named in any clause it belongs to
    ("attempted again on sunday", "honestly, cutting"; not "a teenager came in after cutting"). Never a noun or a
    word joined to another ("cut-throat")."""
    doc = verb.doc
    joined = any(0 <= i < len(doc) and doc[i].text == "-" for i in (verb.i - 1, verb.i + 1))
    if verb.pos_ != "VERB" or joined:
        return False
    if subject is not None:
        return subject.lower_ in ("i", "me")
    others = (c for node in verb.ancestors for c in node.children
              if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("i", "me"))
    return verb.tag_ in ("VBD", "VBN", "VBG") and next(others, None) is None


def _says_no_object(verb: Token) -> bool:
    """Whether a verb has no object of any kind: no clause, particle or dative, no word that gives it one ("cut
    through the park", "cut in front of him", "cut short my holiday"), and none shared with the next verb ("cut and
    paste the notes")."""
    near = [*verb.children, *(g for c in verb.children if c.dep_ == "prep" for g in c.children)]
    return not any(c.dep_ in ("dobj", "dative", "prt", "ccomp", "xcomp", "attr", "oprd", "acomp")
                   or (c.lower_ in _OBJECT_WORDS and c.dep_ != "aux")
                   or (c.dep_ == "conj" and any(g.dep_ == "dobj" for g in c.children)) for c in near)


# --- window-based context for the unparsed middle of huge messages ----------------


def _window_other(start: int, end: int, toks: Sequence[_Tok], lex: Lexicon) -> bool:
    before = toks[max(0, start - 3) : start]
    if any(t.lower in lex.first_person for t in before):
        return False
    near = toks[max(0, start - 8) : end + 8]
    return any(t.forms & (lex.work_words | lex.work_verbs) for t in near)


def _window_negated(start: int, toks: Sequence[_Tok], lex: Lexicon) -> bool:
    before = toks[max(0, start - 3) : start]
    if not any(t.forms & _NEGATIONS for t in before):
        return False
    return not any(t.forms & lex.hedge_words for t in toks[max(0, start - 6) : start])


# --- putting it together ------------------------------------------------------------


@dataclass(frozen=True)
class _Finding:
    level: str  # crisis, strain, denied (a negated self-risk) or none
    category: str
    start: int
    end: int
    reason: str


def _region_findings(toks: Sequence[_Tok], doc: Optional[Doc], lex: Lexicon) -> List[_Finding]:
    """Findings for one stretch of text; ``doc`` is None for the unparsed scan."""
    hits = _pattern_hits(toks, lex)
    idioms: List[_Hit] = []
    rule_hits: List[Tuple[_Owner, int, int, str]] = []
    for hit in hits:
        if hit.owner.kind == "idiom":
            cls = hit.owner.unless_subject
            if cls is not None:
                members = lex.classes[cls]
                if doc is not None:
                    subject = _subject_near(hit.start, hit.end, doc)
                    if subject is not None and _lower_forms(subject) & members:
                        continue
                elif any(t.forms & members for t in toks[max(0, hit.start - 3) : hit.start]):
                    continue
            idioms.append(hit)
        else:
            rule_hits.append((hit.owner, hit.start, hit.end, hit.text))
    if doc is not None:
        for relation, start, end in _relation_hits(doc, lex):
            owner = _Owner(relation.id, "rule", relation.level, relation.category, True, None)
            rule_hits.append((owner, start, end, " ".join(relation.verbs[:3]) + " ..."))

    findings: List[_Finding] = []
    for idiom in idioms:
        findings.append(_Finding(idiom.owner.level, "idiom", idiom.start, idiom.end, f"idiom ({idiom.owner.id})"))
    for owner, start, end, _pattern in rule_hits:
        quoted = " ".join(t.lower for t in toks[start:end])
        if any(i.start < end and start < i.end for i in idioms):
            findings.append(_Finding(NONE, owner.category, start, end, f"not counted (idiom): '{quoted}'"))
            continue
        if (owner.anchored and doc is not None and owner.category in SELF_CATEGORIES
                and _about_a_patient(start, end, doc, lex)):
            findings.append(_Finding(NONE, owner.category, start, end, f"not counted (about a patient): '{quoted}'"))
            continue
        if not owner.anchored:
            strict = owner.level in (CRISIS, CONCERN)
            if doc is not None:
                who = _experiencer(start, end, doc, lex, strict)
                if strict and who in ("third", "unknown") and _sentence_has_work(start, doc, lex):
                    who = "other"
            else:
                who = "other" if strict and _window_other(start, end, toks, lex) else "unknown"
            if who == "other":
                findings.append(
                    _Finding(NONE, owner.category, start, end, f"not counted (clinical or work talk): '{quoted}'")
                )
                continue
        negated = _negated(start, end, doc, lex) if doc is not None else _window_negated(start, toks, lex)
        if negated:
            if owner.level == CRISIS and owner.category in SELF_CATEGORIES:
                findings.append(_Finding("denied", owner.category, start, end, f"denied: '{quoted}' ({owner.id})"))
            else:
                findings.append(_Finding(NONE, owner.category, start, end, f"not counted (negated): '{quoted}'"))
            continue
        findings.append(_Finding(owner.level, owner.category, start, end, f"{owner.category}: '{quoted}' ({owner.id})"))
    return findings


def _resolve_denials(findings: List[_Finding], toks: Sequence[_Tok], lex: Lexicon) -> List[_Finding]:
    """A denial followed by "but ..." is ambivalence, not reassurance: crisis unless only strain follows."""
    resolved: List[_Finding] = []
    for finding in findings:
        if finding.level != "denied":
            resolved.append(finding)
            continue
        contrast = next(
            (i for i in range(finding.end, min(len(toks), finding.end + 25)) if toks[i].lower in lex.contrast_words),
            None,
        )
        if contrast is None:
            resolved.append(_Finding(STRAIN, DENIED_RISK, finding.start, finding.end, finding.reason))
            continue
        strain_after = any(f.level == STRAIN and f.start > contrast for f in findings)
        level = STRAIN if strain_after else CRISIS
        category = DENIED_RISK if strain_after else finding.category
        reason = finding.reason + " followed by a contrast"
        resolved.append(_Finding(level, category, finding.start, finding.end, reason))
    return resolved


def _split_huge(text: str) -> Tuple[str, str, str]:
    """Head and tail to parse, middle to scan lexically (cut at whitespace)."""
    half = MAX_PARSED_CHARS // 2
    head_end = text.rfind(" ", 0, half)
    head_end = half if head_end < half // 2 else head_end
    tail_start = text.find(" ", len(text) - half)
    tail_start = len(text) - half if tail_start < 0 else tail_start
    middle = text[head_end:tail_start]
    if len(middle) > MAX_SCANNED_CHARS:
        keep = MAX_SCANNED_CHARS // 2
        middle = middle[:keep] + " . " + middle[-keep:]
    return text[:head_end], middle, text[tail_start:]


def assess(text: str, doc: Optional[Doc] = None, *, lexicon: Optional[Lexicon] = None,
           classifier: Optional[RiskClassifier] = None, second_opinion: bool = True) -> SafetyAssessment:
    """Assess one message. ``doc`` is an optional spaCy parse of ``text`` to reuse.

    With ``second_opinion`` (the default), a message the lexicon found no clear risk in is scored by the
    trained classifier: a high score makes it ``concern``, or ``crisis`` when the lexicon already found a
    concerning phrase, even where the lexicon explained its words away.
    """
    lex = lexicon if lexicon is not None else default_lexicon()
    raw = text if isinstance(text, str) else str(text or "")
    cleaned = clean_text(raw)
    if not cleaned.strip():
        return SafetyAssessment(NONE, None, ())
    findings: List[_Finding] = []
    if doc is not None and doc.text == cleaned:
        parsed = [doc]
    elif len(cleaned) <= MAX_PARSED_CHARS:
        parsed = [nlp()(cleaned)]
    else:
        head, middle, tail = _split_huge(cleaned)
        parsed = [nlp()(head + "\n\n" + tail)]
        scan = nlp().tokenizer(middle)
        scan_toks = [_token_view(t, lex) for t in scan]
        findings += _resolve_denials(_region_findings(scan_toks, None, lex), scan_toks, lex)
    for parsed_doc in parsed:
        toks = [_token_view(t, lex) for t in parsed_doc]
        findings += _resolve_denials(_region_findings(toks, parsed_doc, lex), toks, lex)
    result = _summarise(findings)
    if not second_opinion or result.level == CRISIS:
        return result
    says_safe = _reassurance(toks, lex) if result.level != CONCERN and len(cleaned) <= MAX_PARSED_CHARS else None
    if says_safe is not None:
        result = dataclasses.replace(result, reasons=result.reasons + ("says they are safe",))
    if says_safe == WHOLE and result.level == NONE:
        # "im safe", typed at the check-in: the classifier, which learnt "safe" beside "not", is not asked.
        return dataclasses.replace(result, explained_away=True, reassured=True)
    # Scored even where the lexicon explained the words away ("sh" beside ward talk, a denial beside a
    # disclosure): on the tuning batches that found more risk for hardly more false alarms (docs/safety.md).
    score = round((classifier or default_classifier()).probability(cleaned), 3)
    if result.level == NONE and score >= UNSURE_PROBABILITY and puts_the_question_off(cleaned):
        # No words of risk, and the person asks to skip the question or come back to it: the classifier's unease
        # is at "leave it", "drop it" (docs/safety.md: no tuning risk message reads so; a farewell reads as leaving).
        return dataclasses.replace(result, explained_away=True, score=score,
                                   reasons=result.reasons + ("asks to skip the question or come back to it",))
    level = with_score(result.level, score)
    if level == result.level:
        return dataclasses.replace(result, score=score, reassured=says_safe is not None)
    reasons = result.reasons + (f"reads like risk (classifier {score:.2f})",)
    if level == CRISIS:
        return SafetyAssessment(CRISIS, result.category, reasons, result.explained_away, score)
    return SafetyAssessment(CONCERN, UNSURE, reasons, score=score)


def with_score(level: str, score: float, bar: float = CHECK_IN_PROBABILITY) -> str:
    """The lexicon's level once the classifier's score is weighed: at the bar or above, none or strain becomes the
    check-in, and a check-in phrase a crisis (two independent signals: the wording and the classifier)."""
    if level == CRISIS or score < bar:
        return level
    return CRISIS if level == CONCERN else CONCERN


def _summarise(findings: List[_Finding]) -> SafetyAssessment:
    reasons = tuple(dict.fromkeys(f.reason for f in findings))[:12]
    order = {c: i for i, c in enumerate(CRISIS_ORDER)}
    explained = any(f.level == NONE or f.category in (DENIED_RISK, "idiom") for f in findings)
    for level in (CRISIS, CONCERN):
        found = [f for f in findings if f.level == level]
        if found:
            worst = min(found, key=lambda f: order.get(f.category, len(order)))
            # Two different concerning phrases ("I won't be here tomorrow, I've made my mind up") are a crisis.
            spans = {(f.start, f.end) for f in found}
            overlapping = len(spans) > 1 and all(a[0] < b[1] and b[0] < a[1] for a in spans for b in spans)
            if level == CONCERN and len(spans) > 1 and not overlapping:
                level = CRISIS
            return SafetyAssessment(level, worst.category, reasons, explained)
    strain = [f for f in findings if f.level == STRAIN]
    if strain:
        # A named strain category beats the generic denial or idiom marker.
        named = [f for f in strain if f.category not in (DENIED_RISK, "idiom")]
        pick = named[0] if named else strain[0]
        return SafetyAssessment(STRAIN, pick.category if pick.category != "idiom" else "stress", reasons, explained)
    return SafetyAssessment(NONE, None, reasons, explained)
