"""Secure by default, tried against the real Rasa server: no default secrets, no access without a token."""

from __future__ import annotations

import contextlib
import json
import queue
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator, Tuple

import pytest
import requests

from bot.store import open_store
from tests.e2e.servers import DEPLOYED_PACE, ROOT, TOKEN_SECRET, CoachServers, free_port, texts, trained_model
from tests.web_clients import PageClient

pytestmark = pytest.mark.servers


@contextlib.contextmanager
def web_chat(coach: CoachServers) -> Iterator[Tuple[Any, queue.Queue[dict]]]:
    """A web chat session as the widget opens one: a token, a Socket.IO connection, the session request."""
    session = requests.post(f"{coach.base_url}/webhooks/web/session", json={}, timeout=10).json()
    replies: queue.Queue[dict] = queue.Queue()
    web = PageClient()
    web.on("bot_uttered", replies.put)
    web.connect(coach.base_url, auth={"token": session["token"]}, transports=["polling"], wait_timeout=10)
    try:
        web.emit("session_request", {"session_id": session["session_id"]})
        time.sleep(0.5)
        yield web, replies
    finally:
        web.disconnect()


def refused_start(tmp_path: Path, unset: str, endpoints: str = "") -> str:
    """Start the Rasa server with the setting ``unset`` empty; it must exit. Returns its log."""
    servers = CoachServers(tmp_path, trained_model(), env_extra={unset: ""})
    servers.rasa_port, servers.actions_port = free_port(), free_port()
    (tmp_path / "logs").mkdir()
    (tmp_path / "endpoints.yml").write_text(endpoints)
    rasa = servers.spawn("rasa", servers.rasa_command())
    try:
        assert rasa.wait(timeout=180) != 0
    finally:
        if rasa.poll() is None:
            rasa.kill()
    return (tmp_path / "logs" / "rasa.log").read_text()


def test_the_rasa_server_refuses_to_start_without_a_token_secret(tmp_path: Path) -> None:
    assert "COACH_TOKEN_SECRET is not set" in refused_start(tmp_path, "COACH_TOKEN_SECRET")


def test_the_rasa_server_refuses_to_start_without_data_keys(tmp_path: Path) -> None:
    # The coach's tracker store (in endpoints.yml) is what needs the keys.
    assert "COACH_DATA_KEYS is not set" in refused_start(tmp_path, "COACH_DATA_KEYS",
                                                         (ROOT / "endpoints.yml").read_text())


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


# --- limits: nothing over-long reaches the NLU, and big bodies are refused unread ----------------------------------

LONG = "I have so much to say about my rota. " * 1_700  # about 63,000 characters


def test_a_60000_character_message_over_rest_gets_a_kind_reply_and_the_next_one_works(
        coach: CoachServers) -> None:
    user = f"web:{uuid.uuid4().hex}"
    assert len(LONG) > 60_000
    replies = coach.say(user, LONG)  # how long it takes: make bench BENCH=abuse
    assert "longer than I can take in one go" in texts(replies)
    assert "career conversation" in texts(coach.say(user, "hi"))
    said = [e.get("text") for e in coach.tracker(user, all_events=True)["events"] if e.get("event") == "user"]
    assert said == ["hi"]  # the long one was never parsed or stored


def test_an_over_long_answer_mid_journal_is_not_stored_and_the_question_still_waits(coach: CoachServers) -> None:
    person = f"web:{uuid.uuid4().hex}"
    coach.say(person, "/start_journey")
    assert "longer than I can take in one go" in texts(coach.say(person, LONG))
    coach.say(person, "Band 5 staff nurse")
    store = open_store(coach.database_url)
    assert store.answers(store.person_id(person))["journal.details.role"].text == "Band 5 staff nurse"


def test_a_disclosure_inside_an_over_long_message_still_gets_the_urgent_numbers(coach: CoachServers) -> None:
    """The NLU never reads an over-long message, but the safety detector does (bot.limits.too_long_reply)."""
    person = f"web:{uuid.uuid4().hex}"
    coach.say(person, "/start_journey")
    said = texts(coach.say(person, LONG[:30_000] + " i cant go on, im going to end my life tonight. " + LONG[:30_000]))
    assert "116 123" in said and "999" in said and "shorter version" in said


def test_a_60000_character_message_in_the_web_chat_gets_a_kind_reply_and_the_next_one_works(
        coach: CoachServers) -> None:
    with web_chat(coach) as (web, replies):
        web.emit("user_uttered", {"message": LONG})
        assert "longer than I can take in one go" in replies.get(timeout=30)["text"]
        web.emit("user_uttered", {"message": "hi"})
        assert "career conversation" in replies.get(timeout=30)["text"]


@pytest.fixture(scope="module")
def paced_coach(coach: CoachServers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoachServers]:
    """A coach with the pace a deployment gets (the shared one relaxes it for scripted conversations)."""
    paced = CoachServers(tmp_path_factory.mktemp("paced"), coach.model, env_extra=DEPLOYED_PACE)
    yield paced.start()
    paced.stop()


