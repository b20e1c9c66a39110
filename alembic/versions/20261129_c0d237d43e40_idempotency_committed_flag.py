"""idempotency records: a committed flag of their own

A request's own transaction used to mark its claim with status 0 ("committed, answer not stored yet"); the flag
says so by itself, and status only ever holds the stored answer's.

Revision ID: c0d237d43e40
Revises: bd1f73a7b9dc
Create Date: 2026-11-29 23:42:37.787622
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c0d237d43e40'
down_revision: str | None = 'bd1f73a7b9dc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(sa.text("UPDATE idempotency_record SET committed = :yes, status = NULL WHERE status = 0")
               .bindparams(yes=True))


def downgrade() -> None:
    op.execute(sa.text("UPDATE idempotency_record SET status = 0 WHERE committed = :yes AND status IS NULL")
               .bindparams(yes=True))
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_column('committed')
