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
MAX_LIFETIME_SECONDS = 12 * 3600  # the default of COACH_WEB_TOKEN_MAX_HOURS
LIFETIME_SECONDS = MAX_LIFETIME_SECONDS
CLOCK_LEEWAY_SECONDS = 60


def mint(secret: str, *, subject: Optional[str] = None, sso: Optional[str] = None,
         lifetime: int = LIFETIME_SECONDS, now: Optional[float] = None) -> str:
    """A new token for an anonymous visitor (random subject) or a signed-in user (``sso``)."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {"sub": subject or uuid.uuid4().hex, "iat": issued, "exp": issued + lifetime,
                              "aud": "coach-web"}
    if sso:
        claims["sso"] = sso
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: Optional[str], secret: str, *, max_lifetime: int = MAX_LIFETIME_SECONDS,
           now: Optional[float] = None) -> Optional[dict[str, Any]]:
    """The token's claims if it is genuine and in date, else None.

    Whatever its ``exp`` says, a token is refused once ``max_lifetime`` seconds have passed since it was issued
    (``iat``), so a host page cannot mint, and a stolen token cannot give, access for longer than that.
    """
    if not token or not isinstance(token, str):
        return None
    at = time.time() if now is None else now
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience="coach-web",
                            options={"require": ["sub", "exp", "iat"], "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError:
        return None
    issued, expires = claims.get("iat"), claims.get("exp")
    if not isinstance(issued, (int, float)) or not isinstance(expires, (int, float)):
        return None
    if issued > at + CLOCK_LEEWAY_SECONDS or at >= expires or at >= issued + max_lifetime:
        return None
    return dict(claims)


def expires_at(claims: dict[str, Any], max_lifetime: int = MAX_LIFETIME_SECONDS) -> float:
    """When a verified token stops being accepted (its ``exp`` or the maximum lifetime, whichever is sooner)."""
    return float(min(claims["exp"], claims["iat"] + max_lifetime))


def sender_id(claims: dict[str, Any]) -> str:
    """The conversation a token may use: the organisation's SSO id when given, else the web session."""
    if claims.get("sso"):
        return f"sso:{claims['sso']}"
    return f"web:{claims['sub']}"
