"""The safety detector: disclosures are never missed, idioms and clinical talk do not alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.language import nlp
from bot.safety import CRISIS, NONE, STRAIN, assess, clean_text, load_lexicon

DATA = Path(__file__).resolve().parent.parent / "data" / "risk_messages.yml"
LABELLED = yaml.safe_load(DATA.read_text(encoding="utf-8"))
RISK: List[Dict[str, str]] = LABELLED["dev"]["risk"] + LABELLED["held_out"]["risk"]
NON_RISK: List[Dict[str, object]] = LABELLED["dev"]["non_risk"] + LABELLED["held_out"]["non_risk"]
STRAIN_ONLY = [m for m in NON_RISK if m["expect"] == STRAIN]
# Documented ceiling: at most 2% of the labelled non-risk messages may raise a crisis.
FALSE_ALARM_CEILING = 0.02


def _expected(item: Dict[str, object]) -> List[str]:
    expect = item["expect"]
    return [str(e) for e in expect] if isinstance(expect, list) else [str(expect)]


def test_labelled_set_is_big_enough_and_has_a_held_out_part() -> None:
    assert len(RISK) >= 120
    assert len(NON_RISK) >= 120
    assert len(LABELLED["held_out"]["risk"]) >= 20
    assert len(LABELLED["held_out"]["non_risk"]) >= 20


@pytest.mark.parametrize("item", RISK, ids=[m["text"][:50] for m in RISK])
def test_every_risk_message_gets_urgent_signposting(item: Dict[str, str]) -> None:
    result = assess(item["text"])
    assert result.level == CRISIS, result.reasons
    assert result.is_crisis


def test_false_alarms_on_non_risk_messages_stay_under_the_ceiling() -> None:
    alarms = [m["text"] for m in NON_RISK if assess(str(m["text"])).is_crisis]
    assert len(alarms) / len(NON_RISK) <= FALSE_ALARM_CEILING, alarms


@pytest.mark.parametrize("item", NON_RISK, ids=[str(m["text"])[:50] for m in NON_RISK])
def test_non_risk_message_gets_its_expected_level(item: Dict[str, object]) -> None:
    assert assess(str(item["text"])).level in _expected(item)


@pytest.mark.parametrize(
    "text",
    [
        "this rota is killing me",
        "I'm dying to apply",
        "I'd kill for a day off",
        "my feet are killing me",
        "dead tired",
        "that meeting was murder",
        "I could kill for a coffee",
    ],
)
def test_workplace_idioms_never_raise_a_crisis(text: str) -> None:
    assert assess(text).level in (NONE, STRAIN)


@pytest.mark.parametrize("text", [m["text"] for m in STRAIN_ONLY][:12])
def test_stress_and_burnout_take_the_lighter_wellbeing_path(text: str) -> None:
    result = assess(str(text))
    assert result.level == STRAIN
    assert not result.is_crisis


def test_a_plain_denial_is_a_wellbeing_check_not_an_alarm() -> None:
    assert assess("I would never hurt myself, I have my kids").level == STRAIN


def test_a_denial_followed_by_a_disclosure_is_a_crisis() -> None:
    result = assess("I'm not suicidal but I don't want to be here any more")
    assert result.level == CRISIS
    assert result.category == "suicide"


def test_clinical_talk_about_patients_is_not_a_disclosure() -> None:
    result = assess("A patient self-harmed on the ward and we admitted an overdose")
    assert result.level == NONE
    assert any("clinical" in reason for reason in result.reasons)


def test_the_same_words_about_myself_are_a_disclosure() -> None:
    assert assess("I self-harmed on the ward after my shift").is_crisis


def test_the_most_severe_category_is_reported() -> None:
    assert assess("I can't cope anymore and I want to kill myself").category == "suicide"


def test_reasons_say_what_was_matched() -> None:
    result = assess("my partner hits me")
    assert result.category == "abuse"
    assert any("hits me" in reason for reason in result.reasons)


def test_a_parsed_doc_can_be_reused() -> None:
    doc = nlp()("I want to die")
    assert assess("I want to die", doc=doc).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n",
        "😀😀😀",
        "<script>alert(1)</script>",
        "Je veux mourir",
        "我很好",
        "\x00\x01\ufeff",
        "a" * 5000,
        "<" * 3000 + "&amp;" * 500,
    ],
)
def test_odd_input_does_not_crash(text: str) -> None:
    assert assess(text).level in (CRISIS, STRAIN, NONE)


def test_html_is_stripped_before_looking() -> None:
    assert clean_text("<p>I want to <b>kill myself</b></p>").split() == ["I", "want", "to", "kill", "myself"]
    assert assess("<p>I want to <b>kill myself</b></p>").is_crisis


def test_disclosure_at_the_start_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess("I want to kill myself. " + filler).is_crisis


def test_disclosure_at_the_end_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess(filler + " Honestly I don't want to be here anymore.").is_crisis


def test_disclosure_in_the_middle_of_a_huge_message_is_found() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 900
    assert assess(filler + " i want to die. " + filler).is_crisis


def test_huge_harmless_message_is_not_a_crisis() -> None:
    filler = "We discussed the rota and the audit at the ward meeting. " * 1800
    assert assess(filler).level == NONE


def test_lexicon_file_loads_and_every_pattern_compiles() -> None:
    lexicon = load_lexicon()
    assert lexicon.index
    assert {"kill_self", "abuse", "acute_distress", "something_is_killing_me"} <= set(lexicon.owners)
