"""The web channel's documents route, behind a real Sanic server: a personal document is served while it is in
date, and after it expires, after "delete my data" or after "stop sharing" the link shows a kind page that says
what happened, and nothing of the person's is left in the documents folder. Each opening of a share page is in the
audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import AsyncIterator, Dict, List, Tuple

import aiohttp
import pytest

from bot.channels.headers import document_policy
from bot.channels.web import WebChatInput
from bot.sharing import SharingService
from bot.store import CoachStore, open_store
from tests.channel_server import serve_channel

SECRET = "a-web-test-token-secret-of-at-least-32-bytes"
WORDS = "I have been struggling with anxiety since the restructure"  # what must never outlive its link


class Clock:
    """The channel's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    def __call__(self) -> dt.datetime:
        return self.now


class Coach:
    def __init__(self, url: str, client: aiohttp.ClientSession, store: CoachStore, folder: Path,
                 clock: Clock) -> None:
        self.url, self.client, self.store, self.folder, self.clock = url, client, store, folder, clock
        self.sharing = SharingService(store)

    async def get(self, address: str) -> Tuple[int, Dict[str, str], str]:
        path = address.split("://", 1)[1].split("/", 1)[1]
        async with self.client.get(f"{self.url}/{path}") as reply:
            return reply.status, dict(reply.headers), (await reply.read()).decode("utf-8", "replace")

    def files(self) -> List[str]:
        return sorted(p.name for p in self.folder.iterdir())


@pytest.fixture
async def coach(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Coach]:
    url, folder = f"sqlite:///{tmp_path / 'coach.db'}", tmp_path / "documents"
    monkeypatch.setenv("COACH_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(folder))
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example.nhs.uk")
    store, clock = open_store(url), Clock()  # the action server's store: it owns the schema
    async with serve_channel(WebChatInput(clock=clock)) as base, aiohttp.ClientSession() as client:
        yield Coach(base, client, store, folder, clock)


def links(said: str) -> List[str]:
    return [word.rstrip(".") for word in said.split() if "/documents/" in word]


def plan_links(coach: Coach, person: str) -> List[str]:
    coach.store.save_answer(person, "journal", "journal.wellbeing.now", WORDS)
    coach.store.save_answer(person, "stage3", "stage3.goals", "Lead the night team")
    turn = coach.sharing.send_plan(person, "with_journal")
    return links(turn.replies[0].text or "")


def share_link(coach: Coach, person: str) -> str:
    coach.store.save_answer(person, "journal", "journal.wellbeing.now", WORDS)
    [link] = links(coach.sharing.share(person, "journal.wellbeing.now").replies[0].text or "")
    return link


def assert_kind_refusal(status: int, headers: Dict[str, str], page: str, expected: int) -> None:
    assert status == expected
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-store" and headers["Content-Security-Policy"] == document_policy("'self'")
    assert "This link has expired or been withdrawn" in page and "send my plan" in page
    assert WORDS not in page


async def test_a_plan_is_served_in_date_and_refused_once_expired_leaving_no_file(coach: Coach) -> None:
    person = coach.store.person_id("web:plan")
    pdf, html = plan_links(coach, person)
    status, headers, page = await coach.get(html)
    assert status == 200 and WORDS in page and headers["Cache-Control"] == "no-store"
    assert (await coach.get(pdf))[0] == 200

    coach.clock.now += dt.timedelta(days=7, minutes=1)

    assert_kind_refusal(*await coach.get(html), expected=410)
    assert coach.files() == [] and coach.store.documents(person) == []
    assert_kind_refusal(*await coach.get(pdf), expected=404)  # already removed with its page


async def test_a_share_link_works_for_fourteen_days(coach: Coach) -> None:
    link = share_link(coach, coach.store.person_id("web:share"))
    coach.clock.now += dt.timedelta(days=13, hours=23)
    assert (await coach.get(link))[0] == 200
    coach.clock.now += dt.timedelta(hours=1, minutes=1)  # the link was made a moment after the clock was read
    assert_kind_refusal(*await coach.get(link), expected=410)
    assert coach.files() == []


async def test_after_delete_my_data_no_link_works_and_no_file_is_left(coach: Coach) -> None:
    person = coach.store.person_id("web:erased")
    addresses = [*plan_links(coach, person), share_link(coach, person)]
    assert all([(await coach.get(a))[0] == 200 for a in addresses])

    coach.store.erase_person(person)  # "delete my data"

    for address in addresses:
        assert_kind_refusal(*await coach.get(address), expected=404)
    assert coach.files() == []


async def test_after_stop_sharing_the_managers_link_is_refused_and_its_file_gone(coach: Coach) -> None:
    person = coach.store.person_id("web:unshare")
    link = share_link(coach, person)
    pdf, html = plan_links(coach, person)
    assert (await coach.get(link))[0] == 200

    coach.sharing.stop_sharing(person)

    assert_kind_refusal(*await coach.get(link), expected=404)
    assert coach.files() == sorted(a.rsplit("/", 1)[1] for a in (pdf, html))  # only the person's own plan
    assert (await coach.get(html))[0] == 200


async def test_after_editing_a_shared_answer_the_old_words_are_not_served(coach: Coach) -> None:
    person = coach.store.person_id("web:edit")
    link = share_link(coach, person)
    coach.store.save_answer(person, "journal", "journal.wellbeing.now", "Better now, thank you")
    assert_kind_refusal(*await coach.get(link), expected=404)
    assert coach.files() == []


async def test_each_opening_of_a_share_link_is_logged_at_most_once_a_minute_and_nothing_else_is(
        coach: Coach) -> None:
    person = coach.store.person_id("web:watched")
    link = share_link(coach, person)
    [plan_pdf, plan_page] = plan_links(coach, person)

    def views() -> list[str]:
        return [e.actor for e in coach.store.audit_events(person) if e.action == "share_viewed"]

    for _ in range(3):  # reloads
        assert (await coach.get(link))[0] == 200
    assert (await coach.get(plan_page))[0] == 200  # the person's own plan is not a share
    assert views() == ["share_link"]
    coach.clock.now += dt.timedelta(seconds=61)
    assert (await coach.get(link))[0] == 200
    assert views() == ["share_link", "share_link"]

    coach.sharing.stop_sharing(person)
    coach.clock.now += dt.timedelta(minutes=5)
    assert (await coach.get(link))[0] == 404  # withdrawn: not served, so not a view
    assert views() == ["share_link", "share_link"]
    assert sorted(e.action for e in coach.store.audit_events(person)) == [
        "share_viewed", "share_viewed", "share_withdrawn", "shared"]
