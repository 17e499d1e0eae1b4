"""The person's words sealed at rest: answers, notes, outcomes, the conversation itself, and the files of their
documents (a plan's page and PDF, a share page, a copy of all they hold).

A sealed value is ``<key id>:<Fernet token>``, e.g. ``k2:gAAAAAB...``. The id names the key that sealed it, so
keys can rotate: the coach holds a list of keys, seals with the first and opens with whichever the value names.
A value without that form was stored before sealing began: it is read as it is, and ``coach keys rotate``
seals it.

A document file is sealed the same way, as bytes (:meth:`Keyring.seal_bytes`): ``<key id>:`` then the token.

Columns declare :class:`SealedText` or :class:`SealedJSON`; the keys come from the engine they are read and
written through (:func:`seal_with`), never from a global default: an engine without keys refuses to store words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional
from weakref import WeakKeyDictionary

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import JSON, Text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator

from bot.settings import BadSetting, MissingSecret, Settings

KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
# A Fernet token is at least 73 bytes (100 characters) and begins with its version byte and a 2106-or-earlier time.
SEALED = re.compile(r"([A-Za-z0-9_-]{1,16}):(gAAAAA[A-Za-z0-9_-]{90,}={0,2})")
# A sealed file begins with its key id and a colon. A document the coach wrote before sealing began begins with
# "<" (a page), "%" (a PDF) or "{" (JSON), so it never does; anything after the colon must then open.
SEALED_FILE = re.compile(rb"([A-Za-z0-9_-]{1,16}):")


class UnreadableData(MissingSecret):
    """A stored value was sealed with a key the coach does not hold, or with another key under the same id: the
    secret it needs is missing."""


def key_id_of(stored: str) -> Optional[str]:
    """The id of the key that sealed ``stored``; None for a value stored before sealing began."""
    found = SEALED.fullmatch(stored)
    return found.group(1) if found else None


def file_key_id(stored: bytes) -> Optional[str]:
    """The id of the key that sealed a file's content; None for a file written before sealing began."""
    found = SEALED_FILE.match(stored)
    return found.group(1).decode("ascii") if found else None


