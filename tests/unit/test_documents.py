"""The plan document holds exactly what the person said."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from bot.documents import render_html, render_pdf
from bot.journey import load_journey
from bot.plan import build_plan_document, summary_lines


@dataclass
class Saved:
    text: str
    status: str = "answered"
    value: Any = None


ANSWERS = {
    "journal.matters.values": Saved("Kindness to patients — always 💙"),
    "stage1.motivation": Saved("Seeing people get home safely"),
    "stage3.goals": Saved("Lead the night team; finish my <b>ILM</b> course"),
    "stage3.support": Saved("My matron, and a mentor from outside the ward"),
    "stage3.review": Saved("by March next year", value="2027-03-31"),
    "stage2.placement": Saved("Stretch", value={"name": "Stretch: ready later", "explanation": "You aim higher."}),
}


def document(include_journal: bool = False):  # type: ignore[no-untyped-def]
    return build_plan_document(load_journey(), ANSWERS, include_journal=include_journal, today=dt.date(2026, 11, 23))


def pdf_text(include_journal: bool = False) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(document(include_journal))))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_contains_the_persons_words_verbatim() -> None:
    text = pdf_text()
    for words in [
        "Seeing people get home safely",
        "Lead the night team; finish my <b>ILM</b> course",
        "My matron, and a mentor from outside the ward",
        "Stretch: ready later",
        "31 March 2027",
    ]:
        assert words in text


def test_the_journal_is_left_out_unless_the_person_chooses_it() -> None:
    assert "Kindness to patients" not in pdf_text()
    assert "Kindness to patients" in pdf_text(include_journal=True)


def test_the_html_escapes_what_people_typed() -> None:
    page = render_html(document())
    assert "&lt;b&gt;ILM&lt;/b&gt;" in page and "<b>ILM</b>" not in page


def test_the_summary_reads_back_stage_three_and_the_review_date() -> None:
    lines = "\n".join(summary_lines(document()))
    assert "Lead the night team" in lines and "Review by: 31 March 2027" in lines
    assert "Seeing people get home safely" not in lines


@dataclass
class SharedSaved(Saved):
    shared: bool = False


def test_the_manager_copy_holds_only_what_the_person_chose_to_share() -> None:
    from bot.plan import build_shared_document

    answers = {"journal.matters.values": SharedSaved("Kindness to patients", shared=True),
               "journal.wellbeing.now": SharedSaved("Struggling since my divorce", shared=False)}
    page = render_html(build_shared_document(load_journey(), answers, today=dt.date(2026, 11, 23)))
    assert "Kindness to patients" in page and "divorce" not in page
