"""Limits every coach channel applies before anything reaches Rasa: message length, pace and request size."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, Dict

import redis.asyncio as aioredis
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from redis.exceptions import RedisError
from sanic import Blueprint, Sanic

from bot.limits import Pace, flood_reply, is_too_long, too_fast_reply, too_long_reply, unavailable_reply
from bot.settings import Settings

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
MAX_WAITING = 4  # a sender's unread messages held in line to be read; more at once is a flood (see OneAtATime)
READS_PER_MINUTE = 6  # and read at most this many a minute, beyond a first few: more is a flood too


def guard_messages(on_new_message: Handler, settings: Settings) -> Handler:
    """``on_new_message`` for messages within the length limit and their sender's pace; the others get a kind
    reply and are never parsed by the NLU (the safety detector alone reads them: see :mod:`bot.limits`)."""
    limit = settings.max_message_chars
    pace = Pace(settings.messages_in_flight, settings.messages_per_minute, settings.message_burst)
    admit = SharedPace(pace, settings.redis_url).admit if settings.redis_url else _admitted_by(pace)
    unread = OneAtATime()

    async def guarded(message: UserMessage) -> Any:
        sender = str(message.sender_id)
        if is_too_long(message.text, limit):
            logger.info("%s: answered a message of %d characters (limit %d) without reading it",
                        message.input_channel, len(message.text or ""), limit)
            async with unread.turn(sender) as may_read:
                reply = too_long_reply(message.text, limit) if may_read else flood_reply()
                await message.output_channel.send_text_message(message.sender_id, reply)
            return None
        if not await admit(sender):
            logger.info("%s: answered a message sent too quickly after others without reading it",
                        message.input_channel)
            async with unread.turn(sender) as may_read:
                reply = too_fast_reply(message.text or "") if may_read else flood_reply()
                await message.output_channel.send_text_message(message.sender_id, reply)
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
            # way no reply was kept, and an answer is saved to the question that was asked (saving the same words
            # there again changes nothing), so the person may simply resend.
            logger.error("%s: a turn was not kept or ended without a reply; told the person to send the message "
                         "again", message.input_channel)
            await output.send_text_message(message.sender_id, unavailable_reply(message.text or ""))
        return result

    return guarded


def _admitted_by(pace: Pace) -> Callable[[str], Awaitable[bool]]:
    async def admit(sender: str) -> bool:
        return pace.admit(sender)

    return admit


# A sender's token bucket in Redis: take a token if there is one. The clock is Redis's own, so replicas whose
# clocks disagree still share one bucket; an idle bucket expires once it would be full again.
_TAKE_TOKEN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'when')
local tokens = math.min(burst, (tonumber(kept[1]) or burst) + (now - (tonumber(kept[2]) or now)) * rate)
if tokens < 1 then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'when', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(1000 * burst / rate))
return 1
"""


class SharedPace:
    """:class:`~bot.limits.Pace` with each sender's token bucket in Redis (``COACH_REDIS_URL``), so the replicas
    behind the edge pace a sender together instead of each allowing a burst of its own.

    Messages in hand stay counted per process: the turn lock already takes one conversation's turns one at a
    time across replicas. If Redis cannot be reached, this replica paces the sender on its own, as one server
    does (the turn lock then refuses the message anyway, with its own kind reply).
    """

    def __init__(self, pace: Pace, url: str, key_prefix: str = "coach:pace:") -> None:
        self.pace = pace
        self.prefix = key_prefix
        self.redis = aioredis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._take_token = self.redis.register_script(_TAKE_TOKEN)

    async def admit(self, sender: str) -> bool:
        if not self.pace.has_room(sender):
            return False
        # Keys of a fixed length, whatever a channel's sender ids look like.
        key = self.prefix + hashlib.blake2b(sender.encode("utf-8"), digest_size=16).hexdigest()
        try:
            taken = bool(await self._take_token(keys=[key],
                                                args=[self.pace.burst, self.pace.per_minute / 60]))
        except RedisError as error:
            logger.warning("pacing on this server alone: Redis is unavailable (%s)", type(error).__name__)
            taken = self.pace.take_token(sender)
        if taken:
            self.pace.hold(sender)
        return taken


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
    """A sender's unread messages are read one at a time, the next only after a pause as long as the last took.

    Each is read by the safety detector (tens of milliseconds of CPU). A burst of them read all at once held up
    everyone else's turns (a bystander's p50 1.3 s during a burst of 200); one at a time with a pause, they get
    at most half of the server's time, and other people's turns run in between. A person typing fast never has
    more than a few waiting, nor more than a few a minute; past ``MAX_WAITING`` in the line, or
    ``READS_PER_MINUTE``, a message is a flood's: it is answered at once and not read (``turn`` yields
    False). So a flood's replies never wait behind its own line (20 s for a burst of 200 when every one was
    read), cannot pile up requests, and its readings do not keep other people waiting.
    """

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()
        self._reads = Pace(per_minute=READS_PER_MINUTE, burst=READS_PER_MINUTE)  # its token buckets only

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[bool]:
        """Wait for the sender's turn to be read; yields whether this message may be read."""
        if self._users[sender] >= MAX_WAITING or not self._reads.take_token(sender):
            yield False
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
            yield True
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
