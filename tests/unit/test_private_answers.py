"""An answer to a question marked ``private: true`` (journey.yml) never leaves the person's own view: not in the
plan's web page or PDF (with or without the journal), not on a page shared with a manager, not in what the coach
reads back before sharing. Each path is checked on the files the coach really writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.content import ContentError, content_path
from bot.journey import load_journey
from bot.journey_service import coach_journey
from bot.sharing import PLAN, WITH_JOURNAL, SharingService
from bot.store import CoachStore, document_files
from bot.turn import Turn

PRIVATE = next(p for f in coach_journey().staff_flows() for p in f.prompts if p.private)
SECRET_WORDS = "passed over for band 6 after my maternity leave"


@pytest.fixture
def person(coach_store: CoachStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    person = coach_store.person_id("web:private")
    for flow in coach_journey().staff_flows():  # a whole journey, every answer carrying the private words' tail
        for prompt in flow.prompts:
            if prompt.kind in ("text", "date"):
                coach_store.save_answer(person, prompt.flow, prompt.id, f"My answer to {prompt.id}")
    coach_store.save_answer(person, PRIVATE.flow, PRIVATE.id, f"I was {SECRET_WORDS}")
    return person


def written(tmp_path: Path, suffix: str) -> list[Path]:
    return sorted((tmp_path / "documents").glob(f"*{suffix}"))


def opened(store: CoachStore, path: Path) -> str:
    """A page as served: its file is sealed."""
    return document_files.read(store.keyring, path).decode("utf-8")


def said(turn: Turn) -> str:
    return "\n".join(f"{r.text} {r.buttons}" for r in turn.replies)


def test_there_is_a_private_question_to_check() -> None:
    assert PRIVATE.id == "stage1.fairness"


def test_a_question_may_not_offer_a_private_answer_again_where_it_could_be_shared(tmp_path: Path) -> None:
    text = content_path("journey.yml").read_text(encoding="utf-8").replace(  # a recalled answer made private
        "- id: journal.matters.energy\n", "- id: journal.matters.energy\n            private: true\n", 1)
    (tmp_path / "journey.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="'journal.matters.energy' is private, so it is never offered again"):
        load_journey(tmp_path)


@pytest.mark.parametrize("choice", [None, WITH_JOURNAL])
def test_the_plan_web_page_never_holds_a_private_answer(coach_store: CoachStore, person: str, tmp_path: Path,
                                                        choice: str | None) -> None:
    SharingService(coach_store).send_plan(person, choice)
    [page] = written(tmp_path, ".html")
    text = opened(coach_store, page)
    assert "My answer to stage1.motivation" in text or choice is None  # the journal is there when chosen
    assert SECRET_WORDS not in text


@pytest.mark.parametrize("choice", [None, WITH_JOURNAL])
def test_the_plan_pdf_never_holds_a_private_answer(coach_store: CoachStore, person: str, tmp_path: Path,
                                                   choice: str | None) -> None:
    SharingService(coach_store).send_plan(person, choice)
    [sealed] = written(tmp_path, ".pdf")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(document_files.read(coach_store.keyring, sealed))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    assert "My development plan" in text or "development plan" in text
    assert SECRET_WORDS not in text


def test_a_private_answer_is_not_offered_for_sharing_and_cannot_be_shared(coach_store: CoachStore,
                                                                          person: str) -> None:
    sharing = SharingService(coach_store)
    assert SECRET_WORDS not in said(sharing.choose(person, said="share with my manager"))
    refused = sharing.ask(person, PRIVATE.id)
    assert "stays private, so it can't be shared" in said(refused) and SECRET_WORDS not in said(refused)
    assert said(sharing.share(person, PRIVATE.id)).startswith("I couldn't find that answer, so nothing was shared")
    assert coach_store.shared_answers(person) == {}


def test_the_share_page_never_holds_a_private_answer_even_if_marked_shared(coach_store: CoachStore, person: str,
                                                                           tmp_path: Path) -> None:
    coach_store.set_shared(person, [PRIVATE.id])  # as an old record, or a bug elsewhere, might have it
    SharingService(coach_store).share(person, "stage1.motivation")
    [page] = written(tmp_path, ".html")
    assert "My answer to stage1.motivation" in opened(coach_store, page)
    assert SECRET_WORDS not in opened(coach_store, page)


def test_what_the_coach_reads_back_before_sharing_the_plan_holds_no_private_answer(coach_store: CoachStore,
                                                                                   person: str) -> None:
    sharing = SharingService(coach_store)
    assert SECRET_WORDS not in said(sharing.ask(person, PLAN))
    sharing.share(person, PLAN)
    assert PRIVATE.id not in coach_store.shared_answers(person)
