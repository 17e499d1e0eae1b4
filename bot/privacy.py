"""The individual owns their record: what the coach keeps, deleting all of it, and a copy to take away.

- :func:`describe_kept` answers "what do you keep about me?".
- :class:`ErasureService` owns "delete my data": it says first exactly what will go and what stays (a confirmed
  outcome, when the organisation's policy keeps it), then deletes the person's rows, the stored conversation
  of every chat of theirs (all their sender ids) with its turn fences, and their documents.
- :class:`SubjectAccess` builds "everything you hold about me" as JSON and a readable page, from the rows
  and from the conversations.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional

from bot import audit
from bot.documents import DOCUMENT_PATH, EXPORT, Published, _opening, publish_personal
from bot.journey import Journey
from bot.settings import load_settings
from bot.store import CoachStore, conversations
from bot.store.repository import HeldRecord, KeptData
from bot.turn import Turn, button, spoken_list

if TYPE_CHECKING:  # bot.retention deletes through ErasureService, below
    from bot.retention import RetentionPolicy

# The widget (bot/web/widget.js) clears its copy of the chat on this device when a reply carries this.
FORGET_DEVICE = {"forget_device": True}


def describe_kept(kept: KeptData, flow_titles: Mapping[str, str], policy: Optional[RetentionPolicy] = None) -> str:
    """A truthful summary of what is stored about one person, and for how long (``policy``, default: the one in
    force). Answers are counted under their flow's title from the journey content (``flow_titles``: flow id ->
    title), never an internal id."""
    if policy is None:
        from bot.retention import RetentionPolicy

        policy = RetentionPolicy.from_settings(load_settings())
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
        f"Here's what I keep about you: {stored}. {policy.told()} It's linked to a pseudonymous id, not your name. "
        f"{shared} "
        "You can say \"review my journal\" to see it all, \"download my data\" for a copy of everything, or "
        "\"delete my data\" to erase it."
    )


# -- deleting everything ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What "delete my data" deletes and keeps for one person: the question and the done message both say it."""

    conversations: int  # how many chats (sender ids) they have had with the coach
    kept_outcomes: int  # confirmed outcomes the organisation's policy keeps
    removes_documents: bool  # whether their plan and share pages go too

    def deleted(self) -> list[str]:
        history = "our conversation history" + (f" in all {self.conversations} of your chats with me"
                                                 if self.conversations > 1 else "")
        return (["your journal and stage notes", "your plan", "any rehearsal summaries"]
                + ([] if self.kept_outcomes else ["any outcomes recorded with you"])
                + (["the plan and share pages I made for you"] if self.removes_documents else [])
                + [history])

    def kept(self, done: bool) -> list[str]:
        said = []
        if self.kept_outcomes:
            which = "the outcome" if self.kept_outcomes == 1 else f"the {self.kept_outcomes} outcomes"
            said.append(f"{'I have kept' if done else 'I will keep'} {which} you confirmed with your manager "
                        "(where you sit, the development actions, next steps and review date), because your "
                        "organisation's policy keeps confirmed outcomes.")
        if not self.removes_documents:
            said.append("Plan, share or download links I've already sent you still open their pages.")
        return said

    def question(self) -> str:
        kept = self.kept(done=False)
        return (f"This will delete {spoken_list(self.deleted())}. It can't be undone. "
                + (" ".join(kept) if kept else "Nothing else is kept.") + " Are you sure?")

    def done(self) -> str:
        kept = self.kept(done=True)
        return (f"Done. I've deleted {spoken_list(self.deleted())}. " + (" ".join(kept) + " " if kept else "")
                + "If you come back, we'll start afresh.")


class ErasureService:
    """ "Delete my data": asked first, then everything the person's words are in goes in one transaction."""

    def __init__(self, store: CoachStore, *, keep_confirmed_outcomes: bool) -> None:
        self.store = store
        self.keep_confirmed_outcomes = keep_confirmed_outcomes

    def scope(self, person: str) -> Erasure:
        kept = self.store.confirmed_outcomes(person) if self.keep_confirmed_outcomes else 0
        # The person's documents go with their rows (CoachStore.erase_person), once the schema records them.
        return Erasure(len(self.store.sender_ids(person)), kept, self.store.records_documents())

    def ask(self, person: str) -> Turn:
        return Turn().say(self.scope(person).question(),
                          [button("Yes, delete everything", "affirm"), button("No, keep it", "deny")]
                          ).set(pending_confirmation="delete_data")

    def erase(self, person: str, *, on_device: bool = False) -> Turn:
        """Delete it all; ``on_device`` when the chat keeps a copy on the person's device (the web widget), which
        is then told to forget it."""
        erasure = self.scope(person)
        self.delete_all(person)
        self.store.scrub()
        return Turn().say(erasure.done(), custom=dict(FORGET_DEVICE) if on_device else None)

    def delete_all(self, person: str, actor: str = audit.PERSON) -> int:
        """The deletion itself, in one transaction (the caller's, if one is open), without the scrub that
        follows it: "delete my data" (``actor`` the person), and retention once a person has long been inactive
        (the system). Returns how many conversation events went."""
        senders = self.store.sender_ids(person)
        with self.store.session() as session:  # rows, events and fences together, or none of them
            self.store.erase_person(person, keep_confirmed_outcomes=self.keep_confirmed_outcomes)
            deleted = conversations.forget(session.connection(), senders)
            audit.record(self.store, audit.ERASED, actor, person)  # all that is left of the log about them
            return deleted


