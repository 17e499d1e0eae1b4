"""The trained classifier: one class per risk category and per kind of ordinary message, kept in a cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.risk_classifier import Example, RiskClassifier, trained

EXAMPLES = (
    [Example(f"I want to end my life {n}", True, "suicide") for n in range(6)]
    + [Example(f"my partner hits me again {n}", True, "abuse") for n in range(6)]
    + [Example(f"this rota is killing me {n}", False, "idiom", ("none",)) for n in range(6)]
    + [Example(f"I'm exhausted after nights {n}", False, "stress", ("strain", "none")) for n in range(6)]
    + [Example(f"band 5 nurse on a surgical ward {n}", False, "everyday", ("none",)) for n in range(6)]
)


def test_each_risk_category_and_each_kind_of_ordinary_message_is_a_class_of_its_own() -> None:
    assert {e.label for e in EXAMPLES} == {"risk:suicide", "risk:abuse", "calm:idiom", "calm:stress",
                                           "calm:everyday"}


def test_the_risk_score_adds_up_every_risk_category() -> None:
    classifier = RiskClassifier.train(EXAMPLES)
    assert classifier.probability("I want to end my life") > 0.5
    assert classifier.probability("my partner hits me") > 0.5
    assert classifier.probability("band 5 nurse on a ward") < 0.5


def test_a_second_start_reads_the_trained_classifier_from_the_cache(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = trained(EXAMPLES, tmp_path)
    assert len(list(tmp_path.glob("risk-classifier-*.pkl"))) == 1

    def no_training(cls: type, examples: object) -> RiskClassifier:
        raise AssertionError("trained again although the examples did not change")

    monkeypatch.setattr(RiskClassifier, "train", classmethod(no_training))
    again = trained(EXAMPLES, tmp_path)
    assert again.probability("I want to end my life") == first.probability("I want to end my life")


def test_changed_examples_are_trained_again_and_replace_the_old_model(tmp_path: Path) -> None:
    trained(EXAMPLES, tmp_path)
    [old] = tmp_path.glob("risk-classifier-*.pkl")
    trained(EXAMPLES + [Example("I can't keep myself safe tonight", True, "acute_distress")], tmp_path)
    [new] = tmp_path.glob("risk-classifier-*.pkl")
    assert new != old


def test_a_cache_that_cannot_be_written_or_read_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    assert trained(EXAMPLES, blocked).probability("I want to end my life") > 0.5
    folder = tmp_path / "cache"
    trained(EXAMPLES, folder)
    for path in folder.glob("risk-classifier-*.pkl"):
        path.write_bytes(b"not a pickle")
    assert trained(EXAMPLES, folder).probability("I want to end my life") > 0.5
