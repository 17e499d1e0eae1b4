"""Plain-language answers about what the coach keeps."""

from __future__ import annotations

from bot.store.repository import KeptData

_FLOW_NAMES = {"journal": "your reflection journal", "stage1": "stage 1 notes", "stage2": "stage 2 notes",
               "stage3": "stage 3 plan notes"}


def describe_kept(kept: KeptData) -> str:
    """A truthful summary of what is stored about one person."""
    parts = []
    for flow, count in sorted(kept.answers_by_flow.items()):
        parts.append(f"{count} answer{'s' if count != 1 else ''} in {_FLOW_NAMES.get(flow, flow)}")
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
