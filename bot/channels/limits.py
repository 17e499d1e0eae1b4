"""Limits every coach channel applies before anything reaches Rasa: message length, pace and request size."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from sanic import Blueprint, Sanic

from bot.limits import Pace, is_too_long, too_fast_reply, too_long_reply, unavailable_reply
from bot.settings import Settings

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def guard_messages(on_new_message: Handler, settings: Settings) -> Handler:
    """``on_new_message`` for messages within the length limit and their sender's pace; the others get a kind
    reply and are never parsed by the NLU (the safety detector alone reads them: see :mod:`bot.limits`)."""
    limit = settings.max_message_chars
    pace = Pace(settings.messages_in_flight, settings.messages_per_minute, settings.message_burst)

    async def guarded(message: UserMessage) -> Any:
        if is_too_long(message.text, limit):
            logger.info("%s: answered a message of %d characters (limit %d) without reading it",
                        message.input_channel, len(message.text or ""), limit)
            await message.output_channel.send_text_message(message.sender_id, too_long_reply(message.text, limit))
            return None
        sender = str(message.sender_id)
        if not pace.admit(sender):
            logger.info("%s: answered a message sent too quickly after others without reading it",
                        message.input_channel)
            await message.output_channel.send_text_message(message.sender_id, too_fast_reply(message.text or ""))
            return None
        output = message.output_channel
        counted = message.output_channel = _Counted(output)
        taken_in = True
        try:
            result = await on_new_message(message)
        except LockError as error:  # the turn lock refused it, before the turn began or at its save: not stored
            logger.error("%s: could not take a message in: %s", message.input_channel, error)
            result, taken_in = None, False
        finally:
            pace.done(sender)
        if not counted.sent or not taken_in:
            # Every turn of the coach says something; silence means a server it needs failed part-way (Rasa
            # logs a failed custom action and carries on). A turn the lock refused was not kept at all. Either
            # way no reply was kept, and saved answers are keyed by the message, so the person may simply resend.
            logger.error("%s: a turn was not kept or ended without a reply; told the person to send the message "
                         "again", message.input_channel)
            await output.send_text_message(message.sender_id, unavailable_reply(message.text or ""))
        return result

    return guarded


def limit_request_size(blueprint: Blueprint, settings: Settings) -> None:
    """Make the server refuse request bodies over ``COACH_MAX_REQUEST_BYTES`` (413) before reading them.

    Sanic's default is 100 MB. Sanic reads ``REQUEST_MAX_SIZE`` for each new connection, so setting it before
    the server starts covers every route on the port, Rasa's HTTP API included.
    """

    @blueprint.listener("before_server_start")
    async def set_limit(app: Sanic, _: Any) -> None:
        app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), settings.max_request_bytes)
        app.config.WEBSOCKET_MAX_SIZE = min(int(app.config.WEBSOCKET_MAX_SIZE), settings.max_request_bytes)


class _Counted(OutputChannel):
    """A channel's output that counts the replies a turn sent through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # Rasa declares it a classmethod
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Any) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    def __getattr__(self, attribute: str) -> Any:  # e.g. CollectingOutputChannel.messages
        return getattr(self.inner, attribute)