# -- a copy to take away ---------------------------------------------------------------------------------------


def _when(value: Optional[dt.datetime | dt.date]) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:  # stored in UTC without a zone
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat()


class SubjectAccess:
    """ "Download everything you hold about me": every row and every conversation turn, as JSON and a page."""

    def __init__(self, store: CoachStore, journey: Journey,
                 publisher: Callable[..., Published] = publish_personal) -> None:
        self.store = store
        self.journey = journey
        self.publish = publisher

    def _question(self, prompt_id: str) -> Optional[str]:
        try:
            return self.journey.find_prompt(prompt_id).text
        except KeyError:
            return None

    def export(self, person: str, now: Optional[dt.datetime] = None) -> dict[str, Any]:
        """Everything held about ``person``, as plain JSON-ready data."""
        held: HeldRecord = self.store.held_about(person)
        titles = {flow.id: flow.title for flow in self.journey.flows}
        senders = [sender for sender, _ in held.identities]
        with self.store.session() as session:
            said = conversations.turns(session.connection(), senders)
        plan = held.plan
        return {
            "about": "Everything the Scope for Growth coach holds about you, as of the time below.",
            "exported_at": _when(now or dt.datetime.now(dt.timezone.utc)),
            "person_id": held.person_id,
            "since": _when(held.created_at),
            "channel_identities": [{"conversation_id": sender, "since": _when(since)}
                                   for sender, since in held.identities],
            "answers": [{
                "part": titles.get(a.flow, a.flow), "flow": a.flow, "prompt_id": a.prompt_id,
                "question": self._question(a.prompt_id), "text": a.text, "status": a.status, "value": a.value,
                "shared_with_manager": a.shared, "updated_at": _when(a.updated_at),
                "earlier_versions": [{"text": r.text, "status": r.status, "replaced_at": _when(r.replaced_at)}
                                     for r in a.revisions],
            } for a in held.answers],
            "shares": [{"prompt_id": a.prompt_id, "question": self._question(a.prompt_id), "text": a.text}
                       for a in held.answers if a.shared],
            "document_links": [{"kind": d.kind, "address": load_settings().public_url + DOCUMENT_PATH + d.name,
                                "created_at": _when(d.created_at), "expires_at": _when(d.expires_at)}
                               for d in self.store.documents(person)],
            "plan": None if plan is None else {
                "status": plan.status, "segment": plan.segment_id, "options": plan.interventions,
                "review_date": _when(plan.review_date), "confirmed_at": _when(plan.confirmed_at)},
            "outcomes": [{
                "segment": o.segment_id, "options": o.interventions, "next_steps": o.next_steps,
                "review_date": _when(o.review_date), "agreed_by": o.agreed_by, "agreed_at": _when(o.agreed_at),
                "band": o.band, "staff_group": o.staff_group, "confirmed_by_you": o.confirmed_by_person,
            } for o in held.outcomes],
            "rehearsals": [{"persona": r.persona_id, "summary": r.summary, "at": _when(r.created_at)}
                           for r in held.rehearsals],
            "audit_log": audit.entries(self.store, person),
            "conversations": [{
                "conversation_id": sender,
                "turns": [{"at": _when(t.at), "from": t.speaker, "text": t.text}
                          for t in said if t.conversation == sender],
            } for sender in senders],
        }

    def download(self, person: str) -> Turn:
        """Publish the export as a page and a JSON file, and say what they hold."""
        export = self.export(person)
        published = self.publish({"html": render_export_html(export),
                                   "json": json.dumps(export, ensure_ascii=False, indent=2)},
                                  owner=person, kind=EXPORT, store=self.store)
        audit.record(self.store, audit.EXPORTED, audit.PERSON, person, document=published.name)
        base = published.address
        answers = len(export["answers"])
        earlier = sum(len(a["earlier_versions"]) for a in export["answers"])
        turns = sum(len(c["turns"]) for c in export["conversations"])
        return Turn().say(
            "Here's a copy of everything I hold about you:\n"
            f"Web page: {base}.html\nJSON file (for another system): {base}.json\n"
            f"They hold your {answers} answer{'s' if answers != 1 else ''} with {earlier} earlier "
            f"version{'s' if earlier != 1 else ''}, your plan, what you've shared with your manager and when "
            "its links were opened, outcomes, rehearsal summaries, the chat ids you've used and the "
            f"{turns} message{'s' if turns != 1 else ''} of "
            f"our conversations. The links work {published.lasts}, and are private to you: anyone you give "
            "one to can open them.")


