"""Where the classifier's check-in bar goes, chosen on the tuning batches alone (docs/safety.md).

Each tuning batch (bot/content/safety_examples*.yml) is scored by a classifier trained on the other batches
and the everyday messages, as if a new hand had written it; the lexicon's own level is kept. For each bar the
script prints urgent help on the left-out risk messages and alarms among the left-out idioms and stress
messages. The bar in bot/risk_classifier.py is the lowest one that keeps idioms and stress to 1 alarm in 25.
Held-out batches are never read. Takes about 8 minutes (one classifier per tuning batch).

Usage: python bench/safety_bar.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content import content_path, read_yaml  # noqa: E402
from bot.risk_classifier import EXAMPLES_FILES, RiskClassifier, load_everyday, parse_examples  # noqa: E402
from bot.safety import CONCERN, CRISIS, assess, with_score  # noqa: E402

IDIOM_ALARMS_ALLOWED = 1 / 25
BARS = [round(0.55 + step / 100, 2) for step in range(21)]


@dataclass(frozen=True)
class LeftOut:
    risk: bool
    idiom_or_stress: bool
    lexicon_level: str
    score: float


def level_at(item: LeftOut, bar: float) -> str:
    """The level assess() gives at this bar."""
    return with_score(item.lexicon_level, item.score, bar)


def left_out_items() -> List[LeftOut]:
    batches = {name: parse_examples(read_yaml(content_path(name))) for name in EXAMPLES_FILES}
    everyday = list(load_everyday())
    items = []
    for name, batch in batches.items():
        others = [e for other, examples in batches.items() if other != name for e in examples]
        classifier = RiskClassifier.train(others + everyday)
        items += [LeftOut(e.risk, e.is_idiom_or_stress, assess(e.text, second_opinion=False).level,
                          classifier.probability(e.text)) for e in batch]
        print(f"{name}: scored by a classifier trained without it", file=sys.stderr)
    return items


def main() -> None:
    items = left_out_items()
    risk = [i for i in items if i.risk]
    idioms = [i for i in items if not i.risk and i.idiom_or_stress]
    chosen = None
    for bar in BARS:
        helped = sum(level_at(i, bar) in (CRISIS, CONCERN) for i in risk)
        alarms = sum(level_at(i, bar) in (CRISIS, CONCERN) for i in idioms)
        if chosen is None and alarms <= IDIOM_ALARMS_ALLOWED * len(idioms):
            chosen = bar
        print(f"bar {bar:.2f}: urgent help {helped} of {len(risk)} ({helped / len(risk):.2%}) left-out risk;"
              f" idioms and stress alarmed {alarms} of {len(idioms)}")
    print(f"lowest bar with idioms and stress at 1 alarm in 25 or fewer: {chosen}")


if __name__ == "__main__":
    main()
