"""Agreed outcomes as CSV for an organisation's HR, workforce or talent team, and read back in plain words.

One row per recorded outcome, UTF-8, comma-separated, header row first, in the order of :data:`COLUMNS`.
README.md ("Outcome export") says what each column holds. The coach writes to no HR system: which ESR or local
field a column goes to is for the organisation to confirm, and a test keeps the README's table to this header.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING

from bot.framework import STAFF_GROUP_NAMES

if TYPE_CHECKING:
    from bot.plan import SavedAnswer
    from bot.store.repository import OutcomeRecord

# Said to the manager after recording: the guidance records outcomes in ESR or a similar local system, and the
# coach writes to neither, so the manager must do it (the export is for HR and talent teams, not a feed to ESR).
RECORD_IN_ESR = ("One step is yours: I don't write to ESR or any other HR system. When they've confirmed it, record "
                 "the outcome in ESR or your organisation's local system, as your organisation asks: where they sit, "
                 "the development actions, next steps and review date shown above.")

COLUMNS = ("outcome_id", "person_id", "agreed_at", "segment_id", "growth", "impact", "readiness", "interventions",
           "intervention_names", "next_steps", "review_date", "agreed_by", "band", "staff_group",
           "confirmed_by_person")


def _segment_parts(segment_id: str) -> tuple[str, str, str]:
    parts = segment_id.split("-", 2) + ["", ""]
    return parts[0], parts[1], parts[2]


def write_outcomes_csv(records: Iterable[OutcomeRecord], out: IO[str], names: Mapping[str, str]) -> int:
    """Write ``records`` as CSV to ``out``; ``names`` maps intervention ids to names. Returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for number, record in enumerate(records, start=1):
        growth, impact, readiness = _segment_parts(record.segment_id)
        writer.writerow([
            number, record.person_id, record.agreed_at.isoformat(timespec="seconds"), record.segment_id,
            growth, impact, readiness, ";".join(record.interventions),
            ";".join(names.get(i, i) for i in record.interventions), record.next_steps,
            record.review_date.isoformat() if record.review_date else "", record.agreed_by,
            record.band or "", record.staff_group or "", "yes" if record.confirmed_by_person else "no",
        ])
        count += 1
    return count


def outcome_from_answers(answers: Mapping[str, SavedAnswer], *, agreed_by: str,
                         agreed_at: dt.datetime) -> OutcomeRecord:
    """The outcome a manager recorded in the ``outcome`` flow, not yet confirmed by the person."""
    from bot.plan import meant, placement_for, profile_from_answers
    from bot.store.repository import OutcomeRecord

    profile = profile_from_answers(answers, "outcome")
    placement = placement_for(answers, "outcome")
    chosen = meant(answers, "interventions", "outcome")
    review = meant(answers, "review_date", "outcome")
    steps = meant(answers, "aspiration", "outcome")
    return OutcomeRecord(
        person_id=None,
        segment_id=placement.segment.id,
        interventions=list(chosen.value or []) if chosen else [],
        next_steps=steps.text if steps else "",
        review_date=dt.date.fromisoformat(review.value) if review and isinstance(review.value, str) else None,
        agreed_by=agreed_by,
        agreed_at=agreed_at,
        band=profile.band,
        staff_group=profile.staff_group,
    )


def outcome_lines(record: OutcomeRecord, names: Mapping[str, str], *, to_the_person: bool = False) -> list[str]:
    """The outcome read back in plain words, for the manager and then the person to check (as "you")."""
    from bot.framework import framework

    segment = next((s for s in framework().segments if s.id == record.segment_id), None)
    who = "you" if to_the_person else "they"
    lines = [f"• Where {who} sit: {segment.name if segment else record.segment_id}"]
    if record.interventions:
        lines.append("• Development actions: " + "; ".join(names.get(i, i) for i in record.interventions))
    if record.next_steps:
        lines.append(f"• Next steps: {record.next_steps}")
    if record.review_date:
        lines.append(f"• Review by: {record.review_date.strftime('%-d %B %Y')}")
    if record.band or record.staff_group:
        group = STAFF_GROUP_NAMES.get(record.staff_group or "", record.staff_group or "-")
        lines.append(f"• Band and staff group: {'band ' + record.band if record.band else '-'}, {group}")
    return lines
