"""The production profile (deploy/profile.py), started once for the scale tests in a private temporary folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from deploy.profile import Profile, free_port
from tests.e2e.servers import DATA_KEYS, SCRIPTED_PACE, trained_model


@pytest.fixture(scope="session")
def production() -> Iterator[Profile]:
    folder = Path(tempfile.mkdtemp(prefix="coach-profile-")) / "profile"
    # Scripted clients answer faster than people type: the steady pace is relaxed, as for the other server tests,
    # and one conversation may have more messages waiting for their turn than a person would send.
    profile = Profile(folder, trained_model(), public_port=free_port(),
                      env_extra={**SCRIPTED_PACE, "COACH_MESSAGES_IN_FLIGHT": "20",
                                 # the tests' own stores read what the servers sealed (tests/conftest.py)
                                 "COACH_DATA_KEYS": DATA_KEYS})
    profile.start()
    yield profile
    profile.stop()
    shutil.rmtree(folder.parent, ignore_errors=True)
