"""Answer or request? bot.intake on the messages people really typed mid-form, with the NLU's guess."""

from __future__ import annotations

from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import intake
from bot.journey_service import CARRY_ON_UNCLEAR, JourneyService, Place, coach_journey
from bot.store import CoachStore
from bot.turn import HAND_OVER, PAUSE, Message


def reading(text: str, intent: str = "inform") -> intake.Reading:
    return intake.read(Message(text, intent))


@pytest.mark.parametrize("text, intent", [
    ("Sharing knowledge with students", "share_with_manager"),
    ("delete the extra admin", "delete_data"),
    ("Talk to the pensions people", "talk_to_person"),
    ("same as before", "manager_mode"),
    ("I'm not a manager, this is for me", "manager_mode"),
    ("ready now if i can afford it, otherwise later", "goodbye"),
    ("I'd like to stop doing night shifts eventually", "stop"),
    ("I want to leave the NHS and retrain", "stop"),
    ("stretch", "faq"),
    ("help from my team", "help"),
    ("I don't want to skip this, I want to say I value my team", "skip"),
    ("more regular shifts and someone to talk to", "talk_to_person"),
    ("someone to talk to when it gets busy", "talk_to_person"),
    ("I'd like to stop sharing an office with four people", "stop_sharing"),
    ("stop sharing shifts with agency staff", "stop_sharing"),
    ("Downloading rota data into spreadsheets takes hours", "download_my_data"),
    ("taking on more data analysis", "download_my_data"),
    ("I want to be seen by my manager as someone who leads", "who_has_seen"),
    ("my manager has seen me grow this year", "who_has_seen"),
])
def test_answers_that_share_words_with_commands_are_answers(text: str, intent: str) -> None:
    assert reading(text, intent).is_answer


@pytest.mark.parametrize("text, intent", [
    ("can I talk to someone", "talk_to_person"),
    ("I'd like to talk to a real person", "talk_to_person"),
    ("talk to a person please", "talk_to_person"),
    ("read back my journal please", "review_journal"),
    ("stop sharing", "stop_sharing"),
    ("unshare my answers please", "stop_sharing"),
    ("make my answers private again", "stop_sharing"),
    ("download my data", "download_my_data"),
    ("can I have a copy of my data", "download_my_data"),
    ("I want to make a subject access request", "download_my_data"),
    ("who has seen my answers?", "who_has_seen"),
    ("has anyone opened my share link", "who_has_seen"),
    ("show me the audit log", "who_has_seen"),
])
def test_the_same_words_said_as_a_request_are_a_request(text: str, intent: str) -> None:
    assert reading(text, intent) == intake.Reading(intake.REQUEST, intent)


@pytest.mark.parametrize("text", ["skip", "Skip.", "not relevant", "skip this one please", "n/a"])
def test_skip_words_skip_whatever_the_nlu_guessed(text: str) -> None:
    assert reading(text, "inform").kind == intake.SKIP


@pytest.mark.parametrize("text", ["I skipped lunch again", "later in my career I want to lead", "pass rates"])
def test_answers_that_mention_skip_words_are_still_answers(text: str) -> None:
    assert reading(text, "skip").is_answer


@pytest.mark.parametrize("text, kind", [
    ("not sure, can we skip this one", intake.SKIP),
    ("I'd rather not answer that", intake.SKIP),
    ("next question please", intake.SKIP),
    ("skp", intake.SKIP),
    ("can we come back to this one later?", intake.LATER),
    ("gotta go, bye", intake.STOP),
    ("what do you mean?", intake.QUESTION),
    ("can I change my last answer", intake.CHANGE),
])
def test_requests_are_read_as_requests_whatever_the_nlu_guessed(text: str, kind: str) -> None:
    assert reading(text, "inform").kind == kind


def test_a_request_the_nlu_also_saw_is_handed_to_its_rule() -> None:
    assert reading("can you show me my answers", "review_journal") == intake.Reading(intake.REQUEST,
                                                                                     "review_journal")


def test_a_button_from_an_earlier_message_is_a_request() -> None:
    assert reading("/send_plan", "send_plan") == intake.Reading(intake.REQUEST, "send_plan")


def test_a_long_message_that_also_asks_to_skip_is_asked_about_not_guessed() -> None:
    text = ("Honestly I'd rather skip this one because I've never really thought about what energises me "
            "and it feels a bit much today")
    assert reading(text, "skip").kind == intake.UNCLEAR


@pytest.mark.parametrize("text, meant", [
    ("yes save it", True), ("yep", True), ("yes please save my plan", True), ("that feels rite", True),
    ("carry on", True), ("no not yet", False), ("nah", False), ("no, keep it", False),
    ("yes but change the goal", None), ("I'd like depth", None), ("yes that's me", True),
    ("sounds good to me", True), ("yeah sounds about right", True), ("about right", True),
    ("about right but i want breadth", None),
])
def test_confirmations_understand_common_yes_and_no(text: str, meant: Optional[bool]) -> None:
    assert intake.confirmation(text) is meant


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["yes", "yeah", "ok", "save it"]), st.sampled_from(["but", "not", "don't", "except"]),
       st.text(alphabet="abcdefghij ", min_size=0, max_size=12))
def test_a_yes_with_a_but_or_a_not_is_never_read_as_yes(yes: str, turn: str, rest: str) -> None:
    assert intake.confirmation(f"{yes} {turn} {rest}") is not True


# Through the journey service: what the person sees, and what is stored.

