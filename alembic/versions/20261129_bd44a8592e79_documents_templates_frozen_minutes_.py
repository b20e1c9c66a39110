"""documents: templates, frozen minutes, dashboard tallies

Revision ID: bd44a8592e79
Revises: 1e04fb89fe45
Create Date: 2026-11-29 18:29:23.400755
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = 'bd44a8592e79'
down_revision: str | None = '1e04fb89fe45'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('document_template',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('plan', 'notice', 'minutes', 'report')", name=op.f('ck_document_template_kind')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_document_template_created_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_template')),
    sa.UniqueConstraint('kind', 'version', name=op.f('uq_document_template_kind_version'))
    )
    with op.batch_alter_table('document_template', schema=None) as batch_op:
        batch_op.create_index('ux_document_template_active', ['kind'], unique=True, postgresql_where=sa.text('active'), sqlite_where=sa.text('active'))

    op.create_table('action_tally',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('counted_on', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_action_tally_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_tally'))
    )
    with op.batch_alter_table('action_tally', schema=None) as batch_op:
        batch_op.create_index('ix_action_tally_campaign', ['campaign_id'], unique=False)
        batch_op.create_index('ix_action_tally_counted_on', ['counted_on'], unique=False)

    op.create_table('finding_tally',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_finding_tally_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_tally'))
    )
    with op.batch_alter_table('finding_tally', schema=None) as batch_op:
        batch_op.create_index('ix_finding_tally_campaign', ['campaign_id'], unique=False)
        batch_op.create_index('ix_finding_tally_unit', ['admin_unit_id'], unique=False)

    op.create_table('visit_minutes',
    sa.Column('visit_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('template_id', sa.BigInteger(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['document_template.id'], name=op.f('fk_visit_minutes_template_id_document_template')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_minutes_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_visit_minutes'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_campaign_status', ['campaign_id', 'status'], unique=False)
    # the tallies start equal to the findings and actions already recorded (counted today: a read or the daily
    # job counts them again once the date has moved on)
    op.execute("INSERT INTO finding_tally (campaign_id, admin_unit_id, category, severity, n) "
               "SELECT campaign_id, admin_unit_id, category, severity, count(*) FROM finding "
               "WHERE status <> 'dismissed' GROUP BY campaign_id, admin_unit_id, category, severity")
    late = "(a.status = 'open' AND a.due_date < CURRENT_DATE)"
    op.execute("INSERT INTO action_tally (campaign_id, admin_unit_id, status, overdue, counted_on, n) "  # noqa: S608 - constant text
               f"SELECT f.campaign_id, f.admin_unit_id, a.status, {late}, CURRENT_DATE, count(*) "
               "FROM corrective_action a JOIN finding f ON f.id = a.finding_id WHERE f.status <> 'dismissed' "
               f"GROUP BY f.campaign_id, f.admin_unit_id, a.status, {late}")


def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_campaign_status')

    op.drop_table('visit_minutes')
    with op.batch_alter_table('finding_tally', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_tally_unit')
        batch_op.drop_index('ix_finding_tally_campaign')

    op.drop_table('finding_tally')
    with op.batch_alter_table('action_tally', schema=None) as batch_op:
        batch_op.drop_index('ix_action_tally_counted_on')
        batch_op.drop_index('ix_action_tally_campaign')

    op.drop_table('action_tally')
    with op.batch_alter_table('document_template', schema=None) as batch_op:
        batch_op.drop_index('ux_document_template_active', postgresql_where=sa.text('active'), sqlite_where=sa.text('active'))

    op.drop_table('document_template')
