"""The coach's edge (deploy/nginx.conf) started for tests: a real nginx on loopback, with a self-signed certificate,
in front of a running coach."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from tests.e2e.servers import ROOT, CoachServers, free_port

TEMPLATE = ROOT / "deploy" / "nginx.conf"


def nginx() -> Optional[str]:
    return shutil.which("nginx", path=f"{os.environ.get('PATH', '')}{os.pathsep}/usr/sbin")


def render(template: str, **values: str) -> str:
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", value)
    if "{{" in template:
        raise ValueError("a placeholder in deploy/nginx.conf was left unfilled")
    return template


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "edge.crt", folder / "edge.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
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
        binary = nginx()
        if binary is None:
            raise RuntimeError("nginx is not installed: scripts/system-packages.sh installs it")
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.certificate, key = self_signed_certificate(self.prefix)
        conf = self.prefix / "nginx.conf"
        conf.write_text(render(TEMPLATE.read_text(), prefix=str(self.prefix), listen=f"127.0.0.1:{self.port}",
                               coach=f"127.0.0.1:{self.coach.rasa_port}", certificate=str(self.certificate),
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
