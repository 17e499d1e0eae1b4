"""The labelled safety messages: tuning examples and the held-out batches, read the same way everywhere.

* tuning: ``bot/content/safety_examples*.yml``. The lexicon was tuned against them and the classifier
  learns from them, so their figures are optimistic. The second of them was held-out batch 2 until its
  first-sight measurement (docs/safety.md).
* held-out: ``tests/data/safety_held_out*.yml``, each batch written by another hand before any tuning
  against it, and never tuned against. A miss there is fixed by a general rule and new tuning examples,
  never its wording; tests and benches report only counts for them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.risk_classifier import Example, load_examples, parse_examples

DATA = Path(__file__).resolve().parent / "data"
HELD_OUT_BATCHES = {"held-out 1": DATA / "safety_held_out.yml",
                    "held-out 3": DATA / "safety_held_out_3.yml",
                    "held-out 4": DATA / "safety_held_out_4.yml",
                    "held-out 5": DATA / "safety_held_out_5.yml",
                    "held-out 6": DATA / "safety_held_out_6.yml",
                    "held-out 7": DATA / "safety_held_out_7.yml",
                    "held-out 8": DATA / "safety_held_out_8.yml",
                    "held-out 9": DATA / "safety_held_out_9.yml",
                    "held-out 10": DATA / "safety_held_out_10.yml"}


@cache
def tuning() -> Tuple[Example, ...]:
    return load_examples()


@cache
def held_out_batches() -> Dict[str, Tuple[Example, ...]]:
    return {name: tuple(parse_examples(yaml.safe_load(path.read_text(encoding="utf-8"))))
            for name, path in HELD_OUT_BATCHES.items()}


@cache
def held_out() -> Tuple[Example, ...]:
    """Every held-out batch together."""
    return tuple(example for batch in held_out_batches().values() for example in batch)


@cache
def check_in_replies(held: bool) -> Tuple[Tuple[str, bool], ...]:
    """Replies typed at the check-in ("Are you safe at the moment?"), each with whether it says the person is
    safe: ``tests/data/safety_check_in_replies*.yml``, tuning or held-out."""
    name = "safety_check_in_replies_held_out.yml" if held else "safety_check_in_replies.yml"
    items: List[Dict[str, str]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["examples"]
    return tuple((str(item["text"]), item["expect"] == "safe") for item in items)


@cache
def told_as_answers() -> Tuple[Example, ...]:
    """Disclosures told as answers to the coach's questions, and everyday answers that share risk's words
    (``tests/data/safety_answers.yml``): a labelled set the detector is checked against, not trained on."""
    return tuple(parse_examples(yaml.safe_load((DATA / "safety_answers.yml").read_text(encoding="utf-8"))))
