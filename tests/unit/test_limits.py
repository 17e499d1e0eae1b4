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
    assert (defaults.messages_in_flight, defaults.messages_per_minute, defaults.message_burst) == (3, 60, 10)
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
        self.finished: list[tuple[str, bool]] = []  # (who, whether it was a paced reply)

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
                replies.finished.append((recipient_id, paced))

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
    bystander = replies.finished.index(("bystander", False))
    paced_before = [who for who, paced in replies.finished[:bystander] if paced]
    assert len(paced_before) <= 1  # not behind the flooder's line of paced messages


async def test_a_flood_is_answered_at_once_unread_and_every_reply_carries_the_urgent_numbers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import safety
    from bot.channels import limits

    readings: list[str] = []
    assess = safety.assess
    monkeypatch.setattr(safety, "assess", lambda text: readings.append(text) or assess(text))
    replies = _SlowReplies()
    sent: list[str] = []
    channel = replies.channel()
    original = channel.send_text_message

    async def record(recipient_id: str, text: str, **kwargs: Any) -> None:
        sent.append(text)
        await original(recipient_id, text, **kwargs)

    channel.send_text_message = record
    from rasa.core.channels.channel import UserMessage

    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Thank you.")

    guarded = limits.guard_messages(turn, load_settings({"COACH_MESSAGE_BURST": "1",
                                                         "COACH_MESSAGES_IN_FLIGHT": "1"}))
    await asyncio.gather(*(guarded(UserMessage(f"message {n}", channel, "flooder")) for n in range(40)))

    flooded = [text for text in sent if "a lot of messages at once" in text]
    assert len(sent) == 40  # every message got its reply
    assert len(flooded) >= 30  # past the few in line, none waited to be read
    assert all(signposting.urgent_reminder() in text for text in flooded)
    assert len(readings) <= limits.MAX_WAITING + 1  # the flood itself was never read


async def test_a_steady_flood_one_message_after_another_is_read_only_a_few_times_a_minute(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot import safety
    from bot.channels import limits

    readings: list[str] = []
    assess = safety.assess
    monkeypatch.setattr(safety, "assess", lambda text: readings.append(text) or assess(text))

    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Thank you.")

    guarded = limits.guard_messages(turn, load_settings({"COACH_MESSAGE_BURST": "1"}))
    for n in range(15):  # each waits for its reply: the line never fills, yet no person sends like this
        await guarded(UserMessage(f"message {n}", CollectingOutputChannel(), "flooder"))
    assert len(readings) == limits.READS_PER_MINUTE


# --- the replicas behind the edge pace a sender together (Redis) ---------------------------------------------------


async def _admitted(guards: list[Any], messages: int) -> int:
    """Send ``messages`` for one sender, round robin over ``guards`` (one per replica); how many were taken in."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    taken_in = 0
    for n in range(messages):
        out = CollectingOutputChannel()
        await guards[n % len(guards)](UserMessage(f"message {n}", out, "flooder"))
        taken_in += any(m.get("text") == "Thank you." for m in out.messages)
    return taken_in


def _replica(settings: dict[str, str]) -> Any:
    from rasa.core.channels.channel import UserMessage

    from bot.channels.limits import guard_messages

    async def turn(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Thank you.")

    return guard_messages(turn, load_settings({"COACH_MESSAGE_BURST": "5", **settings}))


@pytest.mark.scale
async def test_two_replicas_sharing_redis_allow_one_burst_between_them(redis_url: str) -> None:
    shared = {"COACH_REDIS_URL": redis_url}
    assert await _admitted([_replica(shared), _replica(shared)], 12) == 5
    assert await _admitted([_replica({}), _replica({})], 12) == 10  # without Redis, a burst each


@pytest.mark.scale
async def test_with_redis_gone_each_replica_still_paces_on_its_own(tmp_path: Any) -> None:
    from tests.unit.conftest import start_redis, stop_redis

    stop_redis(start_redis(tmp_path))
    replica = _replica({"COACH_REDIS_URL": f"unix://{tmp_path / 'redis.sock'}"})
    assert await _admitted([replica], 8) == 5
