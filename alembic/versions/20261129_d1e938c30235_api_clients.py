"""API clients: partner systems with hashed secrets, scopes, unit limits, rotation and revocation

Revision ID: d1e938c30235
Revises: c334f84712d1
Create Date: 2026-11-29 15:20:22.084567
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ocop.core.db

revision: str = 'd1e938c30235'
down_revision: str | None = 'c334f84712d1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_client',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.BigInteger(), nullable=True),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('admin_unit_id', sa.BigInteger(), nullable=True),
    sa.Column('secret_hash', sa.String(length=255), nullable=False),
    sa.Column('previous_secret_hash', sa.String(length=255), nullable=True),
    sa.Column('previous_secret_until', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', ocop.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ocop.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['admin_unit_id'], ['admin_unit.id'], name=op.f('fk_api_client_admin_unit_id_admin_unit')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_api_client_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_api_client_created_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('client_id', name=op.f('uq_api_client_client_id'))
    )
    with op.batch_alter_table('api_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_client_agency_id'), ['agency_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_client_agency_id'))

    op.drop_table('api_client')
