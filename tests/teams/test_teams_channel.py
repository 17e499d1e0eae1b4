"""The Teams channel: only genuine Bot Framework activities reach the coach, and replies reach Teams."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import jwt
import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels.teams import ADAPTIVE_CARD, TeamsInput, TeamsSettings
from tests.e2e.servers import free_port
from tests.teams.conftest import Reply, StartBot
from tests.teams.fake_microsoft import FakeMicrosoft, new_signing_key


def answer_with(*messages: Dict[str, Any]) -> Reply:
    """A fake agent reply: Rasa-style bot messages sent through the message's output channel."""

    async def reply(message: UserMessage) -> None:
        for bot_message in messages:
            await message.output_channel.send_response(message.sender_id, dict(bot_message))

    return reply


# --- what reaches the coach ------------------------------------------------------------------------------------


async def test_a_genuine_message_reaches_the_coach_as_that_person(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("I'd like to prepare for my conversation")

    status = await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert status == 200
    [message] = bot.messages
    assert message.text == "I'd like to prepare for my conversation"
    assert message.sender_id == "teams:aad-user-1"
    assert message.input_channel == "teams"
    assert message.metadata["conversation_id"] == "a:conversation-1"
    assert message.metadata["service_url"] == fake.service_url
    assert message.metadata["tenant_id"] == "tenant-1"
    assert message.metadata["aad_object_id"] == "aad-user-1"


async def test_mentions_of_the_bot_are_left_out_of_the_text(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("<at>Scope for Growth coach</at> find   resources")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert [m.text for m in bot.messages] == ["find resources"]


async def test_pressing_a_card_button_sends_its_payload(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity(None, value={"payload": '/send_plan{"choice": "with_journal"}'})

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 200

    assert [m.text for m in bot.messages] == ['/send_plan{"choice": "with_journal"}']


async def test_someone_without_an_entra_id_is_known_by_their_teams_id(fake: FakeMicrosoft,
                                                                      start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("hi", aad_object_id=None)

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert [m.sender_id for m in bot.messages] == ["teams:29:user-1"]


async def test_linking_by_entra_id_gives_the_same_id_as_a_signed_in_web_user(fake: FakeMicrosoft,
                                                                             start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(link_by_aad=True))
    activity = fake.message_activity("hi", aad_object_id="0f6c1c44-aad")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert [m.sender_id for m in bot.messages] == ["sso:0f6c1c44-aad"]


async def test_conversation_updates_and_typing_are_acknowledged_but_not_passed_on(fake: FakeMicrosoft,
                                                                                  start_bot: StartBot) -> None:
    bot = await start_bot()
    for kind in ("conversationUpdate", "typing", "messageReaction"):
        activity = fake.message_activity(None, activity_type=kind)
        assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 200
    assert bot.messages == []


# --- what never reaches the coach -------------------------------------------------------------------------------


def forged_tokens(fake: FakeMicrosoft, service_url: str) -> Dict[str, str]:
    return {
        "signed with someone else's key": fake.mint_token(service_url, signing_key=new_signing_key()),
        "expired an hour ago": fake.mint_token(service_url, lifetime=-3600),
        "not valid for another hour": fake.mint_token(service_url, nbf=10**10),
        "for another bot": fake.mint_token(service_url, audience="someone-elses-app-id"),
        "from another issuer": fake.mint_token(service_url, iss="https://evil.example"),
        "for another serviceUrl": fake.mint_token("https://attacker.example/teams/"),
        "without a serviceUrl": fake.mint_token(service_url, serviceurl=None),
        "naming an unknown key": fake.mint_token(service_url, kid="no-such-key", signing_key=new_signing_key()),
    }


REFUSALS = ["signed with someone else's key", "expired an hour ago", "not valid for another hour", "for another bot",
            "from another issuer", "for another serviceUrl", "without a serviceUrl", "naming an unknown key"]


@pytest.mark.parametrize("forgery", REFUSALS)
async def test_a_forged_or_misdirected_token_is_refused_and_nothing_reaches_the_coach(
        forgery: str, fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "should never be sent"}))
    activity = fake.message_activity("hello")

    status = await bot.post(activity, forged_tokens(fake, activity["serviceUrl"])[forgery])

    assert status == 401
    assert bot.messages == []
    assert fake.activities == []


@pytest.mark.parametrize("authorization", [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt"])
async def test_a_missing_or_malformed_authorization_header_is_refused(authorization: Any, fake: FakeMicrosoft,
                                                                      start_bot: StartBot) -> None:
    bot = await start_bot()
    status = await bot.post(fake.message_activity("hello"), authorization=authorization)
    assert status == 401
    assert bot.messages == []


async def test_an_unsigned_token_is_refused(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("hello")
    unsigned = jwt.encode({"iss": "https://api.botframework.com", "aud": fake.app_id, "exp": 10**10,
                           "serviceurl": activity["serviceUrl"]}, "", algorithm="none", headers={"kid": fake.kid})

    assert await bot.post(activity, unsigned) == 401
    assert bot.messages == []


async def test_a_key_not_endorsed_for_the_sending_channel_is_refused(fake: FakeMicrosoft,
                                                                     start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("hello", channel_id="webchat")  # the fake's key is endorsed for msteams only

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 401
    assert bot.messages == []


async def test_a_token_whose_service_url_differs_from_the_activity_is_refused(fake: FakeMicrosoft,
                                                                              start_bot: StartBot) -> None:
    # The signed claim is genuine; only the activity's serviceUrl was changed to send replies elsewhere.
    bot = await start_bot(reply=answer_with({"text": "hello"}))
    activity = fake.message_activity("hello")
    token = fake.mint_token(activity["serviceUrl"])
    activity["serviceUrl"] = "http://127.0.0.1:9/elsewhere/"

    assert await bot.post(activity, token) == 401
    assert bot.messages == []
    assert fake.token_requests == []


async def test_when_microsofts_keys_cannot_be_fetched_activities_are_refused_not_crashed(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(openid_metadata_url=f"http://127.0.0.1:{free_port()}/nothing-here"))
    activity = fake.message_activity("hello")

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 401
    assert bot.messages == []


async def test_an_unconfigured_channel_starts_offline_and_refuses_every_activity(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot({})  # Microsoft's real URLs: constructing and serving must not touch them
    activity = fake.message_activity("hello")

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 503
    assert bot.messages == []


# --- signing keys ----------------------------------------------------------------------------------------------


async def test_nothing_is_fetched_until_the_first_activity_then_keys_are_cached(fake: FakeMicrosoft,
                                                                                start_bot: StartBot) -> None:
    bot = await start_bot()
    assert (fake.metadata_requests, fake.jwks_requests) == (0, 0)

    for text in ("one", "two", "three"):
        activity = fake.message_activity(text)
        assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 200

    assert (fake.metadata_requests, fake.jwks_requests) == (1, 1)
    assert [m.text for m in bot.messages] == ["one", "two", "three"]


async def test_a_new_signing_key_is_fetched_once_when_a_token_names_it(fake: FakeMicrosoft,
                                                                       start_bot: StartBot) -> None:
    bot = await start_bot(refresh_cooldown=0)
    first = fake.message_activity("before rotation")
    await bot.post(first, fake.mint_token(first["serviceUrl"]))

    fake.rotate_key()
    second = fake.message_activity("after rotation")
    third = fake.message_activity("again")
    assert await bot.post(second, fake.mint_token(second["serviceUrl"])) == 200
    assert await bot.post(third, fake.mint_token(third["serviceUrl"])) == 200

    assert fake.jwks_requests == 2
    assert [m.text for m in bot.messages] == ["before rotation", "after rotation", "again"]


async def test_made_up_key_ids_do_not_make_the_channel_refetch_keys_every_time(fake: FakeMicrosoft,
                                                                                start_bot: StartBot) -> None:
    bot = await start_bot()  # default cooldown: minutes between refetches
    activity = fake.message_activity("hello")
    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    for n in range(3):
        assert await bot.post(activity, fake.mint_token(activity["serviceUrl"], kid=f"made-up-{n}")) == 401

    assert fake.jwks_requests == 1


# --- replies ---------------------------------------------------------------------------------------------------


async def test_a_reply_is_posted_to_the_conversation_with_a_connector_token(fake: FakeMicrosoft,
                                                                            start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "Hello, I'm your coach.\nWhat would you like to do?"}))
    activity = fake.message_activity("hi")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    [delivery] = fake.deliveries
    assert delivery.conversation_id == "a:conversation-1"
    assert delivery.authorization.removeprefix("Bearer ") in fake.issued_tokens
    sent = delivery.activity
    assert sent["type"] == "message"
    assert sent["textFormat"] == "markdown"
    assert sent["text"] == "Hello, I'm your coach.\n\nWhat would you like to do?"
    assert sent["replyToId"] == activity["id"]
    assert sent["recipient"]["id"] == "29:user-1"
    assert sent["from"]["id"] == f"28:{fake.app_id}"
    assert sent["conversation"]["id"] == "a:conversation-1"


async def test_conversation_ids_with_teams_punctuation_reach_the_right_conversation(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "ok"}))
    conversation = "19:abc@thread.tacv2;messageid=1700000000000"
    activity = fake.message_activity("hi", conversation_id=conversation)

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert [d.conversation_id for d in fake.deliveries] == [conversation]


async def test_the_connector_token_is_fetched_once_and_reused(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "first"}, {"text": "second"}))
    for text in ("one", "two"):
        activity = fake.message_activity(text)
        await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert len(fake.activities) == 4
    assert len(fake.token_requests) == 1
    request = fake.token_requests[0]
    assert request["tenant"] == "botframework.com"
    assert request["form"] == {"grant_type": "client_credentials", "client_id": fake.app_id,
                               "client_secret": fake.app_password, "scope": "https://api.botframework.com/.default"}
    assert len({d.authorization for d in fake.deliveries}) == 1


async def test_a_refused_connector_token_is_replaced_once_and_the_reply_still_arrives(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "still here"}))
    first = fake.message_activity("one")
    await bot.post(first, fake.mint_token(first["serviceUrl"]))

    fake.revoke_tokens()
    second = fake.message_activity("two")
    await bot.post(second, fake.mint_token(second["serviceUrl"]))

    assert [a["text"] for a in fake.activities] == ["still here", "still here"]
    assert len(fake.token_requests) == 2


