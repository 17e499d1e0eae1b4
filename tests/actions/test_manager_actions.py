"""Manager mode actions over a real store: preparation, rehearsal and recording an outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.journey import ActionAskAnswer, ActionFlowComplete, ValidateCoachForm
from actions.manager import (
    ActionAskConfirmOutcome,
    ActionConfirmOutcome,
    ActionShowChecklist,
    ActionStartOutcome,
    ValidateRehearsalForm,
)
from bot.manager import BIAS_QUESTION, bias_check, calibration_text, conversation_checklist, preparation_flow
from bot.store import CoachStore
from bot.turn import BUBBLE_CHARS
from tests.conftest import tracker_dict

MANAGER = "web:manager"
STAFF = "web:staff"


def tracker(sender: str, text: str = "", *, intent: str = "inform", slots: Optional[Dict[str, Any]] = None,
            choice: Optional[str] = None, loop: Optional[str] = None, page: Optional[str] = None) -> Tracker:
    entities = [{"entity": "choice", "value": choice}] if choice else []
    entities += [{"entity": "page", "value": page}] if page else []
    return Tracker.from_dict(tracker_dict(sender, slots=slots or {}, text=text, intent="choose" if choice else intent,
                                          entities=entities, active_loop=loop))


async def rehearse(text: str, slots: Dict[str, Any], choice: Optional[str] = None) -> tuple[Dict[str, Any], List[str]]:
    dispatcher = CollectingDispatcher()
    result = await ValidateRehearsalForm().validate_question(
        text, dispatcher, tracker(MANAGER, text, slots=slots, choice=choice, loop="rehearsal_form"), {})
    return result, [m["text"] for m in dispatcher.messages]


async def run(action: Any, tracker: Tracker) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    return dispatcher.messages


def flat(text: str) -> str:
    return " ".join(text.split())


async def test_the_bias_check_shows_every_trigger_with_its_question_and_why_each_whole_within_the_budget(
        action_store: CoachStore) -> None:
    shown = await run(ActionAskAnswer(), tracker(MANAGER, slots={"flow": "manager_prep"}, loop="coach_form"))
    bubbles = [flat(m["text"] or "") for m in shown]
    assert all(len(m["text"] or "") <= BUBBLE_CHARS and len(m["buttons"]) <= 6 for m in shown)
    for trigger in bias_check():
        # The trigger, its question and its why together in one bubble: read as one, never split.
        assert any(flat(trigger.trigger) in b and flat(trigger.question) in b and flat(trigger.why) in b
                   for b in bubbles), trigger.id
    assert bubbles[-1].endswith(BIAS_QUESTION)


async def test_the_bias_check_asked_again_names_the_triggers_in_short(action_store: CoachStore) -> None:
    slots = {"flow": "manager_prep", "prompt_id": "manager_prep.bias_check"}
    shown = await run(ActionAskAnswer(), tracker(MANAGER, slots=slots, loop="coach_form"))
    assert len(shown) == 1 and "Why it matters" not in shown[0]["text"] and "hurrying" in shown[0]["text"]


async def test_finishing_the_preparation_gives_the_calibration_tip_then_the_manager_menu(
        action_store: CoachStore) -> None:
    manager = action_store.person_id(MANAGER)
    for prompt in preparation_flow().prompts:
        action_store.save_answer(manager, "manager_prep", prompt.id, "A note")
    shown = await run(ActionFlowComplete(), tracker(MANAGER, slots={"flow": "manager_prep"}))
    assert shown[-2]["text"] == calibration_text() and shown[-1]["response"] == "utter_manager_menu"


def test_preparation_starts_with_a_bias_check_then_each_preparation_item() -> None:
    flow = preparation_flow()
    texts = [p.text for p in flow.prompts]
    assert "bias check" in texts[0] and "hurrying" in texts[0].lower() and "tired" in texts[0].lower()
    for topic in ["framework", "evidence", "reasonable adjustments", "WRES", "bias", "psychological safety"]:
        assert any(topic.lower() in t.lower() for t in texts[1:]), topic


async def test_a_rehearsal_question_gets_an_in_character_reply_and_specific_feedback(action_store: CoachStore) -> None:
    slots = {"persona": "hca_nursing", "rehearsal_stage": "1", "rehearsal_log": []}
    result, said = await rehearse("Do you enjoy your job?", slots)
    assert said[0].startswith("Amira:")
    assert "closed" in said[1].lower() and "Try:" in said[1]
    assert result["rehearsal_log"] == [{"question": "Do you enjoy your job?", "stage": 1}]


async def test_choosing_a_persona_by_button(action_store: CoachStore) -> None:
    result, said = await rehearse('/choose{"choice": "not_now_wellbeing"}', {"persona": None},
                                  choice="not_now_wellbeing")
    assert result["persona"] == "not_now_wellbeing" and "Sam" in said[0]


async def test_finishing_a_rehearsal_summarises_saves_and_compares(action_store: CoachStore) -> None:
    log = [{"question": "What matters most to you at work?", "stage": 1},
           {"question": "Don't you think you should apply for band 4?", "stage": 2}]
    slots = {"persona": "hca_nursing", "rehearsal_stage": "2", "rehearsal_log": log}
    result, said = await rehearse("finish", slots, choice="finish")
    assert result == {"question": "done"}
    review = "\n".join(said)  # in as many bubbles as keep to the budget
    assert "50% open" in review and "Try next time" in review
    better = log + [{"question": "How would you like to develop next year?", "stage": 3}]
    _, said_again = await rehearse("finish", {**slots, "rehearsal_log": better}, choice="finish")
    assert "rose from 50% to 67%" in "\n".join(said_again)


async def record_an_outcome(action_store: CoachStore) -> List[Dict[str, Any]]:
    """A manager answers every question of the outcome flow and says "Record it"; what the coach says then."""
    manager = action_store.person_id(MANAGER)
    await ActionStartOutcome().run(CollectingDispatcher(), tracker(MANAGER), {})
    for prompt_id, value, text in [("outcome.growth", "depth", "Depth"), ("outcome.impact", "strong", "Strong"),
                                   ("outcome.readiness", "ready_now", "Ready now")]:
        action_store.save_answer(manager, "outcome", prompt_id, text, value=value)
    action_store.save_answer(manager, "outcome", "outcome.details", "band 7 diabetes specialist nurse")
    action_store.save_answer(manager, "outcome", "outcome.interventions", "Mentoring", value=["mentoring"])
    action_store.save_answer(manager, "outcome", "outcome.next_steps", "Find a mentor by January")
    action_store.save_answer(manager, "outcome", "outcome.review", "in six months", value="2027-05-23")
    dispatcher = CollectingDispatcher()
    await ValidateCoachForm().validate_answer(
        "save", dispatcher, tracker(MANAGER, "save", choice="save", loop="coach_form",
                                    slots={"flow": "outcome", "prompt_id": "outcome.summary"}), {})
    return dispatcher.messages


async def test_recording_an_outcome_prompts_the_manager_to_record_it_in_esr_then_to_calibrate(
        action_store: CoachStore) -> None:
    said = [m["text"] or "" for m in await record_an_outcome(action_store)]
    assert "code is" in said[0]
    assert "ESR" in said[1] and "local system" in said[1] and "I don't write to ESR" in said[1]
    assert said[2] == calibration_text()
    assert all(len(text) <= BUBBLE_CHARS for text in said)


async def test_an_outcome_is_recorded_then_confirmed_by_the_person(action_store: CoachStore) -> None:
    recorded = await record_an_outcome(action_store)
    code = recorded[0]["text"].split("code is ")[1][:7]
    pending = action_store.outcomes()[0]
    assert pending.person_id is None and not pending.confirmed_by_person and pending.band == "7"

    staff_dispatcher = CollectingDispatcher()
    events = await ActionAskConfirmOutcome().run(
        staff_dispatcher, tracker(STAFF, f"confirm outcome {code.lower()}"), {})
    shown = staff_dispatcher.messages[0]["text"]
    assert "Find a mentor by January" in shown and "23 May 2027" in shown
    await ActionConfirmOutcome().run(CollectingDispatcher(), tracker(STAFF, slots={"outcome_code": events[0]["value"]}),
                                     {})
    final = action_store.outcomes()[0]
    assert final.confirmed_by_person and final.person_id == action_store.person_id(STAFF)


async def test_a_yes_to_something_said_since_shows_the_outcome_again_by_its_code(action_store: CoachStore) -> None:
    recorded = await record_an_outcome(action_store)
    code = recorded[0]["text"].split("code is ")[1][:7]
    dispatcher = CollectingDispatcher()
    events = await ActionAskConfirmOutcome().run(
        dispatcher, tracker(STAFF, "ok", intent="affirm", slots={"outcome_code": code}), {})
    assert dispatcher.messages[0]["text"] == "Just to check before I confirm it:"
    assert "Find a mentor by January" in dispatcher.messages[1]["text"]
    assert {"event": "slot", "name": "pending_confirmation", "value": "confirm_outcome"}.items() <= events[-1].items()
    assert not action_store.outcomes()[0].confirmed_by_person


async def test_a_wrong_code_finds_nothing(action_store: CoachStore) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskConfirmOutcome().run(dispatcher, tracker(STAFF, "confirm outcome ZZZ-999"), {})
    assert "couldn't find" in dispatcher.messages[0]["text"]


async def test_after_a_few_wrong_codes_the_person_is_told_to_wait_not_guess_on(action_store: CoachStore) -> None:
    said = []
    for guess in ["ZZZ-999", "ZZZ-998", "ZZZ-997", "ZZZ-996", "ZZZ-995", "ZZZ-994"]:
        dispatcher = CollectingDispatcher()
        await ActionAskConfirmOutcome().run(dispatcher, tracker(STAFF, f"confirm outcome {guess}"), {})
        said.append(dispatcher.messages[0]["text"])
    assert all("couldn't find" in text and "14 days" in text for text in said[:5])
    assert "try again in an hour" in said[5]


async def test_the_stage_prompt_is_shown_once_per_stage_not_after_every_question(action_store: CoachStore) -> None:
    from actions.manager import ActionAskQuestion

    async def asked(log: List[Dict[str, Any]], stage: str) -> List[Dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        slots = {"persona": "hca_nursing", "rehearsal_stage": stage, "rehearsal_log": log}
        await ActionAskQuestion().run(dispatcher, tracker(MANAGER, slots=slots, loop="rehearsal_form"), {})
        return dispatcher.messages

    one_question = [{"question": "What matters to you?", "stage": 1}]
    assert "Stage 1 of 3" in (await asked([], "1"))[0]["text"]
    assert await asked(one_question, "1") == []
    assert "Stage 2 of 3" in (await asked(one_question, "2"))[0]["text"]


@pytest.fixture
def documents(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Where published pages go, for the length of one test."""
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example")
    return tmp_path / "documents"


