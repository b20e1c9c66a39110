"""evidence tied to the product it shows, with where it was taken (latitude, longitude, accuracy) and the
Idempotency-Key of its upload (a tablet sending it again gets the same evidence)

Revision ID: f4b8d2a6c1e7
Revises: ccb649a62b7f
Create Date: 2026-12-03 20:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f4b8d2a6c1e7'
down_revision: str | None = 'ccb649a62b7f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('accuracy_m', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('client_key', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evidence_product_id_product'), 'product', ['product_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_evidence_product_id'), ['product_id'], unique=False)
        batch_op.create_index('uq_evidence_uploader_client_key', ['uploaded_by', 'client_key'], unique=True,
                              sqlite_where=sa.text('client_key IS NOT NULL'),
                              postgresql_where=sa.text('client_key IS NOT NULL'))
        batch_op.create_check_constraint(batch_op.f('ck_evidence_latitude'),
                                         'latitude IS NULL OR (latitude >= -90 AND latitude <= 90)')
        batch_op.create_check_constraint(batch_op.f('ck_evidence_longitude'),
                                         'longitude IS NULL OR (longitude >= -180 AND longitude <= 180)')


def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evidence_longitude'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_evidence_latitude'), type_='check')
        batch_op.drop_index('uq_evidence_uploader_client_key')
        batch_op.drop_index(batch_op.f('ix_evidence_product_id'))
        batch_op.drop_constraint(batch_op.f('fk_evidence_product_id_product'), type_='foreignkey')
        batch_op.drop_column('client_key')
        batch_op.drop_column('accuracy_m')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('product_id')
