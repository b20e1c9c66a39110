"""Inspection work: the record of a visit, checklist answers, findings, corrective actions and evidence.

Every change that can move a product's compliance marks the product (`core.changes.mark`); the
compliance domain recomputes it in the same transaction.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.audit.models import AuditEvent
from ocop.campaigns import policies as campaign_policies
from ocop.campaigns.models import Campaign, CampaignUnit, ChecklistItem, TeamMember, Visit, VisitTarget
from ocop.core import changes, outbox, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.dates import local_date, today
from ocop.core.db import row_dict, utcnow
from ocop.core.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from ocop.core.export import paged_rows, yes
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.text import like_pattern
from ocop.core.versioning import apply_changes, check_if_match
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit, AdminUnitScope
from ocop.registry.models import Producer, ProducerMember, Product

from . import policies
from .models import ChecklistAnswer, CorrectiveAction, Evidence, Finding
from .schemas import (
    ActionCreate,
    ActionListItem,
    ActionListPage,
    ActionPage,
    ActionRead,
    ActionResponse,
    ActionUpdate,
    ActionVerification,
    AnswerList,
    AnswerRead,
    AnswersIn,
    EvidencePage,
    EvidenceRead,
    FindingCreate,
    FindingPage,
    FindingRead,
    FindingTransition,
    FindingUpdate,
    OfflineBundle,
    OfflineCampaign,
    OfflineChecklist,
    OfflineProducer,
    OfflineVisit,
    Timeline,
    TimelineEntry,
    VisitRecordRead,
    VisitRecordUpdate,
    VisitTransition,
)

# visit record: from → {to: who}; who is "team" (any member), "head", or "head_or_runner"
VISIT_TRANSITIONS: dict[str, dict[str, str]] = {
    "planned": {"in_progress": "team"},
    "in_progress": {"submitted": "team"},
    "submitted": {"approved": "head", "in_progress": "head"},
    "approved": {"locked": "head_or_runner", "in_progress": "head"},
    "locked": {"in_progress": "head"},
}
CATEGORY_BY_AREA = {1: "local_management", 2: "operations", 3: "mark_use", 4: "quality_management"}
ACTIVE_FINDINGS = ("open", "action_required", "response_submitted", "escalated")
# finding: from → {to: who}; "team", "runner" (coordinator or leader), "escalator" (head, coordinator, leader)
FINDING_TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {"action_required": "team", "dismissed": "team", "closed": "team_observation", "escalated": "escalator"},
    "action_required": {"dismissed": "team", "escalated": "escalator"},
    "response_submitted": {"verified": "team", "action_required": "team", "escalated": "escalator"},
    "verified": {"closed": "team"},
    "escalated": {"closed": "runner"},
}


# ---- visit records --------------------------------------------------------------------------

def _visit(session: Session, caller: Caller, visit_id: int) -> Visit:
    v = session.scalars(sa.select(Visit).join(Campaign, col(Campaign.id) == col(Visit.campaign_id)).where(
        col(Visit.id) == visit_id, campaign_policies.visible_campaigns(caller),
        campaign_policies.visible_visits(caller))).first()
    if v is None:
        raise NotFound(f"Visit {visit_id} does not exist.", code="visit_not_found")
    return v


def _visit_allowed(session: Session, caller: Caller, v: Visit) -> list[str]:
    role = policies.team_role(session, caller, v.campaign_id)
    runner = caller.kind == "user" and caller.has("coordinator", "leader")
    allowed = []
    for to, who in VISIT_TRANSITIONS.get(v.status, {}).items():
        if (who == "team" and role is not None) or (who == "head" and role == "head") or (
                who == "head_or_runner" and (role == "head" or runner)):
            allowed.append(to)
    return allowed


def _record_read(session: Session, caller: Caller, v: Visit) -> VisitRecordRead:
    return VisitRecordRead.model_validate({**row_dict(v), "allowed_transitions": _visit_allowed(session, caller, v)})


def get_record(session: Session, caller: Caller, visit_id: int) -> VisitRecordRead:
    return _record_read(session, caller, _visit(session, caller, visit_id))


def _recording(session: Session, caller: Caller, visit_id: int) -> Visit:
    v = _visit(session, caller, visit_id)
    policies.require_team(session, caller, v.campaign_id)
    if v.status != "in_progress":
        raise Conflict("The visit is not being recorded: start it first, or reopen it.", code="visit_not_in_progress",
                       current_status=v.status)
    return v


def update_record(session: Session, caller: Caller, visit_id: int, data: VisitRecordUpdate,
                  if_match: str | None) -> VisitRecordRead:
    v = _recording(session, caller, visit_id)
    check_if_match(if_match, v.version)
    changes_ = data.model_dump(exclude_unset=True)
    if "attendees" in changes_:
        changes_["attendees"] = [a.model_dump() for a in data.attendees or []]
    before = audit.snapshot(v)
    apply_changes(v, changes_)
    if v.actual_start and v.actual_end and v.actual_end < v.actual_start:
        raise field_error("actual_end", "The visit ends before it starts.")
    audit.record(session, caller, "visit.record", "visit", v.id, before, audit.snapshot(v))
    session.commit()
    return _record_read(session, caller, v)


def transition_visit(session: Session, caller: Caller, visit_id: int, data: VisitTransition) -> VisitRecordRead:
    v = _visit(session, caller, visit_id)
    targets = VISIT_TRANSITIONS.get(v.status, {})
    if data.to not in targets:
        raise Conflict(f"A visit in state '{v.status}' cannot move to '{data.to}'.", code="transition_not_allowed",
                       allowed=list(targets))
    allowed = _visit_allowed(session, caller, v)
    if data.to not in allowed:
        raise Forbidden(f"Your place in the team does not allow moving this visit to '{data.to}'.",
                        code="transition_forbidden", allowed=allowed)
    reopening = data.to == "in_progress" and v.status != "planned"
    if reopening and not data.note:
        raise field_error("note", "Give the reason for reopening or returning the visit (note).")
    campaign = session.get(Campaign, v.campaign_id)
    assert campaign is not None
    if campaign.status not in ("issued", "in_progress", "reporting"):
        raise Conflict("Visits are recorded while the plan is issued and in progress.", code="campaign_not_running")
    before, now = audit.snapshot(v), utcnow()
    if data.to == "in_progress" and v.status == "planned":
        v.actual_start = v.actual_start or now
        if campaign.status == "issued":  # the first visit starts the campaign
            campaign.status = "in_progress"
            campaign.version += 1
            audit.record(session, caller, "campaign.in_progress", "campaign", campaign.id, None,
                         {"status": "in_progress", "by": "first visit started"})
            outbox.emit(session, "campaign.in_progress", "campaign", campaign.id,
                        {"campaign_id": campaign.id, "from": "issued", "to": "in_progress"})
    if data.to == "submitted":
        v.actual_end, v.submitted_at = v.actual_end or now, now
        _propose_findings(session, caller, v)
    if data.to == "approved":
        v.approved_at, v.approved_by = now, caller.id
        outbox.emit(session, "visit.approved", "visit", v.id, {"visit_id": v.id, "campaign_id": v.campaign_id})
    if data.to == "locked":
        v.locked_at = now
    if reopening:
        v.approved_at = v.locked_at = None
    v.status = data.to
    apply_changes(v, {})
    audit.record(session, caller, "visit.reopen" if reopening else f"visit.{data.to}", "visit", v.id, before,
                 {**audit.snapshot(v), "note": data.note})
    session.commit()
    return _record_read(session, caller, v)


def _items(session: Session, campaign: Campaign) -> dict[str, ChecklistItem]:
    return {i.code: i for i in session.scalars(sa.select(ChecklistItem).where(
        col(ChecklistItem.template_id) == campaign.checklist_template_id))}


def list_answers(session: Session, caller: Caller, visit_id: int) -> AnswerList:
    v = _visit(session, caller, visit_id)
    if policies.is_outsider(caller):
        raise NotFound("The checklist answers are the team's working record.", code="not_found")
    rows = session.scalars(sa.select(ChecklistAnswer).where(col(ChecklistAnswer.visit_id) == v.id)
                           .order_by(col(ChecklistAnswer.item_code), col(ChecklistAnswer.product_key)))
    return AnswerList(items=[AnswerRead.model_validate(a, from_attributes=True) for a in rows])


def save_answers(session: Session, caller: Caller, visit_id: int, data: AnswersIn) -> AnswerList:
    """Create or replace answers (what a tablet sends when it is back online: sending twice changes nothing)."""
    v = _recording(session, caller, visit_id)
    campaign = session.get(Campaign, v.campaign_id)
    assert campaign is not None
    items = _items(session, campaign)
    targets = set(session.scalars(sa.select(col(VisitTarget.product_id)).where(col(VisitTarget.visit_id) == v.id)))
    producers = set(session.scalars(sa.select(col(VisitTarget.producer_id)).where(col(VisitTarget.visit_id) == v.id)))
    existing = {(a.item_code, a.product_key): a for a in session.scalars(
        sa.select(ChecklistAnswer).where(col(ChecklistAnswer.visit_id) == v.id))}
    now = utcnow()
    for i, a in enumerate(data.answers):
        item = items.get(a.item_code)
        loc = f"answers[{i}]"
        if item is None:
            raise field_error(f"{loc}.item_code", f"The campaign's checklist has no item {a.item_code}.")
        if a.product_id is not None and a.product_id not in targets:
            product = session.get(Product, a.product_id)
            if product is None or product.producer_id not in producers:
                raise field_error(f"{loc}.product_id", "The product is not one this visit inspects.")
        problem = {"yes_no_na": a.value is None and "Answer yes, no or na (value).",
                   "number": a.number_value is None and a.value != "na" and "Give the figure (number_value).",
                   "text": a.text_value is None and a.value != "na" and "Write the answer (text_value)."}.get(
            item.answer_type)
        if problem:
            raise field_error(f"{loc}.value", problem)
        fields: dict[str, Any] = {"value": a.value, "number_value": a.number_value, "text_value": a.text_value, "note": a.note,
                  "failed": item.answer_type in ("yes_no_na", "photo") and a.value == "no"}
        key = (a.item_code, a.product_id or 0)
        row = existing.get(key)
        if row is None:
            row = ChecklistAnswer(visit_id=v.id, item_code=a.item_code, checklist_item_id=item.id,  # type: ignore[arg-type]
                                  product_id=a.product_id, product_key=a.product_id or 0, answered_by=caller.id,
                                  answered_at=now, **fields)
            session.add(row)
            existing[key] = row
        elif any(getattr(row, k) != val for k, val in fields.items()):
            for k, val in fields.items():
                setattr(row, k, val)
            row.answered_by, row.answered_at, row.version = caller.id, now, row.version + 1
    session.flush()
    audit.record(session, caller, "visit.answers", "visit", v.id, None,
                 {"answers": [a.model_dump(exclude_none=True) for a in data.answers]})
    session.commit()
    return list_answers(session, caller, visit_id)


# ---- findings -------------------------------------------------------------------------------

def _repeat_of(session: Session, producer_id: int, item_code: str | None, campaign_id: int) -> Finding | None:
    if not item_code:
        return None
    return session.scalars(sa.select(Finding).where(
        col(Finding.producer_id) == producer_id, col(Finding.item_code) == item_code,
        col(Finding.campaign_id) != campaign_id, col(Finding.status) != "dismissed")
        .order_by(col(Finding.created_at).desc(), col(Finding.id).desc())).first()


def _new_finding(session: Session, caller: Caller, **fields: Any) -> Finding:
    producer = session.get(Producer, fields["producer_id"])
    assert producer is not None
    earlier = _repeat_of(session, fields["producer_id"], fields.get("item_code"), fields["campaign_id"])
    now = utcnow()
    f = Finding(**fields, admin_unit_id=producer.admin_unit_id, product_key=fields.get("product_id") or 0,
                repeat_of_id=earlier.id if earlier else None, repeat_count=(earlier.repeat_count + 1) if earlier else 0,
                created_by=caller.id, created_at=now, updated_at=now)
    session.add(f)
    session.flush()
    audit.record(session, caller, "finding.create", "finding", f.id, None, audit.snapshot(f))
    outbox.emit(session, "finding.created", "finding", f.id, {
        "finding_id": f.id, "campaign_id": f.campaign_id, "producer_id": f.producer_id, "product_id": f.product_id,
        "severity": f.severity, "repeat_count": f.repeat_count})
    _mark(session, f)
    return f


def _mark(session: Session, f: Finding) -> None:
    if f.product_id:
        changes.mark(session, "product", [f.product_id])
    else:
        changes.mark(session, "producer", [f.producer_id])


def _propose_findings(session: Session, caller: Caller, v: Visit) -> None:
    """A finding for every failed item of the visit that has none yet (idempotent across reopenings)."""
    campaign = session.get(Campaign, v.campaign_id)
    assert campaign is not None
    items = {i.id: i for i in _items(session, campaign).values()}
    producers = list(session.scalars(sa.select(col(VisitTarget.producer_id)).where(col(VisitTarget.visit_id) == v.id)))
    failed = session.scalars(sa.select(ChecklistAnswer).where(col(ChecklistAnswer.visit_id) == v.id,
                                                              col(ChecklistAnswer.failed).is_(True)))
    for answer in failed:
        item = items.get(answer.checklist_item_id)
        if item is None or item.applies_to != "producer" or not producers:
            continue
        producer_id = producers[0]
        if answer.product_id:
            product = session.get(Product, answer.product_id)
            producer_id = product.producer_id if product else producer_id
        exists = session.scalar(sa.select(col(Finding.id)).where(
            col(Finding.visit_id) == v.id, col(Finding.item_code) == item.code,
            col(Finding.product_key) == (answer.product_id or 0)))
        if exists:
            continue
        text = item.question + (f" — {answer.note}" if answer.note else "")
        _new_finding(session, caller, campaign_id=v.campaign_id, visit_id=v.id, producer_id=producer_id,
                     product_id=answer.product_id, content_area=item.content_area, checklist_item_id=item.id,
                     item_code=item.code, category=CATEGORY_BY_AREA.get(item.content_area, "other"),
                     severity=item.severity, description=f"Không đạt: {text}", legal_reference=item.legal_reference,
                     recommendation=item.guidance, automatic=True)


def _finding_allowed(session: Session, caller: Caller, f: Finding) -> list[str]:
    return _finding_allowed_as(caller, f, policies.team_role(session, caller, f.campaign_id))


def _team_roles(session: Session, caller: Caller, campaign_ids: set[int]) -> dict[int, str]:
    """The caller's role in each of these campaigns' teams, in one query (what `policies.team_role` says for one)."""
    if caller.kind != "user" or caller.has("producer") or not campaign_ids:
        return {}
    return {cid: role for cid, role in session.execute(
        sa.select(col(TeamMember.campaign_id), col(TeamMember.role)).where(
            col(TeamMember.campaign_id).in_(sorted(campaign_ids)), col(TeamMember.user_id) == caller.id,
            ~sa.exists().where(col(ProducerMember.user_id) == caller.id)))}


def _finding_allowed_as(caller: Caller, f: Finding, role: str | None) -> list[str]:
    runner = caller.kind == "user" and caller.has("coordinator", "leader")
    allowed = []
    for to, who in FINDING_TRANSITIONS.get(f.status, {}).items():
        ok = {"team": role is not None or runner,
              "team_observation": (role is not None or runner) and f.severity == "observation",
              "runner": runner, "escalator": role == "head" or runner}[who]
        if ok:
            allowed.append(to)
    return allowed


def _finding_stmt(caller: Caller) -> Any:
    return (sa.select(Finding, col(Producer.name), col(Product.name))
            .join(Producer, col(Producer.id) == col(Finding.producer_id))
            .outerjoin(Product, col(Product.id) == col(Finding.product_id))
            .where(policies.visible_findings(caller)))


def _finding_read(session: Session, caller: Caller, row: Any, roles: dict[int, str] | None = None) -> FindingRead:
    """`roles`: the caller's team roles by campaign, when already loaded for a page (else one query)."""
    f, producer_name, product_name = row
    allowed = (_finding_allowed(session, caller, f) if roles is None
               else _finding_allowed_as(caller, f, roles.get(f.campaign_id)))
    data = {**row_dict(f), "producer_name": producer_name, "product_name": product_name,
            "allowed_transitions": allowed}
    if policies.is_outsider(caller):
        data["internal_note"] = None
    return FindingRead.model_validate(data)


