"""Microsoft Teams channel (Bot Framework), written for this coach.

Rasa's own ``botframework`` channel fetches Microsoft's signing keys in its
constructor (so it cannot start offline), only knows the multi-tenant token
endpoint, makes blocking ``requests`` calls inside the event loop and drops
Adaptive Card submits. This channel:

- fetches nothing until the first activity arrives; OpenID metadata and keys are
  fetched with aiohttp, cached for ``key_ttl`` seconds and refetched once when a
  token names an unknown key (at most once per ``refresh_cooldown`` seconds, so
  forged ``kid`` values cannot make us hammer Microsoft);
- checks every activity's JWT (RS256 signature, issuer, audience, expiry, the
  key's channel endorsements and the ``serviceurl`` claim) before Rasa sees it;
- supports single-tenant bots (the tenant's token endpoint and issuers);
- turns Adaptive Card ``Action.Submit`` data ``{"payload": "/intent{...}"}`` into
  the message text, so card buttons work like web buttons.

Buttons: up to three buttons whose payloads are plain intents (``/start_journey``)
go out as ``suggestedActions`` (imBack, shown in personal chat under the message).
Anything else - more than three buttons, or any payload carrying entities
(``/choose{"x": 1}``) - goes out as one Adaptive Card (v1.4) with ``Action.Submit``
buttons. imBack posts its value into the chat as the person's own words, so
payloads with JSON in them would show up raw; card submits stay invisible. Set
``button_style: card`` to always use cards.

Sender ids: ``teams:{aadObjectId}`` (or ``teams:{from.id}`` outside Teams). With
``link_by_aad: true`` it is ``sso:{aadObjectId}``, the id the web channel uses when
the host page's token carries that person's Entra object id in its ``sso`` claim,
so one person has one journal on both channels.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote

import aiohttp
import jwt
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import guard_messages, limit_request_size
from bot.channels.typed_picks import read_typed_picks, remember_server
from bot.settings import load_settings

logger = logging.getLogger(__name__)

BOTFRAMEWORK_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOTFRAMEWORK_ISSUER = "https://api.botframework.com"
MICROSOFT_LOGIN = "https://login.microsoftonline.com"
MULTI_TENANT_TOKEN_URL = f"{MICROSOFT_LOGIN}/botframework.com/oauth2/v2.0/token"
CONNECTOR_SCOPE = "https://api.botframework.com/.default"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_CARD_VERSION = "1.4"

KEY_TTL_SECONDS = 12 * 3600
REFRESH_COOLDOWN_SECONDS = 300
CLOCK_LEEWAY_SECONDS = 300  # Microsoft's own SDKs allow five minutes of clock skew
TOKEN_EXPIRY_MARGIN_SECONDS = 300  # renew the outgoing token this long before it runs out
HTTP_TIMEOUT_SECONDS = 15
MAX_SUGGESTED_ACTIONS = 3

BEARER = re.compile(r"^Bearer\s+(\S+)$", re.IGNORECASE)
MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
ENV_REFERENCE = re.compile(r"^\$\{(\w+)\}$")
LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")


class Unauthorized(Exception):
    """An incoming activity whose token does not prove it came from the Bot Framework."""


# --- settings ---------------------------------------------------------------------------------------------------


def _credential(credentials: Mapping[str, Any], key: str, env_name: Optional[str] = None) -> Optional[str]:
    """A credential value: from credentials.yml (``${ENV}`` resolved), else from ``env_name``."""
    value = credentials.get(key)
    if isinstance(value, str):
        match = ENV_REFERENCE.match(value.strip())
        value = os.environ.get(match.group(1)) if match else value.strip()
    if value in (None, "") and env_name:
        value = os.environ.get(env_name)
    return str(value) if value not in (None, "") else None


def _object(container: Mapping[str, Any], key: str) -> Dict[str, Any]:
    value = container.get(key)
    return value if isinstance(value, dict) else {}


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _strings(value: Any) -> Tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(str(part) for part in value)


@dataclass(frozen=True)
class TeamsSettings:
    """What the channel needs to know about the bot's Azure registration."""

    app_id: Optional[str]
    app_password: Optional[str] = None
    tenant_id: Optional[str] = None
    openid_metadata_urls: Tuple[str, ...] = (BOTFRAMEWORK_OPENID_URL,)
    token_endpoint: str = MULTI_TENANT_TOKEN_URL
    issuers: Tuple[str, ...] = (BOTFRAMEWORK_ISSUER,)
    link_by_aad: bool = False
    button_style: str = "auto"
    allowed_tenants: Tuple[str, ...] = ()  # lower-case tenant ids; empty: any tenant (only with no tenant_id)

    def tenant_allowed(self, activity: Mapping[str, Any]) -> bool:
        """True when every tenant the activity names is on the allow-list (always, when there is no list)."""
        if not self.allowed_tenants:
            return True
        named = tenants_named(activity)
        return bool(named) and all(tenant.lower() in self.allowed_tenants for tenant in named)

    @property
    def configured(self) -> bool:
        """True when the bot has an app id and secret; without them every activity is refused."""
        return bool(self.app_id and self.app_password)

    @classmethod
    def from_credentials(cls, credentials: Optional[Mapping[str, Any]]) -> TeamsSettings:
        """Settings from a credentials.yml entry.

        Keys: app_id, app_password, tenant_id, openid_metadata_url (one URL or a list), token_endpoint,
        issuers (one or a list), link_by_aad, button_style ("auto" or "card"), allowed_tenants (one or a list).
        Values may be ``${ENV}``. When a key is absent, TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID,
        TEAMS_OPENID_METADATA_URL, TEAMS_TOKEN_ENDPOINT and TEAMS_ALLOWED_TENANTS (comma-separated) are read from
        the environment. Without an allow-list, a bot with a tenant_id accepts only its own tenant.
        """
        credentials = credentials or {}
        tenant = _credential(credentials, "tenant_id", "TEAMS_TENANT_ID")
        issuers = _strings(credentials.get("issuers") or credentials.get("issuer"))
        if not issuers:
            issuers = (BOTFRAMEWORK_ISSUER,)
            if tenant:  # tokens Entra ID issues directly for a single-tenant bot
                issuers += (f"https://sts.windows.net/{tenant}/", f"{MICROSOFT_LOGIN}/{tenant}/v2.0")
        given = credentials.get("openid_metadata_url")
        metadata = _strings(given if isinstance(given, (list, tuple))
                            else _credential(credentials, "openid_metadata_url", "TEAMS_OPENID_METADATA_URL"))
        if not metadata:
            metadata = (BOTFRAMEWORK_OPENID_URL,)
            if tenant:  # Entra-issued tokens are signed with the tenant's keys, not the Bot Framework's
                metadata += (f"{MICROSOFT_LOGIN}/{tenant}/v2.0/.well-known/openid-configuration",)
        token_endpoint = _credential(credentials, "token_endpoint", "TEAMS_TOKEN_ENDPOINT") or (
            f"{MICROSOFT_LOGIN}/{tenant}/oauth2/v2.0/token" if tenant else MULTI_TENANT_TOKEN_URL)
        given_tenants = credentials.get("allowed_tenants")
        allowed = _strings(given_tenants if isinstance(given_tenants, (list, tuple))
                           else _credential(credentials, "allowed_tenants", "TEAMS_ALLOWED_TENANTS"))
        if not allowed and tenant:
            allowed = (tenant,)
        button_style = str(credentials.get("button_style") or "auto").lower()
        if button_style not in ("auto", "card"):
            raise ValueError(f"teams: button_style must be 'auto' or 'card', not {button_style!r}")
        return cls(
            app_id=_credential(credentials, "app_id", "TEAMS_APP_ID"),
            app_password=_credential(credentials, "app_password", "TEAMS_APP_PASSWORD"),
            tenant_id=tenant,
            openid_metadata_urls=metadata,
            token_endpoint=token_endpoint,
            issuers=issuers,
            link_by_aad=_flag(credentials.get("link_by_aad")),
            button_style=button_style,
            allowed_tenants=tuple(dict.fromkeys(t.lower() for t in allowed)),
        )


