"""Planning help for a campaign: warnings (never refusals), notices per unit, and visit suggestions."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.dates import local_date, today
from ocop.core.errors import NotFound, field_error
from ocop.core.pagination import PageParams, cursor_offset, decode_cursor, encode_cursor
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit, AdminUnitScope, Agency
from ocop.registry import service as registry
from ocop.registry.models import Certificate, Producer, Product

from . import policies, service
from .models import Campaign, CampaignUnit, Task, TeamMember, Visit, VisitTarget
from .schemas import (
    Counterpart,
    NoticeItem,
    NoticeList,
    NoticeRead,
    Reason,
    Suggestion,
    SuggestionPage,
    Warning_,
    WarningList,
)

CLOSED = ("closed", "cancelled")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _fmt(moment: datetime) -> str:
    local = _aware(moment) + timedelta(hours=get_settings().utc_offset_hours)
    return local.strftime("%H:%M %d/%m/%Y")


# ---- warnings -------------------------------------------------------------------------------

def warnings(session: Session, caller: Caller, campaign_id: int) -> WarningList:
    c = service.visible_campaign(session, caller, campaign_id)
    if not policies.sees_internal_parts(caller) or policies.is_local(caller):
        raise NotFound("No planning warnings here.", code="not_found")
    members = list(session.scalars(sa.select(TeamMember).where(col(TeamMember.campaign_id) == campaign_id)))
    reads = {m.id: service._member_read(session, m) for m in members}
    items: list[Warning_] = []
    if not any(m.role == "head" for m in members):
        items.append(Warning_(code="no_head", message="Đoàn chưa có Trưởng đoàn."))
    items += _unrepresented(session, c, list(reads.values()))
    items += _conflicts(session, c, list(reads.values()))
    items += _double_bookings(session, c, members, reads)
    items += _twice_visited(session, campaign_id)
    items += _outside_period(session, c)
    return WarningList(items=items)


def _agency_family(session: Session, agency_id: int) -> set[int]:
    """An agency, its sub-agencies and its successor/predecessors: a member from any of them represents it."""
    ids = service.lead_agencies(session, agency_id)
    ids.update(session.scalars(sa.select(col(Agency.id)).where(col(Agency.parent_id).in_(list(ids)))))
    return ids


def _unrepresented(session: Session, c: Campaign, members: list[Any]) -> list[Warning_]:
    present = {m.agency_id for m in members if m.agency_id}
    out = []
    for line in c.team_composition or []:
        for aid in line.get("agency_ids", []):
            if present & _agency_family(session, aid):
                continue
            agency = session.get(Agency, aid)
            name = agency.name if agency else f"#{aid}"
            note = " (mời khi cần thiết)" if line.get("invited_as_needed") else ""
            out.append(Warning_(code="agency_not_represented", agency_id=aid,
                                message=f"{name}{note}: kế hoạch có nêu nhưng chưa có thành viên trong đoàn."))
    return out


def _covered_units(session: Session, campaign_id: int) -> set[int]:
    units = sa.select(col(CampaignUnit.admin_unit_id)).where(col(CampaignUnit.campaign_id) == campaign_id)
    covered = set(session.scalars(sa.select(col(AdminUnitScope.descendant_id)).where(
        col(AdminUnitScope.ancestor_id).in_(units))))
    covered |= set(session.scalars(sa.select(col(AdminUnitScope.ancestor_id)).where(
        col(AdminUnitScope.descendant_id).in_(units))))
    return covered


def _conflicts(session: Session, c: Campaign, members: list[Any]) -> list[Warning_]:
    covered = _covered_units(session, c.id or 0)
    out = []
    for m in members:
        agency = session.get(Agency, m.agency_id) if m.agency_id else None
        chain: list[Agency] = []
        while agency is not None and len(chain) < 5:
            chain.append(agency)
            agency = session.get(Agency, agency.parent_id) if agency.parent_id else None
        for a in chain:
            unit = session.get(AdminUnit, a.admin_unit_id) if a.admin_unit_id else None
            if unit is not None and unit.level != "province" and unit.id in covered:
                out.append(Warning_(code="conflict_of_interest", team_member_id=m.id, agency_id=a.id,
                                    message=f"{m.full_name} thuộc {a.name}, là chính quyền địa phương được kiểm tra."))
                break
    return out


def _on_visit(visit: Visit, member_id: int) -> bool:
    return not visit.team_member_ids or member_id in visit.team_member_ids


def _double_bookings(session: Session, c: Campaign, members: list[TeamMember], reads: dict[Any, Any]
                     ) -> list[Warning_]:
    """A person in two visits whose times overlap, in this campaign or another open one."""
    users = [m.user_id for m in members if m.user_id]
    others = list(session.scalars(sa.select(TeamMember).join(Campaign, col(Campaign.id) == col(TeamMember.campaign_id))
                                  .where(col(TeamMember.user_id).in_(users), col(TeamMember.campaign_id) != c.id,
                                         col(Campaign.status).not_in(CLOSED)))) if users else []
    all_members = members + others
    campaigns = {m.campaign_id for m in all_members}
    visits_by_campaign: dict[int, list[Visit]] = defaultdict(list)
    for v in session.scalars(sa.select(Visit).where(col(Visit.campaign_id).in_(campaigns))):
        visits_by_campaign[v.campaign_id].append(v)
    bookings: dict[Any, list[tuple[Visit, TeamMember]]] = defaultdict(list)
    for m in all_members:
        person = ("user", m.user_id) if m.user_id else ("member", m.id)
        for v in visits_by_campaign[m.campaign_id]:
            if _on_visit(v, m.id or 0):
                bookings[person].append((v, m))
    out = []
    for booked in bookings.values():
        booked.sort(key=lambda b: _aware(b[0].starts_at))
        for i, (a, am) in enumerate(booked):
            for b, bm in booked[i + 1:]:
                if _aware(b.starts_at) >= _aware(a.ends_at):
                    break
                if c.id not in (a.campaign_id, b.campaign_id):
                    continue
                mine = am if am.campaign_id == c.id else bm
                name = reads[mine.id].full_name if mine.id in reads else ""
                out.append(Warning_(code="double_booking", team_member_id=mine.id, visit_ids=[a.id or 0, b.id or 0],
                                    message=f"{name} có hai lịch trùng giờ: {a.place} ({_fmt(a.starts_at)}) và "
                                            f"{b.place} ({_fmt(b.starts_at)})."))
    return out


def _twice_visited(session: Session, campaign_id: int) -> list[Warning_]:
    rows = session.execute(
        sa.select(col(VisitTarget.producer_id), col(Producer.name), col(VisitTarget.visit_id))
        .join(Visit, col(Visit.id) == col(VisitTarget.visit_id))
        .join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
        .where(col(Visit.campaign_id) == campaign_id)).all()
    visits: dict[int, set[int]] = defaultdict(set)
    names = {}
    for pid, name, vid in rows:
        visits[pid].add(vid)
        names[pid] = name
    return [Warning_(code="producer_visited_twice", producer_id=pid, visit_ids=sorted(vids),
                     message=f"{names[pid]} được đến kiểm tra {len(vids)} lần trong cùng đợt kiểm tra.")
            for pid, vids in visits.items() if len(vids) > 1]


def _outside_period(session: Session, c: Campaign) -> list[Warning_]:
    if c.period_start is None or c.period_end is None:
        return []
    out = []
    for v in session.scalars(sa.select(Visit).where(col(Visit.campaign_id) == c.id)):
        day = local_date(_aware(v.starts_at))
        if not c.period_start <= day <= c.period_end:
            out.append(Warning_(code="visit_outside_period", visit_ids=[v.id or 0],
                                message=f"Lịch {v.place} ngày {day:%d/%m/%Y} nằm ngoài thời gian dự kiến của kế hoạch."))
    return out


# ---- notices --------------------------------------------------------------------------------

def notices(session: Session, caller: Caller, campaign_id: int, unit_id: int | None = None) -> NoticeList:
    """One notice per unit with visits: what the team does there, when and where (the document form comes later)."""
    c = service.visible_campaign(session, caller, campaign_id)
    if not policies.sees_internal_parts(caller):
        raise NotFound("No notices here.", code="not_found")
    stmt = sa.select(Visit).where(col(Visit.campaign_id) == campaign_id, policies.visible_visits(caller))
    if unit_id is not None:
        stmt = stmt.where(col(Visit.admin_unit_id) == unit_id)
    visits = list(session.scalars(stmt.order_by(col(Visit.starts_at), col(Visit.id))))
    reads = {v.id: v for v in service._visit_reads(session, visits)}
    members = service.list_team(session, caller, campaign_id, PageParams(limit=200, cursor=None)).items
    head = next((m for m in members if m.role == "head"), None)
    by_unit: dict[int, list[Visit]] = defaultdict(list)
    for v in visits:
        by_unit[v.admin_unit_id].append(v)
    if unit_id is not None and not by_unit and session.get(CampaignUnit, (campaign_id, unit_id)) is None:
        raise NotFound("The unit is not part of this campaign.", code="unit_not_in_campaign")
    out = []
    for uid, unit_visits in sorted(by_unit.items(), key=lambda kv: _aware(kv[1][0].starts_at)):
        unit = session.get(AdminUnit, uid)
        pc = service._unit_agency(session, uid)
        due = session.scalar(sa.select(col(Task.due_date)).where(
            col(Task.campaign_id) == campaign_id, col(Task.admin_unit_id) == uid, col(Task.kind) == "local_report"))
        out.append(NoticeRead(
            campaign_id=campaign_id, campaign_title=c.title, plan_number=c.document_number, admin_unit_id=uid,
            admin_unit_name=unit.name if unit else str(uid), addressee=pc.name if pc else None,
            team_head=f"{head.full_name} — {head.title}" if head and head.title else (head.full_name if head else None),
            team=[f"{m.full_name} ({m.agency_name or m.title or ''})" for m in members],
            report_due=due,
            items=[NoticeItem(visit_id=v.id or 0, kind=v.kind, starts_at=v.starts_at, ends_at=v.ends_at, place=v.place,  # type: ignore[arg-type]
                              programme=v.programme,
                              producers=[t.producer_name + (f" — {t.product_name}" if t.product_name else "")
                                         for t in reads[v.id or 0].targets],
                              counterparts=[Counterpart.model_validate(cp) for cp in v.counterparts or []])
                   for v in unit_visits]))
    return NoticeList(items=out)


# ---- selection help -------------------------------------------------------------------------

def suggestions(session: Session, caller: Caller, campaign_id: int, page: PageParams,
                unit_ids: list[int] | None = None) -> SuggestionPage:
    """Producers and products in the chosen units (default: the campaign's), most at risk first."""
    c = service.visible_campaign(session, caller, campaign_id)
    policies.require_oversight(caller, "see the visit suggestions")
    units = unit_ids or list(session.scalars(sa.select(col(CampaignUnit.admin_unit_id)).where(
        col(CampaignUnit.campaign_id) == campaign_id)))
    for uid in units:
        if session.get(AdminUnit, uid) is None:
            raise field_error("unit_id", f"Administrative unit {uid} does not exist.")
    start = c.period_start or today()
    end = c.period_end or (start + timedelta(days=90))
    within = sa.select(col(AdminUnitScope.descendant_id)).where(col(AdminUnitScope.ancestor_id).in_(units))
    rows = session.execute(
        sa.select(col(Producer.id), col(Producer.name), col(Producer.admin_unit_id), col(AdminUnit.name),
                  col(Product.id), col(Product.name), Certificate)
        .outerjoin(AdminUnit, col(AdminUnit.id) == col(Producer.admin_unit_id))
        .outerjoin(Product, sa.and_(col(Product.producer_id) == col(Producer.id), col(Product.status) == "active"))
        .outerjoin(Certificate, col(Certificate.id) == col(Product.current_certificate_id))
        .where(col(Producer.admin_unit_id).in_(within), col(Producer.status) == "active",
               org_policies.scope_filter(caller, col(Producer.admin_unit_id)))).all() if units else []
    inspected = set(session.scalars(
        sa.select(col(VisitTarget.producer_id)).join(Visit, col(Visit.id) == col(VisitTarget.visit_id))
        .join(Campaign, col(Campaign.id) == col(Visit.campaign_id))
        .where(col(Visit.campaign_id) != campaign_id, col(Campaign.status).in_(policies.PUBLISHED),
               col(Visit.kind) == "site_visit", col(Visit.starts_at) < datetime.now(UTC))))
    scheduled = set(session.scalars(
        sa.select(col(VisitTarget.producer_id)).join(Visit, col(Visit.id) == col(VisitTarget.visit_id))
        .where(col(Visit.campaign_id) == campaign_id)))
    ranked = [_rank(row, start, end, inspected, scheduled) for row in rows]
    ranked.sort(key=lambda s: (-s.score, s.producer_name, s.product_name or "", s.product_id or 0))
    offset = decode_cursor(page.cursor, 1, [cursor_offset])[0] if page.cursor else 0
    chunk = ranked[offset:offset + page.limit]
    more = offset + page.limit < len(ranked)
    return SuggestionPage(items=chunk, next_cursor=encode_cursor([offset + page.limit]) if more else None)


def _rank(row: Any, start: date, end: date, inspected: set[int], scheduled: set[int]) -> Suggestion:
    pid, pname, uid, uname, product_id, product_name, cert = row
    reasons: list[Reason] = []
    status = registry.status_of(cert, start) if cert is not None else None
    if cert is None:
        if product_id is not None:
            reasons.append(Reason(code="no_certificate", weight=5,
                                  detail="Sản phẩm chưa được công nhận OCOP (chủ thể có nhu cầu tham gia)."))
    elif status == "revoked":
        reasons.append(Reason(code="certificate_revoked", weight=45,
                              detail=f"Giấy chứng nhận đã bị thu hồi ngày {cert.revocation_date:%d/%m/%Y}: "
                                     f"kiểm tra việc ngừng sử dụng nhãn, tem OCOP."))
    elif cert.valid_to < start:
        reasons.append(Reason(code="certificate_expired", weight=50,
                              detail=f"Giấy chứng nhận hết hiệu lực từ {cert.valid_to:%d/%m/%Y}."))
    elif cert.valid_to <= end:
        reasons.append(Reason(code="certificate_expiring", weight=35,
                              detail=f"Giấy chứng nhận hết hiệu lực ngày {cert.valid_to:%d/%m/%Y}, "
                                     f"trong thời gian kiểm tra."))
    if pid not in inspected:
        reasons.append(Reason(code="never_inspected", weight=20, detail="Chủ thể chưa được kiểm tra lần nào."))
    if cert is not None and status != "revoked":
        reasons.append(Reason(code="stars", weight=2 * cert.stars, detail=f"Sản phẩm OCOP {cert.stars} sao."))
    return Suggestion(producer_id=pid, producer_name=pname, admin_unit_id=uid, admin_unit_name=uname,
                      product_id=product_id, product_name=product_name, stars=cert.stars if cert else None,
                      certificate_valid_to=cert.valid_to if cert else None, score=sum(r.weight for r in reasons),
                      reasons=reasons, already_scheduled=pid in scheduled)

