"""The coach's repository: every read and write the actions make goes through here.

An engine is made only by :func:`open_store` (never at import), so tests and
servers inject their own database URL.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import create_engine, delete, event, inspect, or_, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import load_settings
from bot.store import document_files, models
from bot.store.models import (
    Answer,
    AnswerRevision,
    AuditEvent,
    ChannelIdentity,
    Outcome,
    Person,
    PersonalDocument,
    Plan,
    Rehearsal,
)
from bot.store.sealing import Keyring, keyring_of, load_keyring, seal_with

# Confirmation codes look like "KTP-482": no 0/O or 1/I, so they survive being read aloud or copied by hand.
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_DIGITS = "23456789"
CODE_PATTERN = re.compile(r"\b([A-HJ-NP-Z]{3})[-\s]?([2-9]{3})\b", re.IGNORECASE)  # "KTP-482", "ktp 482"
# About 7 million codes: guessing one that is waiting is made hopeless by a short life and few tries per person.
CODE_LIFETIME = dt.timedelta(days=14)
CODE_MISSES_ALLOWED = 5
CODE_MISS_WINDOW = dt.timedelta(hours=1)
FOUND, UNKNOWN, TOO_MANY_MISSES = "found", "unknown", "too_many_misses"


def find_code(text: str) -> Optional[str]:
    """A confirmation code in what someone typed ("confirm ktp482", "RSP 898" -> "KTP-482", "RSP-898")."""
    match = CODE_PATTERN.search(text)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else None


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as the core sees it."""

    prompt_id: str
    text: str
    status: str
    value: Any = None
    shared: bool = False
    updated_at: Optional[dt.datetime] = None

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"


@dataclass(frozen=True)
class StoredPlan:
    status: str
    segment_id: Optional[str]
    interventions: list[str]
    review_date: Optional[dt.date]
    confirmed_at: Optional[dt.datetime]


@dataclass(frozen=True)
class OutcomeRecord:
    """An agreed outcome, as written to the CSV export. ``person_id`` is None until the person confirms."""

    person_id: Optional[str]
    segment_id: str
    interventions: list[str]
    next_steps: str
    review_date: Optional[dt.date]
    agreed_by: str
    agreed_at: dt.datetime
    band: Optional[str] = None
    staff_group: Optional[str] = None
    confirmed_by_person: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """A personal document: whose it is, what it is (``plan`` or ``share``) and until when its link works."""

    name: str
    person_id: str
    kind: str
    created_at: dt.datetime
    expires_at: dt.datetime
    prompt_ids: tuple[str, ...] = ()

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class AuditRecord:
    """One entry of the audit log (see :mod:`bot.audit`): never any of the person's words."""

    person_id: Optional[str]
    actor: str
    action: str
    at: dt.datetime
    document: Optional[str] = None
    prompt_ids: tuple[str, ...] = ()
    outcome_id: Optional[int] = None


@dataclass(frozen=True)
class KeptData:
    """What the coach keeps about one person: the honest answer to "what do you keep?"."""

    answers_by_flow: dict[str, int] = field(default_factory=dict)
    shared_answers: int = 0
    plan_status: Optional[str] = None
    outcomes: int = 0
    rehearsals: int = 0
    channels: int = 0


@dataclass(frozen=True)
class HeldRevision:
    text: str
    status: str
    replaced_at: dt.datetime


@dataclass(frozen=True)
class HeldAnswer:
    """An answer with every earlier version of it, as held."""

    flow: str
    prompt_id: str
    text: str
    status: str
    value: Any
    shared: bool
    updated_at: dt.datetime
    revisions: list[HeldRevision]


@dataclass(frozen=True)
class HeldRehearsal:
    persona_id: str
    summary: dict[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True)
class HeldRecord:
    """Every row the coach holds about one person (their conversations are read from the events table)."""

    person_id: str
    created_at: Optional[dt.datetime]
    identities: list[tuple[str, dt.datetime]]  # (sender id, since when)
    answers: list[HeldAnswer]
    plan: Optional[StoredPlan]
    outcomes: list[OutcomeRecord]
    rehearsals: list[HeldRehearsal]