# --- HTTP -------------------------------------------------------------------------------------------------------


class HttpPool:
    """One aiohttp session per event loop, created on first use (never at construction or import)."""

    def __init__(self, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    async def session(self) -> aiohttp.ClientSession:
        """The session for the running loop."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._loop = loop
        return self._session

    async def close(self) -> None:
        """Close the session if it belongs to the running loop."""
        if self._session is not None and not self._session.closed and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None


# --- incoming: signing keys and token validation ----------------------------------------------------------------


class SigningKeys:
    """Microsoft's token signing keys by ``kid``, fetched lazily from the OpenID metadata and cached."""

    def __init__(self, metadata_urls: Sequence[str], http: HttpPool, *, ttl: float = KEY_TTL_SECONDS,
                 refresh_cooldown: float = REFRESH_COOLDOWN_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.metadata_urls = tuple(metadata_urls)
        self._http = http
        self._ttl = ttl
        self._cooldown = refresh_cooldown
        self._clock = clock
        self._keys: Dict[str, Dict[str, Any]] = {}
        self._fetched_at: Optional[float] = None
        self._attempted_at: Optional[float] = None
        self._lock: Optional[asyncio.Lock] = None
        self._lock_loop: Optional[asyncio.AbstractEventLoop] = None

    def _refresh_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    def _wants_refresh(self, kid: str) -> bool:
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at > self._ttl
        may_attempt = self._attempted_at is None or now - self._attempted_at >= self._cooldown
        return (stale or kid not in self._keys) and may_attempt

    async def key(self, kid: str) -> Optional[Dict[str, Any]]:
        """The JWK for ``kid``, refetching when the cache is stale or ``kid`` is unknown (at most once per cooldown)."""
        if self._fetched_at is not None and kid in self._keys and not self._wants_refresh(kid):
            return self._keys[kid]
        # Requests arriving during a fetch wait for it rather than fail or fetch again.
        async with self._refresh_lock():
            if self._wants_refresh(kid):
                await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        self._attempted_at = self._clock()
        keys: Dict[str, Dict[str, Any]] = {}
        fetched_any = False
        for url in self.metadata_urls:
            try:
                keys.update(await self._fetch(url))
                fetched_any = True
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError, TypeError) as error:
                logger.warning("teams: could not fetch signing keys via %s: %s", url, error)
        if fetched_any:
            self._keys, self._fetched_at = keys, self._attempted_at
        # On failure the old keys stay in use until a later attempt succeeds.

    async def _fetch(self, metadata_url: str) -> Dict[str, Dict[str, Any]]:
        session = await self._http.session()
        async with session.get(metadata_url) as reply:
            reply.raise_for_status()
            jwks_uri = (await reply.json(content_type=None))["jwks_uri"]
        async with session.get(jwks_uri) as reply:
            reply.raise_for_status()
            document = await reply.json(content_type=None)
        return {str(key["kid"]): dict(key) for key in document["keys"] if isinstance(key, dict) and "kid" in key}


async def _error_code(reply: aiohttp.ClientResponse) -> str:
    """The ``error.code`` of a Bot Framework error body, never the rest of it (it may quote what was sent)."""
    try:
        body = await reply.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return "no error code"
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code)[:80] if code else "no error code"


