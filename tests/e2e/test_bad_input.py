"""Odd input gets a clear, kind reply and nothing typed is lost: tried as a new user would."""

from __future__ import annotations

import time
import uuid

import pytest

from bot.store import open_store
from tests.e2e.servers import CoachServers, texts

pytestmark = pytest.mark.servers


def user() -> str:
    return f"odd-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("message", ["", "   ", "😊😊😊", "<script>alert('hi')</script>", "Shwmae, sut wyt ti?",
                                     "?!?!", "a" * 3000, "😀" * 5000, "!" * 5000],
                         ids=["empty", "spaces", "emoji", "html", "welsh", "punctuation", "huge-word",
                              "wall-of-emoji", "wall-of-marks"])
def test_odd_messages_outside_a_form_get_a_reply(coach: CoachServers, message: str) -> None:
    replies = coach.say(user(), message)
    assert replies and all(r.get("text") or r.get("buttons") for r in replies)


@pytest.mark.parametrize("answer", ["😊 feeling great 🎉", "<b>bold</b> & <script>x()</script>",
                                    "Rwy'n mwynhau fy swydd yn fawr", ("I look after patients. " * 217).strip()],
                         ids=["emoji", "html", "welsh", "huge"])
def test_odd_answers_mid_form_are_stored_exactly_as_typed(coach: CoachServers, answer: str) -> None:
    # "huge" is just under the message limit (COACH_MAX_MESSAGE_CHARS, 5,000); longer: test_secure_defaults.py
    person = user()
    coach.say(person, "/start_journey")
    replies = coach.say(person, answer)
    assert replies
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(person))["journal.details.role"].text == answer


@pytest.mark.parametrize("wrapped", ["<b>skip</b>", "<p>next question please</p>"])
def test_a_request_wrapped_in_markup_mid_form_is_done_not_stored(coach: CoachServers, wrapped: str) -> None:
    person = user()
    coach.say(person, "/start_journey")
    said = texts(coach.say(person, wrapped))
    assert "we'll leave that one" in said and "How are you feeling about work" in said, said
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(person))["journal.details.role"].skipped


def test_an_empty_answer_mid_form_gets_a_nudge_and_the_question_again(coach: CoachServers) -> None:
    person = user()
    coach.say(person, "/start_journey")
    said = texts(coach.say(person, " "))
    assert "What is your current role" in said or "skip" in said
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(person)) == {}


@pytest.mark.parametrize("marks", ["😊😊😊", "👍", "?!?!", "😀" * 5000, "<br><br>"],
                         ids=["emoji", "thumbs-up", "punctuation", "wall-of-emoji", "markup"])
def test_emoji_or_marks_alone_mid_form_get_a_nudge_and_nothing_is_stored(coach: CoachServers, marks: str) -> None:
    person = user()
    coach.say(person, "/start_journey")
    said = texts(coach.say(person, marks))
    assert "into a few words" in said, said
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(person)) == {}


def test_the_same_person_resumes_on_another_channel(coach: CoachServers) -> None:
    """A signed-in web user answers in the widget, then carries on over another channel linked by the same id."""
    import queue

    from bot.channels import tokens
    from tests.web_clients import PageClient

    sso = f"jane.{uuid.uuid4().hex[:6]}@example.nhs.uk"
    token = tokens.mint("an-end-to-end-test-secret-of-32-bytes", sso=sso)
    replies: queue.Queue[dict] = queue.Queue()
    web = PageClient()
    web.on("bot_uttered", replies.put)
    web.connect(coach.base_url, auth={"token": token}, transports=["polling"], wait_timeout=10)
    web.emit("session_request", {"session_id": None})
    for message in ["/start_journey", "Band 2 porter"]:
        web.emit("user_uttered", {"message": message})
        replies.get(timeout=30)
        time.sleep(1.5)  # let the rest of the reply arrive before the next message
    web.disconnect()
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(f"sso:{sso}"))["journal.details.role"].text == "Band 2 porter"
    resumed = texts(coach.say(f"sso:{sso}", "where was I?"))
    assert "How are you feeling about work" in resumed
