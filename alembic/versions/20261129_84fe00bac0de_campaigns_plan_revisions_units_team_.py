"""campaigns: plan, revisions, units, team, visits, tasks, local reports, checklists, outbox

Revision ID: 84fe00bac0de
Revises: 79fa59207b45
Create Date: 2026-11-29 14:18:51.940609
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = '84fe00bac0de'
down_revision: str | None = '79fa59207b45'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('checklist_template',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('based_on_id', sa.BigInteger(), nullable=True),
    sa.Column('campaign_id', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'frozen')", name=op.f('ck_checklist_template_status')),
    sa.ForeignKeyConstraint(['based_on_id'], ['checklist_template.id'], name=op.f('fk_checklist_template_based_on_id_checklist_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_checklist_template_code_version'))
    )
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('outbox_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('aggregate_type', sa.String(length=40), nullable=False),
    sa.Column('aggregate_id', sa.String(length=60), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('occurred_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_event_aggregate', ['aggregate_type', 'aggregate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_event_event_type'), ['event_type'], unique=False)

    op.create_table('checklist_item',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('template_id', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('content_area', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('applies_to', sa.String(length=30), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=True),
    sa.Column('legal_reference', sa.Text(), nullable=True),
    sa.Column('answer_type', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("answer_type IN ('yes_no_na', 'number', 'text', 'photo')", name=op.f('ck_checklist_item_answer_type')),
    sa.CheckConstraint("evidence IN ('none', 'document', 'photo')", name=op.f('ck_checklist_item_evidence')),
    sa.CheckConstraint("severity IN ('observation', 'minor', 'major', 'critical')", name=op.f('ck_checklist_item_severity')),
    sa.CheckConstraint('content_area >= 1', name=op.f('ck_checklist_item_content_area')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_checklist_item_template_id_checklist_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_item')),
    sa.UniqueConstraint('template_id', 'code', name=op.f('uq_checklist_item_template_id_code'))
    )
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_item_template_id'), ['template_id'], unique=False)

    op.create_table('campaign',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=10), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('issuing_agency_id', sa.BigInteger(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('search_title', sa.String(length=500), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=True),
    sa.Column('legal_bases', sa.JSON(), nullable=False),
    sa.Column('purposes', sa.JSON(), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('content_areas', sa.JSON(), nullable=False),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('team_composition', sa.JSON(), nullable=False),
    sa.Column('counterparts', sa.JSON(), nullable=False),
    sa.Column('period', sa.JSON(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('closing', sa.Text(), nullable=True),
    sa.Column('signer_prefix', sa.String(length=10), nullable=True),
    sa.Column('signer_title', sa.String(length=200), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('checklist_template_id', sa.BigInteger(), nullable=True),
    sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('issued_by', sa.BigInteger(), nullable=True),
    sa.Column('issued_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'issued', 'in_progress', 'reporting', 'closed', 'cancelled')", name=op.f('ck_campaign_status')),
    sa.ForeignKeyConstraint(['checklist_template_id'], ['checklist_template.id'], name=op.f('fk_campaign_checklist_template_id_checklist_template')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_campaign_created_by_app_user')),
    sa.ForeignKeyConstraint(['issued_by'], ['app_user.id'], name=op.f('fk_campaign_issued_by_app_user')),
    sa.ForeignKeyConstraint(['issuing_agency_id'], ['agency.id'], name=op.f('fk_campaign_issuing_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    sa.UniqueConstraint('issuing_agency_id', 'document_number', name=op.f('uq_campaign_issuing_agency_id_document_number'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_checklist_template_id'), ['checklist_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_issuing_agency_id'), ['issuing_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_year'), ['year'], unique=False)

    # the checklist ↔ campaign cycle: this key is added once both tables exist
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_checklist_template_campaign_id_campaign'), 'campaign',
                                    ['campaign_id'], ['id'])

    op.create_table('campaign_revision',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_revision_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_campaign_revision_created_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_revision')),
    sa.UniqueConstraint('campaign_id', 'revision', name=op.f('uq_campaign_revision_campaign_id_revision'))
    )
    with op.batch_alter_table('campaign_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_revision_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_task',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('assignee_agency_id', sa.BigInteger(), nullable=True),
    sa.Column('assignee_user_id', sa.BigInteger(), nullable=True),
    sa.Column('assignee_label', sa.String(length=300), nullable=True),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('due_date_manual', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')", name=op.f('ck_campaign_task_status')),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_campaign_task_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['assignee_agency_id'], ['agency.id'], name=op.f('fk_campaign_task_assignee_agency_id_agency')),
    sa.ForeignKeyConstraint(['assignee_user_id'], ['app_user.id'], name=op.f('fk_campaign_task_assignee_user_id_app_user')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_task_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_task'))
    )
    with op.batch_alter_table('campaign_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_task_admin_unit_id'), ['admin_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_task_assignee_agency_id'), ['assignee_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_task_assignee_user_id'), ['assignee_user_id'], unique=False)
        batch_op.create_index('ix_campaign_task_campaign_position', ['campaign_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_task_due_date'), ['due_date'], unique=False)
        batch_op.create_index('uq_campaign_task_unit_report', ['campaign_id', 'admin_unit_id'], unique=True, sqlite_where=sa.text("kind = 'local_report'"), postgresql_where=sa.text("kind = 'local_report'"))

    op.create_table('campaign_unit',
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_campaign_unit_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_unit_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'admin_unit_id', name=op.f('pk_campaign_unit'))
    )
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_unit_admin_unit_id'), ['admin_unit_id'], unique=False)

    op.create_table('local_report',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('difficulties', sa.Text(), nullable=True),
    sa.Column('recommendations', sa.Text(), nullable=True),
    sa.Column('submitted_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.BigInteger(), nullable=True),
    sa.Column('reviewed_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.BigInteger(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'returned')", name=op.f('ck_local_report_status')),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_local_report_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_local_report_agency_id_agency')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_local_report_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_local_report_created_by_app_user')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['app_user.id'], name=op.f('fk_local_report_reviewed_by_app_user')),
    sa.ForeignKeyConstraint(['submitted_by'], ['app_user.id'], name=op.f('fk_local_report_submitted_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_report')),
    sa.UniqueConstraint('campaign_id', 'admin_unit_id', name=op.f('uq_local_report_campaign_id_admin_unit_id'))
    )
    with op.batch_alter_table('local_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_report_admin_unit_id'), ['admin_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_local_report_agency_id'), ['agency_id'], unique=False)

    op.create_table('team_member',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('agency_id', sa.BigInteger(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('invited_as_needed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("role IN ('head', 'deputy', 'member', 'secretary')", name=op.f('ck_team_member_role')),
    sa.CheckConstraint('user_id IS NOT NULL OR full_name IS NOT NULL', name=op.f('ck_team_member_who')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_team_member_agency_id_agency')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_team_member_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_team_member_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member'))
    )
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_member_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_member_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_team_member_head', ['campaign_id'], unique=True, sqlite_where=sa.text("role = 'head'"), postgresql_where=sa.text("role = 'head'"))
        batch_op.create_index('uq_team_member_user', ['campaign_id', 'user_id'], unique=True)

    op.create_table('visit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=False),
    sa.Column('host_agency_id', sa.BigInteger(), nullable=True),
    sa.Column('programme', sa.Text(), nullable=True),
    sa.Column('counterparts', sa.JSON(), nullable=False),
    sa.Column('team_member_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('working_session', 'site_visit')", name=op.f('ck_visit_kind')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_visit_times')),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_visit_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_visit_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['host_agency_id'], ['agency.id'], name=op.f('fk_visit_host_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_admin_unit_id'), ['admin_unit_id'], unique=False)
        batch_op.create_index('ix_visit_campaign_starts', ['campaign_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_host_agency_id'), ['host_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_status'), ['status'], unique=False)

    op.create_table('local_report_attachment',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.BigInteger(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['local_report.id'], name=op.f('fk_local_report_attachment_report_id_local_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['app_user.id'], name=op.f('fk_local_report_attachment_uploaded_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_report_attachment'))
    )
    with op.batch_alter_table('local_report_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_report_attachment_report_id'), ['report_id'], unique=False)

    op.create_table('visit_target',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('visit_id', sa.BigInteger(), nullable=False),
    sa.Column('producer_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_visit_target_producer_id_producer')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_visit_target_product_id_product')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_target_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_target')),
    sa.UniqueConstraint('visit_id', 'producer_id', 'product_id', name=op.f('uq_visit_target_visit_id_producer_id_product_id'))
    )
    with op.batch_alter_table('visit_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_target_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_target_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_target_visit_id'), ['visit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visit_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_target_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_target_product_id'))
        batch_op.drop_index(batch_op.f('ix_visit_target_producer_id'))

    op.drop_table('visit_target')
    with op.batch_alter_table('local_report_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_report_attachment_report_id'))

    op.drop_table('local_report_attachment')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_status'))
        batch_op.drop_index(batch_op.f('ix_visit_starts_at'))
        batch_op.drop_index(batch_op.f('ix_visit_host_agency_id'))
        batch_op.drop_index('ix_visit_campaign_starts')
        batch_op.drop_index(batch_op.f('ix_visit_admin_unit_id'))

    op.drop_table('visit')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index('uq_team_member_user')
        batch_op.drop_index('uq_team_member_head', sqlite_where=sa.text("role = 'head'"), postgresql_where=sa.text("role = 'head'"))
        batch_op.drop_index(batch_op.f('ix_team_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_team_member_agency_id'))

    op.drop_table('team_member')
    with op.batch_alter_table('local_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_report_agency_id'))
        batch_op.drop_index(batch_op.f('ix_local_report_admin_unit_id'))

    op.drop_table('local_report')
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_unit_admin_unit_id'))

    op.drop_table('campaign_unit')
    with op.batch_alter_table('campaign_task', schema=None) as batch_op:
        batch_op.drop_index('uq_campaign_task_unit_report', sqlite_where=sa.text("kind = 'local_report'"), postgresql_where=sa.text("kind = 'local_report'"))
        batch_op.drop_index(batch_op.f('ix_campaign_task_due_date'))
        batch_op.drop_index('ix_campaign_task_campaign_position')
        batch_op.drop_index(batch_op.f('ix_campaign_task_assignee_user_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_task_assignee_agency_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_task_admin_unit_id'))

    op.drop_table('campaign_task')
    with op.batch_alter_table('campaign_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_revision_campaign_id'))

    op.drop_table('campaign_revision')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_year'))
        batch_op.drop_index(batch_op.f('ix_campaign_status'))
        batch_op.drop_index(batch_op.f('ix_campaign_issuing_agency_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_checklist_template_id'))

    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checklist_template_campaign_id_campaign'), type_='foreignkey')
    op.drop_table('campaign')
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_item_template_id'))

    op.drop_table('checklist_item')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_event_type'))
        batch_op.drop_index('ix_outbox_event_aggregate')

    op.drop_table('outbox_event')
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_campaign_id'))

    op.drop_table('checklist_template')
