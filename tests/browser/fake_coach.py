"""A fake coach server for browser tests of the web widget.

It mimics the Rasa web channel the widget talks to (bot/channels/web.py): the widget files under
``/webhooks/web/``, ``POST /webhooks/web/session`` and a Socket.IO endpoint at ``/socket.io`` with the
Rasa socketio event names. Replies are canned echoes so tests can drive every kind of message:

- ``hi``      -> a greeting with two quick replies
- ``long``    -> a question followed by more than a phone shows at once
- ``buttons`` -> a message with ``buttons`` (Rasa's other button format)
- ``xss``     -> bot text that would run script if it were ever parsed as HTML
- ``links``   -> text with a safe link, a ``javascript:`` link, a bare URL and a file attachment
- ``phones``  -> the coach's crisis message (phone numbers), then a message with numbers that are not phones
- ``silent``  -> no reply at all (the typing indicator must time out)
- ``delete everything`` -> what the real coach sends after "delete my data": the done message, then
  ``{"custom": {"forget_device": true}}`` (bot/channels/web.py), and the session's token stops working
- anything else -> ``You said: <text>``

Run it by hand to look at the widget: ``.venv/bin/python tests/browser/fake_coach.py`` and open the URL it prints.
"""

from __future__ import annotations

import asyncio
import html
import socket
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import socketio
from aiohttp import web

from bot.content import content_path, read_yaml

WEB_DIR = Path(__file__).resolve().parents[2] / "bot" / "web"
SOCKET_IO_CLIENT = WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
BASE_PATH = "/webhooks/web/"
SIGNED_TOKEN = "signed-test-token"  # stands in for a token a host page's backend minted
SIGNED_SESSION = "signed-user-session"

QUICK_REPLIES = [
    {"content_type": "text", "title": "Start my journal", "payload": "/start_journal"},
    {"content_type": "text", "title": "Find help", "payload": "/find_help"},
]
BUTTONS = [
    {"title": "Yes, let's go", "payload": "/affirm"},
    {"title": "Not now", "payload": "/deny"},
]
XSS_TEXT = "<img src=x onerror=alert(1)>"
DELETE_EVERYTHING = "delete everything"
DELETED = "Done. I've deleted your journal and stage notes, your plan and our conversation history."


def reply_forgets(data: dict[str, Any]) -> bool:
    return str(data.get("message", "")).strip().lower() == DELETE_EVERYTHING


