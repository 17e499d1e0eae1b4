"""The segments and interventions content files: shipped defaults and broken replacements."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.content import ContentError, load_items
from bot.engine import FALLBACK_KINDS, INTERVENTIONS_FILE, SOURCE_PREFIXES, InterventionEntry, load_interventions
from bot.framework import (
    BANDS,
    GROWTH_FOCUSES,
    IMPACT_LEVELS,
    READINESS_VALUES,
    SEGMENTS_FILE,
    SegmentEntry,
    load_framework,
)
from bot.settings import DEFAULT_CONTENT_DIR

CHECKED = dt.date(2026, 11, 23)


def shipped(filename: str) -> dict[str, object]:
    with (DEFAULT_CONTENT_DIR / filename).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict)
    return data


def write(directory: Path, filename: str, data: object) -> None:
    (directory / filename).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def assert_names(message: str, path: Path, section: str, index: int, field: str) -> None:
    """The error names the file, and on one line the section, the item's index and the field."""
    assert message.startswith(f"{path}:"), message
    lines = [line for line in message.splitlines()[1:] if line.strip().startswith(section)]
    assert any(re.search(rf"\b{index}\b", line) and f".{field}" in line for line in lines), message


# --- the shipped defaults ---------------------------------------------------------


def test_the_default_segment_table_covers_every_growth_impact_and_readiness() -> None:
    framework = load_framework()
    cells = {(s.growth, s.impact, s.readiness) for s in framework.segments}
    assert cells == {(g, i, r) for g in GROWTH_FOCUSES for i in IMPACT_LEVELS for r in READINESS_VALUES}
    assert len(framework.segments) == 36


def test_the_segments_file_says_it_is_a_default_an_organisation_can_replace() -> None:
    header = (DEFAULT_CONTENT_DIR / SEGMENTS_FILE).read_text(encoding="utf-8").split("growth:")[0]
    assert "DEFAULT" in header and "replace" in header


def test_every_segment_and_growth_focus_names_its_source_and_check_date() -> None:
    framework = load_framework()
    for entry in load_items(SEGMENTS_FILE, SegmentEntry):
        assert entry.source.startswith("seed:") and entry.last_checked == CHECKED
    for growth in framework.growth:
        assert growth.source.startswith("seed:") and growth.last_checked == CHECKED


def test_every_intervention_names_its_source_and_status_source() -> None:
    for item in load_interventions():
        assert item.source.startswith(SOURCE_PREFIXES), item.id
        assert item.status_source.startswith(SOURCE_PREFIXES), item.id


def test_links_point_only_to_the_national_pages_the_brief_names() -> None:
    links = {item.link for item in load_interventions() if item.link}
    assert links <= {"https://www.leadershipacademy.nhs.uk", "https://www.healthcareers.nhs.uk",
                     "https://www.nhsbsa.nhs.uk/member-hub"}


def test_the_catalogue_covers_the_interventions_in_the_brief() -> None:
    found = {item.id for item in load_interventions()}
    expected = {
        "coaching", "mentoring", "reciprocal-mentoring", "shadowing", "secondment", "stretch-assignment",
        "action-learning-set", "acting-up", "cpd-specialist-training", "edward-jenner", "mary-seacole",
        "rosalind-franklin", "elizabeth-garrett-anderson", "nye-bevan", "aspiring-chief-executive", "hps-stream-1",
        "hps-stream-2", "career-transition-1", "career-transition-2", "care-certificate", "functional-skills",
        "apprenticeship", "nursing-associate", "bridging-programme", "wellbeing-conversation", "flexible-working",
        "mid-career-conversation", "later-career-conversation", "nhs-pensions-advice", "partial-retirement",
        "retire-and-return",
    }  # fmt: skip
    assert expected <= found


def test_band_rules_in_the_catalogue_match_the_seed_documents() -> None:
    items = {item.id: item for item in load_interventions()}
    assert items["hps-stream-1"].bands == ("8a", "8b")
    assert items["hps-stream-2"].bands == ("8c", "8d")
    for item_id in ("care-certificate", "functional-skills", "nursing-associate", "nurse-degree-apprenticeship"):
        assert set(items[item_id].bands or BANDS) <= {"1", "2", "3", "4"}
    # People Plan: apprenticeships at every level; ambassadors come from every band.
    assert items["apprenticeship"].bands is None and items["nhs-ambassador"].bands is None
    assert items["later-career-conversation"].min_age == 55


def test_the_catalogue_has_a_fallback_open_to_everyone() -> None:
    assert any(
        item.kind in FALLBACK_KINDS and item.bands is None and item.staff_groups is None and item.min_age is None
        for item in load_interventions()
    )


# --- broken replacements give errors naming the file and the field ---------------------


def test_an_intervention_with_an_unknown_band_is_reported_by_file_id_and_field(tmp_path: Path) -> None:
    data = shipped(INTERVENTIONS_FILE)
    items = data["items"]
    assert isinstance(items, list)
    items[0]["bands"] = ["5", "8e"]
    write(tmp_path, INTERVENTIONS_FILE, data)
    with pytest.raises(ContentError) as error:
        load_items(INTERVENTIONS_FILE, InterventionEntry, directory=tmp_path)
    message = str(error.value)
    assert_names(message, tmp_path / INTERVENTIONS_FILE, "items", 0, "bands")
    assert "unknown value(s) 8e" in message


