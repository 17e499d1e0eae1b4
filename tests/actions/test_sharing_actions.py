"""Stop sharing, and deleting a shared answer, called as the Rasa server calls the actions, over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.plan import ActionStopSharing
from actions.privacy import ActionDeleteAnswer
from bot.sharing import SharingService
from bot.store import CoachStore
from tests.conftest import tracker_dict

SENDER = "web:sharing-test"
ROLE = "journal.details.role"


@pytest.fixture
def shared(action_store: CoachStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", ROLE, "Band 5 staff nurse")
    SharingService(action_store).share(person, ROLE)
    return person


async def test_stop_sharing_confirms_in_plain_words_what_was_done(action_store: CoachStore, shared: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionStopSharing().run(dispatcher, Tracker.from_dict(tracker_dict(SENDER, intent="stop_sharing",
                                                                                      text="stop sharing")), {})
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == ("Done. I've made the 1 answer you'd shared private again, and withdrawn your share "
                               "link: it no longer works, so your manager can't see anything through it. You can "
                               "share again any time by saying \"share with my manager\".")
    assert action_store.shared_answers(shared) == {} and action_store.documents(shared) == []


async def test_deleting_a_shared_answer_says_its_link_is_withdrawn(action_store: CoachStore, shared: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(tracker_dict(SENDER, intent="affirm", slots={
        "prompt": ROLE, "pending_confirmation": "delete_answer"}))
    events = await ActionDeleteAnswer().run(dispatcher, tracker, {})
    assert [m["text"] for m in dispatcher.messages] == [
        "Deleted.", "You'd shared that answer with your manager, so I've withdrawn any link that showed it."]
    assert {e["name"]: e["value"] for e in events} == {"pending_confirmation": None, "prompt": None}
    assert action_store.answers(shared) == {} and action_store.documents(shared) == []
