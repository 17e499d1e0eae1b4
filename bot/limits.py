"""Limits that keep one person's messages from stopping the coach for everyone.

NLU time and memory grow steeply with message length (about 24 s and 6 GB for 60,000 characters), so every
channel checks the length before a message reaches Rasa and answers an over-long one kindly, without parsing it.
A burst of messages from one sender (200 at once made another person wait 39 s) is paced the same way: each
sender may have a few messages being handled at once and a steady rate beyond a burst; the rest are answered
kindly and not taken in.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Tuple

DEFAULT_MAX_MESSAGE_CHARS = 5_000  # the web widget's own limit: it never sends more
DEFAULT_MAX_REQUEST_BYTES = 256 * 1024  # comfortably above a longest message in JSON, far below 1 MB
# A person types and clicks far slower than this; a script sending hundreds at once is refused early.
DEFAULT_MESSAGES_IN_FLIGHT = 3
DEFAULT_MESSAGES_PER_MINUTE = 60
DEFAULT_MESSAGE_BURST = 10  # a person never sends more than a few at once
# Senders remembered at most; an idle sender's full bucket is forgotten first (it would be full again anyway).
MAX_SENDERS_REMEMBERED = 10_000


def is_too_long(text: object, limit: int) -> bool:
    """True when ``text`` is a string of more than ``limit`` characters (code points)."""
    return isinstance(text, str) and len(text) > limit


def too_long_reply(text: str, limit: int) -> str:
    """What the coach says instead of taking an over-long message in.

    The safety detector still reads all of it (it copes with any length the request limit lets in), so a
    disclosure inside gets the urgent numbers, with the crisis or check-in opening, before the request for
    a shorter message.
    """
    note = (f"That message is longer than I can take in one go ({limit:,} characters at most), so I haven't "
            "used or kept it. Could you send a shorter version, or split it into parts?")
    return _unread_reply(text, note, f"Thank you for writing so much. {note} If you need help urgently, tell me "
                                     "in a few words.")


def too_fast_reply(text: str) -> str:
    """What the coach says to a message it is not taking in because its sender sent too many too quickly.

    As with an over-long message, the safety detector still reads it, so a disclosure gets the urgent numbers.
    """
    note = ("You've sent several messages very quickly, so I haven't taken that one in yet. Please wait for my "
            "reply, then send it again.")
    return _unread_reply(text, note, note)


def flood_reply() -> str:
    """What the coach says, without reading it, to a message sent while several of the same sender's messages
    are already waiting for their reply (a script or a paste loop, not a person typing).

    Reading each one would keep the flood's last messages waiting for tens of seconds and take the server's
    time from everyone else, so none is read, and every such reply carries the urgent numbers instead: a
    disclosure among them still gets them, within a moment.
    """
    from bot import signposting  # imported here, as in _unread_reply

    return ("You've sent a lot of messages at once, so I haven't read this one. Please wait for my reply, then "
            f"send one message at a time. {signposting.urgent_reminder()}")


def unavailable_reply(text: str) -> str:
    """What the coach says when a server it needs failed (the turn lock shared by its replicas, or the action
    server part-way through a turn). Nothing of that message was stored; the safety detector still reads it."""
    note = ("Sorry, something went wrong on my side and I couldn't deal with that message. What you've told me "
            "before is safe. Please send it again in a minute.")
    return _unread_reply(text, note, note)


def _unread_reply(text: str, note: str, calm: str) -> str:
    """``calm``, or the urgent numbers then ``note`` when the unread message shows risk of harm."""
    # Imported here: the detector loads spaCy and its classifier, which importing this module must not do.
    from bot import safety, signposting

    verdict = safety.assess(text)
    if verdict.needs_urgent_help:
        return f"{signposting.unread_message_reply(verdict.level == safety.CRISIS)}\n\n{note}"
    return calm


@dataclass
class Pace:
    """Which messages a sender may have handled now: at most ``in_flight`` at once, and ``per_minute`` on
    average beyond a first ``burst`` (a token bucket per sender). Per process; with Redis, the replicas share
    the buckets (``bot.channels.limits.SharedPace``)."""

    in_flight: int = DEFAULT_MESSAGES_IN_FLIGHT
    per_minute: int = DEFAULT_MESSAGES_PER_MINUTE
    burst: int = DEFAULT_MESSAGE_BURST
    clock: Callable[[], float] = time.monotonic
    _buckets: Dict[str, Tuple[float, float]] = field(default_factory=dict)  # sender -> (tokens, when)
    _busy: Counter[str] = field(default_factory=Counter)

    def admit(self, sender: str) -> bool:
        """True, and the message counts as in flight until :meth:`done`, if the sender is within the pace."""
        if not self.has_room(sender) or not self.take_token(sender):
            return False
        self.hold(sender)
        return True

    def has_room(self, sender: str) -> bool:
        """Whether the sender has fewer than ``in_flight`` messages being handled."""
        return self._busy[sender] < self.in_flight

    def take_token(self, sender: str) -> bool:
        """Take one message's token from the sender's bucket, if there is one."""
        now = self.clock()
        tokens = self._tokens(sender, now)
        if tokens < 1:
            return False
        self._forget_idle_senders(now)
        self._buckets[sender] = (tokens - 1, now)
        return True

    def hold(self, sender: str) -> None:
        """Count a message as in flight until :meth:`done`."""
        self._busy[sender] += 1

    def done(self, sender: str) -> None:
        self._busy[sender] -= 1
        if self._busy[sender] <= 0:
            del self._busy[sender]

    def _tokens(self, sender: str, now: float) -> float:
        tokens, then = self._buckets.get(sender, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - then) * self.per_minute / 60)

    def _forget_idle_senders(self, now: float) -> None:
        if len(self._buckets) < MAX_SENDERS_REMEMBERED:
            return
        idle = [s for s in self._buckets if self._tokens(s, now) >= self.burst]
        # Many senders all mid-burst: forget the ones heard from longest ago (at worst they get a fresh burst).
        stale = sorted(self._buckets, key=lambda s: self._buckets[s][1])[:len(self._buckets) // 10]
        for sender in {*idle, *stale}:
            del self._buckets[sender]
