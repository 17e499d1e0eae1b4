"""The journey's actions, called as the Rasa server calls them, over a real SQLite store."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.journey import ActionAnswerFaq, ActionAskAnswer, ActionResume, ActionStartJourney, ValidateCoachForm
from bot.safety import assess
from bot.store import CoachStore
from tests.conftest import tracker_dict

SENDER = "web:journey-test"


def tracker(text: str = "", intent: str = "inform", slots: Optional[Dict[str, Any]] = None,
            entities: Optional[List[Dict[str, Any]]] = None) -> Tracker:
    base = {"flow": "journal", "prompt_id": None, "editing": None, "answer": text, "requested_slot": "answer"}
    base.update(slots or {})
    return Tracker.from_dict(tracker_dict(SENDER, slots=base, text=text, intent=intent, entities=entities,
                                          active_loop="coach_form"))


async def validate(text: str, **kwargs: Any) -> tuple[Dict[str, Any], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await ValidateCoachForm().validate_answer(text, dispatcher, tracker(text, **kwargs), {})
    return result, dispatcher.messages


async def ask(**slots: Any) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await ActionAskAnswer().run(dispatcher, tracker(slots=slots), {})
    return dispatcher.messages


async def test_the_first_question_comes_with_the_intro_and_progress(action_store: CoachStore) -> None:
    messages = await ask()
    assert "reflection journal" in messages[0]["text"]
    assert "Section 1 of 6" in messages[1]["text"]


async def test_an_answer_is_saved_as_given_and_acknowledged_without_quoting_it(action_store: CoachStore) -> None:
    result, messages = await validate("I'm a band 5 nurse 😊 <b>proud</b>",
                                      slots={"prompt_id": "journal.details.role"})
    assert result == {"answer": None}  # ask the next question
    person = action_store.person_id(SENDER)
    assert action_store.answers(person)["journal.details.role"].text == "I'm a band 5 nurse 😊 <b>proud</b>"
    assert messages[0]["text"] and "band 5 nurse" not in messages[0]["text"]  # a short answer is not quoted back


async def test_skip_records_a_skip_and_moves_on(action_store: CoachStore) -> None:
    await validate("skip", slots={"prompt_id": "journal.details.role"})
    person = action_store.person_id(SENDER)
    assert action_store.answers(person)["journal.details.role"].skipped
    messages = await ask()
    assert "Section 2 of 6" in messages[-1]["text"]


async def test_a_risk_message_is_never_stored_as_an_answer(action_store: CoachStore) -> None:
    result, _ = await validate("I want to kill myself", slots={"prompt_id": "journal.details.role"})
    assert result == {"answer": None}
    assert action_store.answers(action_store.person_id(SENDER)) == {}


async def test_an_empty_message_gets_a_kind_nudge_and_nothing_is_saved(action_store: CoachStore) -> None:
    result, messages = await validate("   ", slots={"prompt_id": "journal.details.role"})
    assert result == {"answer": None} and "skip" in messages[0]["text"]
    assert action_store.answers(action_store.person_id(SENDER)) == {}


async def test_a_huge_answer_is_kept_whole(action_store: CoachStore) -> None:
    text = "I care about my patients. " * 2000
    _, messages = await validate(text, slots={"prompt_id": "journal.details.role"})
    assert action_store.answers(action_store.person_id(SENDER))["journal.details.role"].text == text
    assert "kept all of it" in messages[0]["text"]


async def test_a_button_choice_is_read_as_the_option(action_store: CoachStore) -> None:
    result, messages = await validate(
        '/choose{"choice": "depth"}', intent="choose", entities=[{"entity": "choice", "value": "depth"}],
        slots={"flow": "stage2", "prompt_id": "stage2.growth"},
    )
    saved = action_store.answers(action_store.person_id(SENDER))["stage2.growth"]
    assert saved.value == "depth" and result == {"answer": None}


async def test_words_that_match_no_option_are_kept_as_a_note(action_store: CoachStore) -> None:
    result, messages = await validate("hmm, somewhere between the two", slots={"flow": "stage2",
                                                                              "prompt_id": "stage2.growth"})
    answers = action_store.answers(action_store.person_id(SENDER))
    assert result == {"answer": None}
    assert "stage2.growth" not in answers
    assert answers["stage2.growth.note"].text == "hmm, somewhere between the two"


async def test_a_review_date_is_read_and_stored(action_store: CoachStore) -> None:
    await validate("by March next year", slots={"flow": "stage3", "prompt_id": "stage3.review"})
    saved = action_store.answers(action_store.person_id(SENDER))["stage3.review"]
    assert saved.text == "by March next year" and saved.value.endswith("-03-31")


async def test_the_last_answer_of_a_flow_completes_the_form(action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    for prompt in ["stage1.motivation", "stage1.experience", "stage1.behaviours"]:
        action_store.save_answer(person, "stage1", prompt, "an answer")
    result, _ = await validate("I'd rather keep that private", slots={"flow": "stage1",
                                                                      "prompt_id": "stage1.fairness"})
    assert result == {"answer": "done"}


async def test_where_was_i_finds_the_next_unanswered_prompt(action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    dispatcher = CollectingDispatcher()
    events = await ActionResume().run(dispatcher, tracker(slots={"flow": None}), {})
    assert {"event": "slot", "name": "flow", "value": "journal", "timestamp": None} in events
    assert "Personal reflection journal" in dispatcher.messages[0]["text"]  # the next question says how far


async def test_starting_again_welcomes_back_with_how_far_they_got(action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    dispatcher = CollectingDispatcher()
    await ActionStartJourney().run(dispatcher, tracker(slots={"flow": None}), {})
    assert "Welcome back" in dispatcher.messages[0]["text"] and "1 of 11" in dispatcher.messages[0]["text"]


def faq_message(text: str) -> Dict[str, Any]:
    # The shape Rasa sends: a ResponseSelector serving every retrieval intent files under "default".
    return {"response_selector": {"all_retrieval_intents": ["faq"],
                                  "default": {"response": {"intent_response_key": "faq/what_is_breadth"}}}}


async def test_a_question_about_scope_for_growth_outside_a_form_gets_the_answer_the_nlu_chose(
        action_store: CoachStore) -> None:
    tracker_state = tracker("what does breadth mean?", intent="faq")
    tracker_state.latest_message.update(faq_message("what does breadth mean?"))
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker_state, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq/what_is_breadth"]


async def test_whats_my_progress_outside_a_form_says_how_far_not_the_faq_about_not_progressing(
        action_store: CoachStore) -> None:
    # The NLU reads "what's my progress" as the FAQ "what if I don't want to progress".
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    tracker_state = tracker("what's my progress", intent="faq")
    tracker_state.latest_message.update(faq_message("what's my progress"))
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(dispatcher, tracker_state, {})
    assert "1 of 11 answered" in dispatcher.messages[0]["text"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/where_was_i", "/review_journal"]
    assert not [e for e in events if e.get("name") == "flow"]  # nothing started: the person chooses


async def test_whats_my_progress_before_starting_offers_the_journal(action_store: CoachStore) -> None:
    tracker_state = tracker("whats my progress so far", intent="faq")
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker_state, {})
    assert dispatcher.messages[0]["text"] == "You haven't started your journal yet."
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/start_journey"


async def test_a_question_mid_form_is_answered_and_asked_again_not_stored(action_store: CoachStore) -> None:
    tracker_state = tracker("what does breadth mean?", intent="faq", slots={"prompt_id": "journal.details.role"})
    tracker_state.latest_message.update(faq_message("what does breadth mean?"))
    dispatcher = CollectingDispatcher()
    result = await ValidateCoachForm().validate_answer("what does breadth mean?", dispatcher, tracker_state, {})
    assert result == {"answer": None}
    assert dispatcher.messages[0]["response"] == "utter_faq/what_is_breadth"
    assert action_store.answers(action_store.person_id(SENDER)) == {}


async def test_a_long_answer_misread_as_a_question_is_kept_as_the_answer(action_store: CoachStore) -> None:
    text = ("ok so I have been a staff nurse for six years and what I really enjoy is teaching the students "
            "who come onto the ward")
    tracker_state = tracker(text, intent="faq", slots={"prompt_id": "journal.details.role"})
    tracker_state.latest_message.update(faq_message(text))
    await ValidateCoachForm().validate_answer(text, CollectingDispatcher(), tracker_state, {})
    assert action_store.answers(action_store.person_id(SENDER))["journal.details.role"].text == text


async def test_where_was_i_resumes_a_paused_manager_preparation_first(action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "manager_prep", "manager_prep.bias_check", "I'm tired today")
    dispatcher = CollectingDispatcher()
    events = await ActionResume().run(dispatcher, tracker(slots={"flow": "manager_prep"}), {})
    assert {"event": "slot", "name": "flow", "value": "manager_prep", "timestamp": None} in events
    assert "Preparing as a line manager" in dispatcher.messages[0]["text"]


async def test_the_gate_verdict_in_the_parse_data_is_reused_not_computed_again(
        action_store: CoachStore, monkeypatch: Any) -> None:
    from bot import safety

    def must_not_run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the action server assessed the message again")

    monkeypatch.setattr(safety, "assess", must_not_run)
    state = tracker("an ordinary looking answer", slots={"prompt_id": "journal.details.role"})
    state.latest_message["safety"] = {"level": "crisis", "category": "suicide", "reasons": ["gate"]}
    result = await ValidateCoachForm().validate_answer("an ordinary looking answer", CollectingDispatcher(), state, {})
    assert result == {"answer": None}  # the gate said crisis: never stored
    assert action_store.answers(action_store.person_id(SENDER)) == {}
    button = tracker('/choose{"choice": "depth"}', intent="choose", entities=[{"entity": "choice", "value": "depth"}],
                     slots={"flow": "stage2", "prompt_id": "stage2.growth"})
    await ValidateCoachForm().validate_answer('/choose{"choice": "depth"}', CollectingDispatcher(), button, {})
    assert action_store.answers(action_store.person_id(SENDER))["stage2.growth"].value == "depth"


def after_check_in(words: str, reply: str = "/where_was_i", loop: str = "coach_form",
                   between: tuple[str, ...] = ("utter_safety_check_in",)) -> Tracker:
    """The tracker as the Rasa server sends it when ``reply`` answers the check-in that met ``words``, typed at the
    journal's second question while ``loop`` was active; the gate's verdict is in the parse data."""
    parsed = {"text": words, "intent": {"name": "risk_unclear", "confidence": 1.0},
              "safety": assess(words).as_dict()}
    events: List[Dict[str, Any]] = [{"event": "active_loop", "name": loop},
                                    {"event": "action", "name": "action_listen"},
                                    {"event": "user", "text": words, "parse_data": parsed}]
    for name in between:
        events += [{"event": "action", "name": name}, {"event": "bot", "text": "…"}]
    events += [{"event": "action", "name": "action_deactivate_loop"}, {"event": "active_loop", "name": None},
               {"event": "action", "name": "action_listen"},
               {"event": "user", "text": reply, "parse_data": {"intent": {"name": "where_was_i"}}}]
    state = tracker_dict(SENDER, slots={"flow": "journal", "prompt_id": "journal.wellbeing.now", "editing": None},
                         text=reply, intent="where_was_i")
    return Tracker.from_dict({**state, "events": events})


async def test_im_safe_after_a_check_in_from_the_classifier_alone_does_the_skip_it_met(
        action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    dispatcher = CollectingDispatcher()
    await ActionResume().run(dispatcher, after_check_in("cant think of anything, skip it"), {})
    assert dispatcher.messages[0]["text"].startswith("No problem, we'll leave that one.")
    assert action_store.answers(person)["journal.wellbeing.now"].skipped


async def test_im_safe_after_a_check_in_that_met_a_stop_pauses_and_waits_instead_of_asking_again(
        action_store: CoachStore) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    dispatcher = CollectingDispatcher()
    events = await ActionResume().run(dispatcher, after_check_in("i'm done, i can't face this, stop please"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_paused"]
    # It waits for the person: the form, which the rules run next, would ask the question again.
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_listen"]
    assert sorted(action_store.answers(person)) == ["journal.details.role"]


async def test_im_safe_after_a_check_in_that_met_no_stop_lets_the_form_ask_again(action_store: CoachStore) -> None:
    action_store.save_answer(action_store.person_id(SENDER), "journal", "journal.details.role", "nurse")
    events = await ActionResume().run(CollectingDispatcher(), after_check_in("delegating. i try to do everything"),
                                      {})
    assert all(event.get("event") != "followup" for event in events)


@pytest.mark.parametrize("kwargs", [
    {"words": "skip it, id rather be six feet under than do another nights rota"},  # the lexicon found risk
    {"words": "cant think of anything, skip it", "loop": "rehearsal_form"},  # said in a rehearsal
    {"words": "cant think of anything, skip it",  # the check-in was not the coach's last word
     "between": ("utter_safety_check_in", "utter_urgent_signpost")},
    {"words": "/skip"},  # a button, not the person's words
])
async def test_a_skip_is_done_only_after_a_check_in_that_met_it_without_words_of_risk(
        action_store: CoachStore, kwargs: Dict[str, Any]) -> None:
    person = action_store.person_id(SENDER)
    action_store.save_answer(person, "journal", "journal.details.role", "nurse")
    await ActionResume().run(CollectingDispatcher(), after_check_in(**kwargs), {})
    assert sorted(action_store.answers(person)) == ["journal.details.role"]
