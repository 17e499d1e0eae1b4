"""Retention on a real SQLite database, with the clock moved: after `coach retention run` nothing past its time
is left in any table (Rasa's events and the turn fences included) or in the documents folder, and everything
within its time is, read back opened with the data keys."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.channels.lock_store import turn_ticket
from bot.channels.tracker_store import CoachTrackerStore
from bot.cli import main
from bot.documents import PLAN, SHARE, publish_personal
from bot.privacy import describe_kept
from bot.retention import Retention, RetentionPolicy
from bot.settings import BadSetting, load_settings
from bot.store import CoachStore, conversations, open_store
from bot.store.events import EventsBase
from bot.store.models import Answer, AnswerRevision, ChannelIdentity, Outcome, Person, Plan, Rehearsal
from bot.store.repository import KeptData, OutcomeRecord

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2027, 6, 1, 2, 30)  # the moved clock: the run happens "now"
DAY = dt.timedelta(days=1)
POLICY = RetentionPolicy(conversations_days=90, inactive_days=365, unconfirmed_outcomes_days=0,
                         confirmed_outcomes_days=None, keep_confirmed_outcomes=False, plan_link_days=1,
                         share_link_days=14, audit_days=365)
ALEX_WORDS = ["quokkas on the night shift", "an older quokka answer", "the walrus I told the coach on Teams",
              "flamingo next steps"]
BEA_WORDS = ["marmots in outpatients", "a narwhal revision", "the heron I mentioned in spring",
             "ibis steps nobody confirmed", "kestrel steps still waiting"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "coach.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    yield path
    turn_ticket.set(None)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def at(days_ago: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days_ago)


def stamp(days_ago: float) -> float:
    return at(days_ago).replace(tzinfo=dt.timezone.utc).timestamp()


async def converse(rasa: CoachTrackerStore, sender: str, said: str, days_ago: float, ticket: int) -> None:
    """One turn, saved as the Rasa server saves it (fence included), at a time ``days_ago`` before the run."""
    turn_ticket.set(ticket)
    when = stamp(days_ago)
    tracker = await rasa.get_or_create_tracker(sender)
    tracker.update(UserUttered(said, {"name": "inform", "confidence": 1.0}, input_channel="web", timestamp=when))
    tracker.update(BotUttered(f"Thanks, I've noted: {said}", timestamp=when))
    tracker.update(ActionExecuted("action_listen", timestamp=when))
    await rasa.save(tracker)
    with rasa.engine.begin() as connection:  # Rasa stamps a new conversation's first event with the real clock
        connection.execute(sa.update(conversations.EVENTS).where(conversations.EVENTS.c.sender_id == sender,
                                                                 conversations.EVENTS.c.timestamp > when)
                           .values(timestamp=when))


def age(store: CoachStore, person: str, days_ago: float) -> None:
    """Make every row of the person as old as ``days_ago``: when they were made, changed or agreed."""
    when = at(days_ago)
    with store.session() as s:
        s.execute(sa.update(Person).where(Person.id == person).values(created_at=when))
        s.execute(sa.update(ChannelIdentity).where(ChannelIdentity.person_id == person).values(created_at=when))
        answers = sa.select(Answer.id).where(Answer.person_id == person)
        s.execute(sa.update(AnswerRevision).where(AnswerRevision.answer_id.in_(answers)).values(replaced_at=when),
                  execution_options={"synchronize_session": False})
        s.execute(sa.update(Answer).where(Answer.person_id == person).values(updated_at=when))
        s.execute(sa.update(Plan).where(Plan.person_id == person).values(updated_at=when))
        s.execute(sa.update(Rehearsal).where(Rehearsal.person_id == person).values(created_at=when))
        s.execute(sa.update(Outcome).where(Outcome.person_id == person).values(agreed_at=when))


def outcome(steps: str) -> OutcomeRecord:
    return OutcomeRecord(None, "mid-solid-depth", ["coaching"], steps, dt.date(2027, 9, 1), "Manager M", at(400))


async def fill(store: CoachStore, domain: Domain) -> tuple[str, str]:
    """Alex last used the coach 400 days ago (two chats); Bea 10 days ago, with a chat from 100 days ago."""
    rasa = CoachTrackerStore(domain)
    alex = store.person_id("web:alex")
    store.link("teams:alex", alex)
    store.save_answer(alex, "journal", "journal.details.role", ALEX_WORDS[1])
    store.save_answer(alex, "journal", "journal.details.role", ALEX_WORDS[0])
    store.save_plan(alex, segment_id="mid-solid-depth", interventions=["coaching"], confirmed=True)
    store.save_rehearsal(alex, "band7-specialist", {"open_share": 0.5})
    code = store.record_outcome(outcome(ALEX_WORDS[3]), "manager", now=at(410))
    assert store.confirm_outcome(code, alex, now=at(400))
    publish_personal({"html": "<p>Alex's plan</p>"}, owner=alex, kind=PLAN, store=store, now=at(400))
    age(store, alex, 400)
    await converse(rasa, "web:alex", ALEX_WORDS[0], 401, 1)
    await converse(rasa, "teams:alex", ALEX_WORDS[2], 400, 2)

    bea = store.person_id("web:bea")
    store.link("web:bea-spring", bea)
    store.save_answer(bea, "journal", "journal.details.role", BEA_WORDS[1])
    store.save_answer(bea, "journal", "journal.details.role", BEA_WORDS[0])
    age(store, bea, 200)
    await converse(rasa, "web:bea-spring", BEA_WORDS[2], 100, 3)
    await converse(rasa, "web:bea", "hello again", 10, 4)
    store.record_outcome(outcome(BEA_WORDS[3]), bea, now=at(20))  # its code expired 6 days ago
    store.record_outcome(outcome(BEA_WORDS[4]), bea, now=at(5))  # its code works for 9 more days
    publish_personal({"html": "<p>Bea's old plan</p>"}, owner=bea, kind=PLAN, store=store, now=at(30))
    publish_personal({"html": "<p>Bea's plan</p>"}, owner=bea, kind=SHARE, store=store, now=at(2))
    return alex, bea


def rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return list(db.execute(f'SELECT * FROM "{table}"'))


def tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def opened(store: CoachStore) -> str:
    """Everything left, read as the coach reads it (opened with the data keys): every row of every person, every
    outcome, every conversation."""
    with store.session() as s:
        people = list(s.execute(sa.select(Person.id)).scalars())
        senders = sorted({str(sender) for sender in s.execute(sa.select(conversations.EVENTS.c.sender_id)).scalars()})
        said = conversations.turns(s.connection(), senders)
    held = [store.held_about(person) for person in people]
    return json.dumps([repr(h) for h in held] + [repr(o) for o in store.outcomes()] + [t.text for t in said])


async def test_a_run_with_the_clock_moved_leaves_nothing_past_its_time_and_everything_within_it(
        database: Path, domain: Domain, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, bea = await fill(store, domain)
    folder = load_settings().documents_dir
    bea_share = store.documents(bea, SHARE)[0].name

    assert main(["retention", "run", "--now", NOW.isoformat(), "--batch-size", "1"]) == 0

    printed = capsys.readouterr().out
    assert "conversations past their time: 3" in printed  # Alex's two, and Bea's from spring
    assert "people inactive past their time (their data): 1" in printed
    assert "unconfirmed outcomes: 1" in printed and "expired documents and share links: 1" in printed
    assert not any(word in printed for word in ALEX_WORDS + BEA_WORDS)  # counts only, never content
    # Every table, read raw: no row of Alex's, no conversation past its time, no fence of one.
    assert {"events", "coach_turn_fences", "person", "answer", "outcome", "personal_document"} <= set(tables(database))
    for table in tables(database):
        assert not [row for row in rows(database, table) if alex in row], table
    assert {row[1] for row in rows(database, "events")} == {"web:bea"}
    assert {row[0] for row in rows(database, "coach_turn_fences")} == {"web:bea"}
    assert {row[2] for row in rows(database, "channel_identity")} == {bea}
    assert [row[0] for row in rows(database, "personal_document")] == [bea_share]
    assert sorted(p.name for p in folder.iterdir()) == [f"{bea_share}.html"]
    # Opened with the data keys: none of Alex's words, nor Bea's old chat or lapsed outcome; the rest of Bea's.
    left = opened(store)
    assert [w for w in ALEX_WORDS + BEA_WORDS if w in left] == [BEA_WORDS[0], BEA_WORDS[1], BEA_WORDS[4]]
    assert "hello again" in left
    # Bea's inactivity still counts from her spring chat, though its words are gone.
    with store.session() as s:
        assert abs((s.get(Person, bea).last_active_at - at(100)).total_seconds()) < 1


async def test_a_dry_run_counts_the_same_and_removes_nothing(database: Path, domain: Domain,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(f"sqlite:///{database}")
    await fill(store, domain)
    before = {table: rows(database, table) for table in tables(database)}
    assert main(["retention", "run", "--dry-run", "--now", NOW.isoformat()]) == 0
    dry = capsys.readouterr().out
    assert {table: rows(database, table) for table in tables(database)} == before
    assert main(["retention", "run", "--now", NOW.isoformat()]) == 0
    done = capsys.readouterr().out
    assert dry.splitlines()[1:] == done.splitlines()[1:]


async def test_a_confirmed_outcome_the_policy_keeps_stays_with_its_person_and_goes_after_its_own_period(
        database: Path, domain: Domain) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = await fill(store, domain)
    keeping = RetentionPolicy(**{**POLICY.__dict__, "keep_confirmed_outcomes": True, "confirmed_outcomes_days": 500})
    removed = Retention(store, keeping).run(NOW)
    assert (removed.people, removed.records) == (1, 0)
    assert [o.next_steps for o in store.held_about(alex).outcomes] == [ALEX_WORDS[3]]
    assert store.answers(alex) == {} and store.plan(alex) is None and store.sender_ids(alex)
    again = Retention(store, keeping).run(NOW)  # nothing more to do: not counted again
    assert (again.people, again.records, again.confirmed_outcomes) == (0, 0, 0)
    later = Retention(store, keeping).run(NOW + 101 * DAY)  # 501 days after the conversation
    assert (later.confirmed_outcomes, later.people, later.records) == (1, 1, 1)
    assert store.held_about(alex).created_at is None


async def test_a_person_who_chatted_within_their_time_keeps_their_journal(database: Path, domain: Domain) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = await fill(store, domain)
    await converse(CoachTrackerStore(domain), "teams:alex", "just reading my journal", 364, 5)
    Retention(store, POLICY).run(NOW)
    assert store.answers(alex)  # their answers are old, but they used the coach 364 days ago
    removed = Retention(store, POLICY).run(NOW + 2 * DAY)  # the chat itself is gone by now: its time is kept
    assert removed.people == 1 and store.answers(alex) == {}


def test_never_keeps_without_limit(database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    person = store.person_id("web:old")
    store.save_answer(person, "journal", "journal.details.role", "kept")
    age(store, person, 5000)
    never = RetentionPolicy(None, None, None, None, False, 7, 14, 365)
    assert Retention(store, never).run(NOW).people == 0 and store.answers(person)


def test_audit_entries_past_their_time_go_in_the_same_run(database: Path) -> None:
    from bot import audit

    store = open_store(f"sqlite:///{database}")
    person = store.person_id("web:audited")
    audit.record(store, audit.EXPORTED, audit.PERSON, person, now=NOW - dt.timedelta(days=400))
    audit.record(store, audit.EXPORTED, audit.PERSON, person, now=NOW - dt.timedelta(days=10))
    assert Retention(store, POLICY).run(NOW).audit_entries == 1
    assert len(audit.entries(store, person)) == 1


def test_the_policy_comes_from_the_settings_with_never_and_refuses_nonsense() -> None:
    assert RetentionPolicy.from_settings(load_settings({})) == POLICY
    policy = RetentionPolicy.from_settings(load_settings({
        "COACH_KEEP_CONVERSATIONS_DAYS": "30", "COACH_KEEP_INACTIVE_DAYS": "never",
        "COACH_KEEP_UNCONFIRMED_OUTCOMES_DAYS": "7", "COACH_KEEP_CONFIRMED_OUTCOMES_DAYS": "2_190"}))
    assert (policy.conversations_days, policy.inactive_days, policy.unconfirmed_outcomes_days,
            policy.confirmed_outcomes_days) == (30, None, 7, 2190)
    for name, value in [("COACH_KEEP_CONVERSATIONS_DAYS", "0"), ("COACH_KEEP_INACTIVE_DAYS", "a year"),
                        ("COACH_KEEP_UNCONFIRMED_OUTCOMES_DAYS", "-1")]:
        with pytest.raises(BadSetting, match=name):
            load_settings({name: value})


def test_the_coach_tells_the_person_how_long_it_keeps_their_data_from_the_policy() -> None:
    text = describe_kept(KeptData(), {}, RetentionPolicy.from_settings(load_settings({
        "COACH_KEEP_CONVERSATIONS_DAYS": "30", "COACH_KEEP_INACTIVE_DAYS": "200",
        "COACH_KEEP_CONFIRMED_OUTCOMES": "true"})))
    assert "conversation history so you can pick up where you left off, for 30 days after its last message" in text
    assert ("If you don't use the coach for 200 days, I delete everything I keep about you, except outcomes you "
            "confirmed with your manager, which your organisation's policy keeps.") in text
    never = describe_kept(KeptData(), {}, RetentionPolicy.from_settings(load_settings({
        "COACH_KEEP_CONVERSATIONS_DAYS": "never", "COACH_KEEP_INACTIVE_DAYS": "never"})))
    assert "days" not in never


def test_retention_show_prints_the_policy_in_force(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COACH_KEEP_CONVERSATIONS_DAYS", "45")
    monkeypatch.setenv("COACH_KEEP_CONFIRMED_OUTCOMES", "true")
    assert main(["retention", "show"]) == 0
    shown = capsys.readouterr().out
    assert "conversation history (Rasa's events) and turn fences: 45 days after" in shown
    assert "365 days after they last used the coach (COACH_KEEP_INACTIVE_DAYS)" in shown
    assert "set COACH_KEEP_CONFIRMED_OUTCOMES_DAYS" in shown


def test_a_bad_now_is_refused_kindly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["retention", "run", "--now", "next tuesday"]) == 2
    assert "is not an ISO date or time" in capsys.readouterr().err


# -- the property: random ages against a random policy ------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with Rasa's tables, copied for each example (migrating each time is slow)."""
    import os

    from tests.e2e.servers import DATA_KEYS

    os.environ.setdefault("COACH_DATA_KEYS", DATA_KEYS)
    path = tmp_path_factory.mktemp("template") / "coach.db"
    store = open_store(f"sqlite:///{path}")
    EventsBase.metadata.create_all(store.engine)
    conversations.FENCES.create(store.engine)
    store.engine.dispose()
    return path


