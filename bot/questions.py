"""Coaching-question analyser for manager rehearsal.

Given one turn a manager might say in a career conversation, say whether it is
an open, closed, leading, multiple or "why" question (or not a question at
all), explain why in plain words, and offer an open rewrite that keeps the
topic. The rules read the spaCy parse (part-of-speech tags, dependencies,
lemmas and morphology), so they look past the first word: "So what do you
think?" is open, "And do you like it?" is closed.

Labelling conventions (kept in step with ``tests/data/coaching_questions.yml``):
several questions in one turn are "multiple" whatever each one is; a tag
question, a negative question or "surely" makes a question "leading" rather
than closed; an either/or question is "closed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Literal, Optional, Sequence, Tuple

from bot.language import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

QuestionType = Literal["open", "closed", "leading", "multiple", "why", "statement"]
QUESTION_TYPES: Tuple[QuestionType, ...] = ("open", "closed", "leading", "multiple", "why", "statement")


@dataclass(frozen=True)
class QuestionAnalysis:
    """What kind of question a turn is, why, and an open rewrite where one helps."""

    type: QuestionType
    reasons: Tuple[str, ...]
    rewrite: Optional[str]
    is_question: bool


# --- word lists (general English, not tuned to any test sentence) ------------

# Words a speaker puts in front of a question without changing its kind.
_LEADING_FILLERS = {
    "so",
    "and",
    "but",
    "or",
    "then",
    "now",
    "well",
    "ok",
    "okay",
    "right",
    "alright",
    "just",
    "also",
    "please",
    "hi",
    "hello",
    "hey",
    "um",
    "erm",
    "er",
    "oh",
    "anyway",
    "finally",
    "lastly",
    "next",
}
_WH_OPEN = {"what", "how", "when", "where", "who", "whom", "which", "whose"}
# Verbs that invite someone to talk at length ("Tell me about...").
_INVITE_VERBS = {"tell", "describe", "talk", "say", "explain", "share", "walk", "expand", "elaborate", "paint"}
# These invite only with "me/us": "take me through", "give me an example".
_INVITE_WITH_ME = {"take", "run", "give", "help", "show"}
_AUX_LEMMAS = {"be", "do", "have", "can", "could", "will", "would", "shall", "should", "may", "might", "must"}
_NEGATIONS = {"not", "n't", "never"}
_LEADING_ADVERBS = {"surely", "obviously", "clearly", "presumably", "undoubtedly", "naturally"}
_LEADING_PHRASES = ("of course", "no doubt", "fair to say", "isn't it true", "is it not true")
# "I assume", "I take it": the speaker has already decided the answer.
_ASSUMING_FRAMES = (
    "i assume",
    "i take it",
    "i expect",
    "i suppose",
    "i guess",
    "i imagine",
    "i presume",
    "i bet",
    "i'm guessing",
    "i am guessing",
    "i'm sure",
    "i am sure",
    "i'm assuming",
    "i am assuming",
)
_TAG_WORDS = {"right", "yeah", "yes", "no", "eh", "correct", "surely", "agreed", "true", "innit", "yep", "ok", "okay"}
# Verbs whose yes/no question reads naturally as "What do you <verb> about X?"
_ATTITUDE_VERBS = {"enjoy", "like", "love", "value", "miss", "dislike", "hate", "appreciate", "mind"}
_WANT_VERBS = {"want", "wish", "hope", "plan", "intend", "fancy", "need", "aim", "prefer", "expect", "like"}
_THINK_VERBS = {"think", "consider"}
# Verbs that take a "how" naturally: "How do you manage the workload?"
_MANNER_VERBS = {"manage", "cope", "see", "find", "handle", "balance", "deal", "feel", "fit"}
# Plain adjectives that make a poor "How <adj> is..." rewrite.
_PLAIN_ADJECTIVES = {"okay", "ok", "alright", "fine", "good", "well", "bad", "all"}
_OBJECT_PRONOUNS = {"i": "me", "he": "him", "she": "her", "we": "us", "they": "them"}
_REFLECTING_STARTS = (
    "so you",
    "it sounds",
    "that sounds",
    "sounds like",
    "i hear",
    "you mentioned",
    "you said",
    "you feel",
    "what i'm hearing",
    "what i am hearing",
    "what you're saying",
    "what you are saying",
    "if i've understood",
)


# --- small text tools ----------------------------------------------------------


def gerund(lemma: str) -> str:
    """The -ing form of a verb lemma: apply -> applying, take -> taking, plan -> planning."""
    word = lemma.lower()
    if word in {"be", "see", "flee", "agree", "free"}:
        return word + "ing"
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    # Double the last consonant of short consonant-vowel-consonant verbs (get, plan, stop).
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", word) and len(word) <= 4:
        return word + word[-1] + "ing"
    return word + "ing"


def _render(tokens: Sequence[Token], replace: Optional[Dict[int, str]] = None) -> str:
    """Join tokens back into text, keeping the original spacing, with some words swapped."""
    replace = replace or {}
    parts: List[str] = []
    for tok in tokens:
        text = replace.get(tok.i, tok.text)
        if text == "":
            continue
        parts.append(text + tok.whitespace_)
    return "".join(parts).strip(" ,;")


# Words that only make sense in a yes/no frame ("sleeping ok?", "enough support?", "booked yet?"): an open
# rewrite that keeps them reads wrongly ("How are you sleeping ok?").
_YES_NO_WORDS = re.compile(r"\b(?:ok|okay|alright|all right|enough|yet)\b", re.IGNORECASE)


def _as_question(text: str) -> str:
    """Tidy a rewrite: no yes/no words, single spaces, capital first letter, one question mark."""
    text = re.sub(r"\s+", " ", _YES_NO_WORDS.sub(" ", text)).strip(" ,;.?!")
    text = re.sub(r"\s+([,'])", r"\1", text).replace(" n't", "n't")
    return text[:1].upper() + text[1:] + "?"


def _content_tokens(unit: Span) -> List[Token]:
    """Tokens of a unit without the final punctuation."""
    tokens = list(unit)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _first_content_index(tokens: Sequence[Token]) -> int:
    """Skip fillers, interjections and a greeting name ("Hi Priya,") at the start."""
    k = 0
    while k < len(tokens) - 1:
        tok = tokens[k]
        nxt = tokens[k + 1]
        if tok.is_punct or tok.lower_ in _LEADING_FILLERS or tok.pos_ in {"INTJ", "CCONJ"}:
            k += 1
        elif tok.pos_ == "PROPN" and nxt.text == ",":
            k += 2
        elif tok.lower_ == "of" and nxt.lower_ == "course":
            break
        else:
            break
    return k


_CONTRACTED = {"'ve": "have", "'m": "be", "'re": "be", "'ll": "will", "wo": "will", "ca": "can", "sha": "shall"}


def _lemma(tok: Token) -> str:
    """The lemma, with contracted auxiliaries spelt out ("'ve" -> "have", "'d" -> "would")."""
    word = tok.lower_
    if word == "'d":
        return "would" if tok.tag_ == "MD" else "have"
    if word == "'s":
        return "have" if tok.head.tag_ == "VBN" and tok.dep_ == "aux" else "be"
    if word in _CONTRACTED and tok.pos_ == "AUX":
        return _CONTRACTED[word]
    return tok.lemma_.lower()


def _is_aux_word(tok: Token) -> bool:
    """An auxiliary or modal that can front a yes/no question (not an imperative 'Have a...')."""
    return _lemma(tok) in _AUX_LEMMAS and tok.tag_ in {"VBP", "VBZ", "VBD", "MD"}


def _is_neg(tok: Token) -> bool:
    return tok.lower_ in _NEGATIONS or tok.dep_ == "neg"


# --- splitting a turn into questions --------------------------------------------


def _tag_tail(tokens: Sequence[Token]) -> Optional[Tuple[int, str]]:
    """Find a tag at the end (", isn't it", ", right", ", I assume"): its start index and text."""
    commas = [i for i, tok in enumerate(tokens) if tok.text == ","]
    if not commas:
        return None
    start = commas[-1]
    tail = [tok for tok in tokens[start + 1 :] if not tok.is_punct]
    if not tail or len(tail) > 4:
        return None
    words = [tok.lower_ for tok in tail]
    text = _render(tail)
    joined = " ".join(words).replace(" n't", "n't").replace(" 'm", "'m")
    if len(tail) == 1 and words[0] in _TAG_WORDS:
        return start, text
    if _is_aux_word(tail[0]) and tail[-1].pos_ == "PRON" and len(tail) <= 3:
        return start, text
    if joined.startswith(_ASSUMING_FRAMES) or joined in {"don't you think", "wouldn't you say", "isn't that right"}:
        return start, text
    return None


def _opens_question(tokens: Sequence[Token], i: int) -> bool:
    """Does a new question clause start at tokens[i] (after a comma or 'and')?"""
    tok = tokens[i]
    word = tok.lower_
    if word == "why" or (word == "how" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "come"):
        return True
    if word in _WH_OPEN:
        j = i + 1
        # "what support would you need", "who else could": step over the rest of the wh-phrase.
        while j < len(tokens) and j <= i + 3 and tokens[j].pos_ in {"NOUN", "PROPN", "ADJ", "ADV", "DET", "NUM"}:
            j += 1
        return j < len(tokens) and tokens[j].pos_ in {"AUX", "VERB"}
    if _is_aux_word(tok):
        j = i + 1
        if j < len(tokens) and _is_neg(tokens[j]):
            j += 1
        if j >= len(tokens) or tokens[j].pos_ not in {"PRON", "PROPN", "NOUN", "DET"}:
            return False
        rest = [t for t in tokens[i:] if not t.is_punct]
        # A tag such as "..., aren't you?" closes the question rather than starting one.
        return not (len(rest) <= 3 and rest[-1].pos_ == "PRON")
    return False


def _units(doc: Doc) -> List[Tuple[Span, bool]]:
    """Split a turn into question-sized units, each with whether its sentence ends in '?'."""
    sentences: List[Tuple[int, int]] = []
    start = 0
    for tok in doc:
        if tok.text in {"?", "!", "."} or (tok.text.endswith("?") and tok.is_punct):
            if tok.i + 1 > start:
                sentences.append((start, tok.i + 1))
            start = tok.i + 1
    if start < len(doc):
        sentences.append((start, len(doc)))
    units: List[Tuple[Span, bool]] = []
    for s_start, s_end in sentences:
        span = doc[s_start:s_end]
        if not any(not t.is_punct for t in span):
            continue
        asks = "?" in span.text
        tokens = list(span)
        cuts = [0]
        for i in range(1, len(tokens)):
            before = tokens[i - 1]
            joined_by_and = before.lower_ in {"and", "but"} or (before.text in {",", ";", "-", "–"})
            # Do not cut straight after the opening filler ("And why...").
            if (
                joined_by_and
                and i - 1 > cuts[-1]
                and _opens_question(tokens, i)
                and _first_content_index(tokens[cuts[-1] : i]) < i - cuts[-1] - 1
            ):
                cuts.append(i)
        cuts.append(len(tokens))
        for a, b in zip(cuts, cuts[1:], strict=False):
            # "What do you enjoy, and" -> "What do you enjoy": the joining words belong to neither question.
            while b - 1 > a and (tokens[b - 1].pos_ == "CCONJ" or tokens[b - 1].text in {",", ";", "-", "–"}):
                b -= 1
            units.append((doc[s_start + a : s_start + b], asks))
    return units


# --- classifying one unit -------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    type: QuestionType
    reasons: Tuple[str, ...]
    rewrite: Optional[str]
    text: str


def _main_verb(tokens: Sequence[Token], first: Token) -> Token:
    """The predicate a fronted auxiliary belongs to (the auxiliary itself for 'Are you happy?')."""
    if first.dep_ in {"aux", "auxpass", "neg"} and first.head in tokens:
        return first.head
    return first


def _subject_of(verb: Token, tokens: Sequence[Token]) -> Optional[Token]:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass", "expl"} and child in tokens:
            return child
    return None


def _has_either_or(verb: Token) -> Optional[str]:
    """'days or nights', 'stay ... or move': the options offered."""
    for tok in verb.subtree:
        if tok.dep_ == "cc" and tok.lower_ == "or":
            head = tok.head
            for sibling in head.children:
                if sibling.dep_ == "conj":
                    return f"{head.text} or {sibling.text}"
    return None


def _classify_unit(unit: Span, asks: bool) -> _Unit:
    tokens = _content_tokens(unit)
    text = unit.text.strip()
    if not tokens:
        return _Unit("statement", ("There is no question here.",), None, text)
    k = _first_content_index(tokens)
    first = tokens[k]
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    word = first.lower_
    lowered = " ".join(t.lower_ for t in tokens[k:]).replace(" n't", "n't").replace(" '", "'")
    tag = _tag_tail(tokens)

    # "Why ..." and "How come ...".
    if word == "why" or (word == "how" and nxt is not None and nxt.lower_ == "come"):
        return _classify_why(tokens, k, text)

    # Tag questions: "..., isn't it?", "..., right?", "..., I assume?"
    if tag is not None and word not in _WH_OPEN:
        return _leading(tokens, k, text, f"The tag '{tag[1]}' at the end signals the answer you expect.", tag[0])

    if word in _WH_OPEN:
        if word == "what" and nxt is not None and nxt.lower_ in {"a", "an"} and not asks:
            return _Unit("statement", ("This is an exclamation, not a question.",), None, text)
        if nxt is not None and word == "how" and nxt.pos_ in {"ADJ", "ADV"} and not asks:
            after = tokens[k + 2] if k + 2 < len(tokens) else None
            if after is None or after.pos_ not in {"AUX", "VERB"}:
                return _Unit("statement", ("This is an exclamation, not a question.",), None, text)
        if not asks and _is_free_relative(tokens, k):
            return _statement(tokens, k, text)
        return _Unit(
            "open",
            (f"It starts with '{word}', which invites the person to answer in their own words.",),
            None,
            text,
        )

    if _is_aux_word(first) and _has_subject_after(tokens, k):
        return _classify_inverted(tokens, k, text)

    if first.tag_ == "VB" and _is_invitation(first, nxt):
        phrase = _render(tokens[k : k + 2] if nxt is not None and nxt.lower_ in {"me", "us"} else tokens[k : k + 1])
        reason = f"'{phrase[:1].upper() + phrase[1:]}' invites the person to talk in their own words."
        return _Unit("open", (reason,), None, text)

    if word == "i" and _is_first_person_invitation(tokens, k):
        if "why" in lowered.split():
            return _classify_why_embedded(text)
        return _Unit("open", ("It is a gentle invitation to talk, which leaves the answer to the person.",), None, text)

    # Declaratives and fragments: questions only if they end in "?" (or carry a tag).
    leading_reason = _leading_cue(tokens, k, lowered)
    if asks and leading_reason is not None:
        return _leading(tokens, k, text, leading_reason, None)
    if asks:
        return _classify_declarative_question(tokens, k, text)
    return _statement(tokens, k, text)


def _is_free_relative(tokens: Sequence[Token], k: int) -> bool:
    """'What I'm hearing is...': a wh-word followed by a plain subject is not a question."""
    j = k + 1
    while j < len(tokens) and tokens[j].pos_ in {"NOUN", "ADJ", "DET"} and tokens[j].dep_ != "nsubj":
        j += 1
    return j < len(tokens) and tokens[j].pos_ == "PRON" and tokens[j].dep_ in {"nsubj", "nsubjpass"}


