"""Telling a message in another language from English, however short or misspelt the English is."""

from __future__ import annotations

import pytest

from bot.language import other_language


@pytest.mark.parametrize("text, language", [
    ("Ich möchte meine Karriere planen", "de"),
    ("je voudrais parler à quelqu'un de ma carrière", "fr"),
    ("Chcę porozmawiać o mojej karierze", "pl"),
    ("我想谈谈我的职业", "zh"),
])
def test_a_message_in_another_language_is_recognised(text: str, language: str) -> None:
    assert other_language(text) == language


@pytest.mark.parametrize("text", [
    "skip", "ta", "nah", "yep", "tbh idk", "gotta go, wards kicking off", "convert 20 yen to dollars",
    "Band 5 staff nurse on a surgical ward", "preceptorship for new starters", "ANP role at the trust, band 8a",
    "I was treated unfairly when I applied for promotion", "aye go on then", "merci beaucoup",
])
def test_english_and_messages_too_short_to_judge_are_not_flagged(text: str) -> None:
    assert other_language(text) is None
