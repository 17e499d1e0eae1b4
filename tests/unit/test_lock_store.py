"""The turn lock shared by Rasa replicas, against a real Redis server (bot/channels/lock_store.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import List

import pytest
from rasa.core.lock_store import LockError

from bot.channels.lock_store import RedisTurnLockStore, TurnLockUnavailable
from tests.unit.conftest import start_redis, stop_redis

pytestmark = pytest.mark.scale


async def test_two_replicas_take_turns_on_one_conversation_in_the_order_messages_arrived(redis_url: str) -> None:
    replicas = [RedisTurnLockStore(url=redis_url), RedisTurnLockStore(url=redis_url)]
    log: List[str] = []

    async def turn(n: int) -> None:
        async with replicas[n % 2].lock("alex"):
            log.append(f"start {n}")
            await asyncio.sleep(0.02)
            log.append(f"end {n}")

    for replica in replicas:  # Redis has their scripts (the first call of a script loads it: a round trip more)
        await _enter_and_leave(replica, "warm-up")
    tasks = []
    for n in range(8):
        tasks.append(asyncio.create_task(turn(n)))
        await asyncio.sleep(0.01)  # messages arrive one after another
    await asyncio.gather(*tasks)
    assert log == [f"{what} {n}" for n in range(8) for what in ("start", "end")]


async def test_other_conversations_do_not_wait(redis_url: str) -> None:
    store = RedisTurnLockStore(url=redis_url)
    async with store.lock("alex"):
        await asyncio.wait_for(_enter_and_leave(store, "sam"), timeout=1)


async def _enter_and_leave(store: RedisTurnLockStore, conversation: str) -> None:
    async with store.lock(conversation):
        pass


async def test_a_replica_that_died_holding_the_turn_blocks_the_conversation_only_for_its_lease(
        redis_url: str) -> None:
    dead, alive = RedisTurnLockStore(url=redis_url, lease_seconds=0.5), RedisTurnLockStore(url=redis_url)
    holding = dead.lock("alex")
    await holding.__aenter__()  # a turn that never ends: its renewal stops as a killed process's would
    renewing = [t for t in asyncio.all_tasks() if "_keep_lease" in repr(t.get_coro())]
    for task in renewing:
        task.cancel()
    started = time.monotonic()
    await asyncio.wait_for(_enter_and_leave(alive, "alex"), timeout=5)
    assert 0.3 < time.monotonic() - started < 3


async def test_a_long_turn_keeps_its_lease(redis_url: str) -> None:
    store = RedisTurnLockStore(url=redis_url, lease_seconds=0.6)
    async with store.lock("alex"):
        waiting = asyncio.create_task(_enter_and_leave(store, "alex"))
        await asyncio.sleep(1.8)  # three leases long
        assert not waiting.done()
    await asyncio.wait_for(waiting, timeout=2)


async def test_without_redis_a_message_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    store = RedisTurnLockStore(url=f"unix://{tmp_path / 'nothing-here.sock'}")
    with pytest.raises(TurnLockUnavailable, match="Redis"):
        async with store.lock("alex"):
            pytest.fail("the turn must not start without the lock")


async def test_after_redis_restarts_the_next_message_is_taken_in_at_once(tmp_path: Path) -> None:
    server = start_redis(tmp_path)
    store = RedisTurnLockStore(url=f"unix://{tmp_path / 'redis.sock'}")
    await _enter_and_leave(store, "alex")  # leaves a pooled connection, which the restart kills
    stop_redis(server)
    server = start_redis(tmp_path)
    try:
        await _enter_and_leave(store, "alex")
    finally:
        stop_redis(server)


async def test_a_join_sent_twice_takes_one_ticket(redis_url: str) -> None:
    store = RedisTurnLockStore(url=redis_url)
    keys = store._keys("alex")
    first = await store._take_ticket(keys, "join-1")
    assert await store._take_ticket(keys, "join-1") == first  # the same join, resent after a lost reply
    assert await store._take_ticket(keys, "join-2") > first
    assert await store.redis.zcard(keys[0]) == 2


async def test_a_turn_whose_lease_lapsed_cannot_save_over_the_turn_that_came_next(
        redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered

    from bot.channels.tracker_store import CoachTrackerStore, TurnLapsed

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    stalled_replica, next_replica = CoachTrackerStore(Domain.empty()), CoachTrackerStore(Domain.empty())
    stalled_lock, next_lock = RedisTurnLockStore(url=redis_url, lease_seconds=0.3), RedisTurnLockStore(url=redis_url)

    async def turn(store: CoachTrackerStore, text: str) -> None:
        tracker = await store.get_or_create_tracker("alex")
        tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)

    async def next_turn() -> None:
        async with next_lock.lock("alex"):
            await turn(next_replica, "the next message")

    with pytest.raises(TurnLapsed):
        async with stalled_lock.lock("alex"):
            time.sleep(0.6)  # the replica's event loop stalls: its lease is not renewed and lapses
            await asyncio.wait_for(next_turn(), timeout=5)  # another replica takes the conversation
            await turn(stalled_replica, "the stalled message")
    stored = await CoachTrackerStore(Domain.empty()).retrieve("alex")
    assert stored is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["the next message"]


def test_the_lock_store_needs_a_redis_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_REDIS_URL", raising=False)
    with pytest.raises(LockError, match="COACH_REDIS_URL"):
        RedisTurnLockStore()


@pytest.mark.parametrize("text, urgent", [("my answer about the rota", False),
                                          ("I am going to kill myself tonight", True)])
async def test_a_message_the_coach_could_not_take_in_gets_a_kind_reply_and_still_urgent_help(
        text: str, urgent: bool) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot import signposting
    from bot.channels.limits import guard_messages
    from bot.settings import load_settings

    async def lock_unavailable(_: UserMessage) -> None:
        raise TurnLockUnavailable("The turn lock (Redis) is unavailable")

    out = CollectingOutputChannel()
    await guard_messages(lock_unavailable, load_settings({}))(UserMessage(text, out, "alex"))
    reply = "\n\n".join(m["text"] for m in out.messages)  # the channel sends each paragraph as a bubble
    assert "send it again" in reply and "safe" in reply
    assert reply.startswith(signposting.unread_message_reply(crisis=True)) is urgent


async def test_a_turn_refused_at_its_save_still_tells_the_person_to_send_it_again() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.channels.limits import guard_messages
    from bot.channels.tracker_store import TurnLapsed
    from bot.settings import load_settings

    async def replied_then_fenced_off(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Thank you. Next question…")
        raise TurnLapsed("A later turn of the conversation was saved already")

    out = CollectingOutputChannel()
    await guard_messages(replied_then_fenced_off, load_settings({}))(UserMessage("band 5", out, "alex"))
    assert "send it again" in out.messages[-1]["text"]
