"""Run `rasa train` quietly: its whole output goes to a log file, the terminal gets one line per step.

    train_model.py --model models/coach-H.tar.gz --log var/log/train-H.log -- rasa train ...

Steps are recognised from the lines Rasa logs as it trains each graph component ("Starting to train
component 'DIETClassifier'."). Each step's line says about how long it will take: the step's duration in
the last training that had it (var/log/training.jsonl), else a default measured on a 2-core machine.
A successful training appends one JSON line to training.jsonl (model, seconds, finished, steps);
a failed one prints the end of the log and exits non-zero. Status lines go to stderr, nothing to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

# Step id -> (what the terminal line says, default seconds). In the order they normally come.
# The defaults are for the first training only. Two full trainings on a 2-core machine shared with other jobs
# took 10.5 and 13.5 min: data 20-40 s, DIETClassifier 9-12 min, ResponseSelector 50 s, policies and saving
# 10-20 s (TEDPolicy has no stories to learn from). DIET's default assumes a machine less busy than that.
STEPS = {
    "data": ("starting Rasa and checking the data", 30),
    "nlu": ("language understanding: intents", 360),
    "responses": ("language understanding: FAQ answers", 50),
    "policies": ("dialogue policies, then saving the model", 15),
}
COMPONENT = re.compile(r"Starting to train component '(\w+)'")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
WARNING = re.compile(r"\.py:\d+: \w*Warning: ")
ERROR = re.compile(r"^[\w.]*(Error|Exception): ")
PROGRESS = re.compile(r"(\d|\?)(it/s|s/it)\b")
OWN_LINE = re.compile(r"^(\d{4}-\d\d-\d\d |Traceback |\$ |[\w.]*(Error|Exception): )")
TAIL_LINES = 20


def step_of(component: str) -> str:
    if component.endswith("Policy"):
        return "policies"
    if component.endswith("ResponseSelector"):
        return "responses"
    return "nlu"


def duration(seconds: float) -> str:
    """5 min 12 s, 40 s."""
    s = int(round(seconds))
    return f"{s // 60} min {s % 60} s" if s >= 60 else f"{s} s"


def about(seconds: float) -> str:
    """A rough estimate: about 40 s, about 3 min."""
    if seconds < 15:
        return "a few seconds"
    if seconds < 60:
        return f"about {int(round(seconds / 10)) * 10} s"
    return f"about {int(round(seconds / 60))} min"


def previous_durations(history: Path) -> Dict[str, float]:
    """Each step's duration in the latest training that had it."""
    found: Dict[str, float] = {}
    try:
        lines = history.read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for line in lines:
        try:
            steps = json.loads(line).get("steps", {})
            found.update({k: float(v) for k, v in steps.items() if k in STEPS})
        except (ValueError, AttributeError, TypeError):
            continue
    return found


def tail(log: Path, count: int = TAIL_LINES) -> List[str]:
    """The end of the log as a terminal would show it, less progress bars, colours and Python's warnings."""
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [ANSI.sub("", line.rsplit("\r", 1)[-1]).rstrip() for line in text.split("\n")]
    kept: List[str] = []
    i = 0
    while i < len(lines):
        if WARNING.search(lines[i]):
            i += 1 + warning_rest(lines, i + 1)
            continue
        if lines[i].strip() and not PROGRESS.search(lines[i]):
            kept.append(lines[i])
        i += 1
    return kept[-count:]


def warning_rest(lines: List[str], start: int) -> int:
    """How many lines after a warning's first belong to it: the rest of its message and its indented source
    line, when that comes within three lines and before anything that starts a line of its own."""
    for n, line in enumerate(lines[start:start + 3]):
        if line.startswith(" "):
            return n + 1
        if WARNING.search(line) or OWN_LINE.match(line):
            return 0
    return 0


def error_of(lines: List[str]) -> Optional[str]:
    """The last line that names an exception: "InvalidConfigException: Can't load class ..."."""
    return next((line.strip() for line in reversed(lines) if ERROR.match(line.strip())), None)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Steps:
    """Times the steps; prints a line when a step starts for the first time."""

    def __init__(self, estimates: Dict[str, float]) -> None:
        self.estimates = estimates
        self.seconds: Dict[str, float] = {}
        self.current: Optional[str] = None
        self.since = time.monotonic()

    def enter(self, step: str) -> None:
        if step == self.current:
            return
        self.close()
        self.current = step
        if step not in self.seconds:
            self.seconds[step] = 0.0
            say(f"  {STEPS[step][0]} ({about(self.estimates[step])})…")

    def close(self) -> None:
        now = time.monotonic()
        if self.current is not None:
            self.seconds[self.current] += now - self.since
        self.since = now


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the model file the command makes")
    parser.add_argument("--log", required=True, type=Path, help="where the command's whole output goes")
    parser.add_argument("command", nargs="+", help="the training command, after --")
    args = parser.parse_args(argv)

    # The log and the history are private (var/ holds the coach's data); the model keeps the usual umask.
    umask = os.umask(0o077)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    history = args.log.parent / "training.jsonl"
    estimates = {**{k: float(v[1]) for k, v in STEPS.items()}, **previous_durations(history)}
    say(f"Training the model, {about(sum(estimates.values()))} (log: {args.log})")

    started = time.monotonic()
    steps = Steps(estimates)
    steps.enter("data")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(args.log, "wb") as log:
        log.write(f"$ {' '.join(args.command)}\n".encode())
        log.flush()
        try:
            with subprocess.Popen(args.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, env=env, umask=umask) as proc:
                assert proc.stdout is not None
                pending = b""
                while chunk := os.read(proc.stdout.fileno(), 65536):
                    log.write(chunk)
                    log.flush()
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        match = COMPONENT.search(line.decode("utf-8", errors="replace"))
                        if match:
                            steps.enter(step_of(match.group(1)))
                status = proc.wait()
        except KeyboardInterrupt:
            say(f"Training stopped; what it wrote is in {args.log}")
            return 130
        except OSError as error:
            log.write(f"{error}\n".encode())
            status = 127
    steps.close()
    took = time.monotonic() - started

    if status != 0 or not Path(args.model).is_file():
        end = tail(args.log)
        reason = error_of(end) or (f"exit status {status}" if status != 0 else f"it made no {args.model}")
        say(f"Training failed after {duration(took)}: {reason}")
        say(f"The end of {args.log} (Python's warnings left out):")
        for last in end:
            say(f"  | {last}")
        return status or 1

    record = {
        "model": args.model,
        "seconds": int(round(took)),
        "finished": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "steps": {k: int(round(v)) for k, v in steps.seconds.items()},
    }
    with open(history, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    say(f"Trained in {duration(took)}; full log in {args.log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