def test_a_skip_request_is_not_stored_as_the_answer(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:skipper")
    turn = service.take(person, Place("journal", prompt_id="journal.wellbeing.support"),
                        Message("not sure, can we skip this one", "inform"))
    stored = coach_store.answers(person)["journal.wellbeing.support"]
    assert stored.skipped and stored.text == "" and "leave that one" in turn.replies[0].text


def test_stop_pauses_the_form_and_stores_nothing(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:stopper")
    turn = service.take(person, Place("journal", prompt_id="journal.career.vision"),
                        Message("that's enough for today", "stop"))
    assert turn.leave == PAUSE and turn.replies[0].response == "utter_paused"
    assert coach_store.answers(person) == {}


def test_a_request_is_handed_over_and_nothing_is_stored(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:reviewer")
    turn = service.take(person, Place("journal", prompt_id="journal.career.vision"),
                        Message("show me my answers", "review_journal"))
    assert turn.leave == HAND_OVER and not turn.replies and coach_store.answers(person) == {}


def test_an_unclear_long_message_is_kept_and_the_person_is_asked(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:unclear")
    place = Place("journal", prompt_id="journal.details.role")
    text = ("Honestly I'd rather skip this one because I've never really thought about what energises me "
            "and it feels a bit much today")
    service.take(person, place, Message(text, "skip"))
    asked = service.ask(person, Place("journal"))
    assert "Shall I save it as your answer" in (asked.replies[0].text or "")
    assert [b["title"] for b in asked.replies[0].buttons] == ["Save it as my answer", "Skip this question"]
    service.take(person, place, Message("/choose", "choose", "keep"))
    assert coach_store.answers(person)["journal.details.role"].text == text
    assert "journal.details.role.pending" not in coach_store.answers(person)


def test_yes_save_it_at_the_summary_saves_the_plan(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:saver")
    service.take(person, Place("stage3", prompt_id="stage3.summary"), Message("yes save it", "affirm"))
    assert coach_store.answers(person)["stage3.summary"].value == "confirmed"


def test_not_now_at_the_summary_leaves_the_plan_a_draft(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:later")
    turn = service.take(person, Place("stage3", prompt_id="stage3.summary"), Message("not now", "deny"))
    assert "stage3.summary" not in coach_store.answers(person) and "stays a draft" in (turn.replies[0].text or "")


def test_typing_a_choice_label_picks_it_rather_than_explaining_it(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:chooser")
    service.take(person, Place("stage2", prompt_id="stage2.growth"), Message("stretch", "faq", None, None,
                                                                             "faq/what_is_stretch"))
    assert coach_store.answers(person)["stage2.growth"].value == "stretch"


@pytest.mark.parametrize("text, option", [
    ("later", "ready_later"),
    ("not yet", "not_now"),
    ("asap", "ready_now"),
    ("I have to get my degree done first, so later on", "ready_later"),
])
def test_a_timing_typed_at_when_picks_that_option_rather_than_putting_the_question_off(
        coach_store: CoachStore, text: str, option: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:timing")
    service.take(person, Place("stage2", prompt_id="stage2.readiness"), Message(text, "skip"))
    assert coach_store.answers(person)["stage2.readiness"].value == option


def test_asking_to_be_asked_later_at_when_puts_the_question_off() -> None:
    prompt = coach_journey().find_prompt("stage2.readiness")
    assert JourneyService.read(prompt, Message("ask me later", "skip")).kind == intake.LATER


def test_a_request_the_nlu_did_not_see_is_asked_about_not_handed_to_the_wrong_rule() -> None:
    # The rules answer the NLU's intent; handing "show my answers" over as "inform" would reach none of them.
    assert reading("show my answers", "inform").kind == intake.UNCLEAR
    assert reading("show my answers", "review_journal") == intake.Reading(intake.REQUEST, "review_journal")


@pytest.mark.parametrize("text, intent", [
    ("who has seen my answres?", "who_has_seen"),
    ("plz delete my informaton", "delete_data"),
])
def test_a_misspelt_request_the_nlu_saw_is_still_a_request(text: str, intent: str) -> None:
    assert reading(text, intent) == intake.Reading(intake.REQUEST, intent)


@pytest.mark.parametrize("text", ["who has seen my answres?", "My manger always reads my answres"])
def test_a_misspelling_alone_never_turns_an_answer_into_a_request(text: str) -> None:
    assert reading(text, "inform").kind != intake.REQUEST


# Moves typed instead of a button that moves along, read from the words whatever the NLU guessed.

@pytest.mark.parametrize("text, meant", [
    ("next", True), ("skip", True), ("carry on", True), ("yep", True), ("next please", True), ("ok continue", True),
    ("later", False), ("stop for now", False), ("not now", False), ("nah not today", False), ("bye", False),
    ("stp for now", False), ("Carry on to stage 2", True), ("sure, lets do stage 2", True),
    ("go on to the next stage", True), ("what's in stage 1?", None), ("maybe", None), ("stage 2 is hard", None),
])
def test_carrying_on_is_read_from_the_words(text: str, meant: Optional[bool]) -> None:
    assert intake.carries_on(text) is meant


def test_later_at_shall_we_carry_on_pauses_even_when_the_nlu_reads_it_as_next(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:later-at-carry-on")
    # the rules reach action_carry_on on the skip intent
    turn = service.carry_on(person, Place(None), Message("later", "skip"))
    assert turn.replies[0].response == "utter_paused" and turn.state["pending_confirmation"] is None
    assert "flow" not in turn.state


@pytest.mark.parametrize("text, intent", [("next", "skip"), ("yes", "affirm"), ("Carry on to stage 2", "nlu_fallback"),
                                          ("it's fine, we can keep going", "affirm")])
def test_a_yes_at_shall_we_carry_on_carries_on(coach_store: CoachStore, text: str, intent: str) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:next-at-carry-on")
    turn = service.carry_on(person, Place(None), Message(text, intent))
    assert turn.state["flow"] == "journal" and turn.state["pending_confirmation"] is None


def test_words_nobody_understood_at_shall_we_carry_on_keep_the_place_and_say_so(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:unclear-at-carry-on")
    turn = service.carry_on(person, Place(None), Message("hmm the thing about the rota", "nlu_fallback"))
    assert [r.text for r in turn.replies] == [CARRY_ON_UNCLEAR]
    assert turn.state == {"pending_confirmation": None}  # no flow: the form that follows asks nothing


# A short message that ends with the request: the words before it are the reason, or may be the answer.

@pytest.mark.parametrize("text, intent, kind", [
    ("not something I want written down, skip", "inform", intake.SKIP),
    ("that's too personal, pass", "nlu_fallback", intake.SKIP),
    ("the ward's getting busy, I'll finish this another day", "inform", intake.STOP),
    ("that'll do me for tonight, bye", "goodbye", intake.STOP),
])
def test_a_request_said_at_the_end_of_a_short_message_is_that_request(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text, intent", [
    ("I'd like to stop doing nights, bye", "goodbye"),
    ("a band 6 post on the same ward, skip", "inform"),
])
def test_words_before_a_closing_request_that_may_be_the_answer_are_kept_and_asked_about(text: str,
                                                                                      intent: str) -> None:
    assert reading(text, intent).kind == intake.UNCLEAR


@pytest.mark.parametrize("text", [
    "my manager said no to flexible hours, could it be compressed hours instead",
    "rota said nights again, could that be changed for days",
])
def test_asking_whether_it_could_be_otherwise_may_be_about_work_so_the_words_are_kept_and_asked_about(
        text: str) -> None:
    assert reading(text, "inform").kind == intake.UNCLEAR


@pytest.mark.parametrize("text", ["i said band 5 earlier, could it be band 6 instead",
                                  "oops that answer was wrong, can it be changed"])
def test_asking_whether_what_was_said_could_be_otherwise_is_a_change(text: str) -> None:
    assert reading(text, "inform").kind == intake.CHANGE


@pytest.mark.parametrize("text", ["more time with my kids, skip the overtime", "ready now, or later if not"])
def test_a_closing_clause_that_only_mentions_a_request_word_is_still_the_answer(text: str) -> None:
    assert reading(text, "inform").is_answer


@pytest.mark.parametrize("text", [
    "let me look at my rota and come back to it",
    "can I do this one after? need to ask my team leader first",
])
def test_putting_the_question_off_with_the_reason_around_it_is_putting_it_off(text: str) -> None:
    assert reading(text, "inform").kind == intake.LATER


@pytest.mark.parametrize("text", [
    "need to get my driving licence first and then maybe later on",
    "have to pass my exams first and then come back to the leadership course",
])
def test_a_reason_then_a_time_or_a_return_to_something_else_is_the_answer(text: str) -> None:
    assert reading(text, "inform").is_answer


def test_a_negation_turns_a_request_around_but_not_what_it_is_about() -> None:
    assert reading("not answering that one", "review_journal").kind == intake.SKIP
    assert reading("I don't want to skip this one", "skip").kind != intake.SKIP


@pytest.mark.parametrize("text", ["move on to a ward manager post in a few years",
                                  "take a break from nights and do a secondment"])
def test_an_answer_that_starts_with_request_words_not_about_the_question_is_the_answer(text: str) -> None:
    assert reading(text, "inform").is_answer


def test_a_short_message_that_declines_the_question_itself_skips_it() -> None:
    assert reading("I'd rather not get into this one", "nlu_fallback").kind == intake.SKIP


def test_request_words_at_the_start_the_nlu_does_not_read_as_a_statement_are_asked_about() -> None:
    assert reading("I'd rather not get into my sickness record", "nlu_fallback").kind == intake.UNCLEAR


@pytest.mark.parametrize("text, kind", [
    ("ok move on to the next question please", intake.SKIP),
    ("can we end the session now", intake.STOP),
    ("leave it there for tonight", intake.STOP),
    ("pausing this one, sorry", intake.STOP),
    ("can I add something to my answer", intake.CHANGE),
])
def test_common_ways_of_moving_on_stopping_or_adding_to_an_answer_are_understood(text: str, kind: str) -> None:
    assert reading(text, "inform").kind == kind


@pytest.mark.parametrize("text, kind", [
    ("later please, still mulling it over", intake.LATER),
    ("later pls, thinking", intake.LATER),
    ("correction: band 6 not 5", intake.CHANGE),
    ("amendment to my goals - drop the driving one", intake.CHANGE),
    ("cn u chnage my prev answr, wrong band", intake.CHANGE),
    ("leave this one blank and move on", intake.SKIP),
])
def test_requests_typed_in_a_hurry_or_named_as_a_correction_are_understood(text: str, kind: str) -> None:
    assert reading(text, "inform").kind == kind


@pytest.mark.parametrize("text, kind", [
    ("good question, can we come back to it later?", intake.LATER),
    ("not ready to say yet, can we come back to it", intake.LATER),
    ("pop it to the side for now", intake.LATER),
    ("shall we pick this up another day? ward's busy", intake.STOP),
    ("I'll carry on with it later", intake.STOP),
    ("pause the whole thing for now", intake.STOP),
    ("finish this off another time please", intake.STOP),
    ("leave empty please", intake.SKIP),
    ("the second goals one - can you swap it for the leadership course", intake.CHANGE),
])
def test_putting_off_stopping_or_changing_in_everyday_phrases_is_understood(text: str, kind: str) -> None:
    assert reading(text, "inform").kind == kind


def test_asking_for_an_example_is_a_question_about_the_prompt() -> None:
    assert reading("can you give me an example of what others have written", "nlu_fallback").kind == intake.QUESTION


@pytest.mark.parametrize("text", ["a big question for me is whether to go part time",
                                  "an example would be the audit I led on falls",
                                  "I'll carry on with my degree next year"])
def test_answers_that_share_those_phrases_words_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, intent", [("chairing big meetings, i freeze and forget everything", "delete_data"),
                                          ("Managing a small team. Band 7 deputy, or ward manager one day.",
                                           "manager_mode")])
def test_an_answer_that_opens_with_an_ing_clause_is_not_asking_for_the_request_the_nlu_saw(text: str,
                                                                                         intent: str) -> None:
    assert reading(text, intent).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["im done for now", "sorry ill finish it tomorrow", "ill do the rest another time"])
def test_stopping_typed_without_an_apostrophe_is_stopping(text: str) -> None:
    assert reading(text).kind == intake.STOP


@pytest.mark.parametrize("text, kind", [
    ("no, skip it", intake.SKIP),
    ("nope skip this one", intake.SKIP),
    ("no I'd rather skip this one", intake.SKIP),
    ("brb... actually no ill do the rest another time", intake.STOP),
])
def test_a_no_said_on_its_own_before_a_request_does_not_turn_it_around(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", ["no skipping please, I want to answer this",
                                  "no stopping me now, I want to be a matron",
                                  "no, I don't want to skip this"])
def test_a_no_that_turns_the_request_around_keeps_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, kind", [
    ("what counts as 'later' career, is that like 50+?", intake.QUESTION),
    ('what does "skip" mean here', intake.QUESTION),
    ("I said 'stop' to my manager once and it helped", intake.ANSWER),
])
def test_a_request_word_in_quotes_is_named_not_said(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", ['"skip"', 'ok "skip"', "'next question please'"])
def test_a_request_typed_in_quotes_on_its_own_is_said(text: str) -> None:
    assert reading(text).kind == intake.SKIP


@pytest.mark.parametrize("text, intent", [
    ("has my manager looked at my answers yet", "who_has_seen"),  # a question with no question word
    ("before I carry on could you show me what I wrote about my values", "review_journal"),  # asked mid-sentence
    ("is there a checklist for the meeting with my manager", "show_checklist"),
    ("how do I get my data out of this? I'd like it for my records", "download_my_data"),
    ("I've moved teams, can you stop my old manager seeing my answers", "stop_sharing"),
])
def test_requests_the_nlu_names_are_acted_on_in_everyday_words(text: str, intent: str) -> None:
    assert reading(text, intent) == intake.Reading(intake.REQUEST, intent)


@pytest.mark.parametrize("text, intent", [
    ("had a great year, did my first audit", "inform"),
    ("was it worth it? yes, the secondment taught me loads", "inform"),
    ("I'd stop sharing my office with four people if I could", "stop_sharing"),
    ("my manager always says can you cover a shift", "inform"),
])
def test_answers_that_open_like_a_question_or_name_a_request_are_answers(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["how many more questions are there", "which stage am i on",
                                  "is this the last question?", "nearly done?", "are we almost finished?",
                                  "last question?", "last one?"])
def test_asking_how_far_through_in_other_words_is_a_question_answered_with_the_place(text: str) -> None:
    assert reading(text, "nlu_fallback").kind == intake.QUESTION and intake.asks_where(text)


@pytest.mark.parametrize("text", ["last question", "can we go back to the last question?", "previous question?"])
def test_going_back_to_the_last_question_is_still_a_change(text: str) -> None:
    assert reading(text, "where_was_i").kind == intake.CHANGE


@pytest.mark.parametrize("text", ["what did i put for the first one?", "what did i write for the last question",
                                  "remind me what i wrote", "ok remind me what i said earlier", "what did i put"])
def test_asking_back_what_one_wrote_is_a_question_answered_with_the_answers(text: str) -> None:
    for intent in ("nlu_fallback", "review_journal", "inform"):  # whatever the NLU saw: the question stays
        assert reading(text, intent).kind == intake.QUESTION and intake.recalls_an_answer(text)


@pytest.mark.parametrize("text, kind", [
    ("what do i put here?", intake.QUESTION),  # what to write: the same lemmas as "what did i put"
    ("what do i write", intake.QUESTION),
    ("what did i put in my appraisal is what matters", intake.ANSWER),
    ("I stand by what i said at my appraisal", intake.ANSWER),
])
def test_asking_what_to_put_or_an_answer_that_opens_alike_is_not_asking_back(text: str, kind: str) -> None:
    assert reading(text, "nlu_fallback" if kind == intake.QUESTION else "inform").kind == kind


@pytest.mark.parametrize("text", ["i dont understand the question", "i don't get it", "you've lost me",
                                  "dont understand", "i don't follow"])
def test_not_understanding_the_question_asks_for_it_another_way(text: str) -> None:
    assert intake.asks_to_clarify(text) and reading(text).kind == intake.QUESTION


@pytest.mark.parametrize("text", ["I don't follow the rules blindly", "I don't understand why my manager never listens",
                                  "i understand my role well"])
def test_an_answer_that_says_it_does_not_follow_or_understand_something_is_an_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["how much is this going to matter for my band 6",
                                  "how many more years until i retire"])
def test_how_much_or_how_many_about_something_else_is_not_asking_how_far_through(text: str) -> None:
    assert not intake.asks_where(text)


@pytest.mark.parametrize("text, kind", [
    ("move past this one, nothing to add", intake.SKIP),
    ("bus is here, got to run. will pick this whole thing up tomorrow", intake.STOP),
    ("not sure how to word it yet, can we come back to this one", intake.LATER),
])
def test_skipping_stopping_or_putting_off_in_tuning_batch_9s_phrases_is_understood(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text, intent", [
    ("does it count if it was on placement", "inform"),
    ("do my goals have to be work ones or can they be personal", "nlu_fallback"),
    ("should i put my band or just the role", "inform"),
])
def test_a_yes_or_no_question_about_what_to_write_is_a_question_without_a_question_mark(text: str,
                                                                                       intent: str) -> None:
    assert reading(text, intent).kind == intake.QUESTION


@pytest.mark.parametrize("text", ["can i just put band 5", "should i stay or should i go, that's my dilemma",
                                  "is it worth doing a masters, that's what im weighing up"])
def test_an_answer_put_as_a_question_is_an_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


def test_leaving_till_the_weekend_which_the_nlu_reads_as_stopping_is_stopping() -> None:
    assert reading("gonna call it a night and do the rest at the weekend", "stop").kind == intake.STOP


def test_leaving_till_the_weekend_which_the_nlu_reads_as_an_answer_is_asked_about_not_stored() -> None:
    assert reading("gonna call it a night and do the rest at the weekend").kind == intake.UNCLEAR


@pytest.mark.parametrize("text", ["tired after every shift, I'd like to stop doing nights",
                                  "exhausted most days, would love to finish at 5 for once",
                                  "gonna do my preceptorship then apply for band 6"])
def test_tiredness_or_gonna_in_an_answer_keeps_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


def test_tiredness_then_leaving_keeps_the_words_and_asks() -> None:
    # At "How are you feeling about work?" the tiredness may be the answer: it is not taken as only a reason.
    assert reading("exhausted, that's me for today").kind == intake.UNCLEAR


def test_a_clause_ended_with_dots_is_a_clause() -> None:
    assert reading("brb... I'll do the rest another time").kind == intake.STOP


@pytest.mark.parametrize("text", ["I was ill last week so not much energy", "ill health retirement in a few years"])
def test_ill_as_a_word_stays_in_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, kind", [
    ("I'll come back to it once I've spoken to my partner about money", intake.LATER),
    ("I'll do it later when I've checked my contract", intake.LATER),
    ("Not sure what I want after this rotation, it's all up in the air. Skip that one please", intake.SKIP),
])
def test_a_long_message_that_puts_off_until_something_is_done_or_skips_for_not_knowing_does_so(
        text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", ["I had to put it to one side when my mum was ill",
                                  "I always come back to it when a patient thanks me"])
