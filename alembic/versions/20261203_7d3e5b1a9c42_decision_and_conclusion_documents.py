"""decision and conclusion documents: the decision establishing the team (QĐ) and the conclusion notices (TB kết
luận), issued and kept like the plan, the notices and the report

A conclusion notice is one unit's (scope_unit_id) or one producer's (scope_producer_id, new), never both. The producers'
versions are unique per (campaign, kind, producer, version) by their own partial index; the unscoped kinds' index
now requires both scopes NULL. The template kinds gain the two kinds.

Revision ID: 7d3e5b1a9c42
Revises: a7c3e1f05b92
Create Date: 2026-12-03 20:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7d3e5b1a9c42'
down_revision: str | None = 'a7c3e1f05b92'  # after the other helpers' revisions of today (chained to test)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ISSUED_OLD = "kind IN ('plan', 'notice', 'report')"
ISSUED_NEW = "kind IN ('plan', 'decision', 'notice', 'report', 'conclusion')"
TEMPLATE_OLD = "kind IN ('plan', 'notice', 'minutes', 'report')"
TEMPLATE_NEW = "kind IN ('plan', 'notice', 'minutes', 'report', 'decision', 'conclusion')"
UNSCOPED_OLD = "scope_unit_id IS NULL"
UNSCOPED_NEW = "scope_unit_id IS NULL AND scope_producer_id IS NULL"
PRODUCER = "scope_producer_id IS NOT NULL"


def _unscoped(where: str) -> None:
    op.create_index('ux_issued_document_unscoped', 'issued_document', ['campaign_id', 'kind', 'version'], unique=True,
                    postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def upgrade() -> None:
    op.drop_index('ux_issued_document_unscoped', table_name='issued_document')
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_producer_id', sa.BigInteger(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_issued_document_scope_producer_id_producer'), 'producer',
                                    ['scope_producer_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_issued_document_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_issued_document_kind'), ISSUED_NEW)
        batch_op.create_check_constraint(batch_op.f('ck_issued_document_one_scope'),
                                         "scope_unit_id IS NULL OR scope_producer_id IS NULL")
    _unscoped(UNSCOPED_NEW)
    op.create_index('ux_issued_document_producer', 'issued_document',
                    ['campaign_id', 'kind', 'scope_producer_id', 'version'], unique=True,
                    postgresql_where=sa.text(PRODUCER), sqlite_where=sa.text(PRODUCER))
    with op.batch_alter_table('document_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_template_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_document_template_kind'), TEMPLATE_NEW)


def downgrade() -> None:
    # the new kinds' templates and issued versions have no place in the older schema: the downgrade refuses to drop
    # them silently
    bind = op.get_bind()
    kept = bind.scalar(sa.text("SELECT count(*) FROM issued_document WHERE kind IN ('decision', 'conclusion')"))
    kept += bind.scalar(sa.text("SELECT count(*) FROM document_template WHERE kind IN ('decision', 'conclusion')"))
    if kept:
        raise RuntimeError(f"{kept} issued decisions, conclusion notices or their templates exist; the older schema "
                           "cannot keep them.")
    with op.batch_alter_table('document_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_template_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_document_template_kind'), TEMPLATE_OLD)
    op.drop_index('ux_issued_document_producer', table_name='issued_document',
                  postgresql_where=sa.text(PRODUCER), sqlite_where=sa.text(PRODUCER))
    op.drop_index('ux_issued_document_unscoped', table_name='issued_document')
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_issued_document_one_scope'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_issued_document_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_issued_document_kind'), ISSUED_OLD)
        batch_op.drop_constraint(batch_op.f('fk_issued_document_scope_producer_id_producer'), type_='foreignkey')
        batch_op.drop_column('scope_producer_id')
    _unscoped(UNSCOPED_OLD)