def _finding_row(session: Session, caller: Caller, finding_id: int) -> Any:
    row = session.execute(_finding_stmt(caller).where(col(Finding.id) == finding_id)).first()
    if row is None:
        raise NotFound(f"Finding {finding_id} does not exist.", code="finding_not_found")
    return row


def get_finding(session: Session, caller: Caller, finding_id: int) -> FindingRead:
    return _finding_read(session, caller, _finding_row(session, caller, finding_id))


def list_findings(session: Session, caller: Caller, page: PageParams, *, campaign_id: int | None = None,
                  visit_id: int | None = None, producer_id: int | None = None, product_id: int | None = None,
                  unit_id: int | None = None, status: str | None = None, severity: str | None = None,
                  content_area: int | None = None, repeat: bool | None = None, q: str | None = None) -> FindingPage:
    stmt = _finding_stmt(caller)
    for column, value in ((Finding.campaign_id, campaign_id), (Finding.visit_id, visit_id),
                          (Finding.producer_id, producer_id), (Finding.product_id, product_id),
                          (Finding.status, status), (Finding.severity, severity),
                          (Finding.content_area, content_area)):
        if value is not None:
            stmt = stmt.where(col(column) == value)
    if unit_id is not None:
        stmt = stmt.where(col(Finding.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if repeat is not None:
        stmt = stmt.where(col(Finding.repeat_count) > 0 if repeat else col(Finding.repeat_count) == 0)
    if q:
        stmt = stmt.where(col(Producer.search_name).like(like_pattern(q), escape="\\"))
    rows, cursor = keyset_page(session, stmt, [col(Finding.id)], page, descending=True, key=lambda r: [r[0].id])
    roles = _team_roles(session, caller, {r[0].campaign_id for r in rows})  # one query for the page
    return FindingPage(items=[_finding_read(session, caller, r, roles) for r in rows], next_cursor=cursor)


SEVERITY_VI = {"observation": "Lưu ý", "minor": "Nhẹ", "major": "Nặng", "critical": "Nghiêm trọng"}
FINDING_STATUS_VI = {"open": "Mới ghi nhận", "action_required": "Cần khắc phục",
                     "response_submitted": "Đã trả lời — chờ xác minh", "verified": "Đã xác minh khắc phục",
                     "closed": "Đã đóng", "dismissed": "Đã bác bỏ", "escalated": "Đã chuyển xử lý"}
CATEGORY_VI = {"local_management": "Quản lý của địa phương", "operations": "Hoạt động sản xuất, kinh doanh",
               "raw_materials": "Nguyên liệu", "quality_management": "Quản lý chất lượng",
               "food_safety": "An toàn thực phẩm", "traceability": "Truy xuất nguồn gốc",
               "mark_use": "Sử dụng nhãn hiệu, tem OCOP", "labelling": "Nhãn hàng hóa", "environment": "Môi trường",
               "market": "Thị trường", "other": "Khác"}
FINDING_COLUMNS = [
    ("id", "Mã phát hiện"), ("campaign", "Kế hoạch kiểm tra"), ("admin_unit_name", "Đơn vị hành chính"),
    ("producer_name", "Chủ thể"), ("product_name", "Sản phẩm"), ("content_area", "Nội dung kiểm tra"),
    ("item_code", "Mã tiêu chí"), ("category", "Lĩnh vực"), ("severity", "Mức độ"), ("status", "Trạng thái"),
    ("description", "Mô tả"), ("recommendation", "Kiến nghị"), ("legal_reference", "Căn cứ pháp lý"),
    ("repeat_count", "Số lần lặp lại"), ("actions_pending", "Biện pháp chưa hoàn thành"),
    ("actions_overdue", "Biện pháp quá hạn"), ("created_at", "Ngày ghi nhận"),
]


def _campaigns_of(session: Session, caller: Caller, ids: set[int]) -> dict[int, tuple[str, dict[int, str]]]:
    """The name for a spreadsheet and the content areas by number of each campaign the caller sees."""
    out = {}
    for cid, title, number, content_areas in session.execute(
            sa.select(col(Campaign.id), col(Campaign.title), col(Campaign.document_number), col(Campaign.content_areas))
            .where(col(Campaign.id).in_(ids), campaign_policies.visible_campaigns(caller))):
        areas = {int(a["number"]): str(a.get("title") or "") for a in content_areas or [] if a.get("number")}
        out[cid] = (f"{title} ({number})" if number else title, areas)
    return out


def _unit_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name))
                                .where(col(AdminUnit.id).in_(wanted))).all())


