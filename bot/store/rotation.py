"""Key rotation: reseal every stored value, and every personal document's file, with the current (first) data
key, while the coach keeps running.

Each batch of rows is its own short transaction, and a row is rewritten only if it still holds what was read:
a turn that changed it in the meantime wrote it sealed with the servers' current key, and wins.
Values stored before sealing began are sealed on the way.

A document file is written once and never changed, so it is resealed under a temporary name and moved into place
(a reader sees the old file or the new, whole). Files written before sealing began are sealed on the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import JSON, Column, Table, Text, cast, func, inspect, select, type_coerce, update
from sqlalchemy.engine import Engine

from bot.store import document_files
from bot.store.events import SealedEvent
from bot.store.models import Base, PersonalDocument
from bot.store.sealing import Keyring, SealedJSON, SealedText, UnreadableData, file_key_id, key_id_of

DEFAULT_BATCH = 500
DOCUMENT_FILES = "document files"  # how reports name the documents folder's files


@dataclass(frozen=True)
class Resealed:
    """What one pass over one sealed column did."""

    table: str
    column: str
    resealed: int = 0  # rewritten with the current key (from an older key, or from plain text)
    changed_meanwhile: int = 0  # rewritten (or, a file, withdrawn) by the running coach meanwhile: left to it

    @property
    def where(self) -> str:
        """``table.column``, or ``document files``."""
        return f"{self.table}.{self.column}" if self.column else self.table


def sealed_columns() -> Iterator[tuple[Table, Column]]:
    """Every sealed column: the coach's tables and Rasa's events, as the models declare them."""
    for table in [*Base.metadata.sorted_tables, SealedEvent.__table__]:
        for column in table.columns:
            if isinstance(column.type, (SealedText, SealedJSON)):
                yield table, column


def reseal(engine: Engine, keyring: Keyring, batch: int = DEFAULT_BATCH,
           progress: Optional[Callable[[Resealed], None]] = None, documents: Optional[Path] = None) -> list[Resealed]:
    """Reseal every value not sealed with ``keyring``'s current key, ``batch`` rows per transaction; and, given the
    ``documents`` folder, every personal document's file."""
    present = set(inspect(engine).get_table_names())
    done = []
    for table, column in sealed_columns():
        if table.name in present:
            done.append(_reseal_column(engine, keyring, table, column, batch, progress))
    if documents is not None:
        done.append(_reseal_files(engine, keyring, documents))
    if engine.dialect.name == "sqlite":
        # The earlier versions of rewritten rows (plain text, or sealed with the old key) stay in the file's free
        # space and in the write-ahead log: rebuild the file and empty the log. Readers carry on meanwhile.
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return done


def not_current(engine: Engine, keyring: Keyring, documents: Optional[Path] = None) -> dict[str, int]:
    """How many stored values each sealed column holds that are not sealed with the current key (and, given the
    ``documents`` folder, how many personal documents' files)."""
    present = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as connection:
        for table, column in sealed_columns():
            if table.name not in present:
                continue
            stored = cast(column, Text)
            query = select(func.count()).select_from(table).where(stored.isnot(None))
            if _holds_json(column):  # the sealed value is a JSON string, so its text starts with a quote
                query = query.where(stored != "null", ~stored.startswith(f'"{keyring.current_id}:', autoescape=True))
            else:
                query = query.where(~stored.startswith(f"{keyring.current_id}:", autoescape=True))
            counts[f"{table.name}.{column.name}"] = int(connection.execute(query).scalar_one())
    if documents is not None:
        counts[DOCUMENT_FILES] = sum(1 for _ in _files_to_reseal(engine, keyring, documents))
    return counts


def _files_to_reseal(engine: Engine, keyring: Keyring, documents: Path) -> Iterator[tuple[Path, bytes, bool]]:
    """Each document file not sealed with the current key: its path, what it holds, and whether it is recorded.

    A file sealed with an older key is always a personal document's. A plain one is a personal document's only
    if recorded: a same-for-everyone page (bot.documents.publish_page) is plain on purpose, and a plain file no
    record owns is never served and goes with the next purge (``coach documents purge``)."""
    if not documents.is_dir():
        return
    recorded = _recorded(engine)
    for path in sorted(documents.iterdir()):
        if path.suffix not in document_files.EXTENSIONS or path.name.startswith(".") or not path.is_file():
            continue
        try:
            held = path.read_bytes()
        except FileNotFoundError:
            continue  # withdrawn meanwhile
        key_id = file_key_id(held)
        if key_id == keyring.current_id or (key_id is None and path.stem not in recorded):
            continue
        yield path, held, path.stem in recorded


def _recorded(engine: Engine, name: Optional[str] = None) -> set[str]:
    """The names of recorded personal documents (all, or ``name`` if it is one)."""
    if not inspect(engine).has_table(PersonalDocument.__tablename__):
        return set()
    query = select(PersonalDocument.name)
    with engine.connect() as connection:
        return set(connection.execute(query if name is None else query.where(PersonalDocument.name == name))
                   .scalars())


def _reseal_files(engine: Engine, keyring: Keyring, documents: Path) -> Resealed:
    resealed = withdrawn = 0
    for path, held, was_recorded in _files_to_reseal(engine, keyring, documents):
        try:
            plain = keyring.open_bytes(held)
        except UnreadableData as error:
            raise UnreadableData(f"The document file {path} cannot be opened. {error} A file that was altered "
                                 "can be removed: its link then shows that it no longer works.") from None
        document_files.replace(path, keyring.seal_bytes(plain))
        if was_recorded and not _recorded(engine, path.stem):
            # Withdrawn (its row deleted, then its file) while it was being resealed: the move put it back.
            path.unlink(missing_ok=True)
            withdrawn += 1
        else:
            resealed += 1
    return Resealed(DOCUMENT_FILES, "", resealed, withdrawn)


def _holds_json(column: Column) -> bool:
    return isinstance(column.type, SealedJSON)


def _reseal_column(engine: Engine, keyring: Keyring, table: Table, column: Column, batch: int,
                   progress: Optional[Callable[[Resealed], None]]) -> Resealed:
    key = table.primary_key.columns.values()[0]
    stored = cast(column, Text)  # the value as held, never opened by the column's type
    plain_type = JSON() if _holds_json(column) else Text()
    resealed = changed = 0
    after: Any = None
    while True:
        with engine.begin() as connection:
            query = select(key, stored).where(stored.isnot(None)).order_by(key).limit(batch)
            rows = connection.execute(query if after is None else query.where(key > after)).all()
            for row_key, held in rows:
                new = _resealed(keyring, held, _holds_json(column))
                if new is None:
                    continue
                written = connection.execute(update(table).where(key == row_key, stored == held)
                                             .values({column.name: type_coerce(new, plain_type)}))
                if written.rowcount:
                    resealed += 1
                else:
                    changed += 1
        if not rows:
            break
        after = rows[-1][0]
        if progress is not None:
            progress(Resealed(table.name, column.name, resealed, changed))
    return Resealed(table.name, column.name, resealed, changed)


def _resealed(keyring: Keyring, held: str, holds_json: bool) -> Optional[str]:
    """``held`` sealed with the current key, or None when it is already (or is a JSON null)."""
    value = json.loads(held) if holds_json else held
    if value is None:
        return None
    if isinstance(value, str) and key_id_of(value) is not None:
        return None if keyring.sealed_now(value) else keyring.seal(keyring.open(value))
    # Stored before sealing began: seal it as the column's type would.
    return keyring.seal(json.dumps(value, ensure_ascii=False) if holds_json else value)
