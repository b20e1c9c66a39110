"""import jobs: a heartbeat, so that one abandoned by a stopped process can be told from one in progress

An import left 'queued', 'validating' or 'committing' by a process that crashed used to stay so for ever. The
process working on an import now refreshes heartbeat_at; one silent for OCOP_IMPORT_STALE_MINUTES is marked failed
(nothing written) and may be committed again.

Revision ID: b40115e3b25e
Revises: c0d237d43e40
Create Date: 2026-11-30 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = 'b40115e3b25e'
down_revision: str | None = 'c0d237d43e40'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
