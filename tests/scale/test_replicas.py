"""Two Rasa replicas, two action servers, PostgreSQL and Redis behind nginx (the production profile), tried as
people using it at once would, with servers failing under them.

Clients talk REST to the replicas directly, as the edge would spread them, and number their messages: a client
whose server stopped mid-message sends the same message again to the other one, as it is told to.
Lost and duplicated turns are counted by comparing what each client sent with what the database holds.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List

import pytest
import requests

from bot.store import open_store
from deploy.profile import Profile
from tests.e2e.edge import WidgetChat, chat_through_edge

pytestmark = [pytest.mark.scale, pytest.mark.servers, pytest.mark.model]
SEND_AGAIN = "Please send it again"
# Longer than a turn's lease (bot/channels/lock_store.py) and the edge's 10 s limits on a request's parts.
STALL_SECONDS = 12
JOURNAL = ["What is your current role", "How are you feeling about work", "What would help you to be at your best"]


def answers_of(n: int) -> List[str]:
    """A journal's first answers, different for every client so that each can be found in the database."""
    return [f"Band 5 staff nurse on ward {n}", f"Mostly well, a bit tired after {n + 2} night shifts",
            f"My team and my manager, {n + 3} of us", f"Seeing {n + 4} patients go home this week"]


@dataclass
class Client:
    """A REST client that sends each message with an id, to its replica, and again to another if it fails."""

    profile: Profile
    sender: str
    replica: int = 0
    sent: List[str] = field(default_factory=list)  # message ids, in order
    resent: int = 0
    resend_when_told: bool = False  # as a person would, when the coach says "please send it again"
    told_to_resend: int = 0

    def say(self, text: str) -> List[Dict[str, Any]]:
        message_id = uuid.uuid4().hex
        self.sent.append(message_id)
        for attempt in range(6):
            port = self.profile.rasa_ports[(self.replica + attempt) % len(self.profile.rasa_ports)]
            try:
                reply = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", timeout=120,
                                      json={"sender": self.sender, "message": text, "message_id": message_id},
                                      headers={"Authorization": f"Bearer {self.profile.api_token}"})
                if reply.ok:
                    replies = list(reply.json())
                    if not self.resend_when_told or not any(SEND_AGAIN in r.get("text", "") for r in replies):
                        return replies
                    self.told_to_resend += 1
            except requests.RequestException:
                pass
            self.resent += 1
            time.sleep(0.5)
        raise AssertionError(f"{self.sender}: no replica answered {text!r}")


def user_messages(profile: Profile, sender: str) -> List[Dict[str, Any]]:
    """The person's messages in the conversation, each marked ``answered`` when the coach replied to it before
    the next one (a turn that failed part-way ends without a reply, and the person is told to send it again)."""
    for port in profile.rasa_ports:
        try:
            reply = requests.get(f"http://127.0.0.1:{port}/conversations/{sender}/tracker", timeout=30,
                                 params={"token": profile.api_token, "include_events": "ALL"})
        except requests.RequestException:
            continue
        if reply.ok:
            messages: List[Dict[str, Any]] = []
            for event in reply.json()["events"]:
                if event["event"] == "user":
                    messages.append({**event, "answered": False})
                elif event["event"] == "bot" and messages:
                    messages[-1]["answered"] = True
            return messages
    raise AssertionError("no replica answered")


def test_two_replicas_take_one_conversations_messages_one_at_a_time_in_order(production: Profile) -> None:
    client = Client(production, f"order-{uuid.uuid4().hex[:8]}")
    client.say("/start_journey")
    texts = answers_of(1) + [f"Another thought, number {n}" for n in range(4)]
    pool = concurrent.futures.ThreadPoolExecutor(len(texts))
    futures = []
    for n, text in enumerate(texts):  # one after another, half a second apart, to alternate replicas
        sender = Client(production, client.sender, replica=n % 2)
        futures.append(pool.submit(sender.say, text))
        time.sleep(0.5)
    for future in futures:
        future.result()
    events = user_messages(production, client.sender)
    assert [e["text"] for e in events] == ["/start_journey", *texts]
    tracker = requests.get(f"http://127.0.0.1:{production.rasa_ports[0]}/conversations/{client.sender}/tracker",
                           params={"token": production.api_token, "include_events": "ALL"}, timeout=30).json()
    turns = _turns(tracker["events"])
    assert len(turns) == len(texts) + 1
    assert all(turn[-1] == "action_listen" for turn in turns), "a turn began before the one before it ended"


