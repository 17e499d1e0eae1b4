"""The journey service on its own: no Rasa, a real SQLite store, messages in and turns out."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy import event

from bot.dates import read_date
from bot.journey import Prompt
from bot.journey_service import OFFERED_AFTER_CHECK_IN, JourneyService, Place, coach_journey, takes_earlier
from bot.plan import choice_options, suggestions_for
from bot.rehearsal_service import Practice, RehearsalService
from bot.safety import assess
from bot.sharing import SharingService
from bot.store import CoachStore
from bot.turn import PAUSE, Message, Turn


def said(text: str, *, choice: Optional[str] = None, intent: str = "inform") -> Message:
    return Message(text, "choose" if choice else intent, choice, assess(text))


def texts(turn: Turn) -> str:
    return "\n".join(r.text or r.response or "" for r in turn.replies)


def test_a_new_person_starts_at_the_journal(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:new")
    assert service.start(person).state == {"flow": "journal", "editing": None, "answer": None, "prompt_id": None}
    asked = service.ask(person, Place("journal"))
    assert asked.state == {"prompt_id": "journal.details.role"}
    assert "reflection journal" in texts(asked) and "Section 1 of 6" in texts(asked)


def test_an_answer_is_stored_acknowledged_and_the_next_prompt_follows(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:answer")
    place = Place("journal", prompt_id="journal.details.role")
    turn = service.take(person, place, said("Band 5 staff nurse on a surgical ward"))
    assert turn.state == {"answer": None}
    assert texts(turn) and "Band 5 staff nurse" not in texts(turn)
    assert coach_store.answers(person)["journal.details.role"].text == "Band 5 staff nurse on a surgical ward"
    assert "Section 2 of 6" in texts(service.ask(person, Place("journal")))


def test_a_disclosure_is_never_stored_whatever_the_prompt(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:risk")
    for prompt_id in ["journal.details.role", "stage2.growth", "stage3.review"]:
        flow = prompt_id.split(".")[0]
        turn = service.take(person, Place(flow, prompt_id=prompt_id), said("i want to end my life tonight"))
        assert turn.state == {"answer": None}
    assert coach_store.answers(person) == {}


def test_a_question_mid_form_is_answered_in_place_and_nothing_is_stored(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:faq")
    message = Message("what does breadth mean?", "faq", None, assess("what does breadth mean?"),
                      "faq/what_is_breadth")
    turn = service.take(person, Place("journal", prompt_id="journal.details.role"), message)
    assert turn.replies[0].response == "utter_faq/what_is_breadth" and turn.state == {"answer": None}
    assert coach_store.answers(person) == {}


@pytest.mark.parametrize("asked", ["how far through am i", "how many questions are left",
                                   "sorry lost track, which bit am i on now?"])
def test_asking_how_far_through_mid_form_shows_the_place_even_when_the_nlu_says_off_topic(
        coach_store: CoachStore, asked: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:progress")
    turn = service.take(person, Place("journal", prompt_id="journal.details.role"), said(asked, intent="out_of_scope"))
    assert "Here's where you are" in texts(turn) and "outside what I can help with" not in texts(turn)
    assert turn.state == {"answer": None} and coach_store.answers(person) == {}


def test_asking_which_stage_mid_form_shows_the_place_not_the_stages_faq(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:which-stage")
    asked = Message("which stage am i on", "faq", None, assess("which stage am i on"), "faq/the_stages")
    turn = JourneyService(coach_store).take(person, Place("journal", prompt_id="journal.details.role"), asked)
    assert "Here's where you are" in texts(turn) and "three stages" not in texts(turn)
    assert coach_store.answers(person) == {}


@pytest.mark.parametrize("asked", ["how many goals should I set?", "what matters most to me is my family"])
def test_a_question_or_answer_that_only_sounds_like_progress_is_not_taken_for_it(
        coach_store: CoachStore, asked: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:not-progress")
    turn = service.take(person, Place("journal", prompt_id="journal.details.role"), said(asked, intent="out_of_scope"))
    assert "Here's where you are" not in texts(turn)


def test_editing_keeps_the_old_answer_as_a_revision_and_leaves_the_flow(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:edit")
    coach_store.save_answer(person, "journal", "journal.details.role", "nurse")
    place = Place("journal", editing="journal.details.role", prompt_id="journal.details.role")
    assert "Before, you said: “nurse”" in texts(service.ask(person, place))
    turn = service.take(person, place, said("ward sister"))
    assert turn.state == {"answer": "done", "editing": None, "flow": None}
    assert coach_store.answers(person)["journal.details.role"].text == "ward sister"
    assert coach_store.revisions(person, "journal", "journal.details.role") == ["nurse"]


def test_resume_names_the_flow_the_question_says_how_far_and_review_lists_what_was_written(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:resume")
    coach_store.save_answer(person, "journal", "journal.details.role", "nurse")
    assert texts(service.resume(person, Place())) == "Picking up where you left off, in “Personal reflection journal”."
    assert texts(service.ask(person, Place("journal"))).startswith("Section 2 of 6: ")
    review = service.review(person)
    assert "“nurse”" in texts(review) and [b["title"] for b in review.replies[-1].buttons] == ["Answer 1"]


def test_where_was_i_from_someone_who_has_not_started_says_so_and_begins_the_journal(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    turn = service.resume(coach_store.person_id("web:new"), Place())
    assert texts(turn) == "You haven't started yet, so let's begin with your journal."
    assert turn.state["flow"] == "journal"


def test_how_far_through_with_nothing_asked_names_the_next_part_once_one_is_finished(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:between")
    for prompt in coach_journey().flow("journal").prompts:
        coach_store.save_answer(person, "journal", prompt.id, "an answer")
    turn = service.where_you_are(person)
    assert texts(turn).startswith("Next is “Stage 1") and "haven't begun it" in texts(turn)
    assert turn.state == {} and turn.leave is None  # told, not started: "Carry on where I was" starts it


def test_how_far_through_when_everything_is_answered_offers_the_answers_and_the_plan(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:finished")
    for flow in coach_journey().staff_flows():
        for prompt in flow.prompts:
            coach_store.save_answer(person, flow.id, prompt.id, "an answer")
    turn = service.where_you_are(person)
    assert "already prepared everything" in texts(turn)
    assert [b["payload"] for b in turn.replies[0].buttons] == ["/review_journal", "/send_plan"]


def asked_at(coach_store: CoachStore, sender: str, flow: str, prompt_id: str) -> str:
    """Someone part way through ``flow``: every question before ``prompt_id`` answered, that one next."""
    person = coach_store.person_id(sender)
    for prompt in coach_journey().flow(flow).prompts:
        if prompt.id == prompt_id:
            return person
        coach_store.save_answer(person, flow, prompt.id, "an answer")
    raise KeyError(prompt_id)


@pytest.mark.parametrize("prompt_id", ["outcome.growth", "outcome.impact", "outcome.readiness"])
def test_a_line_manager_recording_the_outcome_reads_each_option_said_of_the_member_of_staff(
        coach_store: CoachStore, prompt_id: str) -> None:
    manager = asked_at(coach_store, "web:manager", "outcome", prompt_id)
    options = texts(JourneyService(coach_store).ask(manager, Place("outcome"))).split("\n• ")[1:]
    assert len(options) >= 3 and all(" their " in f" {o} " or "they" in o for o in options), options
    assert not any(word in f" {o.lower()} " for o in options for word in (" you ", " your ", " you'd ")), options


def at_the_outcome_details(coach_store: CoachStore) -> str:
    """A line manager recording an outcome, asked for the member of staff's band and staff group."""
    return asked_at(coach_store, "web:recording", "outcome", "outcome.details")


