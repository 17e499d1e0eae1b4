"""Personal documents sealed on disk: the files of a plan, a share page and a copy of everything held hold none of
the person's words, yet the web channel serves them whole; files from before sealing still serve; rotation
reseals them so the old key can go; a file that does not open gets the kind "no longer works" page."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
from pathlib import Path
from typing import AsyncIterator, Dict, List, Tuple

import aiohttp
import pytest
from cryptography.fernet import Fernet

from bot import cli
from bot.channels.web import WebChatInput
from bot.documents import publish_page
from bot.journey_service import coach_journey
from bot.privacy import SubjectAccess
from bot.settings import load_settings
from bot.sharing import SharingService
from bot.store import CoachStore, document_files, open_store
from bot.store.rotation import DOCUMENT_FILES, not_current, reseal
from bot.store.sealing import Keyring, UnreadableData, load_keyring
from tests.channel_server import serve_channel

SECRET = "a-web-test-token-secret-of-at-least-32-bytes"
FEELING = "the okapi rota on Ward Zebedee wore me down"  # shared with the manager, and in the plan's journal
GOAL = "lead the pomegranate night team"  # in the plan
PUBLIC_URL = "https://coach.example.nhs.uk"


def key_entry(key_id: str) -> str:
    return f"{key_id}:{Fernet.generate_key().decode()}"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COACH_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("COACH_PUBLIC_URL", PUBLIC_URL)
    return tmp_path / "documents"


@pytest.fixture
def store(folder: Path) -> CoachStore:
    return open_store(load_settings().database_url)  # the action server's store: it owns the schema


def links(said: str) -> List[str]:
    return [word.rstrip(".") for word in said.split() if "/documents/" in word]


def publish_all(store: CoachStore, user: str = "web:sealed") -> Dict[str, List[str]]:
    """A plan (page and PDF), a share page and a copy of everything held, each with the person's words."""
    person = store.person_id(user)
    store.save_answer(person, "journal", "journal.wellbeing.now", FEELING)
    store.save_answer(person, "stage3", "stage3.goals", GOAL)
    sharing = SharingService(store)
    return {
        "share": links(sharing.share(person, "journal.wellbeing.now").replies[0].text or ""),
        "plan": links(sharing.send_plan(person, "with_journal").replies[0].text or ""),
        "export": links(SubjectAccess(store, coach_journey()).download(person).replies[0].text or ""),
    }


Reply = Tuple[int, Dict[str, str], bytes]


@contextlib.asynccontextmanager
async def web_channel() -> AsyncIterator[aiohttp.ClientSession]:
    """The web channel, started now (so with the keys set now), and a client for its documents."""
    async with serve_channel(WebChatInput()) as base, aiohttp.ClientSession(base_url=base) as client:
        yield client


async def get(client: aiohttp.ClientSession, address: str) -> Reply:
    async with client.get("/" + address.removeprefix(PUBLIC_URL + "/")) as reply:
        return reply.status, dict(reply.headers), await reply.read()


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "served.pdf"
    path.write_bytes(content)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())


def raw_files(folder: Path) -> Dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def assert_kind_refusal(reply: Reply) -> None:
    status, headers, page = reply
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-store"
    assert b"This link has expired or been withdrawn" in page and FEELING.encode() not in page


async def test_no_word_of_a_plan_a_share_or_an_export_is_in_the_documents_folder_yet_each_link_serves_it_whole(
        store: CoachStore, folder: Path, tmp_path: Path) -> None:
    published = publish_all(store)
    files = raw_files(folder)
    assert len(files) == 5  # the plan's page and PDF, the share page, the export's page and JSON

    for name, raw in files.items():
        for words in (FEELING, GOAL, "Zebedee", "pomegranate"):  # long enough never to occur in a token by chance
            assert words.encode() not in raw, (name, words)
        assert raw.startswith(b"t1:") and b"%PDF" not in raw and b"<html" not in raw and b"{" not in raw

    async with web_channel() as client:
        [share] = published["share"]
        status, headers, page = await get(client, share)
        assert status == 200 and headers["Content-Type"] == "text/html" and headers["Cache-Control"] == "no-store"
        assert FEELING in page.decode("utf-8")

        pdf, html = published["plan"]
        status, headers, page = await get(client, html)
        assert status == 200 and headers["Content-Type"] == "text/html"
        assert FEELING in page.decode("utf-8") and GOAL in page.decode("utf-8")
        status, headers, content = await get(client, pdf)
        assert status == 200 and headers["Content-Type"] == "application/pdf" and content.startswith(b"%PDF-")
        assert GOAL in pdf_text(content, tmp_path)

        html, as_json = published["export"]
        status, headers, page = await get(client, html)
        assert status == 200 and headers["Content-Type"] == "text/html" and FEELING in page.decode("utf-8")
        status, headers, content = await get(client, as_json)
        assert status == 200 and headers["Content-Type"] == "application/json"
        assert FEELING in json.dumps(json.loads(content), ensure_ascii=False)
        assert headers["Cache-Control"] == "no-store" and int(headers["Content-Length"]) == len(content)


