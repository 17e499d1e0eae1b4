"""Remarks to the coach rather than answers ("i already said this??", "see above", "lol", "asdfgh").

Answers are stored exactly as typed. A plan document, though, shows answers and not
chat, so it leaves these out. The vocabulary is content (``bot/content/remarks.yml``).
Leaving out an answer would lose the person's words from their plan, so a message is
a remark only when nothing in it says something about the person.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot import intake
from bot.content import content_path, read_yaml
from bot.language import nlp, other_language

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

READ_LIMIT = 400  # a remark is short; past this, a message says something
CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "our", "us"})
# What intake reads as a request about the conversation itself, rather than for something the coach does.
CONVERSATION = frozenset({intake.SKIP, intake.LATER, intake.STOP, intake.CHANGE, intake.QUESTION})
_WORD = re.compile(r"[^\W_]+")
# Keyboard mash: a letter typed four times over, or a word without a vowel ("jjjjjjj", "sdfgh").
_MASH = re.compile(r"(\w)\1{3,}|^[b-df-hj-np-tv-xz]{4,}$")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


class _Remarks(BaseModel):
    source: str
    shorthand: dict[str, str]
    alone: list[str]
    phrases: list[str]
    chat_words: list[str]


@cache
def _vocabulary() -> _Remarks:
    return _Remarks.parse_obj(read_yaml(content_path("remarks.yml")))


@cache
def _matchers() -> tuple[PhraseMatcher, ...]:
    """The phrases as written and by lemma: a tagger may read "confused" as an adjective in one and a verb in
    the other."""
    from spacy.matcher import PhraseMatcher

    phrases = list(nlp().pipe(p.lower() for p in _vocabulary().phrases))
    matchers = (PhraseMatcher(nlp().vocab, attr="LOWER"), PhraseMatcher(nlp().vocab, attr="LEMMA"))
    for matcher in matchers:
        matcher.add("remark", phrases)
    return matchers


def _mashed(word: str) -> bool:
    return bool(_MASH.search(word)) or (len(word) >= 4 and any(word in row for row in _KEYBOARD_ROWS))


def _plain(text: str) -> str:
    """The message in lower case, with chat shorthand written out ("u" -> "you")."""
    shorthand = _vocabulary().shorthand
    return _WORD.sub(lambda m: shorthand.get(m.group(0), m.group(0)), text.lower().replace("’", "'"))


def _to_the_coach(text: str, words: list[str]) -> bool:
    """A question for the coach with nothing of the person's own in it ("who reads this?", "why do you ask")."""
    if FIRST_PERSON & set(words) or other_language(text) is not None or not intake.reads_as_question(text):
        return False
    # "march?" is a tentative answer; a question to the coach asks with a question word, or asks "you".
    return words[0] in intake.vocabulary().grammar.question_openers or "you" in words


def is_remark(text: str) -> bool:
    """Whether ``text`` is a remark to the coach (or noise) rather than an answer about the person."""
    if len(text) > READ_LIMIT:
        return False
    if not _WORD.findall(text) or all(_mashed(w) for w in _WORD.findall(text.lower())):
        return True  # emoji, punctuation, keyboard mash
    plain = _plain(text)
    words = _WORD.findall(plain)
    if " ".join(words) in _vocabulary().alone or plain.strip() in _vocabulary().alone:
        return True
    if _to_the_coach(plain, words):
        return True
    found = intake.analyse(plain)
    if found.whole and all(cue.kind in CONVERSATION for cue in found.cues):
        return True  # wholly a request about the conversation: "next question please", "can we go back"
    doc = nlp()(plain, disable=["ner"])
    covered = {i for matcher in _matchers() for _, start, end in matcher(doc) for i in range(start, end)}
    if not covered:
        return False
    chat = set(_vocabulary().chat_words)
    said = [t for t in doc if t.i not in covered and t.pos_ in CONTENT and not t.is_stop
            and t.lemma_ not in chat and t.lower_ not in chat]
    return not said
