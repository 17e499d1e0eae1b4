"""What a turn's save of a conversation costs the Rasa server: the coach's store against Rasa's own count.

The coach's tracker store (bot/channels/tracker_store.py) counts a cached conversation's stored events from
memory and notes the ids it writes. Rasa's SQL store counts them with a query before every save, and the
coach's store used to look up the last id after it. Both run here in the same process, each on a new SQLite
database with other conversations already stored. The figures are medians over the turns of one conversation.

Usage: python bench/conversation_saves.py [--turns N] [--others N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402

from bot.channels.tracker_store import CoachTrackerStore  # noqa: E402
from bot.store.sealing import new_key_line  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class QueryingStore(CoachTrackerStore):
    """The coach's store as it was: Rasa's count query before each save, and a look-up of the last event id
    after it."""

    def _additional_events(self, session, tracker):  # type: ignore[no-untyped-def]
        super()._additional_events(session, tracker)  # the fence
        return SQLTrackerStore._additional_events(self, session, tracker)

    def _remember(self, tracker, since, last_event_id=None):  # type: ignore[no-untyped-def]
        super()._remember(tracker, since)


async def save_times(store: CoachTrackerStore, turns: int, others: int) -> List[float]:
    def said(tracker, text: str) -> None:  # type: ignore[no-untyped-def]
        tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
        tracker.update(SlotSet("flow", "journal"))
        tracker.update(ActionExecuted("action_listen"))

    for other in range(others):
        tracker = await store.get_or_create_tracker(f"other-{other}")
        for turn in range(10):
            said(tracker, f"answer {turn}")
        await store.save(tracker)
    times = []
    for turn in range(turns):
        tracker = await store.get_or_create_tracker("timed")
        said(tracker, f"answer {turn}")
        started = time.perf_counter()
        await store.save(tracker)
        times.append(time.perf_counter() - started)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=150)
    parser.add_argument("--others", type=int, default=200)
    args = parser.parse_args()
    os.environ["COACH_DATA_KEYS"] = new_key_line()
    os.environ.pop("COACH_DATA_KEYS_FILE", None)
    domain = Domain.load(str(ROOT / "domain.yml"))
    print(f"one conversation's saves, {args.turns} turns, {args.others} other conversations stored (SQLite):")
    for name, kind in (("with the count and the id look-up", QueryingStore), ("the coach's store", CoachTrackerStore)):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/coach.db"
            times = await save_times(kind(domain), args.turns, args.others)
        print(f"  {name:38} median {statistics.median(times) * 1000:5.2f} ms, "
              f"last 50 turns {statistics.median(times[-50:]) * 1000:5.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
