"""Security headers on every page and document the coach serves itself (the web channel's routes).

- The demo page and widget files: a Content-Security-Policy that allows only the coach's own script, styles and
  Socket.IO connection (no inline script or style), ``nosniff`` and ``Referrer-Policy: no-referrer``.
- Plan documents (``/webhooks/web/documents/...``): no script at all, the one inline style of
  :func:`bot.documents.render_html` by its hash, and ``Cache-Control: no-store`` because they are personal.
- ``frame-ancestors`` comes from ``COACH_FRAME_ANCESTORS`` (default ``'self'``) so a trust can embed the coach
  in its intranet.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Dict

from sanic.response import HTTPResponse

from bot.documents import HTML_STYLE
from bot.settings import Settings


def _style_hash(style: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii") + "'"


DOCUMENT_STYLE_SOURCE = _style_hash(HTML_STYLE)


def page_policy(frame_ancestors: str) -> str:
    """CSP of the demo page and the widget's files: the widget's own script, styles and Socket.IO only."""
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            f"base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}")


def document_policy(frame_ancestors: str) -> str:
    """CSP of a plan document: no script, no requests, only the document's own inline style."""
    return (f"default-src 'none'; style-src {DOCUMENT_STYLE_SOURCE}; base-uri 'none'; form-action 'none'; "
            f"frame-ancestors {frame_ancestors}")


def _common(settings: Settings) -> Dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    # For browsers without frame-ancestors; only where X-Frame-Options can say the same thing.
    legacy = {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(settings.frame_ancestors)
    if legacy:
        headers["X-Frame-Options"] = legacy
    return headers


def page_headers(settings: Settings) -> Dict[str, str]:
    return {**_common(settings), "Content-Security-Policy": page_policy(settings.frame_ancestors)}


def personal_headers(settings: Settings) -> Dict[str, str]:
    """For a personal document (or a share link to one): never cached, never indexed."""
    return {**_common(settings), "Content-Security-Policy": document_policy(settings.frame_ancestors),
            "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def apply(response: HTTPResponse, headers: Dict[str, str]) -> HTTPResponse:
    """``response`` with ``headers`` set, replacing any of the same name."""
    for name, value in headers.items():
        response.headers[name] = value
    return response
