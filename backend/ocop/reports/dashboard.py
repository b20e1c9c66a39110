"""The dashboard's figures: grouped counts over what the caller may see, filtered by period and unit.

Each figure is one grouped query with the visibility filter in its WHERE clause (never an id list); findings are
counted in one pass grouped by (category, severity, unit) and summed per dimension here."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.campaigns import policies as campaign_policies
from ocop.campaigns.models import Campaign, Visit
from ocop.compliance import service as compliance_service
from ocop.compliance.models import ComplianceStatus
from ocop.core.caller import Caller
from ocop.core.dates import add_months, today
from ocop.core.errors import field_error
from ocop.inspections import policies as inspection_policies
from ocop.inspections import service as inspection_service
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit
from ocop.registry import policies as registry_policies
from ocop.registry import service as registry_service
from ocop.registry.models import Certificate, Producer, Product, ProductGroup, ProductSet

from . import policies, tally
from .models import ActionTally, FindingTally
from .schemas import CampaignProgress, CountRow, Dashboard, MonthCount, UnitCountRow

DONE_VISITS = ("submitted", "approved", "locked")
LEFT_OUT = ("draft", "cancelled")  # campaigns the dashboard does not show, nor count the findings of


def _shown_campaigns(caller: Caller) -> sa.Select[Any]:
    """Ids of the campaigns whose findings and actions the caller's figures count: those the caller sees (what a
    caller may not see of a campaign they may not count of its findings), drafts and cancelled ones left out."""
    return sa.select(col(Campaign.id)).where(campaign_policies.visible_campaigns(caller),
                                             col(Campaign.status).not_in(LEFT_OUT))


def _rows(counter: Counter[Any], labels: dict[str, str]) -> list[CountRow]:
    return [CountRow(key=str(k), label=labels.get(str(k), str(k)), count=n)
            for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _unit_rows(session: Session, counter: Counter[int | None]) -> list[UnitCountRow]:
    names = dict(session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name)).where(
        col(AdminUnit.id).in_([u for u in counter if u is not None]))).all()) if counter else {}
    return [UnitCountRow(admin_unit_id=u, name=names.get(u, "—") if u else "—", count=n)
            for u, n in sorted(counter.items(), key=lambda kv: -kv[1])]


def build(session: Session, caller: Caller, period_from: date | None, period_to: date | None,
          unit_id: int | None) -> Dashboard:
    if period_from and period_to and period_from > period_to:
        raise field_error("from", "The period starts after it ends.")
    if unit_id is not None and session.get(AdminUnit, unit_id) is None:
        raise field_error("unit_id", f"Administrative unit {unit_id} does not exist.")
    day = today()
    within = org_policies.units_within(unit_id) if unit_id is not None else None

    # products and certificates (current certificate of each active product)
    product_filter = [registry_policies.visible_producers(caller), col(Product.status) == "active"]
    if within is not None:
        product_filter.append(col(Producer.admin_unit_id).in_(within))
    horizon = add_months(day, 12)
    status = sa.case(*[(registry_service.status_condition(k, day), k)
                       for k in ("revoked", "superseded", "expired", "expiring", "valid")], else_=sa.null())
    due_soon = sa.case((sa.and_(registry_service.status_condition("valid", day) |
                                registry_service.status_condition("expiring", day),
                                col(Certificate.valid_to) < horizon), col(Certificate.valid_to)), else_=sa.null())
    due_year, due_month = sa.extract("year", due_soon), sa.extract("month", due_soon)
    base = (sa.select().select_from(Product).join(Producer, col(Producer.id) == col(Product.producer_id))
            .outerjoin(Certificate, col(Certificate.id) == col(Product.current_certificate_id)).where(*product_filter))

    def grouped(*columns: Any) -> list[Any]:
        """One small grouped read per figure: each returns a handful of rows."""
        return list(session.execute(base.add_columns(*columns, sa.func.count()).group_by(*columns)).all())

    sets = {sid: (num, name) for sid, num, name in session.execute(
        sa.select(col(ProductSet.id), col(ProductGroup.number), col(ProductGroup.name))
        .join(ProductGroup, col(ProductGroup.id) == col(ProductSet.group_id))).all()}
    stars: Counter[Any] = Counter()
    groups: Counter[Any] = Counter()
    group_names: dict[str, str] = {}
    by_unit: Counter[int | None] = Counter(dict(grouped(col(Producer.admin_unit_id))))  # type: ignore[arg-type]
    certs: Counter[str] = Counter()
    calendar: Counter[str] = Counter()
    for set_id, n in grouped(col(Product.product_set_id)):
        gnum, gname = sets.get(set_id, (None, None))
        key = str(gnum) if gnum else "none"
        groups[key] += n
        group_names[key] = f"Nhóm {gnum}: {gname}" if gnum else "Chưa phân nhóm"
    for s, cert_status, year, month, n in grouped(col(Certificate.stars), status, due_year, due_month):
        stars[f"{s}" if s and cert_status in ("valid", "expiring") else "none"] += n
        if cert_status:
            certs[cert_status] += n
        if year is not None:
            calendar[f"{int(year):04d}-{int(month):02d}"] += n
    months = []
    cursor = date(day.year, day.month, 1)
    for _ in range(12):
        key = f"{cursor:%Y-%m}"
        months.append(MonthCount(month=key, count=calendar.get(key, 0)))
        cursor = add_months(cursor, 1)

    # findings and actions: two grouped reads of the tallies; the period selects campaigns, and the findings and
    # actions counted are those of the campaigns selected
    tally.refresh_stale(session)
    a_rows = _action_rows(session, caller, within)
    all_campaigns = _campaigns(session, caller, within, _finding_counts(session, caller, within, None,
                                                                        "campaign_id")["campaign_id"], a_rows)
    in_period = [c for c in all_campaigns if _overlaps(c, period_from, period_to)]
    chosen = {p.campaign_id for p, _ in in_period} if period_from or period_to else None
    counts = _finding_counts(session, caller, within, chosen, "category", "severity", "admin_unit_id")
    by_cat, by_sev, f_unit = counts["category"], counts["severity"], counts["admin_unit_id"]
    overdue = sum(n for cid, status, late, n in a_rows if late and (chosen is None or cid in chosen))

    # compliance distribution
    comp_filter = [registry_policies.visible_producers(caller)]
    if within is not None:
        comp_filter.append(col(ComplianceStatus.admin_unit_id).in_(within))
    compliance = Counter(dict(session.execute(
        sa.select(col(ComplianceStatus.status), sa.func.count())
        .join(Producer, col(Producer.id) == col(ComplianceStatus.producer_id))
        .where(*comp_filter).group_by(col(ComplianceStatus.status))).all()))

    return Dashboard(
        as_of=day, period_from=period_from, period_to=period_to, admin_unit_id=unit_id,
        products_by_stars=_rows(stars, {"3": "3 sao", "4": "4 sao", "5": "5 sao",
                                        "none": "Chưa có hoặc không còn chứng nhận"}),
        products_by_group=_rows(groups, group_names),
        products_by_unit=_unit_rows(session, by_unit),
        certificates=_rows(certs, registry_service.CERTIFICATE_STATUS_VI), expiry_calendar=months,
        campaigns=[p for p, _ in in_period],
        findings_by_category=_rows(by_cat, inspection_service.CATEGORY_VI),
        findings_by_severity=_rows(by_sev, inspection_service.SEVERITY_VI), findings_by_unit=_unit_rows(session, f_unit),
        findings_total=sum(by_sev.values()), actions_overdue=overdue,
        compliance=_rows(compliance, compliance_service.STATUS_VI),
        trend=[p for p, _ in sorted(all_campaigns, key=lambda pc: (pc[0].year, pc[0].campaign_id))],
    )


def _overlaps(pc: tuple[CampaignProgress, tuple[date | None, date | None]], start: date | None,
              end: date | None) -> bool:
    p, (first, last) = pc
    if start is None and end is None:
        return True
    first = first or date(p.year, 1, 1)
    last = last or date(p.year, 12, 31)
    return (end is None or first <= end) and (start is None or last >= start)


def _finding_counts(session: Session, caller: Caller, within: Any, campaigns: set[int] | None,
                    *dimensions: str) -> dict[str, Counter[Any]]:
    """Counts of the findings the caller may see (not dismissed), one small grouped read per dimension
    ('campaign_id', 'admin_unit_id', 'category', 'severity'): from the tally where visibility is by campaign or
    unit, from the findings themselves where it is by producer. `campaigns` limits to those campaigns."""
    rule = policies.tally_visibility(caller, col(FindingTally.campaign_id), col(FindingTally.admin_unit_id))
    if rule is not None:
        table: Any = FindingTally
        count: Any = sa.func.sum(col(FindingTally.n))
        where = [rule]
    else:
        table, count = Finding, sa.func.count()
        where = [inspection_policies.visible_findings(caller), col(Finding.status) != "dismissed"]
    where.append(col(table.campaign_id).in_(_shown_campaigns(caller)))
    if within is not None:
        where.append(col(table.admin_unit_id).in_(within))
    if campaigns is not None:
        where.append(col(table.campaign_id).in_(campaigns))
    out: dict[str, Counter[Any]] = {}
    for dim in dimensions:
        column = col(getattr(table, dim))
        out[dim] = Counter({k: int(n) for k, n in session.execute(
            sa.select(column, count).where(*where).group_by(column)).all()})
    return out


def _action_rows(session: Session, caller: Caller, within: Any) -> list[tuple[int, str, bool, int]]:
    """(campaign, state, overdue, count) of the actions of the visible findings not dismissed."""
    rule = policies.tally_visibility(caller, col(ActionTally.campaign_id), col(ActionTally.admin_unit_id))
    if rule is not None:
        cols: tuple[Any, ...] = (col(ActionTally.campaign_id), col(ActionTally.status), col(ActionTally.overdue))
        stmt = sa.select(*cols, sa.func.sum(col(ActionTally.n))).where(
            rule, col(ActionTally.campaign_id).in_(_shown_campaigns(caller)))
        unit = col(ActionTally.admin_unit_id)
    else:
        late = sa.and_(col(CorrectiveAction.status) == "open", col(CorrectiveAction.due_date) < today())
        cols = (col(Finding.campaign_id), col(CorrectiveAction.status), late)
        stmt = (sa.select(*cols, sa.func.count()).select_from(CorrectiveAction)
                .join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
                .where(inspection_policies.visible_findings(caller), col(Finding.status) != "dismissed",
                       col(Finding.campaign_id).in_(_shown_campaigns(caller))))
        unit = col(Finding.admin_unit_id)
    if within is not None:
        stmt = stmt.where(unit.in_(within))
    return [(c, st, bool(late), int(n)) for c, st, late, n in session.execute(stmt.group_by(*cols)).all()]


def _campaigns(session: Session, caller: Caller, within: Any, findings: Counter[int],
               a_rows: list[tuple[int, str, bool, int]]) -> list[tuple[CampaignProgress, tuple[date | None, date | None]]]:
    """Every visible campaign (not drafts or cancelled) with its progress figures."""
    campaigns = list(session.scalars(sa.select(Campaign).where(
        campaign_policies.visible_campaigns(caller), col(Campaign.status).not_in(("draft", "cancelled")))
        .order_by(col(Campaign.year), col(Campaign.id))))
    ids = [c.id for c in campaigns]
    if not ids:
        return []
    visit_filter = [col(Visit.campaign_id).in_(ids), campaign_policies.visible_visits(caller)]
    if within is not None:
        visit_filter.append(col(Visit.admin_unit_id).in_(within))
    visits: dict[int, list[int]] = {i: [0, 0] for i in ids if i is not None}
    for cid, status, n in session.execute(sa.select(col(Visit.campaign_id), col(Visit.status), sa.func.count())
                                          .where(*visit_filter).group_by(col(Visit.campaign_id), col(Visit.status))):
        visits[cid][0] += n
        visits[cid][1] += n if status in DONE_VISITS else 0
    actions: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cid, status, late, n in a_rows:
        actions[cid][0] += n
        actions[cid][1] += n if status == "accepted" else 0
        actions[cid][2] += n if late else 0
    out = []
    for c in campaigns:
        cid = c.id or 0
        out.append((CampaignProgress(campaign_id=cid, title=c.title, year=c.year, status=c.status,
                                     visits_total=visits[cid][0], visits_done=visits[cid][1],
                                     findings=findings.get(cid, 0), actions_total=actions[cid][0],
                                     actions_done=actions[cid][1], actions_overdue=actions[cid][2]),
                    (c.period_start, c.period_end)))
    return out
