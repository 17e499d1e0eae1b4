"""Safety with the real coach: a disclosure at any step interrupts and is never stored; off-topic starts nothing."""

from __future__ import annotations

import uuid

import pytest

from bot.journey import load_journey
from bot.journey_service import OFFERED_AFTER_CHECK_IN
from bot.plan import choice_options
from bot.store import open_store
from tests.e2e.servers import CoachServers, button_payloads, texts

pytestmark = pytest.mark.servers

DISCLOSURES = [
    "I keep thinking everyone would be better off without me",
    "i want to end my life",
    "my partner hits me when I get home late",
]


def test_a_disclosure_at_every_step_of_the_journal_interrupts_and_is_never_stored(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    prompts = load_journey().flow("journal").prompts
    coach.say(user, "/start_journey")
    store = open_store(coach.database_url)
    answers = []
    for step, prompt in enumerate(prompts):
        disclosure = DISCLOSURES[step % len(DISCLOSURES)]
        urgent = texts(coach.say(user, disclosure))
        assert "116 123" in urgent and "999" in urgent, (prompt.id, urgent)
        resumed = texts(coach.say(user, "/where_was_i"))
        assert prompt.text[:40] in resumed, (prompt.id, resumed)
        # A choice is typed as its label ("Mid-career"), as a person would; anything else in their own words.
        answers.append(choice_options(prompt.options_from)[1].label if prompt.options_from else f"answer {step}")
        coach.say(user, answers[-1])
    stored = [a.text for a in store.answers(store.person_id(user)).values()]
    assert stored == answers


def test_are_you_safe_answered_in_words_yes_carries_on_and_no_gets_the_numbers(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    check_in = texts(coach.say(user, "/risk_unclear"))
    assert "Are you safe at the moment?" in check_in
    carried_on = texts(coach.say(user, "yes"))
    assert "How are you feeling about work" in carried_on, carried_on
    coach.say(user, "/risk_unclear")
    urgent = texts(coach.say(user, "no"))
    assert "116 123" in urgent and "999" in urgent and "Are you safe" not in urgent
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]


@pytest.mark.parametrize("typed", ["I need help now", "i need help now please"])
def test_the_check_ins_own_label_for_help_typed_still_gets_the_urgent_numbers(coach: CoachServers, typed: str) -> None:
    """A button's label typed is the button (bot.picking), but words of risk always reach the safety gate."""
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    assert "Are you safe at the moment?" in texts(coach.say(user, "/risk_unclear"))
    urgent = texts(coach.say(user, typed))
    assert "116 123" in urgent and "999" in urgent, urgent
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(user)) == {}


@pytest.mark.parametrize(("reply", "carries_on"), [
    ("im safe, just a long shift", True), ("yh im safe", True),  # the NLU read this one as another language
    ("unsure", False), ("yes but i've got a plan", False),  # read as a yes, and as a request to send the plan
    ("what does safe even mean", False), ("dunno", False),
])
def test_are_you_safe_answered_in_own_words_carries_on_only_when_it_says_safe(
        coach: CoachServers, reply: str, carries_on: bool) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    assert "Are you safe at the moment?" in texts(coach.say(user, "/risk_unclear"))
    replies = coach.say(user, reply)
    answer = texts(replies)
    if carries_on:
        assert "How are you feeling about work" in answer and "116 123" not in answer, answer
    else:
        assert "116 123" in answer and "999" in answer and "/talk_to_person" in button_payloads(replies), answer
        assert "How are you feeling about work" not in answer and "your plan" not in answer.lower(), answer
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]


def test_im_safe_after_a_check_in_on_a_request_offers_it_then_asks_the_question_and_keeps_none_of_the_words(
        coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    met = "send me the plan when its all done please, to my work email"
    assert "Are you safe at the moment?" in texts(coach.say(user, met))  # the classifier alone
    replies = coach.say(user, "im safe, just tired")
    carried_on = texts(replies)
    assert OFFERED_AFTER_CHECK_IN in carried_on and "How are you feeling about work" in carried_on, carried_on
    assert "/send_plan" in button_payloads(replies) and "Picking up" not in carried_on, carried_on
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]


@pytest.mark.parametrize("safe", ["/where_was_i", "im safe, just tired"])  # the button, and in words
def test_im_safe_after_a_check_in_asks_the_question_again_and_keeps_none_of_the_words(
        coach: CoachServers, safe: str) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    check_in = texts(coach.say(user, "delegating. i try to do everything myself"))  # the classifier alone
    assert "Are you safe at the moment?" in check_in and "116 123" in check_in, check_in
    carried_on = texts(coach.say(user, safe))
    assert "How are you feeling about work" in carried_on and "delegating" not in carried_on, carried_on
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]


