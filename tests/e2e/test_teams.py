"""A Teams conversation through the real Rasa server, with Microsoft replaced by a faithful local fake."""

from __future__ import annotations

import uuid
from typing import Any, Dict

import pytest
import requests

from bot.store import open_store
from tests.e2e.servers import CoachServers
from tests.teams.fake_microsoft import FakeMicrosoft

pytestmark = pytest.mark.servers


def post(coach: CoachServers, microsoft: FakeMicrosoft, activity: Dict[str, Any], token: str) -> int:
    response = requests.post(f"{coach.base_url}/webhooks/teams/webhook", json=activity,
                             headers={"Authorization": f"Bearer {token}"}, timeout=60)
    return response.status_code


def test_a_teams_user_chats_and_presses_a_card_button(coach: CoachServers, microsoft: FakeMicrosoft) -> None:
    user = f"aad-{uuid.uuid4().hex[:8]}"
    conversation = f"a:{uuid.uuid4().hex}"
    before = len(microsoft.activities)
    token = microsoft.mint_token(microsoft.service_url)
    hello = microsoft.message_activity("hi", aad_object_id=user, conversation_id=conversation)
    assert post(coach, microsoft, hello, token) == 200
    replies = microsoft.wait_for_activities(before + 1, timeout=30)[before:]
    text = " ".join(r.get("text", "") for r in replies)
    assert "career conversation" in text
    assert any(r.get("suggestedActions") or r.get("attachments") for r in replies)

    before = len(microsoft.activities)
    press = microsoft.message_activity(None, value={"payload": "/start_journey"}, aad_object_id=user,
                                       conversation_id=conversation)
    assert post(coach, microsoft, press, microsoft.mint_token(microsoft.service_url)) == 200
    replies = microsoft.wait_for_activities(before + 2, timeout=30)[before:]
    assert "Section 1 of 6" in " ".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("forgery", ["wrong-audience", "expired", "no-token", "wrong-service-url"])
def test_forged_teams_requests_are_refused_and_reach_nothing(coach: CoachServers, microsoft: FakeMicrosoft,
                                                             forgery: str) -> None:
    user = f"aad-{uuid.uuid4().hex[:8]}"
    activity = microsoft.message_activity("Band 5 nurse, please remember this", aad_object_id=user)
    tokens = {
        "wrong-audience": microsoft.mint_token(microsoft.service_url, audience="someone-else"),
        "expired": microsoft.mint_token(microsoft.service_url, lifetime=-600),
        "no-token": "",
        "wrong-service-url": microsoft.mint_token("https://attacker.example/"),
    }
    before = len(microsoft.activities)
    assert post(coach, microsoft, activity, tokens[forgery]) == 401
    assert len(microsoft.wait_for_activities(before + 1, timeout=1)) == before
    events = coach.tracker(f"teams:{user}", all_events=True).get("events", [])
    assert not any(e.get("event") == "user" for e in events)
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(f"teams:{user}")) == {}
