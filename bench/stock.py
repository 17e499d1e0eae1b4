"""The stock ``rasa init`` bot, as the yardstick the coach is measured against.

A part of ``bench/compare.py``. The bot is made with ``rasa init --no-prompt`` (which also trains it) in
``var/bench/stock-<rasa version>/`` once, and reused after that; the training time measured then is kept in
``training.json`` beside it. It runs from the same venv and Rasa as the coach, with ``--enable-api``, the
stock REST channel and Rasa's SQL tracker store on a SQLite file, on a free loopback port, with no action
server (it has no custom actions).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.servers import ROOT, VENV_BIN, free_port  # noqa: E402

RASA_VERSION = version("rasa")
HOME = ROOT / "var" / "bench" / f"stock-{RASA_VERSION}"

# Its own stories and rules, twice over (happy path, both sad paths, the bot challenge, goodbye):
# twelve turns, as long as the coach's journal conversation.
HAPPY_PATH = ["hello there", "I'm so sad", "yes", "are you a bot?", "good morning",
              "I am great", "hey", "not very good", "no", "hi", "wonderful", "bye"]


def trained_model() -> tuple[Path, dict[str, Any]]:
    """The stock bot's model and its training record, making and training the bot on first use."""
    record_file = HOME / "training.json"
    models = sorted((HOME / "models").glob("*.tar.gz")) if HOME.is_dir() else []
    if models and record_file.is_file():
        return models[-1], {**json.loads(record_file.read_text()), "reused": True}
    if HOME.exists():
        shutil.rmtree(HOME)  # half made by an interrupted run: `rasa init` wants an empty directory
    HOME.mkdir(parents=True)
    print(f"making and training the stock bot in {HOME} (once; later runs reuse it)...", flush=True)
    started = time.perf_counter()
    with open(HOME.parent / f"stock-{RASA_VERSION}-init.log", "wb") as log:
        subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(HOME)], cwd=HOME,
                       stdout=log, stderr=subprocess.STDOUT, check=True)
    seconds = time.perf_counter() - started
    models = sorted((HOME / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init made no model; see {log.name}")
    record = {"model": models[-1].name, "seconds": round(seconds, 1),
              "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": "rasa init --no-prompt (makes the project, then trains it)"}
    record_file.write_text(json.dumps(record, indent=1) + "\n")
    return models[-1], {**record, "reused": False}


@dataclass
class StockBot:
    """One ``rasa run`` of the stock bot, with its conversations in a SQLite file under ``workdir``."""

    workdir: Path
    model: Path
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Launch the server; the seconds until ``/status`` answers (the model is loaded by then)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "credentials.yml").write_text("rest:\n")
        (self.workdir / "endpoints.yml").write_text(
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.workdir / 'tracker.db'}\n"
        )
        self.port = free_port()
        started = time.perf_counter()
        with open(self.workdir / "rasa.log", "ab") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "rasa"), "run", "--model", str(self.model), "--enable-api", "-i", "127.0.0.1",
                 "-p", str(self.port), "--credentials", str(self.workdir / "credentials.yml"),
                 "--endpoints", str(self.workdir / "endpoints.yml"), f"--auth-token={self.token}"],
                cwd=HOME, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SANIC_HOST": "127.0.0.1"},
            )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stock bot exited while starting; see {self.workdir / 'rasa.log'}")
            try:
                if requests.get(f"{self.base_url}/status", params={"token": self.token}, timeout=2).ok:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the stock bot did not answer /status in 300 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        """One message over the stock REST channel, as the coach's are sent (a new connection each time)."""
        reply = requests.post(f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=60)
        reply.raise_for_status()
        return list(reply.json())

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the stock bot is not running")
        return self.process.pid

