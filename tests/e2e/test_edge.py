"""The edge (deploy/nginx.conf), tried through a real nginx on loopback with TLS, in front of the real coach:
only the public routes are published, and what is published keeps its protections."""

from __future__ import annotations

import http.client
import ssl
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests.e2e.edge import Edge, chat_through_edge
from tests.e2e.servers import CoachServers

pytestmark = pytest.mark.servers  # nginx comes from scripts/system-packages.sh, which make test runs


@pytest.fixture(scope="module")
def edge(coach: CoachServers) -> Iterator[Edge]:
    # Its own folder outside pytest's private one: nginx's workers run as an unprivileged user when started by root.
    with tempfile.TemporaryDirectory(prefix="coach-edge-") as prefix:
        started = Edge(Path(prefix), coach).start()
        yield started
        started.stop()


def raw_request(edge: Edge, method: str, path: str, headers: dict[str, str] | None = None) -> int:
    """The status for a path sent exactly as written (no client tidies away dots or escapes)."""
    context = ssl.create_default_context(cafile=str(edge.certificate))
    connection = http.client.HTTPSConnection("127.0.0.1", edge.port, context=context, timeout=10)
    try:
        connection.request(method, path, body=b"{}" if method in ("POST", "PUT") else None,
                           headers={"Content-Type": "application/json", **(headers or {})})
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_chat_page_and_a_session_are_served_over_verified_tls_with_the_security_headers(edge: Edge) -> None:
    page = requests.get(f"{edge.url}/webhooks/web/", verify=str(edge.certificate), timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert page.headers.get("Server") == "nginx", "no version is given away"
    session = requests.post(f"{edge.url}/webhooks/web/session", json={}, verify=str(edge.certificate), timeout=10)
    assert session.status_code == 200 and session.json()["token"]


def test_a_person_can_chat_through_the_edge(edge: Edge) -> None:
    replies = chat_through_edge(edge.url, edge.certificate, "hi", expect="career conversation")
    assert any("career conversation" in r.get("text", "") for r in replies)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"),
    ("GET", "/status"),
    ("GET", "/version"),
    ("POST", "/webhooks/rest/webhook"),
    ("GET", "/conversations/web:someone/tracker"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("GET", "/webhooks/teams/"),
    ("GET", "/webhooks/web/../rest/webhook"),
    ("POST", "/webhooks/web/%2e%2e/rest/webhook"),
    ("POST", "/socket.io/..%2f..%2fwebhooks/rest/webhook"),
])
def test_every_route_outside_the_public_ones_is_refused_even_with_the_api_token(
        edge: Edge, coach: CoachServers, method: str, path: str) -> None:
    separator = "&" if "?" in path else "?"
    status = raw_request(edge, method, f"{path}{separator}token={coach.api_token}", coach.rest_headers)
    assert status in (400, 404), f"{method} {path} answered {status}"


def test_impersonation_over_rest_is_impossible_through_the_edge(edge: Edge, coach: CoachServers) -> None:
    victim = f"sso:{uuid.uuid4().hex}"
    body = {"sender": victim, "message": "review my journal"}
    for headers in ({}, coach.rest_headers):  # not even with the operator's token
        reply = requests.post(f"{edge.url}/webhooks/rest/webhook", json=body, headers=headers,
                              verify=str(edge.certificate), timeout=10)
        assert reply.status_code == 404


def test_a_1_mb_body_is_refused_at_the_edge(edge: Edge) -> None:
    reply = requests.post(f"{edge.url}/webhooks/web/session", data="x" * 1_000_000, verify=str(edge.certificate),
                          headers={"Content-Type": "application/json"}, timeout=30)
    assert reply.status_code == 413


def test_a_flood_of_session_requests_from_one_address_is_slowed(edge: Edge) -> None:
    statuses = [requests.post(f"{edge.url}/webhooks/web/session", json={}, verify=str(edge.certificate),
                              timeout=10).status_code for _ in range(40)]
    assert statuses.count(429) > 0 and statuses.count(200) >= 5, statuses


def test_the_access_log_keeps_paths_but_no_query_strings(edge: Edge) -> None:
    secret = uuid.uuid4().hex
    requests.get(f"{edge.url}/webhooks/web/?share={secret}", verify=str(edge.certificate), timeout=10)
    log = (edge.prefix / "access.log").read_text()
    assert "/webhooks/web/" in log and secret not in log
