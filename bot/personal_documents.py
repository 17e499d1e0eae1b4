"""Personal documents (a person's plan, a page shared with their manager) belong to the person and do not last:
which may be served, withdrawing them, and purging what has expired. Rendering and publishing are in
:mod:`bot.documents`; the records and files in :mod:`bot.store`."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot import audit
from bot.documents import SHARE, same_for_everyone
from bot.store import CoachStore, document_files
from bot.store.models import utc_now
from bot.store.repository import DocumentRecord
from bot.store.sealing import UnreadableData

logger = logging.getLogger(__name__)

SERVE, EXPIRED, GONE = "serve", "expired", "gone"
# A file with no record is left this long before a purge removes it: its record may be in a turn not yet
# committed (the file is written first).
UNRECORDED_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class Finding:
    """What a request for a document finds: ``SERVE`` (with the file and its plain content), ``EXPIRED`` (just
    removed), or ``GONE`` (no such document: never published, withdrawn, erased, removed earlier, or its file
    cannot be opened). ``record``: the personal document served, if it is one."""

    outcome: str
    path: Optional[Path] = None
    content: Optional[bytes] = None
    record: Optional[DocumentRecord] = None


def find(store: Optional[CoachStore], file_name: str, now: Optional[dt.datetime] = None) -> Finding:
    """Whether the file ``file_name`` (``<name>.html``, ``.pdf`` or ``.json``) may be served now, and if so its
    plain content. ``store`` is None when the schema has no document records yet (then only same-for-everyone
    pages exist).

    A personal document is served only while its record exists and is in date; a share only while every
    answer it shows is still shared. Found expired or stale, it is removed there and then.
    """
    path = document_files.folder() / file_name
    if same_for_everyone(path):
        return _opened(path, None)
    name = file_name.rsplit(".", 1)[0]
    record = store.document(name) if store is not None else None
    if record is None or store is None:
        return Finding(GONE)
    if record.expired(now or utc_now()):
        audit.shares_ended(store, [record], audit.SHARE_EXPIRED, audit.SYSTEM, now)
        store.forget_documents([name])
        return Finding(EXPIRED)
    if record.kind == SHARE and not set(record.prompt_ids) <= set(store.shared_answers(record.person_id)):
        audit.shares_ended(store, [record], audit.SHARE_WITHDRAWN, audit.SYSTEM, now)
        store.forget_documents([name])  # an answer it shows was changed, deleted or made private since
        return Finding(GONE)
    return _opened(path, store, record)


def _opened(path: Path, store: Optional[CoachStore], record: Optional[DocumentRecord] = None) -> Finding:
    """The file's plain content: a personal document's opened with the store's keys, a same-for-everyone page's
    (``store`` None) as it is."""
    try:
        content = path.read_bytes() if store is None else document_files.read(store.keyring, path)
    except FileNotFoundError:
        return Finding(GONE)  # removed by another server meanwhile, or a share's PDF that never was
    except UnreadableData as error:
        # Sealed with a key this server does not hold, or altered: nothing of it is served, and the log holds
        # only which key it names, never its content or its name (the link).
        logger.warning("A personal document's file could not be opened, so its link shows 'no longer works': %s",
                       error)
        return Finding(GONE)
    return Finding(SERVE, path, content, record)


def withdraw(store: CoachStore, person: str, kind: Optional[str] = None) -> int:
    """Withdraw a person's documents (of one kind, or all): rows and files go, links stop working at once."""
    return _withdrawn(store, store.documents(person, kind))


def _withdrawn(store: CoachStore, documents: list[DocumentRecord]) -> int:
    audit.shares_ended(store, documents, audit.SHARE_WITHDRAWN, audit.PERSON)
    return store.forget_documents([d.name for d in documents])


def withdraw_shares_showing(store: CoachStore, person: str, prompt_ids: Collection[str]) -> int:
    """Withdraw the person's share links that show any of these answers."""
    shown = set(prompt_ids)
    return _withdrawn(store, [d for d in store.documents(person, SHARE) if shown & set(d.prompt_ids)])


@dataclass(frozen=True)
class Purged:
    expired: int  # expired documents removed, rows and files
    unrecorded: int  # files no record owned


def purge(store: CoachStore, now: Optional[dt.datetime] = None) -> Purged:
    """Remove every expired personal document (rows and files), and files no record owns (published before
    documents were recorded, or left by a turn that failed). Same-for-everyone pages stay.

    For a scheduled job (``coach documents purge``, and ``coach retention run``)."""
    ending = store.documents(expired_by=now or utc_now())
    audit.shares_ended(store, ending, audit.SHARE_EXPIRED, audit.SYSTEM, now)
    expired = store.forget_documents([d.name for d in ending])
    folder = document_files.folder()
    if not folder.is_dir():
        return Purged(expired, 0)
    recorded = {d.name for d in store.documents()}
    cutoff = time.time() - UNRECORDED_GRACE_SECONDS
    unrecorded = 0
    for path in folder.iterdir():
        if (path.suffix in document_files.EXTENSIONS and path.stem not in recorded and not same_for_everyone(path)
                and path.stat().st_mtime < cutoff):
            path.unlink(missing_ok=True)
            unrecorded += 1
    return Purged(expired, unrecorded)
