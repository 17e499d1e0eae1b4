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


def test_no_token_is_accepted_beyond_the_maximum_lifetime_whatever_its_exp_says() -> None:
    now = 1_800_000_000.0
    long_lived = tokens.mint(SECRET, subject="abc", lifetime=30 * 24 * 3600, now=now)
    assert tokens.verify(long_lived, SECRET, now=now + 11 * 3600) is not None
    assert tokens.verify(long_lived, SECRET, now=now + 12 * 3600) is None  # the default maximum: 12 hours
    assert tokens.verify(long_lived, SECRET, max_lifetime=3600, now=now + 3601) is None
    claims = tokens.verify(long_lived, SECRET, now=now)
    assert claims is not None and tokens.expires_at(claims) == now + 12 * 3600


def test_a_new_token_lasts_the_maximum_lifetime_by_default() -> None:
    claims = tokens.verify(tokens.mint(SECRET, now=1_800_000_000.0), SECRET, now=1_800_000_000.0)
    assert claims is not None and claims["exp"] - claims["iat"] == tokens.MAX_LIFETIME_SECONDS == 12 * 3600


def test_a_token_without_an_issue_time_or_issued_in_the_future_is_refused() -> None:
    import time

    import jwt

    no_iat = jwt.encode({"sub": "abc", "aud": "coach-web", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256")
    assert tokens.verify(no_iat, SECRET) is None
    future = tokens.mint(SECRET, now=time.time() + 3600)
    assert tokens.verify(future, SECRET) is None


def test_the_maximum_lifetime_is_a_setting() -> None:
    from bot.settings import load_settings

    assert load_settings({}).web_token_max_seconds == 12 * 3600
    assert load_settings({"COACH_WEB_TOKEN_MAX_HOURS": "2"}).web_token_max_seconds == 2 * 3600
