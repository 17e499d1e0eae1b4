"""Retention: nothing is kept past its time (docs/privacy.md, "Retention").

- :class:`RetentionPolicy` is the policy in force, from the settings (``COACH_KEEP_*_DAYS``, the link lifetimes):
  what ``coach retention show`` prints and what the coach tells a person ("what do you keep about me?").
- :class:`Retention` applies it (``coach retention run``): each kind in batches, each batch its own transaction,
  so the coach keeps running; then the same scrub as "delete my data".

What goes, and when:
- a conversation's history (Rasa's events) and its turn fence, once its last message is older than its period;
  the time of that message is kept on the person (``person.last_active_at``), so their inactivity still counts
  from it;
- everything of a person's, once they have not used the coach for their period: exactly what "delete my data"
  deletes (``ErasureService.delete_all``), and then their record and channel ids, unless an outcome they
  confirmed is kept;
- an outcome nobody confirmed, its period after its code expired; a confirmed one, its period after it was
  agreed (when the organisation sets one);
- expired documents and share links, by the documents' own purge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot import audit
from bot.documents import EXPORT_LINK_DAYS
from bot.personal_documents import purge
from bot.privacy import ErasureService
from bot.settings import Settings
from bot.store import CoachStore
from bot.store.conversations import EVENTS, forget
from bot.store.models import Answer, AnswerRevision, ChannelIdentity, Outcome, Person, PersonalDocument, Plan, Rehearsal
from bot.store.repository import CODE_LIFETIME

DEFAULT_BATCH_SIZE = 200


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _period(days: Optional[int], after: str, otherwise: str) -> str:
    return f"no period of its own: kept {otherwise}" if days is None else f"{_days(days)} {after}"


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept, in days; None is "never"."""

    conversations_days: Optional[int]  # after the conversation's last message
    inactive_days: Optional[int]  # after the person last used the coach
    unconfirmed_outcomes_days: Optional[int]  # after the outcome's code expired
    confirmed_outcomes_days: Optional[int]  # after the conversation it records
    keep_confirmed_outcomes: bool  # whether "delete my data" (and inactivity) leaves confirmed outcomes
    plan_link_days: int
    share_link_days: int
    audit_days: int  # the audit log's entries, after they were written

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(settings.keep_conversations_days, settings.keep_inactive_days,
                   settings.keep_unconfirmed_outcomes_days, settings.keep_confirmed_outcomes_days,
                   settings.keep_confirmed_outcomes, settings.plan_link_days, settings.share_link_days,
                   settings.audit_days)

    def table(self) -> list[tuple[str, str, str]]:
        """(what, how long, setting), for ``coach retention show``."""
        if self.confirmed_outcomes_days is not None:
            confirmed = f"{_days(self.confirmed_outcomes_days)} after the conversation it records"
        elif self.keep_confirmed_outcomes:
            confirmed = "kept after the person's data goes, with no period: set one from your records policy"
        else:
            confirmed = "no period of its own: it goes with the person's data"
        return [
            ("conversation history (Rasa's events) and turn fences",
             _period(self.conversations_days, "after the conversation's last message", "with the person's data"),
             "COACH_KEEP_CONVERSATIONS_DAYS"),
            ("a person's journal, answers and earlier versions, plan, rehearsals, documents, record and chat ids",
             _period(self.inactive_days, "after they last used the coach", "until they delete it"),
             "COACH_KEEP_INACTIVE_DAYS"),
            ("an outcome nobody confirmed", "as soon as its code expires" if self.unconfirmed_outcomes_days == 0
             else _period(self.unconfirmed_outcomes_days, "after its code expired", "without limit"),
             "COACH_KEEP_UNCONFIRMED_OUTCOMES_DAYS"),
            ("a confirmed outcome", confirmed, "COACH_KEEP_CONFIRMED_OUTCOMES_DAYS"),
            ("a plan link (web page and PDF)", f"{_days(self.plan_link_days)} after it was made",
             "COACH_PLAN_LINK_DAYS"),
            ("a share link for a manager", f"{_days(self.share_link_days)} after it was made",
             "COACH_SHARE_LINK_DAYS"),
            ("a download of my data", f"{_days(EXPORT_LINK_DAYS)} after it was made", "fixed"),
            ("an audit log entry (who saw or took what, never the words)", f"{_days(self.audit_days)} after it "
             "was written, or with the person's data", "COACH_AUDIT_DAYS"),
        ]

    def told(self) -> str:
        """How long the coach keeps a person's data, as it tells them."""
        history = ("I keep our conversation history so you can pick up where you left off"
                   + (f", for {_days(self.conversations_days)} after its last message." if self.conversations_days
                      is not None else "."))
        said = [history]
        if self.inactive_days is not None:
            kept = (" except outcomes you confirmed with your manager, which your organisation's policy keeps"
                    if self.keep_confirmed_outcomes else "")
            said.append(f"If you don't use the coach for {_days(self.inactive_days)}, I delete everything I keep "
                        f"about you{',' if kept else ''}{kept}.")
        if self.confirmed_outcomes_days is not None:
            said.append(f"An outcome you confirmed is deleted {_days(self.confirmed_outcomes_days)} after the "
                        "conversation it records.")
        return " ".join(said)


