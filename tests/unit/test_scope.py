"""A flow's trigger words said about something else: bot.scope and the NLU's scope gate."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import nlp
from bot.nlu.scope_gate import ScopeGate
from bot.scope import FLOW_STARTERS, Vocabulary, sure_start
from bot.turn import Message as CoachMessage

COACH_SAYS = ["where was I", "carry on with my reflection journal", "help me prepare for my career conversation",
              "I'm a nurse and I want to plan my next step before my review", "rehearse a career conversation",
              "show me my answers please"]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.learn(nlp().pipe(COACH_SAYS))


@pytest.mark.parametrize("text, intent", [
    ("where was I up to in the last of us", "where_was_i"),
    ("help me prepare for my maths resit", "start_journey"),
    ("let's plan the meals for next week", "start_journey"),
    ("rehearse my lines for the panto", "rehearse"),
])
def test_a_flow_request_about_something_else_is_elsewhere(vocabulary: Vocabulary, text: str, intent: str) -> None:
    assert vocabulary.elsewhere(intent, nlp()(text))


@pytest.mark.parametrize("text", [
    "where was I?", "carry on with my journal", "help me prepare for my career conversation on Thursday",
    "I'm a nurse and want to plan my next step", "begin the jornal please",  # a misspelling of a known word
])
def test_the_coach_s_own_subject_is_never_elsewhere(vocabulary: Vocabulary, text: str) -> None:
    assert not any(vocabulary.elsewhere(intent, nlp()(text)) for intent in FLOW_STARTERS), vocabulary.strangers(
        nlp()(text))


def test_signposting_about_another_subject_is_never_replaced(vocabulary: Vocabulary) -> None:
    """A request for resources is for anyone, whatever it is about: its own rules answer it."""
    doc = nlp()("where can I get help with my allotment")
    assert vocabulary.strangers(doc) == ["allotment"]
    assert not vocabulary.elsewhere("find_resources", doc) and vocabulary.elsewhere("where_was_i", doc)


@pytest.mark.parametrize("text, intent", [
    ("how do bees make honey", "faq"), ("do you like pizza", "privacy_what_kept"),
    ("what wine goes with roast lamb", "help"),
])
def test_a_question_about_the_coach_that_names_only_other_things_is_elsewhere(vocabulary: Vocabulary, text: str,
                                                                              intent: str) -> None:
    """The answer the NLU chose would be about the coach, and meant for something else."""
    assert vocabulary.elsewhere(intent, nlp()(text))


@pytest.mark.parametrize("text", [
    "how long does the conversation take", "is my journal kept private",
    "can my union rep come to the conversation",  # one thing of the coach's is enough
    "how long does it take",  # names nothing at all
])
def test_a_question_that_names_something_of_the_coach_s_or_nothing_is_answered(vocabulary: Vocabulary,
                                                                               text: str) -> None:
    assert not vocabulary.elsewhere("faq", nlp()(text))


def gate(tmp_path: Path) -> ScopeGate:
    """Trained on a few examples and loaded again from Rasa's own model storage, as the server does."""
    storage, resource = LocalModelStorage(tmp_path), Resource("scope_gate")
    context = ExecutionContext(GraphSchema({}), "test")
    training = TrainingData([Message(data={"text": text, "intent": "start_journey"}) for text in COACH_SAYS]
                            + [Message(data={"text": "where was I up to in my audiobook", "intent": "out_of_scope"})])
    ScopeGate.create({}, storage, resource, context).train(training)
    return ScopeGate.load({}, storage, resource, context)


def parsed(text: str, intent: str) -> Message:
    ranking: List[dict] = [{"name": intent, "confidence": 0.9}, {"name": "out_of_scope", "confidence": 0.05}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def test_the_gate_turns_a_flow_request_about_something_else_into_out_of_scope(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("where was I up to in my audiobook", "where_was_i")])
    assert out.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
    assert [r["name"] for r in out.get("intent_ranking")] == ["out_of_scope"]
    assert out.get("scope") == {"instead_of": "where_was_i", "about": ["audiobook"]}  # not learnt from out_of_scope


def test_the_gate_leaves_the_coach_s_own_requests_and_buttons_alone(tmp_path: Path) -> None:
    loaded = gate(tmp_path)
    for message in (parsed("where was I?", "where_was_i"), parsed("/where_was_i", "where_was_i")):
        [out] = loaded.process([message])
        assert out.get("intent")["name"] == "where_was_i" and out.get("scope") is None


def test_a_message_naming_a_resource_the_nlu_turned_away_asks_for_that_resource(tmp_path: Path) -> None:
    loaded = gate(tmp_path)
    for intent in ("out_of_scope", "nlu_fallback"):
        [out] = loaded.process([parsed("tell me about the mary seacole programme", intent)])
        assert out.get("intent") == {"name": "find_resources", "confidence": 1.0}
        assert intent not in [r["name"] for r in out.get("intent_ranking")]
        assert [(e["entity"], e["value"]) for e in out.get("entities")] == [("topic", "mary_seacole")]


