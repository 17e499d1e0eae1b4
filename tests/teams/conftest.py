"""Fixtures for the Teams channel: the fake Microsoft, and the channel served by a real Sanic server."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Iterator, List, Optional

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain

from bot.channels.teams import TeamsInput, TeamsSettings
from tests.channel_server import serve_channel
from tests.teams.fake_microsoft import FakeMicrosoft

Reply = Callable[[UserMessage], Awaitable[None]]


TEAMS_ENVIRONMENT = ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID", "TEAMS_ALLOWED_TENANTS",
                     "TEAMS_OPENID_METADATA_URL",
                     "TEAMS_TOKEN_ENDPOINT", "TEAMS_MANIFEST_ID", "TEAMS_APP_VERSION", "TEAMS_DEVELOPER_NAME",
                     "TEAMS_WEBSITE_URL", "TEAMS_PRIVACY_URL", "TEAMS_TERMS_URL", "TEAMS_VALID_DOMAINS")


@pytest.fixture(autouse=True)
def no_teams_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see only the settings they give, whatever the developer's shell exports."""
    for name in TEAMS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakeMicrosoft]:
    """Microsoft's login, keys and connector, on 127.0.0.1."""
    with FakeMicrosoft() as microsoft:
        yield microsoft


class FakeAgent:
    """Stands in for Rasa's agent: collects every message and may answer through its output channel."""

    def __init__(self, reply: Optional[Reply] = None) -> None:
        self.messages: List[UserMessage] = []
        self.reply = reply
        # Rasa's own in-memory stores: the channel looks a conversation up before a typed pick ("one", "3")
        self.lock_store = InMemoryLockStore()
        self.tracker_store = InMemoryTrackerStore(Domain.empty())

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.reply is not None:
            await self.reply(message)


@dataclass
class TeamsBot:
    """The Teams webhook on a real server, and what reached the coach through it."""

    url: str
    channel: TeamsInput
    agent: FakeAgent
    client: aiohttp.ClientSession
    statuses: List[int] = field(default_factory=list)

    @property
    def messages(self) -> List[UserMessage]:
        return self.agent.messages

    async def post(self, activity: Dict[str, Any], token: Optional[str] = None,
                   authorization: Optional[str] = None) -> int:
        """POST an activity to the webhook as the Bot Framework would; returns the HTTP status."""
        headers = {}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.client.post(f"{self.url}/webhooks/teams/webhook", json=activity, headers=headers) as reply:
            await reply.read()
            self.statuses.append(reply.status)
            return reply.status


StartBot = Callable[..., Awaitable[TeamsBot]]


@pytest.fixture
async def start_bot(fake: FakeMicrosoft) -> AsyncIterator[StartBot]:
    """Start the channel (credentials pointing at the fake unless given) behind a real Sanic server."""
    async with contextlib.AsyncExitStack() as opened:  # servers and clients, closed in reverse order

        async def start(credentials: Optional[Dict[str, Any]] = None, reply: Optional[Reply] = None,
                        **channel_options: Any) -> TeamsBot:
            settings = TeamsSettings.from_credentials(fake.credentials() if credentials is None else credentials)
            channel = TeamsInput(settings, **channel_options)
            agent = FakeAgent(reply)
            url = await opened.enter_async_context(serve_channel(channel, agent))
            client = await opened.enter_async_context(aiohttp.ClientSession())
            return TeamsBot(url, channel, agent, client)

        yield start
