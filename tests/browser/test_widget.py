"""Browser tests of the coach's web chat widget (bot/web/) against a fake Rasa web channel."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from chat_page import AXE, ChatPage
from fake_coach import DELETE_EVERYTHING, DELETED, SIGNED_SESSION, SIGNED_TOKEN, XSS_TEXT
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OpenChat = Callable[..., ChatPage]
UNREACHABLE = "I can't reach the coach right now"


def _unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_reply(chat: ChatPage, text: str) -> None:
    expect(chat.page.locator(".sfg-coach-msg--bot").last).to_contain_text(text)


def test_demo_page_opens_the_chat_with_title_and_privacy_line(open_chat: OpenChat) -> None:
    chat = open_chat()
    panel = chat.page.get_by_role("region", name="Scope for Growth coach")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Your journal is yours. Nothing is shared without your say-so.")
    expect(chat.page.get_by_role("log", name="Conversation with the coach")).to_have_attribute("aria-live", "polite")
    expect(chat.page.get_by_role("button", name="Send")).to_be_visible()


def test_sending_a_message_shows_it_and_the_coach_reply(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("I'd like to prepare for my conversation")
    _wait_for_reply(chat, "You said: I'd like to prepare for my conversation")
    assert chat.user_texts() == ["I'd like to prepare for my conversation"]
    stored = chat.stored_session()
    assert stored is not None
    received = chat.coach.record.user_messages[-1]
    assert received == {"message": "I'd like to prepare for my conversation", "session_id": stored["session_id"]}
    expect(chat.page.locator(".sfg-coach-typing")).to_be_hidden()
    assert chat.page_errors == []


def test_quick_replies_are_real_buttons_usable_with_the_keyboard_only(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("hi")
    choice = chat.page.get_by_role("button", name="Start my journal")
    expect(choice).to_be_visible()
    assert choice.evaluate("(el) => el.tagName") == "BUTTON"
    # From the message box, Shift+Tab walks back through the suggested replies.
    chat.input.focus()
    for _ in range(6):
        if choice.evaluate("(el) => el === document.activeElement"):
            break
        chat.page.keyboard.press("Shift+Tab")
    assert choice.evaluate("(el) => el === document.activeElement"), "Tab never reached the quick reply"
    assert choice.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none", "focus must be visible"
    chat.page.keyboard.press("Enter")
    _wait_for_reply(chat, "You said: /start_journal")
    assert chat.user_texts() == ["hi", "Start my journal"]  # the title is shown, the payload is sent
    assert chat.coach.record.messages()[-1] == "/start_journal"
    expect(chat.page.locator(".sfg-coach-choice")).to_have_count(0)  # used replies are removed
    assert chat.input.evaluate("(el) => el === document.activeElement")


def test_rasa_buttons_render_and_space_activates_them(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("buttons")
    not_now = chat.page.get_by_role("button", name="Not now")
    expect(not_now).to_be_visible()
    not_now.focus()
    chat.page.keyboard.press("Space")
    _wait_for_reply(chat, "You said: /deny")
    assert chat.user_texts()[-1] == "Not now"


def test_reload_keeps_the_conversation_and_the_same_session(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("Remember this, please")
    _wait_for_reply(chat, "You said: Remember this, please")
    first = chat.stored_session()
    posts_before = len(chat.coach.record.session_posts)

    chat.page.reload()
    expect(chat.page.locator(".sfg-coach-msg--bot")).to_have_count(1)
    assert chat.user_texts() == ["Remember this, please"]
    assert chat.bot_texts() == ["You said: Remember this, please"]
    chat.send("And this")
    _wait_for_reply(chat, "You said: And this")

    assert first is not None
    assert chat.coach.record.session_posts[posts_before] == {"token": first["token"]}  # resumed, not new
    assert chat.stored_session() == first
    assert chat.coach.record.user_messages[-1]["session_id"] == first["session_id"]
    transcript = chat.page.evaluate(
        "(id) => JSON.parse(localStorage.getItem('sfg-coach-transcript:' + id))", first["session_id"]
    )
    assert [entry["from"] for entry in transcript] == ["user", "bot", "user", "bot"]


def test_after_a_reload_the_chat_opens_at_its_latest_message(open_chat: OpenChat) -> None:
    chat = open_chat(viewport={"width": 375, "height": 640})
    for n in range(12):
        chat.send(f"Message number {n}, long enough to take a line or two in a narrow chat panel")
        _wait_for_reply(chat, f"You said: Message number {n},")
    chat.page.reload()
    expect(chat.page.locator(".sfg-coach-msg--bot")).to_have_count(12)
    chat.page.wait_for_timeout(500)  # stylesheet and layout settled
    gap = chat.page.evaluate("() => { const log = document.querySelector('.sfg-coach-log');"
                             " return log.scrollHeight - log.clientHeight - log.scrollTop; }")
    assert gap <= 2, f"{gap} px of newer messages are below the visible part of the chat"


def test_someone_back_after_a_while_is_welcomed_back_once_with_a_way_to_carry_on(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("Remember this, please")
    _wait_for_reply(chat, "You said: Remember this, please")
    asked = len(chat.coach.record.session_requests)
    chat.page.reload()  # a moment later: no welcome back
    expect(chat.page.locator(".sfg-coach-msg--bot")).to_have_count(1)
    # The page writes its history back once its connection is confirmed: let that happen before the edit below,
    # or, on a busy machine, it lands after the edit and undoes it.
    deadline = time.monotonic() + 10
    while len(chat.coach.record.session_requests) == asked and time.monotonic() < deadline:
        time.sleep(0.05)
    chat.page.wait_for_timeout(500)
    session = chat.stored_session()
    assert session is not None
    chat.page.evaluate(  # as if the last message were two hours old
        """(id) => { const key = 'sfg-coach-transcript:' + id; const t = JSON.parse(localStorage.getItem(key));
                     t.forEach(e => { e.at = Date.now() - 2 * 3600 * 1000; });
                     localStorage.setItem(key, JSON.stringify(t)); }""", session["session_id"])
    chat.page.reload()
    _wait_for_reply(chat, "Welcome back. Would you like to carry on where you left off?")
    expect(chat.page.get_by_role("button", name="Carry on where I was")).to_be_visible()
    chat.page.reload()
    expect(chat.page.locator(".sfg-coach-msg--bot")).to_have_count(2)  # once, not again on the next reload
    chat.page.get_by_role("button", name="Carry on where I was").click()
    deadline = time.monotonic() + 10
    while "/where_was_i" not in chat.coach.record.messages() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert chat.coach.record.messages()[-1] == "/where_was_i"


def test_a_reply_taller_than_the_panel_opens_at_its_start_so_the_question_stays_in_view(
        open_chat: OpenChat) -> None:
    chat = open_chat(viewport={"width": 375, "height": 640}, is_mobile=True, has_touch=True)
    for n in range(4):
        chat.send(f"Earlier message {n}")
        _wait_for_reply(chat, f"You said: Earlier message {n}")
    chat.send("long")
    _wait_for_reply(chat, "Pick one, or answer in your own words.")
    chat.page.wait_for_timeout(800)  # smooth scrolling settled
    question = chat.page.get_by_text("Section 2 of 6: What would help you")
    top, bottom = question.evaluate("(el) => { const b = el.getBoundingClientRect(); return [b.top, b.bottom]; }")
    log_top, log_bottom = chat.page.evaluate("() => { const b = document.querySelector('.sfg-coach-log')"
                                             ".getBoundingClientRect(); return [b.top, b.bottom]; }")
    assert log_top <= top and bottom <= log_bottom, "the question scrolled out of view"
    chat.send("short again")
    _wait_for_reply(chat, "You said: short again")
    chat.page.wait_for_timeout(800)
    gap = chat.page.evaluate("() => { const log = document.querySelector('.sfg-coach-log');"
                             " return log.scrollHeight - log.clientHeight - log.scrollTop; }")
    assert gap <= 2, "a short reply should show the latest message"


def test_reload_keeps_unanswered_quick_replies_usable(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("hi")
    expect(chat.page.get_by_role("button", name="Find help")).to_be_visible()
    chat.page.reload()
    chat.page.get_by_role("button", name="Find help").click()
    _wait_for_reply(chat, "You said: /find_help")
    assert chat.user_texts() == ["hi", "Find help"]
    expect(chat.page.locator(".sfg-coach-choice")).to_have_count(0)


def test_html_in_user_and_bot_text_is_shown_as_text_and_never_runs(open_chat: OpenChat) -> None:
    chat = open_chat()
    attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    chat.send(attack)
    _wait_for_reply(chat, "You said: <img src=x")
    chat.send("xss")
    _wait_for_reply(chat, XSS_TEXT)
    chat.page.reload()  # history is re-rendered from storage: must be just as safe
    expect(chat.page.locator(".sfg-coach-msg--bot")).to_have_count(2)
    chat.send("one more round trip so any injected handler would have fired")
    _wait_for_reply(chat, "one more round trip")

    assert chat.user_texts()[:2] == [attack, "xss"]
    assert chat.bot_texts()[:2] == [f"You said: {attack}", XSS_TEXT]
    widget = chat.page.locator("[data-sfg-coach]")
    expect(widget.locator("img")).to_have_count(0)
    expect(widget.locator(".sfg-coach-log script")).to_have_count(0)
    assert chat.page.evaluate("() => window.__pwned") is None
    assert chat.dialogs == []


def test_links_are_http_only_and_attachments_become_download_links(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("links")
    _wait_for_reply(chat, "Custom JSON still shows its text.")
    hrefs = chat.page.locator(".sfg-coach-log a").evaluate_all("(links) => links.map((a) => a.href)")
    assert hrefs, "expected links"
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    expect(chat.page.get_by_role("link", name="the guide")).to_have_attribute(
        "href", f"{chat.coach.origin}/files/plan.txt"
    )
    expect(chat.page.get_by_role("link", name="this", exact=True)).to_have_count(0)
    assert "not this. More at" in chat.bot_texts()[0]  # the unsafe link's words stay, as text
    download = chat.page.get_by_role("link", name="Download: Your draft plan")
    expect(download).to_have_attribute("href", f"{chat.coach.origin}/files/plan.txt")
    expect(download).to_have_attribute("rel", "noopener noreferrer")


def test_the_coachs_phone_numbers_can_be_tapped_and_other_numbers_stay_text(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("phones")
    _wait_for_reply(chat, "Band 5 since 2025")
    links = chat.page.locator(".sfg-coach-msg--bot a").evaluate_all(
        "(links) => links.map((a) => [a.textContent, a.getAttribute('href')])")
    assert sorted(map(tuple, links)) == [("111", "tel:111"), ("116 123", "tel:116123"),
                                         ("85258", "sms:85258?body=SHOUT"), ("999", "tel:999")]
    chat.send("please call 999 on 116 123")  # the person's own words are never turned into links
    _wait_for_reply(chat, "You said: please call 999")
    expect(chat.page.locator(".sfg-coach-msg--user a")).to_have_count(0)


def test_empty_message_is_not_sent_and_a_gentle_hint_appears(open_chat: OpenChat) -> None:
    chat = open_chat()
    sent_before = len(chat.coach.record.user_messages)
    chat.input.press("Enter")
    chat.send("   \n  ")
    chat.page.get_by_role("button", name="Send").click()
    expect(chat.page.get_by_text("Type a message first, then press Send.")).to_be_visible()
    expect(chat.page.locator(".sfg-coach-msg--user")).to_have_count(0)
    # A real message afterwards is the first (and only) one the server sees from this page.
    chat.send("ok")
    _wait_for_reply(chat, "You said: ok")
    assert chat.coach.record.messages()[sent_before:] == ["ok"]
    expect(chat.page.get_by_text("Type a message first, then press Send.")).to_be_hidden()


def test_very_long_message_gets_a_counter_and_a_kind_limit(open_chat: OpenChat) -> None:
    chat = open_chat()
    sent_before = len(chat.coach.record.user_messages)
    chat.input.fill("a" * 5001)
    expect(chat.page.get_by_text("5,001 of 5,000 characters")).to_be_visible()
    expect(chat.input).to_have_attribute("aria-invalid", "true")
    chat.input.press("Enter")
    expect(chat.page.get_by_text("Could you shorten it, or split it into two messages?")).to_be_visible()
    assert chat.user_texts() == []
    chat.input.press("Backspace")
    expect(chat.page.get_by_text("5,000 of 5,000 characters")).to_be_visible()
    chat.input.press("Enter")
    _wait_for_reply(chat, "You said: aaaa")
    assert [len(text) for text in chat.coach.record.messages()[sent_before:]] == [5000]


def test_typing_indicator_shows_until_a_reply_and_times_out_kindly(open_chat: OpenChat, fake_coach: Any) -> None:
    # A short widget timeout (data-typing-timeout) so the "no reply" path is reached quickly.
    chat = open_chat(fake_coach.host_page_url(open="true", **{"typing-timeout": "800"}))
    typing = chat.page.locator(".sfg-coach-typing")
    chat.send("silent")
    expect(typing).to_be_visible()
    expect(chat.page.get_by_text("The coach is taking longer than usual to reply.")).to_be_visible()
    expect(typing).to_be_hidden()
    chat.send("hello again")
    _wait_for_reply(chat, "You said: hello again")
    expect(typing).to_be_hidden()
    expect(chat.page.get_by_text("taking longer than usual")).to_be_hidden()


def test_unreachable_server_shows_a_kind_message(open_chat: OpenChat, fake_coach: Any) -> None:
    dead_server = f"http://127.0.0.1:{_unused_port()}"
    chat = open_chat(fake_coach.host_page_url(open="true", server=dead_server))
    expect(chat.page.get_by_role("status").filter(has_text=UNREACHABLE)).to_be_visible()
    chat.send("Is anyone there?")
    assert chat.user_texts() == ["Is anyone there?"]  # kept, to be sent once the coach is reachable
    expect(chat.page.locator(".sfg-coach-typing")).to_be_hidden()  # nothing is "typing" while offline
    assert chat.page_errors == []


def test_refused_token_shows_a_kind_message_with_a_retry_button(open_chat: OpenChat, fake_coach: Any) -> None:
    refused_before = fake_coach.record.refused_connects
    chat = open_chat(fake_coach.host_page_url(open="true", token="not-a-real-token"))
    expect(chat.page.get_by_text(UNREACHABLE)).to_be_visible()
    expect(chat.page.get_by_role("button", name="Try again")).to_be_visible()
    assert fake_coach.record.refused_connects > refused_before


def test_signed_in_token_connects_without_an_anonymous_session(open_chat: OpenChat, fake_coach: Any) -> None:
    posts_before = len(fake_coach.record.session_posts)
    chat = open_chat(fake_coach.host_page_url(open="true", token=SIGNED_TOKEN, title="Your career coach"))
    expect(chat.page.get_by_role("heading", name="Your career coach")).to_be_visible()
    chat.send("signed in hello")
    _wait_for_reply(chat, "You said: signed in hello")
    assert len(fake_coach.record.session_posts) == posts_before
    assert fake_coach.record.user_messages[-1]["session_id"] == SIGNED_SESSION
    assert chat.stored_session() == {"session_id": SIGNED_SESSION, "signed": True}


def test_launcher_opens_the_panel_and_escape_closes_it(open_chat: OpenChat, fake_coach: Any) -> None:
    chat = open_chat(fake_coach.host_page_url())
    launcher = chat.page.get_by_role("button", name="Chat with the coach")
    panel = chat.page.get_by_role("region", name="Scope for Growth coach")
    expect(panel).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    chat.page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    assert chat.input.evaluate("(el) => el === document.activeElement")
    chat.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert launcher.evaluate("(el) => el === document.activeElement")


def _focus_after_tabs(chat: ChatPage, presses: int) -> list[bool]:
    """For each press of Tab, whether focus is inside the chat."""
    inside = []
    for _ in range(presses):
        chat.page.keyboard.press("Tab")
        inside.append(chat.page.evaluate("() => !!document.activeElement.closest('.sfg-coach')"))
    return inside


def test_on_a_phone_focus_never_goes_behind_the_open_panel(open_chat: OpenChat, fake_coach: Any) -> None:
    chat = open_chat(fake_coach.host_page_url(), viewport={"width": 375, "height": 700}, is_mobile=True,
                     has_touch=True)
    chat.page.get_by_role("button", name="Chat with the coach").click()
    chat.send("hi")
    expect(chat.page.get_by_role("button", name="Find help")).to_be_visible()
    assert all(_focus_after_tabs(chat, 25)), "Tab reached the page hidden behind the chat"
    chat.page.get_by_role("button", name="Close the coach chat").click()
    assert not all(_focus_after_tabs(chat, 4)), "the page should be usable again once the chat is closed"


def test_on_a_wide_screen_the_page_beside_the_panel_stays_usable(open_chat: OpenChat, fake_coach: Any) -> None:
    chat = open_chat(fake_coach.host_page_url(open="true"))
    expect(chat.input).to_be_visible()
    assert not all(_focus_after_tabs(chat, 25))


def test_clear_forgets_the_conversation_on_this_device(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("private thoughts")
    _wait_for_reply(chat, "You said: private thoughts")
    first = chat.stored_session()
    chat.page.get_by_role("button", name="Clear this chat from this device and start again").click()
    expect(chat.page.get_by_text("This chat has been cleared from this device.")).to_be_visible()
    expect(chat.page.locator(".sfg-coach-msg")).to_have_count(0)
    second = chat.stored_session()
    assert first is not None and second is not None
    assert second["session_id"] != first["session_id"]
    keys = chat.page.evaluate("() => Object.keys(localStorage)")
    assert f"sfg-coach-transcript:{first['session_id']}" not in keys


def test_after_delete_my_data_the_widget_forgets_the_whole_chat_on_this_device(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("phones")  # the crisis message, which must not stay on a shared computer either
    _wait_for_reply(chat, "Band 5 since 2025")
    chat.send("my private worries")
    _wait_for_reply(chat, "You said: my private worries")
    first = chat.stored_session()
    assert first is not None

    chat.send(DELETE_EVERYTHING)
    expect(chat.page.get_by_text("this chat has been cleared from this device too")).to_be_visible()
    assert chat.bot_texts() == [DELETED] and chat.user_texts() == []
    keys = chat.page.evaluate("() => Object.keys(localStorage)")
    assert f"sfg-coach-transcript:{first['session_id']}" not in keys
    chat.page.wait_for_function("(old) => { const s = JSON.parse(localStorage.getItem('sfg-coach-session'));"
                                " return s && s.session_id !== old; }", arg=first["session_id"])
    second = chat.stored_session()
    assert second is not None and second["session_id"] != first["session_id"]  # a fresh session, not the revoked one
    stored = chat.page.evaluate("() => Object.values(localStorage).join(' ')")
    assert "my private worries" not in stored and "116 123" not in stored

    chat.page.reload()
    chat.send("hello again")
    _wait_for_reply(chat, "You said: hello again")
    assert chat.user_texts() == ["hello again"]
    assert not any("116 123" in text or "private worries" in text for text in chat.bot_texts())
    assert chat.coach.record.user_messages[-1]["session_id"] == second["session_id"]
    assert chat.page_errors == []


def test_axe_finds_no_serious_or_critical_accessibility_problems(open_chat: OpenChat) -> None:
    chat = open_chat()
    chat.send("hi")
    expect(chat.page.get_by_role("button", name="Find help")).to_be_visible()
    chat.page.add_script_tag(path=str(AXE))
    result = chat.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{item['id']} ({item['impact']}): {item['help']}"
        for item in result["violations"]
        if item["impact"] in ("serious", "critical")
    ]
    assert serious == []
    chat.page.screenshot(path="/tmp/sfg-coach-desktop.png")


def test_mobile_width_has_no_horizontal_scroll_and_the_input_is_visible(open_chat: OpenChat) -> None:
    chat = open_chat(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    chat.send("hi")
    expect(chat.page.get_by_role("button", name="Start my journal")).to_be_visible()
    chat.send("averyveryverylongwordwithoutanyspaces" * 8)
    _wait_for_reply(chat, "You said: averyvery")
    widths = chat.page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"]
    expect(chat.input).to_be_in_viewport()
    box = chat.input.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["y"] >= 0 and box["y"] + box["height"] <= 640
    chat.page.screenshot(path="/tmp/sfg-coach-mobile.png")


def test_reduced_motion_turns_animation_off(open_chat: OpenChat) -> None:
    chat = open_chat(reduced_motion="reduce")
    chat.send("hello")
    _wait_for_reply(chat, "You said: hello")
    names = chat.page.evaluate(
        "() => [...document.querySelectorAll('.sfg-coach-panel, .sfg-coach-msg, .sfg-coach-dot')]"
        ".map((el) => getComputedStyle(el).animationName)"
    )
    assert names and set(names) == {"none"}