def test_a_request_for_resources_that_names_one_gets_it_as_its_topic(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("how do I apply for the nye bevan one", "find_resources")])
    assert out.get("intent")["name"] == "find_resources" and out.get("scope") is None
    assert [e["value"] for e in out.get("entities")] == ["nye_bevan"]


def test_a_topic_the_nlu_found_and_any_other_intent_are_left_alone(tmp_path: Path) -> None:
    """An answer that names a programme ("I'd like to do Mary Seacole") is the person's answer, not a request."""
    loaded = gate(tmp_path)
    [answer] = loaded.process([parsed("I'd like to do the Mary Seacole programme", "inform")])
    assert answer.get("intent")["name"] == "inform" and not answer.get("entities")
    found = parsed("pensions info please, the NHS pension", "find_resources")
    found.set("entities", [{"entity": "topic", "value": "pensions"}])
    [out] = loaded.process([found])
    assert [e["value"] for e in out.get("entities")] == ["pensions"]


def test_a_question_about_other_things_only_is_out_of_scope_even_at_a_question(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("how do bees make honey", "faq")])
    assert out.get("intent")["name"] == "out_of_scope"
    assert out.get("scope") == {"instead_of": "faq", "about": ["bee", "honey"]}
    said = CoachMessage.parsed(out.get("text"), out.as_dict(only_output_properties=False))
    assert said.intent == "out_of_scope" and said.elsewhere == ("bee", "honey")


def test_a_question_that_also_names_a_thing_of_the_coach_s_is_turned_away_only_from_cold(tmp_path: Path) -> None:
    """"nurse" is a word the coach uses, though not its subject: said at a question, the words may be the answer."""
    [out] = gate(tmp_path).process([parsed("how does a nurse get a parking permit", "faq")])
    assert out.get("intent")["name"] == "out_of_scope"
    said = CoachMessage.parsed(out.get("text"), out.as_dict(only_output_properties=False))
    assert said.intent == "faq" and not said.elsewhere


def test_a_flow_request_about_something_else_that_names_nothing_stays_out_of_scope(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("help me prepare for my audiobook club", "start_journey")])
    assert out.get("intent")["name"] == "out_of_scope" and not out.get("entities")


# Rules whose first action reads the words before any form starts: "carry on", "next please" pick up where the person
# left off only when the whole message moves along and they have begun (JourneyService.go_on); anything else gets the
# menu and waits (tests/unit/test_journey_service.py).
GUARDED_BY_THE_WORDS = frozenset({"action_go_on"})


def test_every_rule_that_starts_a_form_from_cold_is_guarded_by_the_gate() -> None:
    """The gate guards FLOW_STARTERS; a new rule that starts a form from any other intent would be unguarded."""
    import yaml

    rules_dir = Path(__file__).resolve().parents[2] / "data" / "rules"
    starting = {step["intent"] for path in rules_dir.glob("*.yml")
                for rule in yaml.safe_load(path.read_text())["rules"] if not rule.get("condition")
                and any(step.get("active_loop") for step in rule["steps"])
                and next(step["action"] for step in rule["steps"] if "action" in step) not in GUARDED_BY_THE_WORDS
                for step in rule["steps"] if "intent" in step}
    assert starting and starting <= FLOW_STARTERS, starting - FLOW_STARTERS


@pytest.mark.parametrize("text, intent, confidence", [
    ("continue the story", "where_was_i", 0.8),
    ("let's go through my monthly budget", "start_journey", 0.88),
    ("can we play twenty questions", "rehearse", 0.37),
    # starting or carrying on with something else, however sure the NLU
    ("continue the story", "where_was_i", 0.96),
    ("carry on with the crossword", "where_was_i", 0.99),
    ("let's go to the theatre, what's on", "start_journey", 0.97),
    ("help me get ready for my driving test", "start_journey", 0.95),
    ("start a new knitting pattern", "restart", 0.93),
])
def test_a_start_that_names_nothing_of_the_coach_s_subject_is_held_back_when_unsure_or_about_something_else(
        text: str, intent: str, confidence: float) -> None:
    assert sure_start().held_back(intent, confidence, nlp()(text))


@pytest.mark.parametrize("text, intent, confidence", [
    ("what question was I on", "where_was_i", 0.99),  # the journey's own things
    ("can we continue from last time", "where_was_i", 0.99),
    ("carry on with my jornal", "where_was_i", 0.99),
    ("take me through the three stages", "start_journey", 0.64),  # names the subject
    ("help me prep as the manager, not the employee", "manager_prepare", 0.41),
    ("begin the jornal please", "start_journey", 0.6),  # a misspelling of a subject word
    ("where was I?", "where_was_i", 0.99),  # sure, and names no things
    ("ok im ready, lets start", "start_journey", 0.97),
    ("can we do the next bit", "start_journey", 0.95),  # the journey's own things
    ("restart", "restart", 0.99),  # the flows' own requests, taken for nouns
    ("start from scratch", "restart", 0.97),
    ("can i start again from the very beginning", "restart", 0.98),
    ("record", "record_outcome", 0.95),
    ("begin pls", "start_journey", 0.96),  # the filler around a request, taken for a noun
    ("is choosing 'not now' going to look bad", "faq", 0.62),  # starts no flow
])
def test_a_sure_start_or_one_about_the_coach_s_subject_goes_ahead(text: str, intent: str, confidence: float) -> None:
    assert not sure_start().held_back(intent, confidence, nlp()(text))


