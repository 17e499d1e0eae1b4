"""The web chat channel: Socket.IO for the widget, with sessions bound to signed tokens.

Rasa's own socketio channel trusts whatever ``session_id`` the client sends and
(on Rasa 3.6) calls ``enter_room`` without awaiting it. This channel takes the
conversation id from a verified token only, and also serves the widget files,
the demo page, session tokens and the person's plan documents.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import json
import logging
import re
import time
from functools import cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import audit, personal_documents
from bot.channels import headers, tokens
from bot.channels.limits import guard_messages, limit_request_size
from bot.channels.typed_picks import read_typed_picks, remember_server
from bot.content import content_path, read_yaml
from bot.documents import render_gone_html
from bot.settings import Settings, load_settings
from bot.store import CoachStore, open_store
from bot.store.models import utc_now

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_FILES = {
    "widget.js": (WEB_DIR / "widget.js", "application/javascript"),
    "widget.css": (WEB_DIR / "widget.css", "text/css"),
    "page.css": (WEB_DIR / "page.css", "text/css"),
    "socket.io.min.js": (WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
                         "application/javascript"),
}
DOCUMENT_NAME = re.compile(r"^[A-Za-z0-9_-]{20,}\.(pdf|html|json)$")
DOCUMENT_TYPES = {"pdf": "application/pdf", "html": "text/html", "json": "application/json"}


def origin_allowed(origin: Optional[str], environ: Dict[str, Any], settings: Settings) -> bool:
    """Whether a browser page at ``origin`` may open the chat's Socket.IO connection: the coach's own pages
    (the address the request came to, or ``COACH_PUBLIC_URL``) and ``COACH_ALLOWED_ORIGINS``, nothing else,
    so another site cannot drive a visitor's chat from their browser."""
    if not origin:
        return True  # not a browser page: such a client still needs a token to connect
    parsed = urlsplit(origin.lower())
    hosts = {environ.get("HTTP_HOST", ""), environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[0].strip()}
    return (parsed.netloc in hosts - {""} or origin.lower() == _origin_of(settings.public_url)
            or origin.lower() in settings.allowed_origins)


def _origin_of(url: str) -> str:
    parsed = urlsplit(url.lower())
    return f"{parsed.scheme}://{parsed.netloc}"


class ChannelStore:
    """The coach's store as the web channel reads it: opened on first use, without migrating (the action server
    owns the schema), and one for all the channel's readers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Optional[CoachStore] = None

    def get(self) -> CoachStore:
        if self._store is None:
            self._store = open_store(self.settings.database_url, migrate=False)
        return self._store


class Revocations:
    """Whether a person deleted their data after a token was issued: such a token no longer opens the chat."""

    def __init__(self, store: ChannelStore) -> None:
        self.store = store
        self._schema_ready = False

    def _erased_after_issue(self, claims: Dict[str, Any]) -> bool:
        store = self.store.get()
        if not self._schema_ready:
            self._schema_ready = store.records_erasures()
            if not self._schema_ready:
                return False  # no schema yet, so nobody can have deleted their data
        erased = store.erased_at(tokens.sender_id(claims))
        return erased is not None and float(claims["iat"]) <= erased

    async def revoked(self, claims: Dict[str, Any]) -> bool:
        """True when the token was issued before the person's last "delete my data" (or that cannot be checked)."""
        try:
            return await asyncio.to_thread(self._erased_after_issue, claims)
        except Exception:  # fail closed: the widget then asks for a fresh token
            logger.exception("web chat: could not check whether a token was revoked")
            return True


class Documents:
    """Which documents the channel serves, and their plain content: a same-for-everyone page, or a personal
    document while its record exists and is in date and its sealed file opens (see
    :func:`bot.personal_documents.find`)."""

    def __init__(self, store: ChannelStore, clock: Callable[[], dt.datetime]) -> None:
        self.store, self.clock = store, clock
        self._schema_ready = False

    def _find(self, name: str) -> personal_documents.Finding:
        store = self.store.get()
        if not self._schema_ready:  # `coach migrate` runs before the servers start; until then, no audit log
            self._schema_ready = store.records_documents() and store.records_audit()
        # With no schema yet, no personal document has been recorded: only same-for-everyone pages are served.
        now = self.clock()
        found = personal_documents.find(store if self._schema_ready else None, name, now)
        if found.outcome == personal_documents.SERVE and found.record is not None:
            audit.share_viewed(store, found.record, now)  # not served if it cannot be recorded
        return found

    async def find(self, name: str) -> personal_documents.Finding:
        """What a request for ``name`` finds; when that cannot be checked, nothing is served."""
        if not DOCUMENT_NAME.match(name):
            return personal_documents.Finding(personal_documents.GONE)
        try:
            return await asyncio.to_thread(self._find, name)
        except Exception:
            logger.exception("web chat: could not check a document's record")
            return personal_documents.Finding(personal_documents.GONE)


def greeting(request: Request) -> Dict[str, Any]:
    """The coach's own greeting (the domain's first ``utter_greet``), for the widget to show a new visitor before
    they type. Nothing reaches the coach until they do, so a page view starts no conversation."""
    domain = getattr(getattr(request.app.ctx, "agent", None), "domain", None)
    variants = domain.responses.get("utter_greet") if domain is not None else None
    if not variants:
        return {}
    return {"greeting": {"text": variants[0].get("text", ""), "buttons": variants[0].get("buttons", [])}}


@cache
def welcome_back() -> Dict[str, Any]:
    """What the widget shows someone who returns after a while (bot/content/welcome_back.yml)."""
    content = read_yaml(content_path("welcome_back.yml"))
    return {"welcome_back": {"text": content["text"], "buttons": content["buttons"]}}


