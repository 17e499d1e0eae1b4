"""The FAQ answers say what the Scope for Growth guidance (seed 000) says, and say where they come from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CITATION = "(Scope for Growth guidance)"
# Sentences of seed 000_34393d11e60547e5.txt, copied word for word ("The framework"), that answers may quote.
GUIDANCE_WORDS = (
    "Depth Expanding your expertise",
    "Breadth Building out your career into other areas",
    "Stretch/Complexity Growing beyond your current role, particularly around increasing complexity and "
    "leadership capabilities",
)


def faq_answers() -> Dict[str, str]:
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    return {name.split("/", 1)[1]: variants[0]["text"] for name, variants in responses.items()
            if name.startswith("utter_faq/")}


def faq_examples() -> Dict[str, list[str]]:
    nlu = yaml.safe_load((ROOT / "data" / "nlu" / "faq.yml").read_text(encoding="utf-8"))["nlu"]
    return {block["intent"].split("/", 1)[1]: [line[2:] for line in block["examples"].splitlines() if line.strip()]
            for block in nlu if block["intent"].startswith("faq/")}


@pytest.mark.parametrize("faq", sorted(faq_answers()))
def test_each_answer_says_it_comes_from_the_guidance(faq: str) -> None:
    assert CITATION in faq_answers()[faq]


def test_each_answer_names_its_seed_file_in_a_comment_above_it() -> None:
    text = (ROOT / "domain.yml").read_text(encoding="utf-8")
    for faq in faq_answers():
        comment = text.split(f"  utter_faq/{faq}:")[0].rstrip().splitlines()
        sources = [line for line in comment[-4:] if line.strip().startswith("#")]
        assert any("000_34393d11e60547e5.txt" in line for line in sources), faq


def test_every_answer_has_questions_that_reach_it_and_every_question_an_answer() -> None:
    examples = faq_examples()
    assert set(examples) == set(faq_answers())
    assert all(len(found) >= 5 for found in examples.values())


def test_how_is_it_recorded_is_answered_from_the_seed_with_enough_ways_of_asking() -> None:
    answer = faq_answers()["how_recorded"]
    assert "ESR or a similar local system" in answer and "succession planning" in answer
    assert 8 <= len(faq_examples()["how_recorded"]) <= 12


def test_the_nine_box_answer_gives_the_guidances_reason() -> None:
    answer = faq_answers()["replaces_nine_box"]
    assert "past performance" in answer and "not always an accurate predictor of future achievements" in answer


def test_the_diversity_answer_claims_no_outcome_data_the_coach_does_not_produce() -> None:
    answer = faq_answers()["diversity"].lower()
    assert not re.search(r"anonymi[sz]ed|data|statistic", answer)
    assert "aspirations more consistently" in answer and "everyone has talent" in answer


def test_no_answer_gives_a_length_the_guidance_does_not() -> None:
    for faq, answer in faq_answers().items():
        assert not re.search(r"\b(hour|minutes?)\b", answer), faq


def test_the_quoted_definitions_are_the_guidances_words() -> None:
    quoted = [(faq, words) for faq, answer in faq_answers().items() for words in re.findall(r'"([^"]{12,})"', answer)]
    assert len(quoted) >= 3
    for faq, words in quoted:
        assert any(words.lower() in sentence.lower() for sentence in GUIDANCE_WORDS), (faq, words)