def make_engine(database_url: str, *, foreign_keys: bool = True) -> Engine:
    """The engine for ``database_url``. SQLite connections are pooled and reused: opening one per
    transaction, SQLAlchemy 1.4's default for a file, costs more than a typical query."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        return create_engine(url, future=True, pool_pre_ping=True)
    engine = create_engine(url, future=True, poolclass=QueuePool, connect_args={"check_same_thread": False})
    tune_sqlite(engine, foreign_keys=foreign_keys)
    return engine


def tune_sqlite(engine: Engine, *, foreign_keys: bool = True) -> None:
    """SQLite settings for two processes sharing one file (the action server and the Rasa server).

    Write-ahead logging lets each read while the other writes, and ``synchronous=NORMAL``
    syncs at checkpoints rather than on every commit: a crash of either server loses
    nothing committed; a power cut may lose the last moments. PostgreSQL is the choice
    where that matters (``DATABASE_URL``).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # pragma: no cover - driver hook
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        dbapi_connection.execute("PRAGMA busy_timeout=10000")
        # Deleted rows are overwritten with zeros, not left readable in free pages ("delete my data").
        dbapi_connection.execute("PRAGMA secure_delete=ON")
        if foreign_keys:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


class CoachStore:
    """Repository over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        # The session of the unit of work in progress in this context (one per action call), if any.
        self._current: ContextVar[Optional[Session]] = ContextVar(f"coach-session-{id(self)}", default=None)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: the unit of work's, if one is open, else a short one of its own."""
        current = self._current.get()
        if current is not None:
            yield current
            return
        with self._sessions() as session, session.begin():
            token = self._current.set(session)
            try:
                yield session
            finally:
                self._current.reset(token)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """One transaction for everything inside: a turn stores all of its changes, or none of them."""
        with self.session():
            yield

    # -- people and channels -------------------------------------------------

    def person_id(self, sender_id: str) -> str:
        """The person behind a channel sender id, created on first sight."""
        with self.session() as s:
            found = s.execute(select(ChannelIdentity.person_id).where(ChannelIdentity.sender_id == sender_id))
            person_id = found.scalar_one_or_none()
            if person_id:
                return str(person_id)
            person = Person()
            s.add(person)
            s.flush()
            s.add(ChannelIdentity(sender_id=sender_id, person_id=person.id))
            return str(person.id)

    def link(self, sender_id: str, person_id: str) -> None:
        """Point ``sender_id`` at an existing person (same person on another channel)."""
        with self.session() as s:
            identity = s.execute(select(ChannelIdentity).where(ChannelIdentity.sender_id == sender_id)).scalar()
            if identity is None:
                s.add(ChannelIdentity(sender_id=sender_id, person_id=person_id))
            else:
                identity.person_id = person_id

    def records_erasures(self) -> bool:
        """Whether the schema that records erasures exists yet (the action server creates it on first use)."""
        found = inspect(self.engine)
        return found.has_table("person") and "erased_at" in {c["name"] for c in found.get_columns("person")}

    def erased_at(self, sender_id: str) -> Optional[float]:
        """When the person behind ``sender_id`` last deleted their data (a UNIX time), or None. Creates nobody."""
        with self.session() as s:
            found = s.execute(select(Person.erased_at).join(ChannelIdentity, ChannelIdentity.person_id == Person.id)
                              .where(ChannelIdentity.sender_id == sender_id)).scalar_one_or_none()
        return found.replace(tzinfo=dt.timezone.utc).timestamp() if found is not None else None

    def sender_ids(self, person_id: str) -> list[str]:
        with self.session() as s:
            rows = s.execute(select(ChannelIdentity.sender_id).where(ChannelIdentity.person_id == person_id))
            return [str(r) for r in rows.scalars()]

    # -- answers ---------------------------------------------------------------

    def save_answer(self, person_id: str, flow: str, prompt_id: str, text: str, status: str = "answered",
                    value: Any = None) -> None:
        """Save an answer as given; an earlier version is kept as a revision, never lost. Saving the answer it
        already holds changes nothing, so a turn retried after a crash never stores an answer twice."""
        with self.session() as s:
            row = s.execute(
                select(Answer).where(Answer.person_id == person_id, Answer.flow == flow, Answer.prompt_id == prompt_id)
            ).scalar()
            if row is None:
                s.add(Answer(person_id=person_id, flow=flow, prompt_id=prompt_id, text=text, status=status,
                             value=value))
                return
            if (row.text, row.status, row.value) == (text, status, value):
                return
            if row.text or row.status != status:
                s.add(AnswerRevision(answer_id=row.id, text=row.text, status=row.status))
            if (row.text, row.status) != (text, status):
                row.shared = False  # a share covers the words confirmed: new words are shared only if confirmed
            row.text, row.status, row.value = text, status, value

    def answers(self, person_id: str, flow: Optional[str] = None) -> dict[str, StoredAnswer]:
        """Answers keyed by prompt id (for one flow, or all flows)."""
        with self.session() as s:
            query = select(Answer).where(Answer.person_id == person_id)
            if flow is not None:
                query = query.where(Answer.flow == flow)
            rows = s.execute(query.order_by(Answer.id)).scalars()
            return {
                r.prompt_id: StoredAnswer(r.prompt_id, r.text, r.status, r.value, r.shared, r.updated_at)
                for r in rows
            }

    def revisions(self, person_id: str, flow: str, prompt_id: str) -> list[str]:
        """Earlier texts of one answer, oldest first."""
        with self.session() as s:
            rows = s.execute(
                select(AnswerRevision.text)
                .join(Answer, Answer.id == AnswerRevision.answer_id)
                .where(Answer.person_id == person_id, Answer.flow == flow, Answer.prompt_id == prompt_id)
                .order_by(AnswerRevision.id)
            )
            return [str(t) for t in rows.scalars()]

    def delete_answer(self, person_id: str, flow: str, prompt_id: str) -> bool:
        """Delete one answer (and its history). True when something was deleted."""
        with self.session() as s:
            row = s.execute(
                select(Answer).where(Answer.person_id == person_id, Answer.flow == flow, Answer.prompt_id == prompt_id)
            ).scalar()
            if row is None:
                return False
            s.execute(delete(AnswerRevision).where(AnswerRevision.answer_id == row.id))
            s.delete(row)
            return True

    def set_shared(self, person_id: str, prompt_ids: Sequence[str], shared: bool = True) -> int:
        """Mark the person's chosen answers as shared with their manager."""
        with self.session() as s:
            rows = s.execute(
                select(Answer).where(Answer.person_id == person_id, Answer.prompt_id.in_(list(prompt_ids)))
            ).scalars()
            count = 0
            for row in rows:
                row.shared = shared
                count += 1
            return count

    def shared_answers(self, person_id: str) -> dict[str, StoredAnswer]:
        """Only what the person chose to share: the manager's whole view of the journal."""
        return {k: v for k, v in self.answers(person_id).items() if v.shared}

    # -- plan -------------------------------------------------------------------

    def plan(self, person_id: str) -> Optional[StoredPlan]:
        with self.session() as s:
            row = s.execute(select(Plan).where(Plan.person_id == person_id)).scalar()
            if row is None:
                return None
            return StoredPlan(row.status, row.segment_id, list(row.interventions or []), row.review_date,
                              row.confirmed_at)

    def save_plan(self, person_id: str, *, segment_id: Optional[str] = None,
                  interventions: Optional[list[str]] = None, review_date: Optional[dt.date] = None,
                  confirmed: bool = False) -> None:
        """Update the draft plan with whatever is given; ``confirmed`` makes it final."""
        with self.session() as s:
            row = s.execute(select(Plan).where(Plan.person_id == person_id)).scalar()
            if row is None:
                row = Plan(person_id=person_id, interventions=[])
                s.add(row)
            if segment_id is not None:
                row.segment_id = segment_id
            if interventions is not None:
                row.interventions = list(interventions)
            if review_date is not None:
                row.review_date = review_date
            if confirmed:
                row.status = "confirmed"
                row.confirmed_at = models.utc_now()

    # -- outcomes and rehearsals ------------------------------------------------

    def save_outcome(self, record: OutcomeRecord) -> int:
        with self.session() as s:
            row = Outcome(
                person_id=record.person_id, segment_id=record.segment_id, interventions=record.interventions,
                next_steps=record.next_steps, review_date=record.review_date, agreed_by=record.agreed_by,
                agreed_at=record.agreed_at, band=record.band, staff_group=record.staff_group,
                confirmed_by_person=record.confirmed_by_person,
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def record_outcome(self, record: OutcomeRecord, recorded_by: str, now: Optional[dt.datetime] = None) -> str:
        """Store an outcome recorded by a manager, unconfirmed; returns the code the person confirms it with,
        which works for :data:`CODE_LIFETIME`."""
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(3)) + "-" + "".join(
            secrets.choice(CODE_DIGITS) for _ in range(3))
        with self.session() as s:
            s.add(Outcome(
                person_id=None, recorded_by=recorded_by, code=code, segment_id=record.segment_id,
                interventions=record.interventions, next_steps=record.next_steps, review_date=record.review_date,
                agreed_by=record.agreed_by, agreed_at=record.agreed_at, band=record.band,
                staff_group=record.staff_group, confirmed_by_person=False,
                code_expires_at=(now or models.utc_now()) + CODE_LIFETIME,
            ))
        return code

    def pending_outcome(self, code: str, person_id: str,
                        now: Optional[dt.datetime] = None) -> tuple[str, Optional[OutcomeRecord]]:
        """Look up the unconfirmed, unexpired outcome with this code for ``person_id``.

        Returns ``(FOUND, record)``, ``(UNKNOWN, None)`` (counted as a miss), or ``(TOO_MANY_MISSES, None)`` once
        the person has had :data:`CODE_MISSES_ALLOWED` misses within :data:`CODE_MISS_WINDOW` (not looked up).
        """
        now = now or models.utc_now()
        with self.session() as s:
            person = s.get(Person, person_id)
            if person is None:
                return UNKNOWN, None
            if person.code_misses_since is None or now - person.code_misses_since > CODE_MISS_WINDOW:
                person.code_misses, person.code_misses_since = 0, now
            if person.code_misses >= CODE_MISSES_ALLOWED:
                return TOO_MANY_MISSES, None
            row = s.execute(_waiting(code, now)).scalar()
            if row is None:
                person.code_misses += 1
                return UNKNOWN, None
            return FOUND, _outcome_record(row)

    def confirm_outcome(self, code: str, person_id: str, now: Optional[dt.datetime] = None) -> bool:
        """The person confirms the outcome as theirs: it becomes final and linked to them."""
        with self.session() as s:
            row = s.execute(_waiting(code, now or models.utc_now())).scalar()
            if row is None:
                return False
            row.person_id, row.confirmed_by_person, row.code = person_id, True, None
            return True

    def outcomes(self) -> list[OutcomeRecord]:
        with self.session() as s:
            rows = s.execute(select(Outcome).order_by(Outcome.agreed_at, Outcome.id)).scalars()
            return [_outcome_record(r) for r in rows]

    def save_rehearsal(self, person_id: str, persona_id: str, summary: dict[str, Any]) -> None:
        with self.session() as s:
            s.add(Rehearsal(person_id=person_id, persona_id=persona_id, summary=summary))

    def last_rehearsal(self, person_id: str) -> Optional[dict[str, Any]]:
        with self.session() as s:
            row = s.execute(
                select(Rehearsal).where(Rehearsal.person_id == person_id).order_by(Rehearsal.id.desc()).limit(1)
            ).scalar()
            return dict(row.summary) if row is not None else None

    # -- privacy ----------------------------------------------------------------

    def kept_data(self, person_id: str) -> KeptData:
        """Count what is stored about a person, for an honest "what do you keep?"."""
        answers = self.answers(person_id)
        by_flow: dict[str, int] = {}
        with self.session() as s:
            for row in s.execute(select(Answer.flow).where(Answer.person_id == person_id)).scalars():
                by_flow[row] = by_flow.get(row, 0) + 1
            outcomes = len(s.execute(select(Outcome.id).where(Outcome.person_id == person_id)).all())
            rehearsals = len(s.execute(select(Rehearsal.id).where(Rehearsal.person_id == person_id)).all())
        plan = self.plan(person_id)
        return KeptData(
            answers_by_flow=by_flow,
            shared_answers=sum(1 for a in answers.values() if a.shared),
            plan_status=plan.status if plan else None,
            outcomes=outcomes,
            rehearsals=rehearsals,
            channels=len(self.sender_ids(person_id)),
        )

    def held_about(self, person_id: str) -> HeldRecord:
        """Everything stored about a person, row by row, for their copy of it ("download my data")."""
        with self.session() as s:
            person = s.get(Person, person_id)
            identities = [(str(i.sender_id), i.created_at) for i in s.execute(
                select(ChannelIdentity).where(ChannelIdentity.person_id == person_id)
                .order_by(ChannelIdentity.id)).scalars()]
            answers = []
            for row in s.execute(select(Answer).where(Answer.person_id == person_id).order_by(Answer.id)).scalars():
                revisions = [HeldRevision(r.text, r.status, r.replaced_at) for r in s.execute(
                    select(AnswerRevision).where(AnswerRevision.answer_id == row.id)
                    .order_by(AnswerRevision.id)).scalars()]
                answers.append(HeldAnswer(row.flow, row.prompt_id, row.text, row.status, row.value, row.shared,
                                          row.updated_at, revisions))
            outcomes = [_outcome_record(r) for r in s.execute(
                select(Outcome).where(Outcome.person_id == person_id).order_by(Outcome.agreed_at, Outcome.id)
            ).scalars()]
            rehearsals = [HeldRehearsal(r.persona_id, dict(r.summary), r.created_at) for r in s.execute(
                select(Rehearsal).where(Rehearsal.person_id == person_id).order_by(Rehearsal.id)).scalars()]
        return HeldRecord(person_id, person.created_at if person else None, identities, answers,
                          self.plan(person_id), outcomes, rehearsals)

    def confirmed_outcomes(self, person_id: str) -> int:
        """How many outcomes the person confirmed as theirs (what a policy may keep after "delete my data")."""
        with self.session() as s:
            return len(s.execute(select(Outcome.id).where(Outcome.person_id == person_id,
                                                          Outcome.confirmed_by_person.is_(True))).all())

    def erase_person(self, person_id: str, *, keep_confirmed_outcomes: bool = False) -> None:
        """Delete the journal, stage notes, plan, outcomes and rehearsals of a person.

        The person's channel identities stay, so their next message starts afresh
        under the same pseudonymous id rather than creating a dangling record.
        With ``keep_confirmed_outcomes`` (the organisation's policy) the outcomes they
        confirmed stay, still theirs. Outcomes they recorded for others as a manager
        stay with those people, no longer linked to them.
        """
        with self.session() as s:
            person = s.get(Person, person_id)
            if person is not None:  # web tokens issued up to now stop working (see erased_since)
                person.erased_at = models.utc_now()
            answer_ids = select(Answer.id).where(Answer.person_id == person_id)
            s.execute(
                delete(AnswerRevision).where(AnswerRevision.answer_id.in_(answer_ids)),
                execution_options={"synchronize_session": False},
            )
            for table in (Answer, Plan, Rehearsal):
                s.execute(delete(table).where(table.person_id == person_id))  # type: ignore[attr-defined]
            outcomes = delete(Outcome).where(Outcome.person_id == person_id)
            if keep_confirmed_outcomes:
                outcomes = outcomes.where(Outcome.confirmed_by_person.is_(False))
            s.execute(outcomes)
            s.execute(update(Outcome).where(Outcome.recorded_by == person_id).values(recorded_by=None))
            self._erase_audit(s, person_id)
            self.erase_documents(person_id)

    @staticmethod
    def _erase_audit(s: Session, person_id: str) -> None:
        """The audit log about a person goes with their record, except what concerns an outcome the policy keeps
        (run after their outcomes are deleted). The caller records the erasure itself afterwards."""
        kept = select(Outcome.id).where(Outcome.person_id == person_id)
        theirs = select(AuditEvent.outcome_id).where(AuditEvent.person_id == person_id,
                                                     AuditEvent.outcome_id.is_not(None))
        s.execute(delete(AuditEvent).where(AuditEvent.person_id.is_(None), AuditEvent.outcome_id.in_(theirs),
                                           AuditEvent.outcome_id.not_in(kept)),
                  execution_options={"synchronize_session": False})
        s.execute(delete(AuditEvent).where(AuditEvent.person_id == person_id,
                                           or_(AuditEvent.outcome_id.is_(None), AuditEvent.outcome_id.not_in(kept))),
                  execution_options={"synchronize_session": False})

    def forget_person(self, person_id: str) -> bool:
        """Remove a person's record and their channel ids, once nothing else of theirs is held (retention, after
        long inactivity: no web token issued before can still be valid). Not while an outcome is linked to them
        (one they confirmed, which the organisation's policy keeps). True when removed."""
        with self.session() as s:
            if s.execute(select(Outcome.id).where(Outcome.person_id == person_id).limit(1)).first() is not None:
                return False
            s.execute(delete(ChannelIdentity).where(ChannelIdentity.person_id == person_id))
            return bool(s.execute(delete(Person).where(Person.id == person_id)).rowcount)

    def scrub(self) -> None:
        """After a deletion: SQLite's write-ahead log still holds the deleted rows' old pages until it is
        checkpointed; copy it into the database (whose deleted rows are zeroed) and empty it. PostgreSQL
        reclaims deleted rows by its own (auto)vacuum."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- personal documents (plans and share pages) ----------------------------------------------

    @property
    def keyring(self) -> Keyring:
        """The data keys this store seals with: a person's document files are sealed with them too."""
        return keyring_of(self.engine.dialect)

    def record_document(self, record: DocumentRecord) -> None:
        with self.session() as s:
            s.add(PersonalDocument(name=record.name, person_id=record.person_id, kind=record.kind,
                                   prompt_ids=list(record.prompt_ids), created_at=record.created_at,
                                   expires_at=record.expires_at))

    def document(self, name: str) -> Optional[DocumentRecord]:
        with self.session() as s:
            row = s.get(PersonalDocument, name)
            return _document_record(row) if row is not None else None

    def documents(self, person_id: Optional[str] = None, kind: Optional[str] = None,
                  expired_by: Optional[dt.datetime] = None) -> list[DocumentRecord]:
        """Personal documents: one person's (or everyone's), of one kind, or those expired by a time."""
        query = select(PersonalDocument)
        if person_id is not None:
            query = query.where(PersonalDocument.person_id == person_id)
        if kind is not None:
            query = query.where(PersonalDocument.kind == kind)
        if expired_by is not None:
            query = query.where(PersonalDocument.expires_at <= expired_by)
        with self.session() as s:
            return [_document_record(r) for r in s.execute(query.order_by(PersonalDocument.created_at)).scalars()]

    def forget_documents(self, names: Sequence[str]) -> int:
        """Delete these documents, rows and files: their links stop working at once. How many there were."""
        if not names:
            return 0
        with self.session() as s:
            found = s.execute(delete(PersonalDocument).where(PersonalDocument.name.in_(list(names))),
                              execution_options={"synchronize_session": False})
        document_files.remove(names)
        return int(found.rowcount or 0)

    def erase_documents(self, person_id: str) -> int:
        """Delete every document of a person, rows and files."""
        return self.forget_documents([d.name for d in self.documents(person_id)])

    def records_documents(self) -> bool:
        """Whether the schema that records personal documents exists yet (the action server creates it)."""
        return inspect(self.engine).has_table("personal_document")

    # -- the audit log: rows are only added; they go with the person's record, or by age ----------------------

    def record_audit(self, record: AuditRecord) -> None:
        with self.session() as s:
            s.add(AuditEvent(person_id=record.person_id, actor=record.actor, action=record.action,
                             document=record.document, prompt_ids=list(record.prompt_ids),
                             outcome_id=record.outcome_id, at=record.at))

    def audit_events(self, person_id: str) -> list[AuditRecord]:
        """The audit log of a person's record, oldest first: their own entries, and the recording of each
        outcome they confirmed (made by a manager before it was linked to them)."""
        confirmed = select(AuditEvent.outcome_id).where(AuditEvent.person_id == person_id,
                                                        AuditEvent.outcome_id.is_not(None))
        query = select(AuditEvent).where(or_(
            AuditEvent.person_id == person_id,
            (AuditEvent.person_id.is_(None)) & AuditEvent.outcome_id.in_(confirmed)))
        with self.session() as s:
            return [_audit_record(r) for r in s.execute(query.order_by(AuditEvent.at, AuditEvent.id)).scalars()]

    def last_audit_at(self, document: str, action: str) -> Optional[dt.datetime]:
        """When ``action`` was last recorded for a document (e.g. its last view), or None."""
        with self.session() as s:
            return s.execute(select(AuditEvent.at).where(AuditEvent.document == document,
                                                         AuditEvent.action == action)
                             .order_by(AuditEvent.at.desc()).limit(1)).scalar_one_or_none()

    def purge_audit(self, before: dt.datetime) -> int:
        """Retention: remove audit entries older than ``before``. How many there were."""
        with self.session() as s:
            found = s.execute(delete(AuditEvent).where(AuditEvent.at < before),
                              execution_options={"synchronize_session": False})
        return int(found.rowcount or 0)

    def records_audit(self) -> bool:
        """Whether the audit log's table exists yet (the action server creates it)."""
        return inspect(self.engine).has_table("audit_event")

    def outcome_id(self, code: str) -> Optional[int]:
        """The outcome waiting with this code (for the audit log, which never keeps the code itself)."""
        with self.session() as s:
            return s.execute(select(Outcome.id).where(Outcome.code == code.upper())).scalar_one_or_none()


