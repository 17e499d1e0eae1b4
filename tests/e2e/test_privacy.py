"""'Delete my data' and 'download my data' through the real Rasa and action servers, over REST."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import make_url

from bot.store import open_store
from bot.store.sealing import Keyring
from tests.e2e.servers import DATA_KEYS, CoachServers, texts

pytestmark = pytest.mark.servers

ALEX_SAID = ["Band 3 healthcare assistant who keeps quokkas", "Worn out by the walrus rota, honestly",
             "the flamingo question I asked on my other chat"]
BEA_SAID = ["Band 6 physio with a marmot habit"]


def database_file(coach: CoachServers) -> Path:
    return Path(make_url(coach.database_url).database or "")


KEYS = Keyring.parse(DATA_KEYS)


def opened(value: object) -> str:
    """A stored value as the coach reads it: sealed text opened with the servers' data key."""
    return KEYS.open(value) if isinstance(value, str) else str(value)


def raw_bytes(path: Path) -> bytes:
    """A file's bytes, read by another process. Opening and closing the live database (or its WAL index) here
    would drop every lock this process's own SQLite connections hold on it (POSIX locks belong to the process):
    a server closing its connection later may then think itself the last, and remove the WAL that the
    restarted servers go on writing to."""
    return subprocess.run(["cat", str(path)], check=True, capture_output=True).stdout