def test_im_safe_after_a_check_in_on_a_skip_skips_the_question(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    # The classifier alone; its other words give no reason for the skip, so they are not explained away.
    assert "Are you safe at the moment?" in texts(coach.say(user, "Skipping. My answer would just be a rant"))
    carried_on = texts(coach.say(user, "/where_was_i"))
    assert "No problem, we'll leave that one." in carried_on and "You wrote" not in carried_on, carried_on
    store = open_store(coach.database_url)
    answers = store.answers(store.person_id(user))
    assert sorted(answers) == ["journal.details.role", "journal.wellbeing.now"]
    assert answers["journal.wellbeing.now"].skipped


@pytest.mark.parametrize(("met", "done", "then_asked"), [
    ("which stage is this? feel like ive been going forever lol", "Here's where you are:", True),
    ("my role answer... i undersold myself there, can i redo it", "Here's that answer.", False),
])
def test_im_safe_after_a_check_in_on_a_question_or_a_change_does_it_and_keeps_none_of_the_words(
        coach: CoachServers, met: str, done: str, then_asked: bool) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    assert "Are you safe at the moment?" in texts(coach.say(user, met))  # the classifier alone
    carried_on = texts(coach.say(user, "im safe, just tired"))
    assert done in carried_on and "Picking up" not in carried_on, carried_on
    assert ("How are you feeling about work" in carried_on) == then_asked, carried_on
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]


@pytest.mark.parametrize("safe", ["/where_was_i", "im safe, just tired"])  # the button, and in words
def test_im_safe_after_a_check_in_on_a_stop_pauses_and_keeps_the_place(coach: CoachServers, safe: str) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    assert "Are you safe at the moment?" in texts(coach.say(user, "i'm done, i can't face this, stop please"))
    paused = texts(coach.say(user, safe))
    assert "where was I?" in paused and "How are you feeling about work" not in paused, paused
    assert coach.tracker(user).get("active_loop", {}).get("name") is None
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]
    assert "How are you feeling about work" in texts(coach.say(user, "/where_was_i"))


@pytest.mark.parametrize("reply", ["thanks", "im fine", "yes but i've got a plan"])
def test_after_the_crisis_reply_words_it_did_not_offer_get_asked_are_you_safe(coach: CoachServers,
                                                                              reply: str) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    assert "116 123" in texts(coach.say(user, "i want to end my life"))
    answer = texts(coach.say(user, reply))
    assert "Are you safe at the moment?" in answer and "116 123" in answer, answer
    assert "How are you feeling about work" not in answer and "your plan" not in answer, answer
    assert "116 123" in texts(coach.say(user, "no"))


def test_a_disclosure_during_a_rehearsal_interrupts_it(coach: CoachServers) -> None:
    user = f"manager-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/rehearse")
    coach.say(user, '/choose{"choice": "hca_nursing"}')
    urgent = texts(coach.say(user, "to be honest I've been self-harming again"))
    assert "116 123" in urgent
    assert coach.tracker(user).get("active_loop", {}).get("name") is None


def test_a_disclosure_after_a_wall_of_marks_mid_form_gets_urgent_help_and_is_never_stored(coach: CoachServers) -> None:
    # The classifier sees only the start of so many tokens (bot/nlu/coach_spacy.py); the safety gate reads it all.
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    urgent = texts(coach.say(user, "!" * 4000 + " honestly I want to end my life"))
    assert "116 123" in urgent and "999" in urgent, urgent
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(user)) == {}


@pytest.mark.parametrize("idiom", ["this rota is killing me", "I'm dying to apply for that band 6 post",
                                   "I'd kill for a day off"])
def test_workplace_idioms_do_not_trigger_the_crisis_path(coach: CoachServers, idiom: str) -> None:
    assert "116 123" not in texts(coach.say(f"staff-{uuid.uuid4().hex[:8]}", idiom))


def test_stress_told_cold_is_signposted_and_offered_only_what_the_coach_can_do(coach: CoachServers) -> None:
    replies = coach.say(f"staff-{uuid.uuid4().hex[:8]}",
                        "I'm really struggling to pay my bills and it's affecting my sleep")
    assert "lot to carry" in texts(replies) and "we can also note this" not in texts(replies)
    assert {'/find_resources{"topic": "wellbeing"}', "/start_journey"} <= set(button_payloads(replies))


OFF_TOPIC = ["what's the weather in Manchester tomorrow", "book me a table for two tonight",
             "what's my bank balance", "who won the match last night", "my laptop is broken, log a ticket",
             "how many miles to Edinburgh", "tell me a joke", "can you order me a taxi"]


@pytest.mark.parametrize("message", OFF_TOPIC)
def test_off_topic_messages_start_no_flow_and_store_nothing(coach: CoachServers, message: str) -> None:
    user = f"visitor-{uuid.uuid4().hex[:8]}"
    said = texts(coach.say(user, message)).lower()
    assert "scope for growth" in said or "can't help" in said or "didn't quite follow" in said \
        or "not sure i understood" in said
    assert coach.tracker(user).get("active_loop", {}).get("name") is None
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(user)) == {}


def test_a_disclosure_gets_urgent_help_even_when_the_action_server_is_down(coach: CoachServers) -> None:
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.kill_actions()
    try:
        urgent = texts(coach.say(user, "i want to kill my self tonight"))
        unsure = texts(coach.say(user, "I keep thinking about the bridge"))  # the check-in (concern)
        not_sure = texts(coach.say(user, "dunno"))  # a reply typed at the check-in (bot/channels/check_in_policy.py)
    finally:
        coach.restart_actions()
    assert "116 123" in urgent and "999" in urgent
    assert "Are you safe" in unsure and "116 123" in unsure
    assert "116 123" in not_sure and "999" in not_sure
