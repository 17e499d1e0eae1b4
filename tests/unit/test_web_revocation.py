"""After "delete my data": web tokens issued before it open nothing (not a resumed session, not a connection), and
the widget is told to forget its copy of the chat."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any, AsyncIterator, Tuple

import aiohttp
import pytest
import socketio

from bot.channels import tokens
from bot.channels.web import WebChatInput
from bot.store import CoachStore, open_store
from tests.channel_server import serve_channel
from tests.web_clients import AsyncPageClient

SECRET = "a-web-test-token-secret-of-at-least-32-bytes"


@contextlib.asynccontextmanager
async def web_channel(monkeypatch: pytest.MonkeyPatch, url: str) -> AsyncIterator[str]:
    """The web channel alone, over the database at ``url``, served on a free port."""
    monkeypatch.setenv("COACH_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_URL", url)
    async with serve_channel(WebChatInput()) as base:
        yield base


@pytest.fixture
async def web(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Tuple[str, CoachStore]]:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = open_store(url)  # as the action server does: it owns the schema
    async with web_channel(monkeypatch, url) as base:
        yield base, store


async def resume(url: str, token: str) -> int:
    async with aiohttp.ClientSession() as client, \
            client.post(f"{url}/webhooks/web/session", json={"token": token}) as reply:
        return reply.status


async def connects(url: str, token: str) -> bool:
    client = AsyncPageClient()
    try:
        await client.connect(url, auth={"token": token}, transports=["polling"], wait_timeout=10)
    except socketio.exceptions.ConnectionError:
        return False
    await client.disconnect()
    return True


@pytest.mark.parametrize("sso", [None, "entra-object-id-1"])
async def test_tokens_issued_before_delete_my_data_are_refused(web: Tuple[str, CoachStore], sso: str) -> None:
    url, store = web
    before = tokens.mint(SECRET, sso=sso, now=time.time() - 5)
    claims = tokens.verify(before, SECRET)
    assert claims is not None
    person = store.person_id(tokens.sender_id(claims))  # the person has talked to the coach
    store.save_answer(person, "journal", "q1", "something personal")
    assert await resume(url, before) == 200 and await connects(url, before)

    store.erase_person(person)  # "delete my data"

    assert await resume(url, before) == 401
    assert not await connects(url, before)
    after = tokens.mint(SECRET, sso=sso, now=time.time() + 2)  # e.g. the host page signs the person in again
    assert await resume(url, after) == 200 and await connects(url, after)


async def test_other_people_and_new_visitors_are_unaffected(web: Tuple[str, CoachStore]) -> None:
    url, store = web
    mine, theirs = tokens.mint(SECRET, now=time.time() - 5), tokens.mint(SECRET, now=time.time() - 5)
    for token in (mine, theirs):
        store.person_id(tokens.sender_id(tokens.verify(token, SECRET) or {}))
    store.erase_person(store.person_id(tokens.sender_id(tokens.verify(mine, SECRET) or {})))
    assert await resume(url, theirs) == 200 and await connects(url, theirs)
    stranger = tokens.mint(SECRET, now=time.time() - 5)  # never seen by the store: nothing to revoke
    assert await resume(url, stranger) == 200 and await connects(url, stranger)


def test_erased_at_is_recorded_and_creates_nobody(coach_store: CoachStore) -> None:
    assert coach_store.erased_at("web:nobody") is None
    person = coach_store.person_id("web:someone")
    assert coach_store.erased_at("web:someone") is None
    started = time.time()
    coach_store.erase_person(person)
    erased = coach_store.erased_at("web:someone")
    assert erased is not None and started - 1 <= erased <= time.time() + 1
    assert coach_store.erased_at("web:nobody") is None


async def test_the_first_visitor_of_a_fresh_install_connects_before_the_schema_exists(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The action server creates the schema on first use; until then nobody can have deleted their data."""
    async with web_channel(monkeypatch, f"sqlite:///{tmp_path / 'coach.db'}") as url:
        visitor = tokens.mint(SECRET, now=time.time() - 5)
        assert await resume(url, visitor) == 200 and await connects(url, visitor)


async def test_a_custom_payload_reaches_the_widget_as_one_bot_message() -> None:
    from bot.channels.web import WebChatOutput

    emitted: list[tuple[Any, ...]] = []

    class Recorder:
        async def emit(self, event: str, data: Any = None, room: Any = None) -> None:
            emitted.append((event, data, room))

    await WebChatOutput(Recorder(), "bot_uttered").send_response(  # type: ignore[arg-type]
        "web:x", {"text": "Done.", "custom": {"forget_device": True}})
    assert emitted == [("bot_uttered", {"text": "Done."}, "web:x"),
                       ("bot_uttered", {"custom": {"forget_device": True}}, "web:x")]
