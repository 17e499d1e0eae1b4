"""A turn's replies: words that must be read in full are split into bubbles that keep to the budget."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.turn import BUBBLE_CHARS, Turn, button

WORDS = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=30), max_size=400)


@given(lines=st.lists(WORDS.map(" ".join), min_size=1, max_size=8))
def test_long_words_are_split_into_bubbles_within_the_budget_and_nothing_is_lost(lines: list[str]) -> None:
    text = "\n".join(lines)
    turn = Turn().say_in_bubbles(text, [button("Yes, confirm it", "affirm")])
    assert all(len(reply.text or "") <= BUBBLE_CHARS for reply in turn.replies)
    assert " ".join(" ".join(r.text or "" for r in turn.replies).split()) == " ".join(text.split())
    assert [bool(r.buttons) for r in turn.replies] == [False] * (len(turn.replies) - 1) + [True]


def test_short_words_stay_in_one_bubble() -> None:
    turn = Turn().say_in_bubbles("Here's the outcome:\n• Where they sit: Stretch")
    assert [r.text for r in turn.replies] == ["Here's the outcome:\n• Where they sit: Stretch"]


def test_every_written_reply_in_the_domain_keeps_to_the_budget() -> None:
    """The urgent replies included: every number and service in one bubble that a phone shows at once."""
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    over = [f"{name}: {len(v.get('text') or '')} characters, {len(v.get('buttons') or [])} buttons"
            for name, variants in domain["responses"].items() for v in variants
            if len(v.get("text") or "") > BUBBLE_CHARS or len(v.get("buttons") or []) > 6]
    assert over == []


@given(blocks=st.lists(WORDS.map(" ".join).filter(bool), min_size=1, max_size=12))
def test_blocks_stay_whole_when_they_fit_and_every_bubble_keeps_to_the_budget(blocks: list[str]) -> None:
    turn = Turn().say_blocks(blocks, [button("Next", "affirm")])
    bubbles = [reply.text or "" for reply in turn.replies]
    assert all(len(bubble) <= BUBBLE_CHARS and "\n\n" not in bubble for bubble in bubbles)  # no channel splits it
    assert all(any(block in bubble for bubble in bubbles) for block in blocks if len(block) <= BUBBLE_CHARS)
    assert [bool(r.buttons) for r in turn.replies] == [False] * (len(turn.replies) - 1) + [True]
