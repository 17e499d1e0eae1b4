"""The trained model loaded without Rasa's training step (bot/nlu/quick_load.py) understands exactly as before."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

import pytest
import yaml

from bot.nlu.quick_load import QuickDIET, QuickDIET2BOW, QuickDIET2DIET
from tests.e2e.servers import ROOT, trained_model

pytestmark = pytest.mark.model

ODD = ["", "🙂🙂", "<script>alert(1)</script>", "¿Dónde está la biblioteca?", "stretch " * 400,
       "I want to be a ward manager in three years", "what does stretch mean", "skip"]


def messages() -> List[str]:
    labelled = yaml.safe_load((ROOT / "tests" / "data" / "understanding_openers.yml").read_text())
    return [*ODD, *(item["text"] for key in ("openers", "typed_choices") for item in labelled[key])]


def parses() -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(trained_model()))

    async def parse_all() -> List[Dict[str, Any]]:
        return [await agent.parse_message(text) for text in messages()]

    return asyncio.run(parse_all())


@pytest.fixture(scope="module")
def restored() -> List[Dict[str, Any]]:
    """The parses of the model as the coach loads it, where a training step would fail."""

    def no_training(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the model trained a step to load")

    with pytest.MonkeyPatch.context() as quick:
        for model in (QuickDIET, QuickDIET2BOW, QuickDIET2DIET):
            quick.setattr(model, "fit", no_training)
        return parses()


def test_the_model_loaded_without_a_training_step_parses_every_message_exactly_as_rasa_loads_it(
        restored: List[Dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.utils.tensorflow.models import RasaModel

    for model in (QuickDIET, QuickDIET2BOW, QuickDIET2DIET):
        monkeypatch.setattr(model, "load", classmethod(RasaModel.load.__func__))  # type: ignore[attr-defined]
    assert parses() == restored


def test_only_faq_questions_get_an_faq_answer_chosen(restored: List[Dict[str, Any]]) -> None:
    """The response selector's answer is read only under the FAQ intent; no other message pays for one."""
    chosen = {p["text"]: (p.get("response_selector") or {}).get("default", {}).get("response", {})
              .get("intent_response_key") for p in restored}
    assert chosen["what does stretch mean"] == "faq/what_is_stretch"
    assert chosen["skip"] is None and chosen["I want to be a ward manager in three years"] is None
