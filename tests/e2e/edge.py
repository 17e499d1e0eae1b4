"""The coach's edge (deploy/nginx.conf) started for tests: a real nginx on loopback, with a self-signed certificate,
in front of a running coach."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

import requests

from deploy.profile import certificate_command, render_edge, system_binary
from tests.e2e.servers import CoachServers, free_port
from tests.web_clients import leave_at_once


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "edge.crt", folder / "edge.key"
    subprocess.run(certificate_command(certificate, key, days=2), check=True, capture_output=True)
    return certificate, key


@dataclass
class Edge:
    """nginx with deploy/nginx.conf, publishing ``coach`` on https://127.0.0.1:<port>."""

    prefix: Path
    coach: CoachServers
    port: int = 0
    certificate: Path = field(default_factory=Path)
    processes: List[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> Edge:
        binary = system_binary("nginx", "/usr/sbin")
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.certificate, key = self_signed_certificate(self.prefix)
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_edge(prefix=str(self.prefix), listen=f"127.0.0.1:{self.port}",
                               coach_servers=f"server 127.0.0.1:{self.coach.rasa_port};",
                               action_servers=f"server 127.0.0.1:{self.coach.actions_port} max_fails=0;",
                               actions_listen=f"127.0.0.1:{free_port()}", certificate=str(self.certificate),
                               certificate_key=str(key)))
        with open(self.prefix / "nginx.out", "ab") as out:
            self.processes = [subprocess.Popen([binary, "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                                                "-c", str(conf), "-g", "daemon off;"], stdout=out, stderr=out)]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.processes[0].poll() is not None:
                raise RuntimeError(f"nginx stopped: {(self.prefix / 'error.log').read_text()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        self.stop()  # as CoachServers.start does: a start that timed out leaves nothing running
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=20)


class WidgetChat:
    """A page's chat as widget.js holds it: a session, then Socket.IO through the edge at ``url`` over the polling
    transport (the one that needs every request to reach the same server). Like the widget, it reconnects by
    itself, asks for its conversation again on every connection, and sends only once the coach confirmed it."""

    def __init__(self, url: str, certificate: Path, route: str = "") -> None:
        import socketio

        http_session = requests.Session()
        http_session.verify = str(certificate)
        http_session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the edge's certificate
        token = http_session.post(f"{url}/webhooks/web/session", json={}, timeout=10).json()
        self.session_id: str = token["session_id"]
        self.replies: List[Dict[str, Any]] = []
        self.disconnects = 0
        self.confirmed = threading.Event()
        self.chat = socketio.Client(http_session=http_session, reconnection_delay=0.2, reconnection_delay_max=1)
        self.chat.on("connect", lambda: self.chat.emit("session_request", {"session_id": self.session_id}))
        self.chat.on("session_confirm", lambda _: self.confirmed.set())
        self.chat.on("disconnect", self._disconnected)
        self.chat.on("bot_uttered", self.replies.append)
        self.chat.connect(f"{url}?route={route}" if route else url, auth={"token": token["token"]},
                          transports=["polling"], wait_timeout=10, headers={"Origin": url})

    def _disconnected(self, *_: Any) -> None:
        self.confirmed.clear()
        self.disconnects += 1

    def say(self, text: str, expect: str = "", timeout: float = 60) -> List[Dict[str, Any]]:
        """Send ``text``; the replies to it, once one contains ``expect`` or, without ``expect``, once the coach
        has said something and then nothing for a second."""
        if not self.confirmed.wait(timeout):
            raise AssertionError(f"the chat did not (re)connect within {timeout} s")
        start = len(self.replies)
        self.chat.emit("user_uttered", {"message": text})
        deadline, heard, quiet_since = time.monotonic() + timeout, start, time.monotonic()
        while time.monotonic() < deadline:
            new = self.replies[start:]
            if expect and any(expect in r.get("text", "") for r in new):
                break
            if len(self.replies) != heard:
                heard, quiet_since = len(self.replies), time.monotonic()
            elif not expect and new and time.monotonic() - quiet_since > 1:
                break
            time.sleep(0.1)
        return self.replies[start:]

    def close(self) -> None:
        # A chat that reconnects must wait for its old long poll (its read loop would otherwise carry on into the
        # new connection), so only the last goodbye leaves at once, as a closed tab does.
        if self.chat.connected:
            leave_at_once(self.chat)
        else:
            self.chat.shutdown()  # ends a reconnection under way (a test that failed mid-failover)


def chat_through_edge(url: str, certificate: Path, text: str, expect: str, route: str = "") -> List[Dict[str, Any]]:
    """A person's web chat through the edge at ``url``: the replies to ``text`` once one has ``expect``."""
    chat = WidgetChat(url, certificate, route)
    try:
        return chat.say(text, expect)
    finally:
        chat.close()
