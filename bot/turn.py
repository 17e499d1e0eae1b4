"""One turn as the core sees it: the message in, the replies and the new conversation state out.

The services in ``bot`` take a :class:`Message` and return a :class:`Turn`; the
Rasa actions only translate between these and the tracker, dispatcher and events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

if TYPE_CHECKING:  # bot.safety reads messages with bot.intake, which reads this module
    from bot.safety import SafetyAssessment

Button = Dict[str, str]
# About what a phone shows at once: a reply bubble keeps to it, with at most six buttons (the journey's and the
# lists' tests check them all).
BUBBLE_CHARS = 600
PAUSE = "pause"
HAND_OVER = "hand_over"
# What runs between a message and the reply to it without saying anything: listening, pausing the form, and
# Rasa's own slot filling. Reading "what did the person reply to?" from a tracker looks past them.
BOOKKEEPING_ACTIONS = frozenset({"action_listen", "action_deactivate_loop", "action_extract_slots"})



def spoken_list(words: Sequence[str], joined_by: str = "and") -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c" (or "a, b or c")."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {joined_by} " + words[-1]

@dataclass(frozen=True)
class Message:
    """What the person said, with what the NLU made of it (read once, by the gate and the NLU)."""

    text: str
    intent: Optional[str] = None
    choice: Optional[str] = None  # the option picked with a button, if it was a button press
    safety: Optional[SafetyAssessment] = None  # the gate's verdict, carried in the parse data
    faq: Optional[str] = None  # the FAQ answer's response key, e.g. "faq/what_is_breadth"
    # The NLU's intent was a flow's start the scope gate held back as unsure (bot/nlu/scope_gate.py): ``intent``
    # is that start, which the intake may read the words by, but never act on as a request.
    held_back: bool = False
    # The things an off-topic message is about, none of which the coach speaks of (the scope gate's "about").
    elsewhere: Tuple[str, ...] = ()
    # The NLU's ranking of intents, as (name, confidence): its guesses, offered when the words are kept and asked about.
    ranking: Tuple[Tuple[str, float], ...] = ()

    @classmethod
    def parsed(cls, text: str, parse: Dict[str, Any]) -> Message:
        """The message as the NLU's parse data gives it: the intent, or the start the scope gate held back, or the
        question it turned away only from cold, and the FAQ answer the ResponseSelector chose (filed under the
        retrieval intent, or "default")."""
        scope = parse.get("scope") or {}
        held_back = scope.get("held_back")
        at_a_question = scope.get("at_a_question")  # the intent the scope gate turned away only from cold
        selectors = parse.get("response_selector") or {}
        faq = (selectors.get("faq") or selectors.get("default") or {}).get("response", {}).get("intent_response_key")
        intent = held_back or at_a_question or (parse.get("intent") or {}).get("name")
        return cls(text, intent, None, None, faq, held_back=bool(held_back),
                   elsewhere=tuple(str(thing) for thing in scope.get("about") or ()),
                   ranking=ranked(parse.get("intent_ranking") or ()))


def ranked(ranking: Sequence[Mapping[str, Any]]) -> Tuple[Tuple[str, float], ...]:
    """The NLU's intent ranking as (name, confidence) pairs."""
    return tuple((str(guess.get("name")), float(guess.get("confidence") or 0.0)) for guess in ranking)


@dataclass(frozen=True)
class Reply:
    """One bot message: free text, or a named domain response, with optional buttons."""

    text: Optional[str] = None
    buttons: Tuple[Button, ...] = ()
    response: Optional[str] = None
    attachment: Optional[Dict[str, Any]] = None  # a file to download: {"type": "file", "payload": {src, title}}
    custom: Optional[Dict[str, Any]] = None  # an instruction to the channel's client, e.g. {"forget_device": True}


@dataclass
class Turn:
    """The replies to send and the conversation state (slot values) to set."""

    replies: List[Reply] = field(default_factory=list)
    state: Dict[str, Any] = field(default_factory=dict)
    # How a turn taken at a question leaves it: PAUSE stops the form (its place is kept), HAND_OVER
    # leaves the message to the rules for its intent (see bot.intake).
    leave: Optional[str] = None

    def say(self, text: Optional[str] = None, buttons: Sequence[Button] = (),
            response: Optional[str] = None, attachment: Optional[Dict[str, Any]] = None,
            custom: Optional[Dict[str, Any]] = None) -> Turn:
        self.replies.append(Reply(text, tuple(buttons), response, attachment, custom))
        return self

    def say_in_bubbles(self, text: str, buttons: Sequence[Button] = ()) -> Turn:
        """``text`` in as many bubbles as keep to the budget, split between lines, else between words; the buttons
        go with the last. For words that must be read in full (an outcome to confirm)."""
        bubbles: List[str] = []
        for line in text.split("\n"):
            while len(line) > BUBBLE_CHARS:
                cut = line.rfind(" ", 0, BUBBLE_CHARS)
                cut = cut if cut > 0 else BUBBLE_CHARS
                bubbles.append(line[:cut])
                line = line[cut:].lstrip()
            if bubbles and len(bubbles[-1]) + 1 + len(line) <= BUBBLE_CHARS:
                bubbles[-1] += "\n" + line
            else:
                bubbles.append(line)
        for bubble in bubbles[:-1]:
            self.say(bubble)
        return self.say(bubbles[-1] if bubbles else "", buttons)

    def say_blocks(self, blocks: Sequence[str], buttons: Sequence[Button] = ()) -> Turn:
        """``blocks`` (paragraphs that read best whole) in as few bubbles as keep to the budget, a line break
        between blocks (never a blank line: Rasa's channels send each paragraph as a bubble of its own); a block
        longer than a bubble is split as :meth:`say_in_bubbles` splits it."""
        bubbles: List[str] = []
        for block in blocks:
            if bubbles and len(bubbles[-1]) + 1 + len(block) <= BUBBLE_CHARS:
                bubbles[-1] += "\n" + block
            else:
                bubbles.append(block)
        for bubble in bubbles[:-1]:
            self.say_in_bubbles(bubble)
        return self.say_in_bubbles(bubbles[-1] if bubbles else "", buttons)

    def set(self, **state: Any) -> Turn:
        self.state.update(state)
        return self

    def then(self, other: Turn) -> Turn:
        """This turn followed by ``other``: both sets of replies, ``other``'s state on top."""
        self.replies.extend(other.replies)
        self.state.update(other.state)
        self.leave = other.leave or self.leave
        return self

    def pause(self) -> Turn:
        self.leave = PAUSE
        return self

    def hand_over(self) -> Turn:
        self.leave = HAND_OVER
        return self


def payload(intent: str, **entities: str) -> str:
    """A button payload that bypasses NLU: ``/intent{"entity": "value"}``."""
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def buttons(options: Sequence[Tuple[str, str]]) -> List[Button]:
    """Quick-reply buttons that send ``/choose{"choice": id}``."""
    return [{"title": title, "payload": payload("choose", choice=value)} for value, title in options]


def button(title: str, intent: str, **entities: str) -> Button:
    return {"title": title, "payload": payload(intent, **entities)}
