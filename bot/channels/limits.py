"""Limits every coach channel applies before anything reaches Rasa: message length, pace and request size."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, Dict

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from sanic import Blueprint, Sanic

from bot.limits import Pace, is_too_long, too_fast_reply, too_long_reply, unavailable_reply
from bot.settings import Settings

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
MAX_WAITING = 200  # a sender's unread messages held in line at once (see OneAtATime)


def guard_messages(on_new_message: Handler, settings: Settings) -> Handler:
    """``on_new_message`` for messages within the length limit and their sender's pace; the others get a kind
    reply and are never parsed by the NLU (the safety detector alone reads them: see :mod:`bot.limits`)."""
    limit = settings.max_message_chars
    pace = Pace(settings.messages_in_flight, settings.messages_per_minute, settings.message_burst)
    unread = OneAtATime()

    async def guarded(message: UserMessage) -> Any:
        sender = str(message.sender_id)
        if is_too_long(message.text, limit):
            logger.info("%s: answered a message of %d characters (limit %d) without reading it",
                        message.input_channel, len(message.text or ""), limit)
            async with unread.turn(sender):
                await message.output_channel.send_text_message(message.sender_id,
                                                               too_long_reply(message.text, limit))
            return None
        if not pace.admit(sender):
            logger.info("%s: answered a message sent too quickly after others without reading it",
                        message.input_channel)
            async with unread.turn(sender):
                await message.output_channel.send_text_message(message.sender_id,
                                                               too_fast_reply(message.text or ""))
            return None
        output = message.output_channel
        counted = message.output_channel = _Counted(output)
        taken_in = True
        try:
            result = await on_new_message(message)
        except LockError as error:  # the turn lock refused it, before the turn began or at its save: not stored
            logger.error("%s: could not take a message in: %s", message.input_channel, error)
            result, taken_in = None, False
        finally:
            pace.done(sender)
        if not counted.sent or not taken_in:
            # Every turn of the coach says something; silence means a server it needs failed part-way (Rasa
            # logs a failed custom action and carries on). A turn the lock refused was not kept at all. Either
            # way no reply was kept, and saved answers are keyed by the message, so the person may simply resend.
            logger.error("%s: a turn was not kept or ended without a reply; told the person to send the message "
                         "again", message.input_channel)
            await output.send_text_message(message.sender_id, unavailable_reply(message.text or ""))
        return result

    return guarded


def limit_request_size(blueprint: Blueprint, settings: Settings) -> None:
    """Make the server refuse request bodies over ``COACH_MAX_REQUEST_BYTES`` (413) before reading them.

    Sanic's default is 100 MB. Sanic reads ``REQUEST_MAX_SIZE`` for each new connection, so setting it before
    the server starts covers every route on the port, Rasa's HTTP API included.
    """

    @blueprint.listener("before_server_start")
    async def set_limit(app: Sanic, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), settings.max_request_bytes)
        app.config.WEBSOCKET_MAX_SIZE = min(int(app.config.WEBSOCKET_MAX_SIZE), settings.max_request_bytes)


class OneAtATime:
    """A sender's unread messages are answered one at a time, the next only after a pause as long as the last took.

    Each is still read by the safety detector (tens of milliseconds of CPU). A burst of them read all at once
    held up everyone else's turns (a bystander's p50 1.3 s during a burst of 200); one at a time with a pause,
    the burst gets at most half of the server's time, and other people's turns run in between. Past
    ``MAX_WAITING`` messages in the line (far beyond any person), they are answered at once rather than held,
    so a flood cannot pile up waiting requests without bound.
    """

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[None]:
        if self._users[sender] >= MAX_WAITING:
            yield
            return
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._users[sender] += 1
        try:
            await lock.acquire()
        except BaseException:
            self._leave(sender)
            raise
        started = time.perf_counter()
        try:
            yield
        finally:
            # The sender's next message waits as long again; this one's reply is not held back.
            asyncio.get_running_loop().call_later(time.perf_counter() - started, self._release, sender, lock)

    def _release(self, sender: str, lock: asyncio.Lock) -> None:
        lock.release()
        self._leave(sender)

    def _leave(self, sender: str) -> None:
        self._users[sender] -= 1
        if not self._users[sender]:  # nobody holds or waits: forget the sender
            del self._users[sender], self._locks[sender]


class _Counted(OutputChannel):
    """A channel's output that counts the replies a turn sent through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # Rasa declares it a classmethod
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Any) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    def __getattr__(self, attribute: str) -> Any:  # e.g. CollectingOutputChannel.messages
        return getattr(self.inner, attribute)