@dataclass(frozen=True)
class Keyring:
    """The data keys, newest first: the first seals, any of them opens what it sealed."""

    keys: tuple[tuple[str, Fernet], ...]

    @classmethod
    def parse(cls, text: str, source: str = "COACH_DATA_KEYS") -> Keyring:
        """Keys written as ``id:key`` entries, separated by spaces, commas or lines (``#`` starts a comment);
        each key is a Fernet key (``coach keys new`` prints one)."""
        entries = [word for line in text.splitlines() for word in line.split("#", 1)[0].replace(",", " ").split()]
        if not entries:
            raise MissingSecret(f"{source} holds no key: give at least one, e.g. k1:<key> (`coach keys new`).")
        keys: list[tuple[str, Fernet]] = []
        for entry in entries:
            key_id, _, key = entry.partition(":")
            if not KEY_ID.fullmatch(key_id) or not key:
                raise BadSetting(f"{source}: an entry is not id:key (an id of letters, digits, - or _, up to 16, "
                                 "then a colon and the key); `coach keys new` prints one")
            try:
                fernet = Fernet(key.encode())
            except ValueError:
                raise BadSetting(f"{source}: the key with id {key_id!r} is not a Fernet key (32 bytes, url-safe "
                                 "base64); `coach keys new` prints one") from None
            if key_id in dict(keys):
                raise BadSetting(f"{source}: the id {key_id!r} is given twice; each key needs its own id")
            keys.append((key_id, fernet))
        return cls(tuple(keys))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def seal(self, plain: str) -> str:
        return self.seal_bytes(plain.encode("utf-8")).decode("ascii")

    def seal_bytes(self, plain: bytes) -> bytes:
        """``plain`` sealed with the current key: ``<key id>:<Fernet token>``, ASCII (a document file)."""
        key_id, fernet = self.keys[0]
        return key_id.encode("ascii") + b":" + fernet.encrypt(plain)

    def open(self, stored: str) -> str:
        """The plain text of ``stored``: opened with the key it names, or as it is when it was never sealed."""
        found = SEALED.fullmatch(stored)
        if found is None:
            return stored
        key_id, token = found.groups()
        return self._decrypt(key_id, token.encode("ascii")).decode("utf-8")

    def open_bytes(self, stored: bytes) -> bytes:
        """The plain content of a file: opened with the key it names, or as it is when it was written before
        sealing began. :class:`UnreadableData` when it names a key the coach does not hold, or does not open
        (another key under that id, or the file was altered)."""
        found = SEALED_FILE.match(stored)
        if found is None:
            return stored
        return self._decrypt(found.group(1).decode("ascii"), stored[found.end():])

    def _decrypt(self, key_id: str, token: bytes) -> bytes:
        fernet = dict(self.keys).get(key_id)
        if fernet is None:
            raise UnreadableData(
                f"Stored data was sealed with the data key {key_id!r}, which is not in the coach's keys "
                f"(it has {', '.join(repr(k) for k, _ in self.keys)}). Put that key back in COACH_DATA_KEYS: "
                "a key can be removed only after `coach keys rotate` has resealed everything with a newer one."
            )
        try:
            return fernet.decrypt(token)
        except InvalidToken:
            raise UnreadableData(
                f"Stored data sealed with the data key {key_id!r} does not open with the key the coach has under "
                "that id: COACH_DATA_KEYS holds a different key with the same id (or, for a document file, the "
                "file was altered). Restore the key it was sealed with."
            ) from None

    def sealed_now(self, stored: str) -> bool:
        """Whether ``stored`` is sealed with the current key already (``coach keys rotate`` leaves it)."""
        return key_id_of(stored) == self.current_id


# Each engine's keys, looked up by its dialect (the only handle a column type is given).
_KEYRINGS: WeakKeyDictionary[Dialect, Keyring] = WeakKeyDictionary()


def seal_with(engine: Engine, keyring: Keyring) -> Engine:
    """Seal and open the sealed columns read and written through ``engine`` with ``keyring``."""
    _KEYRINGS[engine.dialect] = keyring
    return engine


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = _KEYRINGS.get(dialect)
    if keyring is None:
        raise MissingSecret("This database connection has no data keys (seal_with was not called): the coach "
                            "never stores a person's words unsealed.")
    return keyring


class SealedText(TypeDecorator):  # type: ignore[type-arg]  # SQLAlchemy 1.4 is not generic at run time
    """Free text, sealed in the database and plain in Python."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Optional[str], dialect: Dialect) -> Optional[str]:
        return None if value is None else keyring_of(dialect).seal(value)

    def process_result_value(self, value: Optional[str], dialect: Dialect) -> Optional[str]:
        return None if value is None else keyring_of(dialect).open(value)


class SealedJSON(TypeDecorator):  # type: ignore[type-arg]
    """A JSON value, stored as one sealed JSON string; a JSON null stays null. A value stored before sealing
    began (any JSON that is not a sealed string) is read as it is."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else keyring_of(dialect).seal(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, str) and key_id_of(value) is not None:
            return json.loads(keyring_of(dialect).open(value))
        return value


def new_key_line(keyring: Optional[Keyring] = None) -> str:
    """A fresh ``id:key`` entry whose id comes after those in ``keyring`` (k1, then k2, ...)."""
    numbers = [int(key_id[1:]) for key_id, _ in keyring.keys if re.fullmatch(r"k[0-9]+", key_id)] if keyring else []
    return f"k{max(numbers, default=0) + 1}:{Fernet.generate_key().decode('ascii')}"


def load_keyring(settings: Settings) -> Keyring:
    """The data keys the coach was given (:class:`MissingSecret` when none were)."""
    return Keyring.parse(settings.require_data_keys(), settings.data_keys_source)
