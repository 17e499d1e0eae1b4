"""Shared fixtures: a real SQLite store per test, and Rasa tracker builders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional

import pytest

from bot.store import CoachStore, open_store
from tests.e2e.servers import DATA_KEYS, CoachServers, trained_model

if TYPE_CHECKING:
    from tests.teams.fake_microsoft import FakeMicrosoft


@pytest.fixture(autouse=True)
def data_keys(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test seals the person's words with the test servers' key, as a deployment does with its own."""
    monkeypatch.setenv("COACH_DATA_KEYS", DATA_KEYS)
    monkeypatch.delenv("COACH_DATA_KEYS_FILE", raising=False)
    return DATA_KEYS


@pytest.fixture(autouse=True)
def documents_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test's documents go to a folder of its own, never the checkout's var/documents: `coach keys rotate`
    reseals the documents folder, and a test's key would leave a developer's own documents unreadable."""
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    return tmp_path / "documents"


@pytest.fixture
def coach_store(tmp_path: Path) -> CoachStore:
    """A real SQLite database, migrated, in the test's own folder."""
    return open_store(f"sqlite:///{tmp_path / 'coach.db'}")


@pytest.fixture
def action_store(coach_store: CoachStore) -> Iterator[CoachStore]:
    """The store the actions use, for the length of one test."""
    from actions.store import use_store

    use_store(coach_store)
    yield coach_store
    use_store(None)


def tracker_dict(sender_id: str = "web:tester", *, slots: Optional[Dict[str, Any]] = None, text: str = "",
                 intent: str = "", entities: Optional[List[Dict[str, Any]]] = None,
                 active_loop: Optional[str] = None) -> Dict[str, Any]:
    """The JSON a Rasa server sends to the action server, for ``Tracker.from_dict``."""
    return {
        "sender_id": sender_id,
        "slots": dict(slots or {}),
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0} if intent else {},
                           "entities": entities or []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": None,
    }


@pytest.fixture(scope="session")
def microsoft() -> Iterator[FakeMicrosoft]:
    """A local stand-in for Microsoft's login, signing keys and Bot Connector (Teams)."""
    from tests.teams.fake_microsoft import FakeMicrosoft

    with FakeMicrosoft() as fake:
        yield fake


@pytest.fixture(scope="session")
def coach(tmp_path_factory: pytest.TempPathFactory, microsoft: FakeMicrosoft) -> Iterator[CoachServers]:
    """The real coach (action server + Rasa server), started once for the whole test session.

    Its Teams channel is registered against the local fake of Microsoft.
    """
    teams = {"TEAMS_APP_ID": microsoft.app_id, "TEAMS_APP_PASSWORD": microsoft.app_password,
             "TEAMS_OPENID_METADATA_URL": microsoft.openid_url, "TEAMS_TOKEN_ENDPOINT": microsoft.token_endpoint()}
    servers = CoachServers(Path(tmp_path_factory.mktemp("coach")), trained_model(), env_extra=teams).start()
    yield servers
    servers.stop()
