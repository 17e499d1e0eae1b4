"""Configuration read from the environment, never at import time."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from bot.limits import (
    DEFAULT_MAX_MESSAGE_CHARS,
    DEFAULT_MAX_REQUEST_BYTES,
    DEFAULT_MESSAGE_BURST,
    DEFAULT_MESSAGES_IN_FLIGHT,
    DEFAULT_MESSAGES_PER_MINUTE,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
MIN_SECRET_CHARS = 32
DEFAULT_WEB_TOKEN_MAX_HOURS = 12
# How long a personal document's link works (docs/privacy.md). A plan link is for the person to download their
# own plan, which they can ask for again at any time: a week covers preparing and the meeting it is for. A share
# link goes to a manager, who may not open it until the conversation is arranged: two weeks, as a manager's
# outcome code. Shorter is safer; the coach always says how long.
DEFAULT_PLAN_LINK_DAYS = 1  # a private link: the person can ask for their plan again at any time
DEFAULT_SHARE_LINK_DAYS = 14
DEFAULT_AUDIT_DAYS = 365  # the audit log's entries, by age (docs/privacy.md, "Audit log")
DEFAULT_FRAME_ANCESTORS = "'self'"
# "Delete my data" deletes confirmed outcomes too, unless the organisation's policy keeps them.
DEFAULT_KEEP_CONFIRMED_OUTCOMES = False
# Retention (docs/privacy.md, "Retention"; `coach retention run` applies it). In days; None is "never".
# A conversation's history: 90 days after its last message covers preparing for a conversation, having it and
# following it up; the answers themselves are kept on their own terms below.
DEFAULT_KEEP_CONVERSATIONS_DAYS: int | None = 90
# Everything of a person's (journal, plan, rehearsals, documents): a year after they last used the coach, since
# career conversations are usually yearly; anyone who stops using it has nothing of theirs left after that.
DEFAULT_KEEP_INACTIVE_DAYS: int | None = 365
# An outcome nobody confirmed: once its code expires it can never be confirmed, and its person never agreed it.
DEFAULT_KEEP_UNCONFIRMED_OUTCOMES_DAYS: int | None = 0
# A confirmed outcome: set by the organisation's records policy (no period of its own by default: it goes with
# the person's data, unless COACH_KEEP_CONFIRMED_OUTCOMES keeps it).
DEFAULT_KEEP_CONFIRMED_OUTCOMES_DAYS: int | None = None
# One CSP frame-ancestors source: a scheme ("https:"), or a host with optional scheme, "*." prefix, port and path.
_FRAME_SOURCE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:\*\.)?"
                           r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::(?:[0-9]{1,5}|\*))?(?:/[A-Za-z0-9._~%/-]*)?)$")


class MissingSecret(RuntimeError):
    """A secret the coach needs was not set (or is too short): it never falls back to a default."""


class BadSetting(ValueError):
    """A setting that is present but not usable."""


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Build with :func:`load_settings`."""

    database_url: str
    content_dir: Path | None
    token_secret: str | None
    spacy_model: str
    public_url: str
    documents_dir: Path
    api_token: str | None = None
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    web_token_max_seconds: int = DEFAULT_WEB_TOKEN_MAX_HOURS * 3600
    messages_in_flight: int = DEFAULT_MESSAGES_IN_FLIGHT
    messages_per_minute: int = DEFAULT_MESSAGES_PER_MINUTE
    message_burst: int = DEFAULT_MESSAGE_BURST
    frame_ancestors: str = DEFAULT_FRAME_ANCESTORS
    allowed_origins: tuple[str, ...] = ()
    redis_url: str | None = None  # the turn lock shared by Rasa replicas (bot.channels.lock_store)
    plan_link_days: int = DEFAULT_PLAN_LINK_DAYS  # COACH_PLAN_LINK_DAYS
    share_link_days: int = DEFAULT_SHARE_LINK_DAYS  # COACH_SHARE_LINK_DAYS
    data_keys: str | None = None  # the keys that seal the person's words at rest (bot.store.sealing)
    data_keys_file: Path | None = None  # or a file holding them
    # Whether an outcome the person confirmed stays after they delete their data (docs/privacy.md).
    keep_confirmed_outcomes: bool = DEFAULT_KEEP_CONFIRMED_OUTCOMES
    audit_days: int = DEFAULT_AUDIT_DAYS  # COACH_AUDIT_DAYS
    # Retention, in days (None: never). bot.retention.RetentionPolicy reads them.
    keep_conversations_days: int | None = DEFAULT_KEEP_CONVERSATIONS_DAYS  # COACH_KEEP_CONVERSATIONS_DAYS
    keep_inactive_days: int | None = DEFAULT_KEEP_INACTIVE_DAYS  # COACH_KEEP_INACTIVE_DAYS
    keep_unconfirmed_outcomes_days: int | None = DEFAULT_KEEP_UNCONFIRMED_OUTCOMES_DAYS
    keep_confirmed_outcomes_days: int | None = DEFAULT_KEEP_CONFIRMED_OUTCOMES_DAYS

    def require_token_secret(self) -> str:
        """The secret that signs web chat tokens; :class:`MissingSecret` when it is not set."""
        return _required(self.token_secret, "COACH_TOKEN_SECRET", "signs web chat session tokens")

    def require_api_token(self) -> str:
        """The token a client of the REST channel must send; :class:`MissingSecret` when it is not set."""
        return _required(self.api_token, "COACH_API_TOKEN",
                         "is the bearer token the REST channel requires (and `rasa run --auth-token` should get)")

    @property
    def data_keys_source(self) -> str:
        """Where the data keys come from, for messages."""
        return "COACH_DATA_KEYS" if self.data_keys or not self.data_keys_file else \
            f"COACH_DATA_KEYS_FILE ({self.data_keys_file})"

    def require_data_keys(self) -> str:
        """The data keys as written (``COACH_DATA_KEYS``, else the file ``COACH_DATA_KEYS_FILE`` names);
        :class:`MissingSecret` when neither is set. ``bot.store.sealing`` reads them."""
        if self.data_keys:
            return self.data_keys
        if self.data_keys_file is None:
            raise MissingSecret(
                "COACH_DATA_KEYS is not set. It holds the keys that seal each person's words in the database; the "
                "coach has no default. Set COACH_DATA_KEYS=k1:<key> or COACH_DATA_KEYS_FILE=<a file holding it>, "
                "with a key from `coach keys new` (`make run` makes one in var/data-keys on first start). "
                "Keep a copy somewhere safe: without the key, the stored data cannot be read."
            )
        try:
            return self.data_keys_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise MissingSecret(f"COACH_DATA_KEYS_FILE names {self.data_keys_file}, which cannot be read "
                                f"({exc.strerror or exc}).") from None


