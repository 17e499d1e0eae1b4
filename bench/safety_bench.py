"""Safety detector figures on the labelled messages in tests/data/risk_messages.yml.

Prints, for the dev part, the held-out part and both together:
  recall        share of risk messages assessed "crisis" (goal: 100%)
  false alarms  share of non-risk messages assessed "crisis"
  strain acc.   share of messages labelled exactly "strain" assessed "strain"
  non-risk acc. share of non-risk messages whose level is one of the expected levels
and the mean time per message. ``--show`` lists the dev mistakes; held-out
mistakes are only listed with ``--show-held-out`` (read them only after tuning).

Usage: python bench/safety_bench.py [--show] [--show-held-out]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import nlp  # noqa: E402
from bot.safety import assess  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "risk_messages.yml"


def _expected(item: Dict[str, object]) -> List[str]:
    expect = item.get("expect", "none")
    return [str(e) for e in expect] if isinstance(expect, list) else [str(expect)]


def _run(section: Dict[str, List[Dict[str, object]]]) -> Tuple[Dict[str, float], List[str]]:
    mistakes: List[str] = []
    risk = section["risk"]
    non_risk = section["non_risk"]
    caught = 0
    for item in risk:
        result = assess(str(item["text"]))
        if result.is_crisis:
            caught += 1
        else:
            mistakes.append(f"MISSED  [{result.level}] {item['text']!r} {list(result.reasons)[:3]}")
    alarms = strain_total = strain_ok = level_ok = 0
    for item in non_risk:
        expected = _expected(item)
        result = assess(str(item["text"]))
        if result.is_crisis:
            alarms += 1
            mistakes.append(f"ALARM   {item['text']!r} {list(result.reasons)[:3]}")
        elif result.level not in expected:
            mistakes.append(f"LEVEL   [{result.level} not {expected}] {item['text']!r} {list(result.reasons)[:3]}")
        level_ok += result.level in expected
        if expected == ["strain"]:
            strain_total += 1
            strain_ok += result.level == "strain"
    figures = {
        "risk": len(risk),
        "recall": caught / len(risk) if risk else 1.0,
        "non_risk": len(non_risk),
        "false_alarm_rate": alarms / len(non_risk) if non_risk else 0.0,
        "strain": strain_total,
        "strain_accuracy": strain_ok / strain_total if strain_total else 1.0,
        "non_risk_level_accuracy": level_ok / len(non_risk) if non_risk else 1.0,
    }
    return figures, mistakes


def _line(name: str, f: Dict[str, float]) -> str:
    return (
        f"{name:9} recall {f['recall']:7.1%} of {int(f['risk']):3d} risk | "
        f"false alarms {f['false_alarm_rate']:6.1%} of {int(f['non_risk']):3d} non-risk | "
        f"strain acc. {f['strain_accuracy']:6.1%} of {int(f['strain']):2d} | "
        f"non-risk level acc. {f['non_risk_level_accuracy']:6.1%}"
    )


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list dev mistakes")
    parser.add_argument("--show-held-out", action="store_true", help="list held-out mistakes too")
    args = parser.parse_args()
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    nlp()  # load the model before timing
    assess("warm up")
    started = time.perf_counter()
    dev, dev_mistakes = _run(data["dev"])
    held, held_mistakes = _run(data["held_out"])
    elapsed = time.perf_counter() - started
    total_msgs = dev["risk"] + dev["non_risk"] + held["risk"] + held["non_risk"]
    both = {
        "risk": dev["risk"] + held["risk"],
        "non_risk": dev["non_risk"] + held["non_risk"],
        "strain": dev["strain"] + held["strain"],
    }
    both["recall"] = (dev["recall"] * dev["risk"] + held["recall"] * held["risk"]) / both["risk"]
    both["false_alarm_rate"] = (
        dev["false_alarm_rate"] * dev["non_risk"] + held["false_alarm_rate"] * held["non_risk"]
    ) / both["non_risk"]
    both["strain_accuracy"] = (dev["strain_accuracy"] * dev["strain"] + held["strain_accuracy"] * held["strain"]) / max(
        both["strain"], 1
    )
    both["non_risk_level_accuracy"] = (
        dev["non_risk_level_accuracy"] * dev["non_risk"] + held["non_risk_level_accuracy"] * held["non_risk"]
    ) / both["non_risk"]
    print(_line("all", both))
    print(_line("dev", dev))
    print(_line("held-out", held))
    print(f"mean time per message: {elapsed / total_msgs * 1000:.1f} ms ({total_msgs} messages)")
    huge = ("I want to kill myself. " + "The rota and the audit and the ward meeting. " * 2300)[:100_000]
    started = time.perf_counter()
    result = assess(huge)
    print(f"100k-character message: {result.level} in {(time.perf_counter() - started) * 1000:.0f} ms")
    if args.show:
        print("\n".join(["", "dev mistakes:"] + dev_mistakes))
    if args.show_held_out:
        print("\n".join(["", "held-out mistakes:"] + held_mistakes))


if __name__ == "__main__":
    main()
