"""Security headers on the real coach: the chat page, its files, and a share link a person made in a chat."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.e2e.servers import CoachServers, button_payloads, texts

pytestmark = pytest.mark.servers


def policy(headers: requests.structures.CaseInsensitiveDict) -> dict:
    parts = (part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_the_page_its_files_and_a_share_link_carry_the_security_headers(coach: CoachServers) -> None:
    for path in ("/webhooks/web/", "/webhooks/web/widget.js", "/webhooks/web/page.css"):
        reply = requests.get(coach.base_url + path, timeout=30)
        assert reply.status_code == 200, path
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        csp = policy(reply.headers)
        assert csp["default-src"] == "'none'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
        assert csp["frame-ancestors"] == "'self'"
        assert "unsafe" not in reply.headers["Content-Security-Policy"]

    user = f"staff-{uuid.uuid4().hex[:8]}"
    coach.say(user, "/start_journey")
    coach.say(user, "Band 6 occupational therapist")
    share = coach.say(user, "share with my manager")
    role = next(p for p in button_payloads(share) if "journal.details.role" in p)
    coach.say(user, role)
    shared = texts(coach.say(user, "yes"))
    link = re.search(r"(http://\S+\.html)", shared)
    assert link, shared
    document = requests.get(link.group(1), timeout=30)
    assert document.status_code == 200 and "Band 6 occupational therapist" in document.text
    assert document.headers["Cache-Control"] == "no-store"
    assert document.headers["X-Content-Type-Options"] == "nosniff"
    assert document.headers["Referrer-Policy"] == "no-referrer"
    csp = policy(document.headers)
    assert csp["default-src"] == "'none'" and "script-src" not in csp
    assert csp["style-src"].startswith("'sha256-") and csp["frame-ancestors"] == "'self'"
