"""outcomes are recorded by a manager and confirmed by the person with a code

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outcome") as batch:
        batch.alter_column("person_id", existing_type=sa.String(length=32), nullable=True)
        batch.add_column(sa.Column("recorded_by", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("code", sa.String(length=12), nullable=True))
        batch.create_unique_constraint("uq_outcome_code", ["code"])


def downgrade() -> None:
    with op.batch_alter_table("outcome") as batch:
        batch.drop_constraint("uq_outcome_code", type_="unique")
        batch.drop_column("code")
        batch.drop_column("recorded_by")
