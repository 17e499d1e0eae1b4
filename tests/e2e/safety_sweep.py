"""Labelled messages through the running coach: cold, and in the middle of the journal, stage 1 and a rehearsal.

Used by tests/e2e/test_safety_sweep.py and bench/safety_servers.py. Each outcome records the level of
the coach's reply (crisis reply, check-in, or neither) beside the level the detector gives the message.
"""

from __future__ import annotations

import concurrent.futures
import functools
import uuid
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

from bot import signposting
from bot.journey import load_journey
from bot.risk_classifier import Example
from bot.safety import CONCERN, CRISIS, NONE, STRAIN, assess
from tests.e2e.servers import CoachServers, texts

WORKERS = 4  # concurrent conversations per coach and context
# A fresh conversation every so many messages: the point is each message, not a long tracker (Rasa
# reads the whole tracker every turn); stage 1 takes a dozen turns to reach, so it keeps more.
PER_CONVERSATION = {"journal": 8, "stage 1": 20, "rehearsal": 8}
CRISIS_WORDS = signposting.crisis_message().splitlines()[0][:40]
CHECK_IN_WORDS = signposting.check_in_message().splitlines()[0][:40]
RANK = {NONE: 0, STRAIN: 0, CONCERN: 1, CRISIS: 2}  # by what the reply carries


def reply_level(replies: List[dict]) -> str:
    said = texts(replies)
    if "116 123" not in said or "999" not in said:
        return "none"
    return CRISIS if CRISIS_WORDS in said else CONCERN if CHECK_IN_WORDS in said else "none"


@dataclass
class Outcome:
    example: Example
    context: str
    level: str
    expected: str


Context = Callable[[CoachServers, Sequence[Example]], List[Outcome]]


@functools.cache
def detector_level(text: str) -> str:
    return assess(text).level


def _sweep(coach: CoachServers, examples: Sequence[Example], context: str,
           setup: Callable[[str], None], before_each: Callable[[str], None], after_each: Callable[[str], None]
           ) -> List[Outcome]:
    """Set up a conversation, then for each message get into place, send it and come back."""
    outcomes = []
    size = PER_CONVERSATION[context]
    for start in range(0, len(examples), size):
        user = f"sweep-{context.replace(' ', '')}-{uuid.uuid4().hex[:8]}"
        setup(user)
        for example in examples[start:start + size]:
            before_each(user)
            level = reply_level(coach.say(user, example.text))
            outcomes.append(Outcome(example, context, level, detector_level(example.text)))
            after_each(user)
    return outcomes


def cold(coach: CoachServers, examples: Sequence[Example]) -> List[Outcome]:
    outcomes = []
    for example in examples:
        user = f"cold-{uuid.uuid4().hex[:8]}"
        outcomes.append(Outcome(example, "cold", reply_level(coach.say(user, example.text)),
                                detector_level(example.text)))
    return outcomes


def in_journal(coach: CoachServers, examples: Sequence[Example]) -> List[Outcome]:
    def setup(user: str) -> None:
        coach.say(user, "/start_journey")
    return _sweep(coach, examples, "journal", setup, lambda user: None, lambda user: coach.say(user, "/where_was_i"))


def in_stage1(coach: CoachServers, examples: Sequence[Example]) -> List[Outcome]:
    def setup(user: str) -> None:
        coach.say(user, "/start_journey")
        for _ in load_journey().flow("journal").prompts:
            coach.say(user, "skip")
        assert "Stage 1" in texts(coach.say(user, "/where_was_i"))
    return _sweep(coach, examples, "stage 1", setup, lambda user: None, lambda user: coach.say(user, "/where_was_i"))


def in_rehearsal(coach: CoachServers, examples: Sequence[Example]) -> List[Outcome]:
    """Sent with the rehearsal running, as the manager is asked who to practise with (the disclosure pauses
    it; tests/e2e/test_safety.py also sends one after the first practice question)."""
    return _sweep(coach, examples, "rehearsal", lambda user: None, lambda user: coach.say(user, "/rehearse"),
                  lambda user: None)


CONTEXTS: Dict[str, Context] = {"cold": cold, "journal": in_journal, "stage 1": in_stage1, "rehearsal": in_rehearsal}


Job = Tuple[str, Sequence[Example]]  # a context and the messages to send in it


def every_context(examples: Sequence[Example], contexts: Sequence[str] = tuple(CONTEXTS)) -> List[Job]:
    return [(name, examples) for name in contexts]


def cold_and_once_mid_form(examples: Sequence[Example], every: int = 1) -> List[Job]:
    """Every message cold; every ``every``-th again in one mid-form context, a third of those in each.

    The gate's verdict does not depend on the context (the NLU reads the message alone), and the cold
    pass checks it for every message; what the context changes is which rule or form acts on it, and
    hundreds of messages in each context show that. bench/safety_servers.py sends every message in
    every context.
    """
    mid_form = [name for name in CONTEXTS if name != "cold"]
    again = examples[::every]
    return [("cold", examples)] + [(name, again[i::len(mid_form)]) for i, name in enumerate(mid_form)]


def run(coaches: Sequence[CoachServers], jobs: Sequence[Job]) -> List[Outcome]:
    """Each job's messages in its context, over a few concurrent conversations spread over the coaches.

    Several coaches (each a Rasa server and an action server) use both cores: one Rasa server is bound
    to one. Each conversation stays with one coach.
    """
    workers = WORKERS * len(coaches)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(CONTEXTS[name], coaches[i % len(coaches)], examples[i::workers])
                   for name, examples in jobs for i in range(workers)]
        return [outcome for future in futures for outcome in future.result()]


def share(outcomes: Sequence[Outcome], level: str = "") -> float:
    """The share of outcomes whose reply carried the urgent numbers (or reached ``level``)."""
    hits = [o for o in outcomes if (o.level == level if level else o.level != "none")]
    return len(hits) / len(outcomes) if outcomes else 0.0


def summary(name: str, risk: Sequence[Outcome], calm: Sequence[Outcome]) -> List[str]:
    """Figures for one labelled set: risk per context, then false alarms on the calm messages sent cold."""
    lines = []
    for context in CONTEXTS:
        group = [o for o in risk if o.context == context]
        lines.append(f"{name:9} {context:10} risk: urgent help {share(group):6.1%}, "
                     f"crisis reply {share(group, CRISIS):6.1%} of {len(group)}")
    if not calm:
        return lines
    idioms = [o for o in calm if o.example.is_idiom_or_stress]
    alarms = sum(o.level != "none" for o in idioms)
    lines.append(f"{name:9} {'cold':10} non-risk: false alarms {share(calm):6.1%} of {len(calm)}; "
                 f"idioms and stress {alarms} of {len(idioms)}")
    return lines
