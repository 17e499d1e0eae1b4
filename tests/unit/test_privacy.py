from bot.journey_service import coach_journey
from bot.privacy import describe_kept
from bot.store.repository import KeptData

TITLES = {flow.id: flow.title for flow in coach_journey().flows}


def test_what_we_keep_is_truthful_and_counts_each_part() -> None:
    text = describe_kept(
        KeptData(answers_by_flow={"journal": 3, "stage1": 1}, shared_answers=1, plan_status="draft", channels=2),
        TITLES,
    )
    assert "3 answers for “Personal reflection journal”" in text
    assert "1 answer for “Stage 1: well-being and strengths”" in text
    assert "development plan (draft)" in text and "shared 1 answer" in text
    assert '"download my data" for a copy of everything' in text


def test_a_managers_notes_are_named_in_plain_words_never_by_an_internal_id() -> None:
    text = describe_kept(KeptData(answers_by_flow={"manager_prep": 2, "outcome": 1, "retired_flow": 1}), TITLES)
    assert "2 answers for “Preparing as a line manager”" in text
    assert "1 answer for “Recording the agreed outcome”" in text and "1 answer in other notes" in text
    assert not any(flow_id in text for flow_id in ("manager_prep", "outcome;", "retired_flow"))


def test_a_new_person_is_told_nothing_is_kept_yet() -> None:
    text = describe_kept(KeptData(), TITLES)
    assert "no journal answers or plan yet" in text and "Nothing is shared" in text