def _turns(events: List[Dict[str, Any]]) -> List[List[str]]:
    """The actions of each turn: from a user message to the next."""
    turns: List[List[str]] = []
    for event in events:
        if event["event"] == "user":
            turns.append([])
        elif event["event"] == "action" and turns:
            turns[-1].append(event["name"])
    return turns


def test_chats_through_the_edge_stay_on_one_replica_each(production: Profile) -> None:
    """Socket.IO's polling transport fails on a server that did not open the session; each page's own
    ``route`` keeps it on one replica, and different pages spread over both."""
    with concurrent.futures.ThreadPoolExecutor(6) as pool:  # a chat's goodbye waits for its long poll to end
        chats = list(pool.map(lambda page: chat_through_edge(production.url, production.certificate, "hi",
                                                             expect="career conversation", route=f"page{page}"),
                              range(6)))
    for page, replies in enumerate(chats):
        assert any("career conversation" in r.get("text", "") for r in replies), f"page {page}: {replies}"


def test_postgresql_restarting_mid_conversation_needs_no_manual_step(production: Profile) -> None:
    client = Client(production, f"pg-{uuid.uuid4().hex[:8]}")
    client.say("/start_journey")
    client.say(answers_of(7)[0])
    production.restart_postgres()
    for replica in (0, 1):  # each replica, and the action servers behind them, reconnects
        client.replica = replica
        client.say(answers_of(7)[1 + replica])
    assert client.resent == 0
    store = open_store(production.database_url, migrate=False)
    stored = [a.text for a in store.answers(store.person_id(client.sender)).values()]
    assert stored == answers_of(7)[:3]


def test_without_redis_a_message_gets_a_clear_reply_and_nothing_is_corrupted(production: Profile) -> None:
    client = Client(production, f"redis-{uuid.uuid4().hex[:8]}")
    client.say("/start_journey")
    production.stop_redis()
    try:
        refused = " ".join(r.get("text", "") for r in client.say(answers_of(8)[0]))
        assert "send it again" in refused and "safe" in refused
        urgent = " ".join(r.get("text", "") for r in client.say("I want to end my life"))
        assert "116 123" in urgent and "999" in urgent  # the refusal still reads for risk of harm
    finally:
        production.start_redis()
    client.say(answers_of(8)[0])
    store = open_store(production.database_url, migrate=False)
    assert [a.text for a in store.answers(store.person_id(client.sender)).values()] == answers_of(8)[:1]
    assert [e["text"] for e in user_messages(production, client.sender)] == ["/start_journey", answers_of(8)[0]]


def test_action_servers_failing_mid_conversation_get_a_kind_reply_and_a_clean_retry(production: Profile) -> None:
    client = Client(production, f"actions-{uuid.uuid4().hex[:8]}")
    client.say("/start_journey")
    for i in range(len(production.actions_ports)):
        production.kill_actions(i)
    try:
        failed = " ".join(r.get("text", "") for r in client.say(answers_of(9)[0]))
        assert "something went wrong" in failed and "safe" in failed and "send it again" in failed
    finally:
        for i in range(len(production.actions_ports)):
            production.start_actions(i)
            production.wait_for_actions(i)
    retried = " ".join(r.get("text", "") for r in client.say(answers_of(9)[0]))
    assert "something went wrong" not in retried
    client.say(answers_of(9)[1])
    store = open_store(production.database_url, migrate=False)
    person = store.person_id(client.sender)
    assert [a.text for a in store.answers(person).values()] == answers_of(9)[:2]
    assert not any(store.revisions(person, "journal", prompt) for prompt in store.answers(person))


def test_one_action_server_killed_is_not_noticed(production: Profile) -> None:
    client = Client(production, f"one-action-{uuid.uuid4().hex[:8]}")
    client.say("/start_journey")
    production.kill_actions(0)  # the edge's loopback side skips a server that refuses connections
    try:
        for text in answers_of(10)[:3]:
            assert "something went wrong" not in " ".join(r.get("text", "") for r in client.say(text))
    finally:
        production.start_actions(0)
        production.wait_for_actions(0)
    store = open_store(production.database_url, migrate=False)
    assert [a.text for a in store.answers(store.person_id(client.sender)).values()] == answers_of(10)[:3]


@pytest.fixture
def chatting_pages(production: Profile) -> Iterator[List[WidgetChat]]:
    """Twelve pages chatting through the edge, spread over the replicas by their routes, each one question into
    the journal (every turn waited for to its end: the next question). All come from one address, and the edge
    allows an address 30 chat requests a second (burst 60): a page takes about 14 to open and answer twice, so
    they open a second apart, as people behind one NAT would, rather than all at once (which got a 429 and lost
    a reply)."""
    chats: List[WidgetChat] = []
    try:
        for n in range(12):
            time.sleep(1 if n else 0)
            chats.append(WidgetChat(production.url, production.certificate, route=f"page-{n}"))
            for text, question in [("/start_journey", JOURNAL[0]), (answers_of(200 + n)[0], JOURNAL[1])]:
                replies = chats[n].say(text, expect=question)
                assert any(question in r.get("text", "") for r in replies), replies
        yield chats
    finally:
        for chat in chats:
            chat.close()


