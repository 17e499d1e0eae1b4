"""One turn at a time per conversation, across every Rasa replica: a ticket queue kept in Redis.

Rasa Open Source's ``RedisLockStore`` reads the lock, changes it in Python and writes it back, so two replicas
can both believe they hold it. Here each step is one Lua script, which Redis runs atomically:

- a message takes a ticket from one counter shared by all conversations, so tickets only ever grow (even
  across a restart of Redis, which keeps nothing on disk);
- it waits until its ticket is the lowest live one in the conversation's queue (first come, first served);
- while it waits or holds the turn it renews its lease. A replica that dies stops renewing, and its ticket
  lapses after ``lease_seconds``, so the conversation is never stuck for longer than that;
- a holder whose lease lapsed anyway (a stall longer than the lease, or Redis lost its data) cannot save
  over the turn that came next: its ticket is the fencing token, and the tracker store refuses a save with a
  ticket older than the last one it stored (``bot.channels.tracker_store``). The lease is renewed every
  third of its length, so a lapse needs a stall of seconds;
- a command whose connection turns out dead (Redis restarted since it was last used) is sent once more on a
  new connection. Taking a ticket is keyed by a join id, so a join sent twice still takes one ticket.

Clock readings come from Redis itself, so replicas whose clocks disagree still agree on expiry.
When Redis cannot be reached the message is refused with :class:`TurnLockUnavailable` before anything is read
or stored; the channel tells the person to send it again (``bot.channels.limits``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from typing import Any, AsyncIterator, Optional

import redis.asyncio as aioredis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from bot.settings import load_settings

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 10.0
FIRST_POLL_SECONDS = 0.005
LONGEST_POLL_SECONDS = 0.05

# The ticket of the turn this task holds: the fencing token the tracker store checks when it saves.
turn_ticket: ContextVar[Optional[int]] = ContextVar("turn_ticket", default=None)

# KEYS: queue (sorted set: ticket -> ticket), leases (hash: ticket -> expiry in ms). Shared prelude: the time in
# ms from Redis, and the queue without lapsed tickets.
_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, ticket in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local expiry = tonumber(redis.call('HGET', KEYS[2], ticket) or '0')
  if expiry <= now then
    redis.call('ZREM', KEYS[1], ticket)
    redis.call('HDEL', KEYS[2], ticket)
  end
end
"""
# KEYS[3]: the ticket counter, KEYS[4]: this join's id. ARGV: lease ms. Takes a ticket and joins the queue; the
# same join sent again returns its ticket. A counter Redis lost (a restart) starts again from the clock, above
# every ticket it gave before, so old and new tickets never meet.
_JOIN = _PRELUDE + """
local known = redis.call('GET', KEYS[4])
if known then return tonumber(known) end
if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SET', KEYS[3], now * 1000) end
local ticket = redis.call('INCR', KEYS[3])
local member = string.format('%d', ticket)  -- every digit: Lua would print a big number in e-notation
redis.call('SET', KEYS[4], member, 'PX', tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], ticket, member)
redis.call('HSET', KEYS[2], member, now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[2], 2 * tonumber(ARGV[1]))
return ticket
"""
# ARGV: ticket, lease ms. Renews the lease; 1 = this ticket's turn, 0 = waiting, -1 = the ticket lapsed.
_RENEW = _PRELUDE + """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], 2 * tonumber(ARGV[2]))
if redis.call('ZRANGE', KEYS[1], 0, 0)[1] == ARGV[1] then return 1 end
return 0
"""
# ARGV: ticket. Leaves the queue; 1 if the ticket was still there.
_LEAVE = """
local held = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
return held
"""


class TurnLockUnavailable(LockError):
    """The shared lock could not be reached: the message was not taken in."""


class RedisTurnLockStore(LockStore):
    """Rasa's lock store interface (``lock_store: type: bot.channels.lock_store.RedisTurnLockStore``).

    The Redis address is the endpoint's ``url``, else ``COACH_REDIS_URL``.
    """

    def __init__(self, endpoint_config: Any = None, *, url: Optional[str] = None,
                 lease_seconds: Optional[float] = None, key_prefix: str = "coach:turn:") -> None:
        kwargs = dict(getattr(endpoint_config, "kwargs", None) or {})
        url = url or getattr(endpoint_config, "url", None) or load_settings().redis_url
        if not url:
            raise LockError("The Redis lock store needs a Redis URL: set COACH_REDIS_URL (redis://host:6379/0).")
        self.url = url
        self.lease_ms = int(1000 * float(lease_seconds or kwargs.get("lease_seconds") or DEFAULT_LEASE_SECONDS))
        self.prefix = key_prefix
        # A dead pooled connection (Redis restarted) is retried once on a new one; a timeout is not retried,
        # so a slow Redis does not double the wait.
        self.redis = aioredis.from_url(url, socket_timeout=5, socket_connect_timeout=2,
                                       retry_on_error=[RedisConnectionError])
        self._join = self.redis.register_script(_JOIN)
        self._renew = self.redis.register_script(_RENEW)
        self._leave = self.redis.register_script(_LEAVE)
        super().__init__()

    def _keys(self, conversation_id: str) -> list[str]:
        return [f"{self.prefix}{conversation_id}:queue", f"{self.prefix}{conversation_id}:leases"]

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = 0,
                   wait_time_in_seconds: float = 0) -> AsyncIterator[TicketLock]:
        """Hold the turn of ``conversation_id`` for the ``with`` block. Rasa's lifetime and polling interval
        are not used: the lease is renewed while the turn runs, and waiting polls quickly then backs off."""
        keys = self._keys(conversation_id)
        try:
            ticket = await self._take_ticket(keys, uuid.uuid4().hex)
            await self._wait_for_turn(conversation_id, keys, ticket)
        except RedisError as error:
            raise TurnLockUnavailable(f"The turn lock (Redis) is unavailable: {error}") from error
        lapsed = asyncio.Event()
        renewing = asyncio.create_task(self._keep_lease(keys, ticket, lapsed))
        holding = turn_ticket.set(ticket)
        try:
            yield TicketLock(conversation_id)
        finally:
            turn_ticket.reset(holding)
            renewing.cancel()
            with suppress(asyncio.CancelledError):
                await renewing
            held = 0
            with suppress(RedisError):
                held = int(await self._leave(keys=keys, args=[ticket]))
            if lapsed.is_set() or not held:
                logger.error("The turn lock of a conversation lapsed before its turn ended (ticket %d): another "
                             "replica may have started the next turn, and a save after that was refused", ticket)

    async def _take_ticket(self, keys: list[str], join_id: str) -> int:
        return int(await self._join(keys=[*keys, f"{self.prefix}tickets", f"{self.prefix}join:{join_id}"],
                                    args=[self.lease_ms]))

    async def _wait_for_turn(self, conversation_id: str, keys: list[str], ticket: int) -> None:
        pause = FIRST_POLL_SECONDS
        while True:
            state = int(await self._renew(keys=keys, args=[ticket, self.lease_ms]))
            if state == 1:
                return
            if state == -1:
                raise LockError(f"The turn lock's ticket {ticket} lapsed while waiting: the message was not taken in")
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_POLL_SECONDS)

    async def _keep_lease(self, keys: list[str], ticket: int, lapsed: asyncio.Event) -> None:
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            try:
                if int(await self._renew(keys=keys, args=[ticket, self.lease_ms])) == -1:
                    lapsed.set()
                    return
            except RedisError:
                logger.warning("Could not renew a turn lock's lease (Redis unreachable); retrying")
