"""Plan documents and share links belong to the person: recorded, in date for a set time, withdrawn when the
person stops sharing or changes what they shared, and gone (rows and files) once expired or erased."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from bot import personal_documents
from bot.cli import main
from bot.documents import PLAN, SHARE, publish, publish_page
from bot.journey_service import JourneyService, Place
from bot.settings import BadSetting, load_settings
from bot.sharing import SharingService
from bot.store import CoachStore, document_files
from bot.turn import Message, Turn

NOW = dt.datetime(2026, 12, 2, 9, 0)
ROLE, WELLBEING = "journal.details.role", "journal.wellbeing.now"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    documents = tmp_path / "documents"
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(documents))
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example.nhs.uk")
    return documents


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def text(turn: Turn) -> str:
    return "\n".join(r.text or "" for r in turn.replies)


def shared_person(store: CoachStore, sharing: SharingService) -> str:
    person = store.person_id("web:sharer")
    store.save_answer(person, "journal", ROLE, "Band 5 staff nurse on the stroke unit")
    store.save_answer(person, "journal", WELLBEING, "Tired after the winter, but hopeful")
    sharing.share(person, ROLE)
    return person


def names(store: CoachStore, person: str, kind: str | None = None) -> list[str]:
    return [d.name for d in store.documents(person, kind)]


# --- owned, and in date for a set time ---------------------------------------------------------------------


def test_a_published_document_is_recorded_as_its_persons_with_its_expiry(coach_store: CoachStore,
                                                                          folder: Path) -> None:
    person = coach_store.person_id("web:a")
    from tests.unit.test_documents import document

    published = publish(document(), owner=person, kind=PLAN, store=coach_store, now=NOW)
    [record] = coach_store.documents(person)
    assert (record.person_id, record.kind, record.created_at) == (person, PLAN, NOW)
    assert record.expires_at == NOW + dt.timedelta(days=1) == published.expires_at
    assert published.address == f"https://coach.example.nhs.uk/webhooks/web/documents/{record.name}"
    assert files(folder) == [f"{record.name}.html", f"{record.name}.pdf"]
    assert published.lasts == "for 1 day, until 3 December"


def test_the_coach_says_truthfully_how_long_each_link_works(coach_store: CoachStore, folder: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PLAN_LINK_DAYS", "3")
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    coach_store.save_answer(person, "stage3", "stage3.goals", "Lead the night team")
    plan_reply = text(sharing.send_plan(person, None))
    [plan] = coach_store.documents(person, PLAN)
    [share] = coach_store.documents(person, SHARE)
    assert f"work for 3 days, until {plan.expires_at.strftime('%-d %B')}" in plan_reply
    assert plan.expires_at - plan.created_at == dt.timedelta(days=3)
    assert share.expires_at - share.created_at == dt.timedelta(days=14)
    assert share.prompt_ids == (ROLE,)


def test_a_document_is_served_until_it_expires_then_it_and_its_files_are_gone(coach_store: CoachStore,
                                                                              folder: Path) -> None:
    person = coach_store.person_id("web:a")
    from tests.unit.test_documents import document

    name = publish(document(), owner=person, kind=PLAN, store=coach_store, now=NOW).address.rsplit("/", 1)[1]
    within_the_day = NOW + dt.timedelta(hours=23)  # before the day is out
    found = personal_documents.find(coach_store, f"{name}.pdf", within_the_day)
    assert found.outcome == personal_documents.SERVE and found.path == folder / f"{name}.pdf"
    assert personal_documents.find(coach_store, f"{name}.html", NOW + dt.timedelta(days=1)).outcome == "expired"
    assert files(folder) == [] and coach_store.documents(person) == []
    assert personal_documents.find(coach_store, f"{name}.pdf", within_the_day).outcome == personal_documents.GONE


def test_a_file_no_record_owns_is_never_served_but_a_same_for_everyone_page_is(coach_store: CoachStore,
                                                                               folder: Path) -> None:
    folder.mkdir()
    (folder / ("A" * 24 + ".html")).write_text("<p>a plan from before documents were recorded</p>")
    page = publish_page("<p>the checklist</p>").rsplit("/", 1)[1]
    assert personal_documents.find(coach_store, "A" * 24 + ".html").outcome == personal_documents.GONE
    assert personal_documents.find(coach_store, page).outcome == personal_documents.SERVE
    assert personal_documents.find(None, page).outcome == personal_documents.SERVE  # before the schema exists


# --- erased, purged -------------------------------------------------------------------------------------------


def test_delete_my_data_removes_the_persons_documents_rows_and_files(coach_store: CoachStore, folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    other = coach_store.person_id("web:someone-else")
    coach_store.save_answer(other, "stage3", "stage3.goals", "Become a ward manager")
    sharing.send_plan(person, None)
    sharing.send_plan(other, None)
    [kept] = names(coach_store, other)
    coach_store.erase_person(person)
    assert coach_store.documents(person) == []
    assert files(folder) == [f"{kept}.html", f"{kept}.pdf"]  # someone else's plan is untouched


def test_the_purge_removes_expired_documents_and_files_no_record_owns(coach_store: CoachStore,
                                                                      folder: Path) -> None:
    from tests.unit.test_documents import document

    person = coach_store.person_id("web:a")
    old = publish(document(), owner=person, kind=PLAN, store=coach_store, now=NOW - dt.timedelta(days=8))
    new = publish(document(), owner=person, kind=PLAN, store=coach_store, now=NOW)
    page = publish_page("<p>the checklist</p>").rsplit("/", 1)[1]
    orphan, fresh = folder / ("O" * 24 + ".pdf"), folder / ("F" * 24 + ".html")
    orphan.write_text("from before documents were recorded")
    fresh.write_text("a turn still being committed")
    an_hour_ago = time.time() - 2 * personal_documents.UNRECORDED_GRACE_SECONDS
    os.utime(orphan, (an_hour_ago, an_hour_ago))

    purged = personal_documents.purge(coach_store, NOW)

    assert purged == personal_documents.Purged(expired=1, unrecorded=1)
    kept = new.address.rsplit("/", 1)[1]
    assert names(coach_store, person) == [kept]
    assert files(folder) == sorted([f"{kept}.html", f"{kept}.pdf", page, fresh.name])
    assert old.address.rsplit("/", 1)[1] not in " ".join(files(folder))


def test_coach_documents_purge_runs_the_purge(coach_store: CoachStore, folder: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from tests.unit.test_documents import document

    person = coach_store.person_id("web:a")
    publish(document(), owner=person, kind=PLAN, store=coach_store, now=NOW - dt.timedelta(days=30))
    assert main(["documents", "purge", "--database-url", str(coach_store.engine.url)]) == 0
    assert "Removed 1 expired document(s)" in capsys.readouterr().out
    assert files(folder) == [] and coach_store.documents(person) == []


# --- stop sharing ---------------------------------------------------------------------------------------------


def test_stop_sharing_makes_every_answer_private_and_withdraws_every_share_link(coach_store: CoachStore,
                                                                              folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    sharing.share(person, WELLBEING)  # a second link, showing both
    coach_store.save_answer(person, "stage3", "stage3.goals", "Lead the night team")
    sharing.send_plan(person, None)
    [plan] = names(coach_store, person, PLAN)

    reply = text(sharing.stop_sharing(person))

    assert coach_store.shared_answers(person) == {}
    assert names(coach_store, person, SHARE) == []
    assert files(folder) == [f"{plan}.html", f"{plan}.pdf"]  # the person's own plan link still works
    assert "made the 2 answers you'd shared private again" in reply
    assert "withdrawn your 2 share links: they no longer work" in reply


def test_stop_sharing_says_truthfully_when_the_links_had_already_gone(coach_store: CoachStore, folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    personal_documents.purge(coach_store, dt.datetime.now() + dt.timedelta(days=15))  # the link has expired
    reply = text(sharing.stop_sharing(person))
    assert "I've made the 1 answer you'd shared private again. There were no share links to withdraw." in reply
    assert coach_store.shared_answers(person) == {}


def test_stop_sharing_when_nothing_is_shared_says_so_kindly(coach_store: CoachStore, folder: Path) -> None:
    person = coach_store.person_id("web:quiet")
    reply = text(SharingService(coach_store).stop_sharing(person))
    assert reply.startswith("Nothing is shared with your manager, so there was nothing to stop.")


# --- editing or deleting a shared answer asks again -------------------------------------------------------------


def test_editing_a_shared_answer_stops_sharing_it_withdraws_its_link_and_offers_to_share_the_new_words(
        coach_store: CoachStore, folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    [link] = names(coach_store, person, SHARE)

    turn = JourneyService(coach_store).take(person, Place(flow="journal", editing=ROLE, prompt_id=ROLE),
                                            Message("Band 6 charge nurse on the stroke unit", "inform"))

    assert coach_store.answers(person)[ROLE].text == "Band 6 charge nurse on the stroke unit"
    assert coach_store.shared_answers(person) == {}
    assert coach_store.document(link) is None and files(folder) == []
    said = text(turn)
    assert "I've stopped sharing it and withdrawn any link that showed your earlier words" in said
    assert "won't see the new words unless you choose to share them" in said
    [offer] = turn.replies[-1].buttons
    assert offer["title"] == "Share the new words" and offer["payload"] == f'/share_answer{{"prompt": "{ROLE}"}}'


def test_the_new_words_reach_the_manager_only_once_the_person_confirms_them(coach_store: CoachStore,
                                                                             folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    JourneyService(coach_store).take(person, Place(flow="journal", editing=ROLE, prompt_id=ROLE),
                                     Message("Band 6 charge nurse", "inform"))
    asked = text(sharing.ask(person, ROLE))
    assert "exactly this: “Band 6 charge nurse”" in asked
    sharing.share(person, ROLE)
    [link] = names(coach_store, person, SHARE)
    assert "Band 6 charge nurse" in document_files.read(coach_store.keyring, folder / f"{link}.html").decode()


def test_deleting_a_shared_answer_withdraws_the_link_that_showed_it(coach_store: CoachStore, folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    turn = JourneyService(coach_store).delete_answer(person, ROLE)
    assert text(turn) == "Deleted.\nYou'd shared that answer with your manager, so I've withdrawn any link that " \
                         "showed it."
    assert names(coach_store, person, SHARE) == [] and files(folder) == []


def test_a_share_is_not_served_once_an_answer_it_shows_changed_however_it_changed(coach_store: CoachStore,
                                                                                   folder: Path) -> None:
    sharing = SharingService(coach_store)
    person = shared_person(coach_store, sharing)
    [link] = names(coach_store, person, SHARE)
    coach_store.save_answer(person, "journal", ROLE, "new words, saved some other way")
    assert coach_store.shared_answers(person) == {}  # the store shares only the words that were confirmed
    assert personal_documents.find(coach_store, f"{link}.html").outcome == personal_documents.GONE
    assert files(folder) == []


# --- settings -------------------------------------------------------------------------------------------------


def test_link_lifetimes_have_documented_defaults_and_can_be_set() -> None:
    assert (load_settings({}).plan_link_days, load_settings({}).share_link_days) == (1, 14)
    settings = load_settings({"COACH_PLAN_LINK_DAYS": "2", "COACH_SHARE_LINK_DAYS": "5"})
    assert (settings.plan_link_days, settings.share_link_days) == (2, 5)
    with pytest.raises(BadSetting, match="COACH_SHARE_LINK_DAYS"):
        load_settings({"COACH_SHARE_LINK_DAYS": "0"})
