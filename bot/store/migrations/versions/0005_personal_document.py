"""personal documents (plans and share pages) are recorded with their owner and expiry, so links can end

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Documents published before this have no row, so the web channel no longer serves them; `coach documents
    # purge` removes their files.
    op.create_table(
        "personal_document",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("person_id", sa.String(length=32), sa.ForeignKey("person.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("prompt_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_personal_document_person_id", "personal_document", ["person_id"])
    op.create_index("ix_personal_document_expires_at", "personal_document", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_personal_document_expires_at", table_name="personal_document")
    op.drop_index("ix_personal_document_person_id", table_name="personal_document")
    op.drop_table("personal_document")
