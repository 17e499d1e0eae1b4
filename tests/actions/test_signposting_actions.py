"""Finding resources, called as the Rasa server calls it: after a disclosure the urgent numbers come first."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.signposting import ActionFindResources
from bot.signposting import urgent_reminder
from tests.conftest import tracker_dict


async def find(asked: Optional[str] = "wellbeing", **slots: Any) -> List[Dict[str, Any]]:
    """The request as the button sends it (/find_resources{"topic": asked}), with these slots."""
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "topic", "value": asked}] if asked else []
    tracker = Tracker.from_dict(tracker_dict(slots=slots, intent="find_resources", entities=entities))
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


async def test_a_topic_named_in_an_earlier_answer_does_not_steer_a_request_that_names_none() -> None:
    """The slot fills from any message's topic ("band 5 staff nurse" at the role question): only this request's
    own topic counts, so a bare request gets the topics to choose from."""
    messages = await find(asked=None, topic="nurse")
    assert "couldn't find resources" not in messages[0]["text"] and "topic" in messages[0]["text"].lower()
