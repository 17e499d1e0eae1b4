"""The person's words sealed at rest on PostgreSQL, as the production profile stores them: no table, read with
plain SQL, holds any of them; the repository and Rasa's tracker store read them back."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain

from bot.channels.tracker_store import CoachTrackerStore
from bot.settings import load_settings
from bot.store import open_store
from bot.store.rotation import not_current, reseal
from bot.store.sealing import load_keyring
from deploy.profile import Profile
from tests.e2e.servers import DATA_KEYS
from tests.unit.test_sealing import (
    ROOT,
    WORDS,
    assert_conversation_read_back,
    assert_read_back,
    hold_a_conversation,
    store_a_journal,
)

pytestmark = [pytest.mark.scale]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """The profile's PostgreSQL alone (no Rasa, no Redis): its database URL."""
    folder = Path(tempfile.mkdtemp(prefix="coach-sealing-")) / "profile"
    profile = Profile(folder, ROOT / "models")
    try:
        profile._prepare_folder()
        profile.start_postgres()
        yield profile.database_url
    finally:
        profile.stop_postgres()
        shutil.rmtree(folder.parent, ignore_errors=True)


def plain_sql_cells(database_url: str) -> str:
    """Every cell of every table, as PostgreSQL gives it to any client without the key."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            assert {"answer", "answer_revision", "outcome", "rehearsal", "events"} <= set(tables)
            return " ".join(str(cell) for table in tables
                            for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"') for cell in row)
    finally:
        engine.dispose()


async def test_no_table_on_postgresql_holds_a_word_a_person_typed(postgres: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres)
    store = open_store(postgres)
    person = store_a_journal(store)
    conversations = CoachTrackerStore(Domain.load(str(ROOT / "domain.yml")))
    await hold_a_conversation(conversations, "web:postgres")

    cells = plain_sql_cells(postgres)
    assert [w for w in WORDS.values() for part in w.split() if len(part) > 6 and part in cells] == []
    assert_read_back(store, person)
    await assert_conversation_read_back(CoachTrackerStore(Domain.load(str(ROOT / "domain.yml"))), "web:postgres")

    # Rotation works on PostgreSQL's JSON columns too: a new key first, reseal, then the old key removed.
    new_key = f"k9:{Fernet.generate_key().decode()}"
    monkeypatch.setenv("COACH_DATA_KEYS", f"{new_key} {DATA_KEYS}")
    keyring = load_keyring(load_settings())
    done = {f"{r.table}.{r.column}": r.resealed for r in reseal(open_store(postgres).engine, keyring)}
    assert done["answer.value"] == 1 and done["rehearsal.summary"] == 1 and done["events.data"] >= 3
    monkeypatch.setenv("COACH_DATA_KEYS", new_key)
    assert set(not_current(open_store(postgres).engine, load_keyring(load_settings())).values()) == {0}
    assert_read_back(open_store(postgres), person)