def _has_subject_after(tokens: Sequence[Token], k: int) -> bool:
    j = k + 1
    if j < len(tokens) and _is_neg(tokens[j]):
        j += 1
    return j < len(tokens) and (
        tokens[j].pos_ in {"PRON", "PROPN", "NOUN", "DET", "NUM"} or tokens[j].dep_ in {"nsubj", "expl"}
    )


def _is_invitation(verb: Token, nxt: Optional[Token]) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in _INVITE_VERBS:
        return True
    return lemma in _INVITE_WITH_ME and nxt is not None and nxt.lower_ in {"me", "us"}


def _is_first_person_invitation(tokens: Sequence[Token], k: int) -> bool:
    """'I wonder what...', "I'd love to hear about...", "I'm curious about..."."""
    for tok in tokens[k : k + 5]:
        lemma = tok.lemma_.lower()
        if lemma in {"wonder", "curious", "interested"}:
            return True
        if lemma in {"love", "like", "want", "keen"}:
            return any(
                child.dep_ == "xcomp" and child.lemma_.lower() in {"hear", "know", "understand", "learn"}
                for child in tok.children
            )
    return False


def _leading_cue(tokens: Sequence[Token], k: int, lowered: str) -> Optional[str]:
    """Words that show the answer the asker expects."""
    for tok in tokens[k:]:
        if tok.lower_ in _LEADING_ADVERBS:
            return f"'{tok.text}' signals the answer you expect."
    for phrase in _LEADING_PHRASES:
        if phrase in lowered:
            return f"'{phrase}' signals the answer you expect."
    if lowered.startswith(_ASSUMING_FRAMES):
        frame = next(f for f in _ASSUMING_FRAMES if lowered.startswith(f))
        return f"'{frame[:1].upper() + frame[1:]}' shows you have already decided the answer."
    for tok in tokens[k:]:
        if tok.lower_ == "must" and any(c.lower_ == "you" for c in tok.head.children):
            return "'You must...' assumes how they feel or what they think."
    return None


