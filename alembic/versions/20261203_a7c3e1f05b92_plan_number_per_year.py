"""plan numbers per year: an agency's register starts again each year

The plan number was unique per agency for ever, so "01/KH-SNN" could not be used again in the next year, as the
registers do. It is now unique per agency and year of the plan's date (an expression index).

Revision ID: a7c3e1f05b92
Revises: f4b8d2a6c1e7
Create Date: 2026-12-03 21:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a7c3e1f05b92'
down_revision: str | None = 'f4b8d2a6c1e7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('campaign') as batch_op:
        batch_op.drop_constraint('uq_campaign_issuing_agency_id_document_number', type_='unique')
    op.create_index('ux_campaign_plan_number', 'campaign',
                    ['issuing_agency_id', 'document_number', sa.func.extract('year', sa.column('document_date'))],
                    unique=True)


def downgrade() -> None:
    op.drop_index('ux_campaign_plan_number', table_name='campaign')
    with op.batch_alter_table('campaign') as batch_op:
        batch_op.create_unique_constraint('uq_campaign_issuing_agency_id_document_number',
                                          ['issuing_agency_id', 'document_number'])