@dataclass
class Removed:
    """What a run removed (or, dry, would remove): counts only, never content."""

    conversations: int = 0
    events: int = 0
    people: int = 0  # inactive people whose data was deleted
    records: int = 0  # of them, person records removed with their chat ids
    unconfirmed_outcomes: int = 0
    confirmed_outcomes: int = 0
    documents: int = 0
    unrecorded_files: int = 0
    audit_entries: int = 0

    def lines(self) -> list[str]:
        labels = {
            "conversations": "conversations past their time", "events": "conversation events",
            "people": "people inactive past their time (their data)", "records": "person records and chat ids",
            "unconfirmed_outcomes": "unconfirmed outcomes", "confirmed_outcomes": "confirmed outcomes",
            "documents": "expired documents and share links", "unrecorded_files": "document files no record owned",
            "audit_entries": "audit log entries past their time",
        }
        return [f"  {labels[f.name]}: {getattr(self, f.name)}" for f in fields(self)]


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    """The database's times are UTC without a zone."""
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _stamp(moment: dt.datetime) -> float:
    """A UNIX time, as Rasa stores an event's."""
    return moment.replace(tzinfo=dt.timezone.utc).timestamp()


def _since(now: dt.datetime, days: Optional[int]) -> Optional[dt.datetime]:
    return None if days is None else now - dt.timedelta(days=days)


