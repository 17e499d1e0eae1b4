"""Telling a message in another language from English, however short or misspelt the English is; and the
shared parse, which keeps any text as typed and tokenizes a long run without spaces in bounded time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language import LONGEST_RUN, RunCuttingTokenizer, nlp, other_language


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


# The tokenizer cuts runs without spaces longer than LONGEST_RUN, which spaCy splits in quadratic time.
_SOME_TEXT = st.text(st.sampled_from(list("ab !?.,😀<>/-'") + [" ", "\n"]), max_size=400)


@settings(max_examples=60, deadline=None)
@given(_SOME_TEXT)
def test_the_parse_keeps_the_text_exactly_as_typed(text: str) -> None:
    assert nlp().tokenizer(text).text == text


@settings(max_examples=60, deadline=None)
@given(_SOME_TEXT.filter(lambda text: all(len(run) <= LONGEST_RUN for run in text.split())))
def test_text_without_a_long_run_is_tokenized_as_spacy_does(text: str) -> None:
    ours = nlp().tokenizer
    assert isinstance(ours, RunCuttingTokenizer)
    assert [t.text for t in ours(text)] == [t.text for t in ours.tokenizer(text)]


@pytest.mark.parametrize("run", ["😀" * 5000, "!" * 5000, ".,;" * 1600, "a" * 5000, "https://x.nhs.uk/" + "a/" * 2400])
def test_a_long_run_is_tokenized_in_pieces_no_longer_than_the_limit(run: str) -> None:
    doc = nlp()(f"my role is {run} thanks")
    assert doc.text == f"my role is {run} thanks"
    assert max(len(t.text) for t in doc) <= LONGEST_RUN
    assert [t.text for t in doc[:3]] == ["my", "role", "is"] and doc[-1].text == "thanks"