async def press(button: Dict[str, str]) -> List[Dict[str, Any]]:
    """Press a checklist button: its payload is the intent and the item, as Rasa parses it."""
    intent, _, entities = button["payload"][1:].partition("{")
    assert intent == "show_checklist", button
    page = json.loads("{" + entities).get("page") if entities else None
    return await run(ActionShowChecklist(), tracker(MANAGER, button["payload"], intent=intent, page=page))


def titled(messages: List[Dict[str, Any]], title: str) -> Dict[str, str]:
    return next(b for b in messages[-1]["buttons"] if b["title"] == title)


async def test_the_checklist_steps_through_all_nine_items_with_next_each_with_its_prompt(
        action_store: CoachStore, documents: Path) -> None:
    shown = await run(ActionShowChecklist(), tracker(MANAGER, "show the checklist", intent="show_checklist"))
    assert "https://coach.example/webhooks/web/documents/" in shown[0]["text"]
    seen = []
    for number, item in enumerate(conversation_checklist(), start=1):
        text = shown[-1]["text"]
        assert text.startswith(f"Checklist {number} of 9: {item.title}") and flat(item.prompt) in flat(text)
        assert all(len(m["text"] or "") <= BUBBLE_CHARS and len(m["buttons"]) <= 6 for m in shown)
        seen.append(item.id)
        if number < 9:
            shown = await press(titled(shown, "Next"))
    assert len(seen) == 9
    assert [b["title"] for b in shown[-1]["buttons"]] == ["Back", "Done"]  # no Next after the last item


