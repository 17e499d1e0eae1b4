"""Safety detector figures on the labelled messages (tests/safety_sets.py), tuning and held-out apart.

For each set:
  crisis recall   share of risk messages assessed "crisis"
  urgent recall   share of risk messages that get the urgent numbers (crisis, or the check-in)
  false alarms    share of non-risk messages that get the urgent numbers (crisis or check-in)
  idiom/stress    false alarms among workplace idioms and stress messages, as "1 per N"
  level accuracy  share of non-risk messages whose level is one of the expected ones
and, for replies typed at the check-in ("Are you safe at the moment?"), how many that say "safe" carry on and
how many that do not get the urgent numbers again (bot/channels/check_in_policy.py decides from the verdict),
and the mean time per message. This is the detector alone; bench/safety_servers.py measures what a
person gets from the running coach (DIET's second opinion included), cold and mid-form.
``--show`` lists the tuning mistakes; held-out mistakes are listed only with ``--show-held-out``
(read them only after tuning, and never fix one by adding its wording).

Usage: python bench/safety_bench.py [--show] [--show-held-out]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import nlp  # noqa: E402
from bot.risk_classifier import Example
from bot.safety import CONCERN, CRISIS, assess  # noqa: E402
from tests.safety_sets import check_in_replies, held_out, held_out_batches, told_as_answers, tuning  # noqa: E402

URGENT = (CRISIS, CONCERN)


def figures(items: Tuple[Example, ...], levels: Dict[str, str]) -> Dict[str, float]:
    """Figures for one labelled set, given the level each text got."""
    risk = [m for m in items if m.risk]
    calm = [m for m in items if not m.risk]
    idioms = [m for m in calm if m.is_idiom_or_stress]
    alarms = [m for m in calm if levels[m.text] in URGENT]
    return {
        "risk": len(risk),
        "crisis_recall": sum(levels[m.text] == CRISIS for m in risk) / len(risk),
        "urgent_recall": sum(levels[m.text] in URGENT for m in risk) / len(risk),
        "non_risk": len(calm),
        "false_alarm_rate": len(alarms) / len(calm),
        "crisis_false_alarm_rate": sum(levels[m.text] == CRISIS for m in calm) / len(calm),
        "idiom_or_stress": len(idioms),
        "idiom_or_stress_alarms": sum(levels[m.text] in URGENT for m in idioms),
        "level_accuracy": sum(levels[m.text] in m.expect for m in calm) / len(calm),
    }


def line(name: str, f: Dict[str, float]) -> str:
    idiom_alarms = int(f["idiom_or_stress_alarms"])
    per = f"1 per {f['idiom_or_stress'] / idiom_alarms:.0f}" if idiom_alarms else "none"
    return (
        f"{name:10} recall: crisis {f['crisis_recall']:6.1%}, urgent help {f['urgent_recall']:6.1%} of "
        f"{int(f['risk'])} risk | false alarms {f['false_alarm_rate']:5.1%}"
        f" (crisis {f['crisis_false_alarm_rate']:4.1%}) of {int(f['non_risk'])} non-risk;"
        f" idioms and stress: {idiom_alarms} of {int(f['idiom_or_stress'])} ({per})"
        f" | level acc. {f['level_accuracy']:5.1%}"
    )


def mistakes(items: Tuple[Example, ...], levels: Dict[str, str]) -> List[str]:
    out = []
    for m in items:
        level = levels[m.text]
        if m.risk and level != CRISIS:
            out.append(f"MISSED  [{level}] {m.text!r} ({m.category}) {list(assess(m.text).reasons)[:3]}")
        elif not m.risk and level not in m.expect:
            out.append(f"LEVEL   [{level} not {list(m.expect)}] {m.text!r} {list(assess(m.text).reasons)[:3]}")
    return out


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list tuning mistakes")
    parser.add_argument("--show-held-out", action="store_true", help="list held-out mistakes too")
    args = parser.parse_args()
    nlp()  # load the model before timing
    assess("warm up")
    sets = {"tuned": tuning(), **held_out_batches(), "held-out": held_out(), "as answers": told_as_answers()}
    texts = {m.text for items in sets.values() for m in items}
    started = time.perf_counter()
    levels = {text: assess(text).level for text in texts}
    elapsed = time.perf_counter() - started
    for name, items in sets.items():
        print(line(name, figures(items, levels)))
    print(f"mean time per message: {elapsed / len(texts) * 1000:.1f} ms ({len(texts)} messages)")
    for part, held in (("tuned", False), ("held-out", True)):
        replies = check_in_replies(held)
        carried = {text: assess(text).reassured for text, _ in replies}
        safe = [text for text, says_safe in replies if says_safe]
        unsafe = [text for text, says_safe in replies if not says_safe]
        print(f"check-in replies, {part}: said safe and carried on {sum(carried[t] for t in safe)} of {len(safe)}; "
              f"not safe or unsure and given urgent help {sum(not carried[t] for t in unsafe)} of {len(unsafe)}")
    huge = ("I want to kill myself. " + "The rota and the audit and the ward meeting. " * 2300)[:100_000]
    started = time.perf_counter()
    result = assess(huge)
    print(f"100k-character message: {result.level} in {(time.perf_counter() - started) * 1000:.0f} ms")
    if args.show:
        print("\n".join(["", "tuning mistakes:"] + mistakes(sets["tuned"], levels)))
    if args.show_held_out:
        print("\n".join(["", "held-out mistakes:"] + mistakes(sets["held-out"], levels)))


if __name__ == "__main__":
    main()
