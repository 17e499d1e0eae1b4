"""Load on a running bot: many conversations at once, the time of every turn, and the servers' memory.

A part of ``bench/compare.py``, driven for the coach and the stock Rasa bot alike: both are reached
through a ``say(sender, text)`` function that sends one REST message and waits for the replies.
"""

from __future__ import annotations

import concurrent.futures
import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Say = Callable[[str, str], object]


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95 for p95); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Load:
    """Turn timings of conversations run ``concurrency`` at a time."""

    concurrency: int
    conversations: int = 0
    seconds: float = 0.0
    timings_ms: list[float] = field(default_factory=list)
    errors: int = 0
    senders: list[str] = field(default_factory=list)
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU time each watched server spent on the load

    def figures(self) -> dict[str, float]:
        turns = len(self.timings_ms)
        return {
            "concurrency": self.concurrency,
            "conversations": self.conversations,
            "turns": turns,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "turns_per_s": round(turns / self.seconds, 2) if self.seconds else math.nan,
            "p50_ms": round(percentile(self.timings_ms, 0.50), 1),
            "p95_ms": round(percentile(self.timings_ms, 0.95), 1),
            "p99_ms": round(percentile(self.timings_ms, 0.99), 1),
            "cpu_ms_per_turn": {name: round(1000 * spent / turns, 1) for name, spent in self.cpu_s.items()} if turns
            else {},
        }


def converse(say: Say, sender: str, script: Sequence[str]) -> list[float | None]:
    """One conversation, turn after turn; the time of each turn in ms (None for a turn that failed)."""
    timings: list[float | None] = []
    for text in script:
        started = time.perf_counter()
        try:
            say(sender, text)
        except Exception:  # a timeout or an error answer is counted, and the conversation goes on
            timings.append(None)
            continue
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(say: Say, scripts: Sequence[Sequence[str]], concurrency: int, prefix: str = "bench",
        watch: Mapping[str, Callable[[], float]] | None = None) -> Load:
    """Every script as its own conversation (a new sender), ``concurrency`` of them at any one time; the CPU time
    spent over the load is noted too, for each clock in ``watch`` (name: CPU seconds so far, as ``cpu_seconds``)."""
    load = Load(concurrency=concurrency, conversations=len(scripts))
    watch = watch or {}
    cpu_before = {name: clock() for name, clock in watch.items()}
    lock = threading.Lock()

    def one(script: Sequence[str]) -> None:
        sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
        timings = converse(say, sender, script)
        with lock:
            load.senders.append(sender)
            load.timings_ms.extend(t for t in timings if t is not None)
            load.errors += sum(t is None for t in timings)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, scripts))
    load.seconds = time.perf_counter() - started
    load.cpu_s = {name: clock() - cpu_before[name] for name, clock in watch.items()}
    return load


def cpu_seconds(pid: int) -> float:
    """User and system CPU time so far of a process and its children, in seconds."""
    return sum(_cpu_seconds(Path(f"/proc/{process}/stat")) for process in [pid, *_descendants(pid)])


def main_thread_cpu_seconds(pid: int) -> float:
    """The CPU time so far of a process's main thread alone: a Rasa server's event loop, which answers every turn
    (TensorFlow's own threads aside), so one core at most."""
    return _cpu_seconds(Path(f"/proc/{pid}/task/{pid}/stat"))


def _cpu_seconds(stat: Path) -> float:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of a process and its children, in MB."""
    rss = peak = 0.0
    for process in [pid, *_descendants(pid)]:
        try:
            lines = Path(f"/proc/{process}/status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak += int(line.split()[1]) / 1024
    return {"rss_mb": round(rss), "peak_mb": round(peak)}


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found