def _same_service_url(first: str, second: str) -> bool:
    return first.rstrip("/") == second.rstrip("/")


class TokenValidator:
    """Checks the bearer token on an incoming activity the way the Bot Framework specifies."""

    def __init__(self, settings: TeamsSettings, keys: SigningKeys, leeway: float = CLOCK_LEEWAY_SECONDS) -> None:
        self.settings = settings
        self.keys = keys
        self.leeway = leeway

    async def validate(self, authorization: Optional[str], activity: Mapping[str, Any]) -> Dict[str, Any]:
        """The token's claims; raises :class:`Unauthorized` with the reason when anything is wrong."""
        match = BEARER.match((authorization or "").strip())
        if not match:
            raise Unauthorized("no bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized(f"malformed token: {error}") from error
        if header.get("alg") != "RS256":
            raise Unauthorized(f"algorithm {header.get('alg')!r} is not RS256")
        kid = header.get("kid")
        jwk = await self.keys.key(str(kid)) if kid else None
        if jwk is None:
            raise Unauthorized(f"unknown signing key {kid!r}")
        endorsements = jwk.get("endorsements")
        channel_id = activity.get("channelId")
        if isinstance(endorsements, list) and channel_id not in endorsements:
            raise Unauthorized(f"signing key is not endorsed for channel {channel_id!r}")
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
            claims = jwt.decode(token, public_key, algorithms=["RS256"],  # type: ignore[arg-type]
                                audience=self.settings.app_id, issuer=list(self.settings.issuers),
                                leeway=self.leeway, options={"require": ["exp", "iss", "aud"]})
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise Unauthorized(f"token rejected: {error}") from error
        # The claim proves which connector may be called back; without it a forged serviceUrl could send our
        # replies (and our outgoing bearer token) anywhere.
        claimed = claims.get("serviceurl") or claims.get("serviceUrl")
        service_url = activity.get("serviceUrl")
        if not isinstance(claimed, str) or not isinstance(service_url, str) or not _same_service_url(claimed,
                                                                                                     service_url):
            raise Unauthorized("serviceUrl does not match the token")
        return dict(claims)


# --- outgoing: connector token and activities -------------------------------------------------------------------


class BotConnector:
    """Posts activities to a conversation, with a client-credentials token cached until shortly before expiry."""

    def __init__(self, settings: TeamsSettings, http: HttpPool, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._http = http
        self._clock = clock
        self._token: Optional[str] = None
        self._token_expires = 0.0
        self._lock: Optional[asyncio.Lock] = None
        self._lock_loop: Optional[asyncio.AbstractEventLoop] = None

    def _token_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def access_token(self) -> Optional[str]:
        """A bearer token for the Bot Connector, from cache or from the token endpoint."""
        if self._token and self._clock() < self._token_expires:
            return self._token
        async with self._token_lock():
            if self._token and self._clock() < self._token_expires:
                return self._token
            form = {"grant_type": "client_credentials", "client_id": self.settings.app_id or "",
                    "client_secret": self.settings.app_password or "", "scope": CONNECTOR_SCOPE}
            try:
                session = await self._http.session()
                async with session.post(self.settings.token_endpoint, data=form) as reply:
                    body = await reply.json(content_type=None)
                    if reply.status != 200 or not isinstance(body, dict) or "access_token" not in body:
                        error = body.get("error") if isinstance(body, dict) else None
                        logger.error("teams: token endpoint refused (%s, %s)", reply.status, error)
                        return None
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                logger.error("teams: could not reach the token endpoint: %s", error)
                return None
            lifetime = float(body.get("expires_in", 3600))
            self._token = str(body["access_token"])
            self._token_expires = self._clock() + max(lifetime - TOKEN_EXPIRY_MARGIN_SECONDS, lifetime / 2)
            return self._token

    def forget_token(self) -> None:
        """Drop the cached token (the connector said it is no longer valid)."""
        self._token, self._token_expires = None, 0.0

    async def send(self, service_url: str, conversation_id: str, activity: Dict[str, Any]) -> bool:
        """POST ``activity`` to ``{serviceUrl}/v3/conversations/{id}/activities``; True when accepted."""
        url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
        for attempt in (1, 2):
            token = await self.access_token()
            if token is None:
                return False
            try:
                session = await self._http.session()
                async with session.post(url, json=activity, headers={"Authorization": f"Bearer {token}"}) as reply:
                    if reply.status == 401 and attempt == 1:  # token revoked or rotated early: fetch a new one once
                        self.forget_token()
                        continue
                    if reply.status >= 300:  # log the error code only: the body may quote the reply's text
                        logger.error("teams: connector refused an activity (%s, %s)", reply.status,
                                     await _error_code(reply))
                        return False
                    return True
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.error("teams: could not reach the connector at %s: %s", service_url, error)
                return False
        return False


def teams_markdown(text: str) -> str:
    """Teams folds single newlines into spaces; make each one a paragraph break so lines stay lines."""
    return LONE_NEWLINE.sub("\n\n", text.strip())


def _carries_entities(payload: str) -> bool:
    return "{" in payload


def button_payload(button: Mapping[str, Any]) -> str:
    """What pressing a button sends back: its payload, or its title when it has none."""
    return str(button.get("payload") or button.get("title") or "")


def uses_card(buttons: Sequence[Mapping[str, Any]], style: str = "auto") -> bool:
    """The button rule: a card for more than three buttons or any payload with entities, else suggested actions."""
    return (style == "card" or len(buttons) > MAX_SUGGESTED_ACTIONS
            or any(_carries_entities(button_payload(b)) for b in buttons))


def adaptive_card(text: str, buttons: Sequence[Mapping[str, Any]] = (), image_url: Optional[str] = None
                  ) -> Dict[str, Any]:
    """An Adaptive Card attachment: the text, an optional image and one Action.Submit per button."""
    body: List[Dict[str, Any]] = []
    if text:
        body.append({"type": "TextBlock", "text": text.strip(), "wrap": True})
    if image_url:
        body.append({"type": "Image", "url": image_url, "altText": text or "image"})
    content: Dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if buttons:
        content["actions"] = [{"type": "Action.Submit", "title": str(b.get("title") or button_payload(b)),
                               "data": {"payload": button_payload(b)}} for b in buttons]
    return {"contentType": ADAPTIVE_CARD, "content": content}


def suggested_actions(buttons: Sequence[Mapping[str, Any]], recipient_id: str) -> Dict[str, Any]:
    """Quick replies under the message (personal chat): imBack with the payload as the value."""
    return {"to": [recipient_id], "actions": [
        {"type": "imBack", "title": str(b.get("title") or button_payload(b)), "value": button_payload(b)}
        for b in buttons]}


class TeamsOutput(OutputChannel):
    """Replies into one Teams conversation."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    def __init__(self, connector: BotConnector, service_url: str, conversation: Mapping[str, Any],
                 bot: Optional[Mapping[str, Any]] = None, user: Optional[Mapping[str, Any]] = None,
                 reply_to_id: Optional[str] = None, button_style: str = "auto") -> None:
        self.connector = connector
        self.service_url = service_url
        self.conversation = dict(conversation)
        self.bot = dict(bot or {})
        self.user = dict(user or {})
        self.reply_to_id = reply_to_id
        self.button_style = button_style

    def _activity(self, **fields: Any) -> Dict[str, Any]:
        activity: Dict[str, Any] = {"type": "message", "conversation": {"id": self.conversation.get("id")}}
        if self.bot:
            activity["from"] = self.bot
        if self.user:
            activity["recipient"] = self.user
        if self.reply_to_id:
            activity["replyToId"] = self.reply_to_id
        activity.update(fields)
        return activity

    async def post(self, activity: Dict[str, Any]) -> bool:
        """Send one activity to this conversation."""
        return await self.connector.send(self.service_url, str(self.conversation.get("id")), activity)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.post(self._activity(text=teams_markdown(text), textFormat="markdown"))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        if not buttons:
            await self.send_text_message(recipient_id, text)
        elif uses_card(buttons, self.button_style):
            await self.post(self._activity(attachments=[adaptive_card(text, buttons)]))
        else:
            await self.post(self._activity(text=teams_markdown(text), textFormat="markdown",
                                           suggestedActions=suggested_actions(buttons, self.user.get("id",
                                                                                                     recipient_id))))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.post(self._activity(attachments=[adaptive_card("", image_url=image)]))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        # Teams cannot fetch a file from our server on the person's behalf, so a file becomes a link.
        if isinstance(attachment, dict):
            payload = _object(attachment, "payload")
            source = payload.get("src") or payload.get("url")
            if attachment.get("type") == "image" and source:
                await self.send_image_url(recipient_id, str(source))
                return
            if source:
                title = str(payload.get("title") or payload.get("name") or "Download")
                await self.send_text_message(recipient_id, f"[{title}]({source})")
                return
        await self.send_text_message(recipient_id, str(attachment))

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]], **kwargs: Any) -> None:
        for element in elements:
            text = "\n".join(str(element[k]) for k in ("title", "subtitle") if element.get(k))
            await self.send_text_with_buttons(recipient_id, text, list(element.get("buttons") or []))

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        # A custom message is a Bot Framework activity (e.g. with attachments); fill in the addressing.
        await self.post(self._activity(**json_message))


# --- incoming: mapping activities to messages --------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingMessage:
    """What Rasa needs from one Teams message activity."""

    text: str
    sender_id: str
    metadata: Dict[str, Any] = field(default_factory=dict)


def message_text(activity: Mapping[str, Any]) -> str:
    """The person's words: a card submit's payload, else the text without ``<at>`` mentions."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str) and value["payload"].strip():
        return value["payload"].strip()
    text = activity.get("text")
    if not isinstance(text, str):
        return ""
    return " ".join(MENTION.sub(" ", text).split())


def sender_id(activity: Mapping[str, Any], link_by_aad: bool = False) -> Optional[str]:
    """``sso:{aadObjectId}`` when linking by Entra id, else ``teams:{aadObjectId or from.id}``."""
    sender = _object(activity, "from")
    aad = sender.get("aadObjectId")
    if link_by_aad and aad:
        return f"sso:{aad}"
    person = aad or sender.get("id")
    return f"teams:{person}" if person else None


def tenant_of(activity: Mapping[str, Any]) -> Optional[str]:
    """The Microsoft 365 tenant the activity comes from."""
    conversation = _object(activity, "conversation")
    channel_data = _object(activity, "channelData")
    tenant = _object(channel_data, "tenant")
    found = conversation.get("tenantId") or tenant.get("id")
    return str(found) if found else None


def tenants_named(activity: Mapping[str, Any]) -> Tuple[str, ...]:
    """Every tenant id the activity gives (``conversation.tenantId`` and ``channelData.tenant.id``)."""
    conversation = _object(activity, "conversation")
    tenant = _object(_object(activity, "channelData"), "tenant")
    return tuple(str(found) for found in (conversation.get("tenantId"), tenant.get("id")) if found)


def incoming_message(activity: Mapping[str, Any], link_by_aad: bool = False) -> Optional[IncomingMessage]:
    """The message in a ``message`` activity, or None when there is nothing for the coach to read."""
    if activity.get("type") != "message":
        return None
    text = message_text(activity)
    sender = sender_id(activity, link_by_aad)
    conversation = _object(activity, "conversation")
    if not text or not sender or not conversation.get("id"):
        return None
    person = _object(activity, "from")
    metadata = {
        "channel": "teams",
        "conversation_id": conversation.get("id"),
        "service_url": activity.get("serviceUrl"),
        "tenant_id": tenant_of(activity),
        "aad_object_id": person.get("aadObjectId"),
        "activity_id": activity.get("id"),
        "channel_id": activity.get("channelId"),
    }
    return IncomingMessage(text=text, sender_id=sender, metadata=metadata)


class TeamsInput(InputChannel):
    """Microsoft Teams via the Bot Framework: ``POST /webhooks/teams/webhook``."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(TeamsSettings.from_credentials(credentials))

    def __init__(self, settings: TeamsSettings, *, key_ttl: float = KEY_TTL_SECONDS,
                 refresh_cooldown: float = REFRESH_COOLDOWN_SECONDS) -> None:
        # Nothing is fetched here: the keys come with the first activity, so the server starts offline.
        self.settings = settings
        self.http = HttpPool()
        self.keys = SigningKeys(settings.openid_metadata_urls, self.http, ttl=key_ttl,
                                refresh_cooldown=refresh_cooldown)
        self.validator = TokenValidator(settings, self.keys)
        self.connector = BotConnector(settings, self.http)
        if not settings.configured:  # normal when Teams is not in use, so only a note
            logger.info("teams: no app_id/app_password (TEAMS_APP_ID, TEAMS_APP_PASSWORD); "
                        "the Teams webhook will refuse every activity")
        elif not settings.allowed_tenants:
            logger.warning("teams: no tenant allow-list (TEAMS_ALLOWED_TENANTS or TEAMS_TENANT_ID): "
                           "people from any Microsoft 365 tenant can talk to the coach")

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # a reply needs a conversation and serviceUrl, which only an incoming activity gives

    def output_for(self, activity: Mapping[str, Any]) -> TeamsOutput:
        """The channel that replies into the activity's conversation."""
        return TeamsOutput(self.connector, str(activity.get("serviceUrl")), activity.get("conversation") or {},
                           bot=activity.get("recipient"), user=activity.get("from"),
                           reply_to_id=activity.get("id"), button_style=self.settings.button_style)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams = Blueprint("teams_webhook", __name__)
        settings = load_settings()
        # An over-long or too-quick message gets a kind reply and never reaches the NLU; no body over the size
        # limit is read.
        server: Dict[str, Any] = {}
        on_new_message = guard_messages(read_typed_picks(on_new_message, server), settings)
        limit_request_size(teams, settings)
        remember_server(teams, server)

        @teams.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.settings.configured})

        @teams.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.settings.configured:
                logger.warning("teams: an activity arrived but TEAMS_APP_ID/TEAMS_APP_PASSWORD are not set")
                return response.json({"error": "the Teams channel is not configured"}, status=503)
            if not request.headers.get("Authorization"):
                return response.json({"error": "unauthorized"}, status=401)
            try:
                activity = json.loads(request.body or b"")
            except ValueError:
                activity = None
            if not isinstance(activity, dict):
                return response.json({"error": "the body must be a JSON activity"}, status=400)
            try:
                await self.validator.validate(request.headers.get("Authorization"), activity)
            except Unauthorized as reason:
                logger.warning("teams: refused an activity: %s", reason)
                return response.json({"error": "unauthorized"}, status=401)
            if not self.settings.tenant_allowed(activity):  # genuine, but from an organisation not on the list
                logger.warning("teams: refused an activity from a tenant not on the allow-list")
                return response.json({"error": "forbidden"}, status=403)

            message = incoming_message(activity, self.settings.link_by_aad)
            if message is None:  # conversationUpdate, typing, reactions, empty messages: nothing to answer
                return response.json({}, status=200)
            try:
                await on_new_message(UserMessage(message.text, self.output_for(activity), message.sender_id,
                                                 input_channel=self.name(), metadata=message.metadata))
            except Exception:  # answering 5xx makes the Bot Framework retry, and the person would hear twice
                logger.exception("teams: handling a message failed")
            return response.json({}, status=200)

        @teams.listener("after_server_stop")
        async def close_http(*_: Any) -> None:
            await self.http.close()

        return teams
