"""e-office documents: a DocumentId is unique per direction and sender, not across senders

Two agencies may number their packages alike; a package from one was answered as a duplicate of the other's.
The new key (direction, sender_code, document_id) is what receiving claims first, so copies of one package that
arrive together make one record. Rows valid under the old key, unique on (direction, document_id), are unique
under the new one, so existing data cannot conflict.

Revision ID: 287909e05e4e
Revises: b40115e3b25e
Create Date: 2026-12-03 14:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '287909e05e4e'
down_revision: str | None = 'b40115e3b25e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_eoffice_document_direction_document_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_eoffice_document_direction_sender_code_document_id'),
                                          ['direction', 'sender_code', 'document_id'])


def downgrade() -> None:
    # packages of different senders with the same DocumentId cannot both stay under the old key: the later ones
    # get their sender prefixed to their DocumentId (nothing is deleted)
    op.execute(sa.text(
        "UPDATE eoffice_document SET document_id = sender_code || ':' || document_id WHERE id IN ("
        " SELECT d.id FROM eoffice_document d JOIN eoffice_document e ON e.direction = d.direction"
        " AND e.document_id = d.document_id AND e.id < d.id)"))
    with op.batch_alter_table('eoffice_document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_eoffice_document_direction_sender_code_document_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_eoffice_document_direction_document_id'),
                                          ['direction', 'document_id'])
