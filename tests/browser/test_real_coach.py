"""The chat page served by the real coach, in headless Chromium, tried as a new user would."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
import requests

from tests.browser.chat_page import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.servers import API_TOKEN, CoachServers
from tests.web_clients import PageClient

pytestmark = [pytest.mark.browser, pytest.mark.servers]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def bot_texts(page: Any) -> list[str]:
    return list(page.evaluate("() => [...document.querySelectorAll('.sfg-coach-msg--bot')].map(b => b.textContent)"))


def test_a_new_user_opens_the_page_says_hi_and_gets_the_greeting_with_buttons(browser: Any,
                                                                              coach: CoachServers) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{coach.base_url}/webhooks/web/")
    box = page.get_by_label("Message to the coach")
    box.fill("hi")
    box.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].some(b => b.textContent.includes('career'))",
        timeout=30_000,
    )
    assert any("nothing is shared" in t.lower() or "nothing is shared" in t.lower().replace("\n", " ")
               or "say-so" in t for t in bot_texts(page))
    button = page.get_by_role("button", name="Prepare for my career conversation")
    button.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].some(b => b.textContent.includes('Section 1 of'))",
        timeout=30_000,
    )
    page.reload()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].some(b => b.textContent.includes('Section 1 of'))",
        timeout=10_000,
    )
    context.close()


def test_a_client_cannot_open_someone_elses_conversation_by_guessing_a_session_id(coach: CoachServers) -> None:
    first = requests.post(f"{coach.base_url}/webhooks/web/session", json={}, timeout=10).json()
    second = requests.post(f"{coach.base_url}/webhooks/web/session", json={}, timeout=10).json()
    assert first["session_id"] != second["session_id"]
    forged = requests.post(f"{coach.base_url}/webhooks/web/session", json={"token": first["token"] + "x"}, timeout=10)
    assert forged.status_code == 401
    import socketio

    refused = PageClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(coach.base_url, auth={"token": "forged"}, transports=["polling"], wait_timeout=10)

    confirmed: list[str] = []
    client = PageClient()
    client.on("session_confirm", confirmed.append)
    client.connect(coach.base_url, auth={"token": first["token"]}, transports=["polling"], wait_timeout=10)
    client.emit("session_request", {"session_id": second["session_id"]})  # asking for someone else's
    deadline = time.monotonic() + 10
    while not confirmed and time.monotonic() < deadline:
        time.sleep(0.1)
    client.disconnect()
    assert confirmed == [first["session_id"]]


def test_the_urgent_numbers_in_a_crisis_reply_can_be_tapped_on_a_phone(browser: Any, coach: CoachServers) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{coach.base_url}/webhooks/web/")
    box = page.get_by_label("Message to the coach")
    box.fill("i dont want to be alive anymore")
    box.press("Enter")
    page.wait_for_selector('.sfg-coach-msg--bot a[href="tel:116123"]', timeout=30_000)
    hrefs = page.locator(".sfg-coach-msg--bot a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert {"tel:999", "tel:111", "tel:116123", "sms:85258?body=SHOUT"} <= set(hrefs)
    context.close()


def test_a_new_visitor_is_greeted_before_typing_and_a_page_view_starts_no_conversation(
        browser: Any, coach: CoachServers) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700})
    page = context.new_page()
    page.goto(f"{coach.base_url}/webhooks/web/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].some(b => b.textContent.includes('career'))",
        timeout=30_000,
    )
    button = page.get_by_role("button", name="Prepare for my career conversation")
    assert button.is_visible()
    session_id = page.evaluate("() => JSON.parse(localStorage.getItem('sfg-coach-session')).session_id")
    tracker = requests.get(f"{coach.base_url}/conversations/{session_id}/tracker", timeout=10,
                           params={"token": API_TOKEN}).json()
    assert not [e for e in tracker["events"] if e["event"] == "user"], "the greeting sent something to the coach"
    page.reload()
    page.wait_for_timeout(1000)
    assert sum("Scope for Growth coach" in t for t in bot_texts(page)) == 1  # kept with the chat, not repeated
    button.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].some(b => b.textContent.includes('Section 1 of'))",
        timeout=30_000,
    )
    # Back two hours later: welcomed back, and "carry on" asks the question they were on.
    page.evaluate("""(id) => { const key = 'sfg-coach-transcript:' + id;
                              const t = JSON.parse(localStorage.getItem(key));
                              t.forEach(e => { e.at = Date.now() - 2 * 3600 * 1000; });
                              localStorage.setItem(key, JSON.stringify(t)); }""", session_id)
    page.reload()
    page.get_by_role("button", name="Carry on where I was").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sfg-coach-msg--bot')].slice(-2).some(b => "
        "b.textContent.includes('What is your current role'))", timeout=30_000)
    assert sum("Welcome back" in t for t in bot_texts(page)) == 1
    context.close()


def test_after_delete_my_data_the_page_forgets_the_chat_crisis_message_included(browser: Any,
                                                                                 coach: CoachServers) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{coach.base_url}/webhooks/web/")
    box = page.get_by_label("Message to the coach")
    box.fill("i dont want to be alive anymore")
    box.press("Enter")
    page.wait_for_selector('.sfg-coach-msg--bot a[href="tel:116123"]', timeout=30_000)
    first = page.evaluate("() => JSON.parse(localStorage.getItem('sfg-coach-session')).session_id")
    box.fill("delete my data")
    box.press("Enter")
    page.get_by_role("button", name="Yes, delete everything").click()
    page.get_by_text("this chat has been cleared from this device too").wait_for(timeout=30_000)
    assert [t for t in bot_texts(page) if "Done. I've deleted" not in t] == []
    assert not page.locator(".sfg-coach-msg--user").count()
    stored = page.evaluate("() => Object.entries(localStorage).map(([k, v]) => k + ' ' + v).join(' ')")
    assert "alive" not in stored and "116 123" not in stored and first not in stored
    page.reload()
    page.wait_for_timeout(1000)
    assert not any("116 123" in t or "alive" in t for t in bot_texts(page))
    context.close()
