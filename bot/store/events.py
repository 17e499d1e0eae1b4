"""Rasa's ``events`` table, as the coach maps it: the conversation, one row per event, with ``data`` sealed.

The columns are those of Rasa's ``SQLTrackerStore.SQLEvent``; ``bot.channels.tracker_store`` has Rasa read and
write through this class, and ``coach keys rotate`` reseals it like the coach's own tables.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from bot.store.sealing import SealedText

EventsBase: Any = declarative_base()  # its own metadata: the table is Rasa's, created by the tracker store


class SealedEvent(EventsBase):
    """One stored conversation event. ``data`` is the event as JSON (what the person typed, what the coach
    replied, slot values), sealed; the other columns hold only names from the domain and the time."""

    __tablename__ = "events"
    id = sa.Column(sa.Integer, sa.Sequence("events_seq", optional=True), primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    type_name = sa.Column(sa.String(255), nullable=False)
    timestamp = sa.Column(sa.Float)
    intent_name = sa.Column(sa.String(255))
    action_name = sa.Column(sa.String(255))
    data = sa.Column(SealedText)
