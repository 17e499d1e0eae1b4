"""Rasa's spaCy component on the coach's own spaCy pipeline, so each message is parsed once in the Rasa process.

Rasa's ``SpacyNLP`` loads a second copy of the model (without its parser) and parses each message in lower
case for the tokenizer and featurizer; the safety gate then parsed the message again with the coach's
pipeline (``bot.language.nlp``), which its matchers need. Here Rasa's components get the coach's pipeline
itself and the message as written, and the gate reuses that parse (``bot/nlu/safety_gate.py``).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language
from bot.settings import load_settings

MOST_TOKENS_CLASSIFIED = 1500


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="CoachSpacyNLP",
)
class CoachSpacyNLP(SpacyNLP):
    """Provides ``bot.language.nlp`` (the model named by ``COACH_SPACY_MODEL``) to Rasa's spaCy components."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Case kept: the safety detector reads the message as written ("I" and names), and it reuses this parse.
        return {"case_sensitive": True}

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        return SpacyModel(model=language.nlp(), model_name=spacy_model_name)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CoachSpacyNLP:
        model = cls.load_model(load_settings().spacy_model)
        cls.ensure_proper_language_model(model.model)
        return cls(model, {**cls.get_default_config(), **config})

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in super().process(messages, model):
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is not None and len(doc) > MOST_TOKENS_CLASSIFIED:
                message.set(SPACY_DOCS[TEXT], doc[:MOST_TOKENS_CLASSIFIED].as_doc())
        return messages
