"""Limits that keep one person's message from stopping the coach for everyone.

NLU time and memory grow steeply with message length (about 24 s and 6 GB for 60,000 characters), so every
channel checks the length before a message reaches Rasa and answers an over-long one kindly, without parsing it.
"""

from __future__ import annotations

DEFAULT_MAX_MESSAGE_CHARS = 5_000  # the web widget's own limit: it never sends more
DEFAULT_MAX_REQUEST_BYTES = 256 * 1024  # comfortably above a longest message in JSON, far below 1 MB


def is_too_long(text: object, limit: int) -> bool:
    """True when ``text`` is a string of more than ``limit`` characters (code points)."""
    return isinstance(text, str) and len(text) > limit


def too_long_reply(text: str, limit: int) -> str:
    """What the coach says instead of taking an over-long message in.

    The safety detector still reads all of it (it copes with any length the request limit lets in), so a
    disclosure inside gets the urgent numbers, with the crisis or check-in opening, before the request for
    a shorter message.
    """
    # Imported here: the detector loads spaCy and its classifier, which importing this module must not do.
    from bot import safety, signposting

    note = (f"That message is longer than I can take in one go ({limit:,} characters at most), so I haven't "
            "used or kept it. Could you send a shorter version, or split it into parts?")
    verdict = safety.assess(text)
    if verdict.needs_urgent_help:
        return f"{signposting.unread_message_reply(verdict.level == safety.CRISIS)}\n\n{note}"
    return f"Thank you for writing so much. {note} If you need help urgently, tell me in a few words."
