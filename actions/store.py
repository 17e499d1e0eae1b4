"""The action server's handle on storage, opened on first use (never at import).

Tests inject their own store with :func:`use_store`.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from bot.settings import load_settings
from bot.store import CoachStore, open_store

_store: Optional[CoachStore] = None


def store() -> CoachStore:
    """The shared repository, opened from ``DATABASE_URL`` on first use."""
    global _store
    if _store is None:
        _store = open_store(load_settings().database_url)
    return _store


def use_store(replacement: Optional[CoachStore]) -> None:
    """Use ``replacement`` from now on (tests, or a server with its own engine)."""
    global _store
    _store = replacement


def person_of(tracker: Tracker) -> str:
    """The pseudonymous person behind this conversation's sender id."""
    return store().person_id(tracker.sender_id)
