"""What the coach says when it is not sure what a message asks for: "Did you mean…?", with buttons.

The NLU's ``nlu_fallback`` keeps its ranking of guesses. Rather than only "I'm not sure I understood", the
coach offers its strongest guesses among the requests in ``bot/content/clarifying.yml`` as buttons (each does
what its label says, as the same button does elsewhere), and "See what I can do". With no guess worth
offering, it says it did not follow, as before (``utter_default``).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from pydantic import BaseModel

from bot import intake
from bot.content import content_path, read_yaml
from bot.turn import Turn, ranked

NOT_UNDERSTOOD = "utter_default"
DID_YOU_MEAN = "utter_did_you_mean"
SEE_WHAT_I_CAN_DO = {"title": "See what I can do", "payload": "/help"}
PAUSED = "utter_paused"  # as the rule for a stop outside a form says it


class Offers(BaseModel):
    floor: float
    most: int
    offers: Dict[str, str]


@cache
def offers() -> Offers:
    return Offers.parse_obj(read_yaml(content_path("clarifying.yml")))


def guesses(ranking: Sequence[Tuple[str, float]], first: Optional[str] = None) -> List[str]:
    """The NLU's strongest guesses worth offering, from its intent ranking as (name, confidence) pairs; after
    ``first``, a request the words themselves point to, when there is one."""
    known = offers()
    found = [name for name, confidence in ranking if name in known.offers and confidence >= known.floor][:known.most]
    return found if first is None else [first, *(name for name in found if name != first)]


def guess_buttons(names: Sequence[str]) -> List[Dict[str, str]]:
    """A button for each guess, doing what its label says, as the same button does elsewhere."""
    return [{"title": offers().offers[name], "payload": f"/{name}"} for name in names if name in offers().offers]


def did_you_mean(ranking: Sequence[Mapping[str, Any]], text: str = "") -> Turn:
    """The reply to a message the NLU could not place, from its intent ranking (``name``, ``confidence``). Words that
    only leave ("gotta go", "i need to go") pause, as a stop mid-question does, rather than "did you mean…?"."""
    if text and intake.move(text) == intake.STOP:
        return Turn().say(response=PAUSED)
    buttons = guess_buttons(guesses(ranked(ranking)))
    if not buttons:
        return Turn().say(response=NOT_UNDERSTOOD)
    return Turn().say(response=DID_YOU_MEAN, buttons=[*buttons, SEE_WHAT_I_CAN_DO])
