"""Benchmark the coaching-question analyser against the hand-labelled set.

Prints, for the tuning section and the held-out section of
``tests/data/coaching_questions.yml`` separately, per-type precision and
recall, overall accuracy, and how often a closed/leading/why/multiple question
got an open rewrite. Numbers only; it never passes or fails.

Run: ``.venv/bin/python bench/questions_bench.py [--show-errors]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.questions import QUESTION_TYPES, analyse  # noqa: E402

DATA = ROOT / "tests" / "data" / "coaching_questions.yml"
NEEDS_REWRITE = {"closed", "leading", "why", "multiple"}


def load_sections() -> Dict[str, List[Dict[str, str]]]:
    """The labelled items by section name (``tuning`` and ``held_out``)."""
    with DATA.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {name: list(data[name]) for name in ("tuning", "held_out")}


def score(items: Sequence[Dict[str, str]]) -> Tuple[Dict[str, Tuple[float, float, int]], float, float, List[str]]:
    """Per-type (precision, recall, support), accuracy, rewrite coverage and the misclassified lines."""
    predicted: List[Tuple[str, str, str, bool]] = []
    for item in items:
        result = analyse(item["text"])
        predicted.append((item["type"], result.type, item["text"], result.rewrite is not None))
    per_type: Dict[str, Tuple[float, float, int]] = {}
    for kind in QUESTION_TYPES:
        tp = sum(1 for gold, guess, _, _ in predicted if gold == kind and guess == kind)
        guessed = sum(1 for _, guess, _, _ in predicted if guess == kind)
        support = sum(1 for gold, _, _, _ in predicted if gold == kind)
        precision = tp / guessed if guessed else 0.0
        recall = tp / support if support else 0.0
        per_type[kind] = (precision, recall, support)
    accuracy = sum(1 for gold, guess, _, _ in predicted if gold == guess) / len(predicted)
    needing = [has for gold, guess, _, has in predicted if guess in NEEDS_REWRITE]
    coverage = sum(needing) / len(needing) if needing else 0.0
    errors = [f"  {gold:>9} -> {guess:<9} {text}" for gold, guess, text, _ in predicted if gold != guess]
    return per_type, accuracy, coverage, errors


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures for each section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list misclassified questions")
    args = parser.parse_args(argv)
    for name, items in load_sections().items():
        per_type, accuracy, coverage, errors = score(items)
        print(f"== {name} ({len(items)} items) ==")
        print(f"{'type':<10}{'precision':>10}{'recall':>8}{'n':>5}")
        for kind, (precision, recall, support) in per_type.items():
            print(f"{kind:<10}{precision:>10.2f}{recall:>8.2f}{support:>5}")
        print(f"accuracy: {accuracy:.3f}")
        print(f"rewrite offered for closed/leading/why/multiple: {coverage:.3f}")
        if args.show_errors and errors:
            print("misclassified:")
            print("\n".join(errors))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
