"""Signed session tokens for the web widget (HS256 JWTs).

A token names the conversation it may use (``sub``); the server never trusts a
session id sent by the client. A host page with a signed-in user mints a token
with the same secret and an ``sso`` claim, which links the person across channels.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Optional

import jwt

ALGORITHM = "HS256"
LIFETIME_SECONDS = 30 * 24 * 3600


def mint(secret: str, *, subject: Optional[str] = None, sso: Optional[str] = None,
         lifetime: int = LIFETIME_SECONDS, now: Optional[float] = None) -> str:
    """A new token for an anonymous visitor (random subject) or a signed-in user (``sso``)."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {"sub": subject or uuid.uuid4().hex, "iat": issued, "exp": issued + lifetime,
                              "aud": "coach-web"}
    if sso:
        claims["sso"] = sso
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: Optional[str], secret: str) -> Optional[dict[str, Any]]:
    """The token's claims if it is genuine and in date, else None."""
    if not token or not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience="coach-web",
                            options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    return dict(claims)


def sender_id(claims: dict[str, Any]) -> str:
    """The conversation a token may use: the organisation's SSO id when given, else the web session."""
    if claims.get("sso"):
        return f"sso:{claims['sso']}"
    return f"web:{claims['sub']}"
