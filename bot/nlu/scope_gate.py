"""The scope gate: whether a message is about what the coach does, where the NLU's intent alone would mislead.

* A message that would start a flow but is about something else gets ``out_of_scope``. "Where was I up to in
  the last of us" reads to DIET like "where was I?", and would resume the journal. ``bot.scope`` decides from
  the message's nouns; this component learns the coach's words from its training examples (when the model is
  trained) and its content (when it loads, so edited content counts at once).
* A message the NLU reads as a question about the coach (an FAQ, what it keeps, its help) that names things the
  coach never speaks of and nothing of its subject ("how do bees make honey") gets ``out_of_scope``: the answer
  would be meant for something else. When it also names something of the coach's, it is turned away only from
  cold: at a question the intake reads it by the NLU's intent (``scope.at_a_question``).
* A message that would start a flow from cold and names nothing of the coach's subject, that the NLU is unsure of
  or that names only other things ("continue the story", "let's go to the theatre"), gets the fallback with that
  start still in the ranking, so the coach asks "did you mean…?" with the flow as a button
  (``bot.scope.SureStart``). The start held back is kept in the parse (``scope.held_back``): at a question, the
  intake still reads the message by it.
* A message that names a resource of the coach's catalogue ("tell me about the Mary Seacole programme") is a
  request for it (``find_resources``, with the resource as its ``topic``) when the NLU would have turned it
  away (``out_of_scope``, or the fallback) or asked for resources without saying which
  (``bot.signposting.named_resource``). The coach suggests these programmes itself, so it must not then say
  they are outside what it does.
* A request for manager mode or to prepare that asks to prepare for a conversation of the person's team's ("I want
  to prepare for a conversation with one of my team", "help me get ready for my staff's appraisals") asks for a
  manager's preparation (``manager_prepare``): the menu would only offer it again, and "whose conversation?" is
  already said. At a question, the intake reads it by the NLU's intent, as before.
* A message the NLU turned away that holds an outcome's code ("my manager gave me a code RSP 898") asks to
  confirm that outcome (``confirm_outcome``).
* A message the NLU turned away, or took for an answer, that asks who sees what the person writes ("will anyone
  else see this", ``bot.intake.asks_who_sees``) and names nothing the coach never speaks of (not "who can see my
  instagram posts") asks who has seen it (``who_has_seen``), whose reply says so truly whether or not anything is
  shared. At a question, the intake reads it by the NLU's intent, as before.

It runs after the FallbackClassifier and before the language and safety gates, which keep the last word.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, Iterator, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import intake, language, signposting
from bot.content import content_path, read_yaml
from bot.nlu.safety_gate import own_parse
from bot.scope import ANSWERS_ABOUT_THE_COACH, Vocabulary, sure_start
from bot.store.repository import find_code

if TYPE_CHECKING:
    from spacy.tokens import Doc

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
FIND_RESOURCES = "find_resources"
CONFIRM_OUTCOME = "confirm_outcome"
MANAGER_MODE, MANAGER_PREPARE, START_JOURNEY = "manager_mode", "manager_prepare", "start_journey"
INFORM = "inform"
WHO_HAS_SEEN = "who_has_seen"
# What the NLU makes of "will my manager see this?" that its words do not ask for: turned away, or an answer outside
# a form. Not a request to share: "how can i let my clinical lead see a couple of my answers" is one.
WHO_SEES_INSTEAD_OF = frozenset({OUT_OF_SCOPE, FALLBACK, INFORM})
CALLED_A_CODE = re.compile(r"\bcode\b", re.IGNORECASE)
TOPIC = "topic"
SCOPE_KEY = "scope"
# The content whose words are the coach's own subject (the safety examples are not: they are what people say), and
# the intake's words for what people say to it at a question: the shorthand ("idk, being useful?", "tbh") and
# the reasons for stopping ("my bus is here") are never things the coach does not speak of.
CONTENT = ("journey.yml", "interventions.yml", "resources.yml", "personas.yml", "segments.yml",
           "manager_preparation.yml", "welcome_back.yml", "intake.yml")
WORDS_FILE = "words.json"


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _words(texts: Iterable[str]) -> FrozenSet[str]:
    return Vocabulary.learn(language.nlp().pipe(texts, disable=["parser", "ner"])).words


def content_words() -> FrozenSet[str]:
    return _words(text for name in CONTENT for text in _strings(read_yaml(content_path(name))))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ScopeGate(GraphComponent, IntentClassifier):
    """Replaces the NLU's intent where the words show it would mislead (the module's docstring says when)."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, trained: FrozenSet[str]) -> None:
        self._storage, self._resource = model_storage, resource
        self._vocabulary = Vocabulary(trained | content_words()) if trained else None

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ScopeGate:
        return cls(model_storage, resource, frozenset())

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ScopeGate:
        with model_storage.read_from(resource) as directory:
            trained = frozenset(json.loads((directory / WORDS_FILE).read_text()))
        return cls(model_storage, resource, trained)

    def train(self, training_data: TrainingData) -> Resource:
        examples = (m.get(TEXT) for m in training_data.intent_examples
                    if m.get(INTENT) != OUT_OF_SCOPE and not (m.get(TEXT) or "").startswith("/"))
        with self._storage.write_to(self._resource) as directory:
            (directory / WORDS_FILE).write_text(json.dumps(sorted(_words(examples))))
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload
            doc = own_parse(message) or language.nlp()(text)
            if self._vocabulary is not None:
                _turn_away_elsewhere(self._vocabulary, message, doc)
            _hold_back_an_unsure_start(message, doc)
            _find_named_resource(message, doc)
            _find_outcome_code(message, text)
            _prepare_for_the_team(message, text)
            if self._vocabulary is not None:
                _ask_who_sees(self._vocabulary, message, doc)
                _note_elsewhere(self._vocabulary, message, doc)
        return messages


