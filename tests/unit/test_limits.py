"""Message and request limits: settings and the kind reply."""

from __future__ import annotations

import pytest

from bot import signposting
from bot.limits import DEFAULT_MAX_MESSAGE_CHARS, is_too_long, too_long_reply
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
