"""Suggesting development interventions: eligibility, ranking, reasons and the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, List, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.engine import (
    FALLBACK_KINDS,
    TO_MANAGER,
    WELLBEING_KINDS,
    Intervention,
    Suggestion,
    catalogue,
    suggest,
    suggestion_as_dict,
)
from bot.framework import BANDS, GROWTH_FOCUSES, IMPACT_LEVELS, READINESS_VALUES, STAFF_GROUPS, Profile, place

# Talent for Care routes for the support workforce, bands 1-4. Apprenticeships and NHS Ambassadors are open at every
# band (People Plan: apprenticeships at every level), so they are not here.
TALENT_FOR_CARE = {
    "care-certificate",
    "functional-skills",
    "support-staff-development",
    "nursing-associate",
    "nurse-degree-apprenticeship",
    "assistant-practitioner",
    "bridging-programme",
}
CLINICAL_SUPPORT_ONLY = {"care-certificate", "nursing-associate", "assistant-practitioner"}
LATER_CAREER = {"later-career-conversation", "nhs-pensions-advice", "partial-retirement", "retire-and-return"}


def profile(**changes: object) -> Profile:
    values: dict[str, Any] = dict(
        band=None, staff_group=None, growth="depth", impact="solid", readiness=None, age=None, aspiration=""
    )
    values.update(changes)
    return Profile(**values)


def suggestions_for(limit: int = 5, **changes: object) -> List[Suggestion]:
    person = profile(**changes)
    return suggest(person, place(person), limit=limit)


def ids(suggestions: List[Suggestion]) -> List[str]:
    return [s.intervention.id for s in suggestions]


def broken_rules(item: Intervention, person: Profile) -> Optional[str]:
    """The eligibility rules from the brief, written out independently of the engine."""
    band = person.band
    if item.id.startswith("hps-") and band not in ("8a", "8b", "8c", "8d"):
        return "High Potential Scheme is for bands 8a-8d only"
    if item.id == "hps-stream-1" and band not in ("8a", "8b"):
        return "stream 1 is for bands 8a/8b"
    if item.id == "hps-stream-2" and band not in ("8c", "8d"):
        return "stream 2 is for bands 8c/8d"
    if item.id in TALENT_FOR_CARE and band not in ("1", "2", "3", "4", None):
        return "Talent for Care is for bands 1-4"
    if item.id in TALENT_FOR_CARE and band is None and person.staff_group not in ("support", "estates", "admin"):
        return "without a band, Talent for Care is offered only to the support workforce"
    if item.id in CLINICAL_SUPPORT_ONLY and person.staff_group != "support":
        return "clinical support routes are for clinical support staff"
    if item.id in LATER_CAREER:
        old_enough = person.age is not None and person.age >= 55
        later = person.career_stage in ("later", "retiring")
        mentioned = any(word in person.aspiration.lower() for word in ("retir", "pension"))
        if not (old_enough or later or mentioned):
            return "55+ items need age 55+, a later career stage or a mention of retirement or pensions"
    if item.status == "paused":
        return "paused items are never suggested"
    if item.id == "mary-seacole" and person.leads_team:
        return "first-time leader programmes are for people new to leading"
    return None


# --- eligibility across bands and growth focuses --------------------------------


@pytest.mark.parametrize("band", BANDS)
@pytest.mark.parametrize("growth", GROWTH_FOCUSES)
def test_every_band_and_focus_gets_only_eligible_suggestions(band: str, growth: str) -> None:
    person = profile(band=band, growth=growth, impact="strong", readiness="ready_now", staff_group="support")
    found = suggest(person, place(person), limit=12)
    assert found
    for s in found:
        assert broken_rules(s.intervention, person) is None, s.intervention.id


@pytest.mark.parametrize(
    ("band", "stream"),
    [("8a", "hps-stream-1"), ("8b", "hps-stream-1"), ("8c", "hps-stream-2"), ("8d", "hps-stream-2")],
)
def test_high_potential_leaders_at_band_8_are_offered_their_stream(band: str, stream: str) -> None:
    found = ids(suggestions_for(band=band, growth="stretch", impact="strong", aspiration="lead a service as director"))
    assert stream in found
    other = "hps-stream-2" if stream == "hps-stream-1" else "hps-stream-1"
    assert other not in found


@pytest.mark.parametrize("band", ["1", "2", "3", "4", "5", "6", "7", "9", None])
def test_the_high_potential_scheme_is_never_offered_outside_8a_to_8d(band: Optional[str]) -> None:
    found = ids(suggestions_for(limit=20, band=band, growth="stretch", impact="strong", aspiration="high potential"))
    assert not {"hps-stream-1", "hps-stream-2"} & set(found)


@pytest.mark.parametrize("band", ["1", "2", "3", "4"])
def test_support_staff_who_want_to_train_as_a_nurse_see_talent_for_care_routes(band: str) -> None:
    found = ids(suggestions_for(band=band, staff_group="support", growth="stretch", aspiration="train as a nurse"))
    assert "nursing-associate" in found


@pytest.mark.parametrize("band", ["5", "6", "7", "8a", "9", None])
def test_talent_for_care_routes_are_only_for_bands_1_to_4(band: Optional[str]) -> None:
    found = ids(suggestions_for(limit=20, band=band, growth="stretch", aspiration="train as a nurse, apprenticeship"))
    assert not TALENT_FOR_CARE & set(found)


def test_a_band_limited_item_is_not_offered_when_the_band_is_unknown() -> None:
    found = ids(suggestions_for(limit=20, band=None, growth="stretch", impact="strong", aspiration="director"))
    for item in catalogue():
        if item.bands is not None:
            assert item.id not in found


def test_later_career_items_need_age_55_or_a_mention_of_retirement() -> None:
    young = ids(suggestions_for(limit=20, band="6", age=54, growth="consolidate"))
    older = ids(suggestions_for(limit=20, band="6", age=55, growth="consolidate"))
    mentioned = ids(suggestions_for(limit=20, band="6", growth="depth", aspiration="thinking about my pension"))
    assert not LATER_CAREER & set(young)
    assert "later-career-conversation" in older
    assert "nhs-pensions-advice" in mentioned


def test_a_mid_career_conversation_is_offered_at_about_forty_but_not_at_sixty() -> None:
    assert "mid-career-conversation" in ids(suggestions_for(limit=20, age=42, growth="breadth"))
    assert "mid-career-conversation" not in ids(suggestions_for(limit=20, age=60, growth="breadth"))


def test_staff_group_limited_items_follow_the_staff_group() -> None:
    support = ids(suggestions_for(limit=20, band="2", staff_group="support", growth="consolidate"))
    admin = ids(suggestions_for(limit=20, band="2", staff_group="admin", growth="consolidate"))
    assert "care-certificate" in support
    assert "care-certificate" not in admin


# --- what gets suggested first ------------------------------------------------------


def test_consolidating_is_never_offered_stretch_only_interventions() -> None:
    found = suggestions_for(limit=20, band="8a", growth="consolidate", impact="strong", aspiration="lead, director")
    for s in found:
        growth = set(s.intervention.growth)
        assert growth & {"consolidate", "depth"} or s.intervention.kind in WELLBEING_KINDS, s.intervention.id


def test_a_skipped_growth_focus_is_never_given_as_the_persons_choice() -> None:
    chosen = " ".join(s.reason for s in suggestions_for(limit=20, growth="consolidate", readiness="ready_later"))
    skipped = " ".join(s.reason for s in suggestions_for(limit=20, growth="consolidate", readiness="ready_later",
                                                         growth_given=False))
    assert chosen.count("You chose to consolidate") == 1  # said once, not for every option
    assert "You chose" not in skipped and skipped.count("For consolidating where you are") == 1


def test_a_skipped_growth_focus_lets_the_persons_aspiration_lead_the_suggestions() -> None:
    aspiration = "I'd like to lead a team one day, maybe become a ward manager"
    chosen = suggestions_for(band="6", growth="consolidate", readiness="ready_later", aspiration=aspiration)
    skipped = suggestions_for(band="6", growth="consolidate", readiness="ready_later", aspiration=aspiration,
                              growth_given=False)
    assert not any("stretch" in s.intervention.growth and "consolidate" not in s.intervention.growth
                   for s in chosen)  # consolidation chosen is respected
    assert any("lead" in s.reason for s in skipped), [s.reason for s in skipped]
    assert any(set(s.intervention.growth) & {"stretch", "breadth"} for s in skipped), [s.intervention.id
                                                                                      for s in skipped]


def test_the_focus_an_option_suits_is_said_once_not_for_every_option() -> None:
    reasons = " ".join(s.reason for s in suggestions_for(band="6", growth="stretch", impact="strong",
                                                        readiness="ready_now"))
    assert reasons.count("Suits your focus on stretch") == 1, reasons


SAID_TO_SOMEONE = re.compile(r"\b(you|your|yours|yourself|you're|you'd)\b", re.IGNORECASE)


@pytest.mark.parametrize("changes", [
    dict(band="6", growth="stretch", impact="strong", readiness="ready_now"),
    dict(band="3", staff_group="support", growth="consolidate", readiness="not_now"),
    dict(growth="consolidate", readiness="ready_later", growth_given=False),
    dict(band="7", growth="breadth", age=58, aspiration="thinking about retirement and my pension"),
    dict(band="5", growth="depth", aspiration="I want to get better at wound care and teaching students"),
])
def test_a_line_manager_recording_an_outcome_reads_every_reason_said_of_the_member_of_staff(
        changes: dict[str, Any]) -> None:
    person = profile(**changes)
    for suggestion in suggest(person, place(person), limit=8, voice=TO_MANAGER):
        assert not SAID_TO_SOMEONE.search(suggestion.reason), suggestion.reason


def test_every_intervention_reads_the_same_said_of_the_member_of_staff() -> None:
    for item in catalogue():
        assert not SAID_TO_SOMEONE.search(item.helps_of_them), item.id
        assert item.helps_of_them == item.helps or SAID_TO_SOMEONE.search(item.helps), item.id


def test_not_now_brings_wellbeing_forward() -> None:
    found = suggestions_for(band="6", growth="stretch", impact="strong", readiness="not_now")
    assert found[0].intervention.kind in WELLBEING_KINDS
    ready = suggestions_for(band="6", growth="stretch", impact="strong", readiness="ready_now")
    assert not {s.intervention.kind for s in ready[:2]} & WELLBEING_KINDS


def test_not_now_brings_depth_options_before_pure_moves() -> None:
    found = suggestions_for(limit=8, band="6", growth="breadth", readiness="not_now")
    positions = {s.intervention.id: i for i, s in enumerate(found)}
    assert "secondment" not in positions or positions["secondment"] > positions["wellbeing-conversation"]


def test_the_persons_words_bring_matching_interventions_forward() -> None:
    found = ids(suggestions_for(band="5", staff_group="nursing", growth="stretch", aspiration="become a ward manager"))
    assert found[0] in {"acting-up", "stretch-assignment", "action-learning-set"}
    assert "edward-jenner" in found  # the leadership foundations, open to anyone starting to lead


def test_the_top_suggestions_are_of_different_kinds() -> None:
    found = suggestions_for(band="7", growth="stretch", impact="strong", readiness="ready_now", aspiration="lead")
    kinds = [s.intervention.kind for s in found]
    assert len(kinds) == len(set(kinds)) == 5


def test_the_limit_is_respected() -> None:
    assert len(suggestions_for(limit=2, band="5", growth="depth")) == 2


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        suggestions_for(limit=0)


def test_with_nothing_relevant_the_fallback_is_coaching_or_wellbeing() -> None:
    by_id = {item.id: item for item in catalogue()}
    coaching_for_consolidation_only = replace(by_id["coaching"], growth=("consolidate",), keywords=())
    narrow = [by_id["hps-stream-1"], coaching_for_consolidation_only]
    person = profile(band="3", growth="stretch", aspiration="anything")
    found = suggest(person, place(person), interventions=narrow)
    assert ids(found) == ["coaching"]
    assert found[0].intervention.kind in FALLBACK_KINDS


# --- reasons ----------------------------------------------------------------------


def test_each_reason_is_one_line_and_quotes_the_persons_words_when_they_match() -> None:
    found = suggestions_for(band="5", growth="stretch", aspiration="I hope to become a ward manager next year")
    for s in found:
        assert s.reason and "\n" not in s.reason
    assert any('"' in s.reason and "ward manager" in s.reason for s in found)


def test_a_reason_for_not_now_says_so_plainly() -> None:
    found = suggestions_for(band="5", growth="consolidate", readiness="not_now")
    reasons = {s.intervention.id: s.reason for s in found}
    assert reasons["wellbeing-conversation"].startswith("As now is not the time for a change")


def test_a_quotation_does_not_end_on_a_dangling_word() -> None:
    found = suggestions_for(band="7", growth="depth", aspiration="thinking about retirement and my pension plans")
    for s in found:
        assert '" and"' not in s.reason and ' and":' not in s.reason


def test_a_suggestion_converts_to_json() -> None:
    found = suggestions_for(band="8a", growth="stretch", impact="strong", aspiration="head of service")
    data = [suggestion_as_dict(s) for s in found]
    text = json.dumps(data)
    assert {"id", "name", "kind", "reason", "source", "last_checked"} <= set(data[0])
    hps = next(d for d in data if d["id"] == "hps-stream-1")
    assert hps["time"] == "24 months"
    assert "cost" not in hps  # unknown facts are left out, not invented
    assert "england.talentpipeline@nhs.net" in text


# --- properties -----------------------------------------------------------------------

ASPIRATIONS = st.one_of(
    st.sampled_from(
        [
            "",
            "become a ward manager",
            "I'm thinking about retirement",
            "not now, I need a break",
            "train as a nurse",
            "director one day",
            "pension advice please",
            "stay where I am",
            "lead a team next year",
        ]
    ),
    st.text(max_size=60),
)
PROFILES = st.builds(
    Profile,
    band=st.sampled_from([*BANDS, None]),
    staff_group=st.sampled_from([*STAFF_GROUPS, None]),
    growth=st.sampled_from(GROWTH_FOCUSES),
    impact=st.sampled_from(IMPACT_LEVELS),
    readiness=st.sampled_from([*READINESS_VALUES, None]),
    age=st.one_of(st.none(), st.integers(min_value=16, max_value=100)),
    aspiration=ASPIRATIONS,
)


@settings(max_examples=200, deadline=None)
@given(person=PROFILES, limit=st.integers(min_value=1, max_value=10))
def test_suggestions_are_never_empty_never_ineligible_and_always_the_same(person: Profile, limit: int) -> None:
    placement = place(person)
    first = suggest(person, placement, limit=limit)
    assert 1 <= len(first) <= limit
    assert len({s.intervention.id for s in first}) == len(first)
    for s in first:
        assert broken_rules(s.intervention, person) is None, s.intervention.id
        assert s.reason and "\n" not in s.reason
        if person.growth == "consolidate":
            assert set(s.intervention.growth) & {"consolidate", "depth"} or s.intervention.kind in WELLBEING_KINDS
    assert suggest(person, placement, limit=limit) == first


# --- command line -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main(["suggest", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_cli_suggest_prints_the_segment_explanation_and_interventions(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(
        capsys, "--json", "--band", "Band 8A", "--growth", "stretch", "--impact", "strong", "--aspiration", "head of it"
    )
    assert code == 0
    assert data["segment"]["id"] == "stretch-strong-ready_later"
    assert data["band"] == "8a"
    assert "head of it" in str(data["explanation"])
    interventions = data["interventions"]
    assert isinstance(interventions, list) and interventions
    assert {"id", "name", "reason"} <= set(interventions[0])


def test_cli_reads_band_and_staff_group_from_the_aspiration(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(
        capsys, "--growth", "stretch", "--aspiration", "I'm a band 3 healthcare assistant hoping to train as a nurse"
    )
    assert code == 0
    assert (data["band"], data["staff_group"]) == ("3", "support")
    assert "You'd like to train as a nurse." in str(data["explanation"])
    assert "nursing-associate" in [i["id"] for i in data["interventions"]]


def test_cli_accepts_a_staff_group_in_everyday_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--growth", "depth", "--staff-group", "Allied Health")
    assert code == 0 and data["staff_group"] == "allied_health"


def test_cli_consolidate_defaults_to_not_now(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--growth", "consolidate", "--limit", "3")
    assert code == 0
    assert data["readiness"] == "not_now"
    assert len(data["interventions"]) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--growth", "depth", "--band", "10"], "not an Agenda for Change band"),
        (["--growth", "depth", "--band", "8"], "not an Agenda for Change band"),
        (["--growth", "depth", "--staff-group", "astronauts"], "staff-group"),
        (["--growth", "depth", "--age", "7"], "age"),
        (["--growth", "depth", "--limit", "0"], "limit"),
    ],
)
def test_cli_bad_values_exit_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, data, err = run(capsys, *argv)
    assert code == 2
    assert data == {}
    assert message in err


@pytest.mark.parametrize("argv", [["--growth", "upwards"], ["--impact", "strong"], ["--growth", "depth", "--age", "x"]])
def test_cli_bad_arguments_exit_non_zero(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["suggest", *argv])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err