def _finding_rows(session: Session, caller: Caller, items: list[FindingRead]) -> Iterator[dict[str, Any]]:
    day = today()
    campaigns = _campaigns_of(session, caller, {f.campaign_id for f in items})
    units = _unit_names(session, {f.admin_unit_id for f in items})
    pending = sa.func.sum(sa.case((col(CorrectiveAction.status) != "accepted", 1), else_=0))
    late = sa.func.sum(sa.case((sa.and_(col(CorrectiveAction.status) == "open",
                                        col(CorrectiveAction.due_date) < day), 1), else_=0))
    counts = {fid: (p or 0, o or 0) for fid, p, o in session.execute(
        sa.select(col(CorrectiveAction.finding_id), pending, late)
        .where(col(CorrectiveAction.finding_id).in_([f.id for f in items]))
        .group_by(col(CorrectiveAction.finding_id)))}
    for f in items:
        name, areas = campaigns.get(f.campaign_id, (None, {}))
        area = f"{f.content_area}. {areas[f.content_area]}" if f.content_area in areas and areas[f.content_area] \
            else f.content_area
        yield {**f.model_dump(), "campaign": name, "admin_unit_name": units.get(f.admin_unit_id or 0),
               "content_area": area, "category": CATEGORY_VI.get(f.category, f.category),
               "severity": SEVERITY_VI[f.severity], "status": FINDING_STATUS_VI[f.status],
               "actions_pending": counts.get(f.id, (0, 0))[0], "actions_overdue": counts.get(f.id, (0, 0))[1],
               "created_at": local_date(f.created_at)}