def _required(value: str | None, name: str, purpose: str) -> str:
    if not value:
        raise MissingSecret(
            f"{name} is not set. It {purpose}; the coach has no default. Set it to a random value of at least "
            f"{MIN_SECRET_CHARS} characters, for example: "
            f"export {name}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))') "
            "(`make run` makes one under var/ on first start)."
        )
    if len(value) < MIN_SECRET_CHARS:
        raise MissingSecret(f"{name} is too short ({len(value)} characters): use at least {MIN_SECRET_CHARS}.")
    return value


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise BadSetting(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise BadSetting(f"{name} must be more than 0, not {value}")
    return value


def _days(env: dict[str, str], name: str, default: int | None, *, at_least: int = 1) -> int | None:
    """A retention period in days, or ``never`` (None): how long something is kept."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw == "never":
        return None
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise BadSetting(f"{name} must be a number of days or \"never\", not {raw!r}") from None
    if value < at_least:
        raise BadSetting(f"{name} must be at least {at_least} day{'s' if at_least != 1 else ''} (or \"never\"), "
                         f"not {value}")
    return value


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise BadSetting(f"{name} must be true or false, not {raw!r}")


def _frame_ancestors(env: dict[str, str]) -> str:
    """``COACH_FRAME_ANCESTORS``: the pages allowed to embed the coach's pages and documents in a frame.

    Space- or comma-separated CSP sources, e.g. ``'self' https://intranet.example.nhs.uk``; ``self`` and ``none``
    may be written without quotes. Anything that could break out of the header (``;``, quotes, newlines) is refused.
    """
    raw = env.get("COACH_FRAME_ANCESTORS", "").strip()
    if not raw:
        return DEFAULT_FRAME_ANCESTORS
    sources = []
    for item in raw.replace(",", " ").split():
        keyword = item.strip("'").lower()
        if keyword in ("self", "none"):
            sources.append(f"'{keyword}'")
        elif _FRAME_SOURCE.match(item):
            sources.append(item)
        else:
            raise BadSetting(f"COACH_FRAME_ANCESTORS: {item!r} is not a frame-ancestors source "
                             "(use 'self', 'none', or origins such as https://intranet.example.nhs.uk)")
    if "'none'" in sources and len(sources) > 1:
        raise BadSetting("COACH_FRAME_ANCESTORS: 'none' cannot be combined with other sources")
    return " ".join(dict.fromkeys(sources))


def _origins(env: dict[str, str]) -> tuple[str, ...]:
    """``COACH_ALLOWED_ORIGINS``: other pages (besides the coach's own address) whose scripts may open the web
    chat's Socket.IO connection, e.g. ``https://intranet.example.nhs.uk``. Space- or comma-separated."""
    origins = []
    for item in env.get("COACH_ALLOWED_ORIGINS", "").replace(",", " ").split():
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?", item):
            raise BadSetting(f"COACH_ALLOWED_ORIGINS: {item!r} is not an origin (scheme and host, such as "
                             "https://intranet.example.nhs.uk, with no path)")
        origins.append(item.lower())
    return tuple(origins)


def default_database_url() -> str:
    """SQLite file under the git-ignored ``var/`` folder."""
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'coach.db'}"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    env = dict(os.environ) if env is None else env
    content = env.get("COACH_CONTENT_DIR")
    return Settings(
        database_url=env.get("DATABASE_URL") or default_database_url(),
        content_dir=Path(content) if content else None,
        token_secret=env.get("COACH_TOKEN_SECRET") or None,
        spacy_model=env.get("COACH_SPACY_MODEL", "en_core_web_sm"),
        public_url=env.get("COACH_PUBLIC_URL", "http://localhost:5005").rstrip("/"),
        documents_dir=Path(env.get("COACH_DOCUMENTS_DIR") or PROJECT_ROOT / "var" / "documents"),
        api_token=env.get("COACH_API_TOKEN") or None,
        max_message_chars=_positive_int(env, "COACH_MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS),
        max_request_bytes=_positive_int(env, "COACH_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
        web_token_max_seconds=_positive_int(env, "COACH_WEB_TOKEN_MAX_HOURS", DEFAULT_WEB_TOKEN_MAX_HOURS) * 3600,
        messages_in_flight=_positive_int(env, "COACH_MESSAGES_IN_FLIGHT", DEFAULT_MESSAGES_IN_FLIGHT),
        messages_per_minute=_positive_int(env, "COACH_MESSAGES_PER_MINUTE", DEFAULT_MESSAGES_PER_MINUTE),
        message_burst=_positive_int(env, "COACH_MESSAGE_BURST", DEFAULT_MESSAGE_BURST),
        frame_ancestors=_frame_ancestors(env),
        allowed_origins=_origins(env),
        redis_url=env.get("COACH_REDIS_URL") or None,
        plan_link_days=_positive_int(env, "COACH_PLAN_LINK_DAYS", DEFAULT_PLAN_LINK_DAYS),
        share_link_days=_positive_int(env, "COACH_SHARE_LINK_DAYS", DEFAULT_SHARE_LINK_DAYS),
        data_keys=env.get("COACH_DATA_KEYS", "").strip() or None,
        data_keys_file=Path(env["COACH_DATA_KEYS_FILE"]) if env.get("COACH_DATA_KEYS_FILE") else None,
        keep_confirmed_outcomes=_flag(env, "COACH_KEEP_CONFIRMED_OUTCOMES", DEFAULT_KEEP_CONFIRMED_OUTCOMES),
        audit_days=_positive_int(env, "COACH_AUDIT_DAYS", DEFAULT_AUDIT_DAYS),
        keep_conversations_days=_days(env, "COACH_KEEP_CONVERSATIONS_DAYS", DEFAULT_KEEP_CONVERSATIONS_DAYS),
        keep_inactive_days=_days(env, "COACH_KEEP_INACTIVE_DAYS", DEFAULT_KEEP_INACTIVE_DAYS),
        # 0: as soon as the code expires.
        keep_unconfirmed_outcomes_days=_days(env, "COACH_KEEP_UNCONFIRMED_OUTCOMES_DAYS",
                                             DEFAULT_KEEP_UNCONFIRMED_OUTCOMES_DAYS, at_least=0),
        keep_confirmed_outcomes_days=_days(env, "COACH_KEEP_CONFIRMED_OUTCOMES_DAYS",
                                           DEFAULT_KEEP_CONFIRMED_OUTCOMES_DAYS),
    )