@dataclass
class CoachRecord:
    """What the fake server has seen, for tests to assert on."""

    session_posts: list[dict[str, Any]] = field(default_factory=list)
    refused_connects: int = 0
    session_requests: list[Any] = field(default_factory=list)
    user_messages: list[dict[str, Any]] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Texts of the user messages received, in order."""
        return [str(item.get("message")) for item in self.user_messages]


def welcome_back() -> dict[str, Any]:
    """The words the real web channel sends with a resumed session, from the same content."""
    content = read_yaml(content_path("welcome_back.yml"))
    return {"welcome_back": {"text": content["text"], "buttons": content["buttons"]}}


def _page_response(path: Path, content_type: str) -> web.Response:
    return web.Response(body=path.read_bytes(), content_type=content_type, headers={"Cache-Control": "no-store"})


class FakeCoach:
    """An aiohttp + python-socketio server on 127.0.0.1 that behaves like the coach's web channel."""

    def __init__(self) -> None:
        self.record = CoachRecord()
        self.tokens: dict[str, str] = {SIGNED_TOKEN: SIGNED_SESSION}  # token -> session id
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        self._sid_tokens: dict[str, str] = {}
        self._register_events()

    @property
    def base_url(self) -> str:
        """The widget's base URL, as in production ``http://localhost:5005/webhooks/web/``."""
        return f"http://127.0.0.1:{self.port}{BASE_PATH}"

    @property
    def origin(self) -> str:
        """Origin of the fake server."""
        return f"http://127.0.0.1:{self.port}"

    def host_page_url(self, **attributes: str) -> str:
        """URL of a plain host page that embeds the widget with the given ``data-*`` attributes."""
        return f"{self.origin}/host?{urlencode(attributes)}"

    # ------------------------------------------------------------------ HTTP

    def _app(self) -> web.Application:
        app = web.Application()
        self._sio.attach(app, socketio_path="socket.io")
        app.router.add_get("/webhooks/web", self._redirect_to_base)
        app.router.add_get(BASE_PATH, self._index)
        app.router.add_get(BASE_PATH + "widget.js", self._widget_js)
        app.router.add_get(BASE_PATH + "widget.css", self._widget_css)
        app.router.add_get(BASE_PATH + "page.css", self._page_css)
        app.router.add_get(BASE_PATH + "socket.io.min.js", self._socket_io_js)
        app.router.add_post(BASE_PATH + "session", self._session)
        app.router.add_get("/files/plan.txt", self._plan_file)
        app.router.add_get("/host", self._host_page)
        return app

    async def _redirect_to_base(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(BASE_PATH)

    async def _index(self, request: web.Request) -> web.Response:
        return _page_response(WEB_DIR / "index.html", "text/html")

    async def _widget_js(self, request: web.Request) -> web.Response:
        return _page_response(WEB_DIR / "widget.js", "application/javascript")

    async def _widget_css(self, request: web.Request) -> web.Response:
        return _page_response(WEB_DIR / "widget.css", "text/css")

    async def _page_css(self, request: web.Request) -> web.Response:
        return _page_response(WEB_DIR / "page.css", "text/css")

    async def _socket_io_js(self, request: web.Request) -> web.Response:
        return _page_response(SOCKET_IO_CLIENT, "application/javascript")

    async def _plan_file(self, request: web.Request) -> web.Response:
        return web.Response(text="My draft plan\n", content_type="text/plain")

    async def _session(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        self.record.session_posts.append(body)
        previous = body.get("token")
        if isinstance(previous, str) and previous in self.tokens:  # resumed, with the words for a return
            return web.json_response({"session_id": self.tokens[previous], "token": previous, **welcome_back()})
        if previous is not None:
            raise web.HTTPUnauthorized(text="unknown token")
        session_id = uuid.uuid4().hex
        token = "anon-" + uuid.uuid4().hex
        self.tokens[token] = session_id
        return web.json_response({"session_id": session_id, "token": token})

    async def _host_page(self, request: web.Request) -> web.Response:
        attributes = "".join(
            f' data-{html.escape(name, quote=True)}="{html.escape(value, quote=True)}"'
            for name, value in request.query.items()
        )
        page = (
            '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Host page</title></head><body><main><h1>A host page</h1>"
            '<p>Some intranet content, with <a href="#news">a link</a>.</p></main>'
            f'<script src="{BASE_PATH}widget.js"{attributes} defer></script></body></html>'
        )
        return web.Response(text=page, content_type="text/html")

    # ------------------------------------------------------------------ Socket.IO

    def _register_events(self) -> None:
        sio = self._sio

        @sio.event
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            if not isinstance(token, str) or token not in self.tokens:
                self.record.refused_connects += 1
                return False
            self._sid_tokens[sid] = token
            return True

        @sio.event
        async def disconnect(sid: str) -> None:
            self._sid_tokens.pop(sid, None)

        @sio.event
        async def session_request(sid: str, data: Any) -> None:
            self.record.session_requests.append(data)
            requested = data.get("session_id") if isinstance(data, dict) else None
            token = self._sid_tokens.get(sid, "")
            # The token decides whose session this is; a requested id only resumes if it matches.
            session_id = self.tokens.get(token) or requested or uuid.uuid4().hex
            await sio.emit("session_confirm", session_id, to=sid)

        @sio.event
        async def user_uttered(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            self.record.user_messages.append(data)
            for reply in self._replies(str(data.get("message", ""))):
                await sio.emit("bot_uttered", reply, to=sid)
            token = self._sid_tokens.get(sid, "")
            if reply_forgets(data) and token.startswith("anon-"):  # revoked with the data, as by the real coach
                self.tokens.pop(token, None)

    def _replies(self, text: str) -> list[dict[str, Any]]:
        word = text.strip().lower()
        if word == "hi":
            return [{"text": "Hello! What would you like to do?", "quick_replies": QUICK_REPLIES}]
        if word == "buttons":
            return [{"text": "Shall we start stage one?", "buttons": BUTTONS}]
        if word == "xss":
            return [{"text": XSS_TEXT}]
        if word == "links":
            return [
                {
                    "text": (
                        f"Read [the guide]({self.origin}/files/plan.txt), not [this](javascript:alert(1)). "
                        f"More at {self.origin}/webhooks/web/."
                    )
                },
                {"attachment": {"type": "file", "payload": {"src": "/files/plan.txt", "title": "Your draft plan"}}},
                {"text": "Custom JSON still shows its text.", "custom_field": {"stage": 1}},
            ]
        if word == "phones":
            from bot.signposting import crisis_message

            return [{"text": crisis_message()}, {"text": "Band 5 since 2025, on 100 patients a day, in room 101."}]
        if word == "long":  # a question, then more than a phone shows at once
            return [{"text": "Section 2 of 6: What would help you to be at your best at work right now?"},
                    {"text": "\n".join(f"• Option {n}: a longer explanation of what this option means for you, "
                                       "with an example or two." for n in range(1, 9))},
                    {"text": "Pick one, or answer in your own words.", "buttons": BUTTONS}]
        if word == "silent":
            return []
        if word == DELETE_EVERYTHING:
            return [{"text": DELETED}, {"custom": {"forget_device": True}}]
        return [{"text": f"You said: {text}"}]

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start the server in a background thread; returns once it is listening."""
        self._thread = threading.Thread(target=self._run, name="fake-coach", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout=15):
            raise RuntimeError("fake coach server did not start")

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        self._runner = web.AppRunner(self._app(), access_log=None)
        loop.run_until_complete(self._runner.setup())
        loop.run_until_complete(web.SockSite(self._runner, listener).start())
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._runner.cleanup())
            # Socket.IO keeps background tasks (ping service, waits); end them so the loop closes quietly.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)


if __name__ == "__main__":
    coach = FakeCoach()
    coach.start()
    print(f"Fake coach at {coach.base_url}  (Ctrl+C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        coach.stop()
