"""Configuration read from the environment, never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Build with :func:`load_settings`."""

    database_url: str
    content_dir: Path | None
    token_secret: str
    spacy_model: str
    public_url: str
    documents_dir: Path


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
        token_secret=env.get("COACH_TOKEN_SECRET", "dev-only-change-me"),
        spacy_model=env.get("COACH_SPACY_MODEL", "en_core_web_sm"),
        public_url=env.get("COACH_PUBLIC_URL", "http://localhost:5005").rstrip("/"),
        documents_dir=Path(env.get("COACH_DOCUMENTS_DIR") or PROJECT_ROOT / "var" / "documents"),
    )
