"""A small trained classifier alongside the safety lexicon: does a message read like risk of harm?

The lexicon (``bot/safety.py``) is precise but only knows the wordings someone wrote down. This
classifier learns from the labelled examples in ``bot/content/safety_examples*.yml`` (risk and
non-risk, in batches by who wrote them and when) and ``bot/content/safety_everyday.yml`` (ordinary
messages), over character and word n-grams, so that misspellings and new phrasings of the same
ideas still score high. It never raises a crisis on its own: :func:`bot.safety.assess` turns a high
score into ``concern``, the gentle check-in with the urgent numbers, or into ``crisis`` when the
lexicon also found a concerning phrase.

Training takes a few seconds and happens once per process, on first use, from the content files,
so an organisation's own examples (``COACH_CONTENT_DIR``) are used without a separate build step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot.content import content_path, read_yaml

# Batches of tuning examples, each written by a different hand (see each file's header).
EXAMPLES_FILES = tuple(f"safety_examples{suffix}.yml" for suffix in ("", "_2", "_3", "_4", "_5", "_6", "_7"))
EVERYDAY_FILE = "safety_everyday.yml"
# Chosen on the tuning batches alone, each scored by a classifier trained on the others (as if written
# by a new hand; docs/safety.md): below 0.7 false alarms on idioms and stress rise faster than recall.
CHECK_IN_PROBABILITY = 0.7
# Below the check-in bar but not low: the detector is unsure, and DIET's own guess of risk may tip it
# into the check-in (bot/nlu/safety_gate.py). DIET alone never does: it over-reaches on sad words.
UNSURE_PROBABILITY = 0.4
# Only the start and end of a long message are scored; the lexicon reads all of it.
MAX_SCORED_CHARS = 2000


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


def scored_text(text: str) -> str:
    if len(text) <= MAX_SCORED_CHARS:
        return text
    half = MAX_SCORED_CHARS // 2
    return text[:half] + " " + text[-half:]


class RiskClassifier:
    """Logistic regression over word and character n-grams (scikit-learn)."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def train(cls, examples: Sequence[Example]) -> RiskClassifier:
        # Imported here: scikit-learn is heavy, and only the processes that assess messages need it.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
        )
        model = make_pipeline(features, LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000))
        model.fit([e.text for e in examples], [int(e.risk) for e in examples])
        return cls(model)

    def probability(self, text: str) -> float:
        """How much the message reads like risk of harm, from 0 to 1."""
        return float(self._model.predict_proba([scored_text(text)])[0][1])


@cache
def default_classifier() -> RiskClassifier:
    """Trained once per process from the configured content."""
    return RiskClassifier.train(load_examples() + load_everyday())