def gone(age_days: int, keep: Optional[int]) -> bool:
    return keep is not None and age_days > keep


people = st.lists(st.tuples(st.integers(0, 900), st.lists(st.integers(0, 900), min_size=1, max_size=2)),
                  min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people, conversations_days=st.sampled_from([None, 1, 30, 90]),
       inactive_days=st.sampled_from([None, 30, 180, 365]), moved=st.integers(0, 400))
def test_whatever_the_ages_and_policy_nothing_past_its_time_remains_and_nothing_within_it_goes(
        template: Path, tmp_path: Path, people: list[tuple[int, list[int]]], conversations_days: Optional[int],
        inactive_days: Optional[int], moved: int) -> None:
    path = tmp_path / f"example-{abs(hash((str(people), conversations_days, inactive_days, moved)))}.db"
    shutil.copy(template, path)
    store = open_store(f"sqlite:///{path}", migrate=False)
    expected_people, expected_chats = set(), set()
    for number, (rows_age, chat_ages) in enumerate(people):
        person = store.person_id(f"web:p{number}c0")
        store.save_answer(person, "journal", "journal.details.role", f"answer of person {number}")
        for chat, chat_age in enumerate(chat_ages):
            sender = f"web:p{number}c{chat}"
            store.link(sender, person)
            with store.session() as s:
                s.execute(conversations.EVENTS.insert().values(
                    sender_id=sender, type_name="user", timestamp=stamp(chat_age - moved),
                    data=json.dumps({"text": f"said by person {number} in chat {chat}"})))
                s.execute(conversations.FENCES.insert().values(sender_id=sender, ticket=1))
        age(store, person, max(rows_age, *chat_ages) - moved)  # made no later than they first chatted
        with store.session() as s:
            s.execute(sa.update(Answer).where(Answer.person_id == person).values(updated_at=at(rows_age - moved)))
        last_active = min(rows_age, *chat_ages)
        if not gone(last_active, inactive_days):
            expected_people.add(person)
            expected_chats |= {f"web:p{number}c{chat}" for chat, chat_age in enumerate(chat_ages)
                               if not gone(chat_age, conversations_days)}
    policy = RetentionPolicy(conversations_days, inactive_days, 0, None, False, 7, 14, 365)

    Retention(store, policy, batch_size=2).run(NOW + moved * DAY)

    left_people = {str(p) for (p, *_) in rows(path, "person")}
    assert left_people == expected_people
    assert {str(r[1]) for r in rows(path, "events")} == expected_chats
    assert {str(r[0]) for r in rows(path, "coach_turn_fences")} == expected_chats
    assert {str(r[1]) for r in rows(path, "answer")} == expected_people
    with store.session() as s:
        said = conversations.turns(s.connection(), sorted(expected_chats))
    assert len(said) == len(expected_chats)  # each opens with the data keys
    store.engine.dispose()
