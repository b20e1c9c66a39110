"""e-office documents: DocumentType as received, the recognised kind, and the inbox (state, reason, header)

Packages that cannot be acted on automatically are kept in the inbox (state `waiting`) instead of being refused.
Existing rows: sent packages get state `sent`, received ones `taken`; their kind is read from the old letter codes.

Revision ID: c3e0f2a9d417
Revises: e5a1c9d27f30
Create Date: 2026-12-03 15:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c3e0f2a9d417'
down_revision: str | None = 'e5a1c9d27f30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('type_detail', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('type_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='taken', nullable=False))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('header', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_eoffice_document_state'), ['state'], unique=False)
    op.execute(sa.text("UPDATE eoffice_document SET state = 'sent' WHERE direction = 'out'"))
    for code, kind in (("KH", "plan"), ("TB", "notice"), ("BC", "report")):
        op.execute(sa.text("UPDATE eoffice_document SET kind = :kind WHERE doc_type = :code")
                   .bindparams(kind=kind, code=code))


def downgrade() -> None:
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eoffice_document_state'))
        batch_op.drop_column('header')
        batch_op.drop_column('reason')
        batch_op.drop_column('state')
        batch_op.drop_column('kind')
        batch_op.drop_column('type_name')
        batch_op.drop_column('type_detail')