def test_telling_what_was_put_off_or_returned_to_is_an_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


def test_not_knowing_then_words_an_answer_may_end_on_keeps_the_words_and_asks() -> None:
    text = "Not sure about management at all, I'd rather stay clinical and keep my own patients, it's just not for me"
    assert reading(text).kind == intake.UNCLEAR


@pytest.mark.parametrize("text", ["Correction of drug charts, I spot the errors others miss",
                                  "I'm ill a lot this winter and can't carry on like before"])
def test_answers_that_start_like_a_correction_or_mention_ill_are_answers(text: str) -> None:
    assert reading(text, "inform").is_answer


@pytest.mark.parametrize("text, intent", [
    ("when a colleague I trained gets their first promotion", "out_of_scope"),
    ("what I enjoy most is teaching the students", "faq"),
    ("how we pulled together during the outbreak", "faq"),
])
def test_a_clause_that_starts_with_a_question_word_is_an_answer_not_a_question(text: str, intent: str) -> None:
    assert reading(text, intent).is_answer


@pytest.mark.parametrize("text", ["what does stretch mean", "how long will this take", "what is a secondment"])
def test_a_question_without_a_question_mark_is_still_a_question(text: str) -> None:
    assert reading(text, "faq").kind == intake.QUESTION


def test_a_manager_request_the_nlu_names_more_exactly_than_the_opening_words_is_handed_to_its_rule() -> None:
    text = "actually I'm a line manager, I'd like to practise a conversation with one of my team"
    assert reading(text, "rehearse") == intake.Reading(intake.REQUEST, "rehearse")


def test_an_opening_request_the_nlu_names_as_something_else_entirely_is_asked_about() -> None:
    assert reading("I'm a manager, delete the extra admin", "delete_data").kind == intake.UNCLEAR


def test_a_long_message_that_opens_by_asking_for_the_request_the_nlu_saw_is_that_request() -> None:
    text = "could you email the plan across to me, my meeting with my manager is tomorrow morning at nine"
    assert reading(text, "send_plan") == intake.Reading(intake.REQUEST, "send_plan")


@pytest.mark.parametrize("text", ["I share my plan with my manager every month",
                                  "I talk to someone from the practice team every week"])
def test_a_statement_about_what_i_do_is_not_a_request_even_with_the_words_of_one(text: str) -> None:
    assert reading(text, "share_with_manager" if "plan" in text else "talk_to_person").is_answer


@pytest.mark.parametrize("text, intent", [("will my line manager be able to read this?", "share_with_manager"),
                                          ("does it matter if I get this wrong?", "start_journey")])
def test_a_question_about_this_prompt_is_a_question_whatever_request_the_nlu_guessed(text: str,
                                                                                   intent: str) -> None:
    assert reading(text, intent).kind == intake.QUESTION


def test_a_question_that_is_an_answer_about_something_else_is_not_taken_for_a_question_about_the_prompt() -> None:
    assert reading("could I talk to the pensions people?", "talk_to_person").kind != intake.QUESTION


def test_a_long_message_that_ends_by_asking_to_come_back_to_this_question_is_kept_and_asked_about() -> None:
    text = ("My manager is new and I haven't had any feedback in ages so I really don't know what to write, "
            "can we come back to this one")
    assert reading(text, "inform").kind == intake.UNCLEAR


@pytest.mark.parametrize("text", ["I'm fine for now, maybe later",
                                  "I'd love to move to community one day, but not now, maybe later"])
