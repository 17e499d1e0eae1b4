"""The shared spaCy pipeline, loaded lazily once per process."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Optional

from bot.settings import load_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


# spaCy's tokenizer splits prefixes and suffixes off a run of characters without spaces one at a time, in time
# that grows with the square of its length: 5,000 emoji or "!" with no space took seconds to tokenize, in every
# parse of the message. Hardly a word or link anyone types is this long, so a longer run is cut into pieces of this
# length before tokenizing (a cut link is still read, in more tokens); the text of the parse stays exactly as typed.
LONGEST_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")


class RunCuttingTokenizer:
    """spaCy's own tokenizer, given long runs without spaces in pieces (see ``LONGEST_RUN``)."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        cuts = [cut for run in _LONG_RUN.finditer(text)
                for cut in range(run.start() + LONGEST_RUN, run.end(), LONGEST_RUN)]
        if not cuts:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        bounds = [0, *cuts, len(text)]
        pieces = [self.tokenizer(text[start:end]) for start, end in zip(bounds, bounds[1:], strict=False)]
        return Doc.from_docs(pieces, ensure_whitespace=False)


@cache
def nlp() -> Language:
    """Return the English spaCy pipeline named by ``COACH_SPACY_MODEL``, its tokenizer cutting long runs."""
    import spacy

    pipeline = spacy.load(load_settings().spacy_model)
    pipeline.tokenizer = RunCuttingTokenizer(pipeline.tokenizer)
    return pipeline


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
