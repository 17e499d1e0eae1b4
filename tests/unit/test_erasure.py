"""'Delete my data' on a real SQLite database: nothing of the person's words is left in any table or in the
file itself, every conversation of theirs included, while another person's data is untouched."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.channels.lock_store import turn_ticket
from bot.channels.tracker_store import CoachTrackerStore
from bot.privacy import Erasure, ErasureService
from bot.store import CoachStore, document_files, open_store
from bot.store.repository import OutcomeRecord

ROOT = Path(__file__).resolve().parents[2]
# Each person's words, unusual enough to be found only where they were stored.
ALEX_WORDS = ["quokkas on the night shift", "an older quokka answer", "the walrus I told the coach about on Teams",
              "a plan to lead the zebra audit", "flamingo next steps"]
BEA_WORDS = ["marmots in outpatients", "a narwhal revision"]


async def converse(conversations: CoachTrackerStore, sender: str, said: str, ticket: int) -> None:
    """One turn, saved as the Rasa server saves it (with the turn lock's fence)."""
    turn_ticket.set(ticket)
    tracker = await conversations.get_or_create_tracker(sender)
    tracker.update(UserUttered(said, {"name": "inform", "confidence": 1.0}, input_channel="web"))
    tracker.update(BotUttered(f"Thanks, I've noted: {said}"))
    tracker.update(ActionExecuted("action_listen"))
    await conversations.save(tracker)


def fill(store: CoachStore) -> tuple[str, str]:
    """Alex (on the web and on Teams) and Bea, each with answers, an earlier version, a plan and more."""
    alex = store.person_id("web:alex")
    store.link("teams:alex", alex)
    store.save_answer(alex, "journal", "journal.details.role", ALEX_WORDS[1])
    store.save_answer(alex, "journal", "journal.details.role", ALEX_WORDS[0])
    store.save_answer(alex, "stage3", "stage3.aim", ALEX_WORDS[3])
    store.set_shared(alex, ["stage3.aim"])
    store.save_plan(alex, segment_id="mid-solid-depth", interventions=["coaching"], confirmed=True)
    store.save_rehearsal(alex, "band7-specialist", {"open_share": 0.5})
    code = store.record_outcome(OutcomeRecord(None, "mid-solid-depth", ["coaching"], ALEX_WORDS[4],
                                              dt.date(2027, 1, 1), "Manager M", dt.datetime(2026, 12, 1)), "manager")
    assert store.confirm_outcome(code, alex)
    bea = store.person_id("web:bea")
    store.save_answer(bea, "journal", "journal.details.role", BEA_WORDS[1])
    store.save_answer(bea, "journal", "journal.details.role", BEA_WORDS[0])
    return alex, bea


def every_value(path: Path) -> str:
    """Every value of every row of every table, Rasa's events and the turn fences included."""
    with sqlite3.connect(path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"events", "coach_turn_fences", "answer", "answer_revision"} <= set(tables)
        return "\n".join(str(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
                         for value in row)


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


async def test_delete_my_data_leaves_none_of_the_persons_words_in_any_table_or_the_file(
        database: Path, domain: Domain) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, bea = fill(store)
    rasa = CoachTrackerStore(domain)
    await converse(rasa, "web:alex", ALEX_WORDS[0], 1)
    await converse(rasa, "teams:alex", ALEX_WORDS[2], 2)
    await converse(rasa, "web:bea", BEA_WORDS[0], 3)
    assert await rasa.retrieve("teams:alex") is not None  # held in this server's memory
    in_flight = await rasa.retrieve("web:alex")  # the turn in which Alex confirms
    assert in_flight is not None

    turn = ErasureService(store, keep_confirmed_outcomes=False).erase(alex)
    turn_ticket.set(4)
    in_flight.update(ActionExecuted("action_delete_data"))
    in_flight.update(BotUttered(turn.replies[0].text))
    in_flight.update(ActionExecuted("action_listen"))
    await rasa.save(in_flight)  # the Rasa server saves the turn after the action returns

    on_disk = file_bytes(database)  # while both servers still have it open, as in production
    assert [w for w in ALEX_WORDS if w.encode() in on_disk] == []
    rows = every_value(database)
    assert [w for w in ALEX_WORDS if w in rows] == []
    # The rows are sealed at rest, so what is left is read as the coach reads it, opened.
    from bot.journey_service import coach_journey
    from bot.privacy import SubjectAccess

    held = SubjectAccess(store, coach_journey())
    assert [w for w in BEA_WORDS if w in json.dumps(held.export(bea))] == BEA_WORDS
    assert [w for w in ALEX_WORDS if w in json.dumps(held.export(alex))] == []
    with sqlite3.connect(database) as db:
        fenced = {sender for (sender,) in db.execute("SELECT sender_id FROM coach_turn_fences")}
        kept_events = {sender for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert "teams:alex" not in fenced and "web:bea" in fenced
    assert "teams:alex" not in kept_events  # the conversation Alex was not using is gone whole
    again = await CoachTrackerStore(domain).retrieve("teams:alex")
    assert again is None or not any(isinstance(e, UserUttered) for e in again.events)


async def test_the_server_that_saw_the_deletion_drops_every_conversation_of_the_person_from_memory(
        database: Path, domain: Domain) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    rasa = CoachTrackerStore(domain)
    await converse(rasa, "web:alex", "hello", 1)
    await converse(rasa, "teams:alex", "hello from Teams", 2)
    await converse(rasa, "web:bea", "hello from Bea", 3)
    in_flight = await rasa.retrieve("web:alex")
    assert in_flight is not None
    ErasureService(store, keep_confirmed_outcomes=False).erase(alex)
    in_flight.update(ActionExecuted("action_delete_data"))
    turn_ticket.set(4)
    await rasa.save(in_flight)
    assert "teams:alex" not in rasa._recent and "web:bea" in rasa._recent


def test_a_confirmed_outcome_stays_when_the_policy_keeps_it_and_the_person_is_told_first(database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    service = ErasureService(store, keep_confirmed_outcomes=True)
    question = service.ask(alex).replies[0].text or ""
    assert "I will keep the outcome you confirmed" in question and "any outcomes recorded with you" not in question
    done = service.erase(alex).replies[0].text or ""
    assert "I have kept the outcome you confirmed" in done
    assert [o.next_steps for o in store.held_about(alex).outcomes] == [ALEX_WORDS[4]]
    assert store.answers(alex) == {} and store.plan(alex) is None


def test_without_the_policy_the_outcome_goes_too_and_nothing_is_said_to_be_kept(database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    service = ErasureService(store, keep_confirmed_outcomes=False)
    question = service.ask(alex).replies[0].text or ""
    assert "any outcomes recorded with you" in question and "Nothing else is kept." in question
    assert "in all 2 of your chats with me" in question
    service.erase(alex)
    assert store.held_about(alex).outcomes == []


def test_the_question_and_the_done_message_say_the_same_things() -> None:
    erasure = Erasure(conversations=1, kept_outcomes=2, removes_documents=False)
    question, done = erasure.question(), erasure.done()
    for deleted in erasure.deleted():
        assert deleted in question and deleted in done
    assert "the 2 outcomes you confirmed" in question and "the 2 outcomes you confirmed" in done
    assert "links I've already sent you still open their pages" in question  # before the schema records them
    assert "outcomes recorded with you" not in question


def test_the_person_is_told_their_plan_and_share_pages_go_too(database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    service = ErasureService(store, keep_confirmed_outcomes=False)
    assert "the plan and share pages I made for you" in (service.ask(alex).replies[0].text or "")
    assert "the plan and share pages I made for you" in (service.erase(alex).replies[0].text or "")


def test_a_manager_who_deletes_their_data_leaves_the_outcomes_they_recorded_with_their_staff(
        database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    manager = store.person_id("web:manager")
    staff = store.person_id("web:staff")
    code = store.record_outcome(OutcomeRecord(None, "mid-solid-depth", [], "steps", None, "M",
                                              dt.datetime(2026, 12, 1)), manager)
    store.confirm_outcome(code, staff)
    ErasureService(store, keep_confirmed_outcomes=False).erase(manager)
    assert len(store.held_about(staff).outcomes) == 1
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT recorded_by FROM outcome").fetchall() == [(None,)]


def test_after_deletion_the_documents_folder_holds_none_of_the_persons_words(
        database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actions.privacy import erasure
    from actions.store import use_store
    from bot.journey_service import coach_journey
    from bot.privacy import SubjectAccess

    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    SubjectAccess(store, coach_journey()).download(alex)
    use_store(store)
    try:
        erasure().erase(alex)  # as the action server wires it
    finally:
        use_store(None)
    left = "\n".join(document_files.read(store.keyring, p).decode("utf-8")  # opened: the files are sealed
                     for p in (tmp_path / "documents").iterdir())
    assert [w for w in ALEX_WORDS if w in left] == []
