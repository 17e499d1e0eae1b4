"""The files of personal documents, in the documents folder (``COACH_DOCUMENTS_DIR``): ``<name>.html`` and, for
a plan, ``<name>.pdf`` (a copy of all a person holds: ``.html`` and ``.json``). Their records are rows of
``personal_document``; a file goes when its row goes.

Each file is sealed with the data keys, as the person's words are in the database (:mod:`bot.store.sealing`), so
a copy of the folder without the keys holds none of them. A file written before sealing began still opens, as
it is, until it expires or ``coach keys rotate`` seals it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from bot.settings import load_settings
from bot.store.sealing import Keyring

EXTENSIONS = (".html", ".pdf", ".json")


def folder() -> Path:
    return load_settings().documents_dir


def paths(name: str) -> list[Path]:
    """Every file a document named ``name`` may have."""
    return [folder() / f"{name}{extension}" for extension in EXTENSIONS]


def write(keyring: Keyring, name: str, extension: str, content: str | bytes) -> Path:
    """Seal ``content`` (text as UTF-8) with the current key and write it as ``<name>.<extension>``."""
    path = folder() / f"{name}.{extension}"
    replace(path, keyring.seal_bytes(content.encode("utf-8") if isinstance(content, str) else content))
    return path


def replace(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all: a reader (on any server) never sees half a file."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        partial.write_bytes(content)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read(keyring: Keyring, path: Path) -> bytes:
    """The plain content of a document file. :class:`~bot.store.sealing.UnreadableData` when it cannot be opened
    (sealed with a key the coach does not hold, or altered); :class:`FileNotFoundError` when it is gone."""
    return keyring.open_bytes(path.read_bytes())


def remove(names: Iterable[str]) -> int:
    """Remove the files of these documents; how many files there were."""
    removed = 0
    for name in names:
        for path in paths(name):
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass  # never written (a share has no PDF), or another server removed it first
    return removed
