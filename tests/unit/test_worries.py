"""The worries the coach notices in an answer: money, retirement or pension, being unheard or treated unfairly.

The lexicon (bot/content/worries.yml) was tuned on tests/data/worries.yml; worries_held_out.yml was written by
another hand before any tuning against it, and is only counted against floors."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.worries import notice

DATA = Path(__file__).resolve().parent.parent / "data"


def labelled(name: str) -> List[Dict[str, str]]:
    return list(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["answers"])


def noticed(text: str) -> str:
    worry = notice(text)
    return worry.id if worry else "none"


TUNING = labelled("worries.yml")


@pytest.mark.parametrize("item", TUNING, ids=[item["text"][:50] for item in TUNING])
def test_every_tuning_answer_is_read_as_labelled(item: Dict[str, str]) -> None:
    assert noticed(item["text"]) == item["worry"]


def test_held_out_worries_are_noticed_at_least_as_well_as_at_first_sight() -> None:
    items = labelled("worries_held_out.yml")
    worried = [i for i in items if i["worry"] != "none"]
    plain = [i for i in items if i["worry"] == "none"]
    right = sum(noticed(i["text"]) == i["worry"] for i in worried)
    false_alarms = [i["text"] for i in plain if noticed(i["text"]) != "none"]
    missed = [f"{i['worry']}: {i['text']} (got {noticed(i['text'])})"
              for i in worried if noticed(i["text"]) != i["worry"]]
    print(f"\nheld-out: {right} of {len(worried)} worries noticed as labelled; {len(false_alarms)} of {len(plain)} "
          "plain answers got one", *missed, *(f"false alarm: {t}" for t in false_alarms), sep="\n  ")
    # Floors at the first-sight figures (64 of 90 noticed; 6 of 30 deliberately tricky plain answers, such as "I
    # retired my old laptop", got a reply): they stop a regression; the goal is higher (docs/understanding.md).
    assert right >= 64
    assert len(false_alarms) <= 6


@pytest.mark.parametrize(("answer", "worry"), [
    ("thinking about retirment in a couple of years", "pension"),
    ("worried what happens to my pention if I drop hours", "pension"),
    ("I was discrimanated against at my last interview", "unfair"),
    ("financialy it's tight at the moment", "money"),
    ("there's a lot of monkey business on nights", "none"),
    ("I'm retraining as an ODP", "none"),
    ("what is Our Leadership Way? never heard of it", "none"),
    ("I've not heard of that programme", "none"),
    ("nobody ever listens to us on nights", "unfair"),
])
def test_a_hurried_misspelling_is_still_noticed_and_short_words_are_left_alone(answer: str, worry: str) -> None:
    assert noticed(answer) == worry
