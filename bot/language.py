"""The shared spaCy pipeline, loaded lazily once per process."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, Optional

from bot.settings import load_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@cache
def nlp() -> Language:
    """Return the English spaCy pipeline named by ``COACH_SPACY_MODEL``."""
    import spacy

    return spacy.load(load_settings().spacy_model)


def lemmas(text: str) -> Doc:
    """A lower-cased parse for matching words on their lemmas ("Skip" and "skipping" as "skip"); the parser and
    NER are not needed, so they do not run."""
    return nlp()(text.lower(), disable=["parser", "ner"])


# A message is read as another language only when it says enough to tell: at least this many words,
# and the identifier is this sure. Short English ("ta", "nah") is too short to judge.
MIN_WORDS = 3
MIN_CONFIDENCE = 0.75
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier() -> Any:
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


def other_language(text: str) -> Optional[str]:
    """The language code of a message clearly not in English (the coach works in English), else None."""
    letters = _LETTER.findall(text)
    if len(letters) >= 2 and sum(bool(_LATIN_LETTER.match(c)) for c in letters) < len(letters) / 2:
        return _identifier().classify(text)[0]  # mostly another script (Arabic, Devanagari, Chinese...)
    words = re.findall(r"[^\W\d_]{2,}", text.lower())
    if len(words) < MIN_WORDS:
        return None
    # English's own small words ("do", "it", "all") in a short message outweigh the identifier's guess.
    from spacy.lang.en.stop_words import STOP_WORDS

    if sum(w in STOP_WORDS for w in words) >= len(words) / 5:
        return None
    language, confidence = _identifier().classify(text[:1000])
    return language if language != "en" and confidence >= MIN_CONFIDENCE else None
