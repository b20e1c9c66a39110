"""e-office documents

Revision ID: 07b9f0996bdb
Revises: 14976be94784
Create Date: 2026-11-29 16:08:45.501667
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = '07b9f0996bdb'
down_revision: str | None = '14976be94784'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('eoffice_document',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('document_id', sa.String(length=200), nullable=False),
    sa.Column('doc_type', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('sender_code', sa.String(length=60), nullable=False),
    sa.Column('response_for', sa.String(length=200), nullable=True),
    sa.Column('campaign_id', sa.BigInteger(), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_eoffice_document_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eoffice_document')),
    sa.UniqueConstraint('direction', 'document_id', name=op.f('uq_eoffice_document_direction_document_id'))
    )
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eoffice_document_campaign_id'), ['campaign_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eoffice_document_campaign_id'))

    op.drop_table('eoffice_document')
