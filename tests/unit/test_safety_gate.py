"""The NLU safety gate, run inside Rasa's own pipeline objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
import spacy
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot import language, safety
from bot.nlu.coach_spacy import MOST_TOKENS_CLASSIFIED, CoachSpacyNLP
from bot.nlu.safety_gate import SafetyGate, verdict_intent
from bot.risk_classifier import UNSURE_PROBABILITY

ROOT = Path(__file__).resolve().parents[2]


def gate() -> SafetyGate:
    return SafetyGate(SafetyGate.get_default_config())


def message(text: str, intent: str, confidence: float = 0.9, *also: Dict[str, Any]) -> Message:
    ranking: List[Dict[str, Any]] = [{"name": intent, "confidence": confidence}, *also]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def test_a_disclosure_becomes_risk_of_harm_alone_in_the_ranking_whatever_diet_said() -> None:
    [out] = gate().process([message("honestly I want to end my life", "inform", 0.99)])
    assert out.get("intent") == {"name": "risk_of_harm", "confidence": 1.0}
    assert out.get("intent_ranking") == [{"name": "risk_of_harm", "confidence": 1.0}]
    assert out.get("safety")["level"] == "crisis"


def test_the_fallback_cannot_hide_a_disclosure() -> None:
    """The bug users met: the fallback ran after the gate and read 1.0 vs 0.99 as ambiguity."""
    fallback = message("I feel suicidal", "nlu_fallback", 1.0, {"name": "inform", "confidence": 0.99})
    [out] = gate().process([fallback])
    assert out.get("intent")["name"] == "risk_of_harm"


def test_the_gate_is_the_last_component_of_the_pipeline() -> None:
    """Nothing after it may replace its verdict (docs/safety.md, hazard H16)."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    assert pipeline[-1]["name"] == "bot.nlu.safety_gate.SafetyGate"
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    assert pipeline[-1]["fallback_threshold"] == fallback["threshold"]


class Unsure:
    """A classifier that finds no risk, so the lexicon's own reading decides."""

    def probability(self, text: str) -> float:
        return 0.1


def test_unclear_wording_gets_the_check_in_intent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "default_classifier", Unsure)
    [out] = gate().process([message("This is goodbye.", "inform", 0.8)])
    assert out.get("intent") == {"name": "risk_unclear", "confidence": 1.0}


def test_diet_guessing_risk_where_the_detector_is_unsure_gets_the_check_in() -> None:
    unsure = safety.SafetyAssessment(safety.NONE, None, (), score=UNSURE_PROBABILITY)
    sure_not = safety.SafetyAssessment(safety.NONE, None, (), score=0.1)
    diet = [{"name": "risk_of_harm", "confidence": 0.8}]
    assert verdict_intent(unsure, diet, 0.5) == "risk_unclear"
    assert verdict_intent(sure_not, diet, 0.5) is None  # DIET alone over-reaches on sad words


def test_diet_guessing_risk_on_an_idiom_takes_the_gentle_path() -> None:
    [out] = gate().process([message("this rota is killing me", "risk_of_harm", 0.8)])
    assert out.get("intent")["name"] == "feeling_stressed"


def test_the_gate_keeps_diets_own_guess_beside_its_verdict() -> None:
    """bench/safety_bar.py chooses the unsure bar from it; the verdict may replace the intent itself."""
    [out] = gate().process([message("this rota is killing me", "risk_of_harm", 0.8)])
    assert out.get("safety")["diet_guess"] == {"name": "risk_of_harm", "confidence": 0.8}
    assert out.get("intent")["name"] != "risk_of_harm"


def test_diet_guessing_risk_on_clinical_talk_falls_back_to_its_next_guess() -> None:
    talk = message("a patient self-harmed on the ward", "risk_of_harm", 0.7, {"name": "inform", "confidence": 0.6})
    [out] = gate().process([talk])
    assert out.get("intent")["name"] == "inform"


