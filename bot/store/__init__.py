"""Storage: SQLAlchemy models, the repository the actions use, and migrations.

No engine is created at import time: call :func:`bot.store.repository.open_store`.
"""

from bot.store.repository import CoachStore, open_store

__all__ = ["CoachStore", "open_store"]
