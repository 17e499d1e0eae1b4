"""A real Redis server for the tests of what the Rasa replicas share (the turn lock, the pace)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
from rasa.shared.core.domain import Domain


def start_redis(folder: Path) -> subprocess.Popen[bytes]:
    """A real redis-server on a Unix socket in ``folder``, as the production profile runs it."""
    binary = shutil.which("redis-server", path="/usr/bin:/usr/local/bin")
    if binary is None:
        pytest.fail("redis-server is not installed: scripts/system-packages.sh installs it")
    sock = folder / "redis.sock"
    sock.unlink(missing_ok=True)
    server = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(sock), "--dir", str(folder),
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server


def stop_redis(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = start_redis(tmp_path)
    yield f"unix://{tmp_path / 'redis.sock'}"
    stop_redis(server)


# A coach database of one test, for the tests of a person's whole record (erasure, export), and the domain its
# conversations are kept with.
@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from bot.channels.lock_store import turn_ticket

    path = tmp_path / "coach.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    yield path
    turn_ticket.set(None)