def render_export_html(export: Mapping[str, Any]) -> str:
    """The export as a readable page; every piece of text is escaped."""
    e = html.escape

    def field(name: str, value: Any) -> str:
        if value in (None, "", []):
            return ""
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return f"<dt>{e(name)}</dt><dd>{e(shown)}</dd>"

    title = "Everything the coach holds about me"
    parts = [_opening(title), f"<h1>{e(title)}</h1>",
             f"<p>{e(export['about'])} Exported {e(export['exported_at'] or '')}. "
             f"Pseudonymous id: {e(export['person_id'])}.</p>", "<h2>My answers</h2>"]
    if not export["answers"]:
        parts.append("<p>No answers.</p>")
    for answer in export["answers"]:
        parts.append(f"<h3>{e(answer['part'])}: {e(answer['question'] or answer['prompt_id'])}</h3><dl>")
        parts.append(field("My answer", answer["text"] or answer["status"]))
        parts.append(field("Shared with my manager", "yes" if answer["shared_with_manager"] else "no"))
        parts.append(field("Last changed", answer["updated_at"]))
        for number, earlier in enumerate(answer["earlier_versions"], start=1):
            parts.append(field(f"Earlier version {number} (replaced {earlier['replaced_at']})",
                               earlier["text"] or earlier["status"]))
        parts.append("</dl>")
    parts.append("<h2>What I shared with my manager</h2>")
    parts.append("<ul>" + "".join(f"<li>{e(s['question'] or s['prompt_id'])}: <span class='said'>{e(s['text'])}"
                                  "</span></li>" for s in export["shares"]) + "</ul>"
                 if export["shares"] else "<p>Nothing.</p>")
    parts.append("<h2>My plan</h2>")
    plan = export["plan"]
    parts.append("<dl>" + "".join(field(k.replace("_", " ").capitalize(), v) for k, v in plan.items()) + "</dl>"
                 if plan else "<p>No plan.</p>")
    for heading, key in (("Outcomes", "outcomes"), ("Rehearsals", "rehearsals")):
        parts.append(f"<h2>{heading}</h2>")
        rows = export[key]
        parts.append("".join("<dl>" + "".join(field(k.replace("_", " ").capitalize(), v) for k, v in row.items())
                             + "</dl>" for row in rows) if rows else "<p>None.</p>")
    parts.append("<h2>Who has seen my record (the audit log)</h2>")
    parts.append("<table><tr><th>When</th><th>What</th><th>By</th><th>Link</th><th>Answers</th><th>Outcome</th></tr>"
                 + "".join(f"<tr><td>{e(a['at'])}</td><td>{e(a['action'])}</td><td>{e(a['by'])}</td>"
                           f"<td>{e(a['document'] or '')}</td><td>{e(', '.join(a['prompt_ids']))}</td>"
                           f"<td>{e(str(a['outcome_id'] or ''))}</td></tr>" for a in export["audit_log"])
                 + "</table>" if export["audit_log"] else "<p>Nothing recorded.</p>")
    parts.append("<h2>Chats I've used</h2><ul>" + "".join(
        f"<li>{e(i['conversation_id'])}, since {e(i['since'] or '')}</li>" for i in export["channel_identities"])
        + "</ul><h2>Our conversations</h2>")
    for conversation in export["conversations"]:
        parts.append(f"<h3>Chat {e(conversation['conversation_id'])}</h3><dl>")
        parts.extend(f"<dt>{e('Me' if t['from'] == 'you' else 'Coach')}, {e(t['at'] or '')}</dt>"
                     f"<dd>{e(t['text'])}</dd>" for t in conversation["turns"])
        parts.append("</dl>" if conversation["turns"] else "</dl><p>No messages kept.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)
