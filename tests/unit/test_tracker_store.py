"""The conversation store Rasa uses: recent conversations from memory, but never out of date."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.tracker_store import SESSION_EVENTS, CoachTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def make_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> CoachTrackerStore:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    return CoachTrackerStore(domain)


async def say(store: CoachTrackerStore, sender: str, text: str) -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


async def test_a_conversation_is_read_back_exactly_as_saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    for text in ["hi", "band 5 nurse", "skip"]:
        await say(store, "web:a", text)
    fresh = make_store(monkeypatch, tmp_path, domain)  # read from the database alone
    cached, stored = await store.retrieve("web:a"), await fresh.retrieve("web:a")
    assert cached is not None and stored is not None
    assert [e.as_dict() for e in cached.events] == [e.as_dict() for e in stored.events]


async def test_what_another_server_wrote_is_seen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 domain: Domain) -> None:
    mine, other = make_store(monkeypatch, tmp_path, domain), make_store(monkeypatch, tmp_path, domain)
    await say(mine, "web:b", "hello")
    await say(other, "web:b", "said through the other replica")
    tracker = await mine.retrieve("web:b")
    assert tracker is not None and tracker.latest_message.text == "said through the other replica"


async def test_a_turn_that_failed_half_way_is_read_from_the_database(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path, domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    await say(store, "web:c", "hello")
    tracker = await store.retrieve("web:c")
    assert tracker is not None
    tracker.update(SlotSet("flow", "journal"))  # the turn stops here: never saved
    again = await store.retrieve("web:c")
    assert again is not None and again.get_slot("flow") is None


async def test_delete_my_data_leaves_only_what_came_after(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    await say(store, "web:d", "something private")
    tracker = await store.retrieve("web:d")
    assert tracker is not None
    tracker.update(ActionExecuted("action_delete_data"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    for reader in (store, make_store(monkeypatch, tmp_path, domain)):
        after = await reader.retrieve("web:d")
        assert after is not None
        assert all(not isinstance(e, UserUttered) for e in after.events)


async def test_a_save_from_a_turn_older_than_the_last_saved_one_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path, domain: Domain) -> None:
    from bot.channels.lock_store import turn_ticket
    from bot.channels.tracker_store import TurnLapsed

    store = make_store(monkeypatch, tmp_path, domain)
    for ticket, text in [(10, "first"), (12, "second"), (12, "the same turn saves again")]:
        turn_ticket.set(ticket)
        await say(store, "web:f", text)
    turn_ticket.set(11)  # a turn that held the lock before ticket 12 and lost it
    with pytest.raises(TurnLapsed):
        await say(store, "web:f", "from the lapsed turn")
    turn_ticket.set(None)  # a server without the shared lock (make run) saves as before
    await say(store, "web:f", "one server")
    stored = await make_store(monkeypatch, tmp_path, domain).retrieve("web:f")
    assert stored is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == [
        "first", "second", "the same turn saves again", "one server"]


async def test_a_long_session_is_carried_into_a_new_one_with_its_state_and_last_turn(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    tracker = await store.get_or_create_tracker("web:long")
    tracker.update(SlotSet("flow", "journal"))
    tracker.update(ActiveLoop("coach_form"))
    await store.save(tracker)
    turns = SESSION_EVENTS // 3 + 1  # three events a turn: the last one takes the session past the limit
    for turn in range(turns):
        tracker = await store.get_or_create_tracker("web:long")
        tracker.update(UserUttered(f"answer {turn}", {"name": "inform", "confidence": 1.0}, message_id=f"m{turn}"))
        tracker.update(BotUttered("Next question", {"buttons": [{"title": "Skip", "payload": "/skip"}]}))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
    for reader in (store, make_store(monkeypatch, tmp_path, domain)):  # from memory and from the database alone
        carried = await reader.retrieve("web:long")
        assert carried is not None and len(carried.events) < 20
        assert carried.get_slot("flow") == "journal" and carried.active_loop_name == "coach_form"
        assert carried.latest_message.message_id == f"m{turns - 1}"
        assert carried.latest_bot_utterance.data["buttons"] == [{"title": "Skip", "payload": "/skip"}]
    everything = await store.retrieve_full_tracker("web:long")
    assert everything is not None and len(everything.events) > SESSION_EVENTS  # nothing stored is lost


async def test_a_session_under_the_limit_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    for turn in range(10):
        await say(store, "web:short", f"answer {turn}")
    tracker = await make_store(monkeypatch, tmp_path, domain).retrieve("web:short")
    assert tracker is not None and sum(isinstance(e, UserUttered) for e in tracker.events) == 10


class CountCheckingStore(CoachTrackerStore):
    """Also runs Rasa's count query at every save, and records what the save knew from memory beside it."""

    def __init__(self, domain: Domain) -> None:
        super().__init__(domain)
        self.counts: List[Tuple[Optional[int], int]] = []

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        from bot.channels.tracker_store import _stored_count

        by_query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        self.counts.append((_stored_count.get(), by_query))
        return super()._additional_events(session, tracker)


async def test_a_cached_conversation_is_saved_without_counting_or_looking_up_its_stored_events(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, domain: Domain) -> None:
    store = make_store(monkeypatch, tmp_path, domain)
    await say(store, "web:count", "first")  # read from the database: Rasa counts what is stored
    statements: List[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: statements.append(statement.lower()))
    for turn in range(3):
        await say(store, "web:count", f"answer {turn}")
    assert statements and not [s for s in statements if "count(" in s]
    # One look for the latest stored event per turn, to see whether another server wrote: none after the save.
    assert len([s for s in statements if "max(" in s]) == 3
    assert store._recent["web:count"].last_event_id == store._last_event_id("web:count")  # what the save noted
    stored = await make_store(monkeypatch, tmp_path, domain).retrieve("web:count")
    assert stored is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["first", "answer 0", "answer 1",
                                                                             "answer 2"]


async def test_the_count_from_memory_is_the_count_rasa_would_query(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                   domain: Domain) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    store, other = CountCheckingStore(domain), CoachTrackerStore(domain)
    tracker = await store.get_or_create_tracker("web:same")  # a new conversation, then its first session
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    for turn in range(SESSION_EVENTS // 3 + 5):  # into a carried session and on
        await say(store, "web:same", f"answer {turn}")
        if turn == 3:
            await say(other, "web:same", "through another replica")
        if turn == 5:
            failed = await store.retrieve("web:same")
            assert failed is not None
            failed.update(SlotSet("flow", "journal"))  # a turn that stopped half-way: never saved
    from_memory = [(known, by_query) for known, by_query in store.counts if known is not None]
    assert len(from_memory) > SESSION_EVENTS // 3 - 5
    assert all(known == by_query for known, by_query in from_memory)
    everything = await store.retrieve_full_tracker("web:same")
    assert everything is not None
    said = [e.text for e in everything.events if isinstance(e, UserUttered)]
    assert said.count("through another replica") == 1 and said[-1] == f"answer {SESSION_EVENTS // 3 + 4}"