def test_later_at_the_end_of_an_answer_that_is_not_about_the_question_is_the_answer(text: str) -> None:
    assert reading(text, "inform").is_answer


@pytest.mark.parametrize("text, kind", [
    ("skip for now please", intake.SKIP),
    ("that's too personal", intake.SKIP),
    ("let me sleep on it", intake.LATER),
    ("can we park this one", intake.LATER),
    ("gotta dash, speak soon", intake.STOP),
    ("that's me done for today", intake.STOP),
    ("sorry, typo", intake.CHANGE),
    ("can we go back to the last question", intake.CHANGE),
])
def test_everyday_ways_of_skipping_parking_leaving_or_correcting_are_understood(text: str, kind: str) -> None:
    assert reading(text, "inform").kind == kind


@pytest.mark.parametrize("text", ["band 5 for now, band 6 in a couple of years", "at the end of the day I love my job",
                                  "I want to get back to work full time after my maternity leave"])
def test_answers_with_the_new_everyday_words_in_them_are_still_answers(text: str) -> None:
    assert reading(text, "inform").is_answer


def test_a_word_whose_lemma_depends_on_its_neighbours_still_names_its_request() -> None:
    # "beginning" may be read as a form of "begin" in a sentence; typed as listed, it still says "restart".
    assert reading("start the whole journal over from the beginning", "restart") == intake.Reading(
        intake.REQUEST, "restart")


def test_doing_something_later_is_not_being_done_for_now() -> None:
    # "done" is read as "do" by its lemma: "do the date later on" must not read as "done for now".
    assert reading("need to check my diary first, can we do the date later on", "out_of_scope").kind != intake.STOP


def test_a_request_in_the_second_clause_is_still_asked_for() -> None:
    assert reading("Before I go on, show me all my answers from the journal please", "review_journal") == (
        intake.Reading(intake.REQUEST, "review_journal"))
    assert reading("before i carry on, tell me what info about me gets kept and who holds it",
                   "privacy_what_kept") == intake.Reading(intake.REQUEST, "privacy_what_kept")


@pytest.mark.parametrize("text, intent", [
    ("where do I find the competences for my role?", "find_resources"),
    ("whats the difference between solid and strong?", "out_of_scope"),
    ("who gets to see what i put here", "nlu_fallback"),
])
def test_questions_about_the_question_are_questions_whatever_the_nlu_guessed(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.QUESTION


def test_a_tentative_answer_put_as_a_yes_no_question_stays_an_answer() -> None:
    assert reading("could I try a secondment in theatres?", "find_resources").kind != intake.QUESTION


def test_a_despairing_what_s_the_point_is_never_taken_for_a_question() -> None:
    assert reading("what's the point, nothing changes here anyway", "out_of_scope").kind != intake.QUESTION


@pytest.mark.parametrize("text, intent, kind", [
    ("lets call it a day", "stop", intake.STOP),
    ("I'll have to leave it there for today, my patient's buzzer is going", "inform", intake.STOP),
    ("hmm good question, leave it with me and ask me again in a bit", "restart", intake.LATER),
    ("oops i put band 6 earlier, im actually band 5", "inform", intake.CHANGE),
    ("rather not say my band tbh", "inform", intake.SKIP),
])
def test_everyday_ways_of_stopping_deferring_correcting_and_declining(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text", [
    "the shadowing and the coaching please, leave out the leadership course for now",
    "rather not give my age, but I am a band 6 physio on the stroke unit",
    "Move on to a team leader role in estates",
])
def test_answers_that_leave_something_out_or_decline_a_part_are_answers(text: str) -> None:
    assert reading(text).is_answer


@pytest.mark.parametrize("text, intent, kind", [
    ("phone's about to die, pause it there pls", "stop", intake.STOP),
    ("Meeting's been cut short, we'll have to stop and carry on next week", "stop", intake.STOP),
    ("actually not a good time, can we stop", "nlu_fallback", intake.STOP),
    ("no idea who could help tbh, let's leave that question out", "nlu_fallback", intake.SKIP),
    ("Don't really want to answer this one if that's ok", "affirm", intake.SKIP),
    ("I'm going to log off now, will do the rest another time", "deny", intake.STOP),
    ("tbh the career stage I picked was wrong, I'm more mid career than early", "out_of_scope", intake.CHANGE),
    ("wait, can I change what I said for impact? I undersold myself, it's strong not solid", "nlu_fallback",
     intake.CHANGE),
    ("does 'ready now' mean I have to apply for something straight away?", "send_plan", intake.QUESTION),
])
def test_second_round_wordings_of_stopping_skipping_changing_and_asking(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text", [
    "can I edit what I said about values, I missed out the most important bit",  # "missed out" declines nothing
    "honestly knackered. i want to stop doing nights but theres no one to cover",
])
def test_words_near_a_skip_or_a_stop_that_ask_for_neither_are_not_read_as_them(text: str) -> None:
    assert reading(text).kind not in (intake.SKIP, intake.STOP)


def test_an_option_that_opens_a_longer_answer_is_the_answer() -> None:
    prompt = coach_journey().find_prompt("journal.career.stage")
    assert JourneyService.read(prompt, Message("later on. 57 and wondering what comes next", "start_journey")).is_answer


@pytest.mark.parametrize("text", ["...", ",", "—", ""])
def test_punctuation_alone_at_a_question_with_options_is_read_without_failing(text: str) -> None:
    prompt = coach_journey().find_prompt("journal.career.stage")
    assert JourneyService.read(prompt, Message(text, "nlu_fallback")).kind in (intake.ANSWER, intake.UNCLEAR)


def test_a_start_the_scope_gate_held_back_is_read_by_its_words_but_never_acted_on() -> None:
    """At a question the intake reads a held-back start as the NLU guessed it: "keep my place" still stops, and
    "take me back to where I left off" keeps the words and asks, rather than leaving the question on a guess."""
    stop = intake.read(Message("I need to go now, keep my place", "where_was_i", held_back=True))
    assert stop.kind == intake.STOP
    request = Message("take me back to where I left off", "where_was_i")
    assert intake.read(request).kind == intake.REQUEST
    assert intake.read(Message(request.text, request.intent, held_back=True)).kind == intake.UNCLEAR


@pytest.mark.parametrize("text, intent", [
    ("hmm not sure what you mean", "inform"), ("can you give me an example?", "help"),
    ("not sure what to put", "inform"), ("whats the weather tomorrow", "out_of_scope"),
])
def test_asking_what_the_question_means_or_something_off_topic_is_a_question_not_an_answer(
        text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.QUESTION


@pytest.mark.parametrize("text", ["what's the point, nothing changes here anyway", "what I enjoy is teaching"])
def test_an_answer_that_starts_like_a_question_is_still_the_answer(text: str) -> None:
    assert reading(text, "out_of_scope").kind == intake.ANSWER


def test_a_question_about_the_question_gets_it_put_another_way_and_nothing_is_stored(coach_store: CoachStore) -> None:
    service = JourneyService(coach_store)
    person = coach_store.person_id("web:clarify")
    prompt = coach_journey().find_prompt("journal.matters.energy")
    assert prompt is not None and prompt.explained
    turn = service.take(person, Place("journal", prompt_id=prompt.id), Message("hmm not sure what you mean", "inform"))
    assert turn.state == {"answer": None}
    assert prompt.explained in "\n".join(r.text or "" for r in turn.replies)
    assert coach_store.answers(person) == {}


def test_every_open_question_can_be_put_another_way() -> None:
    for flow in coach_journey().flows:
        for prompt in flow.prompts:
            if prompt.kind in ("text", "date", "bias_check"):  # with an example, or a manager's why it matters
                assert prompt.explained and ("For example" in prompt.explained or flow.id == "manager_prep"), prompt.id


@pytest.mark.parametrize("text", ["actually for the growth one can u put breadth not depth",
                                  "can we go back to the values one, i want to add something",
                                  "oops i meant solid not strong on the impact bit"])
def test_changing_another_question_named_in_passing_is_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


@pytest.mark.parametrize("text", ["my strengths are teaching and I want to add leadership one day",
                                  "I want to change how we do the handover bit"])
def test_an_answer_that_changes_something_at_work_is_still_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


def test_an_errand_about_things_the_coach_never_speaks_of_is_not_taken_for_the_answer() -> None:
    message = Message("convert 20 yen to dollars", "out_of_scope", elsewhere=("yen", "dollar"))
    assert intake.read(message).kind == intake.ELSEWHERE
    assert intake.read(Message("get my NVQ level 3", "out_of_scope")).kind == intake.ANSWER  # names the coach's things
    assert intake.read(Message("turned a complaint into a compliment", "out_of_scope",
                               elsewhere=("complaint", "compliment"))).kind == intake.ANSWER  # an account


@pytest.mark.parametrize("text", ["oh wait i said band 5 earlier but i got my 6 last month, can u change it",
                                  "I put 6 months for the review but can you make it 3",
                                  "sorry typo in my last answer, it should say community not comunity",
                                  "hang on the thing i said about nights, take that out"])
def test_pointing_back_at_what_was_said_and_correcting_it_is_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


@pytest.mark.parametrize("text", ["I said yes to the secondment and I'm glad I did",
                                  "I want to change wards in a year or two"])
def test_saying_what_happened_before_or_what_should_change_is_still_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, kind", [("pause pls, manager just walked in", intake.STOP),
                                        ("nah skip, I'm rubbish at blowing my own trumpet", intake.SKIP)])