async def test_a_wrong_app_password_means_no_reply_and_no_crash(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(app_password="wrong"), reply=answer_with({"text": "hello"}))
    activity = fake.message_activity("hi")

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 200
    assert len(bot.messages) == 1
    assert fake.activities == []


MENU = [{"title": "Prepare for my career conversation", "payload": "/start_journey"},
        {"title": "I'm a manager preparing", "payload": "/manager_mode"},
        {"title": "Find resources", "payload": "/find_resources"}]


async def test_up_to_three_plain_buttons_become_suggested_actions(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "What would you like to do next?", "buttons": MENU}))
    activity = fake.message_activity("menu")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    [sent] = fake.activities
    assert sent["text"] == "What would you like to do next?"
    assert "attachments" not in sent
    assert sent["suggestedActions"] == {"to": ["29:user-1"], "actions": [
        {"type": "imBack", "title": b["title"], "value": b["payload"]} for b in MENU]}


def card_of(sent: Dict[str, Any]) -> Dict[str, Any]:
    [attachment] = sent["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD
    return dict(attachment["content"])


async def test_more_than_three_buttons_become_an_adaptive_card(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    buttons = MENU + [{"title": "What do you keep about me?", "payload": "/ask_privacy"}]
    bot = await start_bot(reply=answer_with({"text": "Pick one", "buttons": buttons}))
    activity = fake.message_activity("menu")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    [sent] = fake.activities
    card = card_of(sent)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"] == [{"type": "TextBlock", "text": "Pick one", "wrap": True}]
    assert card["actions"] == [{"type": "Action.Submit", "title": b["title"], "data": {"payload": b["payload"]}}
                               for b in buttons]
    assert "suggestedActions" not in sent


async def test_buttons_carrying_entities_become_a_card_so_no_raw_json_shows_in_the_chat(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    buttons = [{"title": "Yes, include my journal", "payload": '/send_plan{"choice": "with_journal"}'}]
    bot = await start_bot(reply=answer_with({"text": "Would you like a copy with your journal?", "buttons": buttons}))
    activity = fake.message_activity("plan")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    card = card_of(fake.activities[0])
    assert card["actions"][0]["data"] == {"payload": '/send_plan{"choice": "with_journal"}'}


async def test_pressing_a_card_button_round_trips_to_the_coach(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    buttons = MENU + [{"title": "Delete my data", "payload": "/delete_data"}]
    bot = await start_bot(reply=answer_with({"text": "Pick one", "buttons": buttons}))
    first = fake.message_activity("menu")
    await bot.post(first, fake.mint_token(first["serviceUrl"]))

    pressed = card_of(fake.activities[0])["actions"][3]["data"]
    submit = fake.message_activity(None, value=pressed)
    await bot.post(submit, fake.mint_token(submit["serviceUrl"]))

    assert [m.text for m in bot.messages] == ["menu", "/delete_data"]


async def test_button_style_card_always_uses_cards(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(button_style="card"),
                          reply=answer_with({"text": "Go?", "buttons": MENU[:1]}))
    activity = fake.message_activity("hi")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    assert card_of(fake.activities[0])["actions"][0]["data"] == {"payload": "/start_journey"}


async def test_a_file_attachment_is_sent_as_a_link(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    plan = {"type": "file", "payload": {"src": "https://coach.example.nhs.uk/webhooks/web/documents/abc.pdf",
                                        "title": "My development plan (PDF)"}}
    bot = await start_bot(reply=answer_with({"attachment": plan}))
    activity = fake.message_activity("send my plan")

    await bot.post(activity, fake.mint_token(activity["serviceUrl"]))

    texts: List[str] = [a["text"] for a in fake.activities]
    assert texts == ["[My development plan (PDF)](https://coach.example.nhs.uk/webhooks/web/documents/abc.pdf)"]


# --- single tenant ----------------------------------------------------------------------------------------------


def test_a_single_tenant_bot_uses_its_tenants_token_endpoint_and_issuers() -> None:
    settings = TeamsSettings.from_credentials({"app_id": "app", "app_password": "secret", "tenant_id": "t-123"})

    assert settings.token_endpoint == "https://login.microsoftonline.com/t-123/oauth2/v2.0/token"
    assert settings.issuers == ("https://api.botframework.com", "https://sts.windows.net/t-123/",
                                "https://login.microsoftonline.com/t-123/v2.0")
    assert settings.openid_metadata_urls[0] == "https://login.botframework.com/v1/.well-known/openidconfiguration"


def test_a_multi_tenant_bot_uses_the_botframework_token_endpoint_and_issuer() -> None:
    settings = TeamsSettings.from_credentials({"app_id": "app", "app_password": "secret"})

    assert settings.token_endpoint == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert settings.issuers == ("https://api.botframework.com",)


def test_credentials_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "env-app")
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "env-secret")
    monkeypatch.setenv("MY_TENANT", "env-tenant")
    monkeypatch.setenv("TEAMS_TOKEN_ENDPOINT", "http://127.0.0.1:1/token")

    settings = TeamsSettings.from_credentials({"tenant_id": "${MY_TENANT}", "link_by_aad": "true"})

    assert (settings.app_id, settings.app_password, settings.tenant_id) == ("env-app", "env-secret", "env-tenant")
    assert settings.token_endpoint == "http://127.0.0.1:1/token"
    assert settings.link_by_aad is True
    assert isinstance(TeamsInput.from_credentials({"app_id": "a", "app_password": "b"}), TeamsInput)


async def test_a_single_tenant_bot_gets_its_token_from_its_tenant_and_accepts_entra_tokens(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    credentials = fake.credentials(tenant_id="t-123")
    credentials.pop("openid_metadata_url")
    credentials.pop("token_endpoint")
    settings = TeamsSettings.from_credentials(credentials)
    # Same endpoints as Microsoft's, on the fake's host.
    credentials.update(openid_metadata_url=fake.openid_url,
                       token_endpoint=settings.token_endpoint.replace("https://login.microsoftonline.com", fake.url))
    bot = await start_bot(credentials, reply=answer_with({"text": "hello"}))
    activity = fake.message_activity("hi", tenant_id="t-123")  # a single-tenant bot hears from its own tenant

    status = await bot.post(activity, fake.mint_token(activity["serviceUrl"], iss="https://sts.windows.net/t-123/"))

    assert status == 200 and len(bot.messages) == 1
    assert [r["tenant"] for r in fake.token_requests] == ["t-123"]
    assert len(fake.activities) == 1


async def test_a_multi_tenant_bot_refuses_entra_issued_tokens(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("hi")

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"],
                                                    iss="https://sts.windows.net/t-123/")) == 401


async def test_simultaneous_first_messages_share_one_key_fetch_and_one_connector_token(
        fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(reply=answer_with({"text": "hello"}))
    activities = [fake.message_activity(f"message {n}", conversation_id=f"a:conversation-{n}") for n in range(5)]

    statuses = await asyncio.gather(*(bot.post(a, fake.mint_token(a["serviceUrl"])) for a in activities))

    assert statuses == [200] * 5
    assert (fake.metadata_requests, fake.jwks_requests, len(fake.token_requests)) == (1, 1, 1)
    assert sorted(d.conversation_id for d in fake.deliveries) == [f"a:conversation-{n}" for n in range(5)]


# --- limits -------------------------------------------------------------------------------------------------------


async def test_an_over_long_message_gets_a_kind_reply_and_never_reaches_the_coach(fake: FakeMicrosoft,
                                                                                   start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("x" * 60_000)
    before = len(fake.activities)

    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 200

    assert bot.messages == []
    [reply] = fake.wait_for_activities(before + 1)[before:]
    assert "longer than I can take in one go" in reply["text"] and "5,000" in reply["text"]
    ok = fake.message_activity("x" * 5_000)
    assert await bot.post(ok, fake.mint_token(ok["serviceUrl"])) == 200
    assert [len(m.text) for m in bot.messages] == [5_000]


async def test_a_body_over_the_size_limit_is_refused_unread(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot()
    activity = fake.message_activity("x" * 1_000_000)
    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 413
    assert bot.messages == []


# --- tenant allow-list ------------------------------------------------------------------------------------------


async def test_a_single_tenant_bot_refuses_a_genuine_activity_from_another_tenant(fake: FakeMicrosoft,
                                                                                 start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(tenant_id="tenant-1"), reply=answer_with({"text": "hello"}))
    own = fake.message_activity("hi", tenant_id="tenant-1")
    other = fake.message_activity("review my journal", tenant_id="another-trust")

    assert await bot.post(other, fake.mint_token(other["serviceUrl"])) == 403
    assert bot.messages == [] and fake.activities == []  # not processed, and nothing was sent to Teams
    assert await bot.post(own, fake.mint_token(own["serviceUrl"])) == 200
    assert [m.text for m in bot.messages] == ["hi"]


async def test_the_allow_list_setting_names_the_tenants_and_replaces_the_default(
        fake: FakeMicrosoft, start_bot: StartBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_ALLOWED_TENANTS", "Trust-A, trust-b")
    bot = await start_bot(fake.credentials())  # multi-tenant registration, two trusts allowed
    assert bot.channel.settings.allowed_tenants == ("trust-a", "trust-b")
    for tenant, status in [("trust-a", 200), ("TRUST-B", 200), ("tenant-1", 403), ("trust-c", 403)]:
        activity = fake.message_activity(f"hello from {tenant}", tenant_id=tenant)
        assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == status, tenant
    assert [m.text for m in bot.messages] == ["hello from trust-a", "hello from TRUST-B"]


async def test_conversation_updates_from_another_tenant_are_refused_too(fake: FakeMicrosoft,
                                                                        start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(allowed_tenants=["tenant-1"]))
    activity = fake.message_activity(None, activity_type="conversationUpdate", tenant_id="another-trust")
    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 403


@pytest.mark.parametrize("where", ["mixed", "missing"])
async def test_an_activity_that_hides_or_mixes_its_tenant_is_refused(fake: FakeMicrosoft, start_bot: StartBot,
                                                                     where: str) -> None:
    bot = await start_bot(fake.credentials(allowed_tenants="tenant-1"))
    activity = fake.message_activity("hi", tenant_id="tenant-1")
    if where == "mixed":  # the conversation's tenant is allowed, the channel data names another
        activity["channelData"]["tenant"]["id"] = "another-trust"
    else:
        activity["conversation"].pop("tenantId")
        activity.pop("channelData")
    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"])) == 403
    assert bot.messages == []


async def test_a_forged_token_is_still_401_whatever_the_tenant(fake: FakeMicrosoft, start_bot: StartBot) -> None:
    bot = await start_bot(fake.credentials(tenant_id="tenant-1"))
    activity = fake.message_activity("hi", tenant_id="another-trust")
    assert await bot.post(activity, fake.mint_token(activity["serviceUrl"], signing_key=new_signing_key())) == 401


def test_without_a_tenant_id_or_list_any_tenant_is_accepted_and_a_tenant_id_is_the_default_list() -> None:
    multi = TeamsSettings.from_credentials({"app_id": "app", "app_password": "secret"})
    assert multi.allowed_tenants == () and multi.tenant_allowed({"conversation": {"tenantId": "anyone"}})
    single = TeamsSettings.from_credentials({"app_id": "app", "app_password": "secret", "tenant_id": "T-123"})
    assert single.allowed_tenants == ("t-123",)
    listed = TeamsSettings.from_credentials({"app_id": "app", "app_password": "secret", "tenant_id": "t-123",
                                             "allowed_tenants": ["t-123", "t-456"]})
    assert listed.allowed_tenants == ("t-123", "t-456")
