"""What a person gets from the running coach: every labelled message through Rasa and the action server.

Risk messages (tuning and held-out apart) are sent cold and in the middle of the journal, stage 1 and a
rehearsal; non-risk messages cold. Prints, per set and context, the share of risk messages whose reply
carried the urgent numbers (and the crisis reply itself), the false-alarm rate, and the time per message.
This includes DIET's second opinion, which bench/safety_bench.py (the detector alone) does not.

Prints numbers only; nothing here passes or fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.safety_sweep import every_context, run, summary  # noqa: E402
from tests.e2e.servers import CoachServers, trained_model  # noqa: E402
from tests.safety_sets import held_out, tuning  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        coaches = [CoachServers(Path(work) / name, trained_model()) for name in ("a", "b")]
        try:  # stops every coach started, also when a later one fails to start
            for coach in coaches:
                coach.workdir.mkdir()
                coach.start()
            for name, examples in (("tuned", tuning()), ("held-out", held_out())):
                risk = [e for e in examples if e.risk]
                started = time.perf_counter()
                outcomes = run(coaches, every_context(risk))
                elapsed = time.perf_counter() - started
                calm = run(coaches, every_context([e for e in examples if not e.risk], ["cold"]))
                print("\n".join(summary(name, outcomes, calm)))
                print(f"{name:9} time per risk message (with its setup turns, {len(outcomes)} sent): "
                      f"{elapsed / len(outcomes) * 1000:.0f} ms")
        finally:
            for coach in coaches:
                coach.stop()


if __name__ == "__main__":
    main()