@pytest.mark.parametrize("details", ["band 6 physiotherapist", "porter", "band 7", "pharmacist 8a"])
def test_a_band_or_a_staff_group_given_for_the_outcome_is_taken(coach_store: CoachStore, details: str) -> None:
    service = JourneyService(coach_store)
    manager = at_the_outcome_details(coach_store)
    service.take(manager, Place("outcome"), said(details))
    assert coach_store.answers(manager, "outcome")["outcome.details"].text == details


def test_words_that_name_no_band_or_staff_group_are_kept_and_asked_about_then_saved_if_the_manager_says(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    manager = at_the_outcome_details(coach_store)
    assert service.take(manager, Place("outcome"), said("asdfgh")).state == {"answer": None}
    assert "outcome.details" not in coach_store.answers(manager, "outcome")
    asked = service.ask(manager, Place("outcome", prompt_id="outcome.details"))
    assert "couldn't find a band or a staff group in “asdfgh”" in texts(asked)
    service.take(manager, Place("outcome"), said("", choice="keep"))
    assert coach_store.answers(manager, "outcome")["outcome.details"].text == "asdfgh"


def test_a_line_manager_recording_the_outcome_reads_the_development_actions_said_of_the_member_of_staff(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    manager = coach_store.person_id("web:actions")
    for prompt_id, choice in [("outcome.growth", "depth"), ("outcome.impact", "solid"),
                              ("outcome.readiness", "ready_later")]:
        coach_store.save_answer(manager, "outcome", prompt_id, choice, value=choice)
    coach_store.save_answer(manager, "outcome", "outcome.details", "band 5 staff nurse")
    listed = texts(service.ask(manager, Place("outcome")))
    assert "Which development actions did you agree?" in listed and "Suits their focus on depth" in listed, listed
    reasons = [line.split(": ", 1)[1] for line in listed.split("\n") if line[:1].isdigit()]  # after each name
    assert len(reasons) >= 3 and not any(" you " in f" {r} " or " your " in f" {r} " for r in reasons), reasons


def test_a_member_of_staffs_own_role_is_taken_in_their_own_words(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:own-words")
    service.take(person, Place("journal"), said("I run the discharge lounge"))
    assert coach_store.answers(person, "journal")["journal.details.role"].text == "I run the discharge lounge"


def test_two_options_named_are_kept_as_a_note_that_a_later_yes_does_not_replace(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = asked_at(coach_store, "web:torn", "stage2", "stage2.impact")
    torn = service.take(person, Place("stage2"), said("somewhere between solid and strong i reckon"))
    assert "You named Solid and Strong: which fits best for now?" in texts(torn) and torn.state == {"answer": None}
    yes = service.take(person, Place("stage2"), said("yeah sounds about right"))
    assert "kept what you wrote" not in texts(yes)
    note = coach_store.answers(person, "stage2")["stage2.impact.note"]
    assert note.text == "somewhere between solid and strong i reckon"
    assert "stage2.impact" not in coach_store.answers(person, "stage2")


def test_staff_choosing_their_growth_focus_read_the_options_said_to_them(coach_store: CoachStore) -> None:
    person = asked_at(coach_store, "web:staff", "stage2", "stage2.growth")
    assert "• Depth: expanding your expertise" in texts(JourneyService(coach_store).ask(person, Place("stage2")))


AT_THE_SECOND_QUESTION = Place("journal", prompt_id="journal.wellbeing.now")


def role_answered(coach_store: CoachStore, sender: str) -> str:
    """A member of staff who has answered the journal's first question; the second is being asked."""
    person = coach_store.person_id(sender)
    coach_store.save_answer(person, "journal", "journal.details.role", "nurse")
    return person


def test_asking_back_what_one_wrote_mid_form_shows_that_answer_and_asks_the_question_again(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, "web:recall")
    turn = service.take(person, AT_THE_SECOND_QUESTION, said("what did i put for my role", intent="nlu_fallback"))
    assert "You said: “nurse”" in texts(turn) and texts(turn).endswith("Here's the question again.")
    assert turn.state == {"answer": None} and turn.leave is None  # the form stays, and asks again
    assert list(coach_store.answers(person)) == ["journal.details.role"]  # nothing stored


@pytest.mark.parametrize("undo", ["undo", "undo that", "Undo my last answer", "can u go back one",
                                  "previous question pls"])
def test_undo_mid_form_shows_the_answer_given_last_to_edit_or_delete(coach_store: CoachStore, undo: str) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, "web:undo")
    coach_store.save_answer(person, "journal", "journal.wellbeing.now", "tired")
    turn = service.take(person, Place("journal", prompt_id="journal.wellbeing.support"), said(undo, intent="affirm"))
    assert "Here's your last answer" in texts(turn) and "You said: “tired”" in texts(turn)
    assert [b["title"] for b in turn.replies[-1].buttons] == ["Edit it", "Delete it", "Back to the list"]


def test_wanting_to_change_at_shall_we_carry_on_shows_the_answers_and_pauses(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, "web:carry-change")
    turn = service.carry_on(person, Place("journal"), said("wait i want to change that", intent="nlu_fallback"))
    assert "choose the answer you'd like to change" in texts(turn) and turn.leave == PAUSE
    assert turn.state == {"pending_confirmation": None}


def test_words_the_check_in_met_are_never_kept_after_im_safe_and_the_question_is_asked_again(
        coach_store: CoachStore) -> None:
    service, place = JourneyService(coach_store), AT_THE_SECOND_QUESTION
    person = role_answered(coach_store, "web:unsure")
    # The classifier alone meets disclosures the lexicon misses, as well as everyday answers.
    for words in ["delegating. i try to do everything myself", "2 weeks clean from sh and I just broke it"]:
        service.resume(person, place, unsure_words=Message(words, "inform"))
        assert sorted(coach_store.answers(person)) == ["journal.details.role"]
        assert "How are you feeling about work" in texts(service.ask(person, place))


def test_a_skip_the_check_in_met_is_done_after_im_safe(coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-skip")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION,
                                              unsure_words=Message("cant think of anything, skip it", "inform"))
    assert texts(turn).startswith("No problem, we'll leave that one.")
    assert coach_store.answers(person)["journal.wellbeing.now"].skipped


def test_a_stop_the_check_in_met_pauses_after_im_safe_and_asks_nothing(coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-stop")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION,
                                              unsure_words=Message("i'm done, i can't face this, stop please"))
    assert [reply.response for reply in turn.replies] == ["utter_paused"] and turn.leave == PAUSE
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]


def test_a_question_the_check_in_met_is_answered_after_im_safe_and_the_question_follows(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-question")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION,
                                              unsure_words=Message("why are you asking?", "inform"))
    assert texts(turn).endswith("Here's the question again.") and "Picking up" not in texts(turn)
    assert turn.leave != PAUSE and sorted(coach_store.answers(person)) == ["journal.details.role"]


def test_a_change_the_check_in_met_offers_the_answer_after_im_safe_and_keeps_none_of_the_words(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-change")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION,
                                              unsure_words=Message("can i redo my role answer, i undersold myself"))
    assert "Here's that answer." in texts(turn) and "/edit_answer" in str(turn.replies) and turn.leave == PAUSE
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]  # nothing kept to ask about later


def test_a_request_the_check_in_met_is_offered_after_im_safe_and_the_question_follows(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-request")
    said = Message("send me the plan when its all done please, to my work email", "send_plan")  # as the NLU chose
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION, unsure_words=said)
    assert texts(turn) == OFFERED_AFTER_CHECK_IN and "Picking up" not in texts(turn)
    assert [b["payload"] for reply in turn.replies for b in reply.buttons] == ["/send_plan"] and turn.leave != PAUSE
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]


