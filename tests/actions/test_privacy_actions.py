"""The privacy actions, called as the Rasa server calls them, over a real SQLite store."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import ActionAskDeleteData, ActionDeleteData
from bot.store import CoachStore
from tests.conftest import tracker_dict

SENDER = "web:privacy-test"


def tracker(channel: str) -> Tracker:
    said = tracker_dict(SENDER, text="/affirm", intent="affirm", slots={"pending_confirmation": "delete_data"})
    said["events"] = [{"event": "user", "text": "/affirm", "input_channel": channel}]
    return Tracker.from_dict(said)


async def run(action: Any, channel: str) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(channel), {})
    return dispatcher.messages, events


@pytest.mark.parametrize(("channel", "forgets"), [("web", True), ("rest", False), ("teams", False)])
async def test_after_deletion_only_the_web_widget_is_told_to_forget_its_copy(
        action_store: CoachStore, channel: str, forgets: bool) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "words to forget")
    messages, events = await run(ActionDeleteData(), channel)
    assert messages[0]["text"].startswith("Done. I've deleted your journal")
    assert [m["custom"] for m in messages if m.get("custom")] == ([{"forget_device": True}] if forgets else [])
    assert events[-1]["event"] == "restart"
    assert action_store.answers(person) == {}


async def test_the_question_says_what_goes_and_what_stays_before_anything_is_deleted(
        action_store: CoachStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_KEEP_CONFIRMED_OUTCOMES", "true")
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "still here")
    messages, events = await run(ActionAskDeleteData(), "web")
    assert "our conversation history" in messages[-1]["text"] and "Are you sure?" in messages[-1]["text"]
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/affirm", "/deny"]
    assert {"event": "slot", "name": "pending_confirmation", "value": "delete_data"}.items() <= events[0].items()
    assert action_store.answers(person)["journal.details.role"].text == "still here"


async def test_asked_again_after_a_yes_that_did_not_reply_to_it_the_question_says_so_first(
        action_store: CoachStore) -> None:
    messages, _ = await run(ActionAskDeleteData(), "rest")  # the tracker's latest message is a yes
    assert messages[0]["text"] == "Just to check before I delete anything:"
    assert "Are you sure?" in messages[1]["text"]
    dispatcher = CollectingDispatcher()
    asked = Tracker.from_dict(tracker_dict(SENDER, text="delete my data", intent="delete_data"))
    await ActionAskDeleteData().run(dispatcher, asked, {})
    assert "Are you sure?" in dispatcher.messages[0]["text"]  # asked the first time: no "just to check"


async def test_who_has_seen_my_answers_reads_the_audit_log(action_store: CoachStore) -> None:
    from actions.privacy import ActionWhoHasSeen

    action_store.person_id(SENDER)
    messages, events = await run(ActionWhoHasSeen(), "web")
    assert messages[0]["text"].startswith("No one has seen your answers through me")
    assert events == []
