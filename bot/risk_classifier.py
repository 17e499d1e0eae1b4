"""A small trained classifier alongside the safety lexicon: does a message read like risk of harm?

The lexicon (``bot/safety.py``) is precise but only knows the wordings someone wrote down. This
classifier learns from the labelled examples in ``bot/content/safety_examples*.yml`` (risk and
non-risk, in batches by who wrote them and when) and ``bot/content/safety_everyday.yml`` (ordinary
messages), over character and word n-grams, so that misspellings and new phrasings of the same
ideas still score high. It never raises a crisis on its own: :func:`bot.safety.assess` turns a high
score into ``concern``, the gentle check-in with the urgent numbers, or into ``crisis`` when the
lexicon also found a concerning phrase.

It tells apart the kinds of message, not just risk from the rest: each risk category (suicide,
self-harm, harm to others, abuse, acute distress) and each kind of ordinary message (idiom, stress,
clinical talk, career, everyday) is a class of its own, and the risk score is the sum of the risk
classes. One line between "risk" and "everything else" had to bend round stress and idioms that share
their words; on the tuning batches, each scored as if written by a new hand, the same false-alarm budget
then found 95% of the risk against 89% (docs/safety.md).

It is trained once and kept in the cache of ``bot/text_models.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot import text_models
from bot.content import content_path, read_yaml

# Batches of tuning examples, each written by a different hand (see each file's header).
EXAMPLES_FILES = ("safety_examples.yml",) + tuple(f"safety_examples_{n}.yml" for n in range(2, 12))
EVERYDAY_FILE = "safety_everyday.yml"
# Both bars are chosen together on the tuning batches alone, each scored by a classifier trained on the others
# (as if written by a new hand; bench/safety_bar.py, docs/safety.md): the pair that gives urgent help to the most
# left-out risk messages while keeping idioms and stress to 1 alarm in 25.
CHECK_IN_PROBABILITY = 0.61
# Below the check-in bar but not low: the detector is unsure, and DIET's own guess of risk may tip it
# into the check-in (bot/nlu/safety_gate.py). DIET alone never does: it over-reaches on sad words.
UNSURE_PROBABILITY = 0.55
# Part of the cache's name: change it whenever RiskClassifier.train changes, so no process reads a model
# trained the old way.
TRAINING_VERSION = 3


@dataclass(frozen=True)
class Example:
    """One labelled message: risk or not, its category (risk) or kind (non-risk), acceptable levels."""

    text: str
    risk: bool
    category: str = ""
    expect: Tuple[str, ...] = ()

    @property
    def is_idiom_or_stress(self) -> bool:
        return not self.risk and (self.category in ("idiom", "stress") or self.expect == ("strain",))

    @property
    def label(self) -> str:
        """The class the classifier learns: the risk category, or the kind of ordinary message."""
        return f"{RISK_LABEL}{self.category or 'unsorted'}" if self.risk else f"calm:{self.category or 'other'}"


RISK_LABEL = "risk:"


def parse_examples(data: Dict[str, Any]) -> List[Example]:
    """Examples from a file with ``risk`` and ``non_risk`` lists (the held-out set has the same shape)."""
    items = [Example(str(m["text"]), True, str(m.get("category", ""))) for m in data.get("risk") or []]
    for m in data.get("non_risk") or []:
        expect = m.get("expect", "none")
        levels = tuple(str(e) for e in expect) if isinstance(expect, list) else (str(expect),)
        items.append(Example(str(m["text"]), False, str(m.get("kind", "")), levels))
    return items


def load_examples(directory: Optional[Path] = None) -> Tuple[Example, ...]:
    """The labelled tuning examples, every batch (each file from the override folder first, then the default)."""
    return tuple(example for name in EXAMPLES_FILES
                 for example in parse_examples(read_yaml(content_path(name, directory))))


def load_everyday(directory: Optional[Path] = None) -> Tuple[Example, ...]:
    """Ordinary messages, as non-risk examples."""
    data = read_yaml(content_path(EVERYDAY_FILE, directory))
    return tuple(Example(str(text), False, "everyday", ("none",)) for text in data.get("messages") or [])


class RiskClassifier:
    """Logistic regression over word and character n-grams (scikit-learn)."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._risk_columns = [i for i, label in enumerate(model.classes_) if str(label).startswith(RISK_LABEL)]

    @classmethod
    def train(cls, examples: Sequence[Example]) -> RiskClassifier:
        return cls(text_models.ngram_classifier([e.text for e in examples], [e.label for e in examples]))

    def probability(self, text: str) -> float:
        """How much the message reads like risk of harm, from 0 to 1: the sum over the risk classes."""
        return float(self._model.predict_proba([text_models.scored_text(text)])[0][self._risk_columns].sum())


def trained(examples: Sequence[Example], directory: Optional[Path] = None) -> RiskClassifier:
    """The classifier for these examples: from the cache when it was trained on exactly them, else trained now."""
    digest = text_models.fingerprint(__name__, TRAINING_VERSION, ((e.label, e.text) for e in examples))
    return text_models.cached("risk-classifier", digest, lambda: RiskClassifier.train(examples), RiskClassifier,
                              directory)


@cache
def default_classifier() -> RiskClassifier:
    """Once per process, from the configured content (and the cache)."""
    return trained(load_examples() + load_everyday())