def iter_findings(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every finding the filters select, as the JSON list has them, in spreadsheet columns (for exports)."""
    return paged_rows(lambda s, p: list_findings(s, caller, p, **filters),
                      lambda s, items: _finding_rows(s, caller, items))


# findings are written while the plan is being carried out (its first visit starts it) or reported on
RECORDING_CAMPAIGNS = ("in_progress", "reporting")


def _refusal(field: str, msg: str, code: str) -> Unprocessable:
    """A 422 about one field, with a code that names the rule (the SPA words each code)."""
    refusal = field_error(field, msg)
    refusal.code = code
    return refusal


def _check_inspected(session: Session, campaign: Campaign, visit_id: int | None, producer_id: int,
                     product_id: int | None) -> None:
    """A finding comes from the campaign's inspection work: the campaign is in progress (or reporting), and the
    producer is a target of the finding's site visit (without a visit: of one of the campaign's site visits), the
    product among that visit's products for the producer when it names products."""
    if campaign.status not in RECORDING_CAMPAIGNS:
        raise _refusal("campaign_id", f"The campaign is {campaign.status}: findings are written while it is in "
                                      "progress (or reporting), from its visits.", "campaign_not_in_progress")
    visits = sa.select(col(Visit.id)).where(col(Visit.campaign_id) == campaign.id)
    v = session.get(Visit, visit_id) if visit_id is not None else None
    if visit_id is not None and (v is None or v.campaign_id != campaign.id):
        raise _refusal("visit_id", "The visit is not part of this campaign.", "visit_not_in_campaign")
    visits = visits.where(col(Visit.id) == visit_id) if v is not None and v.kind == "site_visit" \
        else visits.where(col(Visit.kind) == "site_visit")
    products: dict[int, set[int | None]] = defaultdict(set)
    for vid, pid in session.execute(sa.select(col(VisitTarget.visit_id), col(VisitTarget.product_id)).where(
            col(VisitTarget.visit_id).in_(visits), col(VisitTarget.producer_id) == producer_id)):
        products[vid].add(pid)
    if not products:
        raise _refusal("producer_id", "The producer is not visited by this campaign" + (
            " in this visit." if v is not None and v.kind == "site_visit" else "'s site visits."),
            "producer_not_scheduled")
    if product_id is not None and not any(None in named or product_id in named for named in products.values()):
        raise _refusal("product_id", "The product is not one the visit inspects at this producer.",
                       "product_not_scheduled")


def create_finding(session: Session, caller: Caller, data: FindingCreate) -> FindingRead:
    campaign = session.scalars(sa.select(Campaign).where(col(Campaign.id) == data.campaign_id,
                                                         campaign_policies.visible_campaigns(caller))).first()
    if campaign is None:
        raise field_error("campaign_id", f"Campaign {data.campaign_id} does not exist.")
    policies.require_team(session, caller, campaign.id or 0, "write findings")
    if session.get(Producer, data.producer_id) is None:
        raise field_error("producer_id", f"Producer {data.producer_id} does not exist.")
    if data.product_id is not None:
        product = session.get(Product, data.product_id)
        if product is None or product.producer_id != data.producer_id:
            raise field_error("product_id", "The product is not one of the producer's.")
    _check_inspected(session, campaign, data.visit_id, data.producer_id, data.product_id)
    item = None
    if data.item_code:
        item = _items(session, campaign).get(data.item_code)
        if item is None:
            raise field_error("item_code", f"The campaign's checklist has no item {data.item_code}.")
        if data.visit_id is not None and session.scalar(sa.select(col(Finding.id)).where(
                col(Finding.visit_id) == data.visit_id, col(Finding.item_code) == data.item_code,
                col(Finding.product_key) == (data.product_id or 0))):
            raise Conflict("This visit already has a finding for this item.", code="duplicate_finding")
    fields = data.model_dump()
    if item is not None:
        fields["checklist_item_id"] = item.id
        fields["content_area"] = fields["content_area"] or item.content_area
        fields["legal_reference"] = fields["legal_reference"] or item.legal_reference
    f = _new_finding(session, caller, **fields)
    session.commit()
    return get_finding(session, caller, f.id or 0)


def _editable_finding(session: Session, caller: Caller, finding_id: int) -> Finding:
    f = _finding_row(session, caller, finding_id)[0]
    if policies.team_role(session, caller, f.campaign_id) is None and not (
            caller.kind == "user" and caller.has("coordinator")):
        raise Forbidden("Only the campaign's team changes its findings.", code="not_in_team")
    return f


