"""Fixtures for browser tests of the web chat widget: a fake coach server and headless Debian Chromium."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Import the test support modules by path so this works whatever pytest import mode the project picks.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_page import AXE, CHROMIUM, CHROMIUM_ARGS, DESKTOP, ChatPage  # noqa: E402
from fake_coach import SOCKET_IO_CLIENT, FakeCoach  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """Register the browser marker so the suite can be selected or skipped with -m."""
    config.addinivalue_line("markers", "browser: drives the web widget in headless Chromium")


@pytest.fixture(scope="module")
def fake_coach() -> Iterator[FakeCoach]:
    """The fake coach server, started once for the module."""
    missing = [str(path) for path in (CHROMIUM, SOCKET_IO_CLIENT, AXE) if not path.exists()]
    if missing:
        pytest.fail("browser tests need Debian chromium and `npm ci` in bot/web (make test installs both); missing: "
                    + ", ".join(missing))
    coach = FakeCoach()
    coach.start()
    yield coach
    coach.stop()


@pytest.fixture(scope="module")
def chromium(fake_coach: FakeCoach) -> Iterator[Any]:
    """Headless Debian Chromium (never a Playwright-downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_chat(chromium: Any, fake_coach: FakeCoach) -> Iterator[Callable[..., ChatPage]]:
    """Open a page in a fresh browser profile (empty localStorage); defaults to the demo page on a desktop."""
    contexts: list[Any] = []

    def _open(url: str | None = None, viewport: dict[str, int] | None = None, **context_options: Any) -> ChatPage:
        context = chromium.new_context(viewport=viewport or DESKTOP, **context_options)
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        chat = ChatPage(page=page, coach=fake_coach)

        def on_dialog(dialog: Any) -> None:
            chat.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: chat.page_errors.append(str(error)))
        page.goto(url or fake_coach.base_url)
        return chat

    yield _open
    for context in contexts:
        context.close()