def _statement(tokens: Sequence[Token], k: int, text: str) -> _Unit:
    lowered = " ".join(t.lower_ for t in tokens[k:]).replace(" '", "'")
    if lowered.startswith(_REFLECTING_STARTS):
        reason = "It reflects back what you heard, a good coaching skill; follow it with an open question."
    else:
        reason = "There is no question here: it is a statement."
    return _Unit("statement", (reason,), None, text)


def _classify_inverted(tokens: Sequence[Token], k: int, text: str) -> _Unit:
    first = tokens[k]
    verb = _main_verb(tokens, first)
    after = tokens[k + 1 : k + 3]
    negated = any(_is_neg(t) for t in after[:1]) or (len(after) == 2 and after[0].pos_ == "PRON" and _is_neg(after[1]))
    opener = _render(tokens[k : k + 2])
    if negated:
        words = _render(tokens[k : k + 3]) if not _is_neg(tokens[k + 1]) else opener
        reason = f"Starting with '{words[:1].upper() + words[1:]}' suggests the answer you expect."
        return _leading(tokens, k, text, reason, None)
    lowered = " ".join(t.lower_ for t in tokens[k:])
    if verb.lemma_.lower() == "agree":
        return _leading(tokens, k, text, "Asking whether they agree puts your view first.", None)
    cue = _leading_cue(tokens, k, lowered)
    if cue is not None:
        return _leading(tokens, k, text, cue, None)
    if first.lower_ in {"can", "could", "would", "will"} and (
        _is_invitation(verb, tokens[tokens.index(verb) + 1] if verb.i < tokens[-1].i else None)
        or (verb.lemma_.lower() == "mind" and any(c.lemma_.lower() in _INVITE_VERBS for c in verb.children))
    ):
        return _Unit(
            "open",
            (f"'{opener[:1].upper() + opener[1:]} {verb.text}...' is a polite invitation to talk, not a yes/no test.",),
            None,
            text,
        )
    subj = _subject_of(verb, tokens)
    if subj is not None and subj.lower_ == "i" and _lemma(verb) in {"ask", "know", "check", "hear"}:
        # "Can I ask what your plans are?": the real question is the embedded one.
        embedded = next((t for t in tokens if t.i > verb.i and t.lower_ in _WH_OPEN | {"why"}), None)
        if embedded is not None and embedded.lower_ == "why":
            return _classify_why_embedded(text)
        if embedded is not None:
            return _Unit(
                "open", (f"It politely asks '{embedded.lower_}...', which invites a full answer.",), None, text
            )
    reasons = [f"It starts with '{first.text.lower()}', so it can be answered with a simple yes or no."]
    options = _has_either_or(verb)
    if options is not None:
        reasons.append(f"It offers only the options you name ('{options}').")
    elif lowered.startswith(("is there any", "are there any", "is there some")):
        reasons.append("'Is there anything...' is easy to answer with 'no'.")
    return _Unit("closed", tuple(reasons), _open_rewrite(tokens, k) or _thoughts_on(tokens, k), text)