def test_the_gate_holds_back_an_unsure_start_and_keeps_it_to_offer(tmp_path: Path) -> None:
    message = Message(data={"text": "continue the story", "intent": {"name": "where_was_i", "confidence": 0.8},
                            "intent_ranking": [{"name": "where_was_i", "confidence": 0.8},
                                               {"name": "review_journal", "confidence": 0.1}]})
    [out] = gate(tmp_path).process([message])
    assert out.get("intent")["name"] == "nlu_fallback" and out.get("scope") == {"held_back": "where_was_i"}
    assert [r["name"] for r in out.get("intent_ranking")] == ["nlu_fallback", "where_was_i", "review_journal"]


def test_an_off_topic_message_about_things_the_coach_never_speaks_of_is_noted_with_them(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("convert 20 yen to dollars", "out_of_scope")])
    assert out.get("intent")["name"] == "out_of_scope"  # the intent stays: only what it is about is noted
    assert out.get("scope") == {"about": ["yen", "dollar"]}


@pytest.mark.parametrize("text", ["I want to start my journal about my career", "delegating, I do too much myself"])
def test_an_off_topic_guess_that_names_the_coach_s_own_things_or_none_is_not_noted(tmp_path: Path, text: str) -> None:
    [out] = gate(tmp_path).process([parsed(text, "out_of_scope")])
    assert out.get("scope") is None


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback", "inform"])
def test_a_message_that_gives_an_outcomes_code_asks_to_confirm_it_whatever_the_nlu_made_of_its_letters(
        tmp_path: Path, intent: str) -> None:
    [out] = gate(tmp_path).process([parsed("my manager gave me a code XTZ 482", intent)])
    assert out.get("intent") == {"name": "confirm_outcome", "confidence": 1.0}


def test_an_answer_with_something_shaped_like_a_code_in_it_stays_an_answer(tmp_path: Path) -> None:
    [out] = gate(tmp_path).process([parsed("I rang NHS 999 for a patient once", "inform")])
    assert out.get("intent")["name"] == "inform"


@pytest.mark.parametrize("text", ["I want to prepare for a conversation with one of my team",
                                  "help me get ready for my staff's appraisals"])
@pytest.mark.parametrize("intent", ["manager_mode", "start_journey"])
def test_a_manager_who_asks_to_prepare_for_their_teams_conversation_gets_the_preparation(tmp_path: Path, text: str,
                                                                                          intent: str) -> None:
    [out] = gate(tmp_path).process([parsed(text, intent)])
    assert out.get("intent") == {"name": "manager_prepare", "confidence": 1.0}
    assert intent not in [r["name"] for r in out.get("intent_ranking")]
    said = CoachMessage.parsed(out.get("text"), out.as_dict(only_output_properties=False))
    assert said.intent == intent  # at a question, read as before


@pytest.mark.parametrize("text, intent", [("I'm a line manager", "manager_mode"),
                                          ("is there a manager version of this", "manager_mode"),
                                          ("practise a chat with one of my staff", "manager_mode"),
                                          ("help me prepare for my career conversation", "start_journey")])
def test_a_request_for_the_manager_side_a_rehearsal_or_ones_own_preparation_is_left_alone(tmp_path: Path, text: str,
                                                                                          intent: str) -> None:
    [out] = gate(tmp_path).process([parsed(text, intent)])
    assert out.get("intent")["name"] == intent and out.get("scope") is None


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback", "inform"])
def test_a_question_about_who_sees_the_journal_the_nlu_turned_away_asks_who_has_seen_it(tmp_path: Path,
                                                                                          intent: str) -> None:
    [out] = gate(tmp_path).process([parsed("will anyone else see this", intent)])
    assert out.get("intent") == {"name": "who_has_seen", "confidence": 1.0}
    said = CoachMessage.parsed(out.get("text"), out.as_dict(only_output_properties=False))
    assert said.intent == intent  # at a question, read as before


@pytest.mark.parametrize("text, intent", [("who can see my instagram posts", "out_of_scope"),  # another thing
                                          ("will anyone else see this", "risk_unclear"),  # the safety gate's to say
                                          ("anyone fancy a coffee", "nlu_fallback")])  # asks nothing about seeing
def test_other_questions_about_seeing_are_left_alone(tmp_path: Path, text: str, intent: str) -> None:
    [out] = gate(tmp_path).process([parsed(text, intent)])
    assert out.get("intent")["name"] == intent
