"""The audit log: who did what with a person's record, and when, never what it said.

Each share (with the answers it shows, by question id), each opening of a share link, each withdrawal or
expiry of one, each copy of the data taken away, each outcome recorded and confirmed, and each erasure is
appended here (``CoachStore.record_audit``). "Who" is a kind of actor, never a name, address or device: the
manager has no login, so a view is "someone with the share link". The person reads it back with "who has seen
my answers?" (:class:`AuditReport`) and in "download my data" (:func:`entries`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.documents import SHARE
from bot.journey import Journey
from bot.store import CoachStore
from bot.store.models import utc_now
from bot.store.repository import AuditRecord, DocumentRecord
from bot.turn import Turn, button

# Who: the person themselves, someone holding a share link (the manager, or whoever they passed it to), a manager
# recording an outcome, the organisation (the command line), the coach itself (expiry, retention).
PERSON, SHARE_LINK, MANAGER, ORGANISATION, SYSTEM = "person", "share_link", "manager", "organisation", "system"
SHARED, SHARE_VIEWED, SHARE_WITHDRAWN, SHARE_EXPIRED = "shared", "share_viewed", "share_withdrawn", "share_expired"
EXPORTED, OUTCOME_RECORDED, OUTCOME_CONFIRMED, ERASED = "exported", "outcome_recorded", "outcome_confirmed", "erased"
# A share link opened again within this time is not recorded again, so reloading a page does not flood the log.
VIEW_WINDOW = dt.timedelta(minutes=1)
SHARES_SHOWN = 5  # the reply names the latest few shares; "download my data" has them all


def record(store: CoachStore, action: str, actor: str, person: Optional[str], *, document: Optional[str] = None,
           prompt_ids: Sequence[str] = (), outcome_id: Optional[int] = None,
           now: Optional[dt.datetime] = None) -> None:
    store.record_audit(AuditRecord(person, actor, action, now or utc_now(), document, tuple(prompt_ids), outcome_id))


def share_viewed(store: CoachStore, document: DocumentRecord, now: Optional[dt.datetime] = None) -> bool:
    """A share page was served: record it, unless the same link was recorded opening within the last minute.
    True when recorded."""
    if document.kind != SHARE:  # the person's own plan or copy of their data
        return False
    now = now or utc_now()
    last = store.last_audit_at(document.name, SHARE_VIEWED)
    if last is not None and now - last < VIEW_WINDOW:
        return False
    record(store, SHARE_VIEWED, SHARE_LINK, document.person_id, document=document.name,
           prompt_ids=document.prompt_ids, now=now)
    return True


def shares_ended(store: CoachStore, documents: Iterable[DocumentRecord], action: str, actor: str,
                 now: Optional[dt.datetime] = None) -> None:
    """Share links that stopped working (withdrawn, or expired): one entry each, an expiry at the time the link
    stopped working. Other documents are the person's own and are not logged."""
    for document in documents:
        if document.kind == SHARE:
            record(store, action, actor, document.person_id, document=document.name,
                   prompt_ids=document.prompt_ids, now=document.expires_at if action == SHARE_EXPIRED else now)


def purge(store: CoachStore, days: int, now: Optional[dt.datetime] = None) -> int:
    """Retention: remove entries older than ``days``."""
    return store.purge_audit((now or utc_now()) - dt.timedelta(days=days))


# -- reading it back ---------------------------------------------------------------------------------------------


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at


def entries(store: CoachStore, person: str) -> list[dict[str, Any]]:
    """The person's audit log as plain JSON-ready data, oldest first (for "download my data")."""
    return [{"at": _utc(e.at).isoformat(), "action": e.action, "by": e.actor, "document": e.document,
             "prompt_ids": list(e.prompt_ids), "outcome_id": e.outcome_id} for e in store.audit_events(person)]


def _said_time(at: dt.datetime) -> str:
    """A time as the coach says it, in UK time ("3 March at 14:02")."""
    try:
        local, zone = _utc(at).astimezone(ZoneInfo("Europe/London")), ""
    except ZoneInfoNotFoundError:  # no time zone data on this machine
        local, zone = _utc(at), " UTC"
    return f"{local.day} {local.strftime('%B')} at {local.strftime('%H:%M')}{zone}"


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


@dataclass
class _Share:
    shared: AuditRecord
    views: list[AuditRecord] = field(default_factory=list)
    ended: Optional[AuditRecord] = None


