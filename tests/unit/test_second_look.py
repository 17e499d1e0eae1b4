"""The trained second look at what a message said at a question is (bot/reading_model.py), and how intake weighs it
against the rules' reading: it keeps words and asks, or names which request, and never loses an answer."""

from __future__ import annotations

from typing import Callable, Optional

import pytest

from bot import intake, reading_model
from bot.intake import Reading
from bot.reading_model import Example, Guess
from bot.turn import Message

Guesser = Callable[..., None]
LONG = "could you point me towards some courses on leadership for someone at band 5"


class Guessing:
    """A model that always guesses the same, so that the policy is what is tested."""

    def __init__(self, kind: str, probability: float, intent: Optional[str] = None) -> None:
        self.guess_ = Guess(kind, intent, probability)

    def guess(self, text: str) -> Guess:
        return self.guess_


@pytest.fixture
def guessing(monkeypatch: pytest.MonkeyPatch) -> Guesser:
    def use(kind: str, probability: float, intent: Optional[str] = None) -> None:
        monkeypatch.setattr(reading_model, "default_model", lambda: Guessing(kind, probability, intent))
    return use


def test_each_request_is_a_class_of_its_own_and_every_other_kind_one_class() -> None:
    assert Example("email me my plan", "request", "send_plan").label == "request:send_plan"
    assert Example("skip", "skip").label == "skip"


def test_the_model_learnt_from_the_content_reads_plain_requests_and_answers() -> None:
    model = reading_model.default_model()
    assert model.guess("can we skip this one please").kind == "skip"
    assert model.guess("band 5 staff nurse on a surgical ward").kind == "answer"
    assert model.guess("email the plan to me when we're done").intent == "send_plan"


def test_words_the_rules_took_as_the_answer_are_kept_and_asked_about_when_the_model_is_all_but_sure(
        guessing: Guesser) -> None:
    guessing("request", 0.95, "find_resources")
    assert intake._second_look(Message(LONG, "inform"), Reading(intake.ANSWER)) == Reading(
        intake.UNCLEAR, offer="find_resources")
    guessing("change", 0.95)
    assert intake._second_look(Message(LONG, "inform"), Reading(intake.ANSWER)).offer == intake.REVIEW


@pytest.mark.parametrize("answer", ["pass rates", "I want to change my role.",
                                    "I don't want to skip this one at all, I want to say that I value my team"])
def test_a_short_answer_or_one_with_a_not_in_it_stays_the_answer(guessing: Guesser, answer: str) -> None:
    guessing("skip", 0.99)
    assert intake._second_look(Message(answer, "inform"), Reading(intake.ANSWER)) == Reading(intake.ANSWER)


def test_an_answer_stays_the_answer_when_the_model_is_only_fairly_sure(guessing: Guesser) -> None:
    guessing("skip", 0.85)
    assert intake._second_look(Message(LONG, "inform"), Reading(intake.ANSWER)) == Reading(intake.ANSWER)


def test_words_kept_and_asked_about_get_the_models_request_as_the_first_button(guessing: Guesser) -> None:
    guessing("request", 0.7, "send_plan")
    assert intake._second_look(Message(LONG, "inform"), Reading(intake.UNCLEAR)) == Reading(
        intake.UNCLEAR, offer="send_plan")
    assert intake._second_look(Message(LONG, "inform"), Reading(intake.UNCLEAR, offer="manager_mode")) == Reading(
        intake.UNCLEAR, offer="manager_mode")  # the rules' own offer comes first


def test_a_request_goes_to_the_rules_only_when_the_nlu_named_it_too(guessing: Guesser) -> None:
    guessing("request", 0.8, "manager_mode")
    said = "how do I get onto the manager version of this"
    assert intake._second_look(Message(said, "rehearse"), Reading(intake.QUESTION)) == Reading(
        intake.REQUEST, "rehearse")
    assert intake._second_look(Message(said, "faq"), Reading(intake.QUESTION)) == Reading(
        intake.UNCLEAR, offer="manager_mode")
    held_back = Message(said, "manager_mode", held_back=True)
    assert intake._second_look(held_back, Reading(intake.QUESTION)).kind == intake.UNCLEAR


def test_leaving_for_now_and_leaving_for_today_are_told_apart_by_the_model(guessing: Guesser) -> None:
    guessing("stop", 0.8)
    assert intake._second_look(Message("my bleep's gone, finish this another day", "inform"),
                               Reading(intake.LATER)) == Reading(intake.STOP)
    guessing("skip", 0.8)
    assert intake._second_look(Message("come back to it", "inform"), Reading(intake.LATER)) == Reading(intake.LATER)


def test_a_question_about_what_to_put_is_never_made_a_change(guessing: Guesser) -> None:
    guessing("change", 0.9)
    assert intake._second_look(Message("should i put my band or just the role", "inform"),
                               Reading(intake.QUESTION)) == Reading(intake.QUESTION)


def test_a_button_press_is_never_looked_at_again(guessing: Guesser) -> None:
    guessing("skip", 1.0)
    pressed = Message("Skip this question and more words than a brief answer has", "inform", choice="keep")
    assert intake._second_look(pressed, Reading(intake.ANSWER)) == Reading(intake.ANSWER)


def test_an_errand_the_coach_never_speaks_of_is_left_to_the_rules(guessing: Guesser) -> None:
    guessing("skip", 0.99)
    errand = Message("convert 20 yen to dollars", "out_of_scope", elsewhere=("currency",))
    assert intake._second_look(errand, Reading(intake.ELSEWHERE)) == Reading(intake.ELSEWHERE)
