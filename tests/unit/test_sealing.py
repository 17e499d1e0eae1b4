"""The person's words sealed at rest: nowhere in the database file in plain text, yet read back unchanged; keys
rotate without losing anything; the wrong keys stop the coach with a clear message."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot import cli
from bot.channels.tracker_store import CoachTrackerStore
from bot.settings import BadSetting, MissingSecret, load_settings
from bot.store import CoachStore, open_store
from bot.store.repository import OutcomeRecord
from bot.store.rotation import not_current, reseal
from bot.store.sealing import Keyring, UnreadableData, load_keyring

ROOT = Path(__file__).resolve().parents[2]
# Distinctive words, each typed once, in every place the person's (or a manager's) words are kept.
WORDS = {
    "answer": "I want to lead the phlebotomy quokka team",
    "revision": "my first thought was the zanzibar rota",
    "value": "marmalade explanation",
    "note": "a note about the pangolin clinic",
    "next_steps": "shadow the xylophone ward sister",
    "rehearsal": "tip about the narwhal question",
    "said": "I feel unheard by the capybara board",
    "replied": "Thank you for telling me about the wombat shift",
    "legacy": "aardvarkish",
}


def key_entry(key_id: str) -> str:
    return f"{key_id}:{Fernet.generate_key().decode()}"


def use_keys(monkeypatch: pytest.MonkeyPatch, *entries: str) -> Keyring:
    monkeypatch.setenv("COACH_DATA_KEYS", " ".join(entries))
    return load_keyring(load_settings())


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.db'}"


def tracker_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> CoachTrackerStore:
    monkeypatch.setenv("DATABASE_URL", database_url(tmp_path))
    return CoachTrackerStore(domain)


def store_a_journal(store: CoachStore) -> str:
    person = store.person_id("web:journal")
    store.save_answer(person, "journal", "q1", WORDS["revision"])
    store.save_answer(person, "journal", "q1", WORDS["answer"], value={"explanation": WORDS["value"]})
    store.save_answer(person, "stage1", "s1.note", WORDS["note"])
    store.save_outcome(OutcomeRecord(person, "depth", ["coaching"], WORDS["next_steps"], None, "line manager",
                                     dt.datetime(2026, 12, 1)))
    store.save_rehearsal(person, "hca", {"tips": [WORDS["rehearsal"], "ask one thing at a time"]})
    return person


async def hold_a_conversation(store: CoachTrackerStore, sender: str = "web:talk") -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(WORDS["said"], {"name": "inform", "confidence": 1.0}))
    tracker.update(BotUttered(WORDS["replied"]))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


def assert_read_back(store: CoachStore, person: str) -> None:
    answers = store.answers(person)
    assert answers["q1"].text == WORDS["answer"]
    assert answers["q1"].value == {"explanation": WORDS["value"]}
    assert answers["s1.note"].text == WORDS["note"]
    assert store.revisions(person, "journal", "q1") == [WORDS["revision"]]
    assert [o.next_steps for o in store.outcomes()] == [WORDS["next_steps"]]
    assert store.last_rehearsal(person) == {"tips": [WORDS["rehearsal"], "ask one thing at a time"]}


async def assert_conversation_read_back(store: CoachTrackerStore, sender: str = "web:talk") -> None:
    tracker = await store.retrieve(sender)
    assert tracker is not None
    assert [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))] == [WORDS["said"],
                                                                                            WORDS["replied"]]


def words_found_on_disk(tmp_path: Path) -> set[str]:
    """Every word of ``WORDS`` found in the database's files (the write-ahead log included) or in any table,
    read with plain sqlite3."""
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("coach.db*"))
    found = {w for w in WORDS.values() for part in w.split() if len(part) > 6 and part.encode() in raw}
    connection = sqlite3.connect(tmp_path / "coach.db")
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"answer", "answer_revision", "outcome", "rehearsal", "events"} <= set(tables)
        cells = " ".join(str(cell) for table in tables
                         for row in connection.execute(f'SELECT * FROM "{table}"') for cell in row)
    finally:
        connection.close()
    return found | {w for w in WORDS.values() if w in cells or any(p in cells for p in w.split() if len(p) > 6)}


async def test_no_word_a_person_typed_is_in_the_database_files_yet_all_read_back(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> None:
    store = open_store(database_url(tmp_path))
    person = store_a_journal(store)
    conversations = tracker_store(monkeypatch, tmp_path, domain)
    await hold_a_conversation(conversations)

    assert words_found_on_disk(tmp_path) == set()
    assert_read_back(store, person)
    await assert_conversation_read_back(tracker_store(monkeypatch, tmp_path, domain))  # from the database alone


async def test_rows_stored_before_sealing_still_read_and_rotation_seals_them(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> None:
    store = open_store(database_url(tmp_path))
    person = store.person_id("web:journal")
    tracker_store(monkeypatch, tmp_path, domain).engine.dispose()  # creates the events table
    connection = sqlite3.connect(tmp_path / "coach.db")
    with connection:  # as a coach without sealing wrote them
        connection.execute("INSERT INTO answer (person_id, flow, prompt_id, text, status, value, shared, updated_at) "
                           "VALUES (?, 'journal', 'q1', ?, 'answered', ?, 0, '2026-01-01 00:00:00')",
                           (person, WORDS["answer"], json.dumps({"explanation": WORDS["value"]})))
        said = {"event": "user", "timestamp": 1.0, "text": WORDS["said"], "parse_data": {}}
        connection.execute("INSERT INTO events (sender_id, type_name, timestamp, data) "
                           "VALUES ('web:old', 'user', 1.0, ?)", (json.dumps(said),))
    connection.close()
    assert store.answers(person)["q1"].text == WORDS["answer"]
    assert store.answers(person)["q1"].value == {"explanation": WORDS["value"]}
    old = await tracker_store(monkeypatch, tmp_path, domain).retrieve("web:old")
    assert old is not None and old.latest_message is not None and old.latest_message.text == WORDS["said"]

    keyring = load_keyring(load_settings())
    done = {f"{r.table}.{r.column}": r.resealed for r in reseal(store.engine, keyring)}

    assert done["answer.text"] == 1 and done["answer.value"] == 1 and done["events.data"] == 1
    assert words_found_on_disk(tmp_path) == set()
    assert set(not_current(store.engine, keyring).values()) == {0}
    assert store.answers(person)["q1"].value == {"explanation": WORDS["value"]}


def test_resealing_leaves_no_earlier_version_in_the_file(tmp_path: Path) -> None:
    store = open_store(database_url(tmp_path))
    person = store.person_id("web:journal")
    connection = sqlite3.connect(tmp_path / "coach.db")
    with connection:  # rows of different lengths: rewriting them moves cells between pages, leaving old bytes
        for i in range(30):
            connection.execute("INSERT INTO answer (person_id, flow, prompt_id, text, status, shared, updated_at) "
                               "VALUES (?, 'journal', ?, ?, 'answered', 0, '2026-01-01')",
                               (person, f"q{i}", f"{WORDS['legacy']}{i} " * (10 + 40 * (i % 3))))
    connection.close()
    reseal(store.engine, load_keyring(load_settings()))
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("coach.db*"))
    assert WORDS["legacy"].encode() not in raw
    assert store.answers(person)["q29"].text.startswith(f"{WORDS['legacy']}29 ")


async def test_rotating_to_a_new_key_then_dropping_the_old_one_loses_nothing(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain, capsys: pytest.CaptureFixture[str]) -> None:
    key_a, key_b = key_entry("k1"), key_entry("k2")
    use_keys(monkeypatch, key_a)
    person = store_a_journal(open_store(database_url(tmp_path)))
    await hold_a_conversation(tracker_store(monkeypatch, tmp_path, domain))

    use_keys(monkeypatch, key_b, key_a)  # the new key first: it seals, both open
    assert cli.main(["keys", "rotate", "--batch-size", "2", "--database-url", database_url(tmp_path)]) == 0
    assert "The older keys (k1) are no longer needed" in capsys.readouterr().out

    use_keys(monkeypatch, key_b)  # the old key removed
    assert_read_back(open_store(database_url(tmp_path)), person)
    await assert_conversation_read_back(tracker_store(monkeypatch, tmp_path, domain))
    assert words_found_on_disk(tmp_path) == set()


def test_rotation_says_so_when_a_value_is_left_under_an_older_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    key_a, key_b = key_entry("k1"), key_entry("k2")
    use_keys(monkeypatch, key_a)
    store = open_store(database_url(tmp_path))
    person = store_a_journal(store)
    keyring = use_keys(monkeypatch, key_b, key_a)
    reseal(store.engine, keyring)
    store.save_answer(person, "journal", "q2", "written by a server still on the old key")  # its engine seals with k1

    assert not_current(store.engine, keyring)["answer.text"] == 1
    assert cli.main(["keys", "rotate", "--database-url", database_url(tmp_path)]) == 0  # and a second run mends it
    assert "answer.text: 1 resealed" in capsys.readouterr().out


def test_data_sealed_with_a_key_that_was_removed_stops_the_store_with_a_clear_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_keys(monkeypatch, key_entry("k1"))
    store_a_journal(open_store(database_url(tmp_path)))
    use_keys(monkeypatch, key_entry("k2"))
    with pytest.raises(UnreadableData, match="sealed with the data key 'k1', which is not in the coach's keys"):
        open_store(database_url(tmp_path))


async def test_a_different_key_under_the_same_id_stops_the_tracker_store_at_its_start(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> None:
    use_keys(monkeypatch, key_entry("k1"))
    await hold_a_conversation(tracker_store(monkeypatch, tmp_path, domain))
    use_keys(monkeypatch, key_entry("k1"))
    with pytest.raises(UnreadableData, match="holds a different key with the same id"):
        tracker_store(monkeypatch, tmp_path, domain)


def test_without_data_keys_neither_store_starts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                domain: Domain) -> None:
    monkeypatch.delenv("COACH_DATA_KEYS")
    with pytest.raises(MissingSecret, match="COACH_DATA_KEYS is not set"):
        open_store(database_url(tmp_path))
    with pytest.raises(MissingSecret, match="COACH_DATA_KEYS is not set"):
        tracker_store(monkeypatch, tmp_path, domain)


def test_the_command_line_explains_missing_keys_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("COACH_DATA_KEYS")
    assert cli.main(["keys", "rotate", "--database-url", database_url(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("coach: error: COACH_DATA_KEYS is not set") and "Traceback" not in error


def test_keys_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    entry = key_entry("k7")
    (tmp_path / "data-keys").write_text(f"# newest first\n{entry}\n")
    monkeypatch.delenv("COACH_DATA_KEYS")
    monkeypatch.setenv("COACH_DATA_KEYS_FILE", str(tmp_path / "data-keys"))
    assert load_keyring(load_settings()).current_id == "k7"
    monkeypatch.setenv("COACH_DATA_KEYS_FILE", str(tmp_path / "missing"))
    with pytest.raises(MissingSecret, match="cannot be read"):
        load_keyring(load_settings())


@pytest.mark.parametrize("keys, problem", [
    ("k1:not-a-fernet-key", "is not a Fernet key"),
    ("no-colon-here", "is not id:key"),
    (f"{key_entry('k1')} {key_entry('k1')}", "given twice"),
])
def test_keys_that_cannot_be_used_are_refused_by_name(keys: str, problem: str) -> None:
    with pytest.raises(BadSetting, match=problem):
        Keyring.parse(keys)


def test_a_new_key_gets_the_next_id(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    use_keys(monkeypatch, key_entry("k2"), key_entry("k1"))
    assert cli.main(["keys", "new"]) == 0
    assert Keyring.parse(capsys.readouterr().out).current_id == "k3"


def test_plain_text_that_merely_has_a_colon_is_not_taken_for_sealed() -> None:
    keyring = Keyring.parse(key_entry("k1"))
    for plain in ["k1: my aim is to lead", "note:gAAAAA", "", "k1:" + "x" * 120]:
        assert keyring.open(plain) == plain
    assert keyring.open(keyring.seal("k1: my aim")) == "k1: my aim"
