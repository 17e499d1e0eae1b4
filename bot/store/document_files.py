"""The files of personal documents, in the documents folder (``COACH_DOCUMENTS_DIR``): ``<name>.html`` and, for
a plan, ``<name>.pdf``. Their records are rows of ``personal_document``; a file goes when its row goes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.settings import load_settings

EXTENSIONS = (".html", ".pdf", ".json")


def folder() -> Path:
    return load_settings().documents_dir


def paths(name: str) -> list[Path]:
    """Every file a document named ``name`` may have."""
    return [folder() / f"{name}{extension}" for extension in EXTENSIONS]


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
