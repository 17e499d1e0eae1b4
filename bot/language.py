"""The shared spaCy pipeline, loaded lazily once per process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from bot.settings import load_settings

if TYPE_CHECKING:
    from spacy.language import Language


@cache
def nlp() -> Language:
    """Return the English spaCy pipeline named by ``COACH_SPACY_MODEL``."""
    import spacy

    return spacy.load(load_settings().spacy_model)
