"""Secure by default, tried against the real Rasa server: no default secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.servers import CoachServers, free_port, trained_model

pytestmark = pytest.mark.servers


def test_the_rasa_server_refuses_to_start_without_a_token_secret(tmp_path: Path) -> None:
    servers = CoachServers(tmp_path, trained_model(), env_extra={"COACH_TOKEN_SECRET": ""})
    servers.rasa_port, servers.actions_port = free_port(), free_port()
    (tmp_path / "logs").mkdir()
    (tmp_path / "endpoints.yml").write_text("")
    rasa = servers.spawn("rasa", servers.rasa_args())
    try:
        assert rasa.wait(timeout=180) != 0
    finally:
        if rasa.poll() is None:
            rasa.kill()
    log = (tmp_path / "logs" / "rasa.log").read_text()
    assert "COACH_TOKEN_SECRET is not set" in log
