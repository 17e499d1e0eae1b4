"""The safety gate: the last component of the NLU pipeline, so its verdict is final.

It runs :func:`bot.safety.assess` on every message the person typed, on the pipeline's own parse
(``bot/nlu/coach_spacy.py``), and writes the result into the parse data (``safety``), where the action
server and the logs can read it.

* ``crisis``: intent ``risk_of_harm`` at confidence 1.0, and the ranking holds that intent
  alone. Nothing runs after the gate, so no fallback, response selector or ambiguity check
  can replace it; the form's slot mapping (``not_intent: risk_of_harm``) never stores the
  message, and the safety rules pause any form.
* ``concern`` from the detector, or DIET's own guess of risk (``risk_of_harm`` or
  ``risk_unclear``, learnt from examples in ``data/nlu/safety.yml``) where the detector is unsure
  (its classifier scored the message between the unsure and the check-in bar, and nothing was
  explained away as an idiom, clinical talk or a plain denial): intent ``risk_unclear``. The
  coach asks gently whether the person is safe and shows the urgent numbers in the same reply
  (the middle path; see ``docs/safety.md``).
* Otherwise the message keeps the intent the classifiers gave it, except that only the gate may
  say ``risk_of_harm`` or ``risk_unclear``: a guess of either that the gate does not confirm
  becomes ``feeling_stressed`` when the detector found strain, and the classifiers' next guess
  (or the fallback) otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language, safety
from bot.risk_classifier import UNSURE_PROBABILITY

if TYPE_CHECKING:
    from spacy.tokens import Doc

RISK_INTENT, UNCLEAR_INTENT = safety.RISK_INTENTS
FALLBACK_INTENT = "nlu_fallback"
GENTLE_INTENT = "feeling_stressed"
SAFETY_KEY = "safety"


def classifier_guess(ranking: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The classifiers' best intent, looking past the fallback (which only says they were unsure)."""
    return next((r for r in ranking if r.get("name") != FALLBACK_INTENT), None)


def verdict_intent(assessment: safety.SafetyAssessment, ranking: List[Dict[str, Any]],
                   min_guess: float) -> Optional[str]:
    """The intent the gate imposes, or None to keep the classifiers' intent."""
    if assessment.is_crisis:
        return RISK_INTENT
    if assessment.needs_check_in:
        return UNCLEAR_INTENT
    if diet_guess_counts(assessment, classifier_guess(ranking), min_guess):
        return UNCLEAR_INTENT
    return None


def diet_guess_counts(assessment: safety.SafetyAssessment, guess: Optional[Dict[str, Any]], min_guess: float,
                      unsure: float = UNSURE_PROBABILITY) -> bool:
    """DIET's guess of risk counts only where the detector is unsure: its classifier scored the message at the unsure
    bar or above (below the check-in bar, or the detector would have asked already) and nothing was explained away."""
    return ((assessment.score or 0.0) >= unsure and not assessment.explained_away and guess is not None
            and guess.get("name") in safety.RISK_INTENTS and (guess.get("confidence") or 0.0) >= min_guess)


def without_risk_guess(assessment: safety.SafetyAssessment, ranking: List[Dict[str, Any]],
                       fallback_threshold: float) -> List[Dict[str, Any]]:
    """The ranking once a risk guess the gate did not confirm is taken out of it."""
    rest = [r for r in ranking if r.get("name") not in (*safety.RISK_INTENTS, FALLBACK_INTENT)]
    if assessment.level == safety.STRAIN:
        return [{"name": GENTLE_INTENT, "confidence": 1.0}, *[r for r in rest if r.get("name") != GENTLE_INTENT]]
    if rest and rest[0].get("confidence", 0.0) >= fallback_threshold:
        return rest
    return [{"name": FALLBACK_INTENT, "confidence": 1.0}, *rest]


def own_parse(message: Message) -> Optional[Doc]:
    """The pipeline's parse of the message (``CoachSpacyNLP``), when it came from the coach's own spaCy pipeline:
    the detector's matchers belong to that vocabulary, and matching a Doc from another loaded model crashes spaCy.
    """
    doc = message.get(SPACY_DOCS[TEXT])
    return doc if doc is not None and doc.vocab is language.nlp().vocab else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyGate(GraphComponent, IntentClassifier):
    """Imposes ``risk_of_harm`` or ``risk_unclear`` when a message shows (possible) risk of harm."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # DIET's risk guesses below this are too weak even for a gentle check-in; the fallback
        # threshold matches the FallbackClassifier's, which runs before the gate.
        return {"min_classifier_confidence": 0.5, "fallback_threshold": 0.35}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._min_guess = float(config["min_classifier_confidence"])
        self._fallback_threshold = float(config["fallback_threshold"])

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafetyGate:
        safety.prepare()  # as the server starts, not on the first person's message
        return cls.create(config, model_storage, resource, execution_context)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyGate:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads are ours, not the person's words
            assessment = safety.assess(text, own_parse(message))
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            # DIET's own guess is kept beside the verdict, for the logs and for bench/safety_bar.py, which
            # chooses the unsure bar from how that guess fares on the tuning batches.
            guess = classifier_guess(ranking) or {}
            diet_guess = {"name": guess.get("name"), "confidence": guess.get("confidence")}
            message.set(SAFETY_KEY, {**assessment.as_dict(), safety.NLU_GUESS_KEY: diet_guess}, add_to_output=True)
            imposed = verdict_intent(assessment, ranking, self._min_guess)
            if imposed is not None:
                # The imposed intent stands alone: nothing can read a close second as ambiguity.
                ranking = [{"name": imposed, "confidence": 1.0}]
            elif guess.get("name") in safety.RISK_INTENTS:
                ranking = without_risk_guess(assessment, ranking, self._fallback_threshold)
            else:
                continue
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
