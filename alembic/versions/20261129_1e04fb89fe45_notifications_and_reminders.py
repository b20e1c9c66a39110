"""notifications and reminders

Revision ID: 1e04fb89fe45
Revises: 07b9f0996bdb
Create Date: 2026-11-29 17:25:03.045444
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = '1e04fb89fe45'
down_revision: str | None = '07b9f0996bdb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reminder_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.BigInteger(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('fired_on', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('kind', 'subject_type', 'subject_id', 'threshold', 'due_date', name='uq_reminder_log_key')
    )
    op.create_table('notification',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('reminder_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_next_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('email_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminder_log.id'], name=op.f('fk_notification_reminder_id_reminder_log'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_notification_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_email_queue', ['email_next_at'], unique=False, sqlite_where=sa.text('email_next_at IS NOT NULL'), postgresql_where=sa.text('email_next_at IS NOT NULL'))
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)
        batch_op.create_index('ix_notification_user_recent', ['user_id', 'id'], unique=False)
        batch_op.create_index('uq_notification_reminder_user', ['reminder_id', 'user_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('uq_notification_reminder_user')
        batch_op.drop_index('ix_notification_user_recent')
        batch_op.drop_index('ix_notification_user_read')
        batch_op.drop_index('ix_notification_email_queue', sqlite_where=sa.text('email_next_at IS NOT NULL'), postgresql_where=sa.text('email_next_at IS NOT NULL'))

    op.drop_table('notification')
    op.drop_table('reminder_log')
