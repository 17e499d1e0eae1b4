"""an append-only audit log of shares, share-link views, withdrawals, exports, outcomes and erasures

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Who did what, when, to which document, answers (by prompt id) or outcome: never any of the person's words.
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.String(length=32), sa.ForeignKey("person.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=True),
        sa.Column("prompt_ids", sa.JSON(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_audit_event_person_id", "audit_event", ["person_id"])
    op.create_index("ix_audit_event_document", "audit_event", ["document"])
    op.create_index("ix_audit_event_outcome_id", "audit_event", ["outcome_id"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def downgrade() -> None:
    for column in ("at", "outcome_id", "document", "person_id"):
        op.drop_index(f"ix_audit_event_{column}", table_name="audit_event")
    op.drop_table("audit_event")
