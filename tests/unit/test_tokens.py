"""Web sessions are bound to signed tokens."""

from __future__ import annotations

from bot.channels import tokens

SECRET = "a-test-secret-that-is-at-least-32-bytes"


def test_a_genuine_token_names_its_conversation() -> None:
    token = tokens.mint(SECRET, subject="abc")
    claims = tokens.verify(token, SECRET)
    assert claims is not None and tokens.sender_id(claims) == "web:abc"


def test_a_signed_in_user_is_the_same_person_on_every_channel() -> None:
    claims = tokens.verify(tokens.mint(SECRET, sso="jane.doe@nhs.net"), SECRET)
    assert claims is not None and tokens.sender_id(claims) == "sso:jane.doe@nhs.net"


def test_forged_expired_and_malformed_tokens_are_refused() -> None:
    assert tokens.verify(tokens.mint("another-secret-that-is-long-enough-32b"), SECRET) is None
    assert tokens.verify(tokens.mint(SECRET, lifetime=-10), SECRET) is None
    assert tokens.verify("not-a-token", SECRET) is None
    assert tokens.verify(None, SECRET) is None
