"""Reading a review date from what a person types."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dates import read_date

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("by March next year", dt.date(2027, 3, 31)),
        ("in six months", dt.date(2027, 5, 23)),
        ("in 3 months", dt.date(2027, 2, 23)),
        ("in two weeks", dt.date(2026, 12, 7)),
        ("next summer", dt.date(2027, 7, 31)),
        ("15 January 2027", dt.date(2027, 1, 15)),
        ("a year from now", dt.date(2027, 11, 23)),
        ("let's say 1/6/2027", dt.date(2027, 6, 1)),
        ("by the end of February", dt.date(2027, 2, 28)),
    ],
)
def test_review_dates_are_read_from_free_text(text: str, expected: dt.date) -> None:
    assert read_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["whenever suits", "I'm not sure", ""])
def test_no_date_means_none_so_the_coach_can_ask_again(text: str) -> None:
    assert read_date(text, TODAY) is None