def _classify_declarative_question(tokens: Sequence[Token], k: int, text: str) -> _Unit:
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in tokens[k:]) and tokens[k].pos_ not in {"DET", "ADJ"}
    if has_verb:
        reason = "It is a statement said as a question, which invites a yes or no."
    else:
        reason = "It is a short check that invites a one-word answer."
    return _Unit("closed", (reason,), _open_rewrite(tokens, k) or _thoughts_on(tokens, k), text)


def _leading(tokens: Sequence[Token], k: int, text: str, reason: str, tag_start: Optional[int]) -> _Unit:
    core = list(tokens[:tag_start]) if tag_start is not None else list(tokens)
    return _Unit("leading", (reason,), _neutral_rewrite(core, k), text)


def _classify_why(tokens: Sequence[Token], k: int, text: str) -> _Unit:
    first = tokens[k]
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if first.lower_ == "why" and nxt is not None:
        # "Why not talk to...?" and "Why don't you...?" are suggestions dressed as questions.
        if nxt.lower_ == "not" and k + 2 < len(tokens) and tokens[k + 2].pos_ == "VERB":
            return _leading(tokens, k, text, "'Why not...' is a suggestion dressed as a question.", None)
        if (
            nxt.lemma_.lower() == "do"
            and "Past" not in nxt.morph.get("Tense", [])
            and k + 3 < len(tokens)
            and _is_neg(tokens[k + 2])
            and tokens[k + 3].lower_ in {"you", "we"}
        ):
            return _leading(tokens, k, text, "'Why don't you...' is a suggestion dressed as a question.", None)
    reasons = ["'Why' can sound as if the person has to justify themselves."]
    if any(_is_neg(t) for t in tokens[k : k + 5]):
        reasons.append("Asking why something did not happen can feel like blame.")
    return _Unit("why", tuple(reasons), _why_rewrite(tokens, k), text)


def _classify_why_embedded(text: str) -> _Unit:
    return _Unit(
        "why", ("Asking for the reason ('why') can sound as if the person has to justify themselves.",), None, text
    )


# --- rewrites ---------------------------------------------------------------------


def _objective(tok: Token) -> str:
    return _OBJECT_PRONOUNS.get(tok.lower_, tok.text if tok.pos_ == "PROPN" or tok.text == "I" else tok.lower_)


def _noun_phrase(head: Token, tokens: Sequence[Token], full: bool = False) -> List[Token]:
    """The words of a noun phrase: its head and what comes before it (all of its subtree if ``full``).

    "the band 7 post" is often mis-parsed with "post" as a verb; a number or
    compound that points forward pulls the word it modifies into the phrase.
    """
    words = sorted((t for t in head.subtree if t in tokens and (full or t.i <= head.i)), key=lambda t: t.i)
    if not words:
        return [head]
    by_index = {t.i: t for t in tokens}
    while True:
        nxt = by_index.get(words[-1].i + 1)
        if nxt is None or nxt in words:
            break
        modifies_ahead = nxt.dep_ in {"nummod", "compound"} and nxt.head.i > nxt.i
        is_modified = any(w.head == nxt and w.dep_ == "nummod" for w in words)
        if not (modifies_ahead or is_modified):
            break
        words.append(nxt)
    return words


def _subject_text(subj: Token, tokens: Sequence[Token]) -> str:
    span = _noun_phrase(subj, tokens)
    if len(span) == 1:
        return _objective(span[0])
    return _render(span, {span[0].i: span[0].text if span[0].pos_ == "PROPN" else span[0].lower_})


def _tokens_after(anchor: Token, tokens: Sequence[Token], skip: Sequence[Token] = ()) -> List[Token]:
    return [t for t in tokens if t.i > anchor.i and t not in skip and not _is_neg(t)]


