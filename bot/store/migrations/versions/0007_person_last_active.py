"""when a person last used the coach, kept when retention deletes a conversation, so their inactivity still counts
from their last message

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("last_active_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("last_active_at")
