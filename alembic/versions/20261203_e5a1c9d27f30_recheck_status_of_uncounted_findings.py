"""compliance: statuses that counted findings of unissued campaigns are checked again

Only findings of issued plans (issued, in progress, reporting, closed) count toward a product's compliance now.
Statuses stored before may count findings of a draft, submitted or cancelled campaign: their next check is set to
a past day, so the first read (the fast lane passes them to the route, which recomputes), the list and the daily
job bring them up to date. Data only; nothing to undo.

Revision ID: e5a1c9d27f30
Revises: 41b9c2c01eb8
Create Date: 2026-12-03 16:00:00.000000
"""
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = 'e5a1c9d27f30'
down_revision: str | None = '41b9c2c01eb8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECHECK = sa.text(
    "UPDATE compliance_status SET next_check_on = :day WHERE product_id IN ("
    " SELECT f.product_id FROM finding f JOIN campaign c ON c.id = f.campaign_id"
    " WHERE f.product_id IS NOT NULL AND c.status NOT IN ('issued', 'in_progress', 'reporting', 'closed'))"
    " OR producer_id IN ("
    " SELECT f.producer_id FROM finding f JOIN campaign c ON c.id = f.campaign_id"
    " WHERE f.product_id IS NULL AND c.status NOT IN ('issued', 'in_progress', 'reporting', 'closed'))"
).bindparams(sa.bindparam("day", date(2000, 1, 1), type_=sa.Date()))


def upgrade() -> None:
    op.get_bind().execute(RECHECK)


def downgrade() -> None:
    pass  # the statuses were only marked for a check; the check itself is right under either code