def every_value(path: Path) -> str:
    """Every value of every row of every table, opened: the coach's, Rasa's events and the turn fences."""
    with sqlite3.connect(path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"events", "coach_turn_fences", "answer"} <= set(tables)
        return "\n".join(opened(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')
                         for value in row)


def test_delete_my_data_leaves_nothing_of_the_person_in_any_of_their_conversations(coach: CoachServers) -> None:
    alex, alex_elsewhere, bea = (f"{name}-{uuid.uuid4().hex[:8]}" for name in ("alex", "alex-teams", "bea"))
    coach.say(alex, "/start_journey")
    coach.say(alex, ALEX_SAID[0])
    coach.say(alex, ALEX_SAID[1])
    store = open_store(coach.database_url)
    store.link(alex_elsewhere, store.person_id(alex))  # the same person on another channel
    coach.say(alex_elsewhere, ALEX_SAID[2])
    coach.say(bea, "/start_journey")
    coach.say(bea, BEA_SAID[0])

    question = texts(coach.say(alex, "delete my data"))
    assert "our conversation history in all 2 of your chats with me" in question and "Are you sure?" in question
    done = texts(coach.say(alex, "/affirm"))
    assert done.startswith("Done. I've deleted your journal")

    rows = every_value(database_file(coach))
    assert [said for said in ALEX_SAID if said in rows] == []
    assert [said for said in BEA_SAID if said in rows] == BEA_SAID
    for conversation in (alex, alex_elsewhere):
        events = coach.tracker(conversation, all_events=True)["events"]
        assert not any(e.get("event") == "user" and e.get("text") in ALEX_SAID for e in events)
    assert store.answers(store.person_id(alex)) == {}
    with sqlite3.connect(database_file(coach)) as db:
        fenced = {sender for (sender,) in db.execute("SELECT sender_id FROM coach_turn_fences")}
    assert alex_elsewhere not in fenced


def test_a_yes_to_something_said_after_delete_my_data_deletes_nothing_and_asks_again(coach: CoachServers) -> None:
    # Tried as a confused user would: a question in between got the help reply, and "ok" to it deleted everything.
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 5 nurse")
    assert "Are you sure?" in texts(coach.say(user, "delete my data"))
    coach.say(user, "hmm what exactly gets deleted")
    again = texts(coach.say(user, "ok"))
    assert again.startswith("Just to check before I delete anything:") and "Are you sure?" in again, again
    store = open_store(coach.database_url)
    assert [a.text for a in store.answers(store.person_id(user)).values()] == ["Band 5 nurse"]
    assert texts(coach.say(user, "yes")).startswith("Done. I've deleted your journal")
    assert store.answers(store.person_id(user)) == {}


def test_download_my_data_gives_a_page_and_a_json_file_with_everything_held(coach: CoachServers) -> None:
    """Needs a model trained with the download_my_data intent."""
    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 4 admin lead who collects teapots")
    reply = texts(coach.say(user, "can I have a copy of all my data"))
    links = dict((ext, url) for url, ext in re.findall(r"(http://\S+\.(html|json))", reply))
    assert set(links) == {"html", "json"}, reply
    export = requests.get(links["json"], timeout=30).json()
    page = requests.get(links["html"], timeout=30).text
    with sqlite3.connect(database_file(coach)) as db:
        said = [json.loads(opened(data))["text"] for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name IN ('user', 'bot')", (user,))]
    said = [text for text in said if text]
    said = said[:said.index("can I have a copy of all my data")]  # the asking turn is stored after the export
    assert "Band 4 admin lead who collects teapots" in said
    held = [turn["text"] for conversation in export["conversations"] for turn in conversation["turns"]]
    assert [text for text in said if text not in held] == []  # (json.dumps would escape quotes and newlines)
    assert "Band 4 admin lead who collects teapots" in page


def test_who_has_seen_my_answers_counts_the_openings_of_the_share_link_mid_form_too(coach: CoachServers) -> None:
    """Needs a model trained with the who_has_seen intent."""
    from tests.e2e.test_document_links import share_role

    user = f"staff-{uuid.uuid4().hex[:8]}"
    share_role(coach, user, "Band 5 nurse who mentors the students")  # opens the link once, as the manager would
    reply = texts(coach.say(user, "who has seen my answers?"))
    assert "Its link was opened once, last on" in reply and "It still works, until" in reply, reply
    assert "only that someone with it did" in reply and "Band 5 nurse" not in reply

    coach.say(user, "where was I?")  # back in the journal's questions
    asked = texts(coach.say(user, "has anyone opened my share link"))
    assert "Its link was opened once" in asked, asked
    store = open_store(coach.database_url)
    assert not any("share link" in a.text for a in store.answers(store.person_id(user)).values())


def test_who_sees_my_journal_is_only_you_until_something_is_shared_and_then_what_was(coach: CoachServers) -> None:
    from tests.e2e.test_document_links import share_role

    user = f"staff-{uuid.uuid4().hex[:8]}"
    # Turned away by the NLU from cold, or taken for an answer: the scope gate asks who has seen it.
    assert "No one has seen your answers" in texts(coach.say(user, "can people at work see this"))
    share_role(coach, user, "Band 5 nurse who mentors the students")
    coach.say(user, "where was I?")  # back in the journal's questions
    asked = texts(coach.say(user, "is this anonymous?"))
    assert "Only you" not in asked and "Here's what you've shared" in asked, asked
    assert "Only you" not in texts(coach.say(user, "who can see my journal"))  # the FAQ, from a question


def test_a_persons_words_are_nowhere_in_plain_text_in_the_database_documents_or_logs(coach: CoachServers) -> None:
    """Tried as a new user would: a journal answer, a stage note and a copy of their data, over the real servers;
    then every file the coach keeps (the database and its log, the documents folder, the server logs) is read raw."""
    user = f"staff-{uuid.uuid4().hex[:8]}"
    words = ["Band 5 axolotl wrangler on the night ward", "Tired of the capybara rota, honestly"]
    coach.say(user, "/start_journey")
    coach.say(user, words[0])
    coach.say(user, words[1])
    reply = texts(coach.say(user, "download my data"))
    assert ".json" in reply, reply  # the export was written: it holds the words, sealed
    kept = [path for path in coach.workdir.rglob("*") if path.is_file() and not path.name.endswith(".tar.gz")]
    assert any(path.parent.name == "documents" for path in kept)
    found = {str(path.relative_to(coach.workdir)): [w for w in words if w.encode() in raw_bytes(path)]
             for path in kept}
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert all(w in texts(coach.say(user, "review my journal")) for w in words)  # yet the coach reads them back
