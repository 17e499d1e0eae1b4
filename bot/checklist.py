"""The conversation checklist for the real meeting: one item at a time (Next, Back, Done), and a page to print.

The items are the guidance's nine-item checklist (``conversation_checklist`` in manager_preparation.yml), each
with a question the manager could ask. Where the manager is travels in the buttons (the ``page`` entity of
``show_checklist``), so nothing is stored: any device in the meeting room can carry on from a button.
"""

from __future__ import annotations

import json
from typing import Callable, Optional, Sequence

from bot import intake
from bot.documents import publish_page, render_checklist_html
from bot.manager import calibration_text, conversation_checklist
from bot.turn import Button, Turn, button

INTENT = "show_checklist"
DONE = "done"
# A move typed in the meeting: read from the words (bot.intake.move); when they are not a move the intake knows,
# by what the NLU makes of it ("next" reads as skip, "back" as where was I).
MOVES = {"skip": "Next", "where_was_i": "Back"}
WORDS = {intake.NEXT: "Next", intake.BACK: "Back"}
# For the page to print: what the guidance asks after the conversation, and how the coach fits in.
AFTER = ("Record the agreed outcome with the coach, with them: they confirm it with their code. Then record it in "
         "ESR or your organisation's local system; the coach does not write to ESR.",
         "Document, agree, monitor and evaluate the development actions you agreed.")


def checklist_page() -> str:
    """The printable page: all nine items with tick boxes, then what comes after."""
    items = [(item.title, " ".join(item.prompt.split())) for item in conversation_checklist()]
    return render_checklist_html(items, (*AFTER, calibration_text()))


def step(page: Optional[str]) -> Optional[int]:
    """The item number a button asked for (1 to 9), or None for the start (no page, or one that is not an item)."""
    if page is None or not page.isdigit():
        return None
    number = int(page)
    return number if 1 <= number <= len(conversation_checklist()) else None


def typed_move(text: str, intent: Optional[str], shown: Sequence[Button]) -> Optional[str]:
    """The page a typed "next" or "back" means: the one its button on the item on screen carries. Past the last
    item, "next" is done; before the first, "back" stays on it; "stop" is done. Anything else is not a move
    (None)."""
    moved = intake.move(text)
    if moved == intake.STOP:
        return DONE
    title = WORDS[moved] if moved is not None else MOVES.get(intent or "")
    if title is None:
        return None
    payload = next((b["payload"] for b in shown if b.get("title") == title and "{" in b.get("payload", "")), None)
    if payload is None:
        return DONE if title == "Next" else "1"
    return str(json.loads(payload[payload.index("{"):]).get("page", ""))


class ChecklistService:
    """The checklist, stepped through one item at a time, and its printable page."""

    def __init__(self, publisher: Callable[[str], str] = publish_page) -> None:
        self.publish = publisher

    def show(self, page: Optional[str]) -> Turn:
        """What a ``show_checklist`` message asks for: the start, an item, or done."""
        if page == DONE:
            return self.done()
        number = step(page)
        return self.item(number) if number is not None else self.start()

    def start(self) -> Turn:
        return Turn().say(
            "The conversation checklist, for the meeting itself: one item at a time, each with a question you "
            f"could ask. To print it with tick boxes: {self.publish(checklist_page())}").then(self.item(1))

    def item(self, number: int) -> Turn:
        items = conversation_checklist()
        item = items[number - 1]
        moves = []
        if number > 1:
            moves.append(button("Back", INTENT, page=str(number - 1)))
        if number < len(items):
            moves.append(button("Next", INTENT, page=str(number + 1)))
        moves.append(button("Done", INTENT, page=DONE))
        return Turn().say(f"Checklist {number} of {len(items)}: {item.title}\n"
                          f"You could ask: “{' '.join(item.prompt.split())}”", moves)

    def done(self) -> Turn:
        return Turn().say(
            "That's the checklist closed. When you've agreed the outcome, record it here with them: they get a "
            f"code to confirm it. The page to print: {self.publish(checklist_page())}",
            [button("Record the agreed outcome", "record_outcome"), button("Checklist from the start", INTENT),
             button("Manager menu", "manager_mode")])