def not_taken_in(reply: str) -> bool:
    """A kind reply to a message sent too quickly (read by the safety detector) or in a flood (not read)."""
    return "sent several messages very quickly" in reply or "a lot of messages at once" in reply


def test_a_burst_of_200_messages_from_one_sender_is_paced_and_another_person_is_still_answered(
        paced_coach: CoachServers) -> None:
    """A script fires 200 messages at once for one conversation: a burst of them is handled, the rest get a
    kind reply without reaching the NLU, and a second person chatting meanwhile gets the coach's real reply."""
    flooder, bystander = f"web:{uuid.uuid4().hex}", f"web:{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=50) as pool:
        burst = [pool.submit(paced_coach.say, flooder, f"message number {n}") for n in range(200)]
        greeting = texts(paced_coach.say(bystander, "hi"))
        replies = [texts(future.result()) for future in burst]
    assert "career conversation" in greeting
    paced = [r for r in replies if not_taken_in(r)]
    assert len(paced) >= 100, f"only {len(paced)} of 200 were paced"
    said = [e for e in paced_coach.tracker(flooder, all_events=True)["events"] if e.get("event") == "user"]
    assert len(said) == 200 - len(paced)  # a paced message is never parsed or stored


def test_a_disclosure_sent_in_a_burst_still_gets_the_urgent_numbers(paced_coach: CoachServers) -> None:
    person = f"web:{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=20) as pool:
        burst = [pool.submit(paced_coach.say, person, "i want to kill myself tonight") for _ in range(60)]
        replies = [texts(future.result()) for future in burst]
    assert any(not_taken_in(r) for r in replies)
    assert all("116 123" in r and "999" in r for r in replies)


def test_a_1_mb_body_is_refused_everywhere(coach: CoachServers) -> None:
    body = json.dumps({"sender": "web:big", "message": "x" * 1_000_000})
    routes = [("/webhooks/rest/webhook", coach.rest_headers), ("/webhooks/web/session", {}),
              ("/webhooks/teams/webhook", {"Authorization": "Bearer x"}),
              (f"/model/parse?token={coach.api_token}", {}), ("/socket.io/?EIO=4&transport=polling", {})]
    for path, headers in routes:  # how long each refusal takes: make bench BENCH=abuse
        try:
            status = requests.post(f"{coach.base_url}{path}", data=body, timeout=10,
                                   headers={"Content-Type": "application/json", **headers}).status_code
        except requests.ConnectionError:  # the server may close the connection rather than read the body
            status = 413
        assert status == 413, path
    assert "career conversation" in texts(coach.say(f"web:{uuid.uuid4().hex}", "hi"))  # still serving


# --- web tokens have a maximum lifetime ----------------------------------------------------------------------------


def test_a_page_on_another_site_cannot_open_the_chat_connection(coach: CoachServers) -> None:
    import socketio

    token = requests.post(f"{coach.base_url}/webhooks/web/session", json={}, timeout=10).json()["token"]
    with pytest.raises(socketio.exceptions.ConnectionError):
        PageClient().connect(coach.base_url, auth={"token": token}, transports=["polling"], wait_timeout=10,
                                  headers={"Origin": "https://evil.example"})
    own = PageClient()
    own.connect(coach.base_url, auth={"token": token}, transports=["polling"], wait_timeout=10,
                headers={"Origin": coach.base_url})
    assert own.connected
    own.disconnect()


def test_a_web_token_older_than_the_maximum_lifetime_is_refused_whatever_its_expiry(coach: CoachServers) -> None:
    import socketio

    from bot.channels import tokens

    old = tokens.mint(TOKEN_SECRET, sso="jane@example.nhs.uk", lifetime=30 * 24 * 3600, now=time.time() - 13 * 3600)
    resumed = requests.post(f"{coach.base_url}/webhooks/web/session", json={"token": old}, timeout=10)
    assert resumed.status_code == 401
    with pytest.raises(socketio.exceptions.ConnectionError):
        PageClient().connect(coach.base_url, auth={"token": old}, transports=["polling"], wait_timeout=10)
    fresh = requests.post(f"{coach.base_url}/webhooks/web/session", json={}, timeout=10).json()
    claims = tokens.verify(fresh["token"], TOKEN_SECRET)
    assert claims is not None and claims["exp"] - claims["iat"] <= 12 * 3600


# --- no message text in the logs -----------------------------------------------------------------------------------


def test_what_people_type_is_not_written_to_the_server_logs(coach: CoachServers) -> None:

    marker = f"zebracrossing{uuid.uuid4().hex[:10]}"
    person = f"web:{uuid.uuid4().hex}"
    coach.say(person, "/start_journey")
    coach.say(person, f"Band 6 physio, {marker} one")  # a journal answer
    coach.say(person, f"{marker} two " * 300)  # an over-long message
    with web_chat(coach) as (web, replies):
        web.emit("user_uttered", {"message": f"hello {marker} three"})
        replies.get(timeout=30)
    time.sleep(1)
    for log in (coach.workdir / "logs").glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name
