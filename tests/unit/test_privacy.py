from bot.privacy import describe_kept
from bot.store.repository import KeptData


def test_what_we_keep_is_truthful_and_counts_each_part() -> None:
    text = describe_kept(
        KeptData(answers_by_flow={"journal": 3, "stage1": 1}, shared_answers=1, plan_status="draft", channels=2)
    )
    assert "3 answers in your reflection journal" in text and "1 answer in stage 1 notes" in text
    assert "development plan (draft)" in text and "shared 1 answer" in text


def test_a_new_person_is_told_nothing_is_kept_yet() -> None:
    text = describe_kept(KeptData())
    assert "no journal answers or plan yet" in text and "Nothing is shared" in text
