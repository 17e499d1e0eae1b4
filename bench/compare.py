"""The coach beside the stock ``rasa init`` bot, in the same run on the same machine; then the coach's costs
that should stay flat (a 200-turn conversation, a database of 100,000 conversations).

For both bots: turns/s and p50/p95/p99 turn latency with 1, 10 and 50 conversations at a time (each
conversation a new sender over REST, every turn timed from sending to the full reply), warm start-up time
(the second launch, until the servers answer) and memory. The coach runs its journal conversation
(``bench/coach.py``), the stock bot its own happy and sad paths (``bench/stock.py``), both twelve turns.

The whole result is saved as ``var/bench/<UTC time>.json`` and compared with the previous one.
Prints figures only; nothing here passes or fails. ``--quick`` is a short run to try changes to the bench.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import coach as journal  # noqa: E402
from bench import crowd, load, stock  # noqa: E402
from tests.e2e.servers import ROOT, CoachServers, trained_model  # noqa: E402

RESULTS = ROOT / "var" / "bench"
CONCURRENCY = (1, 10, 50)


def timed(start: Callable[[], object]) -> float:
    started = time.perf_counter()
    start()
    return round(time.perf_counter() - started, 1)


def measure_stock(work: Path, conversations: dict[int, int]) -> dict[str, Any]:
    model, training = stock.trained_model()
    bot = stock.StockBot(work / "stock", model)
    try:  # a start that fails has launched a server all the same
        first = round(bot.start(), 1)
        bot.stop()
        warm = round(bot.start(), 1)
        idle = load.memory_mb(bot.pid)
        load.converse(bot.say, "bench-warm-up", stock.HAPPY_PATH)
        loads = {str(c): load.run(bot.say, [stock.HAPPY_PATH] * conversations[c], c, f"bench-c{c}",
                                  watch=cpu_clocks(server=bot.pid)).figures()
                 for c in CONCURRENCY}
        after = load.memory_mb(bot.pid)
    finally:
        bot.stop()
    return {"model": model.name, "training": training, "start_up_s": {"first": first, "warm": warm},
            "memory_mb": {"server": {"idle": idle, "after_load": after}}, "load": loads,
            "script": stock.HAPPY_PATH}


def returning(say: load.Say, senders: list[str]) -> dict[str, float]:
    """People coming back to a stored conversation: the time of their "where was I?"."""
    timings = [t for s in senders for t in load.converse(say, s, ["where was I?"]) if t is not None]
    return {"n": len(timings), "p50_ms": round(statistics.median(timings), 1) if timings else math.nan,
            "max_ms": round(max(timings), 1) if timings else math.nan}


def long_conversation(coach: CoachServers, turns: int) -> dict[str, Any]:
    sender = "bench-long-conversation"
    timings = load.converse(coach.say, sender, journal.long_script(turns))
    events = len(coach.tracker(sender, all_events=True).get("events", []))
    at: dict[str, float | None] = {}
    window: dict[str, float | None] = {}
    for turn in (1, 50, 200):
        if turn > len(timings):
            continue
        value = timings[turn - 1]
        at[str(turn)] = round(value, 1) if value is not None else None
        if turn >= 2 * journal.ROUND:
            kept = [t for t in timings[turn - 2 * journal.ROUND:turn] if t is not None]
            window[f"{turn - 2 * journal.ROUND + 1}-{turn}"] = round(statistics.median(kept), 1) if kept else None
    return {"turns": len(timings), "failed": sum(t is None for t in timings), "events_stored": events,
            "turn_ms": at, "window_median_ms": window, "all_ms": [round(t, 1) if t else None for t in timings]}


def measure_coach(work: Path, conversations: dict[int, int], long_turns: int) -> tuple[dict[str, Any], Path, list[str]]:
    model = trained_model()
    coach = CoachServers(work / "coach", model)
    coach.workdir.mkdir(parents=True)
    try:  # a start that fails (or times out) has launched servers all the same
        first = timed(coach.start)
        coach.stop()
        warm = timed(coach.start)
        idle = {"rasa": load.memory_mb(coach.processes[1].pid), "actions": load.memory_mb(coach.processes[0].pid)}
        load.converse(coach.say, "bench-warm-up", journal.journal_script(random.Random(0)))
        loads: dict[str, dict[str, float]] = {}
        senders: list[str] = []
        back: dict[str, float] = {}
        for c in CONCURRENCY:
            scripts = [journal.journal_script(random.Random(c * 1000 + i)) for i in range(conversations[c])]
            done = load.run(coach.say, scripts, c, f"bench-c{c}",
                            watch=cpu_clocks(rasa=coach.processes[1].pid, actions=coach.processes[0].pid))
            loads[str(c)] = done.figures()
            senders += done.senders
            if c == 1:
                back = returning(coach.say, done.senders)
        long = long_conversation(coach, long_turns)
        after = {"rasa": load.memory_mb(coach.processes[1].pid), "actions": load.memory_mb(coach.processes[0].pid)}
    finally:
        coach.stop()
    result = {"model": model.name, "training": journal.last_training(), "start_up_s": {"first": first, "warm": warm},
              "memory_mb": {"rasa": {"idle": idle["rasa"], "after_load": after["rasa"]},
                            "actions": {"idle": idle["actions"], "after_load": after["actions"]}},
              "load": loads, "returning_empty_db": back, "long_conversation": long,
              "script_example": journal.journal_script(random.Random(0))}
    return result, work / "coach" / "coach.db", senders


def measure_crowd(work: Path, template: Path, senders: list[str], size: int, conversations: int) -> dict[str, Any]:
    cached, info = crowd.database(template, senders, size)
    db = crowd.copy_to(cached, work / "crowd")
    coach = CoachServers(work / "crowd", trained_model(), env_extra={"DATABASE_URL": f"sqlite:///{db}"})
    try:
        start_up = timed(coach.start)
        load.converse(coach.say, "bench-warm-up", journal.journal_script(random.Random(0)))
        scripts = [journal.journal_script(random.Random(1000 + i)) for i in range(conversations)]
        figures = load.run(coach.say, scripts, 1, "bench-c1").figures()
        back = returning(coach.say, crowd.stored_senders(db, conversations))
    finally:
        coach.stop()
        db.unlink(missing_ok=True)
    return {"database": {**info, "file": cached.name}, "start_up_s": start_up, "load_1": figures,
            "returning": back}


def ratio(coach: float | None, stock_value: float | None) -> str:
    if not coach or not stock_value or math.isnan(coach) or math.isnan(stock_value):
        return "-"
    return f"{coach / stock_value:.2f}"


def number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def print_table(result: dict[str, Any]) -> None:
    coach, stock_bot = result["coach"], result["stock"]
    rows: list[tuple[str, float | None, float | None, int]] = []
    for c in CONCURRENCY:
        label = "1 conversation at a time" if c == 1 else f"{c} conversations at a time"
        mine, theirs = coach["load"][str(c)], stock_bot["load"][str(c)]
        rows.append((f"{label}: turns/s", mine["turns_per_s"], theirs["turns_per_s"], 1))
        for p in ("p50", "p95", "p99"):
            rows.append((f"    {p} turn latency, ms", mine[f"{p}_ms"], theirs[f"{p}_ms"], 0))
        rows.append(("    CPU per turn, ms (coach: both servers)", cpu_per_turn(mine), cpu_per_turn(theirs), 1))
    rows.append(("warm start-up, s (second launch until it answers)", coach["start_up_s"]["warm"],
                 stock_bot["start_up_s"]["warm"], 1))
    coach_rss = sum(coach["memory_mb"][server]["after_load"]["rss_mb"] for server in ("rasa", "actions"))
    rows.append(("memory after the load, MB RSS (coach: both servers)", coach_rss,
                 stock_bot["memory_mb"]["server"]["after_load"]["rss_mb"], 0))
    trained = coach["training"].get("seconds") if coach["training"] else None
    rows.append(("training, s", trained, stock_bot["training"]["seconds"], 0))
    print()
    print(f"{'':52} {'coach':>9} {'stock':>9} {'coach/stock':>12}")
    for label, mine, theirs, digits in rows:
        print(f"{label:52} {number(mine, digits):>9} {number(theirs, digits):>9} {ratio(mine, theirs):>12}")
    print_ceiling(coach["load"]["10"], stock_bot["load"]["10"])
    turns = {str(c): coach["load"][str(c)]["turns"] for c in CONCURRENCY}
    print(f"(turns timed per level, each bot: {', '.join(f'{c} at a time: {n}' for c, n in turns.items())}; "
          f"failed turns: coach {sum(coach['load'][str(c)]['errors'] for c in CONCURRENCY)}, "
          f"stock {sum(stock_bot['load'][str(c)]['errors'] for c in CONCURRENCY)})")
    if not coach["training"]:
        print("coach training: not recorded (var/log/training.jsonl has no entry yet)")
    else:
        print(f"coach training: {coach['training']['seconds']} s, finished {coach['training'].get('finished')} "
              f"({coach['training'].get('model')})")
    training = stock_bot["training"]
    print(f"stock training: {training['seconds']} s, measured {training['finished']}"
          f"{' (reused model; time from then)' if training.get('reused') else ''}")

    print("\nCoach, costs that should stay flat")
    long = coach["long_conversation"]
    at = ", ".join(f"turn {k}: {number(v)} ms" for k, v in long["turn_ms"].items())
    windows = ", ".join(f"turns {k}: {number(v)} ms" for k, v in long["window_median_ms"].items())
    print(f"  one long conversation ({long['turns']} turns, {long['events_stored']:,} events stored, "
          f"{long['failed']} failed): {at}")
    if windows:
        print(f"    median of the same ten-turn rounds: {windows}")
    empty = coach["load"]["1"]
    full = result.get("crowd")
    print(f"  journal turns, 1 at a time, empty database: p50 {number(empty['p50_ms'])} ms, "
          f"p95 {number(empty['p95_ms'])} ms")
    if full and "load_1" in full:
        size = full["database"]["conversations"]
        rows_made = full["database"]["rows"]
        print(f"  journal turns, 1 at a time, {size:,} stored conversations: p50 {number(full['load_1']['p50_ms'])} ms "
              f"(x{ratio(full['load_1']['p50_ms'], empty['p50_ms'])}), p95 {number(full['load_1']['p95_ms'])} ms "
              f"(x{ratio(full['load_1']['p95_ms'], empty['p95_ms'])})")
        print(f"    database: {rows_made.get('events', 0):,} events, {rows_made.get('answer', 0):,} answers, "
              f"{full['database']['bytes'] / 1e9:.1f} GB; start-up on it {number(full['start_up_s'], 1)} s")
        print(f"  a person coming back (\"where was I?\"): p50 {number(coach['returning_empty_db']['p50_ms'])} ms "
              f"with the empty database, {number(full['returning']['p50_ms'])} ms for a stored conversation "
              f"among {size:,}")
    elif full:
        print(f"  {full.get('error')}")
    memory = {**coach["memory_mb"], "stock": stock_bot["memory_mb"]["server"]}
    print("  memory, MB RSS idle -> after the load (peak): " + ", ".join(
        f"{name} {memory[key]['idle']['rss_mb']} -> {memory[key]['after_load']['rss_mb']} "
        f"({memory[key]['after_load']['peak_mb']})"
        for name, key in (("coach Rasa server", "rasa"), ("action server", "actions"), ("stock bot", "stock"))))
    print(f"  warm start-up: coach {coach['start_up_s']['warm']} s (first launch {coach['start_up_s']['first']} s), "
          f"stock {stock_bot['start_up_s']['warm']} s (first {stock_bot['start_up_s']['first']} s)")


LOOP = " event loop"  # the main thread of the process it follows in the name, counted in that process's time too


def cpu_clocks(**servers: int) -> dict[str, Callable[[], float]]:
    """The CPU clocks a load watches: each server process (with its children), and the first one's event loop."""
    clocks: dict[str, Callable[[], float]] = {name: functools.partial(load.cpu_seconds, pid)
                                              for name, pid in servers.items()}
    name, pid = next(iter(servers.items()))
    clocks[name + LOOP] = functools.partial(load.main_thread_cpu_seconds, pid)
    return clocks