def test_a_command_word_that_is_the_whole_first_clause_is_that_command(text: str, kind: str) -> None:
    assert reading(text).kind == kind


def test_a_last_clause_that_puts_the_question_off_is_never_stored_as_the_answer() -> None:
    assert reading("not sure yet, can we come back to it").kind == intake.LATER  # the words before decline
    assert reading("need to check my diary, can we come back to it").kind == intake.LATER  # they give the reason
    # Words before that may be the answer are kept, and the person asked.
    assert reading("band 6 in a year or so, can we come back to it").kind == intake.UNCLEAR
    assert reading("I'm fine for now, maybe later").kind == intake.ANSWER


@pytest.mark.parametrize("text, kind", [
    ("got a job come in, have to go", intake.STOP),
    ("on my break and it's just finished, need to stop here and pick it all up tmrw", intake.STOP),
    ("I need to dig out my appraisal to find the evidence, can we do this bit later", intake.LATER),
])
def test_a_reason_given_before_stopping_or_putting_off_is_not_taken_for_an_answer(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", ["more staff on the ward, bye", "I'd like to stop doing nights, bye"])
def test_an_answer_said_in_leaving_is_kept_and_asked_about(text: str) -> None:
    assert reading(text).kind == intake.UNCLEAR


@pytest.mark.parametrize("text", ["look at the resources on the learning hub",
                                  "find resources on the leadership academy website, do the Mary Seacole course"])
def test_a_step_that_sounds_like_a_request_is_the_answer_at_a_question_about_steps(text: str) -> None:
    assert intake.read(Message(text, "find_resources"), steps=True).kind == intake.ANSWER
    assert intake.read(Message(text, "find_resources")).kind == intake.REQUEST  # anywhere else, it is asked for


@pytest.mark.parametrize("text, intent", [("find me some leadership courses", "find_resources"),
                                          ("show resources", "find_resources"),
                                          ("where can I find leadership courses?", "find_resources"),
                                          ("find resources", "find_resources"),
                                          ("talk to someone in careers", "talk_to_person")])
def test_a_request_asked_of_the_coach_at_a_question_about_steps_is_still_a_request(text: str, intent: str) -> None:
    assert intake.read(Message(text, intent), steps=True).kind == intake.REQUEST


def test_the_questions_about_steps_are_the_ones_that_say_so() -> None:
    asked = {p.id for f in coach_journey().flows for p in f.prompts if p.steps}
    assert asked == {"journal.career.steps", "stage3.goals", "stage3.support", "outcome.next_steps"}


@pytest.mark.parametrize("text, intent", [("I don't really want to answer this one if that's ok", "affirm"),
                                          ("I don't really want to go into my health on here, can we move on",
                                           "nlu_fallback")])
def test_not_really_wanting_to_answer_skips_the_question(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.SKIP


def test_a_long_answer_that_ends_by_moving_on_is_kept_and_asked_about() -> None:
    text = "I never get enough support from my manager and the rota is never fair, can we move on"
    assert reading(text).kind == intake.UNCLEAR


def test_not_wanting_to_go_into_something_at_work_is_an_answer() -> None:
    assert reading("I don't want to go into management, I prefer clinical work. That's my choice").kind == (
        intake.ANSWER)


@pytest.mark.parametrize("text", ["could i try a secondment maybe?", "after christmas, jan?", "maybe a secondment?"])
def test_an_answer_put_tentatively_as_a_question_is_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["is breadth the same as a sideways move?", "depth?",
                                  "do you mean energy like physically or like motivation?"])
def test_a_question_about_the_question_is_still_a_question(text: str) -> None:
    assert reading(text).kind == intake.QUESTION


@pytest.mark.parametrize("text, kind", [
    ("hold that thought, can we come back to this one?", intake.LATER),  # "thought" whatever its lemma
    ("that ones a bit deep for a tuesday morning, skip it", intake.SKIP),
    ("handover starting, gotta stop. bye", intake.STOP),
])
def test_short_requests_with_their_reason_are_understood(text: str, kind: str) -> None:
    assert reading(text).kind == kind


def test_a_closing_skip_that_is_not_a_phrase_of_its_own_leaves_the_answer() -> None:
    assert reading("more time with my kids, skip the overtime").kind == intake.ANSWER


@pytest.mark.parametrize("text", [
    "That's my break over. I'll pick this up another day",
    "Right, I'm being called into theatre, that's me done for now. I'll log back in later",
])
def test_an_interruption_then_leaving_stops_rather_than_putting_the_question_off(text: str) -> None:
    assert reading(text).kind == intake.STOP


def test_a_break_in_an_answer_about_the_future_is_not_an_interruption() -> None:
    text = "I'd love to finish my degree, it's been on my list since my career break, hopefully by next year"
    assert reading(text).kind == intake.ANSWER


def test_a_break_named_in_an_answer_is_not_an_interruption() -> None:
    assert reading("a proper break mid shift would help, we never get one on here").kind == intake.ANSWER


@pytest.mark.parametrize("text, intent", [
    ("before I forget, can you email me the plan so far", "send_plan"),
    ("Got any leadership courses you can point me to? I want to read up before I pick one for my plan",
     "find_resources"),
])
def test_a_request_asked_in_a_clause_of_its_own_is_that_request(text: str, intent: str) -> None:
    assert reading(text, intent) == intake.Reading(intake.REQUEST, intent)


@pytest.mark.parametrize("text, intent, kind", [
    ("just jump to the next question", "inform", intake.SKIP),
    ("nope, onto the next one", "nlu_fallback", intake.SKIP),
    ("could we bypass this one", "skip", intake.SKIP),
    ("omit that please", "affirm", intake.SKIP),
    ("i won't bother with this one", "nlu_fallback", intake.SKIP),
    ("not going to answer that, move along", "skip", intake.SKIP),
    ("put a pin in this one", "inform", intake.LATER),
    ("defer it please", "skip", intake.LATER),
    ("can this wait till the end?", "nlu_fallback", intake.LATER),
    ("I'll fill it in after I've checked my appraisal", "inform", intake.LATER),
    ("log me out please", "nlu_fallback", intake.STOP),
    ("no more for today, speak soon", "out_of_scope", intake.STOP),
    ("battery's nearly gone, need to log off", "out_of_scope", intake.STOP),
])
def test_skipping_putting_off_and_leaving_in_other_words_are_understood(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text", [
    "jumping to the next band within two years",
    "I fill it in every shift, the handover sheet",
    "the theatre team keeps me going",
    "my laptop is always slow, that drains me",
    "head off to uni and become a physio",
])
def test_answers_with_those_words_in_them_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, intent", [
    ("can you update my band to 6", "inform"),
    ("redo my goals please", "inform"),
    ("I got my staff group wrong, it's AHP", "out_of_scope"),
    ("typo in my role - radiographer not radiologist", "inform"),
    ("re my aspiration, scrap that, put band 7", "inform"),
    ("for timing I meant in a year", "faq"),
    ("the question about my goals should say the ILM course", "inform"),
    ("change my goals 🙏", "inform"),
    ("re: my aspiration - scrap that", "inform"),
])
def test_changing_an_earlier_answer_named_by_its_topic_is_a_change(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.CHANGE


@pytest.mark.parametrize("text", [
    "I'd like to change my leadership style",
    "update my CV and my portfolio",
    "what's wrong in my role is the rota",
    "for my goals I'd say the ILM course",
    "I want to change my role to something with more patients",
    "change wards and maybe my role in a few years",
    "I want to change my role.",
    "I need to fix my health.",
    "for my health I changed my diet",
    "I sometimes feel my values are wrong for this place",
    "update my goals every quarter with my manager",
])
def test_answers_that_name_a_topic_and_a_change_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, prompt", [
    ("my hours are wrong, I do 30 not 37.5", "journal.career.steps"),
    ("what I put for motivation was not right", "stage1.experience"),
    ("wrong role, I'm a pharmacy technician", "journal.strengths.strengths"),
    ("mistake in role, i am phlebotomist", "stage2.competences"),
    ("my title should be Advanced Clinical Practitioner", "stage2.competences"),
    ("the review date should be september not march", "journal.wellbeing.now"),
    ("goals wrong pls change", "stage3.support"),
    ("Scratch the aspiration, I'd rather go for a band 6 role after all", "stage3.goals"),
])
def test_another_answer_told_to_be_wrong_is_a_change_whose_words_are_kept(text: str, prompt: str) -> None:
    got = JourneyService.read(coach_journey().find_prompt(prompt), Message(text, "inform"))
    assert got.kind == intake.CHANGE and got.told


@pytest.mark.parametrize("text, prompt", [
    ("my role is wrong for me, I want more patient contact", "journal.wellbeing.support"),
    ("I sometimes feel my values are wrong for this place", "journal.wellbeing.now"),
    ("what's wrong in my role is the rota", "journal.wellbeing.now"),
    ("Band 7 in pharmacy. I like fixing systems so patients don't leave with the wrong meds", "journal.career.vision"),
    ("my role is wrong, I'm really a team leader", "journal.details.role"),
    ("my goals are right for me", "stage3.support"),
    ("the review process should be fairer, it depends who you know", "stage1.fairness"),
    ("the review date should be after my preceptorship", "stage3.review"),
    ("hang on I'm meant to be doing the manager bit for my band 5s", "journal.matters.values"),
])
def test_answers_that_find_fault_with_something_else_or_with_this_question_are_answers(text: str,
                                                                                      prompt: str) -> None:
    got = JourneyService.read(coach_journey().find_prompt(prompt), Message(text, "inform"))
    assert got.kind != intake.CHANGE


