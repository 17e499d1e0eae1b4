"""Worries the coach notices in an answer (money, retirement or pension, being unheard or treated unfairly), so it
can respond to what the person said rather than only take it down. The lexicon and replies are content:
bot/content/worries.yml."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Optional

from pydantic import BaseModel

from bot.content import content_path, read_yaml


class _Button(BaseModel):
    title: str
    query: str


class _WorrySchema(BaseModel):
    id: str
    patterns: list[str]
    unless: list[str] = []
    reply: str
    buttons: list[_Button]


@dataclass(frozen=True)
class Worry:
    id: str
    reply: str
    buttons: tuple[tuple[str, str], ...]  # (title, what find_resources searches for)
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def voiced_in(self, lowered: str) -> bool:
        """Whether ``lowered`` (an answer in lower case, as :func:`notice` prepares it) voices this worry."""
        for other_sense in self.unless:
            lowered = other_sense.sub(" ", lowered)
        return any(pattern.search(lowered) for pattern in self.patterns)


@cache
def _raw() -> dict[str, Any]:
    return dict(read_yaml(content_path("worries.yml")))


MISSPELT_FROM = 7  # letters: shorter words are too easily close to another ("monkey", "money")


@cache
def _spelling(word: str) -> str:
    """``word``, or the listed word it is a misspelling of."""
    spellings = _raw().get("spellings", [])
    if len(word) < MISSPELT_FROM or word in spellings:
        return word
    close = difflib.get_close_matches(word, spellings, n=1, cutoff=0.8)
    return close[0] if close else word


@cache
def worries() -> tuple[Worry, ...]:
    raw = _raw()
    entries = [_WorrySchema.parse_obj(entry) for entry in raw["worries"]]
    return tuple(Worry(e.id, " ".join(e.reply.split()), tuple((b.title, b.query) for b in e.buttons),
                       tuple(re.compile(p) for p in e.patterns), tuple(re.compile(p) for p in e.unless))
                 for e in entries)


def notice(text: str) -> Optional[Worry]:
    """The first worry the answer voices, in the content's order, or None."""
    lowered = re.sub(r"[a-z]+", lambda m: _spelling(m.group(0)), " ".join(text.lower().replace("’", "'").split()))
    return next((worry for worry in worries() if worry.voiced_in(lowered)), None)
