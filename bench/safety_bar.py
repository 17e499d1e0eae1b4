"""Where the classifier's check-in bar and DIET's unsure bar go, chosen on the tuning batches alone (docs/safety.md).

Each tuning batch (bot/content/safety_examples*.yml) is scored by a classifier trained on the other batches
and the everyday messages, as if a new hand had written it; the lexicon's own level is kept, and DIET's guess
comes from the trained model (the safety gate keeps it in the parse data). For each pair of bars the script
prints urgent help on the left-out risk messages and alarms among the left-out idioms and stress messages, as
the gate would give them. The bars in bot/risk_classifier.py are the pair that helps the most left-out risk
messages while keeping idioms and stress to 1 alarm in 25 (then the fewer alarms, then the higher bars).
Held-out batches are never read. Takes about 15 minutes (one classifier per tuning batch, and the model's parse).

Usage: python bench/safety_bar.py
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.understanding import parse_all  # noqa: E402
from bot.content import content_path, read_yaml  # noqa: E402
from bot.nlu.safety_gate import SAFETY_KEY, SafetyGate, diet_guess_counts  # noqa: E402
from bot.risk_classifier import EXAMPLES_FILES, RiskClassifier, load_everyday, parse_examples  # noqa: E402
from bot.safety import CONCERN, CRISIS, NLU_GUESS_KEY, SafetyAssessment, assess, with_score  # noqa: E402
from tests.e2e.servers import trained_model  # noqa: E402

IDIOM_ALARMS_ALLOWED = 1 / 25
BARS = [round(0.55 + step / 100, 2) for step in range(21)]
NEVER = 1.01  # an unsure bar no score reaches: DIET's guess never counts
UNSURE_BARS = [round(0.3 + step / 20, 2) for step in range(9)] + [NEVER]


@dataclass(frozen=True)
class LeftOut:
    risk: bool
    idiom_or_stress: bool
    lexicon: SafetyAssessment  # the lexicon's own verdict, with the left-out classifier's score
    diet_guess: Optional[Dict[str, Any]]


def alarmed(item: LeftOut, bar: float, unsure: float, min_guess: float) -> bool:
    """Whether the gate gives this message urgent help (the crisis reply or the check-in) at these bars."""
    if with_score(item.lexicon.level, item.lexicon.score or 0.0, bar) in (CRISIS, CONCERN):
        return True
    return diet_guess_counts(item.lexicon, item.diet_guess, min_guess, unsure)


def left_out_items() -> List[LeftOut]:
    batches = {name: parse_examples(read_yaml(content_path(name))) for name in EXAMPLES_FILES}
    everyday = list(load_everyday())
    parsed = asyncio.run(parse_all(trained_model(), [e.text for batch in batches.values() for e in batch]))
    items = []
    for name, batch in batches.items():
        others = [e for other, examples in batches.items() if other != name for e in examples]
        classifier = RiskClassifier.train(others + everyday)
        for e in batch:
            lexicon = dataclasses.replace(assess(e.text, second_opinion=False), score=classifier.probability(e.text))
            diet_guess = (parsed[e.text].data.get(SAFETY_KEY) or {}).get(NLU_GUESS_KEY)
            items.append(LeftOut(e.risk, e.is_idiom_or_stress, lexicon, diet_guess))
        print(f"{name}: scored by a classifier trained without it", file=sys.stderr)
    return items


def main() -> None:
    items = left_out_items()
    min_guess = float(SafetyGate.get_default_config()["min_classifier_confidence"])
    risk = [i for i in items if i.risk]
    idioms = [i for i in items if not i.risk and i.idiom_or_stress]
    # (help, -alarms, bar, unsure): the most help, then the fewest alarms, then the higher bars
    candidates: List[Tuple[int, int, float, float]] = []
    for bar in BARS:
        cells = []
        for unsure in UNSURE_BARS:
            helped = sum(alarmed(i, bar, unsure, min_guess) for i in risk)
            alarms = sum(alarmed(i, bar, unsure, min_guess) for i in idioms)
            if alarms <= IDIOM_ALARMS_ALLOWED * len(idioms):
                candidates.append((helped, -alarms, bar, unsure))
            cells.append(f"{'never' if unsure == NEVER else unsure}: {helped}/{alarms}")
        print(f"bar {bar:.2f}, by unsure bar (urgent help of {len(risk)} left-out risk / idioms and stress alarmed"
              f" of {len(idioms)}): " + ", ".join(cells))
    if candidates:
        helped, alarms, bar, unsure = max(candidates)
        print(f"chosen: check-in bar {bar}, unsure bar {'never' if unsure == NEVER else unsure}: urgent help"
              f" {helped} of {len(risk)} ({helped / len(risk):.2%}), idioms and stress alarmed {-alarms}")
    else:
        print("no pair of bars keeps idioms and stress to 1 alarm in 25")


if __name__ == "__main__":
    main()
