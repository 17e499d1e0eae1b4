"""Reviewing and sharing on a phone: answers by part, a few to a page, every bubble within the budget.

Each list is walked as a person would tap through it, button by button, with a real SQLite store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import intake
from bot.answer_lists import Listing, named
from bot.documents import Published
from bot.journey_service import JourneyService, coach_journey
from bot.sharing import PLAN, SharingService
from bot.store import CoachStore
from bot.turn import BUBBLE_CHARS, Button, Turn

STAFF_PROMPTS = [p for f in coach_journey().staff_flows() for p in f.prompts if p.kind in ("text", "date")]
LONG = "I have worked nights on the acute medical unit for eleven years and I want something different now. " * 8


def published(document: object = None, **_: object) -> Published:
    """A stand-in for bot.documents.publish: an address, and a week's life."""
    return Published("https://coach.example/d/x", dt.datetime(2026, 12, 2), dt.datetime(2026, 12, 9))


def entities(button: Button) -> dict[str, str]:
    found = re.match(r"/(\w+)(\{.*\})?$", button["payload"])
    assert found, button
    return json.loads(found.group(2) or "{}")


def within_budget(turn: Turn) -> bool:
    return all(len(r.text or "") <= BUBBLE_CHARS and len(r.buttons) <= 6 for r in turn.replies)


def walk(show: object, first: Turn, pick: str) -> tuple[list[str], list[Turn]]:
    """Tap every part and every "More" from ``first``; the prompt ids the ``pick`` buttons offer, and each turn."""
    seen: list[Turn] = [first]
    picked: list[str] = []
    parts = [entities(b)["part"] for b in first.replies[-1].buttons if "part" in entities(b)] or [None]
    for part in parts:
        page = 1
        while True:
            turn = show(Listing(part, page))  # type: ignore[operator]
            seen.append(turn)
            buttons = turn.replies[-1].buttons
            picked += [entities(b)["prompt"] for b in buttons if b["title"].startswith(pick)]
            if not any(b["title"] == "More" for b in buttons):
                break
            page += 1
    return picked, seen


def answer_everything(store: CoachStore, person: str, text: str = LONG) -> None:
    for prompt in STAFF_PROMPTS:
        store.save_answer(person, prompt.flow, prompt.id, text)


