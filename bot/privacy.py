"""Plain-language answers about what the coach keeps."""

from __future__ import annotations

from typing import Mapping

from bot.store.repository import KeptData


def describe_kept(kept: KeptData, flow_titles: Mapping[str, str]) -> str:
    """A truthful summary of what is stored about one person. Answers are counted under their flow's title from
    the journey content (``flow_titles``: flow id -> title), never an internal id."""
    parts = []
    for flow, count in sorted(kept.answers_by_flow.items()):
        title = flow_titles.get(flow)
        parts.append(f"{count} answer{'s' if count != 1 else ''} " + (f"for “{title}”" if title else "in other notes"))
    if kept.plan_status:
        parts.append(f"your development plan ({kept.plan_status})")
    if kept.outcomes:
        parts.append(f"{kept.outcomes} recorded conversation outcome{'s' if kept.outcomes != 1 else ''}")
    if kept.rehearsals:
        parts.append(f"{kept.rehearsals} rehearsal summar{'ies' if kept.rehearsals != 1 else 'y'}")
    stored = "; ".join(parts) if parts else "no journal answers or plan yet"
    shared = (f"You've shared {kept.shared_answers} answer{'s' if kept.shared_answers != 1 else ''} with your manager."
              if kept.shared_answers else "Nothing is shared with your manager.")
    return (
        f"Here's what I keep about you: {stored}. I also keep our conversation history so you can pick up where "
        f"you left off. It's linked to a pseudonymous id, not your name. {shared} "
        "You can say \"review my journal\" to see it all, or \"delete my data\" to erase it."
    )
