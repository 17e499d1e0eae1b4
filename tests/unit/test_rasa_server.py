"""The Rasa server's check of the action server's replies (bot/channels/server.py): as strict as Rasa's, and the
reply schema's own check is made once, not on every reply."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from bot.channels.server import check_replies_against_a_checked_schema

GOOD: List[Dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "flow", "value": "journal", "timestamp": None}],
     "responses": [{"text": "How are you, really?", "buttons": [{"title": "Skip", "payload": "/skip"}]}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "journal_form"}],
     "responses": [{"response": "utter_faq/what_is_stretch"}]},
]
BAD: List[Dict[str, Any]] = [
    {"events": [{"name": "flow", "value": "journal"}], "responses": []},  # an event that says not what it is
    {"events": [{"event": "slot", "name": "flow"}], "responses": "not a list"},
    {"events": "not a list"},
]


RasasCheck = Callable[[RemoteAction, Dict[str, Any]], bool]


@pytest.fixture
def rasas_check(monkeypatch: pytest.MonkeyPatch) -> RasasCheck:
    """Rasa's own check, put back after the test."""
    check: RasasCheck = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", check)
    return check


@pytest.fixture
def checked(rasas_check: RasasCheck) -> RemoteAction:
    """A remote action whose replies are checked the coach's way."""
    check_replies_against_a_checked_schema()
    return RemoteAction("action_journey", None)


@pytest.mark.parametrize("reply", GOOD)
def test_a_reply_rasa_accepts_is_accepted(rasas_check: RasasCheck, checked: RemoteAction,
                                          reply: Dict[str, Any]) -> None:
    assert rasas_check(checked, reply) is True
    assert checked._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", BAD)
def test_a_reply_rasa_rejects_is_rejected_with_rasas_own_error(rasas_check: RasasCheck, checked: RemoteAction,
                                                               reply: Dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        rasas_check(checked, reply)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        checked._validate_action_result(reply)


def test_the_reply_schema_itself_is_checked_once_not_on_every_reply(rasas_check: RasasCheck,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    kind = validator_for(RemoteAction.action_response_format_spec())
    checks: List[object] = []
    original = kind.check_schema
    monkeypatch.setattr(kind, "check_schema", classmethod(lambda cls, schema, **kw: checks.append(schema)
                                                           or original(schema, **kw)))
    check_replies_against_a_checked_schema()
    check_replies_against_a_checked_schema()  # a second start in the same process changes nothing
    action = RemoteAction("action_journey", None)
    for reply in GOOD * 10:
        action._validate_action_result(reply)
    assert len(checks) == 1
