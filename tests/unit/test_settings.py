"""Settings come from the environment, and secrets never fall back to a default."""

from __future__ import annotations

import pytest

from bot.settings import MissingSecret, load_settings

SECRET = "a-test-secret-that-is-at-least-32-bytes"


def test_no_token_secret_means_no_secret_rather_than_a_default() -> None:
    settings = load_settings({})
    assert settings.token_secret is None
    with pytest.raises(MissingSecret, match="COACH_TOKEN_SECRET is not set"):
        settings.require_token_secret()
    with pytest.raises(MissingSecret, match="COACH_TOKEN_SECRET is not set"):
        load_settings({"COACH_TOKEN_SECRET": ""}).require_token_secret()


def test_a_short_token_secret_is_refused() -> None:
    with pytest.raises(MissingSecret, match="too short"):
        load_settings({"COACH_TOKEN_SECRET": "short"}).require_token_secret()


def test_a_given_token_secret_is_used() -> None:
    assert load_settings({"COACH_TOKEN_SECRET": SECRET}).require_token_secret() == SECRET


def test_the_web_channel_refuses_to_start_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.web import WebChatInput

    async def on_new_message(_: object) -> None:
        raise AssertionError("no message should arrive")

    monkeypatch.delenv("COACH_TOKEN_SECRET", raising=False)
    with pytest.raises(MissingSecret, match="COACH_TOKEN_SECRET"):
        WebChatInput().blueprint(on_new_message)


def test_confirmed_outcomes_go_with_delete_my_data_unless_the_organisation_keeps_them() -> None:
    from bot.settings import BadSetting

    assert load_settings({}).keep_confirmed_outcomes is False
    assert load_settings({"COACH_KEEP_CONFIRMED_OUTCOMES": "true"}).keep_confirmed_outcomes is True
    assert load_settings({"COACH_KEEP_CONFIRMED_OUTCOMES": "no"}).keep_confirmed_outcomes is False
    with pytest.raises(BadSetting, match="true or false"):
        load_settings({"COACH_KEEP_CONFIRMED_OUTCOMES": "sometimes"})
