"""Worries the coach notices in an answer (money, retirement or pension, being unheard or treated unfairly), so it
can respond to what the person said rather than only take it down. The lexicon and replies are content:
bot/content/worries.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Optional

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
def worries() -> tuple[Worry, ...]:
    raw = read_yaml(content_path("worries.yml"))
    entries = [_WorrySchema.parse_obj(entry) for entry in raw["worries"]]
    return tuple(Worry(e.id, " ".join(e.reply.split()), tuple((b.title, b.query) for b in e.buttons),
                       tuple(re.compile(p) for p in e.patterns), tuple(re.compile(p) for p in e.unless))
                 for e in entries)


def notice(text: str) -> Optional[Worry]:
    """The first worry the answer voices, in the content's order, or None."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    return next((worry for worry in worries() if worry.voiced_in(lowered)), None)
