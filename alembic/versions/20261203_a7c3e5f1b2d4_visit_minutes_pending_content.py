"""visit minutes: the rendered bytes wait in the database when storage cannot take them at approval

Approving a visit freezes its minutes. The file used to be written to storage inside the approval's transaction, so
a storage folder that was missing, read-only or full made the approval fail. The bytes now wait in
visit_minutes.pending_content (the approval commits) and are written to storage by the worker or the first
download; the partial index finds the few that wait.

Revision ID: a7c3e5f1b2d4
Revises: 287909e05e4e
Create Date: 2026-12-03 15:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a7c3e5f1b2d4'
down_revision: str | None = '287909e05e4e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('visit_minutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_content', sa.LargeBinary(), nullable=True))
    op.create_index('ix_visit_minutes_pending', 'visit_minutes', ['visit_id'], unique=False,
                    postgresql_where=sa.text('pending_content IS NOT NULL'),
                    sqlite_where=sa.text('pending_content IS NOT NULL'))


def downgrade() -> None:
    # minutes still waiting for storage keep their bytes nowhere else: the downgrade refuses to drop them
    bind = op.get_bind()
    waiting = bind.scalar(sa.text("SELECT count(*) FROM visit_minutes WHERE pending_content IS NOT NULL"))
    if waiting:
        raise RuntimeError(f"{waiting} visit minutes are not yet in storage; run the worker (or download them) "
                           "once storage is writable, then downgrade.")
    op.drop_index('ix_visit_minutes_pending', table_name='visit_minutes',
                  postgresql_where=sa.text('pending_content IS NOT NULL'),
                  sqlite_where=sa.text('pending_content IS NOT NULL'))
    with op.batch_alter_table('visit_minutes', schema=None) as batch_op:
        batch_op.drop_column('pending_content')
