"""The coach's REST channel, behind a real Sanic server: no token, no conversation."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Dict, List, Optional

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.rest import CoachRestInput, bearer_matches, replies_to
from bot.channels.typed_picks import on_screen
from bot.settings import MissingSecret
from tests.channel_server import serve_channel

TOKEN = "a-rest-test-api-token-of-at-least-32-bytes"


class EchoAgent:
    """Stands in for Rasa's agent: records each message and answers "heard"."""

    def __init__(self) -> None:
        self.messages: List[UserMessage] = []
        self.lock_store = InMemoryLockStore()  # Rasa's own, as the channel looks up what is on screen
        self.tracker_store = InMemoryTrackerStore(Domain.empty())

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "heard")


class RestServer:
    def __init__(self, url: str, agent: EchoAgent, client: aiohttp.ClientSession) -> None:
        self.url, self.agent, self.client = url, agent, client

    async def post(self, body: Any, authorization: Optional[str] = None, **kwargs: Any) -> tuple[int, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if authorization is not None:
            headers["Authorization"] = authorization
        async with self.client.post(f"{self.url}/webhooks/rest/webhook", headers=headers,
                                    **({"json": body} if body is not None else {}), **kwargs) as reply:
            text = await reply.text()
            return reply.status, (await reply.json(content_type=None)) if text else None


@pytest.fixture
async def rest(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[RestServer]:
    monkeypatch.setenv("COACH_API_TOKEN", TOKEN)
    agent = EchoAgent()
    async with serve_channel(CoachRestInput(), agent) as url, aiohttp.ClientSession() as client:
        yield RestServer(url, agent, client)


def test_only_the_exact_bearer_token_matches() -> None:
    assert bearer_matches(f"Bearer {TOKEN}", TOKEN)
    assert bearer_matches(f"bearer {TOKEN}", TOKEN)
    assert not bearer_matches(None, TOKEN)
    assert not bearer_matches("", TOKEN)
    assert not bearer_matches(TOKEN, TOKEN)
    assert not bearer_matches(f"Bearer {TOKEN}x", TOKEN)
    assert not bearer_matches(f"Basic {TOKEN}", TOKEN)
    assert not bearer_matches(f"Bearer {TOKEN[:-1]}", TOKEN)


def test_the_channel_refuses_to_start_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    async def on_new_message(_: UserMessage) -> None:
        raise AssertionError("no message should arrive")

    monkeypatch.delenv("COACH_API_TOKEN", raising=False)
    with pytest.raises(MissingSecret, match="COACH_API_TOKEN is not set"):
        CoachRestInput().blueprint(on_new_message)


async def test_a_message_with_the_token_reaches_the_coach(rest: RestServer) -> None:
    status, replies = await rest.post({"sender": "sso:jane", "message": "hi"}, f"Bearer {TOKEN}")
    assert status == 200
    assert replies == [{"recipient_id": "sso:jane", "text": "heard"}]
    assert [(m.sender_id, m.text) for m in rest.agent.messages] == [("sso:jane", "hi")]


@pytest.mark.parametrize("authorization", [None, "", "Bearer wrong-token", f"Basic {TOKEN}", TOKEN,
                                           f"Bearer {TOKEN}x"])
async def test_without_the_token_nobody_speaks_as_anyone(rest: RestServer, authorization: Optional[str]) -> None:
    status, body = await rest.post({"sender": "sso:a-colleague", "message": "review my journal"}, authorization)
    assert status == 401
    assert body == {"error": "unauthorized"}
    assert rest.agent.messages == []


async def test_a_cross_site_text_plain_post_is_refused(rest: RestServer) -> None:
    status, _ = await rest.post(None, data='{"sender": "sso:a-colleague", "message": "delete my data"}',
                                headers={"Content-Type": "text/plain"})
    assert status == 401
    assert rest.agent.messages == []


async def test_the_health_route_also_needs_the_token(rest: RestServer) -> None:
    async with rest.client.get(f"{rest.url}/webhooks/rest/") as reply:
        assert reply.status == 401
    async with rest.client.get(f"{rest.url}/webhooks/rest/", headers={"Authorization": f"Bearer {TOKEN}"}) as reply:
        assert reply.status == 200


@pytest.mark.parametrize("body", [[], {"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": "a"},
                                  {"sender": 1, "message": "hi"}, {"sender": "a", "message": ["hi"]}])
async def test_a_malformed_body_is_refused_before_the_coach(rest: RestServer, body: Dict[str, Any]) -> None:
    status, _ = await rest.post(body, f"Bearer {TOKEN}")
    assert status == 400
    assert rest.agent.messages == []


async def test_an_over_long_message_gets_a_kind_reply_and_never_reaches_the_coach(rest: RestServer) -> None:
    status, replies = await rest.post({"sender": "web:a", "message": "x" * 60_000}, f"Bearer {TOKEN}")
    assert status == 200
    [reply] = replies
    assert reply["recipient_id"] == "web:a"
    assert "longer than I can take in one go" in reply["text"] and "5,000 characters" in reply["text"]
    assert rest.agent.messages == []
    status, replies = await rest.post({"sender": "web:a", "message": "y" * 5_000}, f"Bearer {TOKEN}")
    assert replies == [{"recipient_id": "web:a", "text": "heard"}]
    assert [len(m.text or "") for m in rest.agent.messages] == [5_000]


async def test_a_body_over_the_size_limit_is_refused_unread(rest: RestServer) -> None:
    status, _ = await rest.post({"sender": "web:a", "message": "x" * 1_000_000}, f"Bearer {TOKEN}")
    assert status == 413
    assert rest.agent.messages == []


def test_a_resent_message_gets_the_replies_it_missed_and_is_not_taken_in_twice() -> None:
    tracker = DialogueStateTracker.from_events("alex", [
        UserUttered("hi", message_id="m1"), BotUttered("Hello", {"buttons": [{"title": "Start"}]}),
        ActionExecuted("action_listen"),
        UserUttered("Band 5 nurse", message_id="m2"), BotUttered("Thank you."), BotUttered("Next question?"),
        ActionExecuted("action_listen"), UserUttered("skip", message_id="m3"),
        ActionExecuted("action_listen"), UserUttered("skip", message_id="m3"), BotUttered("Skipped."),
    ])
    assert replies_to(tracker, "m1") == [{"text": "Hello", "buttons": [{"title": "Start"}]}]
    assert replies_to(tracker, "m2") == [{"text": "Thank you."}, {"text": "Next question?"}]
    assert replies_to(tracker, "m3") == [{"text": "Skipped."}]  # sent again after a turn that failed silently
    assert replies_to(tracker, "never-sent") is None


class TurnAgent:
    """Rasa's agent in miniature: each message is one turn under the conversation's turn lock, saved at its end.
    A turn may be slow, and may end without a word (a server it needed failed part-way)."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.slow_for = 0.0
        self.silent = False
        self.turns: List[str] = []
        self.first_buttons: List[Dict[str, str]] = []  # on the reply to the first message, as a list of answers has

    async def handle_message(self, message: UserMessage) -> None:
        async with self.lock_store.lock(message.sender_id):
            tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
            tracker.update(UserUttered(message.text, message_id=message.message_id))
            self.turns.append(message.text or "")
            await asyncio.sleep(self.slow_for)
            if not self.silent:
                shown = self.first_buttons if len(self.turns) == 1 else []
                tracker.update(BotUttered(f"Noted: {message.text}", {"buttons": shown} if shown else {}))
                await message.output_channel.send_text_message(message.sender_id, f"Noted: {message.text}")
            tracker.update(ActionExecuted("action_listen"))
            await self.tracker_store.save(tracker)


@pytest.fixture
async def turns(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[TurnAgent, RestServer]]:
    monkeypatch.setenv("COACH_API_TOKEN", TOKEN)
    agent = TurnAgent()
    async with serve_channel(CoachRestInput(), agent) as url, aiohttp.ClientSession() as client:
        yield agent, RestServer(url, agent, client)  # type: ignore[arg-type]


async def test_a_message_resent_while_its_first_try_still_runs_is_answered_from_that_try(
        turns: tuple[TurnAgent, RestServer]) -> None:
    agent, rest = turns
    agent.slow_for = 1.0  # the client gives up waiting and sends it again
    body = {"sender": "alex", "message": "Band 5 nurse", "message_id": "m1"}
    first = asyncio.ensure_future(rest.post(body, f"Bearer {TOKEN}"))
    await asyncio.sleep(0.3)
    _, resent = await rest.post(body, f"Bearer {TOKEN}")
    assert agent.turns == ["Band 5 nurse"]
    assert [r["text"] for r in resent] == ["Noted: Band 5 nurse"]
    assert [r["text"] for r in (await first)[1]] == ["Noted: Band 5 nurse"]


async def test_a_message_resent_after_its_turn_failed_silently_is_taken_in_again_and_answered_once(
        turns: tuple[TurnAgent, RestServer]) -> None:
    agent, rest = turns
    agent.silent = True
    body = {"sender": "alex", "message": "Band 5 nurse", "message_id": "m1"}
    _, failed = await rest.post(body, f"Bearer {TOKEN}")
    assert "send it again" in " ".join(r["text"] for r in failed)
    agent.silent = False
    _, resent = await rest.post(body, f"Bearer {TOKEN}")
    assert [r["text"] for r in resent] == ["Noted: Band 5 nurse"]
    _, again = await rest.post(body, f"Bearer {TOKEN}")
    assert [r["text"] for r in again] == ["Noted: Band 5 nurse"]
    assert agent.turns == ["Band 5 nurse", "Band 5 nurse"]  # the failed try, then the one that was answered


ANSWERS = [{"title": f"Answer {n}", "payload": f'/review_journal{{"prompt": "p{n}"}}'} for n in (1, 2, 3)]


async def test_a_typed_number_at_a_numbered_list_is_taken_in_as_its_button(
        turns: tuple[TurnAgent, RestServer]) -> None:
    agent, rest = turns
    agent.first_buttons = ANSWERS
    for text in ("undo", "the second one", "2"):
        await rest.post({"sender": "alex", "message": text}, f"Bearer {TOKEN}")
    # "2" came after a reply without buttons: nothing on screen to pick, so it goes on as typed
    assert agent.turns == ["undo", '/review_journal{"prompt": "p2"}', "2"]


@pytest.mark.parametrize("text", ["3 years in band 5", "7", "3 and 2"])
async def test_numbers_that_pick_no_button_on_screen_go_on_as_typed(
        turns: tuple[TurnAgent, RestServer], text: str) -> None:
    agent, rest = turns
    agent.first_buttons = ANSWERS
    await rest.post({"sender": "alex", "message": "undo"}, f"Bearer {TOKEN}")
    await rest.post({"sender": "alex", "message": text}, f"Bearer {TOKEN}")
    assert agent.turns == ["undo", text]


def test_only_the_buttons_of_the_coachs_last_message_are_on_screen() -> None:
    support = {"title": "Well-being support", "payload": "/find_resources"}
    asked = [UserUttered("rubbish tbh"), BotUttered("That sounds like a lot to carry.", {"buttons": [support]}),
             BotUttered("What would help you to be at your best?")]
    assert on_screen(DialogueStateTracker.from_events("alex", asked)) == ([], "What would help you to be at your best?")
    listed = [UserUttered("undo"), BotUttered("Choose the answer to change.", {"buttons": ANSWERS})]
    assert on_screen(DialogueStateTracker.from_events("alex", listed)) == (ANSWERS, "Choose the answer to change.")
    assert on_screen(DialogueStateTracker.from_events("alex", [*listed, UserUttered("3 years in band 5")])) == ([], "")


class DownStore(InMemoryTrackerStore):
    """A store whose look-ups fail, as when its database goes down between the turns it keeps."""

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        raise ConnectionError("the database is down")

    async def get_or_create_tracker(self, sender_id: str, *args: Any, **kwargs: Any) -> DialogueStateTracker:
        return DialogueStateTracker(sender_id, [])


async def test_with_the_store_down_a_typed_pick_goes_on_as_typed(turns: tuple[TurnAgent, RestServer]) -> None:
    agent, rest = turns
    agent.first_buttons = ANSWERS
    await rest.post({"sender": "alex", "message": "undo"}, f"Bearer {TOKEN}")
    agent.tracker_store = DownStore(Domain.empty())
    await rest.post({"sender": "alex", "message": "2"}, f"Bearer {TOKEN}")
    assert agent.turns == ["undo", "2"]