def test_ordinary_messages_and_button_payloads_pass_unchanged() -> None:
    ordinary, button = gate().process([message("what is breadth?", "faq"),
                                      message("/choose{\"choice\": \"depth\"}", "choose")])
    assert ordinary.get("intent")["name"] == "faq" and button.get("intent")["name"] == "choose"


def test_every_form_keeps_risk_out_of_its_answers_and_every_form_has_its_safety_rules() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    rules = [r for f in (ROOT / "data" / "rules").glob("*.yml") for r in yaml.safe_load(f.read_text())["rules"]]
    for name, slot in domain["slots"].items():
        for mapping in slot["mappings"]:
            if mapping["type"] == "from_text":
                assert {"risk_of_harm", "risk_unclear"} <= set(mapping.get("not_intent", [])), name
    for form in domain["forms"]:
        for intent in ("risk_of_harm", "risk_unclear"):
            assert any(r.get("condition") == [{"active_loop": form}]
                       and r["steps"][0] == {"intent": intent} for r in rules), (form, intent)


def test_many_messages_with_docs_from_another_spacy_model_do_not_crash() -> None:
    """Rasa loads its own copy of the model; the gate must never mix the two vocabularies."""
    other = spacy.load("en_core_web_sm")
    texts = ["what's my bank balance", "book me a table for two tonight", "i want to end my life"] * 20
    messages = []
    for text in texts:
        m = message(text, "out_of_scope")
        m.set("text_spacy_doc", other(text))
        messages.append(m)
    assert sum(m.get("intent")["name"] == "risk_of_harm" for m in gate().process(messages)) == 20


def test_the_gate_reads_the_pipelines_own_parse_instead_of_parsing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "I want to end my life"
    m = message(text, "inform")
    m.set("text_spacy_doc", language.nlp()(text))
    monkeypatch.setattr(safety, "nlp", lambda: pytest.fail("the message was parsed a second time"))
    [out] = gate().process([m])
    assert out.get("intent")["name"] == "risk_of_harm"


def test_rasas_spacy_components_get_the_coachs_own_pipeline_and_the_words_as_written() -> None:
    component = CoachSpacyNLP.create({}, None, None, None)  # type: ignore[arg-type]
    assert component.provide().model is language.nlp()
    [m] = component.process([Message(data={"text": "I am Priya"})], component.provide())
    assert m.get("text_spacy_doc").text == "I am Priya"


def test_the_classifier_sees_at_most_its_limit_of_tokens_and_the_gate_still_reads_the_whole_message() -> None:
    component = CoachSpacyNLP.create({}, None, None, None)  # type: ignore[arg-type]
    text = "!" * 4000 + " honestly I want to end my life"
    [m] = component.process([message(text, "out_of_scope")], component.provide())
    assert len(m.get("text_spacy_doc")) == MOST_TOKENS_CLASSIFIED
    [out] = gate().process([m])
    assert out.get("intent") == {"name": "risk_of_harm", "confidence": 1.0}


def test_prose_as_long_as_a_message_may_be_is_classified_whole() -> None:
    component = CoachSpacyNLP.create({}, None, None, None)  # type: ignore[arg-type]
    text = ("I look after patients. " * 217).strip()
    [m] = component.process([Message(data={"text": text})], component.provide())
    assert m.get("text_spacy_doc").text == text


def test_the_nlu_guess_kept_beside_the_verdict_is_read_back_unless_it_was_risk() -> None:
    def kept(name: str) -> Dict[str, Any]:
        return {"safety": {"level": "concern", "diet_guess": {"name": name, "confidence": 0.7}}}

    assert safety.nlu_guess(kept("send_plan")) == "send_plan"
    assert safety.nlu_guess(kept("risk_unclear")) is None and safety.nlu_guess(kept("risk_of_harm")) is None
    assert safety.nlu_guess({}) is None and safety.nlu_guess({"safety": "odd"}) is None