def test_fifty_conversations_lose_and_duplicate_nothing_when_a_replica_is_killed_and_the_other_stalls(
        production: Profile, chatting_pages: List[WidgetChat]) -> None:
    """REST clients resend when told to. Pages chatting through the edge carry on: those the killed replica
    served reconnect, the edge sends them to the other replica, and it reads their conversation from the
    shared database. The other replica then freezes for longer than a turn's lease, as on an overloaded machine:
    messages waiting for their turn are refused with "please send it again", and nothing is lost or doubled."""
    chats = chatting_pages
    clients = [Client(production, f"load-{n}-{uuid.uuid4().hex[:6]}", replica=n % 2, resend_when_told=True)
               for n in range(50)]
    half_done = threading.Event()
    turns_done = [0]
    lock = threading.Lock()

    def converse(n: int) -> None:
        for text in ["/start_journey", *answers_of(100 + n)]:
            clients[n].say(text)
            with lock:
                turns_done[0] += 1
                if turns_done[0] >= 100:
                    half_done.set()

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        futures = [pool.submit(converse, n) for n in range(50)]
        assert half_done.wait(timeout=600)
        production.kill_rasa(1)  # mid-load, as a crash would
        time.sleep(2)
        production.stall_rasa(0, STALL_SECONDS)  # then the other freezes past its turn leases, as on a busy machine
        for future in futures:
            future.result()
    after = [chat.say(answers_of(200 + n)[1], expect=JOURNAL[2]) for n, chat in enumerate(chats)]

    store = open_store(production.database_url, migrate=False)
    lost = duplicated = 0
    faults: List[str] = []  # what was lost or duplicated, client by client
    for n, client in enumerate(clients):
        events = user_messages(production, client.sender)
        # A message whose turn failed part-way is held without a reply, then again with one: it was answered once.
        held = [e.get("message_id") for e in events if e["answered"]]
        person = store.person_id(client.sender)
        stored = [a.text for a in store.answers(person).values()]
        revised = {prompt: store.revisions(person, "journal", prompt) for prompt in store.answers(person)}
        found = {"messages lost": len(set(client.sent) - set(held)),
                 "messages held twice": len(held) - len(set(held)),
                 "answers lost": len(set(answers_of(100 + n)) - set(stored)),
                 "answers stored twice": len(stored) - len(set(stored)),
                 "answers revised": sum(len(texts) for texts in revised.values())}
        lost += found["messages lost"] + found["answers lost"]
        duplicated += found["messages held twice"] + found["answers stored twice"] + found["answers revised"]
        if any(found.values()):
            faults.append(f"{client.sender}: {found}, held {[e.get('text') for e in events]}, "
                          f"stored {stored}, revised {revised}")
    logs = " ".join(path.read_text(errors="replace") for path in (production.folder / "logs").glob("rasa-*.log"))
    print(f"\n50 conversations, 250 turns, a replica killed mid-load and the other frozen for {STALL_SECONDS} s: "
          f"{sum(c.resent for c in clients)} messages "
          f"sent again ({sum(c.told_to_resend for c in clients)} when told to: {logs.count('could not take')} "
          f"without the turn lock, {logs.count('without a reply')} after a silent turn), {lost} lost, "
          f"{duplicated} duplicated")
    refusals = sorted({line.split("could not take a message in: ", 1)[1][:160] for line in logs.splitlines()
                       if "could not take a message in: " in line})
    print("why the turn lock was refused:", *refusals[:5], sep="\n  ")
    print(f"{sum(chat.disconnects > 0 for chat in chats)} of {len(chats)} pages chatting through the edge were on the "
          "killed replica and carried on from the other")
    assert sum(c.resent for c in clients) > 0, "the replica was killed after the load had finished"
    assert (lost, duplicated) == (0, 0), "\n".join(faults)
    assert sum(chat.disconnects for chat in chats) > 0, "no open chat was on the killed replica"
    for n, (chat, replies) in enumerate(zip(chats, after, strict=True)):
        assert any(JOURNAL[2] in r.get("text", "") for r in replies), f"page {n}: {replies}"
        assert [a.text for a in store.answers(store.person_id(chat.session_id)).values()] == answers_of(200 + n)[:2]
