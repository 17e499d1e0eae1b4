"""Start the real action server and Rasa server for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

from bot.limits import DEFAULT_MESSAGE_BURST, DEFAULT_MESSAGES_PER_MINUTE
from deploy.profile import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
TOKEN_SECRET = "an-end-to-end-test-secret-of-32-bytes"
# Starts with "-", as secrets.token_urlsafe() sometimes does: rasa's argparse must still take it as a value.
API_TOKEN = "-an-end-to-end-test-api-token-of-32-bytes-or-more"
# The data key the test servers seal with; tests/conftest.py gives it to the tests' own stores too (a Fernet key).
DATA_KEYS = "t1:sc1YAF3oLceQzTVpLbskqSVnVzU6CvlXex7tyFP6biQ="


# Scripted conversations answer faster than any person types, for minutes on end: the steady rate is relaxed,
# while the cap on messages handled at once per sender keeps its default.
SCRIPTED_PACE = {"COACH_MESSAGES_PER_MINUTE": "100000", "COACH_MESSAGE_BURST": "100000"}

# The pace a deployment gets, for the tests and benches that measure it (env_extra of a CoachServers).
DEPLOYED_PACE = {"COACH_MESSAGES_PER_MINUTE": str(DEFAULT_MESSAGES_PER_MINUTE),
                 "COACH_MESSAGE_BURST": str(DEFAULT_MESSAGE_BURST)}

def trained_model() -> Path:
    """The cached model for the current data (trains it if needed)."""
    given = os.environ.get("COACH_TEST_MODEL")
    if given:
        return Path(given)
    out = subprocess.run([str(ROOT / "scripts" / "model.sh")], cwd=ROOT, check=True, capture_output=True, text=True)
    return ROOT / out.stdout.strip()


@dataclass
class CoachServers:
    """The two servers a user talks to, over a database in ``workdir``."""

    workdir: Path
    model: Path
    env_extra: Dict[str, str] = field(default_factory=dict)
    rasa_port: int = 0
    actions_port: int = 0
    processes: List[subprocess.Popen] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.env_extra.get("DATABASE_URL") or f"sqlite:///{self.workdir / 'coach.db'}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def environment(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url,
            "COACH_DOCUMENTS_DIR": str(self.workdir / "documents"),
            "COACH_PUBLIC_URL": self.base_url,
            "COACH_TOKEN_SECRET": TOKEN_SECRET,
            "COACH_API_TOKEN": API_TOKEN,
            "COACH_DATA_KEYS": DATA_KEYS,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SANIC_HOST": "127.0.0.1",
            **SCRIPTED_PACE,  # DEPLOYED_PACE puts the defaults back
        })
        env.update(self.env_extra)
        return env

    def start(self) -> CoachServers:
        self.rasa_port, self.actions_port = free_port(), free_port()
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            (ROOT / "endpoints.yml").read_text().replace("127.0.0.1:5055", f"127.0.0.1:{self.actions_port}")
        )
        (self.workdir / "logs").mkdir(exist_ok=True)
        self.processes = [self.spawn("actions", self.actions_command()), self.spawn("rasa", self.rasa_command())]
        try:
            self._wait(f"http://127.0.0.1:{self.actions_port}/health")
            self._wait(f"{self.base_url}/status", params={"token": self.api_token})
        except RuntimeError:
            self.stop()  # a start that failed or timed out leaves no servers running
            raise
        return self

    @property
    def api_token(self) -> str:
        """The token of Rasa's HTTP API (``?token=``) and the REST channel (``Authorization: Bearer``)."""
        return self.environment()["COACH_API_TOKEN"]

    @property
    def rest_headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.api_token}"}

    def rasa_command(self) -> List[str]:
        endpoints = self.workdir / "endpoints.yml"
        # As scripts/run.sh starts it: rasa run, with the action server's replies checked more cheaply.
        return [str(VENV_BIN / "python"), "-m", "bot.channels.server", "run", "--model", str(self.model),
                "--enable-api", "-i", "127.0.0.1", "-p", str(self.rasa_port),
                "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints),
                f"--auth-token={self.api_token}"]  # one argument, even for a token that starts with "-"

    def actions_command(self) -> List[str]:
        # As scripts/run.sh starts it: the action server alone, without Rasa's command line.
        return [str(VENV_BIN / "python"), "-m", "actions", "-p", str(self.actions_port)]

    def spawn(self, name: str, command: List[str]) -> subprocess.Popen:
        with open(self.workdir / "logs" / f"{name}.log", "ab") as log:  # the child keeps its own handle
            return subprocess.Popen(command, cwd=ROOT, env=self.environment(),
                                    stdout=log, stderr=subprocess.STDOUT)

    def kill_actions(self) -> None:
        """Kill the action server, as a crash would."""
        self.processes[0].kill()
        self.processes[0].wait(timeout=20)

    def restart_actions(self) -> None:
        self.processes[0] = self.spawn("actions", self.actions_command())
        self._wait(f"http://127.0.0.1:{self.actions_port}/health")

    def _wait(self, url: str, timeout: float = 240, params: Optional[Dict[str, str]] = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a server exited while starting; see {self.workdir / 'logs'}")
            try:
                if requests.get(url, params=params, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer in {timeout} s")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []

    def restart(self) -> None:
        self.stop()
        self.start()

    def say(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        """Send one message over REST, as a user would, and return the coach's replies."""
        body: Dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        reply = requests.post(f"{self.base_url}/webhooks/rest/webhook", json=body, headers=self.rest_headers,
                              timeout=60)
        reply.raise_for_status()
        return list(reply.json())

    def tracker(self, sender: str, all_events: bool = False) -> Dict[str, Any]:
        """The conversation as Rasa stores it (every event ever kept, with ``all_events``)."""
        params = {"include_events": "ALL" if all_events else "AFTER_RESTART", "token": self.api_token}
        reply = requests.get(f"{self.base_url}/conversations/{sender}/tracker", params=params, timeout=30)
        reply.raise_for_status()
        return dict(reply.json())

    def api_get(self, path: str, **params: str) -> requests.Response:
        """GET from Rasa's HTTP API with the token, e.g. ``api_get("/status")``."""
        return requests.get(f"{self.base_url}{path}", params={**params, "token": self.api_token}, timeout=30)


def texts(replies: List[Dict[str, Any]]) -> str:
    """All reply texts joined, for readable assertions."""
    return "\n".join(r.get("text", "") for r in replies)


def button_payloads(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


def suggestion_payloads(replies: List[Dict[str, Any]]) -> List[str]:
    """The buttons that pick a suggested intervention (not "done")."""
    return [p for p in button_payloads(replies) if '"choice"' in p and "done" not in p]