async def test_back_returns_to_the_item_before_and_done_closes_with_the_way_to_record_the_outcome(
        action_store: CoachStore, documents: Path) -> None:
    items = conversation_checklist()
    third = await run(ActionShowChecklist(), tracker(MANAGER, intent="show_checklist", page="3"))
    assert third[-1]["text"].startswith(f"Checklist 3 of 9: {items[2].title}")
    second = await press(titled(third, "Back"))
    assert second[-1]["text"].startswith(f"Checklist 2 of 9: {items[1].title}")
    first = await press(titled(second, "Back"))
    assert [b["title"] for b in first[-1]["buttons"]] == ["Next", "Done"]  # no Back before the first item
    done = await press(titled(second, "Done"))
    assert len(done) == 1 and "checklist closed" in done[0]["text"]
    assert "/record_outcome" in [b["payload"] for b in done[0]["buttons"]]
    assert "https://coach.example/webhooks/web/documents/" in done[0]["text"]


async def test_an_unknown_item_starts_the_checklist_from_the_top(action_store: CoachStore, documents: Path) -> None:
    shown = await run(ActionShowChecklist(), tracker(MANAGER, intent="show_checklist", page="12"))
    assert shown[-1]["text"].startswith("Checklist 1 of 9:")


@pytest.mark.parametrize(("typed", "intent", "expected"), [("next", "skip", "Checklist 4 of 9:"),
                                                            ("back", "where_was_i", "Checklist 2 of 9:")])