async def test_a_tampered_file_or_one_sealed_with_a_key_the_server_lacks_gets_the_kind_page_and_a_log_line(
        store: CoachStore, folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    published = publish_all(store)
    [share] = published["share"]
    pdf, html = published["plan"]
    plan_page = folder / html.rsplit("/", 1)[1]
    held = bytearray(plan_page.read_bytes())
    held[len(held) // 2] ^= 0x01  # one bit, in the middle of the sealed content
    plan_page.write_bytes(bytes(held))
    share_page = folder / share.rsplit("/", 1)[1]
    plain = document_files.read(store.keyring, share_page)
    share_page.write_bytes(Keyring.parse(key_entry("k9")).seal_bytes(plain))  # a key this coach never had

    with caplog.at_level(logging.WARNING, logger="bot.personal_documents"):
        async with web_channel() as client:
            assert_kind_refusal(await get(client, html))
            assert_kind_refusal(await get(client, share))
            assert (await get(client, pdf))[0] == 200  # the plan's untouched PDF still opens

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "bot.personal_documents")
    assert "could not be opened" in logged and "'k9'" in logged
    assert FEELING not in logged and GOAL not in logged
    assert plan_page.stem not in logged and share_page.stem not in logged  # a file's name is its link


async def test_a_plain_file_from_before_sealing_still_serves_and_rotation_seals_it(
        store: CoachStore, folder: Path) -> None:
    [share] = publish_all(store)["share"]
    share_page = folder / share.rsplit("/", 1)[1]
    share_page.write_bytes(document_files.read(store.keyring, share_page))  # as it was written before
    checklist = publish_page("<p>The same checklist for every manager</p>")
    public = folder / checklist.rsplit("/", 1)[1]
    assert FEELING.encode() in share_page.read_bytes()

    async with web_channel() as client:
        status, _, page = await get(client, share)
        assert status == 200 and FEELING in page.decode("utf-8")
        keyring = load_keyring(load_settings())
        assert not_current(store.engine, keyring, folder)[DOCUMENT_FILES] == 1  # only the personal one

        reseal(store.engine, keyring, documents=folder)

        assert share_page.read_bytes().startswith(b"t1:") and FEELING.encode() not in share_page.read_bytes()
        status, _, page = await get(client, share)
        assert status == 200 and FEELING in page.decode("utf-8")
        # A page that is the same for everyone holds nothing personal: it stays plain, and is still served.
        assert public.read_bytes() == b"<p>The same checklist for every manager</p>"
        status, _, page = await get(client, checklist)
        assert status == 200 and page == b"<p>The same checklist for every manager</p>"
    assert not_current(store.engine, keyring, folder)[DOCUMENT_FILES] == 0


async def test_coach_keys_rotate_reseals_every_document_file_and_then_the_old_key_can_go(
        store: CoachStore, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    published = publish_all(store)  # under the test key, t1
    before = raw_files(folder)
    new = key_entry("k2")
    monkeypatch.setenv("COACH_DATA_KEYS", f"{new} {load_settings().data_keys}")
    assert not_current(store.engine, load_keyring(load_settings()), folder)[DOCUMENT_FILES] == 5

    assert cli.main(["keys", "rotate"]) == 0

    said = capsys.readouterr().out
    assert "document files: 5 resealed" in said and "The older keys (t1) are no longer needed" in said
    after = raw_files(folder)
    assert after.keys() == before.keys() and all(raw.startswith(b"k2:") for raw in after.values())
    assert not list(folder.glob(".*"))  # no temporary file left behind

    monkeypatch.setenv("COACH_DATA_KEYS", new)  # the old key goes
    async with web_channel() as client:
        for address in [*published["share"], *published["plan"], *published["export"]]:
            status, _, content = await get(client, address)
            assert status == 200 and len(content) > 100, address
        status, _, page = await get(client, published["share"][0])
        assert FEELING in page.decode("utf-8")


def test_rotation_counts_a_document_file_a_server_still_sealed_with_the_older_key_and_a_second_run_mends_it(
        store: CoachStore, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COACH_DATA_KEYS", f"{key_entry('k2')} {load_settings().data_keys}")
    assert cli.main(["keys", "rotate"]) == 0
    publish_all(store)  # by a server not yet restarted with k2 first: it still seals with t1

    assert not_current(store.engine, load_keyring(load_settings()), folder)[DOCUMENT_FILES] == 5
    assert cli.main(["keys", "rotate"]) == 0
    assert "document files: 5 resealed" in capsys.readouterr().out
    assert not_current(store.engine, load_keyring(load_settings()), folder)[DOCUMENT_FILES] == 0


def test_a_file_withdrawn_while_it_is_resealed_is_not_brought_back(
        store: CoachStore, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [share] = publish_all(store)["share"]
    name = share.rsplit("/", 1)[1].split(".")[0]
    moved = document_files.replace

    def withdrawn_meanwhile(path: Path, content: bytes) -> None:
        if path.stem == name:
            store.forget_documents([name])  # "stop sharing", between the read and the move
        moved(path, content)

    monkeypatch.setattr(document_files, "replace", withdrawn_meanwhile)
    monkeypatch.setenv("COACH_DATA_KEYS", f"{key_entry('k2')} {load_settings().data_keys}")

    [done] = [r for r in reseal(store.engine, load_keyring(load_settings()), documents=folder) if not r.column]

    assert done.resealed == 4 and done.changed_meanwhile == 1
    assert not any(path.stem == name for path in folder.iterdir())


def test_a_document_file_seals_and_opens_as_bytes_and_a_plain_one_opens_as_it_is() -> None:
    keyring = Keyring.parse(f"{key_entry('k2')} {key_entry('k1')}")
    pdf = b"%PDF-1.4\n\x00\xff binary"
    sealed = keyring.seal_bytes(pdf)
    assert sealed.startswith(b"k2:") and pdf not in sealed and keyring.open_bytes(sealed) == pdf
    for plain in (pdf, b"<!doctype html><p>a: b</p>", b'{"a": 1}'):
        assert keyring.open_bytes(plain) == plain  # written before sealing began
    with pytest.raises(UnreadableData, match="'k1' does not open"):
        keyring.open_bytes(b"k1:" + sealed[3:])
    with pytest.raises(UnreadableData, match="'k3', which is not in the coach's keys"):
        keyring.open_bytes(b"k3:" + sealed[3:])
