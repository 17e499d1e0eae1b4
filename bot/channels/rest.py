"""The REST channel, for trusted clients only: every request must carry the coach's API token.

Rasa's stock REST channel believes the ``sender`` in the body, so anyone who can reach it can speak as anyone
(``sso:<a colleague's id>``) and read, share or delete their journal. This channel answers 401 unless the
request has ``Authorization: Bearer <COACH_API_TOKEN>``; the token is proof that the client is a trusted
service (a test harness, a bench, an integration) allowed to choose the sender. People use the web widget or
Teams, whose identities come from signed tokens. The server refuses to start without a token.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import guard_messages, limit_request_size
from bot.settings import load_settings

logger = logging.getLogger(__name__)

BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)


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

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = load_settings()
        token = settings.require_api_token()  # refuses to start without one
        rest = super().blueprint(guard_messages(on_new_message, settings))
        limit_request_size(rest, settings)

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
