"""A trained second look at what a message said at a question is: the answer, or a skip, "later", stop, change,
question or request (and which request).

``bot/intake.py`` reads a message by its words: phrases from ``intake.yml`` matched with spaCy, where they sit in the
message, and the NLU's intent. Those rules were tuned on the labelled messages in ``bot/content/in_form_examples*.yml``
and do less well on wordings nobody wrote down. This classifier learns from the same messages, over character and
word n-grams (``bot/text_models.py``), so new wordings of the same requests still read as requests. Intake asks it
only after its own reading, and takes its guess only where it is confident and the guess can do no harm
(``intake.read``).

Scored as if written by a new hand (each tuning batch left out in turn and guessed by a model trained on the
others), its kind was right for 95% of the tuning messages (docs/understanding.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot import text_models
from bot.content import content_path, read_yaml

# Batches of labelled messages, each written by a different hand (see each file's header); the held-out batches,
# never learnt from, are in tests/data.
EXAMPLES_FILES = ("in_form_examples.yml",) + tuple(
    f"in_form_examples_{n}.yml" for n in (2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))
REQUEST = "request"
# Part of the cache's name: change it whenever ReadingModel.train changes.
TRAINING_VERSION = 1


@dataclass(frozen=True)
class Example:
    """One labelled message: what the coach should do with it (``expect``), and for a request, which."""

    text: str
    expect: str
    intent: Optional[str] = None

    @property
    def label(self) -> str:
        return f"{REQUEST}:{self.intent}" if self.expect == REQUEST else self.expect


@dataclass(frozen=True)
class Guess:
    kind: str
    intent: Optional[str]
    probability: float


def parse_examples(data: Dict[str, Any]) -> List[Example]:
    return [Example(str(m["text"]), str(m["expect"]), m.get("intent")) for m in data.get("examples") or []]


def load_examples(directory: Optional[Path] = None) -> Tuple[Example, ...]:
    return tuple(example for name in EXAMPLES_FILES
                 for example in parse_examples(read_yaml(content_path(name, directory))))


class ReadingModel:
    """Logistic regression over word and character n-grams, one class per kind and per request."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def train(cls, examples: Sequence[Example]) -> ReadingModel:
        return cls(text_models.ngram_classifier([e.text for e in examples], [e.label for e in examples]))

    def guess(self, text: str) -> Guess:
        """The likeliest kind (and request), with its probability."""
        probabilities = self._model.predict_proba([text_models.scored_text(text)])[0]
        best = int(probabilities.argmax())
        kind, _, intent = str(self._model.classes_[best]).partition(":")
        return Guess(kind, intent or None, float(probabilities[best]))


def trained(examples: Sequence[Example], directory: Optional[Path] = None) -> ReadingModel:
    digest = text_models.fingerprint(__name__, TRAINING_VERSION, ((e.label, e.text) for e in examples))
    return text_models.cached("reading-model", digest, lambda: ReadingModel.train(examples), ReadingModel, directory)


@cache
def default_model() -> ReadingModel:
    """Once per process, from the configured content (and the cache)."""
    return trained(load_examples())