class Retention:
    """Purges everything past its time, by :class:`RetentionPolicy`."""

    def __init__(self, store: CoachStore, policy: RetentionPolicy, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError(f"the batch size must be at least 1, not {batch_size}")
        self.store = store
        self.policy = policy
        self.batch_size = batch_size
        self.erasure = ErasureService(store, keep_confirmed_outcomes=policy.keep_confirmed_outcomes)

    def run(self, now: Optional[dt.datetime] = None, *, dry_run: bool = False) -> Removed:
        now = _naive_utc(now or dt.datetime.now(dt.timezone.utc))
        removed = Removed()
        self._conversations(now, removed, dry_run)  # first: their last messages are kept on the person
        self._outcomes(now, removed, dry_run)  # before people: one whose last kept outcome went can go too
        due = self._people(now, removed, dry_run)
        if dry_run:  # the documents of people due would go with their data
            removed.documents = sum(1 for d in self.store.documents(expired_by=now) if d.person_id not in due)
        else:
            purged = purge(self.store, now)
            removed.documents, removed.unrecorded_files = purged.expired, purged.unrecorded
            removed.audit_entries = audit.purge(self.store, self.policy.audit_days, now)
            self.store.scrub()  # the deleted rows' old pages leave SQLite's write-ahead log, as after a deletion
        return removed

    # -- conversations ---------------------------------------------------------------------------------------

    @cached_property
    def _has_events(self) -> bool:
        """Whether Rasa's events table exists: looked up once a run, not for every person checked."""
        return bool(sa.inspect(self.store.engine).has_table(EVENTS.name))

    def _conversations(self, now: dt.datetime, removed: Removed, dry_run: bool) -> None:
        since = _since(now, self.policy.conversations_days)
        if since is None or not self._has_events:
            return
        last = sa.func.coalesce(sa.func.max(EVENTS.c.timestamp), 0)
        stale = (sa.select(EVENTS.c.sender_id, last.label("last"), sa.func.count().label("events"))
                 .group_by(EVENTS.c.sender_id).having(last < _stamp(since)))
        if dry_run:
            with self.store.engine.connect() as connection:
                found = connection.execute(stale).all()
            removed.conversations += len(found)
            removed.events += sum(int(row.events) for row in found)
            return
        after = ""  # by id, so each batch moves on even if a conversation could not go
        while True:
            with self.store.session() as session:
                connection = session.connection()
                # Found and deleted in one transaction: a conversation that had a message meanwhile stays.
                batch = connection.execute(stale.where(EVENTS.c.sender_id > after).order_by(EVENTS.c.sender_id)
                                           .limit(self.batch_size)).all()
                if not batch:
                    return
                after = str(batch[-1].sender_id)
                self._remember_last_messages(connection, {str(row.sender_id): float(row.last) for row in batch})
                removed.events += forget(connection, [str(row.sender_id) for row in batch])
                removed.conversations += len(batch)

    def _remember_last_messages(self, connection: Connection, last: dict[str, float]) -> None:
        """Keep on each person the time of their latest message among these conversations (a time, no words)."""
        owners = connection.execute(sa.select(ChannelIdentity.sender_id, ChannelIdentity.person_id)
                                    .where(ChannelIdentity.sender_id.in_(list(last))))
        latest: dict[str, float] = {}
        for sender, person in owners:
            latest[str(person)] = max(latest.get(str(person), 0.0), last[str(sender)])
        for person, stamp in latest.items():
            at = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).replace(tzinfo=None)
            connection.execute(sa.update(Person).where(
                Person.id == person, sa.or_(Person.last_active_at.is_(None), Person.last_active_at < at))
                .values(last_active_at=at))

    # -- people ------------------------------------------------------------------------------------------------

    def _inactive(self, since: dt.datetime) -> Any:
        """The query for people with no sign of use since ``since``: no message, no change to their rows."""
        def none_since(table: Any, column: Any) -> Any:
            return ~sa.exists().where(table.person_id == Person.id, column >= since)

        quiet = [
            Person.created_at < since,
            sa.or_(Person.last_active_at.is_(None), Person.last_active_at < since),
            none_since(ChannelIdentity, ChannelIdentity.created_at),
            none_since(Answer, Answer.updated_at),
            ~sa.exists().where(AnswerRevision.answer_id == Answer.id, Answer.person_id == Person.id,
                               AnswerRevision.replaced_at >= since),
            none_since(Plan, Plan.updated_at),
            none_since(Rehearsal, Rehearsal.created_at),
            none_since(PersonalDocument, PersonalDocument.created_at),
            none_since(Outcome, Outcome.agreed_at),
        ]
        if self._has_events:
            quiet.append(~sa.exists().where(ChannelIdentity.person_id == Person.id,
                                            EVENTS.c.sender_id == ChannelIdentity.sender_id,
                                            EVENTS.c.timestamp >= _stamp(since)))
        return sa.select(Person.id).where(*quiet).order_by(Person.id)

    def _holds_anything(self, person: str) -> bool:
        """Whether anything of the person's is left for "delete my data" to delete (kept outcomes aside), or
        their record could go."""
        kept = self.store.kept_data(person)
        outcomes = kept.outcomes - (self.store.confirmed_outcomes(person) if self.policy.keep_confirmed_outcomes
                                    else 0)
        if kept.answers_by_flow or kept.plan_status or kept.rehearsals or outcomes or self.store.documents(person):
            return True
        if self._has_events:
            with self.store.engine.connect() as connection:
                senders = self.store.sender_ids(person)
                if senders and connection.execute(sa.select(EVENTS.c.id).where(
                        EVENTS.c.sender_id.in_(senders)).limit(1)).first() is not None:
                    return True
        return kept.outcomes == 0  # nothing linked: the record and chat ids themselves can go

    def _people(self, now: dt.datetime, removed: Removed, dry_run: bool) -> set[str]:
        """Delete the data of the people inactive past their time; returns who they were."""
        since = _since(now, self.policy.inactive_days)
        if since is None:
            return set()
        after = ""  # by id, so people left as they are (a kept outcome) are not found again
        everyone: set[str] = set()
        while True:
            with self.store.engine.connect() as connection:
                batch = [str(p) for p in connection.execute(
                    self._inactive(since).where(Person.id > after).limit(self.batch_size)).scalars()]
            if not batch:
                return everyone
            after = batch[-1]
            due = [person for person in batch if self._holds_anything(person)]
            removed.people += len(due)
            everyone.update(due)
            if dry_run:
                removed.records += sum(1 for person in due if not self._keeps_outcomes(person))
                continue
            with self.store.session():  # the batch's people, wholly or not at all
                for person in due:
                    removed.events += self.erasure.delete_all(person, audit.SYSTEM)
                    removed.records += self.store.forget_person(person)

    def _keeps_outcomes(self, person: str) -> bool:
        return self.policy.keep_confirmed_outcomes and self.store.confirmed_outcomes(person) > 0

    # -- outcomes ----------------------------------------------------------------------------------------------

    def _outcomes(self, now: dt.datetime, removed: Removed, dry_run: bool) -> None:
        since = _since(now, self.policy.unconfirmed_outcomes_days)
        if since is not None:
            removed.unconfirmed_outcomes += self._delete_outcomes(sa.and_(
                Outcome.confirmed_by_person.is_(False),
                sa.or_(Outcome.code_expires_at <= since,
                       sa.and_(Outcome.code_expires_at.is_(None), Outcome.agreed_at <= since - CODE_LIFETIME))),
                dry_run)
        since = _since(now, self.policy.confirmed_outcomes_days)
        if since is not None:
            removed.confirmed_outcomes += self._delete_outcomes(
                sa.and_(Outcome.confirmed_by_person.is_(True), Outcome.agreed_at <= since), dry_run)

    def _delete_outcomes(self, which: Any, dry_run: bool) -> int:
        if dry_run:
            with self.store.engine.connect() as connection:
                return int(connection.execute(sa.select(sa.func.count(Outcome.id)).where(which)).scalar() or 0)
        deleted = 0
        while True:
            with self.store.session() as session:
                ids = list(session.execute(sa.select(Outcome.id).where(which).limit(self.batch_size)).scalars())
                if not ids:
                    return deleted
                session.execute(sa.delete(Outcome).where(Outcome.id.in_(ids)),
                                execution_options={"synchronize_session": False})
                deleted += len(ids)
