"""Line manager preparation content: complete, sourced and usable for rehearsal coverage."""

from __future__ import annotations

import datetime as dt

from bot.manager import (
    bias_check,
    calibration_tips,
    conversation_checklist,
    covered_checklist_items,
    preparation_items,
    rehearsal_tip,
    rehearsal_tips,
)


def test_preparation_covers_every_theme_of_the_guidance() -> None:
    ids = {item.id for item in preparation_items()}
    assert {
        "framework",
        "strengths_development",
        "wider_evidence",
        "reasonable_adjustments",
        "national_indicators",
        "own_biases",
        "psychological_safety",
    } <= ids


def test_each_preparation_item_asks_a_question_and_says_why() -> None:
    for item in preparation_items():
        assert item.prompt.strip().endswith("?"), item.id
        assert item.why.strip(), item.id


def test_preparation_names_the_national_indicators_and_hidden_disabilities() -> None:
    by_id = {item.id: item for item in preparation_items()}
    for indicator in ("Staff Survey", "WRES", "WDES", "MWRES"):
        assert indicator in by_id["national_indicators"].prompt
    assert "hidden disabilities" in by_id["reasonable_adjustments"].prompt
    assert "neurodivergent" in by_id["reasonable_adjustments"].prompt
    assert all(word in by_id["strengths_development"].prompt for word in ("compassionate", "curious", "collaborative"))


def test_bias_check_has_the_six_triggers_each_with_a_reflective_question() -> None:
    triggers = bias_check()
    assert [t.id for t in triggers] == ["hurrying", "pressure", "surmising", "overload", "nerves", "confirmation"]
    assert all(t.question.strip().endswith("?") for t in triggers)


def test_every_item_is_sourced_and_dated() -> None:
    for item in (*preparation_items(), *bias_check(), *calibration_tips(), *conversation_checklist()):
        assert item.source == "seed:000_34393d11e60547e5.txt"
        assert item.last_checked == dt.date(2026, 11, 23)


def test_the_checklist_has_the_nine_steps_with_keywords() -> None:
    items = conversation_checklist()
    assert len(items) == 9
    assert all(item.keywords for item in items)


def test_coverage_is_detected_from_the_words_a_manager_uses() -> None:
    covered = covered_checklist_items(
        ["How would you sum up what we've agreed?", "What are the next steps?", "What else haven't we covered?"]
    )
    assert "summarise" in covered
    assert "next_steps" in covered
    assert "shape_agreements" in covered
    assert "check_missed" in covered
    assert "record_outcome" not in covered


def test_no_questions_cover_nothing() -> None:
    assert covered_checklist_items([]) == ()


def test_tips_used_by_the_summary_exist() -> None:
    ids = {tip.id for tip in rehearsal_tips()}
    assert {"closed_to_open", "drop_leading", "one_at_a_time", "why_to_what", "cover_stages", "checklist"} <= ids
    assert "{missing}" in rehearsal_tip("checklist").text


def test_every_bias_trigger_says_briefly_why_it_matters() -> None:
    for trigger in bias_check():
        assert trigger.why.strip() and not trigger.why.strip().endswith("?"), trigger.id
        assert len(trigger.why) <= 140, f"{trigger.id}: a short why, not an essay"


def test_the_calibration_tip_says_to_debrief_outcomes_with_peers_and_keeps_journals_private() -> None:
    from bot.manager import calibration_text

    assert calibration_tips()
    text = calibration_text()
    assert text.startswith("Tip: ") and "peer" in text and "outcomes" in text and "journal" in text
