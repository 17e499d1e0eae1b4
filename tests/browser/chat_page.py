"""The page object used by the widget's browser tests: a Chromium page with the widget on it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fake_coach import WEB_DIR, FakeCoach

CHROMIUM = Path("/usr/bin/chromium")
AXE = WEB_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}

# Text of a bubble without its screen-reader prefix ("You: " / "Coach: ").
BUBBLE_TEXTS_JS = """
(selector) => [...document.querySelectorAll(selector)].map((bubble) =>
  [...bubble.childNodes]
    .filter((node) => !(node.classList && node.classList.contains('sfg-visually-hidden')))
    .map((node) => node.textContent)
    .join(''))
"""


@dataclass
class ChatPage:
    """A browser page with the widget, plus what happened on it that a test may care about."""

    page: Any  # playwright.sync_api.Page
    coach: FakeCoach
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def input(self) -> Any:
        """The message box."""
        return self.page.get_by_label("Message to the coach")

    def send(self, text: str) -> None:
        """Type a message and press Enter, as a person would."""
        self.input.fill(text)
        self.input.press("Enter")

    def bot_texts(self) -> list[str]:
        """Visible texts of the coach's bubbles, in order."""
        return list(self.page.evaluate(BUBBLE_TEXTS_JS, ".sfg-coach-msg--bot"))

    def user_texts(self) -> list[str]:
        """Visible texts of the user's bubbles, in order."""
        return list(self.page.evaluate(BUBBLE_TEXTS_JS, ".sfg-coach-msg--user"))

    def stored_session(self) -> dict[str, Any] | None:
        """The widget's session record in localStorage."""
        raw = self.page.evaluate("() => window.localStorage.getItem('sfg-coach-session')")
        if raw is None:
            return None
        value = json.loads(raw)
        return value if isinstance(value, dict) else None
