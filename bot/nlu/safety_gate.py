"""The safety gate: a graph component that runs on every user message after DIET.

When :func:`bot.safety.assess` finds risk of harm it overwrites the intent with
``risk_of_harm`` at confidence 1.0, so the safety rules win over any form, FAQ
or fallback, and the form's slot mapping (``not_intent: risk_of_harm``) never
stores the message as an answer.

The detector is the authority. When DIET alone guesses ``risk_of_harm`` (its
examples are few, so it over-reaches on words like "feeling"), the message takes
the gentle wellbeing path (``feeling_stressed``) instead of the crisis reply.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import safety

RISK_INTENT = "risk_of_harm"
GENTLE_INTENT = "feeling_stressed"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyGate(GraphComponent, IntentClassifier):
    """Sets intent ``risk_of_harm`` (confidence 1.0) on messages that show risk of harm."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SafetyGate:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads are ours, not the person's words
            # Parsed again with the coach's own pipeline: the detector's matchers belong to its
            # vocabulary, and matching a Doc from Rasa's separately loaded model crashes spaCy.
            assessment = safety.assess(text)
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != RISK_INTENT]
            if assessment.is_crisis:
                top = {"name": RISK_INTENT, "confidence": 1.0}
            elif (message.get(INTENT) or {}).get("name") == RISK_INTENT:
                top = {"name": GENTLE_INTENT, "confidence": message.get(INTENT).get("confidence", 0.0)}
                ranking = [r for r in ranking if r.get("name") != GENTLE_INTENT]
            else:
                continue
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages
