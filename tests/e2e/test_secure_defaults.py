"""Secure by default, tried against the real Rasa server: no default secrets, no access without a token."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import requests

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


# --- the REST channel and Rasa's HTTP API need the token -----------------------------------------------------------

WRONG = "a-wrong-token-that-is-at-least-32-characters"


def test_impersonation_over_rest_fails_without_the_token(coach: CoachServers) -> None:
    victim = f"sso:{uuid.uuid4().hex}"
    coach.say(victim, "hi")  # the real person (through a trusted client) has a conversation
    for headers in ({}, {"Authorization": f"Bearer {WRONG}"}, {"Authorization": coach.api_token}):
        reply = requests.post(f"{coach.base_url}/webhooks/rest/webhook", headers=headers, timeout=30,
                              json={"sender": victim, "message": "review my journal"})
        assert reply.status_code == 401
    csrf = json.dumps({"sender": victim, "message": "delete my data"})  # what a cross-site form can send
    forged = requests.post(f"{coach.base_url}/webhooks/rest/webhook", timeout=30,
                           headers={"Content-Type": "text/plain"}, data=csrf)
    assert forged.status_code == 401
    said = [e.get("text") for e in coach.tracker(victim, all_events=True)["events"] if e.get("event") == "user"]
    assert said == ["hi"]


@pytest.mark.parametrize("token", [None, WRONG])
def test_the_http_api_refuses_a_missing_or_wrong_token(coach: CoachServers, token: str | None) -> None:
    params = {"token": token} if token else {}
    victim = f"sso:{uuid.uuid4().hex}"
    coach.say(victim, "hi")
    assert requests.get(f"{coach.base_url}/conversations/{victim}/tracker", params=params,
                        timeout=30).status_code in (401, 403)
    assert requests.post(f"{coach.base_url}/model/parse", params=params, json={"text": "hi"},
                         timeout=30).status_code in (401, 403)
    assert requests.put(f"{coach.base_url}/model", params=params, timeout=30,
                        json={"model_server": {"url": "http://127.0.0.1:9/model.tar.gz"}}).status_code in (401, 403)
    assert requests.get(f"{coach.base_url}/status", params=params, timeout=30).status_code in (401, 403)
    # With the token the same requests are answered.
    assert coach.api_get(f"/conversations/{victim}/tracker").status_code == 200
    assert coach.api_get("/status").status_code == 200