def update_finding(session: Session, caller: Caller, finding_id: int, data: FindingUpdate,
                   if_match: str | None) -> FindingRead:
    f = _editable_finding(session, caller, finding_id)
    check_if_match(if_match, f.version)
    if f.status in ("closed", "dismissed"):
        raise Conflict("A closed or dismissed finding no longer changes.", code="finding_closed")
    changes_ = data.model_dump(exclude_unset=True)
    for field in ("category", "severity", "description"):
        if field in changes_ and changes_[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    if changes_.get("product_id") is not None:
        product = session.get(Product, changes_["product_id"])
        if product is None or product.producer_id != f.producer_id:
            raise field_error("product_id", "The product is not one of the producer's.")
    if "product_id" in changes_ and changes_["product_id"] != f.product_id:
        campaign = session.get(Campaign, f.campaign_id)
        assert campaign is not None
        _check_inspected(session, campaign, f.visit_id, f.producer_id, changes_["product_id"])
    before = audit.snapshot(f)
    _mark(session, f)
    if "product_id" in changes_:
        changes_["product_key"] = changes_["product_id"] or 0
    apply_changes(f, changes_)
    _mark(session, f)
    audit.record(session, caller, "finding.update", "finding", f.id, before, audit.snapshot(f))
    session.commit()
    return get_finding(session, caller, finding_id)


def _set_finding_status(session: Session, caller: Caller, f: Finding, to: str, note: str | None = None,
                        escalation: str | None = None) -> None:
    before = f.status
    apply_changes(f, {"status": to, "status_reason": note if note else f.status_reason,
                      **({"escalation": escalation} if escalation else {})})
    audit.record(session, caller, "finding.status", "finding", f.id, {"status": before},
                 {"status": to, "note": note, "escalation": escalation})
    outbox.emit(session, "finding.status_changed", "finding", f.id,
                {"finding_id": f.id, "from": before, "to": to, "note": note, "escalation": escalation})
    _mark(session, f)


def transition_finding(session: Session, caller: Caller, finding_id: int, data: FindingTransition) -> FindingRead:
    f = _finding_row(session, caller, finding_id)[0]
    targets = FINDING_TRANSITIONS.get(f.status, {})
    if data.to not in targets:
        raise Conflict(f"A finding in state '{f.status}' cannot move to '{data.to}'.", code="transition_not_allowed",
                       allowed=list(targets))
    allowed = _finding_allowed(session, caller, f)
    if data.to not in allowed:
        raise Forbidden(f"You may not move this finding to '{data.to}'.", code="transition_forbidden",
                        allowed=allowed)
    if data.to in ("dismissed", "escalated", "action_required") and not data.note:
        raise field_error("note", "Give the reason (note).")
    if data.to == "escalated" and not data.escalation:
        raise field_error("escalation", "Say whether revocation is proposed or a sanction referred (escalation).")
    _set_finding_status(session, caller, f, data.to, data.note, data.escalation)
    session.commit()
    return get_finding(session, caller, finding_id)


def timeline(session: Session, caller: Caller, finding_id: int) -> Timeline:
    """What happened to a finding, its actions and its evidence, oldest first."""
    f = _finding_row(session, caller, finding_id)[0]
    actions = [str(a) for a in session.scalars(sa.select(col(CorrectiveAction.id)).where(
        col(CorrectiveAction.finding_id) == f.id))]
    rows = session.scalars(sa.select(AuditEvent).where(sa.or_(
        sa.and_(col(AuditEvent.entity_type) == "finding", col(AuditEvent.entity_id) == str(f.id)),
        sa.and_(col(AuditEvent.entity_type) == "corrective_action", col(AuditEvent.entity_id).in_(actions)),
    )).order_by(col(AuditEvent.id)))
    hide = policies.is_outsider(caller)
    items = []
    for e in rows:
        detail = e.after
        if hide and isinstance(detail, dict):
            detail = {k: v for k, v in detail.items() if k != "internal_note"}
        items.append(TimelineEntry(at=e.occurred_at, action=e.action, actor=e.actor_name, entity_type=e.entity_type,
                                   entity_id=e.entity_id, detail=detail))
    return Timeline(items=items)


# ---- corrective actions ---------------------------------------------------------------------

def _evidence_of(session: Session, action_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {i: [] for i in action_ids}
    for eid, aid in session.execute(sa.select(col(Evidence.id), col(Evidence.action_id))
                                    .where(col(Evidence.action_id).in_(action_ids)).order_by(col(Evidence.id))):
        out[aid].append(eid)
    return out


def _action_read(session: Session, a: CorrectiveAction, day: date, evidence: list[int] | None = None) -> ActionRead:
    if evidence is None:
        evidence = _evidence_of(session, [a.id or 0])[a.id or 0]
    return ActionRead.model_validate({**row_dict(a), "evidence_ids": evidence,
                                      "overdue": a.status == "open" and a.due_date < day})


def list_actions(session: Session, caller: Caller, finding_id: int, page: PageParams) -> ActionPage:
    _finding_row(session, caller, finding_id)
    stmt = sa.select(CorrectiveAction).where(col(CorrectiveAction.finding_id) == finding_id)
    rows, cursor = keyset_page(session, stmt, [col(CorrectiveAction.id)], page, key=lambda r: [r[0].id])
    day, evidence = today(), _evidence_of(session, [r[0].id for r in rows])
    return ActionPage(items=[_action_read(session, r[0], day, evidence[r[0].id]) for r in rows], next_cursor=cursor)


_OWNER_UNIT = AdminUnit.__table__.alias("owner_unit")  # type: ignore[attr-defined]


def _action_list_stmt(caller: Caller) -> Any:
    """Actions of the findings the caller sees (the rule of a finding's own action list), with their finding."""
    return (sa.select(CorrectiveAction, col(Finding.severity), col(Finding.status), col(Finding.campaign_id),
                      col(Finding.producer_id), col(Producer.name), col(Finding.product_id), col(Product.name),
                      col(Finding.admin_unit_id), col(AdminUnit.name), _OWNER_UNIT.c.name)
            .join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
            .join(Producer, col(Producer.id) == col(Finding.producer_id))
            .outerjoin(Product, col(Product.id) == col(Finding.product_id))
            .outerjoin(AdminUnit, col(AdminUnit.id) == col(Finding.admin_unit_id))
            .outerjoin(_OWNER_UNIT, _OWNER_UNIT.c.id == col(CorrectiveAction.owner_unit_id))
            .where(policies.visible_findings(caller)))


def list_all_actions(session: Session, caller: Caller, page: PageParams, *, campaign_id: int | None = None,
                     producer_id: int | None = None, unit_id: int | None = None, status: str | None = None,
                     owner_type: str | None = None, overdue: bool | None = None) -> ActionListPage:
    """Corrective actions across findings, newest first."""
    day = today()
    stmt = _action_list_stmt(caller)
    for column, value in ((Finding.campaign_id, campaign_id), (Finding.producer_id, producer_id),
                          (CorrectiveAction.status, status), (CorrectiveAction.owner_type, owner_type)):
        if value is not None:
            stmt = stmt.where(col(column) == value)
    if unit_id is not None:
        stmt = stmt.where(col(Finding.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if overdue is not None:
        late = sa.and_(col(CorrectiveAction.status) == "open", col(CorrectiveAction.due_date) < day)
        stmt = stmt.where(late if overdue else sa.not_(late))
    rows, cursor = keyset_page(session, stmt, [col(CorrectiveAction.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    evidence = _evidence_of(session, [r[0].id for r in rows])
    items = []
    for a, severity, fstatus, cid, pid, pname, prid, prname, uid, uname, owner_unit in rows:
        read = _action_read(session, a, day, evidence[a.id])
        items.append(ActionListItem.model_validate({
            **read.model_dump(), "finding_severity": severity, "finding_status": fstatus, "campaign_id": cid,
            "producer_id": pid, "producer_name": pname, "product_id": prid, "product_name": prname,
            "admin_unit_id": uid, "admin_unit_name": uname,
            "owner_name": pname if a.owner_type == "producer" else owner_unit}))
    return ActionListPage(items=items, next_cursor=cursor)


ACTION_STATUS_VI = {"open": "Chờ khắc phục", "responded": "Đã trả lời — chờ xác minh", "accepted": "Đã chấp nhận"}
ACTION_KIND_VI = {"corrective": "Biện pháp khắc phục", "preventive": "Biện pháp phòng ngừa"}
OWNER_TYPE_VI = {"producer": "Chủ thể OCOP", "unit": "Chính quyền địa phương"}
ACTION_COLUMNS = [
    ("id", "Mã biện pháp"), ("finding_id", "Mã phát hiện"), ("finding_severity", "Mức độ phát hiện"),
    ("finding_status", "Trạng thái phát hiện"), ("campaign", "Kế hoạch kiểm tra"),
    ("admin_unit_name", "Đơn vị hành chính"), ("producer_name", "Chủ thể"), ("product_name", "Sản phẩm"),
    ("kind", "Loại biện pháp"), ("description", "Nội dung biện pháp"), ("owner_type", "Bên thực hiện"),
    ("owner_name", "Đơn vị thực hiện"), ("due_date", "Hạn hoàn thành"), ("status", "Trạng thái"),
    ("overdue", "Quá hạn"), ("response", "Kết quả khắc phục"), ("responded_at", "Ngày trả lời"),
    ("verification_comment", "Ý kiến xác minh"), ("rejections", "Số lần không chấp nhận"),
]


def _action_rows(session: Session, caller: Caller, items: list[ActionListItem]) -> Iterator[dict[str, Any]]:
    campaigns = _campaigns_of(session, caller, {a.campaign_id for a in items})
    for a in items:
        yield {**a.model_dump(), "campaign": campaigns.get(a.campaign_id, (None, {}))[0],
               "finding_severity": SEVERITY_VI[a.finding_severity],
               "finding_status": FINDING_STATUS_VI[a.finding_status], "kind": ACTION_KIND_VI.get(a.kind, a.kind),
               "owner_type": OWNER_TYPE_VI.get(a.owner_type, a.owner_type), "status": ACTION_STATUS_VI[a.status],
               "overdue": yes(a.overdue), "responded_at": local_date(a.responded_at) if a.responded_at else None}


def iter_all_actions(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    return paged_rows(lambda s, p: list_all_actions(s, caller, p, **filters),
                      lambda s, items: _action_rows(s, caller, items))


def _action(session: Session, caller: Caller, finding_id: int, action_id: int) -> tuple[Finding, CorrectiveAction]:
    f = _finding_row(session, caller, finding_id)[0]
    a = session.get(CorrectiveAction, action_id)
    if a is None or a.finding_id != f.id:
        raise NotFound(f"Action {action_id} does not exist.", code="action_not_found")
    return f, a


def get_action(session: Session, caller: Caller, finding_id: int, action_id: int) -> ActionRead:
    return _action_read(session, _action(session, caller, finding_id, action_id)[1], today())


def _owner_unit(session: Session, f: Finding, named: int | None) -> int:
    """The unit that owns an action: one that exists and whose local officers see the finding (else nobody could
    ever answer the action). Unnamed: the finding's unit if its officers see it, else the campaign's unit that
    covers it (a district of a 2024 plan for a commune formed in 2025)."""
    if named is not None:
        if session.get(AdminUnit, named) is None:
            raise _refusal("owner_unit_id", f"Administrative unit {named} does not exist.", "owner_unit_not_found")
        if not policies.unit_sees_finding(session, named, f.id or 0):
            raise _refusal("owner_unit_id", "The unit's officers do not see this finding (not in their area, or "
                                            "the campaign does not cover them): they could never answer the action.",
                           "owner_unit_cannot_see_finding")
        return named
    candidates = [f.admin_unit_id] if f.admin_unit_id is not None else []
    if f.admin_unit_id is not None:
        candidates += list(session.scalars(
            sa.select(col(CampaignUnit.admin_unit_id))
            .join(AdminUnitScope, col(AdminUnitScope.ancestor_id) == col(CampaignUnit.admin_unit_id))
            .where(col(CampaignUnit.campaign_id) == f.campaign_id,
                   col(AdminUnitScope.descendant_id) == f.admin_unit_id)
            .order_by(col(CampaignUnit.admin_unit_id))))
    for unit in candidates:
        if unit is not None and policies.unit_sees_finding(session, unit, f.id or 0):
            return unit
    raise _refusal("owner_unit_id", "Name the unit that owns the action: no local government of the campaign "
                                    "sees this finding.", "owner_unit_required")


def create_action(session: Session, caller: Caller, finding_id: int, data: ActionCreate) -> ActionRead:
    f = _editable_finding(session, caller, finding_id)
    if f.status not in ("open", "action_required", "response_submitted"):
        raise Conflict("Actions are set on open findings.", code="finding_not_open", current_status=f.status)
    owner_unit = _owner_unit(session, f, data.owner_unit_id) if data.owner_type == "unit" else None
    now = utcnow()
    a = CorrectiveAction(kind=data.kind, description=data.description, owner_type=data.owner_type,
                         owner_producer_id=f.producer_id if data.owner_type == "producer" else None,
                         owner_unit_id=owner_unit,
                         due_date=data.due_date, finding_id=f.id, created_by=caller.id, created_at=now,  # type: ignore[arg-type]
                         updated_at=now)
    session.add(a)
    session.flush()
    audit.record(session, caller, "action.create", "corrective_action", a.id, None, audit.snapshot(a))
    if f.status in ("open", "response_submitted"):
        _set_finding_status(session, caller, f, "action_required")
    _mark(session, f)
    session.commit()
    return _action_read(session, a, today())


def update_action(session: Session, caller: Caller, finding_id: int, action_id: int, data: ActionUpdate,
                  if_match: str | None) -> ActionRead:
    f, a = _action(session, caller, finding_id, action_id)
    _editable_finding(session, caller, finding_id)
    check_if_match(if_match, a.version)
    if a.status == "accepted":
        raise Conflict("An accepted action no longer changes.", code="action_closed")
    changes_ = data.model_dump(exclude_unset=True)
    for field in ("kind", "description", "due_date"):
        if field in changes_ and changes_[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    before = audit.snapshot(a)
    apply_changes(a, changes_)
    audit.record(session, caller, "action.update", "corrective_action", a.id, before, audit.snapshot(a))
    _mark(session, f)
    session.commit()
    return _action_read(session, a, today())


def respond(session: Session, caller: Caller, finding_id: int, action_id: int, data: ActionResponse) -> ActionRead:
    f, a = _action(session, caller, finding_id, action_id)
    if not policies.is_owner(session, caller, a):
        raise Forbidden("Only the action's owner answers it.", code="not_action_owner")
    if a.status != "open":
        raise Conflict("The action has been answered already; wait for the inspector's verification.",
                       code="action_not_open", current_status=a.status)
    for eid in data.evidence_ids:
        ev = session.get(Evidence, eid)
        if ev is None or ev.finding_id != f.id:
            raise field_error("evidence_ids", f"Evidence {eid} was not attached to this finding.")
        ev.action_id = a.id
    before, now = audit.snapshot(a), utcnow()
    apply_changes(a, {"status": "responded", "response": data.response, "responded_at": now,
                      "responded_by": caller.id})
    audit.record(session, caller, "action.respond", "corrective_action", a.id, before, audit.snapshot(a))
    open_left = session.scalar(sa.select(sa.func.count()).where(col(CorrectiveAction.finding_id) == f.id,
                                                                col(CorrectiveAction.status) == "open"))
    if not open_left and f.status == "action_required":
        _set_finding_status(session, caller, f, "response_submitted")
    _mark(session, f)
    session.commit()
    return _action_read(session, a, today())


def verify(session: Session, caller: Caller, finding_id: int, action_id: int, data: ActionVerification) -> ActionRead:
    f, a = _action(session, caller, finding_id, action_id)
    policies.require_team(session, caller, f.campaign_id, "verify corrective actions")
    if a.status != "responded":
        raise Conflict("Only an answered action is verified.", code="action_not_responded", current_status=a.status)
    before, now = audit.snapshot(a), utcnow()
    if data.accepted:
        apply_changes(a, {"status": "accepted", "verification_comment": data.comment, "verified_at": now,
                          "verified_by": caller.id})
    else:
        apply_changes(a, {"status": "open", "verification_comment": data.comment, "verified_at": now,
                          "verified_by": caller.id, "rejections": a.rejections + 1})
    audit.record(session, caller, "action.verify", "corrective_action", a.id, before,
                 {**audit.snapshot(a), "accepted": data.accepted})
    statuses = set(session.scalars(sa.select(col(CorrectiveAction.status)).where(
        col(CorrectiveAction.finding_id) == f.id)))
    if statuses == {"accepted"} and f.status in ("response_submitted", "action_required"):
        _set_finding_status(session, caller, f, "verified", data.comment)
    elif not data.accepted and f.status == "response_submitted":
        _set_finding_status(session, caller, f, "action_required", data.comment)
    _mark(session, f)
    session.commit()
    return _action_read(session, a, today())


def notify_overdue(session: Session, day: date | None = None) -> int:
    """The daily job's part: an `action.overdue` event, once, for each open action past its due date."""
    day = day or today()
    issued = sa.select(col(Campaign.id)).where(col(Campaign.status).in_(campaign_policies.PUBLISHED))
    late = list(session.scalars(sa.select(CorrectiveAction).join(
        Finding, col(Finding.id) == col(CorrectiveAction.finding_id)).where(
        col(CorrectiveAction.status) == "open", col(CorrectiveAction.due_date) < day,
        col(CorrectiveAction.overdue_notified_on).is_(None),
        col(Finding.campaign_id).in_(issued))))  # an unissued plan's findings oblige no one
    for a in late:
        a.overdue_notified_on = day
        outbox.emit(session, "action.overdue", "corrective_action", a.id, {
            "action_id": a.id, "finding_id": a.finding_id, "due_date": a.due_date.isoformat()})
        f = session.get(Finding, a.finding_id)
        if f is not None:
            _mark(session, f)
    return len(late)


# ---- evidence -------------------------------------------------------------------------------

def _evidence_read(e: Evidence) -> EvidenceRead:
    return EvidenceRead.model_validate({**row_dict(e), "has_thumbnail": e.thumbnail_key is not None})


def _store(session: Session, caller: Caller, upload: BinaryIO, filename: str | None, declared: int | None,
           meta: EvidenceMeta, **links: Any) -> EvidenceRead:
    if meta.key is not None:
        earlier = _uploaded_with(session, caller, meta.key, links)
        if earlier is not None:
            return earlier
    stored = storage.store_upload(upload, filename, declared, get_settings().upload_max_bytes, thumbnail=True)
    e = Evidence(**links, product_id=meta.product_id, filename=stored.filename, content_type=stored.content_type,
                 size=stored.size, sha256=stored.sha256, storage_key=stored.key, thumbnail_key=stored.thumbnail_key,
                 captured_at=meta.captured_at, latitude=meta.latitude, longitude=meta.longitude,
                 accuracy_m=meta.accuracy_m, client_key=meta.key, uploaded_by=caller.id, uploaded_at=utcnow())
    session.add(e)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        # the same upload sent twice at once: the first one to commit is the evidence
        session.rollback()
        earlier = _uploaded_with(session, caller, meta.key or "", links) if meta.key else None
        if earlier is None:
            raise
        return earlier
    audit.record(session, caller, "evidence.upload", "evidence", e.id, None, audit.snapshot(e))
    session.commit()
    return _evidence_read(e)


class EvidenceMeta:
    """What the device says about a file besides its bytes: the product it shows, when and where it was taken,
    and the Idempotency-Key it was sent with."""

    def __init__(self, *, product_id: int | None = None, captured_at: Any = None, latitude: float | None = None,
                 longitude: float | None = None, accuracy_m: float | None = None, key: str | None = None) -> None:
        if (latitude is None) != (longitude is None):
            raise field_error("longitude" if longitude is None else "latitude",
                              "Give both latitude and longitude, or neither.")
        if accuracy_m is not None and latitude is None:
            raise field_error("accuracy_m", "An accuracy without a position means nothing: give latitude and "
                                            "longitude too.")
        self.product_id, self.captured_at = product_id, captured_at
        self.latitude, self.longitude, self.accuracy_m, self.key = latitude, longitude, accuracy_m, key


def _uploaded_with(session: Session, caller: Caller, key: str, links: dict[str, Any]) -> EvidenceRead | None:
    """The evidence the caller already uploaded with this Idempotency-Key (a repeat after a lost answer)."""
    e = session.scalars(sa.select(Evidence).where(col(Evidence.uploaded_by) == caller.id,
                                                  col(Evidence.client_key) == key)).first()
    if e is None:
        return None
    if any(getattr(e, k) != v for k, v in links.items()):
        raise Unprocessable("This Idempotency-Key was used with another upload.", code="idempotency_key_reused")
    return _evidence_read(e)


def _check_product(session: Session, product_id: int | None, producers: set[int]) -> None:
    if product_id is None:
        return
    product = session.get(Product, product_id)
    if product is None or product.producer_id not in producers:
        raise _refusal("product_id", "The file can only show a product of the producer inspected here.",
                       "evidence_product_mismatch")


def add_visit_evidence(session: Session, caller: Caller, visit_id: int, upload: BinaryIO, filename: str | None,
                       declared: int | None, item_code: str | None, meta: EvidenceMeta) -> EvidenceRead:
    v = _recording(session, caller, visit_id)
    if item_code:
        campaign = session.get(Campaign, v.campaign_id)
        assert campaign is not None
        if item_code not in _items(session, campaign):
            raise field_error("item_code", f"The campaign's checklist has no item {item_code}.")
    _check_product(session, meta.product_id, set(session.scalars(
        sa.select(col(VisitTarget.producer_id)).where(col(VisitTarget.visit_id) == v.id))))
    return _store(session, caller, upload, filename, declared, meta, visit_id=v.id, item_code=item_code)


def add_finding_evidence(session: Session, caller: Caller, finding_id: int, upload: BinaryIO, filename: str | None,
                         declared: int | None, meta: EvidenceMeta) -> EvidenceRead:
    f = _finding_row(session, caller, finding_id)[0]
    owner = any(policies.is_owner(session, caller, a) for a in session.scalars(
        sa.select(CorrectiveAction).where(col(CorrectiveAction.finding_id) == f.id)))
    if not owner:
        policies.require_team(session, caller, f.campaign_id, "attach evidence")
    _check_product(session, meta.product_id, {f.producer_id})
    return _store(session, caller, upload, filename, declared, meta, finding_id=f.id, visit_id=f.visit_id)


def list_evidence(session: Session, caller: Caller, page: PageParams, *, visit_id: int | None = None,
                  finding_id: int | None = None) -> EvidencePage:
    if visit_id is not None:
        _visit(session, caller, visit_id)
        if policies.is_outsider(caller):
            raise NotFound("The visit's evidence is the team's working record.", code="not_found")
        stmt = sa.select(Evidence).where(col(Evidence.visit_id) == visit_id)
    else:
        _finding_row(session, caller, finding_id or 0)
        stmt = sa.select(Evidence).where(col(Evidence.finding_id) == finding_id)
    rows, cursor = keyset_page(session, stmt, [col(Evidence.id)], page, key=lambda r: [r[0].id])
    return EvidencePage(items=[_evidence_read(r[0]) for r in rows], next_cursor=cursor)


def evidence_file(session: Session, caller: Caller, evidence_id: int, thumbnail: bool = False) -> tuple[Path, str, str]:
    e = session.get(Evidence, evidence_id)
    visible = False
    if e is not None and e.finding_id is not None:
        visible = session.scalar(sa.select(sa.literal(1)).select_from(Finding).where(
            col(Finding.id) == e.finding_id, policies.visible_findings(caller))) is not None
    if e is not None and not visible and e.visit_id is not None and not policies.is_outsider(caller):
        visible = session.scalar(sa.select(sa.literal(1)).select_from(Visit).join(
            Campaign, col(Campaign.id) == col(Visit.campaign_id)).where(
            col(Visit.id) == e.visit_id, campaign_policies.visible_campaigns(caller))) is not None
    if e is None or not visible:
        raise NotFound(f"Evidence {evidence_id} does not exist.", code="evidence_not_found")
    if thumbnail:
        if e.thumbnail_key is None:
            raise NotFound("This evidence has no thumbnail.", code="thumbnail_not_found")
        return storage.path_of(e.thumbnail_key), f"{Path(e.filename).stem}-nho.jpg", "image/jpeg"
    return storage.path_of(e.storage_key), e.filename, e.content_type



# ---- what an inspector takes into the field ----------------------------------------------------

OFFLINE_DAYS, OFFLINE_MAX_DAYS = 14, 60
OFFLINE_VISITS = 50  # visits in one bundle, the soonest first (`truncated` says when more fall in the period)
OFFLINE_FINDINGS = 100  # open findings per producer, the newest first
OFFLINE_ROWS = 200  # products, certificates, evidence descriptions per producer or visit
OFFLINE_STATES = ("planned", "in_progress")
RUNNING_CAMPAIGNS = ("issued", "in_progress", "reporting")


def _my_upcoming_visits(session: Session, caller: Caller, until: Any, limit: int) -> list[Visit]:
    """The caller's visits to record: of running campaigns whose team includes the caller (of those visits that
    name who goes, those naming the caller), being recorded or planned to start before `until` and not over yet."""
    members = dict(session.execute(sa.select(col(TeamMember.campaign_id), col(TeamMember.id)).where(
        col(TeamMember.user_id) == caller.id)).all())
    if not members:
        return []
    since = utcnow() - timedelta(days=1)  # a visit planned for yesterday and not started is still to be done
    rows = session.scalars(
        sa.select(Visit).join(Campaign, col(Campaign.id) == col(Visit.campaign_id)).where(
            col(Visit.campaign_id).in_(list(members)), col(Campaign.status).in_(RUNNING_CAMPAIGNS),
            col(Visit.status).in_(OFFLINE_STATES), campaign_policies.visible_campaigns(caller),
            campaign_policies.visible_visits(caller),
            sa.or_(col(Visit.status) == "in_progress",
                   sa.and_(col(Visit.starts_at) < until, col(Visit.ends_at) >= since)))
        .order_by(col(Visit.starts_at), col(Visit.id)))
    out = []
    for v in rows:  # "who goes" is a JSON list: filtered here
        if v.team_member_ids and members[v.campaign_id] not in v.team_member_ids:
            continue
        out.append(v)
        if len(out) > limit:
            break
    return out


def offline_bundle(session: Session, caller: Caller, days: int) -> OfflineBundle:
    """Everything the visit screens need without a connection, for the caller's coming visits: each visit with
    its record, answers and evidence descriptions; each campaign's checklist; each producer visited with its
    products, certificates and open findings with their actions. Only what the caller may read: every part is
    read through the same rules as its own endpoint."""
    from ocop.campaigns import service as campaigns
    from ocop.registry import service as registry

    if caller.kind != "user" or caller.has("producer"):
        raise Forbidden("Visits are taken into the field by members of campaign teams, and a producer's user is "
                        "never one of a team.", code="not_in_team")
    now = utcnow()
    until = now + timedelta(days=days)
    visits = _my_upcoming_visits(session, caller, until, OFFLINE_VISITS)
    truncated, visits = len(visits) > OFFLINE_VISITS, visits[:OFFLINE_VISITS]
    reads = {r.id: r for r in campaigns._visit_reads(session, visits)}
    rows = PageParams(limit=OFFLINE_ROWS, cursor=None)
    campaign_rows = {c.id or 0: c for c in session.scalars(sa.select(Campaign).where(
        col(Campaign.id).in_({v.campaign_id for v in visits})))}
    out_visits = []
    for v in visits:
        c = campaign_rows[v.campaign_id]
        out_visits.append(OfflineVisit(
            visit=reads[v.id or 0], record=_record_read(session, caller, v),
            answers=list_answers(session, caller, v.id or 0).items,
            evidence=list_evidence(session, caller, rows, visit_id=v.id).items,
            campaign=OfflineCampaign(id=c.id or 0, title=c.title, document_number=c.document_number,
                                     status=c.status)))
    checklists = []
    for cid in sorted(campaign_rows):
        if campaign_rows[cid].checklist_template_id is not None:
            checklists.append(OfflineChecklist(campaign_id=cid,
                                               checklist=campaigns.campaign_checklist(session, caller, cid)))
    producer_ids = list(dict.fromkeys(t.producer_id for v in visits for t in reads[v.id or 0].targets))
    producers = []
    for pid in producer_ids:
        try:
            producer = registry.get_producer(session, caller, pid)
        except NotFound:
            continue  # outside what the caller may read of the registry
        found = session.execute(_finding_stmt(caller).where(
            col(Finding.producer_id) == pid, col(Finding.status).in_(ACTIVE_FINDINGS))
            .order_by(col(Finding.id).desc()).limit(OFFLINE_FINDINGS + 1)).all()
        more, found = len(found) > OFFLINE_FINDINGS, found[:OFFLINE_FINDINGS]
        roles = _team_roles(session, caller, {r[0].campaign_id for r in found})
        open_ = [_finding_read(session, caller, r, roles) for r in found]
        # the actions of findings the caller sees (the rule of a finding's own action list)
        action_rows = list(session.scalars(sa.select(CorrectiveAction).where(
            col(CorrectiveAction.finding_id).in_([f.id for f in open_])).order_by(col(CorrectiveAction.id))))
        evidence = _evidence_of(session, [a.id or 0 for a in action_rows])
        day = today()
        actions = [_action_read(session, a, day, evidence[a.id or 0]) for a in action_rows]
        producers.append(OfflineProducer(
            producer=producer, products=registry.list_products(session, caller, rows, producer_id=pid).items,
            certificates=registry.list_certificates(session, caller, rows, producer_id=pid).items,
            findings=open_, actions=actions, truncated=more))
    return OfflineBundle(generated_at=now, days=days, until=until, limit=OFFLINE_VISITS, truncated=truncated,
                         visits=out_visits, checklists=checklists, producers=producers)
