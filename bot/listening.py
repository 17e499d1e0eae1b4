"""How the coach listens: a brief, varied acknowledgement of each answer, now and then its gist, and whether a
short answer that mentions strain says the person is managing ("tired but ok").

The gist is a phrase the person used, found with spaCy: a verb with what it acts on ("starting a falls audit",
"think about partial retirement"), else a noun phrase of two words or more ("more predictable shifts"). It is
never the whole answer. The wording is content: bot/content/listening.yml.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import TYPE_CHECKING, Optional

from bot import safety
from bot.content import content_path, read_yaml
from bot.language import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

GIST_WORDS = 6  # a gist is at most this many of the person's words
COPING_WORDS = 15  # past this, an answer says more than "tired but ok", and the fuller strain reply fits it
READ_CHARS = 400  # the gist is looked for in the answer's opening
_ENDS = frozenset({"NOUN", "PROPN", "NUM"})  # a gist ends on a thing: "a falls audit", "band 6"
# Things too vague to end a gist on ("the only thing", "the next few years").
_VAGUE = frozenset({"thing", "stuff", "lot", "bit", "way", "time", "one", "ages", "year", "month", "week", "day"})
_CHAT = frozenset({"tbh", "lol", "haha", "ppl", "idk", "pls"})
_LEADING = frozenset({"a", "an", "the", "and", "but", "or", "to", "my", "our", "your"})


@cache
def _listening() -> dict[str, tuple[str, ...]]:
    raw = read_yaml(content_path("listening.yml"))
    return {key: tuple(raw[key]) for key in ("acknowledgements", "reflections", "coping_after")}


@cache
def _coping_endings() -> tuple[str, ...]:
    """Every way the coping vocabulary lets a short answer end: "but ok", "otherwise i'm fine", "ok though"."""
    coping = _coping()
    ends = [f"{turn} {subject} {state}".replace("  ", " ")
            for turn in coping["turns"] for subject in ("", *coping["subjects"]) for state in coping["states"]]
    ends += [f"{state} {after}" for state in coping["states"] for after in coping["trailing"]]
    return tuple(ends)


def _phrase(doc: Doc, start: int, end: int) -> Optional[str]:
    """doc[start:end + 1] without leading articles or conjunctions, if it keeps two to GIST_WORDS words."""
    while start <= end and doc[start].lower_ in _LEADING:
        start += 1
    words = [t for t in doc[start:end + 1] if not t.is_punct]
    return doc[start:end + 1].text if 2 <= len(words) <= GIST_WORDS else None


_CLAUSES = frozenset({"advcl", "ccomp", "relcl", "acl", "conj", "pcomp"})
# A verb said under these is what the person does not do ("instead of calling for help", "never got the job").
_NOT = frozenset({"not", "n't", "never", "instead", "without", "rather", "no"})


def _in_clause(token: Token, verb: Token) -> bool:
    """Whether ``token`` belongs to ``verb``'s own clause, not to a clause inside it ("when a patient is ...")."""
    node = token
    while node != verb:
        if node.dep_ in _CLAUSES or node.head == node:
            return False
        node = node.head
    return True


def _clause_end(token: Token) -> int:
    """The last token of what ``token`` says before a comma, an "and"/"but", or a new clause."""
    end = token.i
    for t in token.doc[token.i + 1:]:
        if t.is_punct or t.dep_ in {"cc", "mark"} or t.lower_ in _CHAT or not _in_clause(t, token):
            break
        end = t.i
    return end


def _verb_phrase(verb: Token) -> list[str]:
    """The verb and what it acts on (none, or one phrase), ending on a thing ("starting a falls audit", "think
    about partial retirement"). A finite "be" ("is the only thing") says too little to be a gist."""
    if (verb.lemma_ == "be" and verb.tag_ != "VB") or any(child.dep_ == "xcomp" for child in verb.children):
        return []  # and "would like to become a supervisor" is said by "become a supervisor"
    if any(t.lower_ in _NOT for t in verb.doc[max(verb.i - 3, 0):verb.i]) or any(
            child.dep_ == "neg" for child in verb.children):
        return []
    ends = [t.i for t in verb.doc[verb.i + 1:_clause_end(verb) + 1] if _thing(t)]
    fitting = [p for p in (_phrase(verb.doc, verb.i, end) for end in ends) if p]
    return fitting[-1:]  # the fullest that fits


