"""scripts/train_model.py: a quiet training, one line per step, the whole output in a private log."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "train_model.py"

# Prints what `rasa train` prints (warnings, progress bars redrawn with \r, the graph components
# it trains), then makes the model, or fails the way a broken config.yml does.
FAKE_RASA = r"""
import sys
from pathlib import Path
fail = sys.argv[1] == "fail"
print("UserWarning: Intent 'choose' has only 1 training examples!", file=sys.stderr)
if fail:
    for n in range(30):
        print(f"Traceback line {n}", file=sys.stderr)
    print("/x/io.py:100: UserWarning: Intent 'share' has only 1 training examples!", file=sys.stderr)
    print("/x/typer.py:25: DeprecationWarning: deprecated.\n  from click import x", file=sys.stderr)
    sys.stderr.write("Epochs:  50%|####| 50/100 [00:05<00:05, 9.51it/s]\r")
    print("Epochs:  51%|####| 51/100 [00:05<00:05, 9.52it/s]", file=sys.stderr)
    print("\x1b[91mInvalidConfigException: Can't load class for name 'DIETClassifer'.\x1b[0m")
    sys.exit(1)
for component in ["LexicalSyntacticFeaturizer", "CoachDIETClassifier", "CoachResponseSelector", "RulePolicy"]:
    print(f"INFO rasa.engine.training.hooks - Starting to train component '{component}'.", file=sys.stderr)
    for epoch in range(0, 101, 20):
        sys.stderr.write(f"\rEpochs: {epoch}%|####| {epoch}/100")
    print(f"\nINFO rasa.engine.training.hooks - Finished training component '{component}'.", file=sys.stderr)
Path("models").mkdir(exist_ok=True)
Path("models/coach-abc.tar.gz").write_bytes(b"model")
print("Your Rasa model is trained and saved at 'models/coach-abc.tar.gz'.")
"""


def train(tmp_path: Path, outcome: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "fake_rasa.py"
    fake.write_text(FAKE_RASA)
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--model", "models/coach-abc.tar.gz", "--log", "var/log/train-abc.log",
         "--", sys.executable, str(fake), outcome],
        cwd=tmp_path, capture_output=True, text=True, timeout=60)


def lines(text: str) -> List[str]:
    return text.strip().splitlines()


def test_one_line_per_step_on_stderr_and_the_whole_output_in_a_private_log(tmp_path: Path) -> None:
    done = train(tmp_path, "ok")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    out = lines(done.stderr)
    assert out[0].startswith("Training the model, about ") and "var/log/train-abc.log" in out[0]
    assert [line.split(" (")[0].strip() for line in out[1:-1]] == [
        "starting Rasa and checking the data", "language understanding: intents",
        "language understanding: FAQ answers", "dialogue policies, then saving the model"]
    assert all(line.endswith(")…") and "(a" in line for line in out[1:-1])
    assert out[-1].startswith("Trained in ") and out[-1].endswith("s; full log in var/log/train-abc.log")
    assert "Epochs" not in done.stderr and "UserWarning" not in done.stderr

    log = tmp_path / "var/log/train-abc.log"
    assert "Epochs: 100%" in log.read_text() and "UserWarning" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "var/log").stat().st_mode) == 0o700

    history = tmp_path / "var/log/training.jsonl"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    record = json.loads(history.read_text().splitlines()[-1])
    assert record["model"] == "models/coach-abc.tar.gz"
    assert isinstance(record["seconds"], int) and record["finished"].endswith("Z")
    assert set(record["steps"]) == {"data", "nlu", "responses", "policies"}


def test_estimates_come_from_the_last_training(tmp_path: Path) -> None:
    (tmp_path / "var/log").mkdir(parents=True)
    previous = {"model": "models/coach-old.tar.gz", "seconds": 432, "finished": "2026-01-01T00:00:00Z",
                "steps": {"data": 30, "nlu": 312, "responses": 80, "policies": 10}}
    (tmp_path / "var/log/training.jsonl").write_text("not json\n" + json.dumps(previous) + "\n")
    out = lines(train(tmp_path, "ok").stderr)
    assert out[0].startswith("Training the model, about 7 min")
    assert out[1:5] == ["  starting Rasa and checking the data (about 30 s)…",
                        "  language understanding: intents (about 5 min)…",
                        "  language understanding: FAQ answers (about 1 min)…",
                        "  dialogue policies, then saving the model (a few seconds)…"]
    assert len((tmp_path / "var/log/training.jsonl").read_text().splitlines()) == 3


def test_a_failure_says_so_shows_the_end_of_the_log_and_records_nothing(tmp_path: Path) -> None:
    done = train(tmp_path, "fail")
    assert done.returncode == 1
    assert done.stdout == ""
    out = lines(done.stderr)
    assert out[2].startswith("Training failed after ")
    assert out[2].endswith(" s: InvalidConfigException: Can't load class for name 'DIETClassifer'.")
    assert out[3] == "The end of var/log/train-abc.log (Python's warnings left out):"
    shown = out[4:]
    assert len(shown) == 20
    # the last lines of the log, less the warnings and the progress bar, without colours
    assert shown[-2:] == ["  | Traceback line 29",
                          "  | InvalidConfigException: Can't load class for name 'DIETClassifer'."]
    assert not (tmp_path / "var/log/training.jsonl").exists()
