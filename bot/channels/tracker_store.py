"""Rasa's SQL tracker store, configured from ``DATABASE_URL`` like the rest of the coach.

- "Delete my data" for the conversation history: when a turn ran
  ``action_delete_data``, every stored event of that conversation is deleted and
  only what came after the deletion is kept. The action server has already
  deleted the person's other conversations (``bot.store.conversations`` says who
  deletes what); this server's memory drops its copies of all of them.
- Recent conversations stay in memory, so a turn does not rebuild the whole
  conversation from the database (a cost that grows with every turn). A cached
  conversation is used only while the database agrees with it: its last stored
  event id is unchanged (no other server wrote to it) and it holds exactly the
  events that were saved (a turn that failed half-way is read afresh). Saving such a conversation counts its
  stored events from memory (:func:`stored_in_latest_session`) and notes the ids it writes, so a save needs
  no queries besides its own writes.
- Fencing, with the replicas' turn lock (``bot.channels.lock_store``): a save
  carries its turn's ticket, and a save with a ticket older than the last one
  stored for the conversation is refused (:class:`TurnLapsed`). A replica that
  stalled past its lease cannot write over the turn that came after it.
- A conversation session that has grown long is carried into a new one at the end of a turn (:func:`carried_over`):
  the new session opens with the conversation's state (slots, the active form) and the last turn again, so what
  the next turn needs (the coach's last question and buttons, the message id a client may send again) is there.
  Rasa reads, predicts from and sends to the action server only the latest session, so a turn's cost stays
  flat however long the conversation; the coach's own records hold the journey, and every event stays stored.
- Each event's ``data`` (what the person typed, what the coach replied, the slots) is sealed at rest
  (``bot.store.sealing``). Its other columns hold only names from the domain (event type, intent, action or
  slot; Rasa turns an unknown ``/intent`` back into text) and the time, which Rasa's queries need.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, List, Optional

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.lock_store import turn_ticket
from bot.settings import load_settings
from bot.store import conversations
from bot.store.events import EventsBase, SealedEvent
from bot.store.repository import make_engine
from bot.store.sealing import load_keyring, seal_with

ERASE_ACTION = "action_delete_data"
RECENT_CONVERSATIONS = 512
# A session longer than this many events (about 20 turns) is carried into a new one at the end of a turn.
SESSION_EVENTS = 200

_FENCES = conversations.FENCES  # "delete my data" deletes a person's fences with their events (bot.privacy)
# Raises the conversation's fence to the turn's ticket; no row changes when a later turn already saved.
_PASS_FENCE = sa.text(
    "INSERT INTO coach_turn_fences (sender_id, ticket) VALUES (:sender_id, :ticket) "
    "ON CONFLICT (sender_id) DO UPDATE SET ticket = excluded.ticket WHERE coach_turn_fences.ticket <= excluded.ticket"
)

# How many events of the conversation's latest session are stored, when the save knows it from memory.
_stored_count: ContextVar[Optional[int]] = ContextVar("stored_count", default=None)
# The ids of the events a save wrote, collected as they are written (a save's flush, :meth:`_note_written`).
_written_ids: ContextVar[Optional[List[int]]] = ContextVar("written_ids", default=None)


def stored_in_latest_session(stored: Iterable[Event]) -> int:
    """The number Rasa's save counts with a query: stored events from the latest ``SessionStarted`` on (by
    timestamp), or all of them when no session has started. ``stored`` holds every stored event of the
    conversation at or after that start, as a cached conversation does."""
    events = list(stored)
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return len(events)
    start = max(starts)
    return sum(e.timestamp >= start for e in events)


def carried_over(tracker: DialogueStateTracker, domain: Domain, now: float) -> List[Event]:
    """A new session's opening events when the latest session has grown past ``SESSION_EVENTS``, else none.

    It holds the state the last turn started from (slots and active form), then that turn again, timed ``now``:
    Rasa reads a session from its latest ``SessionStarted`` by time, so the earlier copies stay in the old one.
    """
    events = list(tracker.events)
    start = max((i for i, e in enumerate(events) if isinstance(e, SessionStarted)), default=0)
    turn = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=-1)
    if len(events) - start <= SESSION_EVENTS or turn <= start:
        return []
    before = DialogueStateTracker.from_events(tracker.sender_id, events[start:turn], slots=domain.slots)
    state: List[Event] = [SlotSet(slot.name, slot.value) for slot in before.slots.values()
                          if slot.value != slot.initial_value]
    if before.active_loop_name:
        state.append(ActiveLoop(before.active_loop_name))
    opening = [SessionStarted(), *state, ActionExecuted(ACTION_LISTEN_NAME), *events[turn:]]
    # Distinct times in order: a session is read from its start's time on, in the order the rows were written.
    return [Event.from_parameters({**e.as_dict(), "timestamp": now + i * 1e-6}) for i, e in enumerate(opening)]


class TurnLapsed(LockError):
    """A turn whose lease lapsed tried to save after a later turn of the same conversation: refused, so the
    conversation holds only the later turn (the person is told to send the message again)."""


@dataclass
class _Recent:
    last_event_id: Optional[int]
    event_count: int
    tracker: DialogueStateTracker


class CoachTrackerStore(SQLTrackerStore):
    """Conversations kept in the coach's database, so they survive a restart."""

    Base = EventsBase  # Rasa reads and writes events through these two: ``data`` is sealed on the way
    SQLEvent = SealedEvent

    def __init__(self, domain: Optional[Domain] = None, event_broker: Optional[EventBroker] = None,
                 **kwargs: Any) -> None:
        settings = load_settings()
        keyring = load_keyring(settings)  # no keys, no start: conversations are never stored unsealed
        url = make_url(settings.database_url)
        if url.drivername.startswith("sqlite") and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "rasa",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            login_db=kwargs.get("login_db"),
            query=dict(url.query) or None,
        )
        # The coach store's engine: pooled and write-ahead-logged for SQLite; for PostgreSQL, connections are
        # checked before use, so a database restart costs no failed turn.
        self.engine.dispose()  # type: ignore[has-type]  # Rasa leaves it unannotated
        self.engine = seal_with(make_engine(str(url), foreign_keys=False), keyring)
        self.sessionmaker = sessionmaker(bind=self.engine)
        sa.event.listen(self.sessionmaker, "after_flush", self._note_written)
        _FENCES.create(self.engine, checkfirst=True)
        with self.session_scope() as session:  # opening the latest event: wrong keys stop the server at its start
            session.query(self.SQLEvent.data).order_by(self.SQLEvent.id.desc()).limit(1).scalar()
        self._recent: OrderedDict[str, _Recent] = OrderedDict()

    def _last_event_id(self, sender_id: str) -> Optional[int]:
        with self.session_scope() as session:
            found = session.query(sa.func.max(self.SQLEvent.id)).filter(self.SQLEvent.sender_id == sender_id)
            return found.scalar()  # type: ignore[no-any-return]

    def _note_written(self, session: Session, flush_context: Any) -> None:
        written = _written_ids.get()
        if written is not None:
            written.extend(row.id for row in session.new if isinstance(row, self.SQLEvent))

    def _remember(self, tracker: DialogueStateTracker, since: int, last_event_id: Optional[int] = None) -> None:
        """Keep ``tracker`` as the stored state, unless a new session began after event ``since`` (then the
        next read trims it to that session). ``last_event_id`` is the id of the last event the save wrote."""
        if since > 0 and any(isinstance(e, SessionStarted) for e in islice(tracker.events, since, None)):
            self._recent.pop(tracker.sender_id, None)
            return
        if last_event_id is None:
            last_event_id = self._last_event_id(tracker.sender_id)
        self._recent[tracker.sender_id] = _Recent(last_event_id, len(tracker.events), tracker)
        self._recent.move_to_end(tracker.sender_id)
        while len(self._recent) > RECENT_CONVERSATIONS:
            self._recent.popitem(last=False)

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Any:
        # Rasa calls this inside save's transaction, before it adds the turn's events: the fence is raised in
        # that same transaction, so on PostgreSQL a concurrent save of the conversation waits for this one.
        ticket = turn_ticket.get()
        if ticket is not None:
            passed = session.execute(_PASS_FENCE, {"sender_id": tracker.sender_id, "ticket": ticket}).rowcount
            if not passed:
                raise TurnLapsed(f"A later turn of the conversation was saved already (ticket {ticket} lapsed)")
        stored = _stored_count.get()
        if stored is None:
            return super()._additional_events(session, tracker)
        return islice(tracker.events, stored, None)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        recent = self._recent.get(sender_id)
        if recent is not None and len(recent.tracker.events) == recent.event_count \
                and recent.last_event_id == self._last_event_id(sender_id):
            self._recent.move_to_end(sender_id)
            return recent.tracker
        self._recent.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(tracker, 0)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        recent = self._recent.get(tracker.sender_id)
        since = recent.event_count if recent is not None and recent.tracker is tracker else 0
        new = list(islice(tracker.events, since, None))  # only what this turn added, for a cached conversation
        erased_at = next((i for i in range(len(new) - 1, -1, -1)
                          if isinstance(new[i], ActionExecuted) and new[i].action_name == ERASE_ACTION), None)
        if erased_at is None:
            carried = carried_over(tracker, self.domain, time.time()) if self.domain else []
            if carried:  # saved with the turn, in its transaction
                tracker = DialogueStateTracker.from_events(tracker.sender_id, [*tracker.events, *carried],
                                                           slots=self.domain.slots if self.domain else None)
            # A cached conversation's first ``since`` events are the stored ones, so they are counted from memory.
            known = _stored_count.set(stored_in_latest_session(islice(tracker.events, since)) if since else None)
            # The ids it writes are noted as it writes them, so the cache needs no query for the last one.
            written: List[int] = []
            noting = _written_ids.set(written)
            try:
                await super().save(tracker)
            finally:
                _stored_count.reset(known)
                _written_ids.reset(noting)
            self._remember(tracker, since, max(written, default=None))
            return
        for conversation in conversations.same_person(self.engine, tracker.sender_id):
            self._recent.pop(conversation, None)  # not served from memory again
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
            session.commit()
        remaining = DialogueStateTracker.from_events(
            tracker.sender_id, new[erased_at + 1:], slots=self.domain.slots if self.domain else None
        )
        await super().save(remaining)


def create_tables() -> None:
    """Create the conversation table, once, before several Rasa replicas start on a new database (each would
    otherwise try at the same moment): ``python -m bot.channels.tracker_store``."""
    CoachTrackerStore().engine.dispose()


if __name__ == "__main__":  # pragma: no cover
    create_tables()
