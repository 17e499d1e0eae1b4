"""Rasa's SQL tracker store, configured from ``DATABASE_URL`` like the rest of the coach.

It also carries out "delete my data" for the conversation history: when a turn
ran ``action_delete_data``, every stored event of that conversation is deleted
and only what came after the deletion is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.settings import load_settings
from bot.store.repository import tune_sqlite

ERASE_ACTION = "action_delete_data"


class CoachTrackerStore(SQLTrackerStore):
    """Conversations kept in the coach's database, so they survive a restart."""

    def __init__(self, domain: Optional[Domain] = None, event_broker: Optional[EventBroker] = None,
                 **kwargs: Any) -> None:
        url = make_url(load_settings().database_url)
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
        tune_sqlite(self.engine, foreign_keys=False)

    async def save(self, tracker: DialogueStateTracker) -> None:
        events = list(tracker.events)
        erased_at = next((i for i in range(len(events) - 1, -1, -1)
                          if isinstance(events[i], ActionExecuted) and events[i].action_name == ERASE_ACTION), None)
        if erased_at is None:
            await super().save(tracker)
            return
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
            session.commit()
        remaining = DialogueStateTracker.from_events(
            tracker.sender_id, events[erased_at + 1:], slots=self.domain.slots if self.domain else None
        )
        await super().save(remaining)