def _gerund_phrase(verb: Token, tokens: Sequence[Token]) -> str:
    """'apply for the post or move on' -> 'applying for the post or moving on'."""
    swaps: Dict[int, str] = {verb.i: gerund(verb.lemma_)}
    for tok in tokens:
        if tok.i > verb.i and tok.dep_ == "conj" and tok.head == verb and tok.tag_ in {"VB", "VBP"}:
            swaps[tok.i] = gerund(tok.lemma_)
    rest = [t for t in tokens if t.i >= verb.i and t.lower_ != "just" and not (_is_neg(t) and t.head == verb)]
    return _render(rest, swaps)


def _topic(verb: Token, tokens: Sequence[Token]) -> Optional[str]:
    """The main thing a question is about: its object, or the object of its preposition."""
    for dep in ("dobj", "xcomp", "pobj", "attr", "oprd"):
        for tok in tokens:
            if tok.dep_ == dep and tok.i > verb.i and tok.lower_ not in {"you", "yourself", "it", "that", "this"}:
                if dep == "xcomp" and tok.tag_ == "VBG":
                    return _render([t for t in tokens if t.i >= tok.i])
                if dep == "xcomp":
                    continue
                return _render(_noun_phrase(tok, tokens, full=True))
    return None


def _tense_of(auxes: Sequence[Token], verb: Token) -> str:
    """'past', 'perfect', 'modal:<word>' or 'present' for the do-support of a rewrite."""
    for aux in auxes:
        lemma = _lemma(aux)
        if aux.tag_ == "MD":
            return f"modal:{lemma}"
        if lemma == "have" and verb.tag_ in {"VBN", "VBD", "VB"}:
            return "perfect"
        if "Past" in aux.morph.get("Tense", []):
            return "past"
    if "Past" in verb.morph.get("Tense", []) and verb.tag_ == "VBD":
        return "past"
    return "present"


def _do_word(tense: str) -> str:
    if tense == "past":
        return "did"
    if tense.startswith("modal:"):
        modal = tense.split(":", 1)[1]
        return {"'d": "would", "'ll": "will", "ca": "can", "wo": "will", "sha": "shall"}.get(modal, modal)
    return "do"


def _open_rewrite(tokens: Sequence[Token], k: int) -> Optional[str]:
    """An open question on the same topic as a yes/no question (inverted or declarative)."""
    body = [t for t in tokens[k:] if t.lower_ not in {"still", "just", "really"}]
    if not body:
        return None
    first = body[0]
    # Fragments: "Any questions before we start?", "Happy with that plan?"
    if first.lower_ == "any" and len(body) > 1:
        noun = body[1]
        return _as_question(f"What {noun.text} do you have {_render(body[2:])}")
    verb = (
        _main_verb(body, first)
        if _is_aux_word(first)
        else next((t for t in body if t.dep_ == "ROOT" or t.head not in body), body[0])
    )
    auxes = [t for t in body if t.head == verb and t.dep_ in {"aux", "auxpass"} or (t is first and _is_aux_word(t))]
    subj = _subject_of(verb, body)
    if subj is None and _lemma(verb) == "be":
        # "Is flexible working something you want?" -> "How do you feel about flexible working?"
        pivot = next((t for t in body if t.lower_ in {"something", "anything"} and t.i > verb.i + 1), None)
        if pivot is not None:
            return _as_question(f"How do you feel about {_render([t for t in body if verb.i < t.i < pivot.i])}")
        subj = next(
            (t for t in body
             if t.i > verb.i and t.dep_ in {"attr", "nsubj", "npadvmod"} and t.pos_ in {"NOUN", "PROPN"}),
            None,
        )
        if subj is not None:
            return _copula_rewrite(verb, subj, body, False)
    if verb.pos_ == "ADJ" or (subj is None and verb.tag_ in {"JJ", "JJR"}):
        return _feel_about(verb, body, "you")
    if subj is None:
        topic = _topic(verb, body)
        return _as_question(f"What are your thoughts on {topic}") if topic else None
    is_you = subj.lower_ == "you"
    tense = _tense_of(auxes, verb)
    lemma = verb.lemma_.lower()
    copula = lemma == "be" and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children if c.i > verb.i)

    if subj.dep_ == "expl" or subj.lower_ == "there":
        return _there_rewrite(verb, body)
    if subj.lower_ in {"anyone", "anybody", "someone", "somebody"}:
        rest = [t for t in body if t.i > subj.i and t not in auxes]
        return _as_question(f"Who {_render(auxes).lower()} {_render(rest)}")
    if copula:
        return _copula_rewrite(verb, subj, body, is_you)
    if not is_you:
        if subj.lower_ in {"we", "i"}:
            topic = _topic(verb, body)
            return _as_question(f"What are your thoughts on {topic}") if topic else None
        if any(c.dep_ == "auxpass" for c in verb.children) or (
                verb.tag_ == "VBN" and any(_lemma(a) in {"be", "get"} for a in auxes)):
            # "Has your course been approved?", "Is your pension sorted?": ask about progress, not manner.
            return _as_question(f"Where have you got to with {_render(_noun_phrase(subj, body)).lower()}")
        if _lemma(verb) == "do" and verb is first and subj.i > verb.i and subj.pos_ == "NOUN":
            # "Did the training help?" parsed with "help" as a noun: it is the verb.
            phrase = [t for t in _noun_phrase(subj, body) if t is not subj]
            rest = [t for t in body if t.i > subj.i]
            return _as_question(f"How {verb.lower_} {_render(phrase).lower()} {subj.lemma_} {_render(rest)}")
        rest = [t for t in body if t.i > verb.i and t.lower_ not in {"well", "badly"}]
        do = _do_word(tense) if tense != "perfect" else "did"
        if tense == "present" and subj.tag_ in {"NN", "NNP"}:
            do = "does"
        return _as_question(f"How {do} {_subject_text(subj, body)} {verb.lemma_} {_render(rest)}")
    return _you_verb_rewrite(verb, body, tense)


