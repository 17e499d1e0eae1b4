"""Limits every coach channel applies before anything reaches Rasa: message length and request size."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, Sanic

from bot.limits import is_too_long, too_long_reply
from bot.settings import Settings

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


def refuse_long_messages(on_new_message: Handler, limit: int) -> Handler:
    """``on_new_message`` for messages up to ``limit`` characters; longer ones get a kind reply, never parsed
    by the NLU (the safety detector alone reads them: see :func:`bot.limits.too_long_reply`)."""

    async def guarded(message: UserMessage) -> Any:
        if is_too_long(message.text, limit):
            logger.info("%s: answered a message of %d characters (limit %d) without reading it",
                        message.input_channel, len(message.text or ""), limit)
            await message.output_channel.send_text_message(message.sender_id, too_long_reply(message.text, limit))
            return None
        return await on_new_message(message)

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
