"""The plan document: one page a person can take into their meeting, in their own words, and nothing else.

The PDF is checked as a reader would meet it: rendered to images with poppler's pdftoppm, and its text
read back with pdftotext.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.documents import render_html, render_pdf
from bot.journey import load_journey
from bot.plan import PlanDocument, build_plan_document, build_shared_document, summary_lines


@dataclass
class Saved:
    text: str
    status: str = "answered"
    value: Any = None
    shared: bool = False


PLACEMENT = {"name": "Stretch: ready later", "explanation": "You aim higher, in a year or two."}
ANSWERS = {
    "journal.matters.values": Saved("Kindness to patients — always 💙"),
    "journal.strengths.challenges": Saved("see above"),
    "stage1.motivation": Saved("Seeing people get home safely"),
    "stage1.fairness": Saved("I was passed over for band 6 after my maternity leave"),
    "stage2.aspiration": Saved("Run the night team within two years"),
    "stage2.placement": Saved("Stretch: ready later", value=PLACEMENT),
    "stage3.goals": Saved("Lead the night team; finish my <b>ILM</b> course"),
    "stage3.interventions": Saved("Coaching; Edward Jenner programme", value=["coaching", "edward-jenner"]),
    "stage3.support": Saved("My matron, and a mentor from outside the ward"),
    "stage3.review": Saved("by March next year", value="2027-03-31"),
}


def document(answers: dict[str, Saved] = ANSWERS, include_journal: bool = False) -> PlanDocument:
    return build_plan_document(load_journey(), answers, include_journal=include_journal,
                               today=dt.date(2026, 11, 23))


def rendered(tmp_path: Path, document: PlanDocument) -> tuple[list[Image.Image], str]:
    """The PDF's pages as images (pdftoppm) and its text in reading order (pdftotext)."""
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_pdf(document))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page*.png"))]
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return pages, " ".join(text.split())


def test_the_plan_is_one_page_that_reads_as_a_plan_in_the_persons_words(tmp_path: Path) -> None:
    pages, text = rendered(tmp_path, document())
    assert len(pages) == 1
    assert pages[0].getextrema()[0] < 100, "the page is blank"
    headings = ["Where I sit on the framework", "What I'm aiming for", "My goals", "Development options I chose",
                "Support I'll need", "When I'll review it"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    for words in ["Stretch: ready later", "You aim higher, in a year or two.", "Run the night team within two years",
                  "Lead the night team; finish my <b>ILM</b> course", "My matron, and a mentor from outside the ward",
                  "By 31 March 2027", "Edward Jenner", "https://www.leadershipacademy.nhs.uk", "a draft"]:
        assert words in text


def test_the_journal_and_notes_come_after_the_plan_only_when_chosen(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    _, plain = rendered(tmp_path / "plain", document())
    assert "Kindness to patients" not in plain and "Seeing people get home safely" not in plain
    pages, with_journal = rendered(tmp_path, document(include_journal=True))
    assert len(pages) == 2 and "Kindness to patients — always" in with_journal  # DejaVu has no emoji
    assert "Seeing people get home safely" in with_journal


def test_an_answer_marked_private_is_never_in_the_plan(tmp_path: Path) -> None:
    _, text = rendered(tmp_path, document(include_journal=True))
    assert "passed over" not in text and "passed over" not in render_html(document(include_journal=True))


def test_remarks_to_the_coach_stay_stored_but_are_not_shown_as_answers() -> None:
    answers = {**ANSWERS, "stage3.goals": Saved("i already said this??")}
    page = render_html(document(answers, include_journal=True))
    assert "already said" not in page and "My goals" not in page
    assert "see above" not in page
    assert "Kindness to patients" in page


def test_each_chosen_option_says_where_to_find_it_and_what_to_do_next() -> None:
    page = render_html(document())
    assert "<strong>Edward Jenner" in page and "href='https://www.leadershipacademy.nhs.uk'" in page
    assert page.count("Next step: check it is open to me") == 2


def test_the_html_is_accessible_and_escapes_what_people_typed() -> None:
    page = render_html(document())
    assert "<html lang='en-GB'>" in page and "<main>" in page and "<h1>" in page
    assert "&lt;b&gt;ILM&lt;/b&gt;" in page and "<b>ILM</b>" not in page


def test_nothing_in_the_plan_yet_makes_an_empty_document() -> None:
    assert document({}).empty and not document().empty


def test_the_summary_reads_back_the_plan_before_it_is_saved() -> None:
    lines = "\n".join(summary_lines(document()))
    assert "Lead the night team" in lines and "Review by: 31 March 2027" in lines
    assert "Seeing people get home safely" not in lines


@pytest.mark.parametrize("chosen", [["journal.matters.values"], ["stage3.goals", "stage3.support"]])
def test_the_manager_copy_holds_only_what_the_person_chose_to_share(chosen: list[str]) -> None:
    answers = {key: Saved(value.text, value.status, value.value, shared=key in chosen)
               for key, value in ANSWERS.items()}
    page = render_html(build_shared_document(load_journey(), answers, today=dt.date(2026, 11, 23)))
    for key, answer in ANSWERS.items():
        assert (answer.text.replace("<", "&lt;").replace(">", "&gt;") in page) == (key in chosen)



def test_the_printable_checklist_has_all_nine_items_in_order_each_with_a_tick_box() -> None:
    import html
    import re

    from bot.checklist import checklist_page
    from bot.documents import HTML_STYLE
    from bot.manager import conversation_checklist

    page = checklist_page()
    items = re.findall(r"<li><input type='checkbox' id='(item-\d+)'><label for='(item-\d+)'>(.*?)</label></li>", page)
    assert len(items) == 9 and all(box == label for box, label, _ in items)
    for (_, _, text), item in zip(items, conversation_checklist(), strict=True):
        said = html.unescape(text)
        assert item.title in said and " ".join(item.prompt.split()) in said
    assert re.findall(r"<style>(.*?)</style>", page) == [HTML_STYLE]  # the one style the documents' CSP allows
    assert "ESR" in page and "<script" not in page


def test_the_checklist_page_is_published_once_per_version_under_a_name_the_channel_serves(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.channels.web import DOCUMENT_NAME
    from bot.documents import publish_page

    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path))
    first, again = publish_page("<p>checklist</p>"), publish_page("<p>checklist</p>")
    changed = publish_page("<p>checklist, version 2</p>")
    assert first == again != changed
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 2 and all(DOCUMENT_NAME.match(name) for name in names)
    assert (tmp_path / first.rsplit("/", 1)[1]).read_text(encoding="utf-8") == "<p>checklist</p>"
