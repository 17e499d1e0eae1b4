"""Tables. A person is pseudonymous: channels map their own user ids onto it.

The columns that can hold a person's words are sealed at rest (``bot.store.sealing``): no query may filter or
sort on them, since the database sees only ciphertext.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

from bot.store.sealing import SealedJSON, SealedText

Base: Any = declarative_base()  # SQLAlchemy 1.4 (Rasa's pin) has no typed declarative base


def utc_now() -> dt.datetime:
    """The time as the coach stores it: UTC, without a zone."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _new_id() -> str:
    return uuid.uuid4().hex


class Person(Base):
    __tablename__ = "person"
    id = Column(String(32), primary_key=True, default=_new_id)
    created_at = Column(DateTime, nullable=False, default=utc_now)
    erased_at = Column(DateTime, nullable=True)  # the last "delete my data": web tokens issued before it are refused
    # Outcome codes this person typed that matched nothing, counted from the first in the current window.
    code_misses = Column(Integer, nullable=False, default=0, server_default="0")
    code_misses_since = Column(DateTime, nullable=True)
    # The last message of a conversation retention deleted (bot.retention): inactivity still counts from it.
    last_active_at = Column(DateTime, nullable=True)


class ChannelIdentity(Base):
    """One channel user (e.g. a Teams AAD object id, a web session) belonging to a person."""

    __tablename__ = "channel_identity"
    __table_args__ = (UniqueConstraint("sender_id", name="uq_identity_sender"),)
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False)
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utc_now)


class Answer(Base):
    """The latest answer to one prompt of a flow (journal, stages, manager preparation)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("person_id", "flow", "prompt_id", name="uq_answer_prompt"),)
    id = Column(Integer, primary_key=True)
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    flow = Column(String(40), nullable=False)
    prompt_id = Column(String(80), nullable=False)
    text = Column(SealedText, nullable=False, default="")
    status = Column(String(16), nullable=False, default="answered")  # answered | skipped
    value = Column(SealedJSON, nullable=True)  # structured reading: a choice, a date, chosen interventions
    shared = Column(Boolean, nullable=False, default=False)
    updated_at = Column(DateTime, nullable=False, default=utc_now, onupdate=utc_now)


class AnswerRevision(Base):
    """Every earlier version of an answer: an edit never silently loses what was typed."""

    __tablename__ = "answer_revision"
    id = Column(Integer, primary_key=True)
    answer_id = Column(Integer, ForeignKey("answer.id", ondelete="CASCADE"), nullable=False, index=True)
    text = Column(SealedText, nullable=False)
    status = Column(String(16), nullable=False)
    replaced_at = Column(DateTime, nullable=False, default=utc_now)


class Plan(Base):
    """The aspirational career development plan: drafted in chat, confirmed by the person."""

    __tablename__ = "plan"
    id = Column(Integer, primary_key=True)
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="draft")  # draft | confirmed
    segment_id = Column(String(80), nullable=True)
    interventions = Column(JSON, nullable=False, default=list)
    review_date = Column(Date, nullable=True)
    confirmed_at = Column(DateTime, nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utc_now, onupdate=utc_now)


class Outcome(Base):
    """The outcome agreed in the real conversation, for workforce and succession planning."""

    __tablename__ = "outcome"
    id = Column(Integer, primary_key=True)
    # Empty until the member of staff confirms the record with its code.
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=True, index=True)
    recorded_by = Column(String(32), nullable=True)  # the person id of whoever recorded it (the manager)
    code = Column(String(12), nullable=True, unique=True)
    code_expires_at = Column(DateTime, nullable=True)  # after this the code no longer finds the outcome
    segment_id = Column(String(80), nullable=False)
    interventions = Column(JSON, nullable=False, default=list)
    next_steps = Column(SealedText, nullable=False, default="")
    review_date = Column(Date, nullable=True)
    agreed_by = Column(String(255), nullable=False, default="")
    agreed_at = Column(DateTime, nullable=False, default=utc_now)
    band = Column(String(8), nullable=True)
    staff_group = Column(String(40), nullable=True)
    confirmed_by_person = Column(Boolean, nullable=False, default=False)


class Rehearsal(Base):
    """A manager's saved rehearsal summary, to compare with the next one."""

    __tablename__ = "rehearsal"
    id = Column(Integer, primary_key=True)
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    persona_id = Column(String(40), nullable=False)
    summary = Column(SealedJSON, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utc_now)


class PersonalDocument(Base):
    """A plan document or share page published for one person: it is served only while this row exists and
    ``expires_at`` has not passed; its files (``<name>.html``, ``<name>.pdf``) go with the row."""

    __tablename__ = "personal_document"
    name = Column(String(64), primary_key=True)  # the unguessable name in the link, without the extension
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(8), nullable=False)  # plan | share
    prompt_ids = Column(JSON, nullable=False, default=list)  # a share's answers, to withdraw it when one changes
    created_at = Column(DateTime, nullable=False, default=utc_now)
    expires_at = Column(DateTime, nullable=False, index=True)


class AuditEvent(Base):
    """One entry of the append-only audit log: who (a kind of actor, never a name, address or device) did what,
    when, to which document, answers (prompt ids) or outcome. Never any of the person's words. Rows are only
    added (``CoachStore.record_audit``); they go only with the person's record ("delete my data") or by age."""

    __tablename__ = "audit_event"
    id = Column(Integer, primary_key=True)
    # Whose record it is about; empty for an outcome a manager recorded before anyone confirmed it as theirs.
    person_id = Column(String(32), ForeignKey("person.id", ondelete="CASCADE"), nullable=True, index=True)
    actor = Column(String(16), nullable=False)  # person | share_link | manager | organisation | system
    action = Column(String(24), nullable=False)  # shared | share_viewed | share_withdrawn | ... (bot.audit)
    document = Column(String(64), nullable=True, index=True)  # a personal document's name
    prompt_ids = Column(JSON, nullable=False, default=list)  # the answers a share showed, by question id
    outcome_id = Column(Integer, nullable=True, index=True)
    at = Column(DateTime, nullable=False, default=utc_now, index=True)
