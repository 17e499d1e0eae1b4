"""Whether a message that would start a flow is about the coach's own subject, or about something else.

The NLU learns a flow's request from its trigger words ("where was I", "carry on", "help me prepare", "let's
plan"), and everyday life uses the same words: "where was I up to in the last of us", "help me prepare for my
maths resit", "let's plan the meals for next week". What such a message is about is in its nouns. The
coach's vocabulary is every noun its own words use (its training examples and its content): a message that
would start a flow but names a thing the coach never speaks of is not a request to start it.

A word the coach uses in any role counts as known ("please" is sometimes tagged a noun), and so does a
misspelling close to one ("jornal", "anwsers"). Days, times and numbers ("on Thursday") are never strangers.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import FrozenSet, Iterable, List

from spacy.tokens import Doc, Token

from bot.content import content_path, read_yaml
from bot.intake import MISSPELT_FROM, one_word_filler

# The intents whose rules start a flow or a mode (data/rules; tests/unit/test_scope.py checks every rule that
# starts a form from cold is here): an off-topic message must never reach them.
FLOW_STARTERS = frozenset({"start_journey", "where_was_i", "restart", "manager_mode", "manager_prepare",
                           "rehearse", "record_outcome", "edit_answer", "choose"})
# The intents whose reply answers about the coach itself (an FAQ, what it keeps, the plan, its help): asked about
# things the coach never speaks of ("how do bees make honey", "do you like pizza"), that answer would be meant for
# something else. Signposting (resources, a person, stress) is for anyone, whatever their words are about.
ANSWERS_ABOUT_THE_COACH = frozenset({"faq", "privacy_what_kept", "who_has_seen", "help", "ask_why", "bot_challenge",
                                     "show_checklist", "send_plan", "share_with_manager", "review_journal",
                                     "delete_data", "download_my_data", "stop_sharing", "share_answer",
                                     "delete_answer"})
THINGS = ("NOUN", "PROPN")
# A misspelling shares the first letter and is this close (difflib's ratio) to a known word: "carrer" is 0.83
# to "career". Shorter words than intake's are too near too many others ("meal" is 0.89 to "metal"), and
# a looser ratio lets a different word through ("basket" is 0.8 to "base").
NEAR_SPELLING = 0.83
WHEN = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT")
SHORTEST_WORD = 3  # "gp", "hr" and stray letters say too little either way


def _spelt_like(token: Token, words: FrozenSet[str]) -> bool:
    """Whether a word is one of ``words``, as its lemma or as typed, or a misspelling of one: a long word that
    shares the first letter and is this close ("jornal", "carrer")."""
    word = token.lemma_.lower()
    if word in words or token.lower_ in words:
        return True
    return len(word) >= MISSPELT_FROM and any(
        near[0] == word[0] for near in get_close_matches(word, words, n=3, cutoff=NEAR_SPELLING))


def _things(doc: Doc) -> List[Token]:
    """The nouns a message is about: not days, times or numbers, nor stray letters, nor the filler around a request
    that the tagger takes for a noun ("begin pls")."""
    return [token for token in doc if token.pos_ in THINGS and len(token.lemma_) >= SHORTEST_WORD
            and token.lemma_.lower().isalpha() and token.ent_type_ not in WHEN
            and token.lower_ not in one_word_filler()]


@dataclass(frozen=True)
class Vocabulary:
    """The lemmas (and forms) of the words the coach's own words use."""

    words: FrozenSet[str]

    @classmethod
    def learn(cls, docs: Iterable[Doc]) -> Vocabulary:
        return cls(frozenset(word for doc in docs for token in doc if token.is_alpha
                             for word in (token.lemma_.lower(), token.lower_)))

    def strangers(self, doc: Doc) -> List[str]:
        """The nouns of a message the coach never speaks of, not even misspelt."""
        return [token.lemma_.lower() for token in _things(doc) if not _spelt_like(token, self.words)]

    def only_strangers(self, doc: Doc) -> List[str]:
        """The nouns of a message when the coach speaks of none of them ("convert 20 yen to dollars"), else none."""
        found = self.strangers(doc)
        return found if self.every_thing(doc, found) else []

    @staticmethod
    def every_thing(doc: Doc, strangers: List[str]) -> bool:
        """Whether a message's strangers (from ``strangers``) are every thing it names."""
        return bool(strangers) and len(strangers) == len(_things(doc))

    def elsewhere(self, intent: str, doc: Doc) -> List[str]:
        """What a message is about that the coach does not do: its strangers, when its intent would start a flow,
        or would answer about the coach and the message names nothing of the coach's subject ("how many time zones
        does russia have") or no thing the coach speaks of ("help me plan my wedding"); none for other intents (the
        spelling check is not run for them)."""
        if intent in FLOW_STARTERS:
            return self.strangers(doc)
        if intent not in ANSWERS_ABOUT_THE_COACH:
            return []
        return self.strangers(doc) if not sure_start().names_the_subject(doc) else self.only_strangers(doc)


@dataclass(frozen=True)
class SureStart:
    """Whether a message is sure enough to start a flow from cold (``bot/content/scope.yml``)."""

    bar: float
    subject: FrozenSet[str]
    resumed: FrozenSet[str]

    def names_the_subject(self, doc: Doc) -> bool:
        return any(_spelt_like(token, self.subject) for token in doc)

    def names_something_else(self, doc: Doc) -> bool:
        """Whether a message names things, none of them the journey's own ("continue the story", "let's go to the
        theatre"); checked where it names nothing of the subject."""
        things = _things(doc)
        return bool(things) and not any(_spelt_like(t, self.resumed) for t in things)

    def held_back(self, intent: str, confidence: float, doc: Doc) -> bool:
        """A flow's start, in a message that names nothing of the coach's subject, that the NLU is unsure of or
        that asks to start or carry on with something else, however sure the NLU."""
        return intent in FLOW_STARTERS and not self.names_the_subject(doc) and (
            confidence < self.bar or self.names_something_else(doc))


@cache
def sure_start() -> SureStart:
    data = read_yaml(content_path("scope.yml"))
    return SureStart(float(data["sure_start"]), frozenset(str(w).lower() for w in data["subject_words"]),
                     frozenset(str(w).lower() for w in data["resumed_things"]))
