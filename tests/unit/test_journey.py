"""The journey's flows, progress and resuming, without Rasa."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import journey
from bot.content import ContentError


@dataclass
class Saved:
    status: str = "answered"


@pytest.fixture(scope="module")
def coach_journey() -> journey.Journey:
    return journey.load_journey()


def test_staff_go_through_the_journal_then_the_three_stages_in_order(coach_journey: journey.Journey) -> None:
    assert [f.id for f in coach_journey.staff_flows()] == ["journal", "stage1", "stage2", "stage3"]


def test_the_journal_covers_the_preparation_themes(coach_journey: journey.Journey) -> None:
    titles = [s.title.lower() for s in coach_journey.flow("journal").sections]
    for theme in ["details", "well-being", "matters", "strengths", "performance", "career"]:
        assert any(theme in t for t in titles), theme


def test_progress_says_which_section_of_how_many(coach_journey: journey.Journey) -> None:
    flow = coach_journey.flow("journal")
    second = flow.sections[1].prompts[0]
    assert journey.progress(flow, second).label.startswith("Section 2 of 6: Health and well-being")


def test_the_next_prompt_is_the_first_without_an_answer_and_a_skip_counts(coach_journey: journey.Journey) -> None:
    flow = coach_journey.flow("journal")
    first, second, third = flow.prompts[:3]
    assert journey.next_prompt(flow, {}) == first
    assert journey.next_prompt(flow, {first.id: Saved("skipped")}) == second
    assert journey.next_prompt(flow, {first.id: Saved(), second.id: Saved()}) == third


def test_resuming_moves_on_to_the_next_stage_when_a_flow_is_complete(coach_journey: journey.Journey) -> None:
    answered = {p.id: Saved() for p in coach_journey.flow("journal").prompts}
    point = journey.resume_point(coach_journey, answered)
    assert point is not None and point.flow == "stage1"
    everything = {p.id: Saved() for f in coach_journey.flows for p in f.prompts}
    assert journey.resume_point(coach_journey, everything) is None


def test_long_answers_are_quoted_briefly() -> None:
    assert journey.quote("word " * 100).endswith("…")


def test_a_broken_journey_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "journey.yml").write_text(
        "source: x\nlast_checked: 2026-11-23\nflows:\n  - id: journal\n    title: J\n    intro: i\n    outro: o\n"
        "    sections:\n      - id: s\n        title: S\n        prompts:\n          - id: p\n            text: t\n"
        "            kind: riddle\n"
    )
    with pytest.raises(ContentError) as error:
        journey.load_journey(tmp_path)
    assert "journey.yml" in str(error.value) and "kind" in str(error.value)


def test_what_an_answer_means_comes_from_content_latest_first(coach_journey: journey.Journey) -> None:
    assert [p.id for p in coach_journey.feeding("aspiration", "stage3")] == ["stage2.aspiration",
                                                                              "journal.career.vision"]
    assert [p.id for p in coach_journey.feeding("aspiration", "outcome")] == ["outcome.next_steps"]
    assert [p.id for p in coach_journey.feeding("growth", "outcome")] == ["outcome.growth"]


def test_an_unknown_meaning_is_reported_by_file_and_field(tmp_path: Path) -> None:
    text = (journey.content_path("journey.yml").read_text(encoding="utf-8")
            .replace("feeds: growth", "feeds: ambition", 1))
    (tmp_path / "journey.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="unknown meaning 'ambition'"):
        journey.load_journey(tmp_path)
