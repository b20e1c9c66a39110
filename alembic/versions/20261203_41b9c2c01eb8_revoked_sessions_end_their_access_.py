"""revoked sessions end their access tokens at once

Logging out, or reusing an old refresh token, ends the refresh-token family; its access tokens (claim `sid`) used
to keep working until they expired (15 minutes). revoked_session lists the ended families for as long as one of
their access tokens could still be valid; every authenticated request looks its sid up by primary key.

Revision ID: 41b9c2c01eb8
Revises: a7c3e5f1b2d4
Create Date: 2026-12-03 13:51:53.197818
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = '41b9c2c01eb8'
down_revision: str | None = 'a7c3e5f1b2d4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('revoked_session',
                    sa.Column('sid', sa.String(length=32), nullable=False),
                    sa.Column('user_id', sa.BigInteger(), nullable=False),
                    sa.Column('revoked_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
                    sa.Column('expires_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('sid', name=op.f('pk_revoked_session')))
    with op.batch_alter_table('revoked_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revoked_session_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('revoked_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revoked_session_expires_at'))

    op.drop_table('revoked_session')
