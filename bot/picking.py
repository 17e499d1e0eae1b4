"""A button picked by typing: its label ("edit it" for "Edit it"), "3", "answer 3", "the third one" or "the last
one" at a list whose buttons are numbered ("Answer 1" to "Answer 4"), or "the second one" at a choice ("Early in my
career", "Mid-career", ...), acted on as the button would be. A label typed never reaches the NLU, which may misread
a few words ("edit it" reads to the safety classifier like "end it").

A message picks a button by its label when its words are the label's, politeness aside ("ok, edit it please"). It
picks one by a number or place only when every word in it is one that a pick is made of
(``bot/content/picking.yml``) and it names one number, or one place in the list, that a button on screen carries.
At a menu of three buttons or more, a few words all of one label and of no other's pick that button ("prepare
please" at "Prepare for a conversation"), except where the buttons answer a question, say yes or no, or say the
person is safe. Anything else is not a pick and is read as usual: numbers said about something else ("3 years in
band 5", "3pm"), more than one ("3 and 4"), or a number no button carries.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from pydantic import BaseModel

from bot import safety
from bot.content import content_path, read_yaml
from bot.turn import Button

LONGEST_PICK = 60  # characters: a pick, or a button's label, is a few words
CLOSE = 0.8  # how close a misspelt word must be to one a pick is made of ("thrid", "secound", "answr")
WORD = re.compile(r"\d+(?:st|nd|rd|th)?|[a-z']+")
NUMBERED = re.compile(r"\b(\d+)\b")
NUMBERED_LINES = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
FEWEST_CHOICES = 3  # buttons without numbers picked by their place: fewer is a yes or a no
MENU_WORDS = 3  # a button picked by words of its label: a few, all the label's ("help me prepare" may be one's own)
SAME_WORD = 0.75  # how close a typed word must be to a label's ("prepair", "rehersal"), when both are long enough
LAST = 0  # the place "last" names, whatever the highest number shown is


class Vocabulary(BaseModel):
    numbers: Dict[str, int]
    last: FrozenSet[str]
    names: FrozenSet[str]
    with_: FrozenSet[str]
    polite: FrozenSet[str]
    whole_label_only: FrozenSet[str]
    label_filler: FrozenSet[str]

    class Config:
        fields = {"with_": "with"}


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary.parse_obj(read_yaml(content_path("picking.yml")))


def may_pick(text: str) -> bool:
    """Whether a message is short enough to be a button's label or a pick: only then is it worth looking at what is
    on screen."""
    return 0 < len(text) <= LONGEST_PICK


def picked(text: str, buttons: Sequence[Button], said: str = "") -> Optional[Button]:
    """The button among ``buttons`` (under the coach's words ``said``) that a typed message picks: its label, typed
    ("edit it", "Back to the list please"); else by the number in its title when the buttons carry numbers ("Answer
    3", "Stage 2"), or by its place ("the second one" of "Early / Mid-career / Later"). None when it picks none, and
    when the words name risk of harm: those always reach the safety gate, whatever button they match."""
    button = _picked(text, buttons, said)
    if button is not None and safety.assess(text, second_opinion=False).names_risk:
        return None
    return button


def _picked(text: str, buttons: Sequence[Button], said: str) -> Optional[Button]:
    if not buttons or not may_pick(text):
        return None
    typed = _label(text)
    labelled = [button for button in buttons if typed and _label(button.get("title", "")) == typed]
    if len(labelled) == 1:
        return labelled[0]
    named = _named(text)
    if named is None:
        return _by_label_words(text, buttons)
    numbered = {int(match.group(1)): button for button in buttons
                if (match := NUMBERED.search(button.get("title", ""))) is not None}
    # By place only among choices: a yes or a no ("Yes, delete everything") is never a "1". Nor where the words
    # number their own lines ("1. Mid-career conversation"), whose buttons may not follow them one for one ("None of
    # these" is the last button, not the last option): the question that numbered them reads the number.
    if not numbered and len(buttons) >= FEWEST_CHOICES and not NUMBERED_LINES.search(said):
        numbered = dict(enumerate(buttons, start=1))
    return numbered.get(max(numbered) if named == LAST else named) if numbered else None


def _by_label_words(text: str, buttons: Sequence[Button]) -> Optional[Button]:
    """At a menu, the one button whose label a few typed words fit ("prepare pls", "the checklist", "record it"):
    every word is a word of that label, and of no other button's. Not a question."""
    known = vocabulary()
    if (text.rstrip().endswith("?") or len(buttons) < FEWEST_CHOICES
            or any(_intent(b) in known.whole_label_only for b in buttons)):
        return None  # a question; two buttons, as good as a yes or a no; or buttons that answer or say one is safe
    titles = [_typed(str(b.get("title", ""))) for b in buttons]  # each label's words, read once
    words = [w for w in _label(text).split()
             if w not in (known.with_ - {w for title in titles for w in title}) | known.label_filler]
    if not words or len(words) > MENU_WORDS or any(w[0].isdigit() for w in words):
        return None  # nothing said, or more; or a number the place rule did not take ("3pm")
    labels = [[t for t in title if t not in known.label_filler] for title in titles]
    fitting = [[w for w in words if _in_label(w, label)] for label in labels]
    fits = [b for b, found in zip(buttons, fitting, strict=True) if found and len(found) == len(words)]
    return fits[0] if len(fits) == 1 and sum(bool(found) for found in fitting) == 1 else None


def _intent(button: Button) -> str:
    return re.split(r"[{\s]", str(button.get("payload", "")).lstrip("/"), maxsplit=1)[0]


def _in_label(word: str, label: Sequence[str]) -> bool:
    """Whether a typed word is one of a label's, or close to one when both are long ("prepair", "rehersal")."""
    return word in label or (len(word) >= 5 and bool(difflib.get_close_matches(
        word, [w for w in label if len(w) >= 5], n=1, cutoff=SAME_WORD)))


def _label(text: str) -> str:
    """A label as typed: its words in lower case, without the politeness around them ("ok, edit it please")."""
    words = _typed(text)
    polite = vocabulary().polite
    while words and words[-1] in polite:
        words.pop()
    while words and words[0] in polite:
        words.pop(0)
    return " ".join(words)


def places(text: str, count: int) -> List[int]:
    """Every number or place a message names among ``count`` items listed, in order, once each ("the first and
    third", "more about 2", "the last one"). "one" is not counted: "the mentoring one" names no number. Words are read
    as typed: among other words a near miss is another word ("at least" is not "at last")."""
    named = [_place(word, count) for word in _typed(text)]
    return list(dict.fromkeys(number for number in named if number is not None))


def _place(word: str, count: int) -> Optional[int]:
    known = vocabulary()
    if word.isdigit() or word[:-2].isdigit():
        return int(word.rstrip("stndrh"))
    if word in known.last:
        return count
    return known.numbers.get(word) if word != "one" else None


def _named(text: str) -> Optional[int]:
    """The one number or place the words name (``LAST`` for "the last one"), when every word is a pick's."""
    known = vocabulary()
    named: List[int] = []
    ones = 0  # "one" names 1 only when nothing else is named ("number one"), not in "the first one"
    for word in _words(text):
        place = _place(word, LAST)
        if place is not None:
            named.append(place)
        elif word == "one":
            ones += 1
        elif word not in known.names and word not in known.with_:
            return None
    if not named and ones == 1:
        named.append(1)
    return named[0] if len(named) == 1 else None


def _typed(text: str) -> List[str]:
    """The words and numbers as typed, in lower case, with a plain apostrophe ("I’d" is "i'd")."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


def _words(text: str) -> List[str]:
    """The words, each misspelt one read as the pick's word it is close to ("thrid" is "third")."""
    return [_spelt(word) for word in _typed(text)]


def _spelt(word: str) -> str:
    if len(word) < 4 or word[0].isdigit():
        return word
    close = difflib.get_close_matches(word, _pick_words(), n=1, cutoff=CLOSE)
    return close[0] if close else word


@cache
def _pick_words() -> Tuple[str, ...]:
    """Every word a pick is made of, in a fixed order (the closest match is then the same on every run)."""
    known = vocabulary()
    return tuple(sorted(frozenset(known.numbers) | known.last | known.names | known.with_))