def _turn_away_elsewhere(vocabulary: Vocabulary, message: Message, doc: Doc) -> None:
    intent = _intent_of(message)
    about = vocabulary.elsewhere(intent, doc)
    if not about:
        return
    _impose(message, OUT_OF_SCOPE, intent)
    scope = {"instead_of": intent, "about": about}
    if intent in ANSWERS_ABOUT_THE_COACH and not Vocabulary.every_thing(doc, about):
        # Said at a question, words that also name something of the coach's may be the answer, or ask about it
        # ("known for my spreadsheets lol"): the intake reads them by the NLU's intent, as before the gate.
        scope = {"instead_of": intent, "at_a_question": intent}
    message.set(SCOPE_KEY, scope, add_to_output=True)


def _note_elsewhere(vocabulary: Vocabulary, message: Message, doc: Doc) -> None:
    """An off-topic message whose every thing the coach never speaks of is noted with them, so that said at a
    question it is not kept as the answer ("convert 20 yen to dollars"). The intent stays as it is."""
    if _intent_of(message) != OUT_OF_SCOPE or message.get(SCOPE_KEY):
        return
    about = vocabulary.only_strangers(doc)
    if about:
        message.set(SCOPE_KEY, {"about": about}, add_to_output=True)


def _hold_back_an_unsure_start(message: Message, doc: Doc) -> None:
    intent = _intent_of(message)
    if not sure_start().held_back(intent, float((message.get(INTENT) or {}).get("confidence") or 0.0), doc):
        return
    _impose(message, FALLBACK)  # the start stays in the ranking, for "did you mean…?" to offer
    message.set(SCOPE_KEY, {"held_back": intent}, add_to_output=True)


def _find_named_resource(message: Message, doc: Doc) -> None:
    intent = _intent_of(message)
    entities = message.get(ENTITIES) or []
    if intent not in (OUT_OF_SCOPE, FALLBACK, FIND_RESOURCES) or any(e.get("entity") == TOPIC for e in entities):
        return
    resource = signposting.named_resource(doc)
    if resource is None:
        return
    if intent != FIND_RESOURCES:
        _impose(message, FIND_RESOURCES, intent)
        message.set(SCOPE_KEY, {"instead_of": intent, "names": resource.id}, add_to_output=True)
    named = {"entity": TOPIC, "value": resource.id, "extractor": ScopeGate.__name__}
    message.set(ENTITIES, [*entities, named], add_to_output=True)


def _find_outcome_code(message: Message, text: str) -> None:
    """A message the NLU turned away that holds an outcome's code ("my manager gave me a code RSP 898") asks to
    confirm that outcome: codes are made so that nothing else reads like one (no I, O, 0 or 1: not "NHS 111"). So does
    one the NLU took for an answer that says it is a code: some codes' letters make the rest read as one."""
    intent = _intent_of(message)
    said_to_be_a_code = intent == INFORM and CALLED_A_CODE.search(text) is not None
    if (intent in (OUT_OF_SCOPE, FALLBACK) or said_to_be_a_code) and find_code(text):
        _impose(message, CONFIRM_OUTCOME, intent)
        message.set(SCOPE_KEY, {"instead_of": intent, "code": True}, add_to_output=True)


def _prepare_for_the_team(message: Message, text: str) -> None:
    intent = _intent_of(message)
    if intent in (MANAGER_MODE, START_JOURNEY) and intake.prepares_for_their_conversation(text):
        _impose(message, MANAGER_PREPARE, intent)
        # At a question, the intake reads the words as before, by the NLU's intent: whether the words are a manager
        # in the wrong place or an answer is the intake's to say.
        message.set(SCOPE_KEY, {"instead_of": intent, "at_a_question": intent}, add_to_output=True)


def _ask_who_sees(vocabulary: Vocabulary, message: Message, doc: Doc) -> None:
    intent = _intent_of(message)
    if intent not in WHO_SEES_INSTEAD_OF or message.get(SCOPE_KEY) or vocabulary.strangers(doc):
        return
    if intake.asks_who_sees(doc.text):
        _impose(message, WHO_HAS_SEEN, intent)
        message.set(SCOPE_KEY, {"instead_of": intent, "at_a_question": intent}, add_to_output=True)


def _intent_of(message: Message) -> str:
    return str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")


def _impose(message: Message, intent: str, instead_of: str = "") -> None:
    """The message's intent becomes ``intent``, first in the ranking, with the other guesses after it (all but
    ``instead_of``, the intent it replaces, when that one is not to be offered)."""
    others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in (intent, instead_of)]
    ranking = [{INTENT_NAME_KEY: intent, "confidence": 1.0}, *others]
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
