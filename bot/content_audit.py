"""The content audit: facts that are stale, unsourced or without a public address.

``coach content audit`` runs it on the shipped (or an organisation's) content, and the tests hold the shipped
content to it, so an item that has not been checked for a year fails the build until someone checks it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Iterable, List, Optional

from bot import engine, signposting

#: How old a check may be before the audit lists it (a year: programmes open and close each year).
MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class Finding:
    """One thing the audit found, for one item of one content file."""

    file: str
    item: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.problem}"


@dataclass(frozen=True)
class Checked:
    """What the audit reads from an item, whatever file it comes from."""

    file: str
    item: str
    source: str
    dates: dict[str, dt.date]  # field name -> when it was checked
    link: Optional[str]
    no_link: Optional[str]  # why there is none, for something arranged locally


def _interventions() -> Iterable[Checked]:
    for item in engine.catalogue():
        yield Checked(engine.INTERVENTIONS_FILE, item.id, item.source,
                      {"last_checked": item.last_checked, "status_checked": item.status_checked},
                      item.link, item.no_link)


def _resources() -> Iterable[Checked]:
    for resource in signposting.default_catalogue().resources:
        yield Checked(signposting.RESOURCES_FILE, resource.id, resource.source, {"last_checked": resource.last_checked},
                      resource.url, "marked local" if resource.local else None)


def shipped() -> Iterable[Checked]:
    """Every item of the content that states an external fact: interventions and signposting."""
    yield from _interventions()
    yield from _resources()


def audit(today: dt.date, max_age_days: int = MAX_AGE_DAYS, items: Optional[Iterable[Checked]] = None) -> List[Finding]:
    """Every item whose check is older than ``max_age_days``, or from the future, or that has no source, or has
    neither a link nor a reason for having none."""
    findings: List[Finding] = []
    for item in shipped() if items is None else items:
        if not item.source.strip():
            findings.append(Finding(item.file, item.item, "no source"))
        for name, when in item.dates.items():
            age = (today - when).days
            if age > max_age_days:
                findings.append(Finding(item.file, item.item, f"{name} {when} is {age} days old"))
            elif age < 0:
                findings.append(Finding(item.file, item.item, f"{name} {when} is in the future"))
        if not item.link and not (item.no_link or "").strip():
            findings.append(Finding(item.file, item.item, "no link, and no_link does not say why"))
    return findings


#: The columns of the routes table (``coach content routes``): who each intervention is for, as the engine reads it.
ROUTE_COLUMNS = ("id", "name", "status", "aimed_at", "growth", "bands", "staff_groups", "career_stages", "min_age",
                 "max_age", "only_if_mentions", "not_if_mentions", "new_leaders_only", "source", "last_checked")


def routes_table() -> str:
    """The eligibility and status rules of every intervention as CSV, for an organisation to read and review."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROUTE_COLUMNS)
    for item in engine.catalogue():
        row = {
            "id": item.id, "name": item.name, "status": item.status, "aimed_at": item.aimed_at,
            "growth": " ".join(item.growth), "bands": " ".join(item.bands or ("any",)),
            "staff_groups": " ".join(item.staff_groups or ("any",)), "career_stages": " ".join(item.career_stages),
            "min_age": item.min_age or "", "max_age": item.max_age or "",
            "only_if_mentions": "; ".join(item.only_if_mentions), "not_if_mentions": "; ".join(item.not_if_mentions),
            "new_leaders_only": "yes" if item.new_leaders_only else "", "source": item.source,
            "last_checked": item.last_checked.isoformat(),
        }
        writer.writerow([row[column] for column in ROUTE_COLUMNS])
    return out.getvalue()
