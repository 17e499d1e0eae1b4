"""Reading band, staff group, role and aspiration from what a person writes."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.staff import StaffDetails, band_from_text, read_staff_details, staff_group_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I'm a band 5 staff nurse hoping to become a ward manager",
            StaffDetails("5", "nursing", "staff nurse", "become a ward manager"),
        ),
        (
            "I am an 8A physio and I'd like to move into a service manager role next year.",
            StaffDetails("8a", "allied_health", "physio", "move into a service manager role next year"),
        ),
        (
            "Band 8c head of nursing, want to be a director",
            StaffDetails("8c", "nursing", "head of nursing", "be a director", leads_team=True),
        ),
        ("AfC band 3 healthcare assistant", StaffDetails("3", "support", "healthcare assistant", "")),
        ("I'm a consultant", StaffDetails(None, "medical", "consultant", "")),
        (
            "I work as a band 6 sonographer. I want to lead the department one day",
            StaffDetails("6", "allied_health", "sonographer", "lead the department one day"),
        ),
        (
            "I'm a healthcare assistant on band 2 and I want to train as a nurse",
            StaffDetails("2", "support", "healthcare assistant", "train as a nurse"),
        ),
        (
            "Band 7 ward sister looking to become a matron",
            StaffDetails("7", "nursing", "ward sister", "become a matron", leads_team=True),
        ),
        ("I'm a band 6 biomedical scientist", StaffDetails("6", "healthcare_science", "biomedical scientist", "")),
        ("I'm a medical secretary at band 4", StaffDetails("4", "admin", "medical secretary", "")),
        ("I'm a band 3 nursing assistant", StaffDetails("3", "support", "nursing assistant", "")),
        (
            "I’m a consultant nurse hoping to become chief nurse",
            StaffDetails(None, "nursing", "consultant nurse", "become chief nurse"),
        ),
        ("band 4 admin, thinking about retirement", StaffDetails("4", "admin", None, "thinking about retirement")),
        ("I just want to do my job well", StaffDetails(None, None, None, "do my job well")),
        ("", StaffDetails(None, None, None, "")),
    ],
)
def test_staff_details_are_read_from_everyday_sentences(text: str, expected: StaffDetails) -> None:
    assert read_staff_details(text) == expected


def test_a_band_named_only_as_the_goal_is_not_taken_as_the_current_band() -> None:
    details = read_staff_details("I want to get to band 7")
    assert details.band is None
    assert details.aspiration == "get to band 7"


def test_the_current_band_wins_over_the_hoped_for_band() -> None:
    assert read_staff_details("I'm band 6, want to get to band 7").band == "6"


def test_an_impossible_band_is_left_out_rather_than_guessed() -> None:
    details = read_staff_details("I'm a band 10 nurse")
    assert details.band is None
    assert details.staff_group == "nursing"


@pytest.mark.parametrize(
    ("text", "band"),
    [("8A", "8a"), ("Band 8c", "8c"), ("AfC band 3", "3"), ("on band five", "5"), ("an 8 b lead", "8b"), ("8", None)],
)
def test_bands_are_found_inside_text(text: str, band: Optional[str]) -> None:
    assert band_from_text(text) == band


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("healthcare assistant", "support"),
        ("HCA", "support"),
        ("consultant", "medical"),
        ("consultant physiotherapist", "allied_health"),
        ("ward manager", "nursing"),
        ("midwife", "midwifery"),
        ("pharmacy technician", "pharmacy"),
        ("receptionist", "admin"),
        ("service manager", "management"),
        ("paramedic", "allied_health"),
        ("call handler", "ambulance"),
        ("estates officer", "estates"),
        ("astronaut", None),
    ],
)
def test_roles_map_to_staff_groups(role: str, group: Optional[str]) -> None:
    assert staff_group_for(role) == group
