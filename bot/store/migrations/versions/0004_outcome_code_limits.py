"""outcome codes expire, and a person's unmatched codes are counted, so codes cannot be guessed at will

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outcome") as batch:
        batch.add_column(sa.Column("code_expires_at", sa.DateTime(), nullable=True))
    # Codes already waiting get the full lifetime from now (14 days, as bot.store.repository.CODE_LIFETIME).
    outcome = sa.table("outcome", sa.column("code", sa.String), sa.column("code_expires_at", sa.DateTime))
    expires = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=14)
    op.execute(outcome.update().where(outcome.c.code.is_not(None)).values(code_expires_at=expires))
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("code_misses", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("code_misses_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("code_misses_since")
        batch.drop_column("code_misses")
    with op.batch_alter_table("outcome") as batch:
        batch.drop_column("code_expires_at")
