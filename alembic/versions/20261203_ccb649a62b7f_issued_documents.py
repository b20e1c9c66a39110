"""issued documents: each issued version of a campaign's plan, notices and report, kept as issued

A document is drafted, then issued with the number and date the clerk takes from the agency's register; the exact
.docx of each issued version is kept in storage (and its PDF once made) and served as issued. A correction is a new
version; the earlier ones stay readable. The kinds are listed in a check constraint that later kinds (the decision
establishing the team, the conclusion notices) extend.

Revision ID: ccb649a62b7f
Revises: d1f4a7c2e9b3
Create Date: 2026-12-03 19:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = 'ccb649a62b7f'
down_revision: str | None = 'd1f4a7c2e9b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('issued_document',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_storage_key', sa.String(length=255), nullable=True),
    sa.Column('template_id', sa.BigInteger(), nullable=True),
    sa.Column('issued_by', sa.BigInteger(), nullable=True),
    sa.Column('issued_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('pending_content', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("kind IN ('plan', 'notice', 'report')", name=op.f('ck_issued_document_kind')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_issued_document_version_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_issued_document_campaign_id_campaign'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by'], ['app_user.id'], name=op.f('fk_issued_document_issued_by_app_user')),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['admin_unit.id'],
                            name=op.f('fk_issued_document_scope_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['template_id'], ['document_template.id'],
                            name=op.f('fk_issued_document_template_id_document_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document')),
    sa.UniqueConstraint('campaign_id', 'kind', 'scope_unit_id', 'version',
                        name=op.f('uq_issued_document_campaign_id_kind_scope_unit_id_version'))
    )
    op.create_index('ix_issued_document_number', 'issued_document', ['number'], unique=False)
    op.create_index('ux_issued_document_unscoped', 'issued_document', ['campaign_id', 'kind', 'version'], unique=True,
                    postgresql_where=sa.text('scope_unit_id IS NULL'), sqlite_where=sa.text('scope_unit_id IS NULL'))


def downgrade() -> None:
    # issued versions still waiting for storage keep their bytes nowhere else: the downgrade refuses to drop them
    bind = op.get_bind()
    waiting = bind.scalar(sa.text("SELECT count(*) FROM issued_document WHERE pending_content IS NOT NULL"))
    if waiting:
        raise RuntimeError(f"{waiting} issued documents are not yet in storage; download them once storage is "
                           "writable, then downgrade.")
    op.drop_index('ux_issued_document_unscoped', table_name='issued_document',
                  postgresql_where=sa.text('scope_unit_id IS NULL'), sqlite_where=sa.text('scope_unit_id IS NULL'))
    op.drop_index('ix_issued_document_number', table_name='issued_document')
    op.drop_table('issued_document')