@pytest.mark.parametrize("text", [
    "my grade is 5 not 4, sorry",
    "hang on, my job title is ward manager not sister",
    "staff group should read healthcare scientists, not admin",
    "should be radiographer not sonographer",
    "i typed porter but im a porter supervisor now",
    "I said part time earlier, I'm full time since May",
    "wait i wrote band 5 - i got my band 6 last week",
    "go back to strengths please",
    "can we revisit the vision one, I've had a rethink",
    "could I redo my aspiration first?",
    "for the what drains me bit i want to add car parking",
    "the one about how i get on with others, can i reword it",
])
def test_what_was_said_then_what_is_true_or_one_value_not_another_is_a_change(text: str) -> None:
    assert intake.changes_another_question(text)


@pytest.mark.parametrize("text", [
    "I put my name down, I'm hoping to hear soon",
    "I said yes to the secondment but I'm not sure now",
    "I'm band 5 not looking to move yet",
    "I put in for the band 6 but I'm not confident",
    "my goal is progression not promotion",
    "should be fine, not worried",
    "I picked nursing, it's what I always wanted",
    "I wrote a reflective piece, I'm proud of it",
    "I gave feedback to the team, I'm known for it",
    "I'd love to go back to studying",
    "revisit my goals every quarter with my manager",
    "let me come back to the goals, want to sleep on it",
    "update my goals again next year",
    "the best bit of my job is when I put a smile on someone's face",
    "the how and the why bit is what I'd change about handovers",
])
def test_saying_what_was_done_or_chosen_is_not_a_change(text: str) -> None:
    assert not intake.changes_another_question(text)


@pytest.mark.parametrize("text", [
    "change my first goal to finishing my preceptorship",
    "can you change my motivation to helping patients",
    "update my hours to 0.8",
    "could u update my grade to 6 pls",
])
def test_asking_for_an_answer_named_by_its_topic_to_be_given_a_new_value_is_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


@pytest.mark.parametrize("text, intent", [
    ("can I amend the fairness one please", "inform"),
    ("I need to correct my vision, I wrote it in a rush", "faq"),
    ("is it possible to modify my last answer? I was half asleep", "nlu_fallback"),
    ("could we redo behaviours", "inform"),
    ("can I remove my second goal, it's too much", "inform"),
    ("please delete my team answer and let me start again", "nlu_fallback"),
    ("I want to change my aspiration back to what I first put", "nlu_fallback"),
    ("wait I said depth but I meant breadth", "other_language"),
])
def test_asking_to_edit_another_answer_named_by_its_topic_is_a_change(text: str, intent: str) -> None:
    got = JourneyService.read(coach_journey().find_prompt("journal.wellbeing.now"), Message(text, intent))
    assert got == intake.Reading(intake.CHANGE)


@pytest.mark.parametrize("text", [
    "I need to redo my band 6 interview prep",
    "correct the timing of drug rounds",
    "I want to change my band by next year",
    "I'd like to replace the goal setting process",
    "I'd like to fix the review process on our ward",
    "I changed my goals after the course",
    "more staff, fix that",
    "I thought nobody noticed, I got that wrong",
])
def test_answers_with_an_editing_word_and_a_topic_in_them_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, prompt", [
    ("can I remove my second goal", "stage3.goals"),  # the question being asked
    ("can you delete all my answers", "journal.wellbeing.now"),  # erasing, not editing one
])
def test_asking_to_edit_this_answer_or_to_erase_them_all_is_not_a_change_of_another(text: str, prompt: str) -> None:
    assert JourneyService.read(coach_journey().find_prompt(prompt), Message(text, "inform")).kind != intake.CHANGE


@pytest.mark.parametrize("text", [
    "I work in pharmacy, not estates, please update",
    "band 7 not band 6 - fix that",
    "my contract is permanent not fixed term, I got that wrong",
    "the proud bit was wrong, it was the audit",
])
def test_a_value_set_against_another_then_a_change_asked_is_a_change_whose_words_are_kept(text: str) -> None:
    assert reading(text) == intake.Reading(intake.CHANGE, told=True)


@pytest.mark.parametrize("text, intent", [
    ("email me the plan when we're done", "nlu_fallback"),
    ("pls send me what I've written so far", "inform"),
    ("can you point me to some leadership courses", "inform"),
    ("i dont want my manager seeing this anymore, can you turn the sharing off", "nlu_fallback"),
])
def test_a_request_put_to_the_coach_that_the_nlu_could_not_name_keeps_the_words_and_asks(text: str,
                                                                                       intent: str) -> None:
    assert reading(text, intent).kind == intake.UNCLEAR


@pytest.mark.parametrize("text", [
    "my manager always says can you cover a shift",
    "give me a busy shift with a good team any day",
    "Calm in a crisis. People say if it kicks off, send for me",
    "Honest. I'll tell you if something's wrong but I'll help you fix it",
    "can you believe it, I got the band 6",
    "send me on more courses",
])
def test_answers_that_speak_of_asking_are_answers(text: str) -> None:
    assert reading(text, "nlu_fallback").kind == intake.ANSWER


@pytest.mark.parametrize("text, intent, kind", [
    ("coffee's gone cold, can we pause and carry on tmrw", "stop", intake.STOP),  # the last said decides a tie
    ("this needs a proper think, can we go back to it later on", "skip", intake.LATER),  # not "go" ... "later"
    ("nah not one for me, leave it out", "skip", intake.SKIP),
    ("wifi keeps dropping, gonna stop and do the rest at home", "out_of_scope", intake.STOP),
    ("before I answer could I see what I wrote for values", "review_journal", intake.REQUEST),
    ("shattered, can i save this and come back another day", "deny", intake.STOP),
    ("not now. ill come back to all of it at the weekend", "out_of_scope", intake.STOP),
    ("ill come back to this question when im off the ward, too busy", "out_of_scope", intake.LATER),
    ("that's me done for today, I'll come back to it", "stop", intake.STOP),
    ("can we put it off? i want to ask my mentor first", "nlu_fallback", intake.LATER),
    ("any e-learning you could point me to?", "find_resources", intake.REQUEST),
])
def test_leaving_putting_off_and_asking_in_everyday_words_read_as_meant(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text, kind", [
    ("can we come back to this one tomorrow", intake.LATER),
    ("park it till next week, I want to ask my manager", intake.LATER),
    ("I find it hard to stop thinking about work when I'm at home", intake.ANSWER),
    ("being able to finish on time and not do the rest at home", intake.ANSWER),
    ("we leave it out of the handover and it gets missed", intake.ANSWER),
    ("go back to studying later on, maybe a masters", intake.ANSWER),
    ("I tend to put it off until the last minute", intake.ANSWER),
])
def test_putting_this_question_off_or_answers_that_share_those_words_are_not_leaving(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", [
    "ignore what i said bout energy",
    "forget what I said about my manager",
    "scrap what i put for values",
    "sorry, disregard what I wrote for strengths",
])
def test_asking_for_what_was_said_before_to_be_dismissed_is_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


@pytest.mark.parametrize("text", [
    "the thing I want to develop is confidence in meetings not IT skills, can you swap it",
    "what I'm proudest of is the sepsis audit not the flu campaign, pls change that",
])
def test_an_answer_named_by_what_it_says_and_asked_to_be_swapped_is_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


@pytest.mark.parametrize("text", [
    "I want to change to a role with more patient contact",
    "I'd like to update my skills to management level",
    "I'd ignore what people say and go for it",
    "I forget what I said in my last appraisal, it was a while ago",
    "swap shifts with colleagues when needed",
    "swap nights for days",
    "changing teams to get more breadth",
    "to change careers to nursing",
    "I'll never forget what I said to my first patient",
    "I want to change my motivation to something less about money",
    "change my hours to part time so I can study",
])
def test_answers_that_change_dismiss_or_swap_something_at_work_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


def test_asking_for_everything_said_to_be_erased_is_not_a_change_of_one_answer() -> None:
    assert not intake.changes_another_question("delete everything I've put in, I'm not comfortable with this")


@pytest.mark.parametrize("text, intent, kind", [
    ("on a call-out in a min so signing off", "out_of_scope", intake.STOP),
    ("battery about to go 🔋 logging off", "out_of_scope", intake.STOP),
    ("soz got to go, buzzer", "out_of_scope", intake.STOP),
    ("wrap it up here please, clinic's starting", "nlu_fallback", intake.STOP),
    ("let's knock it on the head for now", "inform", intake.STOP),
    ("bookmark this one please", "out_of_scope", intake.LATER),
    ("keep it open for me, not ready yet", "nlu_fallback", intake.LATER),
    ("can this one wait? I'll do it last", "nlu_fallback", intake.LATER),
    ("dont fancy answering that one, crack on", "skip", intake.SKIP),
])
def test_leaving_for_a_reason_keeping_open_and_cracking_on_are_understood(text: str, intent: str, kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text", [
    "the clinic I run on Mondays keeps me going, and signing off students",
    "my phone never stops, that drains me",
    "a proper lunch break away from the ward would help",
    "keeping an open mind about a secondment",
    "heading home on time more often",
    "I'd like to try again later for the band 6 post",
])
def test_answers_with_those_reasons_or_words_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text", [
    "later on I'd like that promotion",
    "I want to come back to that specialty one day",
    "park that idea of management for now, I love clinical",
    "skip the overtime this year and focus on my degree",
    "I'd pass on that leadership course, want clinical",
])
def test_this_or_that_before_a_noun_points_at_that_thing_not_at_the_question(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, kind", [("come back to that", intake.LATER), ("skip that bit", intake.SKIP),
                                        ("pass on this", intake.SKIP), ("leave that question out", intake.SKIP)])
