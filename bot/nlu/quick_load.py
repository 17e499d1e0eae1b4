"""Rasa's DIET classifier and response selector, loaded without a training step: the server starts sooner.
The response selector also answers only the messages whose intent is an FAQ one, the only ones its answer is for.

To load a trained model, Rasa builds it, trains it for one step on one example (to create its weights and
the optimiser's), then overwrites those weights with the trained ones. Tracing that training step took most of
the Rasa server's start-up: about 35 of 50 seconds. Here the saved weights are restored as the first
prediction creates them instead, and that prediction also prepares the model for the next ones. The parses
are the same to the last digit (``tests/unit/test_quick_load.py``); fine-tuning, which needs the optimiser's
state, still loads Rasa's way.
"""

from __future__ import annotations

from typing import Any, List, Optional, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET, ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class RestoredOnFirstPrediction(RasaModel):
    @classmethod
    def load(cls, model_file_name: str, model_data_example: RasaModelData,
             predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        model = cls(*args, **kwargs)
        # Before the first prediction: it computes the label embeddings once, and they must come from these weights.
        model.load_weights(model_file_name).expect_partial()  # the optimiser's state is not needed to predict
        model.run_inference(predict_data_example)
        return model


class QuickDIET(RestoredOnFirstPrediction, DIET):
    pass


class QuickDIET2BOW(RestoredOnFirstPrediction, DIET2BOW):
    pass


class QuickDIET2DIET(RestoredOnFirstPrediction, DIET2DIET):
    pass


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class CoachDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return QuickDIET


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CoachResponseSelector(ResponseSelector):
    @staticmethod
    def model_class(use_text_as_label: bool) -> Type[RasaModel]:  # type: ignore[override]
        return QuickDIET2DIET if use_text_as_label else QuickDIET2BOW

    def process(self, messages: List[Message]) -> List[Message]:
        # Its answer is read only under an FAQ intent (the utter_faq rule, a question mid-form). Choosing one for
        # every other message cost about 8% of the Rasa server's time under load, for nothing.
        asked = [m for m in messages if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) in self.all_retrieval_intents]
        super().process(asked)
        return messages