def server_cpu(figures: dict[str, Any]) -> dict[str, float]:
    """CPU ms per turn of each server process, without the event loops counted inside them."""
    return {name: ms for name, ms in (figures.get("cpu_ms_per_turn") or {}).items() if not name.endswith(LOOP)}


def cpu_per_turn(figures: dict[str, Any]) -> float | None:
    spent = server_cpu(figures)
    return sum(spent.values()) if spent else None


def print_ceiling(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    """What the CPU a turn costs allows at 10 at a time, beside the goal of 1.5x the stock bot's turns/s and at most
    half its p95. With every conversation waiting on its reply, turns/s is 10 over the mean latency, so a p95 of
    half the stock bot's needs about twice its turns/s."""
    cores, total = os.cpu_count() or 1, cpu_per_turn(mine)
    if not total or not theirs.get("turns_per_s"):
        return
    parts = ", ".join(f"{name} {value:.1f}" for name, value in server_cpu(mine).items())
    loop = (mine.get("cpu_ms_per_turn") or {}).get("rasa" + LOOP)
    print(f"(10 at a time: a coach turn cost {total:.1f} ms of CPU ({parts}). Even with all {cores} cores busy on "
          f"nothing else, that allows at most {cores * 1000 / total:.0f} turns/s"
          + (f"; and the Rasa server's event loop, on one core, spent {loop:.1f} ms per turn: at most "
             f"{1000 / loop:.0f} turns/s" if loop else "")
          + f". The goals: 1.5x the stock bot is {1.5 * theirs['turns_per_s']:.0f} turns/s; half its p95 needs at "
          f"least {10 / (theirs['p95_ms'] / 2000):.0f} turns/s, since with every conversation waiting on its reply, "
          "turns/s is 10 over the mean latency)")


def headline(result: dict[str, Any]) -> dict[str, float]:
    """The figures worth following from run to run, by name."""
    found: dict[str, float] = {}
    for bot in ("coach", "stock"):
        for c in CONCURRENCY:
            figures = result[bot]["load"][str(c)]
            for name in ("turns_per_s", "p50_ms", "p95_ms", "p99_ms"):
                found[f"{bot} {c} at a time {name}"] = figures[name]
        found[f"{bot} warm start-up s"] = result[bot]["start_up_s"]["warm"]
    for server in ("rasa", "actions"):
        found[f"coach {server} RSS MB"] = result["coach"]["memory_mb"][server]["after_load"]["rss_mb"]
    found["stock RSS MB"] = result["stock"]["memory_mb"]["server"]["after_load"]["rss_mb"]
    for turn, value in result["coach"]["long_conversation"]["turn_ms"].items():
        if value is not None:
            found[f"coach long conversation turn {turn} ms"] = value
    crowd_result = result.get("crowd") or {}
    if "load_1" in crowd_result:
        found["coach full database p50_ms"] = crowd_result["load_1"]["p50_ms"]
        found["coach full database p95_ms"] = crowd_result["load_1"]["p95_ms"]
    return found


def print_delta(result: dict[str, Any], saved: Path) -> None:
    earlier = sorted(p for p in RESULTS.glob("2*.json") if p != saved and not p.stem.endswith("-quick"))
    if not earlier:
        print("no earlier run in var/bench/ to compare with")
        return
    try:
        before = json.loads(earlier[-1].read_text())
        old, new = headline(before), headline(result)
    except (ValueError, KeyError, TypeError):
        print(f"{earlier[-1].name} is not a comparison this bench can read")
        return
    print(f"\nChange since {earlier[-1].name} (commit {before['run']['commit'][:10]}):")
    for name, value in new.items():
        was = old.get(name)
        if was is None or not isinstance(was, (int, float)) or math.isnan(was) or math.isnan(value):
            continue
        change = f"{(value - was) / was * 100:+.0f}%" if was else ""
        print(f"  {name:44} {number(was, 1):>9} -> {number(value, 1):>9} {change:>6}")


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few turns and a small database, to try the bench")
    parser.add_argument("--crowd", type=int, help="stored conversations in the full database (default 100,000)")
    parser.add_argument("--no-crowd", action="store_true", help="leave out the full-database measurement")
    args = parser.parse_args()
    conversations = {1: 3, 10: 10, 50: 50} if args.quick else {1: 10, 10: 30, 50: 50}
    long_turns = 30 if args.quick else 200
    size = args.crowd or (2_000 if args.quick else 100_000)
    signal.signal(signal.SIGTERM, lambda number, _frame: sys.exit(128 + number))  # so servers are stopped

    started = time.perf_counter()
    stamp = dt.datetime.now(dt.timezone.utc)
    result: dict[str, Any] = {"run": {
        "started": stamp.isoformat(timespec="seconds"), "commit": git("rev-parse", "HEAD"),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "rasa": version("rasa"), "python": platform.python_version(), "quick": args.quick,
        "conversations": {str(c): n for c, n in conversations.items()},
    }}
    print(f"load average before: {' '.join(map(str, result['run']['load_average_before']))} on "
          f"{os.cpu_count()} cores (the figures are only comparable on a quiet machine)", flush=True)
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as scratch:
        work = Path(scratch)
        print("stock bot...", flush=True)
        result["stock"] = measure_stock(work, conversations)
        print("coach...", flush=True)
        result["coach"], template, senders = measure_coach(work, conversations, long_turns)
        if not args.no_crowd:
            print(f"coach with {size:,} stored conversations...", flush=True)
            try:
                result["crowd"] = measure_crowd(work, template, senders, size, conversations[1])
            except Exception as error:  # the comparison above still stands
                result["crowd"] = {"error": f"the full-database measurement failed: {error!r}"}
    result["run"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["run"]["seconds"] = round(time.perf_counter() - started)

    print_table(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    saved = RESULTS / f"{stamp.strftime('%Y%m%dT%H%M%SZ')}{'-quick' if args.quick else ''}.json"
    saved.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nload average after: {' '.join(map(str, result['run']['load_average_after']))}; "
          f"took {result['run']['seconds']} s")
    print(f"saved: {saved.relative_to(ROOT)}")
    if not args.quick:
        print_delta(result, saved)


if __name__ == "__main__":
    main()
