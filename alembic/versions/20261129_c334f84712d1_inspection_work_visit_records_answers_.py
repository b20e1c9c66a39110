"""inspection work: visit records, answers, findings, corrective actions, evidence; compliance status, history and change feed

Revision ID: c334f84712d1
Revises: 84fe00bac0de
Create Date: 2026-11-29 14:33:10.541214
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = 'c334f84712d1'
down_revision: str | None = '84fe00bac0de'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('compliance_change',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('txid', sa.BigInteger(), nullable=True),
    sa.Column('changed_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_compliance_change_product_id_product')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_compliance_change'))
    )
    with op.batch_alter_table('compliance_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliance_change_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compliance_change_txid'), ['txid'], unique=False)

    op.create_table('compliance_history',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('certificate', sa.JSON(), nullable=True),
    sa.Column('open_findings', sa.JSON(), nullable=False),
    sa.Column('recorded_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_compliance_history_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_history'))
    )
    with op.batch_alter_table('compliance_history', schema=None) as batch_op:
        batch_op.create_index('ix_compliance_history_product_from', ['product_id', 'effective_from', 'id'], unique=False)

    op.create_table('compliance_status',
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('producer_id', sa.BigInteger(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('certificate', sa.JSON(), nullable=True),
    sa.Column('open_findings', sa.JSON(), nullable=False),
    sa.Column('next_check_on', sa.Date(), nullable=True),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('compliant', 'conditional', 'non_compliant', 'expired', 'revoked', 'not_certified')", name=op.f('ck_compliance_status_status')),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_compliance_status_producer_id_producer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_compliance_status_product_id_product')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_compliance_status'))
    )
    with op.batch_alter_table('compliance_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliance_status_admin_unit_id'), ['admin_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compliance_status_next_check_on'), ['next_check_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_compliance_status_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compliance_status_status'), ['status'], unique=False)

    op.create_table('checklist_answer',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('visit_id', sa.BigInteger(), nullable=False),
    sa.Column('item_code', sa.String(length=30), nullable=False),
    sa.Column('checklist_item_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=True),
    sa.Column('product_key', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('value', sa.String(length=3), nullable=True),
    sa.Column('number_value', sa.Float(), nullable=True),
    sa.Column('text_value', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('failed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('answered_by', sa.BigInteger(), nullable=True),
    sa.Column('answered_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("value IS NULL OR value IN ('yes', 'no', 'na')", name=op.f('ck_checklist_answer_value')),
    sa.ForeignKeyConstraint(['answered_by'], ['app_user.id'], name=op.f('fk_checklist_answer_answered_by_app_user')),
    sa.ForeignKeyConstraint(['checklist_item_id'], ['checklist_item.id'], name=op.f('fk_checklist_answer_checklist_item_id_checklist_item')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_checklist_answer_product_id_product')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_checklist_answer_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answer'))
    )
    with op.batch_alter_table('checklist_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_answer_checklist_item_id'), ['checklist_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_answer_product_id'), ['product_id'], unique=False)
        batch_op.create_index('uq_checklist_answer_visit_item_product', ['visit_id', 'item_code', 'product_key'], unique=True)

    op.create_table('finding',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('visit_id', sa.BigInteger(), nullable=True),
    sa.Column('producer_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=True),
    sa.Column('product_key', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('content_area', sa.Integer(), nullable=True),
    sa.Column('checklist_item_id', sa.BigInteger(), nullable=True),
    sa.Column('item_code', sa.String(length=30), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('legal_reference', sa.Text(), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('internal_note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('escalation', sa.String(length=30), nullable=True),
    sa.Column('automatic', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('repeat_of_id', sa.BigInteger(), nullable=True),
    sa.Column('repeat_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("severity IN ('observation', 'minor', 'major', 'critical')", name=op.f('ck_finding_severity')),
    sa.CheckConstraint("status IN ('open', 'action_required', 'response_submitted', 'verified', 'closed', 'dismissed', 'escalated')", name=op.f('ck_finding_status')),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_finding_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_finding_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['checklist_item_id'], ['checklist_item.id'], name=op.f('fk_finding_checklist_item_id_checklist_item')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_finding_created_by_app_user')),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_finding_producer_id_producer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_finding_product_id_product')),
    sa.ForeignKeyConstraint(['repeat_of_id'], ['finding.id'], name=op.f('fk_finding_repeat_of_id_finding')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_finding_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_admin_unit_id'), ['admin_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_finding_producer_item', ['producer_id', 'item_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_severity'), ['severity'], unique=False)
        batch_op.create_index('ix_finding_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index('uq_finding_visit_item_product', ['visit_id', 'item_code', 'product_key'], unique=True, sqlite_where=sa.text('item_code IS NOT NULL'), postgresql_where=sa.text('item_code IS NOT NULL'))

    op.create_table('corrective_action',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('finding_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_type', sa.String(length=20), nullable=False),
    sa.Column('owner_producer_id', sa.BigInteger(), nullable=True),
    sa.Column('owner_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('responded_by', sa.BigInteger(), nullable=True),
    sa.Column('verification_comment', sa.Text(), nullable=True),
    sa.Column('verified_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verified_by', sa.BigInteger(), nullable=True),
    sa.Column('rejections', sa.Integer(), server_default='0', nullable=False),
    sa.Column('overdue_notified_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('corrective', 'preventive')", name=op.f('ck_corrective_action_kind')),
    sa.CheckConstraint("owner_type IN ('producer', 'unit')", name=op.f('ck_corrective_action_owner_type')),
    sa.CheckConstraint("status IN ('open', 'responded', 'accepted')", name=op.f('ck_corrective_action_status')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_corrective_action_created_by_app_user')),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_corrective_action_finding_id_finding')),
    sa.ForeignKeyConstraint(['owner_producer_id'], ['producer.id'], name=op.f('fk_corrective_action_owner_producer_id_producer')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['admin_unit.id'], name=op.f('fk_corrective_action_owner_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['responded_by'], ['app_user.id'], name=op.f('fk_corrective_action_responded_by_app_user')),
    sa.ForeignKeyConstraint(['verified_by'], ['app_user.id'], name=op.f('fk_corrective_action_verified_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrective_action'))
    )
    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrective_action_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_action_owner_producer_id'), ['owner_producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_corrective_action_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_corrective_action_status_due', ['status', 'due_date'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('visit_id', sa.BigInteger(), nullable=True),
    sa.Column('item_code', sa.String(length=30), nullable=True),
    sa.Column('finding_id', sa.BigInteger(), nullable=True),
    sa.Column('action_id', sa.BigInteger(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=255), nullable=True),
    sa.Column('captured_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('uploaded_by', sa.BigInteger(), nullable=True),
    sa.Column('uploaded_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['corrective_action.id'], name=op.f('fk_evidence_action_id_corrective_action')),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_evidence_finding_id_finding')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['app_user.id'], name=op.f('fk_evidence_uploaded_by_app_user')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_evidence_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actual_start', ocop.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('actual_end', ocop.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendees', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('gps_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('gps_lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('gps_accuracy_m', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('record_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('approved_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('locked_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_visit_approved_by_app_user'), 'app_user', ['approved_by'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visit_approved_by_app_user'), type_='foreignkey')
        batch_op.drop_column('locked_at')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('record_note')
        batch_op.drop_column('gps_accuracy_m')
        batch_op.drop_column('gps_lon')
        batch_op.drop_column('gps_lat')
        batch_op.drop_column('attendees')
        batch_op.drop_column('actual_end')
        batch_op.drop_column('actual_start')

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_visit_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_finding_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_action_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.drop_index('ix_corrective_action_status_due')
        batch_op.drop_index(batch_op.f('ix_corrective_action_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_corrective_action_owner_producer_id'))
        batch_op.drop_index(batch_op.f('ix_corrective_action_finding_id'))

    op.drop_table('corrective_action')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('uq_finding_visit_item_product', sqlite_where=sa.text('item_code IS NOT NULL'), postgresql_where=sa.text('item_code IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_finding_visit_id'))
        batch_op.drop_index('ix_finding_status_id')
        batch_op.drop_index(batch_op.f('ix_finding_severity'))
        batch_op.drop_index(batch_op.f('ix_finding_product_id'))
        batch_op.drop_index('ix_finding_producer_item')
        batch_op.drop_index(batch_op.f('ix_finding_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_finding_admin_unit_id'))

    op.drop_table('finding')
    with op.batch_alter_table('checklist_answer', schema=None) as batch_op:
        batch_op.drop_index('uq_checklist_answer_visit_item_product')
        batch_op.drop_index(batch_op.f('ix_checklist_answer_product_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_answer_checklist_item_id'))

    op.drop_table('checklist_answer')
    with op.batch_alter_table('compliance_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compliance_status_status'))
        batch_op.drop_index(batch_op.f('ix_compliance_status_producer_id'))
        batch_op.drop_index(batch_op.f('ix_compliance_status_next_check_on'))
        batch_op.drop_index(batch_op.f('ix_compliance_status_admin_unit_id'))

    op.drop_table('compliance_status')
    with op.batch_alter_table('compliance_history', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_history_product_from')

    op.drop_table('compliance_history')
    with op.batch_alter_table('compliance_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compliance_change_txid'))
        batch_op.drop_index(batch_op.f('ix_compliance_change_product_id'))

    op.drop_table('compliance_change')
