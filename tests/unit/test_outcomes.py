"""Outcomes export as CSV in the documented column layout."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.outcomes import COLUMNS, write_outcomes_csv
from bot.store import open_store
from bot.store.repository import OutcomeRecord


def record(person: str, **changes: object) -> OutcomeRecord:
    values = dict(person_id=person, segment_id="stretch-strong-ready_later",
                  interventions=["hps-stream-1", "mentoring"],
                  next_steps="Apply in the spring, meet monthly", review_date=dt.date(2027, 3, 31),
                  agreed_by="line manager", agreed_at=dt.datetime(2026, 11, 23, 10, 30), band="8a",
                  staff_group="nursing", confirmed_by_person=True)
    values.update(changes)
    return OutcomeRecord(**values)  # type: ignore[arg-type]


def test_each_outcome_is_one_row_with_the_documented_columns() -> None:
    out = io.StringIO()
    count = write_outcomes_csv([record("p1"), record("p2", review_date=None, confirmed_by_person=False)], out,
                               {"mentoring": "Mentoring"})
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 2 and tuple(rows[0]) == COLUMNS
    assert rows[0]["growth"] == "stretch" and rows[0]["readiness"] == "ready_later"
    assert rows[0]["interventions"] == "hps-stream-1;mentoring"
    assert rows[0]["intervention_names"] == "hps-stream-1;Mentoring"
    assert rows[0]["agreed_at"] == "2026-11-23T10:30:00" and rows[0]["review_date"] == "2027-03-31"
    assert rows[1]["review_date"] == "" and rows[1]["confirmed_by_person"] == "no"


def test_the_cli_exports_what_is_stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = open_store(url)
    store.save_outcome(record(store.person_id("web:a"), next_steps='Says "yes", then, a comma'))
    target = tmp_path / "outcomes.csv"
    assert main(["export-outcomes", "--database-url", url, "-o", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["next_steps"] == 'Says "yes", then, a comma'


def test_the_outcome_reads_back_as_they_to_the_manager_and_as_you_to_the_person() -> None:
    from bot.outcomes import outcome_lines

    manager = outcome_lines(record("p1"), {})
    person = outcome_lines(record("p1"), {}, to_the_person=True)
    assert manager[0].startswith("• Where they sit:") and person[0].startswith("• Where you sit:")
    assert manager[1:] == person[1:]


def test_a_manager_recording_an_outcome_is_not_told_it_is_in_their_plan(tmp_path: Path) -> None:
    from bot.journey_service import JourneyService, Place
    from bot.turn import Message

    store = open_store(f"sqlite:///{tmp_path / 'coach.db'}")
    manager = store.person_id("web:manager")
    turn = JourneyService(store).take(manager, Place("outcome", prompt_id="outcome.interventions"),
                                      Message("", "choose", "done"))
    said = "\n".join(r.text or "" for r in turn.replies)
    assert "Agreed actions: None for now." in said and "your plan" not in said
    assert store.plan(manager) is None


def readme_export_table() -> list[list[str]]:
    """The rows of the table under "## Outcome export" in README.md, as lists of cells."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Outcome export\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]  # past the header and its rule


def test_the_readme_maps_every_column_of_the_real_header_in_order() -> None:
    out = io.StringIO()
    write_outcomes_csv([], out, {})
    header = out.getvalue().strip().split(",")
    documented = [re.fullmatch(r"`(\w+)`", row[0]) for row in readme_export_table()]
    assert [m.group(1) if m else None for m in documented] == header
    assert all(len(row) == 3 and row[1] and row[2] for row in readme_export_table()), "meaning and mapping each"


def test_the_readme_says_the_esr_mapping_is_for_the_organisation_to_confirm_and_never_promises_esr() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Outcome export\n", 1)[1].split("\n## ", 1)[0]
    assert "for your organisation to confirm" in section and "does not write to ESR" in section
    assert "ready for ESR" not in readme


def test_the_export_help_lists_the_columns_and_says_who_confirms_the_mapping(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export-outcomes", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert ", ".join(COLUMNS) in shown
    assert "does not write to ESR" in shown and "for your organisation to confirm" in shown


def test_the_band_and_staff_group_read_back_in_words_not_as_stored() -> None:
    from bot.outcomes import outcome_lines

    lines = outcome_lines(record("p1", band="6", staff_group="allied_health"), {})
    assert "• Band and staff group: band 6, allied health professionals" in lines
    assert "• Band and staff group: -, nursing" in outcome_lines(record("p1", band=None), {})


@pytest.mark.parametrize("typed, code", [
    ("confirm outcome KTP-482", "KTP-482"), ("my manager gave me a code rsp 898", "RSP-898"), ("ktp482", "KTP-482"),
    ("call NHS 111", None), ("I'm band 5", None), ("the GCSE 234 results", None),
])
def test_an_outcome_code_is_found_as_people_type_it_and_nothing_else_reads_as_one(typed: str,
                                                                                  code: object) -> None:
    from bot.store.repository import find_code

    assert find_code(typed) == code
