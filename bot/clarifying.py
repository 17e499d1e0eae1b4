"""What the coach says when it is not sure what a message asks for: "Did you mean…?", with buttons.

The NLU's ``nlu_fallback`` keeps its ranking of guesses. Rather than only "I'm not sure I understood", the
coach offers its strongest guesses among the requests in ``bot/content/clarifying.yml`` as buttons (each does
what its label says, as the same button does elsewhere), and "See what I can do". With no guess worth
offering, it says it did not follow, as before (``utter_default``).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict, Mapping, Sequence

from pydantic import BaseModel

from bot.content import content_path, read_yaml
from bot.turn import Turn

NOT_UNDERSTOOD = "utter_default"
DID_YOU_MEAN = "utter_did_you_mean"
SEE_WHAT_I_CAN_DO = {"title": "See what I can do", "payload": "/help"}


class Offers(BaseModel):
    floor: float
    most: int
    offers: Dict[str, str]


@cache
def offers() -> Offers:
    return Offers.parse_obj(read_yaml(content_path("clarifying.yml")))


def did_you_mean(ranking: Sequence[Mapping[str, Any]]) -> Turn:
    """The reply to a message the NLU could not place, from its intent ranking (``name``, ``confidence``)."""
    known = offers()
    guesses = [str(guess.get("name")) for guess in ranking
               if guess.get("name") in known.offers and float(guess.get("confidence") or 0.0) >= known.floor]
    if not guesses:
        return Turn().say(response=NOT_UNDERSTOOD)
    buttons = [{"title": known.offers[name], "payload": f"/{name}"} for name in guesses[:known.most]]
    return Turn().say(response=DID_YOU_MEAN, buttons=[*buttons, SEE_WHAT_I_CAN_DO])
