"""Message and request limits and the pace per sender: settings and the kind replies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot import signposting
from bot.limits import DEFAULT_MAX_MESSAGE_CHARS, Pace, is_too_long, too_fast_reply, too_long_reply
from bot.settings import BadSetting, load_settings


def test_the_limits_come_from_the_environment_with_safe_defaults() -> None:
    defaults = load_settings({})
    assert defaults.max_message_chars == DEFAULT_MAX_MESSAGE_CHARS == 5_000
    assert 64 * 1024 <= defaults.max_request_bytes < 1_000_000
    given = load_settings({"COACH_MAX_MESSAGE_CHARS": "4_000", "COACH_MAX_REQUEST_BYTES": "65536"})
    assert (given.max_message_chars, given.max_request_bytes) == (4_000, 65_536)


@pytest.mark.parametrize("value", ["lots", "0", "-1", "4.5"])
def test_a_bad_limit_is_an_error_not_a_silent_default(value: str) -> None:
    with pytest.raises(BadSetting, match="COACH_MAX_MESSAGE_CHARS"):
        load_settings({"COACH_MAX_MESSAGE_CHARS": value})


def test_length_counts_characters_not_bytes() -> None:
    assert not is_too_long("é" * 10, 10)
    assert is_too_long("é" * 11, 10)
    assert not is_too_long(None, 10)


def test_the_reply_is_kind_and_asks_for_a_shorter_message() -> None:
    reply = too_long_reply("The rota and the audit and the ward meeting. " * 200, 5_000)
    assert "Thank you" in reply and "5,000 characters" in reply and "shorter" in reply
    assert "116 123" not in reply


def test_a_disclosure_inside_an_over_long_message_still_gets_urgent_help() -> None:
    padding = "The rota and the audit and the ward meeting. " * 1_500
    crisis = too_long_reply(padding + "I am going to kill myself tonight. " + padding, 5_000)
    assert crisis.startswith(signposting.unread_message_reply(crisis=True)) and "shorter" in crisis
    check_in = too_long_reply(padding + "This is goodbye." + padding, 5_000)
    assert check_in.startswith(signposting.unread_message_reply(crisis=False)) and "shorter" in check_in
    for reply in (crisis, check_in):
        assert "116 123" in reply and "999" in reply
        # Nothing on this path pauses a question or shows buttons, so the reply promises neither.
        assert "I've paused" not in reply and "I'm safe, carry on" not in reply


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pace_settings_come_from_the_environment_with_defaults_a_person_never_reaches() -> None:
    defaults = load_settings({})
    assert (defaults.messages_in_flight, defaults.messages_per_minute, defaults.message_burst) == (3, 60, 30)
    given = load_settings({"COACH_MESSAGES_IN_FLIGHT": "2", "COACH_MESSAGES_PER_MINUTE": "10",
                           "COACH_MESSAGE_BURST": "5"})
    assert (given.messages_in_flight, given.messages_per_minute, given.message_burst) == (2, 10, 5)


def test_a_sender_has_only_a_few_messages_handled_at_once() -> None:
    pace = Pace(in_flight=3, per_minute=60, burst=30, clock=FakeClock())
    assert [pace.admit("ana") for _ in range(5)] == [True, True, True, False, False]
    assert pace.admit("ben"), "another person is not held back by the first one's burst"
    pace.done("ana")
    assert pace.admit("ana") and not pace.admit("ana")


def test_beyond_a_burst_a_sender_gets_the_steady_rate() -> None:
    clock = FakeClock()
    pace = Pace(in_flight=1, per_minute=60, burst=5, clock=clock)

    def send() -> bool:
        admitted = pace.admit("ana")
        if admitted:
            pace.done("ana")
        return admitted

    assert [send() for _ in range(6)] == [True] * 5 + [False]
    clock.now += 1.0  # one message a second at 60 a minute
    assert send() and not send()
    clock.now += 600  # a long pause refills the burst, and no more
    assert [send() for _ in range(6)] == [True] * 5 + [False]


def test_pace_remembers_a_bounded_number_of_senders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.limits.MAX_SENDERS_REMEMBERED", 100)
    clock = FakeClock()
    pace = Pace(in_flight=1, per_minute=1, burst=2, clock=clock)
    for number in range(1_000):
        assert pace.admit(f"visitor-{number}")
        pace.done(f"visitor-{number}")
    assert len(pace._buckets) <= 100


def test_a_message_sent_too_quickly_gets_a_kind_reply_and_a_disclosure_still_gets_urgent_help() -> None:
    calm = too_fast_reply("and another thing about the rota")
    assert "send it again" in calm and "116 123" not in calm
    crisis = too_fast_reply("I am going to kill myself tonight")
    assert crisis.startswith(signposting.unread_message_reply(crisis=True)) and "send it again" in crisis


class _SlowReplies:
    """Output channels whose replies take a while to leave, as over a real connection; counts how many paced
    replies were being sent at once, and who finished when."""

    def __init__(self) -> None:
        self.paced_now = self.most_paced_at_once = 0
        self.finished: list[str] = []

    def channel(self) -> Any:
        from rasa.core.channels.channel import CollectingOutputChannel

        replies = self

        class Slow(CollectingOutputChannel):
            async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
                paced = "very quickly" in text
                replies.paced_now += paced
                replies.most_paced_at_once = max(replies.most_paced_at_once, replies.paced_now)
                await asyncio.sleep(0.02)
                replies.paced_now -= paced
                replies.finished.append(recipient_id)

        return Slow()


async def _burst(replies: _SlowReplies, messages: int, bystander: bool = True) -> None:
    from rasa.core.channels.channel import UserMessage

    from bot.channels.limits import guard_messages

    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Thank you.")

    guarded = guard_messages(turn, load_settings({"COACH_MESSAGE_BURST": "1", "COACH_MESSAGES_IN_FLIGHT": "1"}))
    burst = [guarded(UserMessage(f"message {n}", replies.channel(), "flooder")) for n in range(messages)]
    if bystander:
        burst.append(guarded(UserMessage("hi", replies.channel(), "bystander")))
    await asyncio.gather(*burst)


async def test_a_burst_is_answered_one_message_at_a_time_and_other_people_are_not_held_up() -> None:
    replies = _SlowReplies()
    await _burst(replies, 10)
    assert replies.most_paced_at_once == 1
    assert replies.finished.index("bystander") < 3  # not behind the flooder's line


async def test_a_flood_beyond_any_person_is_not_held_in_line_without_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels import limits

    monkeypatch.setattr(limits, "MAX_WAITING", 2)
    replies = _SlowReplies()
    await _burst(replies, 8, bystander=False)
    assert replies.most_paced_at_once > 1
    assert len(replies.finished) == 8  # every message still got its reply
