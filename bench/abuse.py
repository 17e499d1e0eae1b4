"""Abuse without a token, against the real coach with its default limits: how long the refusals take, and
whether another person chatting at the same time notices.

Prints figures only; nothing here passes or fails (tests/e2e/test_secure_defaults.py checks the behaviour).
  - a 60,000-character message over REST: time to the kind reply;
  - 5,000 emoji, and 5,000 "!", with no spaces (as long as a message may be): time to the kind reply, and the
    Rasa server's memory after them;
  - a 1 MB body on every public route: time to the refusal;
  - a burst of 200 messages at once for one sender: time until all are answered, and how many were paced;
  - a bystander's "hi" turn, alone and during the burst (p50 and max);
  - the Rasa server's memory before and after.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Callable

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.latency import rss_mb  # noqa: E402
from tests.e2e.servers import DEPLOYED_PACE, CoachServers, texts, trained_model  # noqa: E402

LONG = "The rota, the audit and the ward meeting all landed on the same week. " * 900


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def bystander_turns(coach: CoachServers, stop: threading.Event, timings: list[float]) -> None:
    person = f"web:{uuid.uuid4().hex}"
    while not stop.is_set():
        timings.append(timed(lambda: coach.say(person, "hi")))


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        # The defaults a deployment gets (the test servers relax the steady rate for scripted conversations).
        coach = CoachServers(Path(work), trained_model(), env_extra=DEPLOYED_PACE)
        try:
            coach.start()
            coach.say("web:warm-up", "hi")
            rasa_pid = coach.processes[1].pid
            print(f"memory before: rasa server {rss_mb(rasa_pid):.0f} MB")
            alone = [timed(lambda: coach.say(f"web:{uuid.uuid4().hex}", "hi")) for _ in range(10)]
            print(f"bystander alone: p50={statistics.median(alone):.0f} ms max={max(alone):.0f} ms")

            print(f"60,000-character message over REST: {timed(lambda: coach.say('web:long', LONG)):.0f} ms "
                  "to the kind reply")
            for name, mark in [("emoji", "😀"), ('"!"', "!")]:
                wall = timed(partial(coach.say, f"web:{uuid.uuid4().hex}", mark * 5000))
                print(f"5,000 {name} with no spaces over REST: {wall:.0f} ms to the kind reply")
            print(f"memory after them: rasa server {rss_mb(rasa_pid):.0f} MB")
            body = json.dumps({"sender": "web:big", "message": "x" * 1_000_000})
            for path, headers in [("/webhooks/rest/webhook", coach.rest_headers), ("/webhooks/web/session", {}),
                                  (f"/model/parse?token={coach.api_token}", {})]:
                started = time.perf_counter()
                with contextlib.suppress(requests.ConnectionError):  # it may close rather than read the body
                    requests.post(f"{coach.base_url}{path}", data=body, timeout=30,
                                  headers={"Content-Type": "application/json", **headers})
                print(f"1 MB body to {path.split('?')[0]}: {(time.perf_counter() - started) * 1000:.0f} ms "
                      "to the refusal")

            stop, during = threading.Event(), list[float]()
            watcher = threading.Thread(target=bystander_turns, args=(coach, stop, during))
            flooder = f"web:{uuid.uuid4().hex}"
            started = time.perf_counter()
            watcher.start()
            with ThreadPoolExecutor(max_workers=50) as pool:
                replies = list(pool.map(lambda n: texts(coach.say(flooder, f"message {n}")), range(200)))
            burst_ms = (time.perf_counter() - started) * 1000
            stop.set()
            watcher.join()
            paced = sum("sent several messages very quickly" in r for r in replies)
            flood = sum("a lot of messages at once" in r for r in replies)
            print(f"burst of 200 from one sender: all answered in {burst_ms:.0f} ms; not taken in: {paced} paced "
                  f"(read by the safety detector), {flood} as a flood (not read)")
            p90 = statistics.quantiles(during, n=10, method="inclusive")[-1] if len(during) > 1 else during[0]
            print(f"bystander during the burst: n={len(during)} p50={statistics.median(during):.0f} ms "
                  f"p90={p90:.0f} ms max={max(during):.0f} ms; in order: "
                  + ", ".join(f"{ms:.0f}" for ms in during[:20]))
            print(f"memory after: rasa server {rss_mb(rasa_pid):.0f} MB")
        finally:
            coach.stop()


if __name__ == "__main__":
    main()