@pytest.mark.parametrize("said", [Message("wipe everything ive written pls", "delete_data"),
                                  Message("can we start the whole thing again from the top", "restart")])
def test_deleting_or_starting_again_the_check_in_met_is_never_offered_after_im_safe(
        coach_store: CoachStore, said: Message) -> None:
    person = role_answered(coach_store, f"web:unsure-{said.intent}")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION, unsure_words=said)
    assert OFFERED_AFTER_CHECK_IN not in texts(turn) and "Picking up" in texts(turn)
    assert not [b for reply in turn.replies for b in reply.buttons if b["payload"] == f"/{said.intent}"]


def test_a_change_the_check_in_met_with_nothing_written_yet_is_let_go(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:unsure-change-first")
    turn = JourneyService(coach_store).resume(person, Place("journal", prompt_id="journal.details.role"),
                                              unsure_words=Message("can i change my answer", "inform"))
    assert turn.leave != PAUSE and coach_store.answers(person) == {}


def test_who_sees_the_journal_asked_at_a_question_is_only_you_while_nothing_is_shared(
        coach_store: CoachStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("COACH_PUBLIC_URL", "https://coach.example.nhs.uk")
    person = role_answered(coach_store, "web:who-sees")
    service = JourneyService(coach_store)
    turn = service.take(person, AT_THE_SECOND_QUESTION, Message("is this anonymous?", "faq"))
    assert [reply.response for reply in turn.replies] == ["utter_faq/who_sees_journal"]
    assert turn.state["answer"] is None and sorted(coach_store.answers(person)) == ["journal.details.role"]
    SharingService(coach_store).share(person, "journal.details.role")
    shared = service.take(person, AT_THE_SECOND_QUESTION, Message("will my manager see this", "share_with_manager"))
    assert "utter_faq/who_sees_journal" not in [reply.response for reply in shared.replies]  # "Only you" is untrue
    assert "Here's what you've shared" in texts(shared)
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]
    asked_from_cold = Message.parsed("who can see my journal", {
        "intent": {"name": "faq"}, "response_selector": {"faq": {"response": {"intent_response_key":
                                                                               "faq/who_sees_journal"}}}})
    assert "Here's what you've shared" in texts(service.answer_faq(person, asked_from_cold))


def test_markup_is_read_past_and_an_answer_with_it_is_stored_as_typed(coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:markup")
    service = JourneyService(coach_store)
    service.take(person, AT_THE_SECOND_QUESTION, Message("<b>skip</b>", "inform"))
    assert coach_store.answers(person)["journal.wellbeing.now"].skipped
    at_the_third = Place("journal", prompt_id="journal.wellbeing.support")
    service.take(person, at_the_third, Message("<i>protected breaks</i> & a chair", "inform"))
    assert coach_store.answers(person)["journal.wellbeing.support"].text == "<i>protected breaks</i> & a chair"


@pytest.mark.parametrize("place", [Place("journal", prompt_id="journal.details.role"),  # answered since
                                   Place("journal", editing="journal.details.role", prompt_id="journal.details.role"),
                                   Place()])  # said outside the journey
def test_a_skip_the_check_in_met_is_done_only_at_the_question_still_being_asked(coach_store: CoachStore,
                                                                               place: Place) -> None:
    person = role_answered(coach_store, "web:unsure-elsewhere")
    JourneyService(coach_store).resume(person, place, unsure_words=Message("cant think of anything, skip it"))
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]
    assert not coach_store.answers(person)["journal.details.role"].skipped


def test_a_rehearsal_question_gets_a_reply_and_feedback_and_is_logged(coach_store: CoachStore) -> None:
    service = RehearsalService(coach_store)
    manager = coach_store.person_id("web:manager")
    practice = Practice("hca_nursing", 1, [])
    turn = service.take(manager, practice, said("What matters most to you in your work?"))
    assert turn.state["question"] is None
    assert turn.state["rehearsal_log"] == [{"question": "What matters most to you in your work?", "stage": 1}]
    assert texts(turn).count("\n") >= 1 and "Feedback:" in texts(turn)


def test_a_question_asked_before_picking_a_practice_colleague_says_how_to_pick_one(coach_store: CoachStore) -> None:
    service = RehearsalService(coach_store)
    manager = coach_store.person_id("web:eager-manager")
    turn = service.take(manager, Practice(), said("hi, how are you finding things at the moment?"))
    assert "type a name (Amira, Daniel, Grace or Sam) or use the buttons" in texts(turn)
    assert "persona" not in turn.state
    picked = service.take(manager, Practice(), said("amira please"))
    assert picked.state["persona"] == "hca_nursing"


def test_one_unit_of_work_is_one_transaction_and_a_failure_stores_nothing(coach_store: CoachStore) -> None:
    begun: list[object] = []
    event.listen(coach_store.engine, "begin", lambda connection: begun.append(connection))
    service = JourneyService(coach_store)
    with coach_store.unit_of_work():
        person = coach_store.person_id("web:uow")
        service.take(person, Place("journal", prompt_id="journal.details.role"), said("Band 6 physio"))
        service.ask(person, Place("journal"))
    assert len(begun) == 1
    try:
        with coach_store.unit_of_work():
            coach_store.save_answer(person, "journal", "journal.details.band", "6")
            raise RuntimeError("the server stopped mid-turn")
    except RuntimeError:
        pass
    assert "journal.details.band" not in coach_store.answers(person)


def test_a_stage_of_one_section_counts_questions_without_repeating_its_title(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:stage1")
    coach_store.save_answer(person, "stage1", "stage1.motivation", "the patients")
    asked = texts(service.ask(person, Place("stage1")))
    assert asked.startswith("Question 2 of 4\n") and "section" not in asked.lower()


def test_welcome_back_never_says_part_way_through_with_nothing_answered(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:next")
    for prompt in service.journey.flow("journal").prompts:
        coach_store.save_answer(person, "journal", prompt.id, "an answer")
    assert texts(service.start(person)) == "Welcome back. Next is “Stage 1: well-being and strengths”."
    coach_store.save_answer(person, "stage1", service.journey.flow("stage1").prompts[0].id, "an answer")
    assert "part way through “Stage 1: well-being and strengths” (1 of 4 answered)" in texts(service.start(person))


def answer_the_first_and_skip_the_rest(service: JourneyService, person: str, flow: str,
                                       answer: str) -> tuple[Prompt, ...]:
    prompts = service.journey.flow(flow).prompts
    for n, prompt in enumerate(prompts):
        service.store.save_answer(person, flow, prompt.id, "" if n else answer,
                                  status="answered" if n == 0 else "skipped")
    return prompts


def test_a_journal_mostly_skipped_is_not_thanked_as_done(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:skipper")
    prompts = answer_the_first_and_skip_the_rest(service, person, "journal", "Band 2 porter")
    ended = texts(service.complete(person, Place("journal")))
    assert "done" not in ended and f"You skipped {len(prompts) - 1} of {len(prompts)}" in ended
    assert "review my journal" in ended and "Shall we carry on?" in ended
    offered = [b for r in service.complete(person, Place("journal")).replies for b in r.buttons]
    assert {"title": "Go back to the ones I skipped", "payload": '/review_journal{"part": "journal"}'} in offered
    answered = coach_store.person_id("web:answerer")
    for prompt in prompts:
        coach_store.save_answer(answered, "journal", prompt.id, "a real answer")
    assert "That's your journal done." in texts(service.complete(answered, Place("journal")))


def test_a_worry_in_an_answer_gets_a_fitting_reply_and_a_way_to_the_resources(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:worried")
    place = Place("journal", prompt_id="journal.details.role")
    turn = service.take(person, place, said("Band 6 physio, 58 and wondering what to do about my pension"))
    assert "NHS Pension Scheme" in texts(turn)
    assert [b["title"] for b in turn.replies[-1].buttons] == ["Pensions and retirement"]
    assert turn.replies[-1].buttons[0]["payload"].startswith("/find_resources")
    plain = service.take(coach_store.person_id("web:calm"), place, said("Band 6 physio on the stroke unit"))
    assert len(plain.replies) == 1


def test_a_managers_own_notes_get_no_worry_reply(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:manager")
    turn = service.take(person, Place("manager_prep", prompt_id="manager_prep.bias_check"),
                        said("I might judge her unfairly because she challenged me last month"))
    assert "Freedom to Speak Up" not in texts(turn)


def test_every_question_keeps_each_bubble_to_the_budget_and_about_six_buttons(coach_store: CoachStore) -> None:
    """Every prompt of every flow, asked with nothing answered and again once stage 2 is filled in (the
    placement and the suggestions then say most)."""
    from bot.turn import BUBBLE_CHARS

    service = JourneyService(coach_store)
    person = coach_store.person_id("web:budget")
    over = []
    for filled in (False, True):
        if filled:
            for prompt_id, value in [("stage2.growth", "stretch"), ("stage2.impact", "strong"),
                                     ("stage2.readiness", "ready_now")]:
                coach_store.save_answer(person, "stage2", prompt_id, value, value=value)
            coach_store.save_answer(person, "stage2", "stage2.aspiration",
                                    "To lead a community nursing team of my own within the next two years")
        for flow in service.journey.flows:
            for prompt in flow.prompts:
                for reply in service.ask(person, Place(flow.id, editing=prompt.id)).replies:
                    if len(reply.text or "") > BUBBLE_CHARS or len(reply.buttons) > 6:
                        over.append(f"{prompt.id}: {len(reply.text or '')} characters, {len(reply.buttons)} buttons")
    assert over == []


def test_a_choice_asked_again_is_short_the_question_and_its_buttons_without_the_definitions(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:again")
    coach_store.save_answer(person, "stage2", "stage2.competences", "x")
    coach_store.save_answer(person, "stage2", "stage2.impact", "solid", value="solid")
    coach_store.save_answer(person, "stage2", "stage2.impact_evidence", "x")
    asked = service.ask(person, Place("stage2", prompt_id="stage2.impact_evidence"))
    again = service.ask(person, Place("stage2", prompt_id="stage2.growth"))
    assert "•" in texts(asked)  # the first time, each option with its first sentence
    assert "•" not in texts(again) and len(again.replies) == 1
    assert [b["title"] for b in again.replies[0].buttons] == [b["title"] for b in asked.replies[-1].buttons]


def test_a_question_that_recalls_an_earlier_answer_offers_it_rather_than_asking_twice(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:recall")
    coach_store.save_answer(person, "journal", "journal.matters.energy", "Teaching students gives me energy")
    asked = service.ask(person, Place("stage1", prompt_id=None))
    assert "What motivates you most" in texts(asked)
    assert "Earlier you said: “Teaching students gives me energy”" in texts(asked)
    assert asked.replies[-1].buttons[0]["title"] == "Use what I wrote"
    turn = service.take(person, Place("stage1", prompt_id="stage1.motivation"), said("", choice="use_earlier"))
    assert "used what you wrote before" in texts(turn)
    assert coach_store.answers(person)["stage1.motivation"].text == "Teaching students gives me energy"
    coach_store.save_answer(person, "journal", "journal.strengths.strengths", "Calm in a crisis")
    typed = Message("use what I wrote", "review_journal", None, assess("use what I wrote"))  # the button's label
    service.take(person, Place("stage1", prompt_id="stage1.experience"), typed)
    assert coach_store.answers(person)["stage1.experience"].text == "Calm in a crisis"
    coach_store.delete_answer(person, "stage1", "stage1.experience")
    coach_store.save_answer(person, "journal", "journal.career.vision", "Ward manager in three years")
    service.take(person, Place("stage2", prompt_id="stage2.aspiration"), said("yes", intent="affirm"))
    assert coach_store.answers(person)["stage2.aspiration"].text == "Ward manager in three years"
    own = service.take(person, Place("stage1", prompt_id="stage1.experience"), said("Leading the falls audit"))
    assert "Earlier" not in texts(own)
    assert coach_store.answers(person)["stage1.experience"].text == "Leading the falls audit"


def test_a_recalled_answer_is_not_offered_when_there_is_none_or_when_editing(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:norecall")
    assert "Earlier you said" not in texts(service.ask(person, Place("stage1")))
    coach_store.save_answer(person, "journal", "journal.matters.energy", "", status="skipped")
    assert "Earlier you said" not in texts(service.ask(person, Place("stage1")))
    coach_store.save_answer(person, "journal", "journal.matters.energy", "Teaching")
    coach_store.save_answer(person, "stage1", "stage1.motivation", "Patients")
    editing = service.ask(person, Place("stage1", editing="stage1.motivation"))
    assert "Earlier you said" not in texts(editing)
    stale = service.take(person, Place("stage1", prompt_id="stage1.experience"), said("", choice="use_earlier"))
    assert stale.state == {"answer": None} and "stage1.experience" not in coach_store.answers(person)


def test_walking_every_flow_with_long_answers_keeps_every_reply_to_the_budget(coach_store: CoachStore) -> None:
    """Every flow (the journal, the stages, the manager's preparation and outcome) answered prompt by prompt with
    long answers that voice a worry, then finished: every reply keeps to the budget."""
    from bot.turn import BUBBLE_CHARS

    long = ("I'd love to train as a nurse but I can't afford to drop my hours, and I felt fobbed off last time. "
            * 12)
    typed = {"choice": None, "placement": "yes", "suggestions": "done", "date": "in six months", "summary": "yes"}
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:walker")
    over = []
    for flow in service.journey.flows:
        turns = []
        for prompt in flow.prompts:
            place = Place(flow.id, prompt_id=prompt.id)
            turns.append(service.ask(person, place))
            if prompt.kind == "choice":
                message = said("", choice=plan_options(prompt)[0])
            else:
                message = said(typed.get(prompt.kind) or long, intent="affirm" if prompt.kind in (
                    "placement", "summary") else "inform")
            turns.append(service.take(person, place, message))
        turns.append(service.complete(person, Place(flow.id)))
        over += [f"{flow.id}: {len(r.text or '')} characters, {len(r.buttons)} buttons" for t in turns
                 for r in t.replies if len(r.text or "") > BUBBLE_CHARS or len(r.buttons) > 6]
    assert over == []


def plan_options(prompt: Prompt) -> list[str]:
    return [o.id for o in choice_options(prompt.options_from or "")]


def test_strain_in_a_staff_answer_gets_a_short_calm_reply_and_a_managers_notes_get_none(
        coach_store: CoachStore) -> None:
    from bot.turn import BUBBLE_CHARS

    service = JourneyService(coach_store)
    person = coach_store.person_id("web:strained")
    staff = service.take(person, Place("journal", prompt_id="journal.wellbeing.now"),
                         said("I am so stressed and exhausted, the rota is killing me"))
    assert "lot to carry" in texts(staff) and all(len(r.text or "") <= BUBBLE_CHARS for r in staff.replies)
    assert staff.replies[-1].buttons[0]["title"] == "Well-being support"
    manager = service.take(person, Place("manager_prep", prompt_id="manager_prep.bias_check"),
                           said("I might judge her unfairly because she has been off with stress"))
    assert "lot to carry" not in texts(manager)


@pytest.mark.parametrize("answer", ["tired but ok", "stressed, but getting there tbh", "knackered but fine thanks x",
                                    "bit tired, otherwise ok"])
def test_strain_in_an_answer_that_ends_by_saying_the_person_is_managing_gets_a_word_and_the_button(
        coach_store: CoachStore, answer: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:coping")
    turn = service.take(person, Place("journal", prompt_id="journal.wellbeing.now"), said(answer))
    assert "Thanks for being honest" in texts(turn) and "lot to carry" not in texts(turn)
    assert turn.replies[-1].buttons[0]["title"] == "Well-being support"
    assert coach_store.answers(person)["journal.wellbeing.now"].text == answer


def test_a_button_from_an_earlier_question_is_not_saved_as_a_written_answer(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:stale")
    turn = service.take(person, Place("stage1", prompt_id="stage1.experience"), said("", choice="solid"))
    assert turn.state == {"answer": None} and "earlier question" in texts(turn)
    assert coach_store.answers(person) == {}


@pytest.mark.parametrize(("text", "takes"), [
    ("Use what I wrote", True), ("use that", True), ("yes", True), ("same as before", True),
    ("use my skills more", False), ("using my initiative", False), ("the patients", False),
])
def test_what_takes_up_an_earlier_answer_and_what_is_a_new_one(text: str, takes: bool) -> None:
    assert takes_earlier(text) is takes


def test_suggestions_can_be_picked_by_their_number_and_every_name_shows_within_the_budget(
        coach_store: CoachStore) -> None:
    from bot.turn import BUBBLE_CHARS

    service = JourneyService(coach_store)
    person = coach_store.person_id("web:picker")
    coach_store.save_answer(person, "journal", "journal.details.role", "Band 3 healthcare assistant")
    coach_store.save_answer(person, "journal", "journal.career.vision", "I want to train as a nursing associate")
    for prompt_id, value in [("stage2.growth", "stretch"), ("stage2.impact", "solid"),
                             ("stage2.readiness", "ready_later")]:
        coach_store.save_answer(person, "stage2", prompt_id, value, value=value)
    coach_store.save_answer(person, "stage3", "stage3.goals", "Start the nursing associate apprenticeship")
    place = Place("stage3", prompt_id="stage3.interventions")
    asked = service.ask(person, Place("stage3", prompt_id="stage3.goals"))
    listed = asked.replies[-1]
    assert all(len(reply.text or "") <= BUBBLE_CHARS for reply in asked.replies)
    names = [b["title"].split(": ", 1)[1] for b in listed.buttons if b["title"].startswith("Add ")]
    assert len(names) >= 3 and all(name in texts(asked) for name in names)
    service.take(person, place, said("add 1 and 3"))
    assert coach_store.answers(person)["stage3.interventions.draft"].value == [
        b["payload"].split('"choice": "')[1].split('"')[0] for b in listed.buttons[:3:2]]
    nothing = service.take(person, place, said("add 9"))
    assert "Pick an option" in texts(nothing)


def at_the_suggestions(coach_store: CoachStore, sender: str) -> str:
    """A member of staff at stage 3's development options, having aimed to step up."""
    person = coach_store.person_id(sender)
    for prompt_id, value in [("stage2.growth", "stretch"), ("stage2.impact", "solid"),
                             ("stage2.readiness", "ready_later")]:
        coach_store.save_answer(person, "stage2", prompt_id, value, value=value)
    coach_store.save_answer(person, "stage2", "stage2.aspiration", "band 6 charge nurse in a year or two")
    coach_store.save_answer(person, "stage3", "stage3.goals", "lead the night team")
    return person


def test_two_suggestions_named_in_one_message_are_both_added(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = at_the_suggestions(coach_store, "web:two-names")
    place = Place("stage3", prompt_id="stage3.interventions")
    shown = {s.intervention.name: s.intervention.id for s in plan_suggestions(coach_store, person)}
    assert {"Acting up", "Mentoring"} <= set(shown), shown
    turn = service.take(person, place, said("add acting up and mentoring"))
    assert texts(turn) == "Added Acting up.\nAdded Mentoring."
    assert coach_store.answers(person)["stage3.interventions.draft"].value == [shown["Acting up"], shown["Mentoring"]]


def test_asking_more_about_two_suggestions_shows_both_and_adds_neither(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = at_the_suggestions(coach_store, "web:more-about")
    turn = service.take(person, Place("stage3", prompt_id="stage3.interventions"),
                        said("tell me more about acting up and mentoring"))
    assert "Acting up" in texts(turn) and "Mentoring" in texts(turn) and "Added" not in texts(turn)
    assert "stage3.interventions.draft" not in coach_store.answers(person)


def plan_suggestions(coach_store: CoachStore, person: str) -> list:
    return suggestions_for(coach_store.answers(person), "stage3")


def at_the_summary(coach_store: CoachStore, sender: str) -> str:
    """A member of staff whose plan is drafted, asked whether to save it."""
    person = at_the_suggestions(coach_store, sender)
    coach_store.save_answer(person, "stage3", "stage3.interventions", "Acting up", value=["acting-up"])
    coach_store.save_answer(person, "stage3", "stage3.support", "time off the rota")
    coach_store.save_answer(person, "stage3", "stage3.review", "in the spring", value="2027-04-30")
    return person


@pytest.mark.parametrize("asked", ["looks good but make the review date june",
                                   "can the review be in june instead"])
def test_a_new_review_date_asked_for_at_the_summary_is_changed_at_once(coach_store: CoachStore, asked: str) -> None:
    service = JourneyService(coach_store)
    person = at_the_summary(coach_store, "web:new-date")
    june = read_date("june")  # the next end of June, whenever this runs
    assert june is not None
    turn = service.take(person, Place("stage3", prompt_id="stage3.summary"), said(asked))
    assert f"review date of {june:%-d %B %Y}" in texts(turn) and turn.state == {"answer": None}
    assert coach_store.answers(person)["stage3.review"].value == june.isoformat()
    assert "stage3.summary" not in coach_store.answers(person)  # not saved: the summary is shown again
    assert f"{june:%-d %B %Y}" in texts(service.ask(person, Place("stage3")))


def test_another_answer_named_at_the_summary_is_shown_to_edit_and_the_plan_stays_a_draft(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = at_the_summary(coach_store, "web:change-support")
    turn = service.take(person, Place("stage3", prompt_id="stage3.summary"), said("the support bit needs my mentor"))
    assert "stays a draft" in texts(turn) and "You said: “time off the rota”" in texts(turn)
    assert '/edit_answer{"prompt": "stage3.support"}' in [b["payload"] for r in turn.replies for b in r.buttons]
    assert "stage3.summary" not in coach_store.answers(person)


def test_a_manager_who_skipped_most_of_the_preparation_is_not_told_they_are_prepared(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:busy-manager")
    prompts = answer_the_first_and_skip_the_rest(service, person, "manager_prep", "I'm rushed this week")
    ended = service.complete(person, Place("manager_prep"))
    assert "prepared" not in texts(ended).lower() and f"You skipped {len(prompts) - 1}" in texts(ended)


def test_every_rehearsal_reply_keeps_to_the_budget(coach_store: CoachStore) -> None:
    """Choosing a colleague, questions at every stage with each persona, and the review at the end."""
    from bot.rehearsal import list_personas
    from bot.turn import BUBBLE_CHARS

    service = RehearsalService(coach_store)
    manager = coach_store.person_id("web:rehearser")
    questions = ["How are you, really, and what would help you be at your best at work at the moment?",
                 "What are you most proud of from the last year, and what did that show about you?",
                 "Where would you like your career to be in three years, and what would help you get there?",
                 "Have you thought about the apprenticeship?"]
    turns = [service.ask(Practice())]
    for persona in list_personas():
        turns.append(service.take(manager, Practice(), said("", choice=persona.id)))
        log: list[dict[str, object]] = []
        for stage in (1, 2, 3):
            for question in questions:
                turn = service.take(manager, Practice(persona.id, stage, log), said(question))
                log = turn.state["rehearsal_log"]
                turns.append(turn)
        turns.append(service.take(manager, Practice(persona.id, 3, log), said("", choice="finish")))
    over = [f"{len(r.text or '')} characters, {len(r.buttons)} buttons: {(r.text or '')[:60]}"
            for t in turns for r in t.replies if len(r.text or "") > BUBBLE_CHARS or len(r.buttons) > 6]
    assert over == []


def test_the_carry_on_offer_is_made_again_after_a_question_with_the_same_buttons(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:curious")
    answer_the_first_and_skip_the_rest(service, person, "journal", "Band 5 nurse")
    first = [b for r in service.complete(person, Place("journal")).replies for b in r.buttons]
    again = service.offer_again(person)
    assert texts(again) == "Shall we carry on to stage 1?"
    assert [b for r in again.replies for b in r.buttons] == [b for b in first if b["title"] in (
        "Carry on to stage 1", "Stop for now")]
    assert "pending_confirmation" not in again.state  # the offer still stands: a yes carries on


def test_with_nothing_left_to_carry_on_to_the_offer_is_withdrawn(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:finished")
    for flow in service.journey.staff_flows():
        for prompt in flow.prompts:
            coach_store.save_answer(person, flow.id, prompt.id, "an answer")
    again = service.offer_again(person)
    assert again.replies == [] and again.state == {"pending_confirmation": None}


@pytest.mark.parametrize("text", ["yes", "yep", "Yes please!", "ok let's go", "sure"])
def test_a_yes_that_only_says_go_on_is_not_stored_as_the_role(coach_store: CoachStore, text: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:go-on")
    turn = service.take(person, Place("journal", prompt_id="journal.details.role"), said(text, intent="affirm"))
    assert turn.state == {"answer": None} and "few words of your own" in texts(turn)
    assert coach_store.answers(person) == {}


@pytest.mark.parametrize(("prompt_id", "text"), [
    ("stage1.fairness", "yes"),  # "Is there anything from the past ...?": a yes answers it
    ("manager_prep.reasonable_adjustments", "yes"),  # "...: could the person need any reasonable adjustments?"
    ("journal.wellbeing.now", "fine"), ("journal.wellbeing.now", "ok"), ("journal.wellbeing.now", "yeah fine"),
])
def test_a_yes_to_a_yes_or_no_question_and_a_short_answer_are_stored(
        coach_store: CoachStore, prompt_id: str, text: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:short")
    service.take(person, Place(prompt_id.split(".")[0], prompt_id=prompt_id), said(text, intent="affirm"))
    assert coach_store.answers(person)[prompt_id].text == text


@pytest.mark.parametrize("text", ["👍", "😊😊", "?!"])
def test_emoji_or_marks_alone_at_an_open_question_get_a_nudge_and_nothing_is_stored(coach_store: CoachStore,
                                                                                      text: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:emoji")
    turn = service.take(person, Place("journal", prompt_id="journal.details.role"), Message(text, "inform"))
    assert "into a few words" in (turn.replies[0].text or "")
    assert coach_store.answers(person) == {}


def test_a_change_said_before_anything_is_written_keeps_the_words_and_asks(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:first-change")
    text = "my job title is wrong on ESR, I'm band 6 really"
    turn = JourneyService(coach_store).take(person, Place("journal", prompt_id="journal.details.role"), said(text))
    assert turn.leave is None and "haven't written anything" not in texts(turn)
    assert coach_store.answers(person)["journal.details.role.pending"].text == text


def test_a_request_the_nlu_could_not_name_is_kept_and_asked_about_with_its_guesses_offered(
        coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:unnamed-request")
    service = JourneyService(coach_store)
    at_the_role = Place("journal", prompt_id="journal.details.role")
    guessed = (("nlu_fallback", 0.35), ("show_checklist", 0.3), ("delete_data", 0.2), ("send_plan", 0.05))
    unsure = Message("can you show me the checklist for my meeting", "nlu_fallback", ranking=guessed)
    service.take(person, at_the_role, unsure)
    assert coach_store.answers(person)["journal.details.role.pending"].text == unsure.text
    again = service.ask(person, at_the_role)
    payloads = [b["payload"] for reply in again.replies for b in reply.buttons]
    assert "Or did you mean one of these?" in texts(again)
    assert payloads[2:] == ["/show_checklist"]  # never a guess that erases (delete_data), nor a weak one


def test_a_manager_preparing_for_their_team_in_the_staff_journal_is_asked_and_offered_the_manager_side_first(
        coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:manager-in-the-journal")
    service = JourneyService(coach_store)
    at_the_role = Place("journal", prompt_id="journal.details.role")
    text = "I'm a band 7 ward manager, I wanted to use this to prep for my staff's appraisals not my own"
    service.take(person, at_the_role, Message(text, "start_journey", ranking=(("start_journey", 0.6),)))
    assert coach_store.answers(person)["journal.details.role.pending"].text == text  # kept, not stored as the role
    again = service.ask(person, at_the_role)
    assert [b["payload"] for reply in again.replies for b in reply.buttons][2:] == ["/manager_mode", "/start_journey"]


def test_preparing_for_the_team_is_an_answer_in_the_managers_own_flows(coach_store: CoachStore) -> None:
    prompt = coach_journey().find_prompt("outcome.next_steps")
    text = "prep for the next appraisals with my team and book a 1-1 with each of them"
    assert JourneyService.read(prompt, Message(text, "inform")).is_answer


def test_words_kept_for_another_reason_are_asked_about_without_guesses(coach_store: CoachStore) -> None:
    person = coach_store.person_id("web:kept-words")
    service = JourneyService(coach_store)
    at_the_role = Place("journal", prompt_id="journal.details.role")
    service.take(person, at_the_role, said("my job title is wrong on ESR, I'm band 6 really"))
    again = service.ask(person, at_the_role)
    assert "did you mean" not in texts(again) and len([b for r in again.replies for b in r.buttons]) == 2


def test_an_earlier_answer_told_to_be_wrong_offers_the_answers_and_keeps_the_words_for_this_question(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:told-change")
    service = JourneyService(coach_store)
    text = "my hours are wrong, I do 30 not 37.5"
    turn = service.take(person, AT_THE_SECOND_QUESTION, said(text))
    assert "choose the answer you'd like to change" in texts(turn) and turn.leave == PAUSE
    assert coach_store.answers(person)["journal.wellbeing.now.pending"].text == text
    back = service.ask(person, AT_THE_SECOND_QUESTION)
    assert "Shall I save it as your answer to this question" in texts(back)


def test_a_change_that_names_one_answer_opens_it_and_one_that_fits_several_offers_those(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:named-change")
    for flow, prompt_id, text in (("journal", "journal.wellbeing.support", "proper breaks"),
                                  ("stage3", "stage3.support", "my manager and a mentor"),
                                  ("stage3", "stage3.review", "in six months")):
        coach_store.save_answer(person, flow, prompt_id, text)
    service = JourneyService(coach_store)
    opened = service.take(person, AT_THE_SECOND_QUESTION, said("the review date should be september not march"))
    assert "Here's that answer" in texts(opened) and "You said: “in six months”" in texts(opened)
    assert [b["title"] for b in opened.replies[-1].buttons][:2] == ["Edit it", "Delete it"]
    offered = service.take(person, AT_THE_SECOND_QUESTION, said("i want to change the support bit"))
    assert "Which of these did you mean?" in texts(offered) and "in six months" not in texts(offered)
    assert [b["title"] for b in offered.replies[-1].buttons] == ["Answer 1", "Answer 2", "All my answers"]


def test_a_change_said_after_an_answer_offers_the_answers_to_change(coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:later-change")
    turn = JourneyService(coach_store).take(person, AT_THE_SECOND_QUESTION, said("I got my job title wrong"))
    assert "choose the answer you'd like to change" in texts(turn) and turn.leave == PAUSE
    assert sorted(coach_store.answers(person)) == ["journal.details.role"]


@pytest.mark.parametrize("words", ["carry on", "keep going", "continue", "next please"])
def test_carrying_on_in_words_with_nothing_asked_picks_up_where_the_person_left_off(
        coach_store: CoachStore, words: str) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, f"web:go-on-{words}")
    turn = service.go_on(person, Place(), said(words, intent="affirm"))
    assert "Picking up where you left off" in texts(turn) and turn.state["flow"] == "journal"
    assert turn.leave != PAUSE  # the form asks the next question


def test_a_bare_yes_with_nothing_asked_gets_the_menu_and_waits(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, "web:go-on-yes")
    turn = service.go_on(person, Place(), said("yes", intent="affirm"))
    assert [r.response for r in turn.replies] == ["utter_menu"] and turn.leave == PAUSE


@pytest.mark.parametrize("words", ["skip the adverts on youtube", "carry on watching the match", "next bus to leeds"])
def test_words_about_something_else_with_nothing_asked_get_the_menu_even_once_begun(
        coach_store: CoachStore, words: str) -> None:
    service = JourneyService(coach_store)
    person = role_answered(coach_store, f"web:go-on-elsewhere-{words}")
    turn = service.go_on(person, Place(), said(words, intent="skip"))
    assert [r.response for r in turn.replies] == ["utter_menu"] and turn.leave == PAUSE


def test_carrying_on_before_anything_is_begun_gets_the_menu(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    turn = service.go_on(coach_store.person_id("web:go-on-new"), Place(), said("carry on", intent="affirm"))
    assert [r.response for r in turn.replies] == ["utter_menu"] and turn.leave == PAUSE


def test_the_placement_never_says_the_person_chose_a_growth_focus_or_impact_they_skipped(
        coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:skipped-growth")
    for prompt_id in ("stage2.impact", "stage2.growth"):
        service.take(person, Place("stage2", prompt_id=prompt_id), said("skip", intent="skip"))
    asked = texts(service.ask(person, Place("stage2", editing="stage2.placement")))
    assert "You chose" not in asked and "You see your impact" not in asked, asked
    assert "You didn't choose a growth focus" in asked and "You didn't say how you see your impact" in asked


def test_picking_up_where_the_person_left_off_asks_the_question_in_full(coach_store: CoachStore) -> None:
    """The suggestions, asked, then "gotta go" and "where was I?": the numbered options again, not only their
    buttons, so "add 2" and "more about 2" name what the person can see."""
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:back-at-suggestions")
    coach_store.save_answer(person, "stage3", "stage3.goals", "Get my NVQ level 3")
    left = Place("stage3", prompt_id="stage3.interventions")  # the question last asked, before the pause
    assert "1. " not in texts(service.ask(person, left))  # asked again at once: the buttons, not the list
    resumed = service.resume(person, left)
    assert resumed.state["prompt_id"] is None
    assert "1. " in texts(service.ask(person, Place("stage3", prompt_id=resumed.state["prompt_id"])))


def test_hello_to_someone_part_way_through_offers_to_carry_on_first(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:hello-again")
    assert [r.response for r in service.greet(person).replies] == ["utter_greet"]  # nothing begun
    coach_store.save_answer(person, "manager_prep", "manager_prep.bias_check", "I might favour Sam")
    assert [r.response for r in service.greet(person).replies] == ["utter_greet"]  # a manager's notes only
    role_answered(coach_store, "web:hello-again")
    assert [r.response for r in service.greet(person).replies] == ["utter_greet_back"]


@pytest.mark.parametrize("unsure", ["hmm not sure", "no idea tbh", "dunno yet"])
def test_saying_only_not_sure_is_kept_and_the_person_chooses_to_leave_it_or_save_it(
        coach_store: CoachStore, unsure: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:unsure")
    goals = Place("stage3", prompt_id="stage3.goals")
    service.take(person, goals, said(unsure))
    assert "stage3.goals" not in coach_store.answers(person)
    asked = service.ask(person, goals)
    assert "not knowing yet is an honest answer" in texts(asked) and f"“{unsure}”" in texts(asked)
    assert [b["title"] for b in asked.replies[-1].buttons] == ["Leave it for now", "Save it as my answer"]
    service.take(person, goals, said("", choice="keep"))
    assert coach_store.answers(person)["stage3.goals"].text == unsure


def test_not_sure_with_more_said_is_the_answer(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:unsure-but")
    service.take(person, Place("journal", prompt_id="journal.career.steps"), said("not sure, maybe a secondment"))
    assert coach_store.answers(person)["journal.career.steps"].text == "not sure, maybe a secondment"


def test_where_was_i_the_check_in_met_is_not_offered_after_im_safe_since_the_question_follows(
        coach_store: CoachStore) -> None:
    person = role_answered(coach_store, "web:unsure-where")
    turn = JourneyService(coach_store).resume(person, AT_THE_SECOND_QUESTION,
                                              unsure_words=Message("carry on where i left off", "where_was_i"))
    assert OFFERED_AFTER_CHECK_IN not in texts(turn) and "Picking up" in texts(turn)
    assert "/where_was_i" not in [b["payload"] for reply in turn.replies for b in reply.buttons]