def test_this_or_that_on_its_own_or_before_the_question_still_points_at_it(text: str, kind: str) -> None:
    assert reading(text).kind == kind


@pytest.mark.parametrize("text", [
    "I check the orders and fix any errors before they go out",
    "Better than before. I stopped doing extra shifts and I feel it",
    "we moved our clinic and now finish the list by 4",
    "I redesigned the rota, we now finish the clinic letters by 3",
])
def test_answers_about_what_was_done_or_fixed_before_are_answers(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text, intent, kind", [
    ("pause pls, school run", "other_language", intake.STOP),  # the coach's own words, whatever language guessed
    ("och I'm needing to head, the wean's woken up", "out_of_scope", intake.STOP),  # "I'm" before the leaving
    ("I'm off now me duck, tea's on the table", "out_of_scope", intake.STOP),
    ("that's me for tonight, I'm shattered. night all", "feeling_stressed", intake.STOP),
    ("I'm no wanting to answer that one", "skip", intake.SKIP),
    ("I skip. Is too personal for me", "nlu_fallback", intake.SKIP),
    ("rather leave that one unanswered tbh", "skip", intake.SKIP),
    ("Leave the review date out, I don't need one", "out_of_scope", intake.SKIP),
])
def test_a_request_said_with_its_speaker_or_a_word_of_address_is_that_request(text: str, intent: str,
                                                                              kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text, intent", [
    ("wifi in the canteen is rubbish, giving up for now, will try again from home", "out_of_scope"),
    ("Ward's gone mental, I'm off. I'll come back to the lot another day", "nlu_fallback"),
    ("Next patient's in. Going.", "inform"),
    ("I'm on the late and it's 2pm, gotta run xx", "out_of_scope"),
    ("brain is fried after a 12.5 hr shift, gonna call it a night and do the rest at the weekend", "out_of_scope"),
])
def test_leaving_in_a_clause_of_its_own_after_its_reason_stops(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.STOP


@pytest.mark.parametrize("text, intent", [
    ("can I log out and come back to all of it on my day off?", "nlu_fallback"),
    ("can we resume Monday when I'm not on call", "where_was_i"),
    ("can we pick this whole thing up after my shift? have to go back on the floor", "out_of_scope"),
])
def test_asking_to_leave_until_a_time_or_until_something_is_done_stops(text: str, intent: str) -> None:
    assert reading(text, intent).kind == intake.STOP


@pytest.mark.parametrize("text, intent", [
    ("I'd like a bit more time with this one, can we return to it after the next few", "inform"),
    ("I'll fill in the details bit after, whats next", "out_of_scope"),
    ("I want to talk to my mentor before I write this, so not yet, ask me the rest", "inform"),
    ("need to check my diary first, can we do the date later on", "out_of_scope"),
    ("We haven't agreed who's doing what yet. I'll record this bit after I've caught up with her on Friday",
     "out_of_scope"),
    ("gonna leave this till after i've looked at my job description, back to it in a bit", "out_of_scope"),
    ("Please save this question and ask it again before we finish", "nlu_fallback"),
    ("I'd like to answer that properly, so maybe once we've done the others", "inform"),
    ("leave this blank for now but remind me to do it", "skip"),
    ("FY2 here, nothing useful to say on this one so next", "skip"),
])
def test_putting_this_question_off_until_later_or_until_something_is_done_leaves_it_for_now(text: str,
                                                                                            intent: str) -> None:
    assert reading(text, intent).kind in (intake.LATER, intake.SKIP)


@pytest.mark.parametrize("text, intent", [
    ("not sure what kind of answer you're looking for here", "review_journal"),
    ("how long should my answer be", "privacy_what_kept"),
    ("do you want both bits in one answer or separately", "manager_prepare"),
    ("impact on who? patients, the team or the trust?", "inform"),
])
def test_asking_what_shape_the_answer_should_take_is_a_question_whatever_the_nlu_guessed(text: str,
                                                                                       intent: str) -> None:
    assert reading(text, intent).kind == intake.QUESTION


@pytest.mark.parametrize("text, intent", [
    ("I'm off to a new role in the spring", "nlu_fallback"),
    ("going part time after my maternity leave", "out_of_scope"),
    ("I'd leave the ward if the rota doesn't improve", "inform"),
    ("I gave up on the course after my mum got ill", "find_resources"),
    ("night shifts are the worst part, I'm shattered after them", "out_of_scope"),
    ("I want to come back to nursing after a career break", "start_journey"),
    ("leave it to the team leader usually", "inform"),
    ("I skip breaks too often", "out_of_scope"),
    ("I answer questions from students all day", "inform"),
    ("more time with patients and less admin", "inform"),
    ("I pick things up quickly", "out_of_scope"),
    ("I resume my studies in September", "inform"),
    ("I'll do the course after my exams", "inform"),
    ("I'd leave the politics out of it", "inform"),
    ("I'm going part time, the kids come first", "inform"),
    ("the ward's gone mental since the merger, I'm off to community in the spring", "inform"),
    ("we're on lates all week, it's exhausting", "out_of_scope"),
    ("I'm off when the kids are at school, so Tuesdays and Thursdays work", "inform"),
])
def test_answers_that_sound_like_leaving_putting_off_or_asking_are_answers(text: str, intent: str) -> None:
    assert reading(text, intent).is_answer


@pytest.mark.parametrize("text", [
    "i said stepping up for the growth one but sideways suits me better",
    "placement - i said yes it fitted but on reflection its a level too high",
    "the what i find hard question, i said IT but its delegation really",
    "i typed paramedic earlier but im a specialist paramedic now",
    "the feelings one i answered earlier, im actually doing better than that",
    "my proud moment answer had a patient's name in it, can you take that out",
    "my impact answer sounds big headed, can i tone it down",
    "can i re do the competences bit, i rushed it",
    "motivation one - change to learning new things",
    "I've changed my mind about what I find hard, it's delegation",
    "for the when question i put asap, can that be in a year instead",
    "i said 6 months - could you make it 3 instead",
    "can u go bk 2 my vision",
])
def test_what_was_said_for_a_question_named_then_set_against_is_a_change(text: str) -> None:
    assert intake.changes_another_question(text)


@pytest.mark.parametrize("text", [
    "I put myself forward for the leadership programme, but didn't get it",
    "Support - I said it before, but my manager needs to listen",
    "I said so, but I was ignored",
    "one thing, i said it before but nobody listens",
    "the hardest part, i said it to my manager but she ignored it",
    "I said no to the band six job but I regret it",
    "my answer to most problems is a cup of tea",
    "Leadership part of my role is hard, I want to change how I delegate",
    "I changed my mind about nursing when I did my first placement",
    "i said no, could you believe they went with the agency instead of me",
])
def test_what_was_said_of_a_thing_or_to_someone_is_not_a_change(text: str) -> None:
    assert not intake.changes_another_question(text)


@pytest.mark.parametrize("text, intent", [
    ("checklist for the appraisal meeting pls", "show_checklist"),
    ("undo the sharing with my supervisor please", "stop_sharing"),
    ("i'd like my line manager to have a look at my answers", "share_with_manager"),
    ("anything i could read up on about coaching? free ideally", "find_resources"),
    ("i want to do the full career conversation with all the stages", "start_journey"),
])
def test_a_request_the_nlu_names_in_everyday_words_is_that_request(text: str, intent: str) -> None:
    assert reading(text, intent) == intake.Reading(intake.REQUEST, intent)


def test_a_request_put_to_the_coach_that_the_nlu_took_for_off_topic_is_kept_and_asked_about() -> None:
    assert reading("cn u email my plan to me when its done", "out_of_scope").kind == intake.UNCLEAR


@pytest.mark.parametrize("text, intent, kind", [
    ("why do u need my band", "inform", intake.QUESTION),
    ("whats the difference between depth and breadth", "nlu_fallback", intake.QUESTION),
    ("dont know what to put, move on", "skip", intake.SKIP),
    ("hold on this one, need to check with my mentor", "inform", intake.LATER),
    ("leave it for now and I'll come back to it after the others", "stop", intake.LATER),
])
def test_why_it_is_asked_not_knowing_then_moving_on_and_holding_a_question_are_understood(text: str, intent: str,
                                                                                          kind: str) -> None:
    assert reading(text, intent).kind == kind


@pytest.mark.parametrize("text, intent", [
    ("more staff please", "inform"),
    ("the difference between a good and a bad shift is the team", "inform"),
    ("someone to have a look at my rota with me", "inform"),
    ("more time to read up on new guidance", "find_resources"),
    ("I hold on to things too long", "inform"),
])
def test_answers_with_those_words_are_answers(text: str, intent: str) -> None:
    assert reading(text, intent).is_answer


@pytest.mark.parametrize("text", [
    "I'm actually a band 7 ward manager, I wanted to use this to prep for my staff's appraisals not my own",
    "oh is this for me? I wanted to get ready for a career chat with one of my team",
    "im a team leader, i want to prep for a 1-1 with one of my HCAs",
    "i manage six porters, i want to prepare for their conversations",
    "is there a manager version of this",
])
def test_preparing_for_ones_teams_conversations_at_a_question_about_ones_own_career_is_asked_about(text: str) -> None:
    assert intake.read(Message(text, "start_journey"), own=True) == intake.Reading(intake.UNCLEAR,
                                                                                 offer="manager_mode")


@pytest.mark.parametrize("text", [
    "I spend a lot of time getting ready for inspections with my team",
    "helping my team prepare for their exams",
    "I prepare for appraisals with my manager every year",
    "I love getting my team ready for the CQC visit",
    "prepping for my own appraisal with my manager",
])
def test_preparing_for_other_things_or_for_ones_own_conversation_is_not_a_manager_in_the_wrong_place(
        text: str) -> None:
    assert not intake.prepares_for_a_team(text)


@pytest.mark.parametrize("padding", ["😀" * 5000, " 😀" * 2000])
def test_a_huge_message_is_never_read_as_a_change_so_it_is_never_parsed_whole(padding: str) -> None:
    text = "my band is 6 not 5, please update" + padding
    assert not (intake.changes_another_question(text) or intake.asks_to_edit_another_answer(text, frozenset())
                or intake.tells_another_answer_wrong(text, frozenset()) or intake.corrects_in_a_last_clause(text))
    assert intake.changes_another_question("my band is 6 not 5, please update")


@pytest.mark.parametrize("text, unsure", [
    ("hmm not sure", True), ("no idea tbh", True), ("dunno yet", True), ("Not sure.", True), ("idk 🤷", True),
    ("not sure, maybe a secondment", False), ("not sure what to put", False), ("stuck", False), ("", False),
])
def test_saying_only_that_one_does_not_know_is_told_from_an_answer_that_says_more(text: str, unsure: bool) -> None:
    assert intake.only_unsure(text) is unsure


@pytest.mark.parametrize("text, asks", [
    ("what's my progress", True), ("how far through am i", True), ("will i progress if i pick stretch?", False),
    ("my progress has stalled since the restructure", False),
])
def test_asking_how_far_through_is_told_from_talk_of_progressing(text: str, asks: bool) -> None:
    assert intake.asks_where(text) is asks


@pytest.mark.parametrize("text", ["almost done my NVQ", "I have almost finished my degree",
                                  "nearly done with this one, it was hard"])
def test_saying_one_has_nearly_done_something_is_an_answer(text: str) -> None:
    assert reading(text, "inform").kind == intake.ANSWER


def test_how_far_through_read_by_the_nlu_as_where_was_i_shows_the_place_rather_than_leaving_the_question() -> None:
    assert intake.read(Message("how far through am i", "where_was_i")).kind == intake.QUESTION
    assert intake.read(Message("where was i", "where_was_i")).kind == intake.REQUEST


@pytest.mark.parametrize("text, intent", [
    ("what do I like? cycling, pottery and my grandkids", "faq"),
    ("how am i feeling? knackered tbh, three nights in a row", "inform"),
    ("steps? getting my mentorship qual done first", "inform"),
])
def test_a_question_asked_back_and_answered_at_once_is_the_answer(text: str, intent: str) -> None:
    assert intake.answers_itself(text) and reading(text, intent).kind == intake.ANSWER


@pytest.mark.parametrize("text", [
    "what do you mean by energy? physically?",  # put to the coach, and asked again
    "what do i write? my job or my life",  # about the answer
    "what's Our Leadership Way? never heard of it",  # a term asked about
    "is this about my current job? i've only been here 2 weeks",
    "get where? i havent said where yet",
    "where am i up to? lost track",  # "where was I?"
    "where can I find courses? want to upskill",  # a request
])
def test_a_real_question_with_a_remark_after_it_is_not_taken_as_answered(text: str) -> None:
    assert not intake.answers_itself(text)


@pytest.mark.parametrize("text, intent", [
    ("is this anonymous?", "faq"),
    ("confidential??", "inform"),
    ("will my manager see this", "share_with_manager"),
    ("hw private is this", "inform"),
    ("r u sharing this w anyone", "inform"),
    ("sorry my english not so good - this answers, who is reading them?", "other_language"),
    ("if I say my manager is part of the problem, will she see that?", "inform"),
])
def test_a_question_about_who_sees_the_journal_is_a_question_about_the_prompt(text: str, intent: str) -> None:
    assert intake.asks_who_sees(text) and reading(text, intent).kind == intake.QUESTION


def test_who_sees_asked_in_the_words_of_a_request_that_also_says_who_has_is_left_to_it() -> None:
    assert reading("has my manager looked at any of this yet?", "who_has_seen") == intake.Reading(
        intake.REQUEST, "who_has_seen")


@pytest.mark.parametrize("text", [
    "my manager sees me as reliable",
    "I value confidentiality, patients trust us with private things",
    "can you share my answers with my manager before our 1:1",  # asks the coach to
    "please don't share any of this with my manager",
    "i'd like to read more about leadership",
])
def test_words_about_seeing_and_privacy_that_ask_nothing_of_it_are_not_a_question_about_who_sees(text: str) -> None:
    assert not intake.asks_who_sees(text)


@pytest.mark.parametrize("typed, kind", [
    ("<b>skip</b>", intake.SKIP),
    ("<i>can we come back to this later?</i>", intake.LATER),
    ("&lt;b&gt;skip&lt;/b&gt;", intake.SKIP),
    ("<b>who can see this</b>", intake.QUESTION),
    ("pay < 30k and hours > 40 would help", intake.ANSWER),  # not markup: read as typed
])
def test_markup_round_the_words_is_read_past(typed: str, kind: str) -> None:
    prompt = coach_journey().find_prompt("journal.wellbeing.now")
    assert JourneyService.read(prompt, Message(typed, "inform")).kind == kind


@pytest.mark.parametrize("text", ["going back to what I'd like to develop, add public speaking",
                                  "re: what gives me energy - swap nights for teaching",
                                  "back to the bit about support, put my practice educator",
                                  "the goals - take out the last one, it's too much",
                                  "swap step two for shadowing a band 7",
                                  "can you remove the 2nd goal"])
def test_going_back_to_another_question_and_changing_its_answer_is_a_change(text: str) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset({"stage1", "motivation"})).kind == intake.CHANGE


