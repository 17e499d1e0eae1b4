"""Dependencies with known vulnerabilities stay on fixed versions."""

from __future__ import annotations

from importlib.metadata import version


def as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def test_python_socketio_has_the_fix_for_unfreed_connection_memory() -> None:
    # CVE-2026-48804: before 5.16.2 any client could make the server keep memory it never frees.
    assert as_tuple(version("python-socketio")) >= (5, 16, 2)
    assert as_tuple(version("python-engineio")) >= (4, 13, 2)  # what python-socketio 5.16 requires