def _thoughts_on(tokens: Sequence[Token], k: int) -> Optional[str]:
    """The last resort for a closed question the rules above cannot turn round (often a parse the small model
    got wrong): ask for thoughts on its first noun phrase ("Did you get enough study leave?")."""
    nouns = [t for t in tokens[k:] if t.pos_ in {"NOUN", "PROPN"} and t.dep_ != "compound"]
    if not nouns:
        return None
    return _as_question(f"What are your thoughts on {_render(_noun_phrase(nouns[0], tokens[k:])).lower()}")


def _feel_about(adjective: Token, body: Sequence[Token], who: str) -> Optional[str]:
    """'Happy with that plan?' -> 'How do you feel about that plan?'"""
    rest = [t for t in body if t.i > adjective.i]
    if rest and rest[0].pos_ == "ADP" and rest[0].lower_ in {"with", "about", "in", "for", "on", "at", "of", "to"}:
        rest = rest[1:]
    for tok in rest:
        if tok.dep_ == "xcomp" and tok.head == adjective:
            verb = next((t for t in tok.subtree if t.pos_ == "VERB" and t.tag_ in {"VB", "VBG"}), tok)
            return _as_question(f"How do {who} feel about {_gerund_phrase(verb, body)}")
    if rest and rest[0].tag_ == "VBG":
        return _as_question(f"How do {who} feel about {_render(rest)}")
    if not rest:
        return _as_question("How are you feeling")
    if rest[0].pos_ == "ADP":
        return _as_question(f"How are you feeling {_render(rest)}")
    return _as_question(f"How do {who} feel about {_render(rest)}")


def _there_rewrite(verb: Token, body: Sequence[Token]) -> Optional[str]:
    """'Is there anything (else) you want to discuss?' -> 'What else do you want to discuss?'"""
    head = next((t for t in body if t.dep_ in {"attr", "nsubj"} and t.i > verb.i), None)
    if head is None:
        return None
    lead = "What else" if any(t.lower_ == "else" for t in body) else "What"
    if head.pos_ == "NOUN":  # "Are there any courses you want to do?" -> "What courses do you want to do?"
        lead = f"{lead} {head.text}"
    clause = next((c for c in head.children if c.dep_ in {"relcl", "acl"}), None)
    if clause is None:
        return _as_question(f"{lead} would help")
    clause_tokens = [t for t in body if t.i >= min(x.i for x in clause.subtree)]
    clause_subj = _subject_of(clause, clause_tokens)
    if clause.tag_ == "VBG":
        return _as_question(f"{lead} is {_render(clause_tokens)}")
    if clause_subj is not None and clause_subj.lower_ not in {"that", "which", "who"}:
        modal = next((c for c in clause.children if c.dep_ == "aux" and c.tag_ == "MD"), None)
        rest = [t for t in clause_tokens if t.i > clause.i]
        if modal is not None:
            return _as_question(f"{lead} {modal.text} {clause_subj.text} {clause.text} {_render(rest)}")
        do = "did" if "Past" in clause.morph.get("Tense", []) else "do"
        return _as_question(f"{lead} {do} {clause_subj.text} {clause.lemma_} {_render(rest)}")
    rest = [t for t in clause_tokens if t.lower_ not in {"that", "which", "who"}]
    return _as_question(f"{lead} {_render(rest)}")


def _copula_rewrite(verb: Token, subj: Token, body: Sequence[Token], is_you: bool) -> Optional[str]:
    phrase = _noun_phrase(subj, body)
    subject_end = phrase[-1].i
    after = [t for t in body if t.i > subject_end]
    # "Is the current rota working for you?" -> "How is the current rota working for you?"
    if not is_you and after and after[0].tag_ == "VBG":
        return _as_question(f"How {verb.lower_} {_render(phrase).lower()} {_render(after)}")
    complement = next((c for c in verb.children if c.dep_ in {"acomp", "attr", "oprd"} and c.i > subject_end), None)
    if complement is None and after and after[0].pos_ == "ADJ":
        complement = after[0]
    if is_you:
        if complement is not None and complement.pos_ in {"ADJ", "VERB"}:
            return _feel_about(complement, body, "you")
        if complement is not None and complement.pos_ in {"NOUN", "PROPN"}:
            words = [t for t in complement.subtree if t.dep_ != "amod" and t.pos_ != "ADJ" and t in body]
            return _as_question(f"How do you see yourself as {_render(words)}")
        rest = [t for t in body if t.i > subj.i]
        return _as_question(f"How are you feeling {_render(rest)}") if rest else _as_question("How are you feeling")
    subject = _render(phrase)
    tail = [t for t in after if t != complement and not (t.dep_ == "advmod" and t.head == verb)]
    if complement is not None and complement.pos_ == "ADJ":
        tail = [t for t in tail if t.i > complement.i]
        word = complement.lower_
        if word not in _PLAIN_ADJECTIVES:
            return _as_question(f"How {word} {verb.lower_} {subject.lower()} {_render(tail)}")
        return _as_question(f"How {verb.lower_} {subject.lower()} {_render(tail)}")
    return _as_question(f"What are your thoughts on {subject.lower()}")


