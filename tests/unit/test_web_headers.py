"""Security headers on the web channel's page, widget files, session and documents, behind a real Sanic server."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import AsyncIterator, Dict

import aiohttp
import pytest

from bot.channels.headers import document_policy, page_policy
from bot.channels.web import WebChatInput, origin_allowed
from bot.documents import EXPORT, HTML_STYLE, PLAN, render_html
from bot.settings import BadSetting, load_settings
from bot.store import document_files, open_store
from bot.store.repository import DocumentRecord
from tests.channel_server import serve_channel
from tests.unit.test_documents import document

SECRET = "a-web-test-token-secret-of-at-least-32-bytes"
DOCUMENT = "A" * 24 + ".html"
EMBEDDER = "https://intranet.example.nhs.uk"


class WebServer:
    def __init__(self, url: str, client: aiohttp.ClientSession) -> None:
        self.url, self.client = url, client

    async def get(self, path: str, **kwargs: object) -> tuple[int, Dict[str, str], str]:
        async with self.client.get(self.url + path, allow_redirects=False, **kwargs) as reply:  # type: ignore[arg-type]
            return reply.status, dict(reply.headers), await reply.text()


async def start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, frame_ancestors: str = "") -> AsyncIterator[WebServer]:
    monkeypatch.setenv("COACH_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_FRAME_ANCESTORS", frame_ancestors)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    store = open_store(f"sqlite:///{tmp_path / 'coach.db'}")  # as the action server does: it owns the schema
    (tmp_path / DOCUMENT).write_text(render_html(document()), encoding="utf-8")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # a plan document of a week, as published
    store.record_document(DocumentRecord(DOCUMENT[:-5], store.person_id("web:headers"), PLAN, now,
                                         now + dt.timedelta(days=7)))
    async with serve_channel(WebChatInput()) as url, aiohttp.ClientSession() as client:
        yield WebServer(url, client)


@pytest.fixture
async def web(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[WebServer]:
    async for server in start(monkeypatch, tmp_path):
        yield server


@pytest.fixture
async def embedded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[WebServer]:
    async for server in start(monkeypatch, tmp_path, f"self {EMBEDDER}"):
        yield server


def directives(policy: str) -> Dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/webhooks/web/", "/webhooks/web/index.html", "/webhooks/web/widget.js",
                                  "/webhooks/web/widget.css", "/webhooks/web/page.css", "/webhooks/web/nothing"])
async def test_the_page_and_widget_files_carry_the_page_policy(web: WebServer, path: str) -> None:
    status, headers, _ = await web.get(path)
    assert status in (200, 404)
    assert headers["Content-Security-Policy"] == page_policy("'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


async def test_the_redirect_to_the_page_carries_the_headers_too(web: WebServer) -> None:
    status, headers, _ = await web.get("/webhooks/web")
    assert status in (301, 302, 307, 308)
    assert headers["Content-Security-Policy"] == page_policy("'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_the_page_policy_allows_no_inline_script_or_style_and_the_page_needs_none(web: WebServer) -> None:
    _, headers, page = await web.get("/webhooks/web/")
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["frame-ancestors"] == "'self'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert "<style" not in page and " style=" not in page
    empty_scripts = re.findall(r"<script\b[^>]*>\s*</script>", page)
    assert len(empty_scripts) == len(re.findall(r"<script\b", page))  # no inline code
    assert all(src in ("widget.js",) for src in re.findall(r"<script[^>]* src=\"([^\"]+)\"", page))
    assert re.findall(r"<link[^>]* href=\"([^\"]+)\"", page) == ["page.css"]


async def test_a_document_is_personal_never_cached_and_runs_nothing(web: WebServer) -> None:
    status, headers, body = await web.get(f"/webhooks/web/documents/{DOCUMENT}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    policy = directives(headers["Content-Security-Policy"])
    assert headers["Content-Security-Policy"] == document_policy("'self'")
    assert policy["default-src"] == "'none'" and "script-src" not in policy
    # The document's one inline style is allowed by its hash, and is exactly the style the document holds.
    [style] = re.findall(r"<style>(.*?)</style>", body, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert style == HTML_STYLE and policy["style-src"] == f"'sha256-{digest}'"


async def test_a_download_of_everything_held_is_served_as_json_and_never_cached(web: WebServer,
                                                                               tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'coach.db'}")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # a copy of everything held, as published
    store.record_document(DocumentRecord("C" * 24, store.person_id("web:headers"), EXPORT, now,
                                         now + dt.timedelta(days=1)))
    document_files.write(store.keyring, "C" * 24, "json", '{"answers": []}')
    status, headers, body = await web.get("/webhooks/web/documents/" + "C" * 24 + ".json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["Cache-Control"] == "no-store" and body == '{"answers": []}'


async def test_a_missing_document_is_not_cached_either(web: WebServer) -> None:
    status, headers, _ = await web.get("/webhooks/web/documents/" + "B" * 24 + ".pdf")
    assert status == 404
    assert headers["Cache-Control"] == "no-store"


async def test_a_session_token_is_never_cached(web: WebServer) -> None:
    async with web.client.post(web.url + "/webhooks/web/session", json={}) as reply:
        assert reply.status == 200
        assert reply.headers["Cache-Control"] == "no-store"
        assert reply.headers["X-Content-Type-Options"] == "nosniff"


async def test_frame_ancestors_follow_the_setting(embedded: WebServer) -> None:
    for path in ("/webhooks/web/", f"/webhooks/web/documents/{DOCUMENT}"):
        _, headers, _ = await embedded.get(path)
        assert directives(headers["Content-Security-Policy"])["frame-ancestors"] == f"'self' {EMBEDDER}"
        assert "X-Frame-Options" not in headers  # it cannot name another origin; frame-ancestors does


@pytest.mark.parametrize("raw, expected", [
    ("", "'self'"), ("self", "'self'"), ("'none'", "'none'"), ("none", "'none'"),
    (f"'self' {EMBEDDER}", f"'self' {EMBEDDER}"), (f"self,{EMBEDDER}, {EMBEDDER}", f"'self' {EMBEDDER}"),
    ("https://*.example.nhs.uk:443", "https://*.example.nhs.uk:443"), ("https:", "https:"),
])
def test_frame_ancestors_setting(raw: str, expected: str) -> None:
    assert load_settings({"COACH_FRAME_ANCESTORS": raw}).frame_ancestors == expected
    assert load_settings({}).frame_ancestors == "'self'"


@pytest.mark.parametrize("raw", ["*; script-src *", "'unsafe-inline'", "https://a.example\r\nSet-Cookie: x=1",
                                 "'none' 'self'", "\"self\"", "https://a.example/<x>"])
def test_a_frame_ancestors_setting_that_could_break_the_header_is_refused(raw: str) -> None:
    with pytest.raises(BadSetting, match="COACH_FRAME_ANCESTORS"):
        load_settings({"COACH_FRAME_ANCESTORS": raw})


# --- which pages may open the chat's Socket.IO connection -------------------------------------------------------


@pytest.mark.parametrize(("origin", "allowed"), [
    ("https://coach.example.nhs.uk", True),       # the address the request came to
    ("http://localhost:5005", True),              # COACH_PUBLIC_URL
    ("https://intranet.example.nhs.uk", True),    # COACH_ALLOWED_ORIGINS
    ("https://evil.example", False),
    ("https://coach.example.nhs.uk.evil.example", False),
    ("null", False),                              # a sandboxed frame or a file opened from disk
    (None, True),                                 # not a browser page; it still needs a token
])
def test_only_the_coachs_own_pages_and_listed_origins_may_open_the_chat(origin: str | None, allowed: bool) -> None:
    settings = load_settings({"COACH_ALLOWED_ORIGINS": "https://intranet.example.nhs.uk"})
    environ = {"HTTP_HOST": "coach.example.nhs.uk"}
    assert origin_allowed(origin, environ, settings) is allowed


def test_an_allowed_origin_with_a_path_is_a_setting_error() -> None:
    with pytest.raises(BadSetting, match="COACH_ALLOWED_ORIGINS"):
        load_settings({"COACH_ALLOWED_ORIGINS": "https://intranet.example.nhs.uk/coach"})
