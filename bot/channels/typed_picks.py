"""A button picked by typing is taken in as the button, on every channel: its label ("edit it"), or at a list its
number or place ("3", "the third one").

People type a button's label or number as often as they press it. "3" on its own means nothing to the NLU, and a
label may read to it as something else entirely ("edit it" reads to the safety classifier like "end it"). A short
message is checked against the buttons of the coach's last message, in the conversation as stored
(``bot.picking``); when it picks one of them, the message goes on as that button's payload, exactly as pressing it
would send. Any other message goes on as typed.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint

from bot import picking
from bot.turn import Button

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def read_typed_picks(on_new_message: Handler, server: Dict[str, Any]) -> Handler:
    """``on_new_message`` with a typed pick of a button on screen taken in as the button's payload. ``server``
    holds the running app once it starts (:func:`remember_server`)."""

    async def read(message: UserMessage) -> Any:
        text = message.text or ""
        agent = getattr(server["app"].ctx, "agent", None) if "app" in server else None
        if agent is not None and picking.may_pick(text):
            try:  # after any turn still running for this person, so the buttons are those of the reply just sent
                async with agent.lock_store.lock(message.sender_id):
                    tracker = await agent.tracker_store.retrieve(message.sender_id)
            except Exception:  # noqa: BLE001 - a store that is down: the message goes on as typed, and the turn
                # meets the same fault where it is already answered kindly (bot.channels.limits)
                logger.warning("%s: could not look up what was on screen for a typed pick", message.input_channel,
                               exc_info=True)
                tracker = None
            button = picking.picked(text, *on_screen(tracker)) if tracker is not None else None
            if button is not None:
                logger.info("%s: a typed pick was taken in as the button %r", message.input_channel,
                            button.get("title"))
                message.text = button["payload"]
        return await on_new_message(message)

    return read


def remember_server(blueprint: Blueprint, server: Dict[str, Any]) -> None:
    """Keep the running app in ``server`` once it starts: the agent that holds the conversations."""

    @blueprint.listener("before_server_start")
    async def remember(app: Any, _: Any) -> None:
        server["app"] = app


def on_screen(tracker: DialogueStateTracker) -> Tuple[List[Button], str]:
    """The buttons of the coach's last message and its words, when it came after the person's last message. Only
    the last: a question without buttons that follows a message with some ("Well-being support", then "What would
    help you?") is answered in words, and "3" there is an answer."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            return list((event.data or {}).get("buttons") or []), event.text or ""
    return [], ""
