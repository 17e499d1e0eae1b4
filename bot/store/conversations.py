"""The conversation history as the coach's core sees it: Rasa's ``events`` table and the turn fences.

Rasa's tracker store (``bot.channels.tracker_store``) writes both tables, in the same database as the coach's
own (``DATABASE_URL``). The core reads and deletes them here, by conversation (sender) id, without importing
Rasa: a person's export lists the turns of all their conversations, and "delete my data" deletes them.

Who deletes which conversation:
- The action server deletes, here, the stored events and fences of *every* conversation of the person
  (:func:`forget`), in the same run as their rows. Only it knows all their sender ids (``channel_identity``),
  and a conversation the person is not using right now has no turn in flight through which the Rasa server
  could do it.
- The conversation in which they asked is also finished by the tracker store: the turn that ran
  ``action_delete_data`` is saved after the action returns, so only the tracker store can drop that turn's own
  events (everything before the deletion) and keep what came after it (see its ``save``).
- A tracker store keeps recent conversations in memory, each checked against its last stored event id before
  it is used, so a conversation deleted here is read afresh (empty) by every replica; the replica that ran
  the deletion also drops its copies of all the person's conversations at once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.store.events import SealedEvent
from bot.store.models import ChannelIdentity

# Rasa's events table as the coach maps it, its data sealed (bot.store.events): read here, it is opened.
EVENTS: sa.Table = SealedEvent.__table__
# The turn fences of the replicas' turn lock: one row per conversation, holding the last turn's ticket.
FENCES = sa.Table("coach_turn_fences", sa.MetaData(),
                  sa.Column("sender_id", sa.String(255), primary_key=True),
                  sa.Column("ticket", sa.BigInteger, nullable=False))
# What the person and the coach said; every other event (slots, actions, sessions) is the coach's bookkeeping.
SAID = {"user": "you", "bot": "coach"}


@dataclass(frozen=True)
class ConversationTurn:
    """One message of a conversation, as kept: who said it, when, and the words."""

    conversation: str  # the sender id
    at: Optional[dt.datetime]
    speaker: str  # "you" or "coach"
    text: str


def _exists(bind: Connection | Engine, table: sa.Table) -> bool:
    return bool(sa.inspect(bind).has_table(table.name))


def _event_data(raw: Optional[str]) -> dict[str, Any]:
    """An event's stored JSON (already opened by its sealed column)."""
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def turns(connection: Connection, sender_ids: Sequence[str]) -> list[ConversationTurn]:
    """Every message stored for these conversations, oldest first within each conversation."""
    if not sender_ids or not _exists(connection, EVENTS):
        return []
    query = (sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
             .where(EVENTS.c.sender_id.in_(list(sender_ids)), EVENTS.c.type_name.in_(list(SAID)))
             .order_by(EVENTS.c.sender_id, EVENTS.c.id))
    found = []
    for sender, kind, stamp, raw in connection.execute(query):
        text = _event_data(raw).get("text")
        if not text:  # a bot message with only buttons or a file
            continue
        at = dt.datetime.fromtimestamp(stamp, dt.timezone.utc) if stamp is not None else None
        found.append(ConversationTurn(str(sender), at, SAID[str(kind)], str(text)))
    return found


def forget(connection: Connection, sender_ids: Sequence[str]) -> int:
    """Delete the stored events and turn fences of these conversations, in the caller's transaction; returns
    how many events went."""
    deleted = 0
    if sender_ids and _exists(connection, EVENTS):
        deleted = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(list(sender_ids)))).rowcount
    if sender_ids and _exists(connection, FENCES):
        # The turn of the conversation in which the person asked raises its fence again as it saves: that
        # conversation goes on, afresh, after the deletion.
        connection.execute(sa.delete(FENCES).where(FENCES.c.sender_id.in_(list(sender_ids))))
    return int(deleted or 0)


def same_person(engine: Engine, sender_id: str) -> list[str]:
    """``sender_id`` and every other conversation id of the same person (just ``sender_id`` when unknown)."""
    if not _exists(engine, ChannelIdentity.__table__):
        return [sender_id]
    person = sa.select(ChannelIdentity.person_id).where(ChannelIdentity.sender_id == sender_id).scalar_subquery()
    with engine.connect() as connection:
        others = connection.execute(sa.select(ChannelIdentity.sender_id).where(ChannelIdentity.person_id == person))
        return list(dict.fromkeys([sender_id, *(str(s) for s in others.scalars())]))
