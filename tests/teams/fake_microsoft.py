"""A local stand-in for the Microsoft services a Teams bot talks to, for offline tests.

``FakeMicrosoft`` runs an aiohttp server on 127.0.0.1 (a free port, in its own
thread, so both sync and async tests can use it) that serves:

- the Bot Framework OpenID metadata (``openid_url``) and its JWKS, with an RSA
  key generated per instance and endorsed for the ``msteams`` channel;
- the Entra ID token endpoint (``token_endpoint(tenant)``), which checks the
  client credentials and hands out opaque bearer tokens;
- a Bot Connector under ``service_url`` that accepts activities posted to
  ``/v3/conversations/{id}/activities`` only with a token it issued, and records them.

It also mints the signed tokens the Bot Framework would put on incoming activities.

    with FakeMicrosoft() as fake:
        activity = fake.message_activity("hello")
        token = fake.mint_token(activity["serviceUrl"])
        ...  # POST activity to the bot with "Authorization: Bearer <token>"
        fake.wait_for_activities(1)
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOTFRAMEWORK_ISSUER = "https://api.botframework.com"
CONNECTOR_SCOPE = "https://api.botframework.com/.default"


def new_signing_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key, as Microsoft would sign tokens with."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Delivery:
    """One activity the bot posted to the fake connector."""

    conversation_id: str
    authorization: str
    activity: Dict[str, Any]


class FakeMicrosoft:
    """OpenID metadata, JWKS, token endpoint and Bot Connector on 127.0.0.1; see the module docstring."""

    def __init__(self, app_id: str = "test-app-id", app_password: str = "test-app-secret", *,
                 endorsements: Sequence[str] = ("msteams",), token_lifetime: int = 3600) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.endorsements = list(endorsements)
        self.token_lifetime = token_lifetime
        self.kid = "fake-key-1"
        self.signing_keys: Dict[str, rsa.RSAPrivateKey] = {self.kid: new_signing_key()}
        self.issued_tokens: set[str] = set()
        self.token_requests: List[Dict[str, Any]] = []  # {"tenant": ..., "form": {...}}
        self.deliveries: List[Delivery] = []
        self.metadata_requests = 0
        self.jwks_requests = 0
        self.port = 0
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None

    # --- addresses ---------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL of the fake, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openid_url(self) -> str:
        """Where the Bot Framework's OpenID metadata is served."""
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def service_url(self) -> str:
        """The serviceUrl to put on activities (with a path and trailing slash, like Teams' own)."""
        return f"{self.url}/teams/"

    def token_endpoint(self, tenant: str = "botframework.com") -> str:
        """The token endpoint for a tenant (``botframework.com`` is the multi-tenant one)."""
        return f"{self.url}/{tenant}/oauth2/v2.0/token"

    def credentials(self, **extra: Any) -> Dict[str, Any]:
        """A credentials.yml-style entry for ``TeamsInput`` that points at this fake."""
        tenant = extra.get("tenant_id")
        values: Dict[str, Any] = {"app_id": self.app_id, "app_password": self.app_password,
                                  "openid_metadata_url": self.openid_url,
                                  "token_endpoint": self.token_endpoint(tenant or "botframework.com")}
        values.update(extra)
        return values

    # --- recorded traffic ---------------------------------------------------------------------------------------

    @property
    def activities(self) -> List[Dict[str, Any]]:
        """The activities posted to the connector, oldest first."""
        return [delivery.activity for delivery in self.deliveries]

    def wait_for_activities(self, count: int, timeout: float = 10.0) -> List[Dict[str, Any]]:
        """Block until at least ``count`` activities have arrived (or ``timeout`` passes); returns them."""
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.activities

    def revoke_tokens(self) -> None:
        """Make the connector refuse every bearer token issued so far (as after a secret rotation)."""
        self.issued_tokens.clear()

    # --- keys and tokens ----------------------------------------------------------------------------------------

    def rotate_key(self, keep_old: bool = True) -> str:
        """Start signing with a new key (published in the JWKS); returns its kid."""
        self.kid = f"fake-key-{len(self.signing_keys) + 1}"
        if not keep_old:
            self.signing_keys.clear()
        self.signing_keys[self.kid] = new_signing_key()
        return self.kid

    def jwks(self) -> Dict[str, Any]:
        """The published public keys."""
        keys = []
        for kid, private in self.signing_keys.items():
            jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
            jwk.update({"kid": kid, "use": "sig", "alg": "RS256", "endorsements": self.endorsements})
            keys.append(jwk)
        return {"keys": keys}

    def mint_token(self, service_url: str, audience: Optional[str] = None, *, kid: Optional[str] = None,
                   signing_key: Optional[rsa.RSAPrivateKey] = None, lifetime: int = 3600,
                   **overrides: Any) -> str:
        """A Bot Framework-style token for an incoming activity.

        Claims: ``iss`` (Bot Framework), ``aud`` (``audience`` or the app id), ``serviceurl``,
        ``iat``/``nbf``/``exp``. ``overrides`` replace claims; a ``None`` value removes one.
        ``signing_key`` signs with another key (a forgery) while still naming ``kid``.
        """
        now = int(time.time())
        claims: Dict[str, Any] = {"iss": BOTFRAMEWORK_ISSUER, "aud": audience or self.app_id,
                                  "serviceurl": service_url, "iat": now, "nbf": now - 5, "exp": now + lifetime}
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        kid = kid or self.kid
        key = signing_key or self.signing_keys.get(kid) or self.signing_keys[self.kid]
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    def message_activity(self, text: Optional[str] = "hello", *, value: Optional[Dict[str, Any]] = None,
                         conversation_id: str = "a:conversation-1", user_id: str = "29:user-1",
                         aad_object_id: Optional[str] = "aad-user-1", tenant_id: str = "tenant-1",
                         service_url: Optional[str] = None, channel_id: str = "msteams",
                         activity_type: str = "message") -> Dict[str, Any]:
        """An activity shaped like the ones Teams sends for a personal chat."""
        sender: Dict[str, Any] = {"id": user_id, "name": "Test Person"}
        if aad_object_id:
            sender["aadObjectId"] = aad_object_id
        activity: Dict[str, Any] = {
            "type": activity_type,
            "id": uuid.uuid4().hex,
            "timestamp": "2026-11-23T10:00:00.000Z",
            "serviceUrl": service_url or self.service_url,
            "channelId": channel_id,
            "from": sender,
            "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": tenant_id},
            "recipient": {"id": f"28:{self.app_id}", "name": "Scope for Growth coach"},
            "channelData": {"tenant": {"id": tenant_id}},
        }
        if text is not None:
            activity["text"] = text
            activity["textFormat"] = "plain"
        if value is not None:
            activity["value"] = value
        return activity

    # --- server -------------------------------------------------------------------------------------------------

    def _application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post("/teams/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post("/teams/v3/conversations/{conversation_id}/activities/{reply_to}", self._activity)
        return app

    async def _metadata(self, _: web.Request) -> web.Response:
        self.metadata_requests += 1
        return web.json_response({"issuer": BOTFRAMEWORK_ISSUER, "jwks_uri": f"{self.url}/v1/.well-known/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"],
                                  "token_endpoint_auth_methods_supported": ["private_key_jwt"]})

    async def _keys(self, _: web.Request) -> web.Response:
        self.jwks_requests += 1
        return web.json_response(self.jwks())

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({"tenant": request.match_info["tenant"], "form": form})
        if form.get("grant_type") != "client_credentials" or form.get("scope") != CONNECTOR_SCOPE:
            return web.json_response({"error": "invalid_request"}, status=400)
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password:
            return web.json_response({"error": "invalid_client"}, status=401)
        token = secrets.token_urlsafe(24)
        self.issued_tokens.add(token)
        return web.json_response({"token_type": "Bearer", "expires_in": self.token_lifetime,
                                  "ext_expires_in": self.token_lifetime, "access_token": token})

    async def _activity(self, request: web.Request) -> web.Response:
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or authorization[len("Bearer "):] not in self.issued_tokens:
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        activity = await request.json()
        self.deliveries.append(Delivery(request.match_info["conversation_id"], authorization, activity))
        return web.json_response({"id": uuid.uuid4().hex}, status=201)

    def start(self) -> FakeMicrosoft:
        """Start serving on a free port of 127.0.0.1 (in a background thread)."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self.port = int(sock.getsockname()[1])
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self._application(), access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.SockSite(self._runner, sock).start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="fake-microsoft", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Microsoft server did not start")
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop, self._thread = None, None

    def __enter__(self) -> FakeMicrosoft:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()
