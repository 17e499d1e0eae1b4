"""The coach's edge (deploy/nginx.conf) started for tests: a real nginx on loopback, with a self-signed certificate,
in front of a running coach."""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

import requests

from deploy.profile import certificate_command, render_edge, system_binary
from tests.e2e.servers import CoachServers, free_port


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


def chat_through_edge(url: str, certificate: Path, text: str, expect: str, route: str = "") -> List[Dict[str, Any]]:
    """A person's web chat through the edge at ``url``: a session, then ``text`` over Socket.IO's polling
    transport (the one that needs every request to reach the same server); the replies once one has ``expect``."""
    import socketio

    http_session = requests.Session()
    http_session.verify = str(certificate)
    http_session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the edge's certificate
    token = http_session.post(f"{url}/webhooks/web/session", json={}, timeout=10).json()
    replies: List[Dict[str, Any]] = []
    chat = socketio.Client(http_session=http_session)
    chat.on("bot_uttered", replies.append)
    chat.connect(f"{url}?route={route}" if route else url, auth={"token": token["token"]}, transports=["polling"],
                 wait_timeout=10, headers={"Origin": url})
    try:
        chat.emit("session_request", {"session_id": token["session_id"]})
        chat.emit("user_uttered", {"message": text})
        deadline = time.monotonic() + 60
        while not any(expect in r.get("text", "") for r in replies) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        chat.disconnect()
    return replies
