"""Small text classifiers learnt from the content's labelled examples, and the cache that keeps them.

Two classifiers learn from content: the risk classifier (``bot/risk_classifier.py``) and the second look at what a
message said at a question is (``bot/reading_model.py``). Both are logistic regression over character and word
n-grams, which carry misspellings and new phrasings of the same ideas. Training takes seconds, so a trained model
is kept under ``var/cache`` (or ``COACH_CACHE_DIR``), named by a hash of what it learnt from: it is trained again
only when its examples change, and an organisation's own examples (``COACH_CONTENT_DIR``) need no build step.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Tuple, Type, TypeVar

from bot.settings import PROJECT_ROOT

T = TypeVar("T")
# Only the start and end of a long message are scored (the lexicon and the rules read all of it).
MAX_SCORED_CHARS = 2000


def ngram_classifier(texts: Sequence[str], labels: Sequence[str], strength: float = 10.0) -> Any:
    """A scikit-learn pipeline trained on ``texts`` and their ``labels``: TF-IDF over character (2 to 5) and word (1
    to 2) n-grams, then logistic regression with balanced classes; ``strength`` is its C (higher: follows the examples
    more closely)."""
    # Imported here: scikit-learn is heavy, and only the processes that read messages need it.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
    )
    model = make_pipeline(features, LogisticRegression(C=strength, class_weight="balanced", max_iter=3000))
    return model.fit(list(texts), list(labels))


def scored_text(text: str) -> str:
    if len(text) <= MAX_SCORED_CHARS:
        return text
    half = MAX_SCORED_CHARS // 2
    return text[:half] + " " + text[-half:]


def cache_dir() -> Path:
    return Path(os.environ.get("COACH_CACHE_DIR") or PROJECT_ROOT / "var" / "cache")


def fingerprint(name: str, version: int, labelled: Iterable[Tuple[str, str]]) -> str:
    """A hash of a model's name, its training version, scikit-learn's version and its (label, text) examples."""
    import sklearn

    digest = hashlib.sha256(f"{name} {version} sklearn {sklearn.__version__}".encode())
    for label, text in labelled:
        digest.update(f"\x00{label}\x01{text}".encode())
    return digest.hexdigest()[:16]


def cached(prefix: str, digest: str, train: Callable[[], T], kind: Type[T], directory: Optional[Path] = None) -> T:
    """The model named ``prefix-digest`` from the cache, or ``train()`` now and kept for the next start.

    The cache is the coach's own private folder (``var/`` is the coach's user's alone), so reading a pickle from it
    trusts nothing the coach did not write. A cache that cannot be written only costs time.
    """
    folder = directory or cache_dir()
    path = folder / f"{prefix}-{digest}.pkl"
    try:
        model = pickle.loads(path.read_bytes())
        if isinstance(model, kind):
            return model
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    model = train()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written aside and renamed, so a process starting at the same moment never reads half a file.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{prefix}-", delete=False) as handle:
            handle.write(pickle.dumps(model))
        os.replace(handle.name, path)
        for older in folder.glob(f"{prefix}-*.pkl"):  # trained on examples that have since changed
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    return model