class AuditReport:
    """ "Who has seen my answers?": the audit log in plain words."""

    def __init__(self, store: CoachStore, journey: Journey) -> None:
        self.store = store
        self.journey = journey

    def _what(self, prompt_ids: Sequence[str]) -> str:
        titles: list[str] = []
        for prompt_id in prompt_ids:
            try:
                title = self.journey.flow(self.journey.find_prompt(prompt_id).flow).title
            except KeyError:
                continue
            if title not in titles:
                titles.append(title)
        count = f"{len(prompt_ids)} answer{'s' if len(prompt_ids) != 1 else ''}"
        return count + (" from " + ", ".join(f"“{t}”" for t in titles) if titles else "")

    def _share_line(self, share: _Share) -> str:
        line = f"On {_said_time(share.shared.at)} you shared {self._what(share.shared.prompt_ids)}. "
        if share.views:
            line += (f"Its link was opened {_times(len(share.views))}, last on {_said_time(share.views[-1].at)}. ")
        else:
            line += "Its link has not been opened. "
        if share.ended is not None:
            how = "expired" if share.ended.action == SHARE_EXPIRED else "was withdrawn"
            line += f"It {how} on {_said_time(share.ended.at)} and no longer works."
        else:
            live = self.store.document(share.shared.document or "")
            line += (f"It still works, until {_said_time(live.expires_at)}." if live is not None
                     else "It no longer works.")
        return line

    def report(self, person: str) -> Turn:
        log = self.store.audit_events(person)
        shares = {e.document or "": _Share(e) for e in log if e.action == SHARED}
        others: list[str] = []
        confirmed_at = {e.outcome_id: e.at for e in log if e.action == OUTCOME_CONFIRMED}
        for entry in log:
            document = entry.document or ""
            if entry.action == SHARE_VIEWED and document in shares:
                shares[document].views.append(entry)
            elif entry.action in (SHARE_WITHDRAWN, SHARE_EXPIRED) and document in shares:
                shares[document].ended = entry
            elif entry.action == EXPORTED:
                who = "Your organisation took" if entry.actor == ORGANISATION else "You downloaded"
                others.append(f"{who} a copy of all your data on {_said_time(entry.at)}.")
            elif entry.action == OUTCOME_RECORDED:
                confirmed = confirmed_at.get(entry.outcome_id)
                others.append(f"A manager recorded the outcome of your conversation on {_said_time(entry.at)}"
                              + (f", and you confirmed it on {_said_time(confirmed)}." if confirmed else "."))
            elif entry.action == OUTCOME_CONFIRMED and not any(
                    e.action == OUTCOME_RECORDED and e.outcome_id == entry.outcome_id for e in log):
                others.append(f"On {_said_time(entry.at)} you confirmed the outcome your manager recorded.")
            elif entry.action == ERASED:
                others.append(f"You deleted your data on {_said_time(entry.at)}; my record of what happened "
                              "before then went with it.")
        turn = Turn()
        before = [d for d in self.store.documents(person, SHARE) if d.name not in shares]
        if before:  # published before this record was kept
            turn.say("\n".join(f"A share link you made on {_said_time(d.created_at)}, before I kept this record, "
                               f"still works until {_said_time(d.expires_at)}. I have no record of whether it was "
                               "opened." for d in before), [button("Stop sharing", "stop_sharing")])
        if not shares and not before:
            since = " since you deleted your data" if any(e.action == ERASED for e in log) else ""
            turn.say(f"No one has seen your answers through me: you haven't shared anything with your manager{since}, "
                     "so your journal is private to you.")
        elif shares:
            listed = list(shares.values())
            earlier = len(listed) - SHARES_SHOWN
            intro = "Here's what you've shared and when each link was opened:"
            if earlier > 0:
                intro = (f"Here are your latest {SHARES_SHOWN} shares and when each link was opened "
                         f"(there are {earlier} earlier; \"download my data\" lists them all):")
            lines = "\n".join(f"• {self._share_line(s)}" for s in listed[-SHARES_SHOWN:])
            turn.say(f"{intro}\n{lines}")
            turn.say("I can't tell who opened a link, only that someone with it did: the person you sent it to, or "
                     "anyone they passed it on to. I never record their name, address or device, and I never log "
                     "what your answers say.",
                     [button("Stop sharing", "stop_sharing")]
                     if any(s.ended is None and self.store.document(s.shared.document or "") for s in listed)
                     else [])
        if others:
            turn.say("\n".join(others))
        return turn
