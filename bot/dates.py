"""Reading review dates from free text such as "by March next year" or "in six months"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional

from bot.language import nlp

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_RELATIVE = re.compile(r"\b(\d+|" + "|".join(_NUMBERS) + r")\s+(day|week|month|year)s?\b")
_SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _read_phrase(phrase: str, today: dt.date) -> Optional[dt.date]:
    text = phrase.lower().strip()
    relative = _RELATIVE.search(text)
    if relative:
        count = int(relative.group(1)) if relative.group(1).isdigit() else _NUMBERS[relative.group(1)]
        unit = relative.group(2)
        if unit == "day":
            return today + dt.timedelta(days=count)
        if unit == "week":
            return today + dt.timedelta(weeks=count)
        return _add_months(today, count * (12 if unit == "year" else 1))
    if re.search(r"\bnext year\b", text) and not any(m in text for m in _MONTHS):
        return _add_months(today, 12)
    if re.search(r"\bnext month\b", text):
        return _add_months(today, 1)
    explicit_year = re.search(r"\b(20\d\d)\b", text)
    for season, month in _SEASONS.items():
        if season in text:
            year = int(explicit_year.group(1)) if explicit_year else today.year + (1 if month <= today.month else 0)
            return _end_of_month(year, month)
    day_match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", text)
    for name, month in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{name}\b", text):
            if explicit_year:
                year = int(explicit_year.group(1))
            elif "next year" in text:
                year = today.year + 1
            else:
                year = today.year if month > today.month else today.year + 1
            if day_match and int(day_match.group(1)) <= calendar.monthrange(year, month)[1]:
                return dt.date(year, month, int(day_match.group(1)))
            return _end_of_month(year, month)
    numeric = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b", text)  # UK order: day/month/year
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def read_date(text: str, today: Optional[dt.date] = None) -> Optional[dt.date]:
    """The date a person means, e.g. "by March next year" -> 31 March next year.

    spaCy finds DATE entities in the sentence; each is read relative to ``today``.
    Returns None when no date can be read, so the caller can ask again kindly.
    """
    today = today or dt.date.today()
    doc = nlp()(text[:500])
    phrases = [ent.text for ent in doc.ents if ent.label_ == "DATE"] or [text[:200]]
    for phrase in phrases:
        found = _read_phrase(phrase, today)
        if found is not None:
            return found
    return None