class WebChatOutput(SocketIOOutput):
    """Rasa's Socket.IO output, but a custom payload reaches the widget as ``{"custom": {...}}`` on
    ``bot_uttered`` (Rasa 3.6 passes its keys to ``emit`` as arguments), e.g. ``{"forget_device": true}`` after
    "delete my data"."""

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(InputChannel):
    """Socket.IO channel for the coach's web widget (``/webhooks/web/``)."""

    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(socketio_path=credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: str = "/socket.io", clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.socketio_path = socketio_path
        self.clock = clock  # naive UTC; a test moves it to see documents expire
        self.sio: Optional[AsyncServer] = None
        self.sessions: Dict[str, str] = {}  # socket id -> the conversation its token allows
        self.expiry: Dict[str, float] = {}  # socket id -> when its token stops being accepted

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = load_settings()
        secret = settings.require_token_secret()  # refuses to start without one
        lifetime = settings.web_token_max_seconds  # no token is accepted for longer than this after it was issued
        store = ChannelStore(settings)
        revocations = Revocations(store)  # nor one issued before its person deleted their data
        documents = Documents(store, self.clock)
        server: Dict[str, Any] = {}
        on_new_message = guard_messages(read_typed_picks(on_new_message, server), settings)
        sio = AsyncServer(async_mode="sanic", max_http_buffer_size=settings.max_request_bytes,
                          cors_allowed_origins=lambda origin, environ: origin_allowed(origin, environ, settings))
        self.sio = sio
        web = SocketBlueprint(sio, self.socketio_path, "coach_web", __name__)
        limit_request_size(web, settings)
        remember_server(web, server)
        page_headers = headers.page_headers(settings)  # CSP, nosniff, no referrer (see bot/channels/headers.py)
        personal_headers = headers.personal_headers(settings)  # the same, for documents, and never cached

        @web.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # the page loads widget.js by a relative path
                return headers.apply(response.redirect(request.path + "/"), page_headers)
            return headers.apply(await response.file(WEB_DIR / "index.html", mime_type="text/html"), page_headers)

        @web.route("/<name:str>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name in ("", "index.html"):  # Sanic routes ".../web/" here rather than to page()
                return headers.apply(await response.file(WEB_DIR / "index.html", mime_type="text/html"),
                                     page_headers)
            if name not in STATIC_FILES or not STATIC_FILES[name][0].exists():
                return headers.apply(response.json({"error": "not found"}, status=404), page_headers)
            path, mime = STATIC_FILES[name]
            return headers.apply(await response.file(path, mime_type=mime), page_headers)

        @web.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            return headers.apply(await new_or_resumed_session(request), personal_headers)

        async def new_or_resumed_session(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            if body.get("token"):  # resuming: the token must be genuine and in date
                claims = tokens.verify(body["token"], secret, max_lifetime=lifetime)
                if claims is None or await revocations.revoked(claims):
                    return response.json({"error": "invalid or expired token"}, status=401)
                return response.json({"session_id": tokens.sender_id(claims), "token": body["token"],
                                      **welcome_back()})
            token = tokens.mint(secret, lifetime=lifetime)
            claims = tokens.verify(token, secret, max_lifetime=lifetime) or {}
            return response.json({"session_id": tokens.sender_id(claims), "token": token,
                                  **greeting(request)})

        @web.route("/documents/<name:str>", methods=["GET"])
        async def document(_: Request, name: str) -> HTTPResponse:
            found = await documents.find(name)  # opened (a personal document's file is sealed) in a thread
            if found.outcome != personal_documents.SERVE or found.content is None:
                # Expired (410, just removed), or withdrawn, erased, never published or its file unreadable (404):
                # a page that says so.
                status = 410 if found.outcome == personal_documents.EXPIRED else 404
                return headers.apply(response.html(render_gone_html(settings), status=status), personal_headers)
            mime = DOCUMENT_TYPES[name.rsplit(".", 1)[1]]
            return headers.apply(response.raw(found.content, content_type=mime), personal_headers)

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            claims = tokens.verify((auth or {}).get("token"), secret, max_lifetime=lifetime)
            if claims is None or await revocations.revoked(claims):
                logger.info("web chat connection refused: missing, invalid or revoked token")
                return False
            self.sessions[sid] = tokens.sender_id(claims)
            self.expiry[sid] = tokens.expires_at(claims, lifetime)
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            self.sessions.pop(sid, None)
            self.expiry.pop(sid, None)

        def current_sender(sid: str) -> Optional[str]:
            """The conversation of a connection whose token is still in date, else None."""
            if time.time() >= self.expiry.get(sid, 0.0):
                self.sessions.pop(sid, None)
                return None
            return self.sessions.get(sid)

        @sio.on("session_request")
        async def session_request(sid: str, data: Optional[Dict] = None) -> None:
            sender = current_sender(sid)
            if sender is None:
                await sio.disconnect(sid)  # the widget then starts afresh with a new token
                return
            joined = sio.enter_room(sid, sender)
            if inspect.isawaitable(joined):
                await joined
            await sio.emit("session_confirm", sender, room=sid)

        @sio.on("user_uttered")
        async def handle_message(sid: str, data: Dict) -> None:
            sender = current_sender(sid)
            if sender is None:
                await sio.disconnect(sid)  # the token has passed its lifetime since the connection was made
                return
            if not isinstance(data, dict):
                return
            text = str(data.get("message", ""))  # an over-long one gets a kind reply, unparsed (see blueprint)
            metadata = data.get("customData") or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await on_new_message(UserMessage(text, WebChatOutput(sio, "bot_uttered"), sender,
                                             input_channel=self.name(), metadata=metadata))

        return web
