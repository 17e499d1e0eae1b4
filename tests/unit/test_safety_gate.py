"""The NLU safety gate, run inside Rasa's own pipeline objects."""

from __future__ import annotations

import spacy
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.safety_gate import SafetyGate


def message(text: str, intent: str, confidence: float = 0.9) -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                         "intent_ranking": [{"name": intent, "confidence": confidence}]})


def test_a_disclosure_becomes_risk_of_harm_whatever_diet_said() -> None:
    [out] = SafetyGate().process([message("honestly I want to end my life", "greet")])
    assert out.get("intent") == {"name": "risk_of_harm", "confidence": 1.0}
    assert out.get("intent_ranking")[0]["name"] == "risk_of_harm"


def test_diet_alone_guessing_risk_takes_the_gentle_path() -> None:
    [out] = SafetyGate().process([message("Feeling much better now", "risk_of_harm", 0.7)])
    assert out.get("intent")["name"] == "feeling_stressed"


def test_ordinary_messages_and_button_payloads_pass_unchanged() -> None:
    ordinary, button = SafetyGate().process([message("what is breadth?", "faq"),
                                            message("/choose{\"choice\": \"depth\"}", "choose")])
    assert ordinary.get("intent")["name"] == "faq" and button.get("intent")["name"] == "choose"


def test_many_messages_with_docs_from_another_spacy_model_do_not_crash() -> None:
    """Rasa loads its own copy of the model; the gate must never mix the two vocabularies."""
    other = spacy.load("en_core_web_sm")
    texts = ["what's my bank balance", "book me a table for two tonight", "i want to end my life"] * 20
    messages = []
    for text in texts:
        m = message(text, "out_of_scope")
        m.set("text_spacy_doc", other(text))
        messages.append(m)
    assert sum(m.get("intent")["name"] == "risk_of_harm" for m in SafetyGate().process(messages)) == 20
