"""Keeps `finding_tally` and `action_tally` equal to the findings and actions they count.

Every flush that touches a Finding or a CorrectiveAction notes its (campaign, unit), before and after the
change; just before the transaction commits, the tallies of those (campaign, unit) pairs are counted again from
the rows, in the same transaction, so the counts can never drift. Counting one unit of one campaign reads tens or
hundreds of rows (index `ix_finding_campaign_unit`), so a write costs the same in a campaign of 20,000 findings
as in one of 20. On PostgreSQL concurrent recounts of one campaign take turns (a transaction-scoped advisory lock):
otherwise a recount that started before another committed would not see, and so not delete, the rows the other
inserted, and the tally would count twice. Loads that bypass the ORM (bulk COPY in benchmarks) call `rebuild`."""
from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from ocop.core.dates import today
from ocop.inspections.models import CorrectiveAction, Finding

from .models import ActionTally, FindingTally

_PAIRS, _FINDINGS = "ocop_tally_pairs", "ocop_tally_findings"
# more (campaign, unit) pairs than this in one transaction (a bulk change): count their campaigns whole instead
MAX_PAIRS = 200
# the first key of the advisory lock that orders recounts of one campaign (PostgreSQL)
LOCK_NAMESPACE = 7_301


def _values(obj: Any, attr: str) -> set[Any]:
    """The attribute's value now and, for a changed object, before the flush."""
    history = sa_inspect(obj).attrs[attr].history
    return {getattr(obj, attr), *history.deleted}


@event.listens_for(OrmSession, "after_flush")
def _note(session: OrmSession, _context: Any) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Finding):
            session.info.setdefault(_PAIRS, set()).update(
                (c, u) for c in _values(obj, "campaign_id") for u in _values(obj, "admin_unit_id"))
        elif isinstance(obj, CorrectiveAction):
            session.info.setdefault(_FINDINGS, set()).update(_values(obj, "finding_id"))


@event.listens_for(OrmSession, "before_commit")
def _recount_before_commit(session: OrmSession) -> None:
    if not (session.info.get(_PAIRS) or session.info.get(_FINDINGS) or session.new or session.dirty
            or session.deleted):
        return
    session.flush()
    pairs: set[tuple[int, int | None]] = session.info.pop(_PAIRS, set())
    findings: set[int] = session.info.pop(_FINDINGS, set())
    if findings:
        pairs |= {(c, u) for c, u in session.execute(sa.select(col(Finding.campaign_id), col(Finding.admin_unit_id))
                                                     .where(col(Finding.id).in_(findings)))}
    pairs = {(c, u) for c, u in pairs if c is not None}
    if len(pairs) > MAX_PAIRS:
        recount(session.connection(), {c for c, _ in pairs})
    elif pairs:
        recount_units(session.connection(), pairs)


@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_PAIRS, None)
    session.info.pop(_FINDINGS, None)


def _lock(conn: sa.Connection, campaign_ids: Iterable[int]) -> None:
    """PostgreSQL: wait for other transactions recounting these campaigns to finish (in id order: no deadlock)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite lets one writer at a time
    for cid in sorted(set(campaign_ids)):
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_NAMESPACE, sa.cast(cid % 2_147_483_647, sa.Integer))))


def _count(conn: sa.Connection, where_tally: Any, where_finding: Any) -> None:
    """Delete the selected tally rows and insert them counted again from the findings and actions they cover."""
    ft, at = FindingTally.__table__, ActionTally.__table__  # type: ignore[attr-defined]
    f, a = Finding.__table__, CorrectiveAction.__table__  # type: ignore[attr-defined]
    day = today()
    conn.execute(ft.delete().where(where_tally(ft)))
    conn.execute(at.delete().where(where_tally(at)))
    findings = (sa.select(f.c.campaign_id, f.c.admin_unit_id, f.c.category, f.c.severity, sa.func.count())
                .where(f.c.status != "dismissed", where_finding(f))
                .group_by(f.c.campaign_id, f.c.admin_unit_id, f.c.category, f.c.severity))
    late = sa.and_(a.c.status == "open", a.c.due_date < day)
    actions = (sa.select(f.c.campaign_id, f.c.admin_unit_id, a.c.status, late, sa.literal(day, sa.Date),
                         sa.func.count())
               .select_from(a.join(f, f.c.id == a.c.finding_id)).where(f.c.status != "dismissed", where_finding(f))
               .group_by(f.c.campaign_id, f.c.admin_unit_id, a.c.status, late))
    conn.execute(ft.insert().from_select(["campaign_id", "admin_unit_id", "category", "severity", "n"], findings))
    conn.execute(at.insert().from_select(["campaign_id", "admin_unit_id", "status", "overdue", "counted_on", "n"],
                                         actions))


def recount_units(conn: sa.Connection, pairs: Iterable[tuple[int, int | None]]) -> None:
    """Count again the findings and actions of these (campaign, administrative unit) pairs."""
    chosen = sorted(set(pairs), key=lambda p: (p[0], p[1] or 0))
    _lock(conn, (c for c, _ in chosen))

    def where(t: sa.Table) -> Any:
        return sa.or_(*(sa.and_(t.c.campaign_id == c, t.c.admin_unit_id.is_(None) if u is None
                                else t.c.admin_unit_id == u) for c, u in chosen))

    _count(conn, where, where)


def recount(conn: sa.Connection, campaign_ids: Iterable[int] | None) -> None:
    """Count the campaigns' findings and actions again (every campaign when None)."""
    ids = sorted(set(campaign_ids)) if campaign_ids is not None else None
    if ids is None:
        _count(conn, lambda t: sa.true(), lambda t: sa.true())  # every campaign: rebuild, nothing else runs
        return
    _lock(conn, ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]

        def where(t: sa.Table, chunk: list[int] = chunk) -> Any:
            return t.c.campaign_id.in_(chunk)

        _count(conn, where, where)


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
