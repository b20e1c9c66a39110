"""documents name people as they are: a team member's honorific (Ông/Bà), and the inspected party's comments in
the minutes of a visit

Revision ID: d1f4a7c2e9b3
Revises: c3e0f2a9d417
Create Date: 2026-12-03 17:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd1f4a7c2e9b3'
down_revision: str | None = 'c3e0f2a9d417'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('honorific', sa.String(length=10), nullable=True))
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_comments', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_column('host_comments')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_column('honorific')
