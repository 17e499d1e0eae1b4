"""Rehearsing a career conversation with a persona, and the summary afterwards."""

from __future__ import annotations

import pytest

from bot.questions import analyse
from bot.rehearsal import (
    RehearsalLog,
    compare,
    feedback,
    get_persona,
    list_personas,
    persona_reply,
    summarise,
)


def test_there_are_the_four_personas_the_managers_need() -> None:
    by_id = {p.id: p for p in list_personas()}
    assert {"hca_nursing", "specialist_depth", "director_aspirant", "not_now_wellbeing"} <= set(by_id)
    assert by_id["hca_nursing"].band == "3"
    assert by_id["specialist_depth"].band == "7"
    assert by_id["director_aspirant"].band == "8b"


def test_an_unknown_persona_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="nobody"):
        get_persona("nobody")


def test_the_same_question_always_gets_the_same_answer() -> None:
    persona = get_persona("hca_nursing")
    question = "What do you enjoy about your work?"
    assert persona_reply(persona, question, 1) == persona_reply(persona, question, 1)


def test_an_open_question_gets_a_fuller_answer_than_a_closed_one() -> None:
    for persona in list_personas():
        open_reply = persona_reply(persona, "What do you enjoy about your work?", 1)
        closed_reply = persona_reply(persona, "Do you enjoy your work?", 1)
        assert len(open_reply) > 2 * len(closed_reply), persona.id


def test_answers_stay_in_character_across_stages() -> None:
    hca = get_persona("hca_nursing")
    assert "nurs" in persona_reply(hca, "What are your hopes for nursing?", 2).lower()
    # Asked about nursing during the plan stage, she still talks about nursing.
    assert "nurs" in persona_reply(hca, "What would you like to tell me about nursing?", 3).lower()
    specialist = get_persona("specialist_depth")
    assert "not for me" in persona_reply(specialist, "How do you feel about management?", 2)


def test_the_not_now_persona_does_not_want_promotion_now() -> None:
    sam = get_persona("not_now_wellbeing")
    reply = persona_reply(sam, "How do you feel about applying for promotion?", 2)
    assert "not right now" in reply.lower()
    assert "wellbeing" not in reply  # spelt "well-being" in content, and not a topic here
    assert "well-being" in persona_reply(sam, "What would you like recorded as your outcome?", 2)


def test_a_leading_question_gets_a_going_along_answer() -> None:
    hca = get_persona("hca_nursing")
    assert persona_reply(hca, "Surely you want to be a nurse?", 2) == hca.on_leading


def test_of_several_questions_only_the_first_is_answered() -> None:
    grace = get_persona("director_aspirant")
    reply = persona_reply(grace, "How are you feeling? And where do you want to be in five years?", 1)
    assert reply.startswith(grace.on_multiple)
    assert "winter" in reply  # the well-being answer, not the career one
    assert "Director of operations" not in reply


def test_a_stage_outside_one_to_three_is_refused() -> None:
    with pytest.raises(ValueError):
        persona_reply(get_persona("hca_nursing"), "How are you?", 4)


def _scripted_log() -> RehearsalLog:
    log = RehearsalLog("hca_nursing")
    for question, stage in [
        ("How are you feeling at the moment?", 1),
        ("Do you enjoy your role?", 1),
        ("Don't you think you should apply for nursing?", 2),
        ("What would you like to put in your development plan?", 3),
        ("So you feel ready.", 3),
    ]:
        log = log.add(question, stage)
    return log


def test_the_summary_counts_the_questions_by_kind() -> None:
    summary = summarise(_scripted_log())
    assert summary.counts["open"] == 2
    assert summary.counts["closed"] == 1
    assert summary.counts["leading"] == 1
    assert summary.counts["statement"] == 1
    assert summary.questions == 4
    assert summary.open_share == pytest.approx(0.5)


def test_the_summary_reports_stages_and_checklist_gaps() -> None:
    summary = summarise(_scripted_log())
    assert summary.stages_covered == (1, 2, 3)
    assert "complete_plan" not in summary.checklist_missed
    assert "summarise" in summary.checklist_missed
    assert "next_steps" in summary.checklist_missed


def test_the_summary_gives_exactly_two_tips_led_by_the_biggest_problem() -> None:
    summary = summarise(_scripted_log())
    assert len(summary.tips) == 2
    assert "Leave your own view out" in summary.tips[0]


def test_an_empty_rehearsal_still_gets_two_tips_and_no_coverage() -> None:
    summary = summarise(RehearsalLog("hca_nursing"))
    assert summary.open_share == 0.0
    assert summary.stages_covered == ()
    assert len(summary.tips) == 2
    assert "stage 1" in summary.tips[0]


def test_compare_describes_the_change_in_plain_words() -> None:
    before = summarise(_scripted_log())
    after_log = _scripted_log().add("What are the next steps?", 3).add("How would you sum up what we agreed?", 3)
    after = summarise(after_log)
    sentence = compare(after, before)
    assert sentence.startswith("Your open questions rose from 50% to 67%")
    assert "3 of 3 stages both times" in sentence
    assert sentence.endswith(".")


def test_compare_says_when_nothing_changed() -> None:
    summary = summarise(_scripted_log())
    assert "stayed at 50%" in compare(summary, summary)


def test_feedback_on_a_closed_question_explains_and_offers_the_rewrite() -> None:
    text = feedback(analyse("Do you enjoy your role?"))
    assert text.startswith("That's a closed question")
    assert '"What do you enjoy about your role?"' in text


def test_feedback_on_an_open_question_says_what_worked() -> None:
    assert feedback(analyse("What matters most to you?")).startswith("Good open question")


def test_feedback_on_a_reflection_recognises_the_skill() -> None:
    assert feedback(analyse("So you feel stuck.")).startswith("Good reflecting back")
