"""The production profile's settings for the servers it starts (deploy/profile.py), without starting them."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from deploy import profile
from deploy.profile import Profile


@pytest.fixture(autouse=True)
def as_this_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profile, "service_account", lambda: pwd.getpwuid(os.geteuid()))


def test_on_this_machine_links_point_at_the_loopback_edge(tmp_path: Path) -> None:
    local = Profile(tmp_path, tmp_path / "model.tar.gz", public_port=9443)
    assert local.environment()["COACH_PUBLIC_URL"] == "https://127.0.0.1:9443"


def test_with_a_public_address_links_point_at_the_address_people_use(tmp_path: Path) -> None:
    public = Profile(tmp_path, tmp_path / "model.tar.gz", listen="0.0.0.0:443",
                     public_url="https://coach.example.nhs.uk")
    environment = public.environment()
    assert environment["COACH_PUBLIC_URL"] == "https://coach.example.nhs.uk"
    assert environment["SANIC_HOST"] == "127.0.0.1"  # only the edge listens on the public address


def test_secrets_are_made_once_and_private(tmp_path: Path) -> None:
    first, again = Profile(tmp_path, tmp_path / "m"), Profile(tmp_path, tmp_path / "m")
    assert first.environment()["COACH_TOKEN_SECRET"] == again.environment()["COACH_TOKEN_SECRET"]
    assert (tmp_path / "token-secret").stat().st_mode & 0o077 == 0
    assert first.environment()["COACH_DATA_KEYS_FILE"] == again.environment()["COACH_DATA_KEYS_FILE"]
    assert (tmp_path / "data-keys").stat().st_mode & 0o077 == 0


def test_the_profile_gives_every_server_a_data_key_it_can_seal_with(tmp_path: Path) -> None:
    from bot.settings import load_settings
    from bot.store.sealing import load_keyring

    keyring = load_keyring(load_settings(Profile(tmp_path, tmp_path / "m").environment()))
    assert keyring.open(keyring.seal("my words")) == "my words"