def _you_verb_rewrite(verb: Token, body: Sequence[Token], tense: str) -> Optional[str]:
    lemma = verb.lemma_.lower()
    do = _do_word(tense)
    rest = [t for t in body if t.i > verb.i and not _is_neg(t)]
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if lemma in _WANT_VERBS and xcomp is not None and xcomp.pos_ in {"VERB", "AUX"}:
        inner = xcomp
        # "to be thinking about management": use the -ing verb.
        if inner.lemma_ == "be":
            inner = next((c for c in inner.children if c.tag_ == "VBG"), inner)
        return _as_question(f"How do you feel about {_gerund_phrase(inner, body)}")
    wants = lemma == "like" and tense == "modal:would"
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is not None and any(c.lower_ == "any" for c in obj.children):
        # "Do you need any adjustments for...?" -> "What adjustments do you need for...?"
        phrase = [t for t in _noun_phrase(obj, body) if t.lower_ != "any"]
        tail = [t for t in rest if t.i > obj.i and t not in phrase]
        return _as_question(f"What {_render(phrase)} {do} you {verb.lemma_} {_render(tail)}")
    if lemma == "go" and verb.tag_ == "VBG" and xcomp is not None:
        # "Are you going to apply?" is about a plan, like "want to".
        return _as_question(f"How do you feel about {_gerund_phrase(xcomp, body)}")
    progressive = verb.tag_ == "VBG" and any(_lemma(a) == "be" for a in verb.children if a.dep_ == "aux")
    if progressive:
        return _as_question(f"How are you {verb.text} {_render(rest)}")
    if lemma in _ATTITUDE_VERBS and rest and not wants:
        if tense == "perfect":
            return _as_question(f"What have you {verb.text} about {_render(rest)}")
        return _as_question(f"What {do} you {verb.lemma_} about {_render(rest)}")
    if lemma in _WANT_VERBS and rest:
        return _as_question(f"How do you feel about {_render(rest)}")
    if lemma in _THINK_VERBS:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            clause_tokens = [t for t in body if t.i >= min(x.i for x in clause.subtree) and t.lower_ != "that"]
            if len(clause_tokens) < len(body):  # as in _neutral_rewrite
                return _open_rewrite(clause_tokens, 0)
        if rest and rest[0].lower_ in {"about", "of"}:
            rest = rest[1:]
        return _as_question(f"What are your thoughts on {_render(rest) if rest else 'this'}")
    if lemma == "feel":
        complement = next((c for c in verb.children if c.dep_ in {"acomp", "oprd"}), None)
        if complement is not None:
            tail = [t for t in rest if t.i > complement.i]
            return _as_question(f"How {complement.text} {do} you feel {_render(tail)}")
    if lemma in _MANNER_VERBS:
        particle = [t for t in rest if t.dep_ == "prt"]
        # "Did you find the course helpful?" -> "How did you find the course?"
        others = [
            t
            for t in rest
            if t.dep_ not in {"prt", "oprd", "acomp"}
            and not (t.pos_ == "ADJ" and t.dep_ in {"ccomp", "amod"} and t.i > (obj.i if obj is not None else verb.i))
        ]
        words = " ".join([verb.lemma_] + [p.text for p in particle])
        return _as_question(f"How {'did' if tense == 'past' else 'do'} you {words} {_render(others)}")
    if tense in {"past", "perfect"}:
        topic = _topic(verb, body)
        if topic:
            return _as_question(f"Where have you got to with {topic}")
    if tense.startswith("modal") or tense == "present":
        return _as_question(f"How do you feel about {_gerund_phrase(verb, body)}")
    topic = _topic(verb, body)
    return _as_question(f"What are your thoughts on {topic}") if topic else None


def _neutral_rewrite(core: Sequence[Token], k: int) -> Optional[str]:
    """Take the steer out of a leading question and ask it openly."""
    body = [t for t in core[k:] if t.lower_ not in _LEADING_ADVERBS and t.lower_ not in {"just", "really"}]
    lowered = " ".join(t.lower_ for t in body)
    # Drop "of course" and an assuming frame ("I take it", "I'm sure") at the front.
    if lowered.startswith("of course"):
        body = body[2:]
    for tok in body[:4]:
        if tok.lemma_.lower() in {"take", "assume", "expect", "suppose", "guess", "imagine", "presume", "bet", "sure"}:
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is not None:
                body = [t for t in body if t.i >= min(x.i for x in comp.subtree)]
                break
    if not body:
        return None
    first = body[0]
    if first.lower_ == "why":
        # "Why don't you apply?" / "Why not talk to...?"
        verb = next((t for t in body if t.pos_ == "VERB"), None)
        return _as_question(f"How do you feel about {_gerund_phrase(verb, body)}") if verb is not None else None
    verb = (
        _main_verb(body, first)
        if _is_aux_word(first)
        else next((t for t in body if t.head not in body or t.dep_ == "ROOT"), body[0])
    )
    # "Don't you think / Wouldn't you agree / Isn't it true that <P>": ask about P.
    if verb.lemma_.lower() in {"think", "agree", "say"} or (
        verb.lemma_ == "be" and any(c.lower_ == "true" for c in verb.children)
    ):
        comp = next((c for c in verb.subtree if c.dep_ == "ccomp"), None)
        if comp is not None:
            clause_tokens = [t for t in body if t.i >= min(x.i for x in comp.subtree) and t.lower_ != "that"]
            if len(clause_tokens) < len(body):  # a parse whose clause is the whole question would loop
                return _neutral_rewrite(clause_tokens, 0)
    subj = _subject_of(verb, body)
    # "It's the pressure that's getting to you": ask what is.
    if subj is not None and subj.lower_ == "it" and verb.lemma_ == "be":
        attr = next((c for c in verb.children if c.dep_ == "attr"), None)
        relcl = next((c for c in attr.children if c.dep_ == "relcl"), None) if attr is not None else None
        if relcl is not None and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in relcl.children):
            # "Isn't it time you went for band 6?" -> "How do you feel about going for band 6?"
            return _as_question(f"How do you feel about {_gerund_phrase(relcl, body)}")
        if relcl is not None:
            words = [t for t in relcl.subtree if t in body and t.lower_ not in {"that", "which", "who"}]
            return _as_question(f"What {_render(words)}")
        # "Wouldn't it be better to wait?", "Would it not make more sense to do X first?"
    if subj is not None and subj.lower_ == "it":
        inner = next(
            (t for t in body if t.dep_ in {"xcomp", "acl"} and t.pos_ in {"VERB", "AUX"} and t.i > verb.i), None
        )
        if inner is not None:
            return _as_question(f"How do you feel about {_gerund_phrase(inner, body)}")
    if subj is not None and subj.lower_ != "you" and verb.lemma_ == "be":
        return _as_question(f"What are your thoughts on {_render(_noun_phrase(subj, body)).lower()}")
    if subj is None and any(t.dep_ == "nsubj" for t in body):
        # A tangled parse: fall back to the first noun phrase after the verb.
        nouns = [t for t in body if t.pos_ == "NOUN" and t.dep_ in {"nsubj", "dobj", "pobj"}]
        if nouns:
            return _as_question(f"What are your thoughts on {_render([t for t in nouns[0].subtree if t in body])}")
    if subj is not None and subj.lower_ == "you" and any(c.dep_ == "auxpass" for c in verb.children):
        # "You must be exhausted after...?" -> "How are you feeling after...?"
        return _feel_about(verb, body, "you")
    if (
        subj is not None
        and subj.lower_ == "you"
        and verb.lemma_.lower() not in _ATTITUDE_VERBS | _WANT_VERBS
        and verb.lemma_ not in {"be", "feel"}
        and verb.pos_ == "VERB"
    ):
        tense = _tense_of([c for c in verb.children if c.dep_ == "aux"], verb)
        if tense.startswith("modal") or tense == "present" and verb.tag_ == "VB":
            action = verb
            if verb.tag_ != "VBG" and any(c.tag_ == "VBG" for c in verb.children if c.dep_ == "xcomp"):
                action = next(c for c in verb.children if c.dep_ == "xcomp")
            return _as_question(f"How do you feel about {_gerund_phrase(action, body)}")
        topic = _topic(verb, body)
        if topic:
            return _as_question(f"What are your thoughts on {topic}")
    return _open_rewrite(body, 0)