def _thing(token: Token) -> bool:
    """Whether a phrase can end on ``token``: the head of a noun phrase or a number, and not a vague one."""
    return (token.pos_ in _ENDS and not token.is_stop and token.dep_ not in {"compound", "nummod", "amod"}
            and token.lower_ not in _CHAT and token.lemma_.lower() not in _VAGUE)


def gist(text: str) -> Optional[str]:
    """A phrase from the answer that carries its point, in the person's words; None if there is none."""
    doc = nlp()(text[:READ_CHARS])
    verbs = [p for t in doc if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}
             for p in _verb_phrase(t)]
    nouns = [_phrase(doc, chunk.start, chunk.end - 1) for chunk in doc.noun_chunks if _thing(chunk.root)]
    for found in (verbs, nouns):
        phrases = [p for p in found if p]
        # The first phrase that says something (three words or more) in the order the person said it, else the
        # longest: an answer usually leads with its point.
        best = next((p for p in phrases if len(p.split()) >= 3), max(phrases, key=len, default=None))
        if best:
            return best if len(best.split()) < len(text.split()) else None
    return None


def acknowledge(text: str, answered_before: int) -> str:
    """A short acknowledgement of an answer, varied by the answer's words. Every third answer in a flow gets its
    gist back, when it has one; the rest are not quoted."""
    listening = _listening()
    digest = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    phrase = gist(text) if answered_before % 3 == 2 else None
    if phrase:
        template = listening["reflections"][digest % len(listening["reflections"])]
        return template.format(gist=phrase)
    return listening["acknowledgements"][digest % len(listening["acknowledgements"])]


def copes(text: str) -> bool:
    """Whether a short answer that mentions strain says the person is managing: the strain then gets a word and the
    well-being button, not the fuller reply. It ends by saying so ("tired but ok", "stressed, but getting there
    tbh"); or says so after its last contrast, with no strain after it ("stressed but coping, my allotment keeps me
    sane"); or says so first, and makes light of the strain after ("fine thanks, a bit tired after a run of lates")."""
    words = re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))
    if len(words) > COPING_WORDS:
        return False
    listening = _listening()
    said = " ".join(words)
    while words and words[-1] in listening["coping_after"]:
        words.pop()
    if any(f" {' '.join(words)}".endswith(" " + ending) for ending in _coping_endings()):
        return True
    return _copes_after_the_contrast(said) or _copes_first(said)


def _copes_after_the_contrast(said: str) -> bool:
    coping = _coping()
    contrasts = [m.end() for contrast in coping["contrasts"] for m in re.finditer(rf"\b{contrast}\b", said)]
    if not contrasts:
        return False
    after = f" {said[max(contrasts):].strip()} "
    named = [phrase for phrase in (*coping["states"], *coping["going_on"]) if f" {phrase} " in after]
    return (bool(named) and not any(f" not {phrase} " in after for phrase in named)
            and safety.assess(after, second_opinion=False).level == safety.NONE)


def _copes_first(said: str) -> bool:
    rest = next((said[len(o):] for o in _coping_openings() if said.startswith(o + " ")), None)
    return rest is not None and any(rest.startswith(f" {light} ") for light in _coping()["made_light"])


@cache
def _coping_openings() -> tuple[str, ...]:
    """Every way the coping vocabulary lets an answer open by saying so: "fine thanks", "i'm ok overall"."""
    coping = _coping()
    return tuple(f"{subject} {state} {then}".strip() for subject in ("", *coping["subjects"])
                 for state in coping["states"] for then in coping["said_first_with"])


@cache
def _coping() -> dict[str, tuple[str, ...]]:
    return {key: tuple(words) for key, words in read_yaml(content_path("listening.yml"))["coping"].items()}