def _audit_record(row: AuditEvent) -> AuditRecord:
    return AuditRecord(row.person_id, row.actor, row.action, row.at, row.document, tuple(row.prompt_ids or ()),
                       row.outcome_id)


def _document_record(row: PersonalDocument) -> DocumentRecord:
    return DocumentRecord(row.name, row.person_id, row.kind, row.created_at, row.expires_at,
                          tuple(row.prompt_ids or ()))


def _waiting(code: str, now: dt.datetime) -> Any:
    """The query for the unconfirmed outcome with ``code`` whose code has not expired."""
    return select(Outcome).where(Outcome.code == code.upper(), Outcome.confirmed_by_person.is_(False),
                                 Outcome.code_expires_at > now)


def _outcome_record(row: Outcome) -> OutcomeRecord:
    return OutcomeRecord(row.person_id, row.segment_id, list(row.interventions or []), row.next_steps,
                         row.review_date, row.agreed_by, row.agreed_at, row.band, row.staff_group,
                         row.confirmed_by_person)


def open_store(database_url: str, *, migrate: bool = True, keyring: Optional[Keyring] = None) -> CoachStore:
    """Create the engine for ``database_url`` and bring the schema up to date. The person's words are sealed with
    ``keyring`` (default: the keys in the settings; without any, :class:`~bot.settings.MissingSecret`)."""
    engine = seal_with(make_engine(database_url), keyring or load_keyring(load_settings()))
    if migrate:
        from bot.store.migrations import upgrade

        upgrade(engine)
        with engine.connect() as connection:  # opening the latest answer: wrong keys stop a server at its start
            connection.execute(select(Answer.text).order_by(Answer.id.desc()).limit(1)).scalar()
    return CoachStore(engine)