async def test_next_or_back_typed_in_the_meeting_moves_from_the_item_on_screen(
        action_store: CoachStore, documents: Path, typed: str, intent: str, expected: str) -> None:
    third = await run(ActionShowChecklist(), tracker(MANAGER, intent="show_checklist", page="3"))
    state = tracker_dict(MANAGER, text=typed, intent=intent)
    state["events"] = [{"event": "bot", "text": third[-1]["text"], "data": {"buttons": third[-1]["buttons"]}},
                       {"event": "user", "text": typed}]
    moved = await run(ActionShowChecklist(), Tracker.from_dict(state))
    assert moved[-1]["text"].startswith(expected)


def test_next_past_the_last_item_is_done_and_back_before_the_first_stays() -> None:
    from bot.checklist import DONE, typed_move

    assert typed_move("next", "skip", [{"title": "Back", "payload": '/show_checklist{"page": "8"}'}]) == DONE
    assert typed_move("back", "where_was_i", [{"title": "Next", "payload": '/show_checklist{"page": "2"}'}]) == "1"
    assert typed_move("fine", "inform", [{"title": "Next", "payload": '/show_checklist{"page": "2"}'}]) is None


ON_ITEM_3 = [{"title": "Back", "payload": '/show_checklist{"page": "2"}'},
             {"title": "Next", "payload": '/show_checklist{"page": "4"}'}]


@pytest.mark.parametrize(("typed", "intent", "page"), [
    ("back", "skip", "2"), ("previous one", "inform", "2"), ("go back please", "where_was_i", "2"),
    ("next", "where_was_i", "4"), ("next one please", "inform", "4"), ("continue", "affirm", "4"),
    ("stop for now", "skip", "done"), ("later", "skip", "done")])
def test_a_typed_move_in_the_checklist_is_read_from_the_words_whatever_the_nlu_guessed(
        typed: str, intent: str, page: str) -> None:
    from bot.checklist import typed_move

    assert typed_move(typed, intent, ON_ITEM_3) == page


def test_words_that_are_not_a_move_keep_the_nlus_reading_in_the_checklist() -> None:
    from bot.checklist import typed_move

    assert typed_move("the one about wellbeing", "skip", ON_ITEM_3) == "4"
