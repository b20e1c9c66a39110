"""indexes for writes and the change feed at national scale

The tallies recount one administrative unit of one campaign per write (finding by campaign and unit); the
compliance change feed reads in (transaction id, sequence) order from an index, SQLite's rows with txid 0.

Revision ID: bd1f73a7b9dc
Revises: bd44a8592e79
Create Date: 2026-11-29 20:55:26.990423
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'bd1f73a7b9dc'
down_revision: str | None = 'bd44a8592e79'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE compliance_change SET txid = 0 WHERE txid IS NULL")
    with op.batch_alter_table('compliance_change', schema=None) as batch_op:
        batch_op.alter_column('txid', existing_type=sa.BigInteger(), nullable=False, server_default='0')
        batch_op.drop_index('ix_compliance_change_txid')
        batch_op.create_index('ix_compliance_change_position', ['txid', 'seq'], unique=False)

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_campaign_id')
        batch_op.create_index('ix_finding_campaign_unit', ['campaign_id', 'admin_unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_campaign_unit')
        batch_op.create_index('ix_finding_campaign_id', ['campaign_id'], unique=False)

    with op.batch_alter_table('compliance_change', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_change_position')
        batch_op.create_index('ix_compliance_change_txid', ['txid'], unique=False)
        batch_op.alter_column('txid', existing_type=sa.BigInteger(), nullable=True, server_default=None)
