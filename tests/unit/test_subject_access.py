"""'Download everything you hold about me': the export holds every stored answer, earlier version and message of
every conversation of the person, and nothing of anyone else's."""

from __future__ import annotations

import datetime as dt
import html
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain

from bot.channels.tracker_store import CoachTrackerStore
from bot.channels.web import DOCUMENT_NAME
from bot.documents import EXPORT, Published
from bot.journey_service import coach_journey
from bot.privacy import SubjectAccess, render_export_html
from bot.settings import load_settings
from bot.store import open_store
from bot.store.sealing import load_keyring
from tests.unit.test_erasure import ALEX_WORDS, BEA_WORDS, converse, fill


@pytest.fixture(autouse=True)
def public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example")


def stored_texts(path: Path, senders: list[str], person: str) -> list[str]:
    """Straight from the tables, opened with the data keys: every answer, every earlier version and every message
    text of the person."""
    keys = load_keyring(load_settings())
    with sqlite3.connect(path) as db:
        db.create_function("opened", 1, keys.open)
        texts = [t for (t,) in db.execute("SELECT opened(text) FROM answer WHERE person_id = ?", (person,))]
        texts += [t for (t,) in db.execute("SELECT opened(r.text) FROM answer_revision r JOIN answer a "
                                           "ON a.id = r.answer_id WHERE a.person_id = ?", (person,))]
        marks = ",".join("?" * len(senders))
        for (data,) in db.execute(f"SELECT opened(data) FROM events WHERE sender_id IN ({marks}) AND type_name IN "
                                  "('user', 'bot')", senders):
            texts.append(json.loads(data)["text"])
    return texts


async def test_the_export_holds_everything_stored_about_the_person_and_nothing_of_anyone_else(
        database: Path, domain: Domain) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    rasa = CoachTrackerStore(domain)
    await converse(rasa, "web:alex", "a first message on the web", 1)
    await converse(rasa, "teams:alex", ALEX_WORDS[2], 2)
    await converse(rasa, "web:bea", BEA_WORDS[0], 3)

    export = SubjectAccess(store, coach_journey()).export(alex)
    as_json = json.dumps(export, ensure_ascii=False)
    page = render_export_html(export)
    expected = stored_texts(database, ["web:alex", "teams:alex"], alex)
    assert len(expected) == 2 + 1 + 4  # two answers, one earlier version, two turns of two messages each
    assert [t for t in expected if t not in as_json] == []
    assert [t for t in expected if html.escape(t) not in page] == []
    assert not any(word in as_json or word in page for word in BEA_WORDS)

    assert {c["conversation_id"] for c in export["channel_identities"]} == {"web:alex", "teams:alex"}
    assert export["shares"][0]["text"] == ALEX_WORDS[3]
    assert export["plan"]["status"] == "confirmed" and export["outcomes"][0]["next_steps"] == ALEX_WORDS[4]
    assert export["rehearsals"][0]["persona"] == "band7-specialist"
    role = next(a for a in export["answers"] if a["prompt_id"] == "journal.details.role")
    assert role["question"] and [v["text"] for v in role["earlier_versions"]] == [ALEX_WORDS[1]]


async def test_download_publishes_a_page_and_a_json_file_the_web_channel_serves(database: Path) -> None:
    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    published: list[dict[str, str]] = []

    def publisher(renderings: Any, **record: Any) -> Published:
        published.append(dict(renderings))
        assert record["owner"] == alex and record["kind"] == EXPORT
        return Published("https://coach.example/webhooks/web/documents/abc", dt.datetime(2026, 12, 2),
                         dt.datetime(2026, 12, 3))

    said = SubjectAccess(store, coach_journey(), publisher).download(alex).replies[0].text or ""
    assert "documents/abc.html" in said and "documents/abc.json" in said
    assert "your 2 answers with 1 earlier version" in said and "for 1 day, until 3 December" in said
    assert len(published) == 1 and json.loads(published[0]["json"])["person_id"] == alex
    assert "<script" not in published[0]["html"]

    default = SubjectAccess(store, coach_journey()).download(alex).replies[0].text or ""
    names = [path.name for path in (database.parent / "documents").iterdir()]
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["html", "json"]
    assert all(DOCUMENT_NAME.match(n) and n.split(".")[0] in default for n in names)


def test_the_core_reads_rasas_events_table_by_rasas_own_name_and_columns() -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    from bot.store.conversations import EVENTS

    rasas = SQLTrackerStore.SQLEvent.__table__
    assert EVENTS.name == rasas.name
    assert {c.name for c in EVENTS.columns} == {c.name for c in rasas.columns}  # data is sealed text in ours


def test_coach_export_writes_the_persons_json_to_stdout(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    store = open_store(f"sqlite:///{database}")
    alex, _ = fill(store)
    assert main(["export", "--person", alex, "--database-url", f"sqlite:///{database}"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["person_id"] == alex and {a["text"] for a in printed["answers"]} == {ALEX_WORDS[0], ALEX_WORDS[3]}


def test_coach_export_of_an_unknown_person_says_so(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["export", "--person", "nobody", "--database-url", f"sqlite:///{database}"]) == 2
    assert "no such person" in capsys.readouterr().err