def _why_rewrite(tokens: Sequence[Token], k: int) -> Optional[str]:
    """'Why did you do that?' -> 'What led you to do that?'"""
    start = k + 2 if tokens[k].lower_ == "how" else k + 1
    body = list(tokens[start:])
    if not body:
        return None
    verb = next((t for t in body if t.head not in body or t.dep_ == "ROOT"), body[0])
    if verb.pos_ not in {"VERB", "AUX"}:
        verb = next((t for t in body if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}), verb)
    subj = _subject_of(verb, body)
    if subj is None:
        nouns = [t for t in body if t.dep_ in {"nsubj", "nsubjpass"}]
        subj = nouns[0] if nouns else None
    if subj is None:
        return None
    who = _subject_text(subj, body)
    auxes = [t for t in body if t.dep_ in {"aux", "auxpass"} and t.head == verb]
    negated = any(_is_neg(t) for t in body if t.head == verb or t.head in auxes)
    tense = _tense_of(auxes, verb)
    subject_end = _noun_phrase(subj, body)[-1].i
    tail = [t for t in body if t.i > verb.i and not (_is_neg(t) and t.head == verb)]
    passive = any(a.dep_ == "auxpass" for a in auxes)
    copula = verb.lemma_ == "be" and not passive
    if negated and not copula:
        phrase = _gerund_phrase(verb, [t for t in body if t.i >= verb.i])
        lead = {"perfect": "What has got", "past": "What got"}.get(tense, "What gets")
        return _as_question(f"{lead} in the way of {phrase}")
    if copula:
        rest = [t for t in body if t.i > subject_end and t != verb]
        if tense == "past":
            return _as_question(f"What led to {who} being {_render(rest)}")
        return _as_question(f"What makes {who} {_render(rest)}")
    if passive:
        return _as_question(f"What led to {who} being {_render([verb] + tail)}")
    if verb.tag_ == "VBG" and tense == "present":
        return _as_question(f"What makes {who} {verb.lemma_} {_render(tail)}")
    if tense == "past" or (tokens[k].lower_ == "how" and verb.tag_ == "VBD"):
        if subj.lower_ == "you":
            return _as_question(f"What led you to {verb.lemma_} {_render(tail)}")
        return _as_question(f"What led to {who} {gerund(verb.lemma_)} {_render(tail)}")
    if tense == "perfect":
        return _as_question(f"What has led {who} to {verb.lemma_} {_render(tail)}")
    if tense.startswith("modal"):
        return _as_question(f"What {_do_word(tense)} make {who} {verb.lemma_} {_render(tail)}")
    return _as_question(f"What makes {who} {verb.lemma_} {_render(tail)}")


# --- public API -------------------------------------------------------------------


def split_questions(text: str) -> Tuple[str, ...]:
    """The separate questions (and statements) in one turn, in order."""
    if not text or not text.strip():
        raise ValueError("there is no question to analyse (the text is empty)")
    return tuple(unit.text.strip() for unit, _ in _units(nlp()(text.strip())))


def analyse(text: str) -> QuestionAnalysis:
    """Classify one turn as open, closed, leading, multiple, why or statement.

    Raises ``ValueError`` for empty text. ``reasons`` explains the type in plain
    words; ``rewrite`` is an open question on the same topic (``None`` when the
    turn is already open or is not a question).
    """
    if not text or not text.strip():
        raise ValueError("there is no question to analyse (the text is empty)")
    doc = nlp()(text.strip())
    units = [_classify_unit(unit, asks) for unit, asks in _units(doc)]
    questions = [u for u in units if u.type != "statement"]
    if not questions:
        first = units[0] if units else _Unit("statement", ("There is no question here.",), None, text)
        return QuestionAnalysis("statement", first.reasons, None, False)
    if len(questions) == 1:
        only = questions[0]
        return QuestionAnalysis(only.type, only.reasons, only.rewrite, True)
    kinds = ", ".join(u.type for u in questions)
    reasons = (
        f"It asks {len(questions)} questions at once ({kinds}), so the person may answer only one of them.",
        "Ask one question, listen, then ask the next.",
    )
    lead = questions[0]
    rewrite = _as_question(lead.text) if lead.type == "open" else lead.rewrite
    return QuestionAnalysis("multiple", reasons, rewrite, True)


def reflects_back(text: str) -> bool:
    """Does this turn reflect back what was heard ("So you feel...", "It sounds as if...")?"""
    lowered = text.strip().lower().replace("\u2019", "'")
    lowered = re.sub(r"^(ok|okay|right|and)[, ]+", "", lowered)
    return lowered.startswith(_REFLECTING_STARTS)


def analysis_as_dict(analysis: QuestionAnalysis) -> Dict[str, object]:
    """The analysis as plain JSON-ready data: type, reasons and rewrite."""
    return {"type": analysis.type, "reasons": list(analysis.reasons), "rewrite": analysis.rewrite}