def test_an_intervention_missing_its_kind_is_reported(tmp_path: Path) -> None:
    data = shipped(INTERVENTIONS_FILE)
    items = data["items"]
    assert isinstance(items, list)
    del items[3]["kind"]
    write(tmp_path, INTERVENTIONS_FILE, data)
    with pytest.raises(ContentError) as error:
        load_interventions(directory=tmp_path)
    assert_names(str(error.value), tmp_path / INTERVENTIONS_FILE, "items", 3, "kind")
    assert "field required" in str(error.value)


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("growth", ["sideways"], "unknown value"),
        ("staff_groups", ["nursng"], "unknown value"),
        ("source", "my memory", "must start with"),
        ("link", "http://example.org", "https://"),
        ("last_checked", "last week", "invalid date"),
        ("segments", ["depth-huge-ready_now"], "not a segment id"),
    ],
)
def test_each_wrong_field_is_named_in_the_error(tmp_path: Path, field: str, value: object, complaint: str) -> None:
    data = shipped(INTERVENTIONS_FILE)
    items = data["items"]
    assert isinstance(items, list)
    items[1][field] = value
    write(tmp_path, INTERVENTIONS_FILE, data)
    with pytest.raises(ContentError) as error:
        load_interventions(directory=tmp_path)
    assert_names(str(error.value), tmp_path / INTERVENTIONS_FILE, "items", 1, field)
    assert complaint in str(error.value)


def test_a_catalogue_without_a_coaching_or_wellbeing_fallback_is_refused(tmp_path: Path) -> None:
    data = shipped(INTERVENTIONS_FILE)
    items = data["items"]
    assert isinstance(items, list)
    data["items"] = [item for item in items if item["kind"] not in FALLBACK_KINDS]
    write(tmp_path, INTERVENTIONS_FILE, data)
    with pytest.raises(ContentError, match="fallback"):
        load_interventions(directory=tmp_path)


def test_a_segment_whose_id_does_not_match_its_cell_is_reported(tmp_path: Path) -> None:
    data = shipped(SEGMENTS_FILE)
    segments = data["items"]
    assert isinstance(segments, list)
    segments[0]["id"] = "consolidate-strong-ready_now"
    write(tmp_path, SEGMENTS_FILE, data)
    with pytest.raises(ContentError) as error:
        load_framework(directory=tmp_path)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / SEGMENTS_FILE}:")
    assert "items" in message and "id must be 'consolidate-developing-not_now'" in message


def test_a_segment_table_with_a_missing_cell_is_refused(tmp_path: Path) -> None:
    data = shipped(SEGMENTS_FILE)
    segments = data["items"]
    assert isinstance(segments, list)
    data["items"] = [s for s in segments if s["id"] != "depth-solid-ready_now"]
    write(tmp_path, SEGMENTS_FILE, data)
    with pytest.raises(ContentError, match="segments.yml: 'items' has no segment for depth-solid-ready_now"):
        load_framework(directory=tmp_path)


def test_a_growth_focus_with_too_many_examples_is_reported(tmp_path: Path) -> None:
    data = shipped(SEGMENTS_FILE)
    growth = data["growth"]
    assert isinstance(growth, list)
    growth[1]["examples"] = ["a", "b", "c", "d"]
    write(tmp_path, SEGMENTS_FILE, data)
    with pytest.raises(ContentError) as error:
        load_framework(directory=tmp_path)
    assert_names(str(error.value), tmp_path / SEGMENTS_FILE, "growth", 1, "examples")
    assert "give 2 or 3 examples" in str(error.value)


def test_an_organisations_own_segment_names_are_used_without_code_changes(tmp_path: Path) -> None:
    data = shipped(SEGMENTS_FILE)
    segments = data["items"]
    assert isinstance(segments, list)
    for segment in segments:
        segment["name"] = f"Trust name for {segment['id']}"
    write(tmp_path, SEGMENTS_FILE, data)
    framework = load_framework(directory=tmp_path)
    assert framework.segment("depth", "solid", "ready_now").name == "Trust name for depth-solid-ready_now"


def _words_read_as_true_or_false(data: object, where: str = "") -> list:
    """Where a list of words holds a YAML boolean: an unquoted no, yes, on or off is read as one."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _words_read_as_true_or_false(value, f"{where}.{key}")]
    if isinstance(data, list):
        words = any(isinstance(item, str) for item in data)
        return ([where] if words and any(isinstance(item, bool) for item in data) else []) + [
            found for item in data for found in _words_read_as_true_or_false(item, where)]
    return []


@pytest.mark.parametrize("path", sorted(DEFAULT_CONTENT_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_no_word_in_the_content_is_read_as_true_or_false(path: Path) -> None:
    assert _words_read_as_true_or_false(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
