"""Storage on a real SQLite database: nothing typed is lost, and a person can erase everything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import inspect

from bot.store import CoachStore, open_store
from bot.store.repository import FOUND, TOO_MANY_MISSES, UNKNOWN, OutcomeRecord


def test_a_channel_user_maps_to_the_same_person_every_time(coach_store: CoachStore) -> None:
    assert coach_store.person_id("web:abc") == coach_store.person_id("web:abc")
    assert coach_store.person_id("web:abc") != coach_store.person_id("web:xyz")


def test_linking_a_second_channel_shares_the_record(coach_store: CoachStore) -> None:
    person = coach_store.person_id("teams:aad-1")
    coach_store.save_answer(person, "journal", "q1", "hello")
    coach_store.link("web:session-9", person)
    assert coach_store.answers(coach_store.person_id("web:session-9"))["q1"].text == "hello"


def test_an_edit_keeps_the_earlier_words_as_a_revision(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:a")
    coach_store.save_answer(person, "journal", "q1", "first words")
    coach_store.save_answer(person, "journal", "q1", "second words")
    assert coach_store.answers(person)["q1"].text == "second words"
    assert coach_store.revisions(person, "journal", "q1") == ["first words"]


def test_saving_the_same_answer_again_as_a_retried_turn_would_stores_nothing_twice(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:a")
    for _ in range(2):
        coach_store.save_answer(person, "journal", "q1", "first words")
    coach_store.save_answer(person, "journal", "q1", "second words")
    coach_store.save_answer(person, "journal", "q1", "second words")
    assert coach_store.revisions(person, "journal", "q1") == ["first words"]


def test_emoji_html_and_other_languages_are_stored_exactly(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:a")
    text = "<script>alert(1)</script> 😊 Rwy'n hoffi fy swydd — 我喜欢我的工作"
    coach_store.save_answer(person, "journal", "q1", text)
    assert coach_store.answers(person)["q1"].text == text


def test_only_chosen_answers_are_shared(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:a")
    coach_store.save_answer(person, "journal", "q1", "private")
    coach_store.save_answer(person, "journal", "q2", "for my manager")
    coach_store.set_shared(person, ["q2"])
    assert list(coach_store.shared_answers(person)) == ["q2"]


def test_erasing_a_person_removes_journal_plan_outcomes_and_rehearsals(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:a")
    coach_store.save_answer(person, "journal", "q1", "one")
    coach_store.save_answer(person, "journal", "q1", "two")
    coach_store.save_plan(person, segment_id="depth-solid-ready_now", confirmed=True)
    coach_store.save_outcome(
        OutcomeRecord(
            person,
            "depth-solid-ready_now",
            ["coaching"],
            "meet monthly",
            dt.date(2027, 3, 31),
            "manager",
            dt.datetime(2026, 11, 23),
        )
    )
    coach_store.save_rehearsal(person, "hca", {"open_share": 0.5})
    coach_store.erase_person(person)
    kept = coach_store.kept_data(person)
    assert kept.answers_by_flow == {} and kept.plan_status is None and kept.outcomes == 0 and kept.rehearsals == 0
    assert coach_store.revisions(person, "journal", "q1") == []


def test_data_survives_reopening_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    first = open_store(url)
    person = first.person_id("web:a")
    first.save_answer(person, "journal", "q1", "kept")
    second = open_store(url)  # migrations run again: an upgrade never loses data
    assert second.answers(second.person_id("web:a"))["q1"].text == "kept"


def test_migrations_create_every_table(coach_store: CoachStore) -> None:
    tables = set(inspect(coach_store.engine).get_table_names())
    assert {
        "person",
        "channel_identity",
        "answer",
        "answer_revision",
        "plan",
        "outcome",
        "rehearsal",
        "personal_document",
        "alembic_version",
    } <= tables


def test_upgrading_an_older_database_keeps_every_row(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from bot.store.migrations import upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}", future=True)
    upgrade(engine, "0001")  # a database from the first release
    with engine.begin() as db:
        db.execute(text("INSERT INTO person (id, created_at) VALUES ('p1', '2026-01-01 00:00:00')"))
        db.execute(text("INSERT INTO outcome (person_id, segment_id, interventions, next_steps, agreed_by, agreed_at,"
                        " confirmed_by_person) VALUES ('p1', 'depth-solid-ready_now', '[]', 'keep going', 'manager',"
                        " '2026-01-02 00:00:00', 1)"))
    store = open_store(str(engine.url))  # upgrades to the latest schema
    [kept] = store.outcomes()
    assert kept.person_id == "p1" and kept.next_steps == "keep going" and kept.confirmed_by_person


def test_sqlite_lets_one_server_read_while_the_other_writes(coach_store: CoachStore) -> None:
    # Write-ahead logging: the Rasa server and the action server share the file without blocking readers.
    with coach_store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL: synced at checkpoints
    reader = open_store(str(coach_store.engine.url), migrate=False)
    person = coach_store.person_id("web:writer")
    with coach_store.unit_of_work():
        coach_store.save_answer(person, "journal", "q1", "still being written")
        assert reader.answers(person) == {}  # the other process reads the last committed state, unblocked
    assert reader.answers(person)["q1"].text == "still being written"


def _recorded(coach_store: CoachStore, when: dt.datetime) -> str:
    record = OutcomeRecord(None, "depth-solid-ready_now", ["coaching"], "meet monthly", None, "line manager", when)
    return coach_store.record_outcome(record, recorded_by=coach_store.person_id("web:manager"), now=when)


def test_an_outcome_code_works_for_fourteen_days_then_finds_nothing(coach_store: CoachStore) -> None:
    recorded = dt.datetime(2026, 12, 1, 9, 0)
    code = _recorded(coach_store, recorded)
    staff = coach_store.person_id("web:staff")
    assert coach_store.pending_outcome(code, staff, now=recorded + dt.timedelta(days=13))[0] == FOUND
    late = recorded + dt.timedelta(days=15)
    assert coach_store.pending_outcome(code, staff, now=late) == (UNKNOWN, None)
    assert not coach_store.confirm_outcome(code, staff, now=late)
    assert coach_store.confirm_outcome(code, staff, now=recorded + dt.timedelta(days=13))


def test_guessing_outcome_codes_stops_after_a_few_misses_and_resumes_after_an_hour(coach_store: CoachStore) -> None:
    now = dt.datetime(2026, 12, 1, 9, 0)
    code = _recorded(coach_store, now)
    guesser, other = coach_store.person_id("web:guesser"), coach_store.person_id("web:other")
    wrong = ["ABC-234", "ABD-234", "ABE-234", "ABF-234", "ABG-234"]
    assert [coach_store.pending_outcome(g, guesser, now=now)[0] for g in wrong] == [UNKNOWN] * 5
    # Even the right code is not looked up now, so a lucky sixth guess reveals nothing.
    assert coach_store.pending_outcome(code, guesser, now=now + dt.timedelta(minutes=30)) == (TOO_MANY_MISSES, None)
    assert coach_store.pending_outcome(code, other, now=now)[0] == FOUND, "other people are not held back"
    assert coach_store.pending_outcome(code, guesser, now=now + dt.timedelta(minutes=61))[0] == FOUND
