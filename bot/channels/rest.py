"""The REST channel, for trusted clients only: every request must carry the coach's API token.

Rasa's stock REST channel believes the ``sender`` in the body, so anyone who can reach it can speak as anyone
(``sso:<a colleague's id>``) and read, share or delete their journal. This channel answers 401 unless the
request has ``Authorization: Bearer <COACH_API_TOKEN>``; the token is proof that the client is a trusted
service (a test harness, a bench, an integration) allowed to choose the sender. People use the web widget or
Teams, whose identities come from signed tokens. The server refuses to start without a token.

A client may give each message a ``message_id`` (up to 64 characters) and send it again when it got no reply,
for example because the server it reached stopped or was too slow. A message the conversation already holds is
not taken in twice: the client gets the replies it missed instead. One whose turn failed before any reply (the
person was told to send it again) is taken in again.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import guard_messages, limit_request_size
from bot.channels.typed_picks import read_typed_picks, remember_server
from bot.settings import load_settings

logger = logging.getLogger(__name__)

BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)
MESSAGE_ID = "message_id"
MAX_MESSAGE_ID_CHARS = 64
Handler = Callable[[UserMessage], Awaitable[Any]]


def bearer_matches(authorization: Optional[str], token: str) -> bool:
    """True when the ``Authorization`` header carries exactly ``token`` (compared in constant time)."""
    match = BEARER.match(authorization or "")
    return match is not None and hmac.compare_digest(match.group(1).encode(), token.encode())


class CoachRestInput(RestInput):
    """``POST /webhooks/rest/webhook`` with ``Authorization: Bearer <COACH_API_TOKEN>``."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        """The body's ``metadata``, with the client's ``message_id`` when it gave a usable one."""
        metadata = super().get_metadata(request)
        given = request.json.get(MESSAGE_ID)
        if isinstance(given, str) and 0 < len(given) <= MAX_MESSAGE_ID_CHARS:
            return {**(metadata if isinstance(metadata, dict) else {}), MESSAGE_ID: given}
        return metadata

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        settings = load_settings()
        token = settings.require_api_token()  # refuses to start without one
        server: Dict[str, Any] = {}
        rest = super().blueprint(
            guard_messages(once_per_message(read_typed_picks(on_new_message, server), server), settings))
        limit_request_size(rest, settings)
        remember_server(rest, server)

        @rest.middleware("request")
        async def require_token(request: Request) -> Optional[HTTPResponse]:
            if not bearer_matches(request.headers.get("Authorization"), token):
                logger.info("rest: refused a request without a valid API token")
                return response.json({"error": "unauthorized"}, status=401,
                                     headers={"WWW-Authenticate": 'Bearer realm="coach"'})
            if request.method == "POST":
                body = request.json if request.body else None
                if not isinstance(body, dict) or not isinstance(body.get("sender"), str) or not body["sender"] \
                        or not isinstance(body.get("message"), str):
                    return response.json({"error": 'the body must be JSON {"sender": "...", "message": "..."}'},
                                         status=400)
            return None

        return rest


def once_per_message(on_new_message: Handler, server: Dict[str, Any]) -> Handler:
    """``on_new_message`` for a message the conversation does not hold yet, or holds without a reply (its turn
    failed). For one it holds with replies (a resend), those replies are sent again.

    The look-up takes the conversation's turn lock: a client that gave up waiting may resend while its first try
    is still running on a slow server, and the look-up must come after that try's turn."""

    async def once(message: UserMessage) -> Any:
        given = (message.metadata or {}).get(MESSAGE_ID)
        if not given or "app" not in server:
            return await on_new_message(message)
        agent = server["app"].ctx.agent
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.tracker_store.retrieve(message.sender_id)
            replies = replies_to(tracker, given) if tracker is not None else None
        if not replies:  # not held, or its turn failed before a reply (the person was told to resend)
            message.message_id = given
            return await on_new_message(message)
        logger.info("rest: a message sent again was answered from the conversation, not taken in twice")
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, reply)
        return None

    return once


def replies_to(tracker: DialogueStateTracker, message_id: str) -> Optional[List[Dict[str, Any]]]:
    """What the coach said after the last user message ``message_id``, or None when the conversation lacks it."""
    replies: Optional[List[Dict[str, Any]]] = None
    listening = False
    for event in tracker.events:
        if isinstance(event, UserUttered):
            listening = event.message_id == message_id
            if listening:
                replies = []
        elif isinstance(event, BotUttered) and listening and replies is not None:
            replies.append({"text": event.text, **{k: v for k, v in (event.data or {}).items() if v}})
    return replies
