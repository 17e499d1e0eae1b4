"""A new user talks to the real coach over REST: real servers, real model, real database."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.servers import CoachServers, button_payloads, texts

pytestmark = pytest.mark.servers


def new_user() -> str:
    return f"rest-{uuid.uuid4().hex[:10]}"


def test_a_new_user_is_told_what_the_coach_does_and_the_privacy_promise(coach: CoachServers) -> None:
    replies = coach.say(new_user(), "hi")
    said = texts(replies).lower()
    assert "career conversation" in said
    assert "nothing" in said and "shared" in said
    assert {"/start_journey", "/manager_mode", "/find_resources"} <= set(button_payloads(replies))


def test_replies_vary_between_users(coach: CoachServers) -> None:
    greetings = {texts(coach.say(new_user(), "hello")) for _ in range(8)}
    assert len(greetings) > 1


def test_help_lists_what_the_coach_can_do(coach: CoachServers) -> None:
    said = texts(coach.say(new_user(), "what can you do?")).lower()
    assert "where was i" in said and "delete my data" in said


def test_an_off_topic_request_gets_an_honest_answer_and_starts_nothing(coach: CoachServers) -> None:
    user = new_user()
    said = texts(coach.say(user, "what's the weather like in Leeds today?")).lower()
    assert "can't help" in said or "outside what i can do" in said
    assert coach.tracker(user).get("active_loop", {}).get("name") is None


def test_goodbye_says_the_answers_are_kept(coach: CoachServers) -> None:
    said = texts(coach.say(new_user(), "bye for now")).lower()
    assert ("goodbye" in said or "take care" in said) and "where was i" in said


def test_restart_starts_afresh(coach: CoachServers) -> None:
    user = new_user()
    coach.say(user, "/start_journey")
    coach.say(user, "restart")
    assert coach.tracker(user).get("active_loop", {}).get("name") is None
