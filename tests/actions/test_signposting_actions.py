"""Finding resources, called as the Rasa server calls it: after a disclosure the urgent numbers come first."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.signposting import ActionFindResources
from bot.signposting import urgent_reminder
from tests.conftest import tracker_dict


async def find(**slots: Any) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(tracker_dict(slots={"topic": "wellbeing", **slots}, intent="find_resources"))
    await ActionFindResources().run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_wellbeing_support_after_a_disclosure_starts_with_the_urgent_numbers() -> None:
    messages = await find(risk_disclosed=True)
    assert messages[0]["text"] == urgent_reminder()
    assert "Here's what might help" in messages[1]["text"]


async def test_wellbeing_support_without_a_disclosure_is_just_the_list() -> None:
    messages = await find(risk_disclosed=None)
    assert messages[0]["text"].startswith("Here's what might help")
    assert all("116 123" not in m["text"] for m in messages)
