"""Time framework placement, intervention suggestions and staff-details reading.

Prints numbers only (no pass/fail): content load time, then per-call
percentiles for place()+suggest() over every band x growth x impact x readiness
cell, and for read_staff_details() once the spaCy model is loaded.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, List

from bot.engine import catalogue, suggest
from bot.framework import BANDS, GROWTH_FOCUSES, IMPACT_LEVELS, READINESS_VALUES, Profile, framework, place
from bot.language import nlp
from bot.staff import read_staff_details


def _percentiles(label: str, samples: List[float]) -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{label}: n={len(ordered)} p50={p50 * 1e3:.3f} ms p95={p95 * 1e3:.3f} ms max={ordered[-1] * 1e3:.3f} ms")


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    """Run the measurements and print them."""
    print(f"first content load (segments + interventions): {_timed(lambda: (framework(), catalogue())) * 1e3:.1f} ms")
    samples: List[float] = []
    for _ in range(5):
        for band in BANDS:
            for growth in GROWTH_FOCUSES:
                for impact in IMPACT_LEVELS:
                    for readiness in READINESS_VALUES:
                        person = Profile(band, "nursing", growth, impact, readiness, 56, "become a ward manager")
                        samples.append(_timed(lambda person=person: suggest(person, place(person))))
    _percentiles("place()+suggest()", samples)

    print(f"spaCy model load: {_timed(nlp) * 1e3:.0f} ms")
    texts = [
        "I'm a band 5 staff nurse hoping to become a ward manager",
        "I am an 8A physio and I'd like to move into a service manager role next year.",
        "AfC band 3 healthcare assistant who wants to train as a nurse",
        "I work as a band 6 sonographer. I want to lead the department one day",
    ]
    _percentiles("read_staff_details()", [_timed(lambda t=t: read_staff_details(t)) for _ in range(50) for t in texts])


if __name__ == "__main__":
    main()