@pytest.mark.parametrize("text, asking", [
    ("the goals: change teams and finish my degree", {"stage3", "goals"}),
    ("my first goal is to change teams, my second is to finish my degree", {"stage3", "goals"}),
    ("going back to uni would change everything for me", {"journal", "career", "steps"}),
    ("back to basics: fix my IT skills and add a bit of confidence", {"journal", "strengths", "challenges"})])
def test_an_answer_that_names_its_own_question_or_goes_back_in_life_is_the_answer(text: str, asking: set) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset(asking)).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["could i tweak my proud moment answer",
                                  "in the energy question I mixed up the two, teaching gives me energy",
                                  "I want to change how I described my strengths",
                                  "I skipped the question about what I find hard earlier, can I fill it in now?"])
def test_editing_words_in_other_forms_name_a_change(text: str) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset({"stage1", "motivation"})).kind == intake.CHANGE


def test_saving_to_come_back_another_day_is_a_stop() -> None:
    assert reading("can i save and come back another day", "deny").kind == intake.STOP  # as the NLU read it


@pytest.mark.parametrize("text", ["the off-duty keeps changing last minute",
                                  "better since I changed teams last month",
                                  "fewer last-minute changes to the rota and earlier shifts on a Friday"])
def test_a_change_at_work_said_with_when_it_happened_is_the_answer(text: str) -> None:
    assert reading(text).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["can i change my last answer", "change the last one please"])
def test_a_word_of_order_pointing_at_an_answer_is_still_a_change(text: str) -> None:
    assert reading(text).kind == intake.CHANGE


def test_a_record_told_to_have_changed_is_a_change_told_and_at_its_own_question_the_answer() -> None:
    said = Message("oh before I forget, my band changed to 6 last week", "inform")
    journey = coach_journey()
    assert JourneyService.read(journey.find_prompt("journal.wellbeing.now"), said) == intake.Reading(
        intake.CHANGE, told=True)
    assert JourneyService.read(journey.find_prompt("journal.details.role"), said).kind == intake.ANSWER
    assert JourneyService.read(journey.find_prompt("journal.details.role"),
                               Message("my title should be team lead", "inform")).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["stop sharing my stuff with my line manager pls",
                                  "can you stop sharing the lot with my boss"])
def test_stopping_sharing_with_the_manager_in_everyday_words_is_that_request(text: str) -> None:
    assert reading(text, "stop_sharing") == intake.Reading(intake.REQUEST, "stop_sharing")


@pytest.mark.parametrize("text", ["going back to where I trained, a community team",
                                  "back to what I love, hands-on nursing",
                                  "going back to how things were before covid would help"])
def test_going_back_in_life_said_in_the_words_of_a_question_is_the_answer(text: str) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset({"journal", "career", "vision"})).kind == intake.ANSWER


@pytest.mark.parametrize("text", ["redo goals pls", "could you change the second of my steps to asking for a mentor?",
                                  "swap the first of the goals for my ILM"])
def test_a_goal_or_step_counted_or_named_bare_after_an_editing_verb_is_a_change(text: str) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset({"stage1", "motivation"})).kind == intake.CHANGE


@pytest.mark.parametrize("text", ["my first step is to change teams", "one of my goals is to change teams"])
def test_a_goal_or_step_counted_in_an_answer_is_the_answer(text: str) -> None:
    assert intake.read(Message(text, "inform"), asking=frozenset({"journal", "career", "steps"})).kind == intake.ANSWER