def test_reviewing_a_whole_journey_shows_every_answer_once_within_the_budget(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:review")
    answer_everything(coach_store, person)
    first = service.review(person)
    assert "Only you can see it. Which part" in first.replies[0].text  # type: ignore[operator]
    picked, turns = walk(lambda listing: service.review(person, listing), first, "Answer ")
    assert sorted(picked) == sorted(p.id for p in STAFF_PROMPTS)
    assert all(within_budget(t) for t in turns)


def test_one_answer_opens_with_edit_delete_and_a_way_back_to_its_page(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:one")
    answer_everything(coach_store, person, "Band 5 staff nurse")
    journal = [p for p in STAFF_PROMPTS if p.flow == "journal"]
    fifth = journal[4]
    turn = service.review(person, prompt_id=fifth.id)
    assert "You said: “Band 5 staff nurse”" in turn.replies[0].text  # type: ignore[operator]
    titles = [b["title"] for b in turn.replies[0].buttons]
    assert titles == ["Edit it", "Delete it", "Back to the list"]
    back = entities(turn.replies[0].buttons[2])
    assert back == {"part": "journal", "page": "2"}
    again = service.review(person, Listing("journal", 2))
    assert fifth.id in [entities(b).get("prompt") for b in again.replies[0].buttons]


def test_a_long_answer_opened_from_the_review_keeps_to_the_budget(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:long-one")
    answer_everything(coach_store, person, "Supercalifragilisticexpialidocious " * 200)
    assert all(within_budget(service.review(person, prompt_id=p.id)) for p in STAFF_PROMPTS)


def test_a_skipped_answer_offers_to_answer_it(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:skipped")
    coach_store.save_answer(person, "journal", "journal.details.role", "", status="skipped")
    turn = service.review(person, prompt_id="journal.details.role")
    assert "You skipped it." in turn.replies[0].text  # type: ignore[operator]
    assert turn.replies[0].buttons[0]["title"] == "Answer it"


def test_sharing_offers_the_plan_as_one_choice_then_each_answer_part_by_part(coach_store: CoachStore) -> None:
    sharing = SharingService(coach_store, publisher=published)
    person = coach_store.person_id("web:share")
    answer_everything(coach_store, person)
    first = sharing.choose(person)
    assert first.replies[0].buttons[0]["title"] == "Share my plan"
    picked, turns = walk(lambda listing: sharing.choose(person, listing), first, "Share ")
    assert sorted(picked) == sorted(p.id for p in STAFF_PROMPTS if not p.private)  # private ones stay private
    assert all(within_budget(t) for t in turns)


def test_sharing_the_plan_shows_its_parts_then_shares_exactly_those(coach_store: CoachStore) -> None:
    documents: list[object] = []
    sharing = SharingService(coach_store, publisher=lambda document, **_: documents.append(document) or published())
    person = coach_store.person_id("web:plan")
    answer_everything(coach_store, person)
    ask = sharing.ask(person, PLAN)
    assert within_budget(ask) and "Goals: I have worked nights" in ask.replies[0].text  # type: ignore[operator]
    assert ask.state == {"pending_confirmation": "share_answer", "prompt": PLAN}
    assert sharing.choose(person, said="share my plan").replies == ask.replies  # typed, straight to the plan
    sharing.share(person, PLAN)
    shared = {prompt_id for prompt_id, answer in coach_store.answers(person).items() if answer.shared}
    assert shared == {"stage2.aspiration", "stage3.goals", "stage3.support", "stage3.review"}
    assert "journal.details.role" not in str(documents[0])


def test_sharing_the_plan_says_what_else_the_link_already_shows(coach_store: CoachStore) -> None:
    sharing = SharingService(coach_store, publisher=published)
    person = coach_store.person_id("web:again")
    answer_everything(coach_store, person)
    assert "and nothing else" in sharing.ask(person, PLAN).replies[0].text  # type: ignore[operator]
    sharing.share(person, "journal.details.role")
    assert "with the 1 answer you shared before" in sharing.ask(person, PLAN).replies[0].text  # type: ignore


def test_a_long_answer_is_not_called_exactly_what_the_manager_sees(coach_store: CoachStore) -> None:
    sharing = SharingService(coach_store)
    person = coach_store.person_id("web:long")
    coach_store.save_answer(person, "journal", "journal.details.role", LONG)
    coach_store.save_answer(person, "journal", "journal.wellbeing.now", "Tired but OK")
    long, short = sharing.ask(person, "journal.details.role"), sharing.ask(person, "journal.wellbeing.now")
    assert within_budget(long) and "whole answer, which begins" in long.replies[0].text  # type: ignore[operator]
    assert "exactly this: “Tired but OK”" in short.replies[0].text  # type: ignore[operator]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.sets(st.sampled_from([p.id for p in STAFF_PROMPTS]), min_size=1),
       text=st.text(min_size=1, max_size=400).filter(lambda t: t.strip()))
def test_any_set_of_answers_lists_within_the_budget(coach_store: CoachStore, chosen: set[str], text: str) -> None:
    person = coach_store.person_id(f"web:any-{uuid.uuid4().hex}")  # the store is shared by every example
    for prompt in STAFF_PROMPTS:
        if prompt.id in chosen:
            coach_store.save_answer(person, prompt.flow, prompt.id, text)
    service = JourneyService(coach_store)
    picked, turns = walk(lambda listing: service.review(person, listing), service.review(person), "Answer ")
    assert sorted(picked) == sorted(chosen)
    assert all(within_budget(t) for t in turns)


ALL_ASKED = [p for f in coach_journey().staff_flows() for p in f.prompts]


def named_ids(text: str) -> list[str]:
    return [p.id for p in named(ALL_ASKED, intake.naming_words(text), text)]


def test_an_answer_named_in_the_persons_words_is_the_one_found() -> None:
    assert named_ids("the review date should be september not march") == ["stage3.review"]
    assert named_ids("can i redo the bit about what drains me") == ["journal.matters.energy"]
    assert named_ids("i want to change my role")[0] == "journal.details.role"  # before those that mention a role


def test_words_that_fit_two_questions_find_both_and_a_part_named_narrows_them() -> None:
    assert sorted(named_ids("i want to change the support bit")) == ["journal.wellbeing.support", "stage3.support"]
    assert named_ids("the stage 3 support bit") == ["stage3.support"]


def test_words_that_only_talk_about_changing_name_nothing() -> None:
    assert named_ids("can i change an answer") == [] and named_ids("i want to redo that bit, i got it wrong") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_words_name_at_most_three_of_the_questions_given(text: str) -> None:
    found = named(ALL_ASKED[:12], intake.naming_words(text), text)
    assert len(found) <= 3 and all(p in ALL_ASKED[:12] for p in found)
