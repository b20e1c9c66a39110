"""Keeps `finding_tally` and `action_tally` equal to the findings and actions they count.

Every flush that touches a Finding or a CorrectiveAction notes its campaign; just before the transaction
commits, those campaigns' tallies are counted again from the rows, in the same transaction (a campaign holds
thousands of findings, so this costs milliseconds, and the counts can never drift). Loads that bypass the ORM
(bulk COPY in benchmarks) call `rebuild`."""
from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from ocop.core.dates import today
from ocop.inspections.models import CorrectiveAction, Finding

from .models import ActionTally, FindingTally

_CAMPAIGNS, _FINDINGS = "ocop_tally_campaigns", "ocop_tally_findings"


@event.listens_for(OrmSession, "after_flush")
def _note(session: OrmSession, _context: Any) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Finding):
            session.info.setdefault(_CAMPAIGNS, set()).add(obj.campaign_id)
        elif isinstance(obj, CorrectiveAction):
            session.info.setdefault(_FINDINGS, set()).add(obj.finding_id)


@event.listens_for(OrmSession, "before_commit")
def _recount_before_commit(session: OrmSession) -> None:
    if not (session.info.get(_CAMPAIGNS) or session.info.get(_FINDINGS) or session.new or session.dirty
            or session.deleted):
        return
    session.flush()
    campaigns: set[int] = session.info.pop(_CAMPAIGNS, set())
    findings: set[int] = session.info.pop(_FINDINGS, set())
    if findings:
        campaigns |= set(session.scalars(sa.select(col(Finding.campaign_id)).where(col(Finding.id).in_(findings))))
    if campaigns:
        recount(session.connection(), campaigns)


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_CAMPAIGNS, None)
    session.info.pop(_FINDINGS, None)


def recount(conn: sa.Connection, campaign_ids: Iterable[int] | None) -> None:
    """Count the campaigns' findings and actions again (every campaign when None)."""
    ids = sorted(set(campaign_ids)) if campaign_ids is not None else None
    ft, at = FindingTally.__table__, ActionTally.__table__  # type: ignore[attr-defined]
    f, a = Finding.__table__, CorrectiveAction.__table__  # type: ignore[attr-defined]
    day = today()
    chunks = [ids[i:i + 500] for i in range(0, len(ids), 500)] if ids is not None else [None]
    for chunk in chunks:
        conn.execute(ft.delete().where(ft.c.campaign_id.in_(chunk)) if chunk is not None else ft.delete())
        conn.execute(at.delete().where(at.c.campaign_id.in_(chunk)) if chunk is not None else at.delete())
        findings = (sa.select(f.c.campaign_id, f.c.admin_unit_id, f.c.category, f.c.severity, sa.func.count())
                    .where(f.c.status != "dismissed")
                    .group_by(f.c.campaign_id, f.c.admin_unit_id, f.c.category, f.c.severity))
        late = sa.and_(a.c.status == "open", a.c.due_date < day)
        actions = (sa.select(f.c.campaign_id, f.c.admin_unit_id, a.c.status, late, sa.literal(day, sa.Date),
                             sa.func.count())
                   .select_from(a.join(f, f.c.id == a.c.finding_id)).where(f.c.status != "dismissed")
                   .group_by(f.c.campaign_id, f.c.admin_unit_id, a.c.status, late))
        if chunk is not None:
            findings = findings.where(f.c.campaign_id.in_(chunk))
            actions = actions.where(f.c.campaign_id.in_(chunk))
        conn.execute(ft.insert().from_select(["campaign_id", "admin_unit_id", "category", "severity", "n"], findings))
        conn.execute(at.insert().from_select(["campaign_id", "admin_unit_id", "status", "overdue", "counted_on", "n"],
                                             actions))


def rebuild(conn: sa.Connection) -> None:
    recount(conn, None)


def refresh_stale(session: Session) -> int:
    """Count again the campaigns whose actions were counted before today (an action may have fallen due since);
    the daily job does it after midnight, a read does it if the job has not run. Returns how many."""
    stale = set(session.scalars(sa.select(col(ActionTally.campaign_id)).where(
        col(ActionTally.counted_on) < today()).distinct()))
    if stale:
        recount(session.connection(), stale)
        session.commit()
    return len(stale)
