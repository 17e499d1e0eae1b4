"""Latency of the real coach over REST: start-up time, sequential and concurrent turns, memory.

Prints numbers only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.servers import CoachServers, trained_model  # noqa: E402

SCRIPT = ["hi", "/start_journey", "Band 5 staff nurse", "Mostly well, a bit tired", "skip",
          "what does breadth mean?", "Helping patients home", "stop", "where was I?"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def conversation(coach: CoachServers, timings: list[float]) -> None:
    user = f"bench-{uuid.uuid4().hex[:10]}"
    for text in SCRIPT:
        started = time.perf_counter()
        coach.say(user, text)
        timings.append((time.perf_counter() - started) * 1000)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        coach = CoachServers(Path(work), trained_model())
        try:  # a start that times out has launched the servers all the same
            started = time.perf_counter()
            coach.start()
            print(f"start-up: {time.perf_counter() - started:.1f} s until both servers answer")
            conversation(coach, [])  # warm-up: loads spaCy in the action server
            sequential: list[float] = []
            for _ in range(5):
                conversation(coach, sequential)
            print(f"sequential turns: n={len(sequential)} p50={statistics.median(sequential):.0f} ms "
                  f"p95={percentile(sequential, 0.95):.0f} ms")
            concurrent_timings: list[float] = []
            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
                list(pool.map(lambda _: conversation(coach, concurrent_timings), range(args.conversations)))
            elapsed = time.perf_counter() - started
            print(f"{args.concurrency} concurrent conversations: n={len(concurrent_timings)} "
                  f"p50={statistics.median(concurrent_timings):.0f} ms "
                  f"p95={percentile(concurrent_timings, 0.95):.0f} ms "
                  f"throughput={len(concurrent_timings) / elapsed:.1f} turns/s")
            print(f"memory: rasa server {rss_mb(coach.processes[1].pid):.0f} MB, "
                  f"action server {rss_mb(coach.processes[0].pid):.0f} MB")
            coach.api_get("/status")
        finally:
            coach.stop()


if __name__ == "__main__":
    main()
