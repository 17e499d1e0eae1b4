"""Many concurrent web chat sessions over Socket.IO against the real coach: latency percentiles.

Each session gets its own signed token from /session, connects, and sends a short
script; the time from sending to the first reply is recorded. Prints numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.servers import CoachServers, trained_model  # noqa: E402

SCRIPT = ["hi", "/start_journey", "Band 6 physiotherapist", "Mostly well", "what does breadth mean?"]


async def session(base_url: str, timings: list[float], failures: list[str]) -> None:
    async with aiohttp.ClientSession() as http, http.post(f"{base_url}/webhooks/web/session", json={}) as response:
        token = (await response.json())["token"]
    replies: asyncio.Queue[dict] = asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("bot_uttered", replies.put_nowait)
    # Long-polling: the websocket transport of this python-engineio needs a newer aiohttp than Rasa allows.
    await client.connect(base_url, auth={"token": token}, transports=["polling"], wait_timeout=30)
    await client.emit("session_request", {"session_id": None})
    try:
        for text in SCRIPT:
            while not replies.empty():
                replies.get_nowait()
            started = time.perf_counter()
            await client.emit("user_uttered", {"message": text})
            try:
                await asyncio.wait_for(replies.get(), timeout=60)
                timings.append((time.perf_counter() - started) * 1000)
            except asyncio.TimeoutError:
                failures.append(text)
            await asyncio.sleep(0.3)  # let the rest of a multi-message reply arrive
    finally:
        await client.disconnect()


async def run(base_url: str, sessions: int) -> None:
    timings: list[float] = []
    failures: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(session(base_url, timings, failures) for _ in range(sessions)))
    elapsed = time.perf_counter() - started
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    print(f"{sessions} concurrent web sessions: {len(timings)} replies, {len(failures)} timed out, "
          f"first-reply latency p50={statistics.median(timings):.0f} ms p95={p95:.0f} ms "
          f"max={max(timings):.0f} ms, {len(timings) / elapsed:.1f} turns/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        coach = CoachServers(Path(work), trained_model())
        try:  # a start that times out has launched the servers all the same
            coach.start()
            asyncio.run(run(coach.base_url, 1))  # warm-up
            asyncio.run(run(coach.base_url, args.sessions))
        finally:
            coach.stop()


if __name__ == "__main__":
    main()
