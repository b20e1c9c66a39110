"""Campaigns: the plan and its workflow, checklists, units, team, schedule, tasks and local reports.

Warnings, notices and the selection help are in `planning.py`.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core import changes as change_marks
from ocop.core import outbox, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.dates import local_date, quarter_bounds, today
from ocop.core.db import utcnow
from ocop.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    field_error,
)
from ocop.core.export import paged_rows
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.text import fold, like_pattern
from ocop.core.versioning import apply_changes, check_if_match
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit, Agency, User, UserRole
from ocop.registry.models import Producer, Product

from . import policies
from .models import (
    Campaign,
    CampaignRevision,
    CampaignUnit,
    ChecklistItem,
    ChecklistTemplate,
    LocalReport,
    LocalReportAttachment,
    Task,
    TeamMember,
    Visit,
    VisitTarget,
)
from .schemas import (
    Amendment,
    AttachmentRead,
    CampaignChecklist,
    CampaignCreate,
    CampaignPage,
    CampaignRead,
    CampaignSummary,
    CampaignUnitPage,
    CampaignUnitRead,
    CampaignUpdate,
    ChecklistItemIn,
    ChecklistItemRead,
    ChecklistItemUpdate,
    ChecklistSection,
    ChecklistTemplatePage,
    ChecklistTemplateRead,
    LocalReportCreate,
    LocalReportPage,
    LocalReportRead,
    LocalReportUpdate,
    ReportTransition,
    RevisionPage,
    RevisionRead,
    TaskCreate,
    TaskPage,
    TaskRead,
    TaskUpdate,
    TeamMemberCreate,
    TeamMemberPage,
    TeamMemberRead,
    TeamMemberUpdate,
    Transition,
    UnitRef,
    VisitCreate,
    VisitPage,
    VisitRead,
    VisitTargetRead,
    VisitUpdate,
)

DEFAULT_CHECKLIST_CSV = Path(__file__).resolve().parents[1] / "data" / "checklist-ocop-post-certification.csv"
DEFAULT_TEMPLATE_CODE = "ocop-post-certification"
# Parts of a campaign (team, schedule, tasks, reports) change until it is closed or cancelled.
ACTIVE = ("draft", "submitted", "issued", "in_progress", "reporting")
LEADER = ("leader",)
RUNNERS = ("admin", "coordinator", "leader")
# from state → {to state: roles that may move it}
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "draft": {"submitted": policies.EDITORS, "cancelled": ("admin", "coordinator", "leader")},
    "submitted": {"draft": RUNNERS, "issued": LEADER, "cancelled": LEADER},
    "issued": {"in_progress": RUNNERS, "cancelled": LEADER},
    "in_progress": {"reporting": RUNNERS, "cancelled": LEADER},
    "reporting": {"closed": LEADER, "in_progress": RUNNERS},
}
PLAN_FIELDS = ("title", "year", "issuing_agency_id", "place", "document_date", "introduction", "legal_bases",
               "purposes", "requirements", "content_areas", "methods", "targets", "team_composition",
               "counterparts", "period", "closing", "signer_prefix", "signer_title", "signer_name", "recipients")


# ---- checklists -----------------------------------------------------------------------------

def _item_counts(session: Session, template_ids: list[int | None]) -> dict[int, int]:
    return dict(session.execute(sa.select(col(ChecklistItem.template_id), sa.func.count())  # type: ignore[arg-type]
                                .where(col(ChecklistItem.template_id).in_(template_ids))
                                .group_by(col(ChecklistItem.template_id))).all())


def _template_read(session: Session, t: ChecklistTemplate, count: int | None = None) -> ChecklistTemplateRead:
    n = count if count is not None else _item_counts(session, [t.id]).get(t.id or 0, 0)
    return ChecklistTemplateRead.model_validate({**t.model_dump(), "item_count": n})


def _items(session: Session, template_id: int) -> list[ChecklistItem]:
    return list(session.scalars(sa.select(ChecklistItem).where(col(ChecklistItem.template_id) == template_id)
                                .order_by(col(ChecklistItem.content_area), col(ChecklistItem.position),
                                          col(ChecklistItem.id))))


def ensure_default_template(session: Session) -> ChecklistTemplate:
    """The default OCOP post-certification checklist (version 1), built from the bundled CSV once."""
    existing = session.scalars(sa.select(ChecklistTemplate).where(
        col(ChecklistTemplate.code) == DEFAULT_TEMPLATE_CODE).order_by(col(ChecklistTemplate.version))).first()
    if existing is not None:
        return existing
    now = utcnow()
    template = ChecklistTemplate(code=DEFAULT_TEMPLATE_CODE, version=1, status="published", created_at=now,
                                 published_at=now, name="Kiểm tra sau chứng nhận sản phẩm OCOP",
                                 note="Xây dựng theo các nội dung kiểm tra của kế hoạch và Quyết định 148/QĐ-TTg.")
    session.add(template)
    session.flush()
    with DEFAULT_CHECKLIST_CSV.open(encoding="utf-8") as fh:
        for position, row in enumerate(csv.DictReader(fh)):
            session.add(ChecklistItem(
                template_id=template.id, code=row["code"], content_area=int(row["content_area"]),  # type: ignore[arg-type]
                position=position, applies_to=row["applies_to"], question=row["question"],
                guidance=row["guidance"] or None, legal_reference=row["legal_reference"] or None,
                answer_type=row["answer_type"], evidence=row["evidence"] or "none",
                severity=row["severity_if_failed"]))
    session.flush()
    audit.record(session, None, "checklist_template.create", "checklist_template", template.id, None,
                 audit.snapshot(template))
    return template


def newest_published(session: Session, code: str = DEFAULT_TEMPLATE_CODE) -> ChecklistTemplate | None:
    return session.scalars(sa.select(ChecklistTemplate).where(
        col(ChecklistTemplate.code) == code, col(ChecklistTemplate.status) == "published")
        .order_by(col(ChecklistTemplate.version).desc())).first()


def list_templates(session: Session, caller: Caller, page: PageParams) -> ChecklistTemplatePage:
    _require_staff(caller)
    stmt = sa.select(ChecklistTemplate).where(col(ChecklistTemplate.campaign_id).is_(None))
    rows, cursor = keyset_page(session, stmt, [col(ChecklistTemplate.id)], page, key=lambda r: [r[0].id])
    counts = _item_counts(session, [r[0].id for r in rows])
    return ChecklistTemplatePage(items=[_template_read(session, r[0], counts.get(r[0].id, 0)) for r in rows],
                                 next_cursor=cursor)


def _checklist(session: Session, t: ChecklistTemplate, editable: bool,
               areas: list[dict[str, Any]] | None = None) -> CampaignChecklist:
    titles = {a["number"]: a["title"] for a in (areas or [])}
    grouped: dict[int, list[ChecklistItemRead]] = {n: [] for n in titles}
    for item in _items(session, t.id or 0):
        grouped.setdefault(item.content_area, []).append(ChecklistItemRead.model_validate(item, from_attributes=True))
    return CampaignChecklist(template=_template_read(session, t), editable=editable, sections=[
        ChecklistSection(content_area=n, title=titles.get(n), items=grouped[n]) for n in sorted(grouped)])


def get_template(session: Session, caller: Caller, template_id: int) -> CampaignChecklist:
    _require_staff(caller)
    t = session.get(ChecklistTemplate, template_id)
    if t is None or t.campaign_id is not None:
        raise NotFound(f"Checklist template {template_id} does not exist.", code="checklist_template_not_found")
    return _checklist(session, t, editable=t.status == "draft" and policies.can_edit(caller))


def new_template_version(session: Session, caller: Caller, template_id: int) -> CampaignChecklist:
    """A draft copy of a template as the next version of its family."""
    policies.require_edit(caller, "prepare a checklist version")
    source = session.get(ChecklistTemplate, template_id)
    if source is None or source.campaign_id is not None:
        raise NotFound(f"Checklist template {template_id} does not exist.", code="checklist_template_not_found")
    if session.scalar(sa.select(col(ChecklistTemplate.id)).where(
            col(ChecklistTemplate.code) == source.code, col(ChecklistTemplate.status) == "draft")):
        raise Conflict("A draft version of this checklist already exists; publish or edit it.",
                       code="checklist_draft_exists")
    top = session.scalar(sa.select(sa.func.max(ChecklistTemplate.version)).where(
        col(ChecklistTemplate.code) == source.code)) or 0
    copy = _copy_template(session, source, code=source.code, version=top + 1, campaign_id=None)
    audit.record(session, caller, "checklist_template.create", "checklist_template", copy.id, None,
                 audit.snapshot(copy))
    session.commit()
    return _checklist(session, copy, editable=True)


def publish_template(session: Session, caller: Caller, template_id: int) -> CampaignChecklist:
    policies.require_edit(caller, "publish a checklist")
    t = session.get(ChecklistTemplate, template_id)
    if t is None or t.campaign_id is not None:
        raise NotFound(f"Checklist template {template_id} does not exist.", code="checklist_template_not_found")
    if t.status != "draft":
        raise Conflict("Only a draft checklist can be published.", code="checklist_not_draft")
    if not _items(session, template_id):
        raise Conflict("An empty checklist cannot be published.", code="checklist_empty")
    before = audit.snapshot(t)
    t.status, t.published_at = "published", utcnow()
    audit.record(session, caller, "checklist_template.publish", "checklist_template", t.id, before, audit.snapshot(t))
    session.commit()
    return _checklist(session, t, editable=False)


def _copy_template(session: Session, source: ChecklistTemplate, *, code: str, version: int,
                   campaign_id: int | None) -> ChecklistTemplate:
    copy = ChecklistTemplate(code=code, version=version, name=source.name, status="draft", based_on_id=source.id,
                             campaign_id=campaign_id, created_at=utcnow())
    session.add(copy)
    session.flush()
    for item in _items(session, source.id or 0):
        data = item.model_dump(exclude={"id", "template_id", "version"})
        session.add(ChecklistItem(**data, template_id=copy.id or 0))
    session.flush()
    return copy


def campaign_checklist(session: Session, caller: Caller, campaign_id: int) -> CampaignChecklist:
    c = visible_campaign(session, caller, campaign_id)
    if not policies.sees_internal_parts(caller):
        raise NotFound(f"Campaign {campaign_id} has no checklist you can see.", code="not_found")
    if c.checklist_template_id is None:
        raise NotFound("This campaign has no checklist yet.", code="checklist_not_found")
    t = session.get(ChecklistTemplate, c.checklist_template_id)
    assert t is not None
    return _checklist(session, t, editable=c.status == "draft" and policies.can_edit(caller), areas=c.content_areas)


def _editable_template(session: Session, caller: Caller, *, campaign_id: int | None,
                       template_id: int | None) -> ChecklistTemplate:
    """The template an item edit applies to: a draft family version, or the draft campaign's own copy
    (made on the first edit, so the shared version is never changed)."""
    policies.require_edit(caller, "edit a checklist")
    if campaign_id is not None:
        c = visible_campaign(session, caller, campaign_id)
        if c.status != "draft":
            raise Conflict("The checklist of an issued or submitted campaign is frozen.", code="checklist_frozen")
        t = session.get(ChecklistTemplate, c.checklist_template_id) if c.checklist_template_id else None
        if t is None:
            t = ensure_default_template(session)
        if t.campaign_id != c.id:
            t = _copy_template(session, t, code=f"campaign-{c.id}", version=1, campaign_id=c.id)
            c.checklist_template_id = t.id
        return t
    t = session.get(ChecklistTemplate, template_id) if template_id is not None else None
    if t is None or t.campaign_id is not None:
        raise NotFound(f"Checklist template {template_id} does not exist.", code="checklist_template_not_found")
    if t.status != "draft":
        raise Conflict("A published checklist cannot change; prepare a new version.", code="checklist_not_draft")
    return t


def _after_item_edit(session: Session, caller: Caller, campaign_id: int | None,
                     template: ChecklistTemplate) -> CampaignChecklist:
    session.commit()
    if campaign_id is not None:
        return campaign_checklist(session, caller, campaign_id)
    return _checklist(session, template, editable=True)


def add_item(session: Session, caller: Caller, data: ChecklistItemIn, *, campaign_id: int | None = None,
             template_id: int | None = None) -> CampaignChecklist:
    t = _editable_template(session, caller, campaign_id=campaign_id, template_id=template_id)
    if session.scalar(sa.select(col(ChecklistItem.id)).where(col(ChecklistItem.template_id) == t.id,
                                                             col(ChecklistItem.code) == data.code)):
        raise Conflict(f"The checklist already has an item {data.code}.", code="duplicate_item_code")
    position = data.position
    if position is None:
        position = (session.scalar(sa.select(sa.func.max(ChecklistItem.position)).where(
            col(ChecklistItem.template_id) == t.id)) or 0) + 1
    item = ChecklistItem(**data.model_dump(exclude={"position"}), position=position, template_id=t.id or 0)
    session.add(item)
    session.flush()
    audit.record(session, caller, "checklist_item.create", "checklist_item", item.id, None, audit.snapshot(item))
    return _after_item_edit(session, caller, campaign_id, t)


def _item_in(session: Session, t: ChecklistTemplate, code: str) -> ChecklistItem:
    item = session.scalars(sa.select(ChecklistItem).where(col(ChecklistItem.template_id) == t.id,
                                                          col(ChecklistItem.code) == code)).first()
    if item is None:
        raise NotFound(f"The checklist has no item {code}.", code="checklist_item_not_found")
    return item


def update_item(session: Session, caller: Caller, code: str, data: ChecklistItemUpdate, if_match: str | None, *,
                campaign_id: int | None = None, template_id: int | None = None) -> CampaignChecklist:
    t = _editable_template(session, caller, campaign_id=campaign_id, template_id=template_id)
    item = _item_in(session, t, code)
    check_if_match(if_match, item.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("content_area", "position", "applies_to", "question", "answer_type", "evidence", "severity"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    before = audit.snapshot(item)
    for key, value in changes.items():
        setattr(item, key, value)
    item.version += 1
    audit.record(session, caller, "checklist_item.update", "checklist_item", item.id, before, audit.snapshot(item))
    return _after_item_edit(session, caller, campaign_id, t)


def delete_item(session: Session, caller: Caller, code: str, *, campaign_id: int | None = None,
                template_id: int | None = None) -> None:
    t = _editable_template(session, caller, campaign_id=campaign_id, template_id=template_id)
    item = _item_in(session, t, code)
    audit.record(session, caller, "checklist_item.delete", "checklist_item", item.id, audit.snapshot(item), None)
    session.delete(item)
    session.commit()


def _require_staff(caller: Caller) -> None:
    if caller.kind != "user" or not caller.has("admin", "coordinator", "leader", "inspector", "viewer"):
        raise NotFound("No checklist templates here.", code="not_found")


# ---- campaigns ------------------------------------------------------------------------------

def visible_campaign(session: Session, caller: Caller, campaign_id: int) -> Campaign:
    c = session.scalars(sa.select(Campaign).where(col(Campaign.id) == campaign_id,
                                                  policies.visible_campaigns(caller))).first()
    if c is None:
        raise NotFound(f"Campaign {campaign_id} does not exist.", code="campaign_not_found")
    return c


def _period_dates(period: dict[str, Any] | None) -> tuple[date | None, date | None]:
    if not period:
        return None, None
    if period.get("kind") == "quarter":
        return quarter_bounds(int(period["year"]), int(period["quarter"]))
    return (date.fromisoformat(str(period["start"])) if period.get("start") else None,
            date.fromisoformat(str(period["end"])) if period.get("end") else None)


def allowed_for(caller: Caller, status: str) -> list[str]:
    if caller.kind != "user":
        return []
    return [to for to, roles in TRANSITIONS.get(status, {}).items() if caller.has(*roles)]


def _units(session: Session, campaign_id: int) -> list[UnitRef]:
    rows = session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name), col(AdminUnit.level))
                           .join(CampaignUnit, col(CampaignUnit.admin_unit_id) == col(AdminUnit.id))
                           .where(col(CampaignUnit.campaign_id) == campaign_id).order_by(col(AdminUnit.name))).all()
    return [UnitRef(id=r[0], name=r[1], level=r[2]) for r in rows]


def _campaign_read(session: Session, caller: Caller, c: Campaign) -> CampaignRead:
    agency = session.get(Agency, c.issuing_agency_id)
    units = _units(session, c.id or 0)
    if policies.is_local(caller):
        mine = set(session.scalars(policies.local_units(caller)))
        units = [u for u in units if u.id in mine]
    return CampaignRead.model_validate({
        **c.model_dump(), "period": c.period or None, "issuing_agency_name": agency.name if agency else None,
        "units": units, "allowed_transitions": allowed_for(caller, c.status),
        "editable": c.status == "draft" and policies.can_edit(caller)})


def get_campaign(session: Session, caller: Caller, campaign_id: int) -> CampaignRead:
    return _campaign_read(session, caller, visible_campaign(session, caller, campaign_id))


def list_campaigns(session: Session, caller: Caller, page: PageParams, *, q: str | None = None,
                   status: str | None = None, year: int | None = None, unit_id: int | None = None) -> CampaignPage:
    stmt = sa.select(Campaign).where(policies.visible_campaigns(caller))
    if q:
        stmt = stmt.where(sa.or_(col(Campaign.search_title).like(like_pattern(q), escape="\\"),
                                 col(Campaign.document_number) == q.strip()))
    if status:
        stmt = stmt.where(col(Campaign.status) == status)
    if year is not None:
        stmt = stmt.where(col(Campaign.year) == year)
    if unit_id is not None:
        stmt = stmt.where(col(Campaign.id).in_(sa.select(col(CampaignUnit.campaign_id)).where(
            col(CampaignUnit.admin_unit_id).in_(org_policies.units_within(unit_id)))))
    rows, cursor = keyset_page(session, stmt, [col(Campaign.id)], page, descending=True, key=lambda r: [r[0].id])
    return CampaignPage(items=[CampaignSummary.model_validate(r[0], from_attributes=True) for r in rows],
                        next_cursor=cursor)


def _check_agency(session: Session, field: str, agency_id: int | None) -> None:
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise field_error(field, f"Agency {agency_id} does not exist.")


def _check_user(session: Session, field: str, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise field_error(field, f"User {user_id} does not exist or is not active.")
    return user


def _check_plan_refs(session: Session, data: dict[str, Any]) -> None:
    _check_agency(session, "issuing_agency_id", data.get("issuing_agency_id"))
    for i, line in enumerate(data.get("team_composition") or []):
        for aid in line.get("agency_ids", []):
            _check_agency(session, f"team_composition[{i}].agency_ids", aid)
    for i, line in enumerate(data.get("recipients") or []):
        for aid in line.get("agency_ids", []):
            _check_agency(session, f"recipients[{i}].agency_ids", aid)
    for i, line in enumerate(data.get("counterparts") or []):
        _check_agency(session, f"counterparts[{i}].agency_id", line.get("agency_id"))


def _set_plan(c: Campaign, data: dict[str, Any]) -> None:
    for key in PLAN_FIELDS:
        if key in data:
            setattr(c, key, data[key] if key != "period" else (data[key] or {}))
    c.search_title = fold(c.title)
    c.period_start, c.period_end = _period_dates(c.period)


def create_campaign(session: Session, caller: Caller, data: CampaignCreate) -> CampaignRead:
    policies.require_edit(caller, "create a campaign")
    c = add_campaign(session, caller, data)
    session.commit()
    return get_campaign(session, caller, c.id or 0)


def add_campaign(session: Session, actor: Caller, data: CampaignCreate, document_number: str | None = None
                 ) -> Campaign:
    """A draft campaign in the current transaction, for a coordinator or a system (the e-office inbound)."""
    plan = data.model_dump(mode="json", exclude={"tasks", "unit_ids", "checklist_template_id"})
    plan["document_date"] = data.document_date
    _check_plan_refs(session, plan)
    if data.checklist_template_id is not None:
        t = session.get(ChecklistTemplate, data.checklist_template_id)
        if t is None or t.status != "published" or t.campaign_id is not None:
            raise field_error("checklist_template_id", "Choose a published checklist template.")
    else:
        t = newest_published(session) or ensure_default_template(session)
    now = utcnow()
    c = Campaign(title=data.title, year=data.year, issuing_agency_id=data.issuing_agency_id, place=data.place,
                 search_title="", checklist_template_id=t.id, document_number=document_number,
                 created_by=actor.id if actor.kind == "user" else None, created_at=now, updated_at=now)
    _set_plan(c, plan)
    session.add(c)
    session.flush()
    for i, task in enumerate(data.tasks, start=1):
        _new_task(session, c, TaskCreate(**task.model_dump()), position=i)
    for uid in dict.fromkeys(data.unit_ids):
        _add_unit(session, c, uid, field="unit_ids")
    audit.record(session, actor, "campaign.create", "campaign", c.id, None, audit.snapshot(c))
    return c


def update_campaign(session: Session, caller: Caller, campaign_id: int, data: CampaignUpdate,
                    if_match: str | None) -> CampaignRead:
    c = visible_campaign(session, caller, campaign_id)
    policies.require_edit(caller, "edit a campaign")
    check_if_match(if_match, c.version)
    if c.status != "draft":
        raise Conflict("An issued plan cannot be edited; amend it instead (POST …/amendments). A submitted plan "
                       "must be returned to draft first.", code="campaign_not_editable", current_status=c.status)
    changes = _plan_changes(session, data)
    before = audit.snapshot(c)
    _set_plan(c, changes)
    apply_changes(c, {})
    audit.record(session, caller, "campaign.update", "campaign", c.id, before, audit.snapshot(c))
    session.commit()
    return get_campaign(session, caller, campaign_id)


def _plan_changes(session: Session, data: CampaignUpdate) -> dict[str, Any]:
    changes = data.model_dump(mode="json", exclude_unset=True)
    if "document_date" in changes:
        changes["document_date"] = data.document_date
    for field in ("title", "year", "issuing_agency_id", "place"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    for field in ("legal_bases", "purposes", "requirements", "content_areas", "methods", "targets",
                  "team_composition", "counterparts", "recipients"):
        if field in changes and changes[field] is None:
            changes[field] = []
    _check_plan_refs(session, changes)
    return changes


def plan_content(session: Session, c: Campaign) -> dict[str, Any]:
    """The issued document as it reads: plan fields, units, section VI tasks and the team."""
    content = {k: getattr(c, k) for k in PLAN_FIELDS}
    content["document_date"] = c.document_date.isoformat() if c.document_date else None
    content["document_number"] = c.document_number
    content["units"] = [u.model_dump() for u in _units(session, c.id or 0)]
    content["tasks"] = [{"description": t.description, "assignee_agency_id": t.assignee_agency_id,
                         "assignee_label": t.assignee_label,
                         "due_date": t.due_date.isoformat() if t.due_date else None}
                        for t in session.scalars(sa.select(Task).where(col(Task.campaign_id) == c.id,
                                                                       col(Task.kind) == "plan")
                                                 .order_by(col(Task.position), col(Task.id)))]
    content["checklist_template_id"] = c.checklist_template_id
    return content


def _snapshot_revision(session: Session, caller: Caller, c: Campaign, reason: str | None) -> None:
    c.revision += 1
    session.add(CampaignRevision(campaign_id=c.id, revision=c.revision, document_number=c.document_number,  # type: ignore[arg-type]
                                 reason=reason, content=plan_content(session, c), created_by=caller.id,
                                 created_at=utcnow()))


def _readiness_problems(session: Session, c: Campaign) -> dict[str, str]:
    """What keeps a plan from being submitted or issued: code → message."""
    problems = {}
    if not c.content_areas:
        problems["no_content_areas"] = "The plan has no content areas (section II)."
    if not c.period:
        problems["no_period"] = "The plan has no planned period (section V)."
    heads = session.scalar(sa.select(sa.func.count()).where(col(TeamMember.campaign_id) == c.id,
                                                            col(TeamMember.role) == "head")) or 0
    if heads != 1:
        problems["no_head"] = "The team needs exactly one head (Trưởng đoàn)."
    if c.checklist_template_id is None:
        problems["no_checklist"] = "The campaign has no checklist."
    return problems


def plan_number_taken(session: Session, agency_id: int, number: str, day: date | None,
                      except_id: int | None = None) -> bool:
    """Whether a plan of the agency already carries `number` in the register of `day`'s year (the register starts
    again each year; without a date, in any year)."""
    query = sa.select(col(Campaign.id)).where(col(Campaign.issuing_agency_id) == agency_id,
                                               col(Campaign.document_number) == number)
    if day is not None:
        query = query.where(sa.extract("year", col(Campaign.document_date)) == day.year)
    if except_id is not None:
        query = query.where(col(Campaign.id) != except_id)
    return session.scalars(query.limit(1)).first() is not None


def _check_number(session: Session, c: Campaign, number: str, day: date) -> None:
    """The register's number fits the plan (its type code) and no other plan of the agency has it in the year of
    the plan's date (the register starts again each year; the table holds a number once per agency and year)."""
    code = c.doc_type or "KH"
    if number.split("/", 1)[1].split("-", 1)[0] != code:
        raise field_error("document_number", f"A plan's number carries its type code: …/{code}-… (e.g. 01/{code}-SNN).")
    if plan_number_taken(session, c.issuing_agency_id, number, day, except_id=c.id):
        raise Conflict(f"The number {number} is already used by another plan of this agency.",
                       code="document_number_taken")


def transition(session: Session, caller: Caller, campaign_id: int, data: Transition) -> CampaignRead:
    c = visible_campaign(session, caller, campaign_id)
    from_state = c.status
    targets = TRANSITIONS.get(from_state, {})
    if data.to not in targets:
        raise Conflict(f"A campaign in state '{from_state}' cannot move to '{data.to}'.",
                       code="transition_not_allowed", allowed=list(targets))
    if not caller.has(*targets[data.to]) or caller.kind != "user":
        raise Forbidden(f"Your role may not move this campaign to '{data.to}'.", code="transition_forbidden",
                        allowed=allowed_for(caller, from_state))
    if data.to in ("submitted", "issued"):
        problems = _readiness_problems(session, c)
        if problems:
            raise Conflict("The plan is not ready: " + " ".join(problems.values()), code="campaign_incomplete",
                           problems=list(problems.values()), problem_codes=list(problems))
    if data.to in ("cancelled", "draft") and from_state != "draft" and not data.note:
        raise field_error("note", "Give the reason (note) for returning or cancelling the plan.")
    before = audit.snapshot(c)
    if data.to == "issued":
        _issue(session, caller, c, data)
    c.status = data.to
    apply_changes(c, {})
    if (from_state in policies.PUBLISHED) != (data.to in policies.PUBLISHED):
        # only findings of issued plans count toward compliance: those of this one start or stop counting
        change_marks.mark(session, "campaign", [c.id])
    audit.record(session, caller, f"campaign.{data.to}", "campaign", c.id, before,
                 {**audit.snapshot(c), "note": data.note})
    outbox.emit(session, f"campaign.{data.to}", "campaign", c.id, {
        "campaign_id": c.id, "from": from_state, "to": data.to, "document_number": c.document_number,
        "title": c.title, "note": data.note, "by": caller.name})
    session.commit()
    return get_campaign(session, caller, campaign_id)


def _issue(session: Session, caller: Caller, c: Campaign, data: Transition) -> None:
    """The number and date come from the agency's register (the clerk's), never from the system. The document as
    issued is rendered and kept in the same transaction by the reports domain (on `campaign.issued`)."""
    if not data.document_number:
        raise field_error("document_number", "Issuing needs the number the clerk takes from the agency's register "
                                             "(e.g. 01/KH-SNN).")
    number, day = data.document_number, data.document_date or today()
    _check_number(session, c, number, day)
    c.document_number, c.document_date = number, day
    c.issued_by, c.issued_at = caller.id, utcnow()
    if not c.signer_name:
        user = session.get(User, caller.id)
        c.signer_name = user.full_name if user else caller.name
    if not c.signer_title:
        c.signer_title = "GIÁM ĐỐC"
    t = session.get(ChecklistTemplate, c.checklist_template_id) if c.checklist_template_id else None
    if t is not None and t.campaign_id == c.id:
        t.status, t.published_at = "frozen", utcnow()
    _snapshot_revision(session, caller, c, None)


def amend(session: Session, caller: Caller, campaign_id: int, data: Amendment, if_match: str | None) -> CampaignRead:
    c = visible_campaign(session, caller, campaign_id)
    policies.require_leader(caller, "amend an issued plan")
    check_if_match(if_match, c.version)
    if c.status not in ("issued", "in_progress", "reporting"):
        raise Conflict("Only an issued plan is amended; a draft is edited directly.", code="campaign_not_amendable",
                       current_status=c.status)
    changes = _plan_changes(session, data.changes)
    if "document_date" in changes and changes["document_date"] is None:
        raise field_error("changes.document_date", "An issued plan keeps a date; give the new one.")
    new_number = data.document_number or c.document_number
    new_date = changes.get("document_date", c.document_date)
    old_year = c.document_date.year if c.document_date else None
    if new_number and new_date and (new_number, new_date.year) != (c.document_number, old_year):
        _check_number(session, c, new_number, new_date)  # a new number, or the same in another year's register
    before = audit.snapshot(c)
    was = (c.document_number, c.document_date)
    _set_plan(c, changes)
    if data.document_number:
        c.document_number = data.document_number
    # a new number or date, or the leader's word, issues the plan again: a new version of its document (reports)
    reissued = data.reissue or (c.document_number, c.document_date) != was
    apply_changes(c, {})
    _snapshot_revision(session, caller, c, data.reason)
    audit.record(session, caller, "campaign.amend", "campaign", c.id, before,
                 {**audit.snapshot(c), "reason": data.reason, "reissued": reissued})
    outbox.emit(session, "campaign.amended", "campaign", c.id, {
        "campaign_id": c.id, "revision": c.revision, "reason": data.reason, "document_number": c.document_number,
        "document_date": c.document_date.isoformat() if c.document_date else None, "reissued": reissued,
        "by": caller.name})
    session.commit()
    return get_campaign(session, caller, campaign_id)


def list_revisions(session: Session, caller: Caller, campaign_id: int, page: PageParams) -> RevisionPage:
    visible_campaign(session, caller, campaign_id)
    stmt = sa.select(CampaignRevision).where(col(CampaignRevision.campaign_id) == campaign_id)
    rows, cursor = keyset_page(session, stmt, [col(CampaignRevision.revision)], page, key=lambda r: [r[0].revision])
    return RevisionPage(items=[RevisionRead.model_validate(r[0], from_attributes=True) for r in rows],
                        next_cursor=cursor)


def get_revision(session: Session, caller: Caller, campaign_id: int, revision: int) -> RevisionRead:
    visible_campaign(session, caller, campaign_id)
    r = session.scalars(sa.select(CampaignRevision).where(col(CampaignRevision.campaign_id) == campaign_id,
                                                          col(CampaignRevision.revision) == revision)).first()
    if r is None:
        raise NotFound(f"Campaign {campaign_id} has no revision {revision}.", code="revision_not_found")
    return RevisionRead.model_validate(r, from_attributes=True)


def _active_for_parts(session: Session, caller: Caller, campaign_id: int) -> Campaign:
    """The campaign, when the caller may change its team, schedule, units or tasks."""
    c = visible_campaign(session, caller, campaign_id)
    policies.require_edit(caller, "change the team, schedule or tasks")
    if c.status not in ACTIVE:
        raise Conflict(f"The campaign is {c.status}; it no longer changes.", code="campaign_closed")
    return c


# ---- units and their report tasks -----------------------------------------------------------

def _unit_agency(session: Session, unit_id: int) -> Agency | None:
    """The People's Committee of a unit (the addressee of its notice, the assignee of its report)."""
    return session.scalars(sa.select(Agency).where(col(Agency.admin_unit_id) == unit_id,
                                                   col(Agency.kind) == "peoples_committee")).first()


def _report_due(session: Session, campaign_id: int, unit_id: int) -> date | None:
    first = session.scalar(sa.select(sa.func.min(Visit.starts_at)).where(
        col(Visit.campaign_id) == campaign_id, col(Visit.admin_unit_id) == unit_id,
        col(Visit.kind) == "working_session"))
    if first is None:
        first = session.scalar(sa.select(sa.func.min(Visit.starts_at)).where(
            col(Visit.campaign_id) == campaign_id, col(Visit.admin_unit_id) == unit_id))
    if first is None:
        return None
    if first.tzinfo is None:  # min() over SQLite returns the stored naive UTC value
        first = first.replace(tzinfo=UTC)
    return local_date(first) - timedelta(days=get_settings().local_report_lead_days)


def _add_unit(session: Session, c: Campaign, unit_id: int, field: str = "admin_unit_id") -> bool:
    unit = session.get(AdminUnit, unit_id)
    if unit is None:
        raise field_error(field, f"Administrative unit {unit_id} does not exist.")
    if session.get(CampaignUnit, (c.id, unit_id)) is not None:
        return False
    session.add(CampaignUnit(campaign_id=c.id, admin_unit_id=unit_id, created_at=utcnow()))  # type: ignore[arg-type]
    pc = _unit_agency(session, unit_id)
    task = _new_task(session, c, TaskCreate(
        description=f"Gửi báo cáo kết quả thực hiện Chương trình OCOP trên địa bàn {unit.name} "
                    f"trước buổi làm việc với Đoàn kiểm tra.",
        assignee_agency_id=pc.id if pc else None, assignee_label=None if pc else f"UBND {unit.name}",
        admin_unit_id=unit_id), kind="local_report", position=1000)
    task.due_date = _report_due(session, c.id or 0, unit_id)
    session.flush()
    return True


def _refresh_due(session: Session, campaign_id: int, unit_id: int) -> None:
    task = session.scalars(sa.select(Task).where(col(Task.campaign_id) == campaign_id,
                                                 col(Task.admin_unit_id) == unit_id,
                                                 col(Task.kind) == "local_report")).first()
    if task is not None and not task.due_date_manual:
        due = _report_due(session, campaign_id, unit_id)
        if due != task.due_date:
            task.due_date = due
            task.version += 1


def list_units(session: Session, caller: Caller, campaign_id: int, page: PageParams) -> CampaignUnitPage:
    visible_campaign(session, caller, campaign_id)
    stmt: Any = (sa.select(col(AdminUnit.id), col(AdminUnit.name), col(AdminUnit.level), col(Task.id), col(Task.due_date))
            .join(CampaignUnit, col(CampaignUnit.admin_unit_id) == col(AdminUnit.id))
            .outerjoin(Task, sa.and_(col(Task.campaign_id) == col(CampaignUnit.campaign_id),
                                     col(Task.admin_unit_id) == col(CampaignUnit.admin_unit_id),
                                     col(Task.kind) == "local_report"))
            .where(col(CampaignUnit.campaign_id) == campaign_id,
                   policies.unit_part_filter(caller, col(CampaignUnit.admin_unit_id))))
    if policies.is_producer(caller):
        stmt = stmt.where(sa.false())
    rows, cursor = keyset_page(session, stmt, [col(AdminUnit.id)], page, key=lambda r: [r[0]])
    return CampaignUnitPage(items=[CampaignUnitRead(admin_unit_id=r[0], name=r[1], level=r[2], report_task_id=r[3],
                                                    report_due=r[4]) for r in rows], next_cursor=cursor)


def add_unit(session: Session, caller: Caller, campaign_id: int, unit_id: int) -> CampaignUnitRead:
    c = _active_for_parts(session, caller, campaign_id)
    if not _add_unit(session, c, unit_id):
        raise Conflict("The unit is already part of the campaign.", code="unit_already_added")
    audit.record(session, caller, "campaign.unit_add", "campaign", c.id, None, {"admin_unit_id": unit_id})
    session.commit()
    page = list_units(session, caller, campaign_id, PageParams(limit=200, cursor=None))
    return next(u for u in page.items if u.admin_unit_id == unit_id)


def remove_unit(session: Session, caller: Caller, campaign_id: int, unit_id: int) -> None:
    c = _active_for_parts(session, caller, campaign_id)
    link = session.get(CampaignUnit, (campaign_id, unit_id))
    if link is None:
        raise NotFound("The unit is not part of the campaign.", code="unit_not_in_campaign")
    if session.scalar(sa.select(col(Visit.id)).where(col(Visit.campaign_id) == campaign_id,
                                                     col(Visit.admin_unit_id) == unit_id).limit(1)):
        raise Conflict("The unit still has visits in the schedule; move or delete them first.", code="unit_has_visits")
    if session.scalar(sa.select(col(LocalReport.id)).where(col(LocalReport.campaign_id) == campaign_id,
                                                           col(LocalReport.admin_unit_id) == unit_id)):
        raise Conflict("The unit has already written its report.", code="unit_has_report")
    session.execute(sa.delete(Task).where(col(Task.campaign_id) == campaign_id, col(Task.admin_unit_id) == unit_id,
                                          col(Task.kind) == "local_report"))
    session.delete(link)
    audit.record(session, caller, "campaign.unit_remove", "campaign", c.id, {"admin_unit_id": unit_id}, None)
    session.commit()


# ---- team -----------------------------------------------------------------------------------

LEADERSHIP_TITLES = ("giam doc", "pho giam doc")


def lead_agencies(session: Session, agency_id: int) -> set[int]:
    """The issuing agency under its names before and after the 2025 reorganisation."""
    ids = {agency_id}
    agency = session.get(Agency, agency_id)
    if agency is not None and agency.successor_id:
        ids.add(agency.successor_id)
    ids.update(session.scalars(sa.select(col(Agency.id)).where(col(Agency.successor_id) == agency_id)))
    return ids


def _member_read(session: Session, m: TeamMember) -> TeamMemberRead:
    user = session.get(User, m.user_id) if m.user_id else None
    agency_id = m.agency_id or (user.agency_id if user else None)
    agency = session.get(Agency, agency_id) if agency_id else None
    return TeamMemberRead.model_validate({
        **m.model_dump(), "full_name": m.full_name or (user.full_name if user else ""),
        "title": m.title or (user.title if user else None), "phone": m.phone or (user.phone if user else None),
        "agency_id": agency_id, "agency_name": agency.name if agency else None})


def _check_head(session: Session, c: Campaign, m: TeamMember) -> None:
    if m.role != "head":
        return
    other = session.scalar(sa.select(col(TeamMember.id)).where(
        col(TeamMember.campaign_id) == c.id, col(TeamMember.role) == "head", col(TeamMember.id) != m.id))
    if other:
        raise Conflict("The team already has a head (Trưởng đoàn); change that member's role first.",
                       code="team_head_exists", head_id=other)
    user = session.get(User, m.user_id) if m.user_id else None
    agency_id = m.agency_id or (user.agency_id if user else None)
    title = fold(m.title or (user.title if user else "") or "")
    is_leader = user is not None and bool(session.scalar(sa.select(col(UserRole.user_id)).where(
        col(UserRole.user_id) == user.id, col(UserRole.role) == "leader")))
    if agency_id not in lead_agencies(session, c.issuing_agency_id) or not (
            is_leader or title.startswith(LEADERSHIP_TITLES)):
        raise field_error("role", "Trưởng đoàn phải là lãnh đạo của cơ quan chủ trì kế hoạch "
                                  "(the head must be a leader of the lead agency).")


def list_team(session: Session, caller: Caller, campaign_id: int, page: PageParams) -> TeamMemberPage:
    visible_campaign(session, caller, campaign_id)
    stmt = sa.select(TeamMember).where(col(TeamMember.campaign_id) == campaign_id)
    if not policies.sees_internal_parts(caller):
        stmt = stmt.where(sa.false())
    order = sa.case({"head": 0, "deputy": 1, "member": 2, "secretary": 3}, value=col(TeamMember.role))
    rows, cursor = keyset_page(session, stmt.add_columns(order.label("rank")),
                               [order, col(TeamMember.position), col(TeamMember.id)], page,
                               key=lambda r: [r[1], r[0].position, r[0].id])
    users = list(session.scalars(sa.select(User).where(col(User.id).in_({r[0].user_id for r in rows} - {None}))))
    agency_ids = {r[0].agency_id for r in rows} | {u.agency_id for u in users}
    list(session.scalars(sa.select(Agency).where(col(Agency.id).in_(agency_ids - {None}))))  # into the session
    return TeamMemberPage(items=[_member_read(session, r[0]) for r in rows], next_cursor=cursor)


def _team_member(session: Session, campaign_id: int, member_id: int) -> TeamMember:
    m = session.get(TeamMember, member_id)
    if m is None or m.campaign_id != campaign_id:
        raise NotFound(f"Team member {member_id} does not exist.", code="team_member_not_found")
    return m


def add_member(session: Session, caller: Caller, campaign_id: int, data: TeamMemberCreate) -> TeamMemberRead:
    c = _active_for_parts(session, caller, campaign_id)
    user = _check_user(session, "user_id", data.user_id)
    _check_agency(session, "agency_id", data.agency_id)
    if user is not None and policies.is_producer_user(session, user.id or 0):
        refusal = field_error("user_id", f"{user.full_name} is a producer's user: a producer is inspected, it is "
                                         "never one of the inspection team.")
        refusal.code = "producer_not_team_member"
        raise refusal
    if user is not None and session.scalar(sa.select(col(TeamMember.id)).where(
            col(TeamMember.campaign_id) == campaign_id, col(TeamMember.user_id) == user.id)):
        raise Conflict(f"{user.full_name} is already in the team.", code="team_member_exists")
    now = utcnow()
    m = TeamMember(**data.model_dump(), campaign_id=campaign_id, created_at=now, updated_at=now)
    _check_head(session, c, m)
    session.add(m)
    session.flush()
    audit.record(session, caller, "team_member.create", "team_member", m.id, None, audit.snapshot(m))
    session.commit()
    return _member_read(session, m)


def update_member(session: Session, caller: Caller, campaign_id: int, member_id: int, data: TeamMemberUpdate,
                  if_match: str | None) -> TeamMemberRead:
    c = _active_for_parts(session, caller, campaign_id)
    m = _team_member(session, campaign_id, member_id)
    check_if_match(if_match, m.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("role", "invited_as_needed", "position"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    if m.user_id is None and "full_name" in changes and not changes["full_name"]:
        raise field_error("full_name", "An outside member needs a name.")
    _check_agency(session, "agency_id", changes.get("agency_id"))
    before = audit.snapshot(m)
    apply_changes(m, changes)
    with session.no_autoflush:  # check the rule before the database's one-head index sees the change
        _check_head(session, c, m)
    audit.record(session, caller, "team_member.update", "team_member", m.id, before, audit.snapshot(m))
    session.commit()
    return _member_read(session, m)


def remove_member(session: Session, caller: Caller, campaign_id: int, member_id: int) -> None:
    _active_for_parts(session, caller, campaign_id)
    m = _team_member(session, campaign_id, member_id)
    for visit in session.scalars(sa.select(Visit).where(col(Visit.campaign_id) == campaign_id)):
        if member_id in (visit.team_member_ids or []):
            visit.team_member_ids = [i for i in visit.team_member_ids if i != member_id]
            visit.version += 1
    audit.record(session, caller, "team_member.delete", "team_member", m.id, audit.snapshot(m), None)
    session.delete(m)
    session.commit()


# ---- schedule -------------------------------------------------------------------------------

def _visit_reads(session: Session, visits: list[Visit]) -> list[VisitRead]:
    ids = [v.id for v in visits]
    targets: dict[int, list[VisitTargetRead]] = {i: [] for i in ids if i is not None}
    if ids:
        rows = session.execute(
            sa.select(col(VisitTarget.visit_id), col(Producer.id), col(Producer.name), col(Product.id),
                      col(Product.name))
            .join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
            .outerjoin(Product, col(Product.id) == col(VisitTarget.product_id))
            .where(col(VisitTarget.visit_id).in_(ids)).order_by(col(VisitTarget.id))).all()
        for vid, pid, pname, prid, prname in rows:
            targets[vid].append(VisitTargetRead(producer_id=pid, producer_name=pname, product_id=prid,
                                                product_name=prname))
    unit_names = dict(session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name)).where(
        col(AdminUnit.id).in_({v.admin_unit_id for v in visits}))).all()) if visits else {}
    return [VisitRead.model_validate({**v.model_dump(), "targets": targets.get(v.id or 0, []),
                                      "admin_unit_name": unit_names.get(v.admin_unit_id)}) for v in visits]


def _visible_visit_stmt(caller: Caller, campaign_id: int) -> sa.Select[Any]:
    return sa.select(Visit).where(col(Visit.campaign_id) == campaign_id, policies.visible_visits(caller))


def list_visits(session: Session, caller: Caller, campaign_id: int, page: PageParams, *,
                unit_id: int | None = None, kind: str | None = None) -> VisitPage:
    visible_campaign(session, caller, campaign_id)
    stmt = _visible_visit_stmt(caller, campaign_id)
    if unit_id is not None:
        stmt = stmt.where(col(Visit.admin_unit_id) == unit_id)
    if kind:
        stmt = stmt.where(col(Visit.kind) == kind)
    rows, cursor = keyset_page(session, stmt, [col(Visit.starts_at), col(Visit.id)], page,
                               key=lambda r: [r[0].starts_at.isoformat(), r[0].id],
                               convert=[datetime.fromisoformat, int])
    return VisitPage(items=_visit_reads(session, [r[0] for r in rows]), next_cursor=cursor)


VISIT_KIND_VI = {"working_session": "Làm việc với địa phương", "site_visit": "Kiểm tra thực tế"}
VISIT_STATUS_VI = {"planned": "Chưa bắt đầu", "in_progress": "Đang kiểm tra", "submitted": "Đã nộp kết quả",
                   "approved": "Đã duyệt", "locked": "Đã khóa"}
VISIT_COLUMNS = [
    ("id", "Mã lượt kiểm tra"), ("kind", "Hình thức"), ("status", "Trạng thái"), ("starts_at", "Bắt đầu"),
    ("ends_at", "Kết thúc"), ("place", "Địa điểm"), ("admin_unit_name", "Đơn vị hành chính"),
    ("host_agency", "Cơ quan chủ trì tại địa phương"), ("producers", "Chủ thể được kiểm tra"),
    ("products", "Sản phẩm được kiểm tra"), ("programme", "Nội dung làm việc"),
]


def _visit_rows(session: Session, items: list[VisitRead]) -> Iterator[dict[str, Any]]:
    hosts = {v.host_agency_id for v in items if v.host_agency_id}
    agencies = dict(session.execute(sa.select(col(Agency.id), col(Agency.name)).where(
        col(Agency.id).in_(hosts))).all()) if hosts else {}
    for v in items:
        producers = list(dict.fromkeys(t.producer_name for t in v.targets))
        products = list(dict.fromkeys(t.product_name for t in v.targets if t.product_name))
        yield {**v.model_dump(), "kind": VISIT_KIND_VI.get(v.kind, v.kind),
               "status": VISIT_STATUS_VI.get(v.status, v.status),
               "host_agency": agencies.get(v.host_agency_id or 0), "producers": "; ".join(producers) or None,
               "products": "; ".join(products) or None}


def iter_visits(caller: Caller, campaign_id: int, **filters: Any) -> Iterator[dict[str, Any]]:
    """The whole schedule the filters select, as the JSON list has it (404 at once for a hidden campaign)."""
    return paged_rows(lambda s, p: list_visits(s, caller, campaign_id, p, **filters), _visit_rows)


def _visit(session: Session, caller: Caller, visit_id: int) -> Visit:
    v = session.scalars(sa.select(Visit).join(Campaign, col(Campaign.id) == col(Visit.campaign_id)).where(
        col(Visit.id) == visit_id, policies.visible_campaigns(caller), policies.visible_visits(caller))).first()
    if v is None:
        raise NotFound(f"Visit {visit_id} does not exist.", code="visit_not_found")
    return v


def visible_visit(session: Session, caller: Caller, visit_id: int) -> Visit:
    """The visit if the caller may see it (404 otherwise), for the domains above."""
    return _visit(session, caller, visit_id)


def get_visit(session: Session, caller: Caller, visit_id: int) -> VisitRead:
    return _visit_reads(session, [_visit(session, caller, visit_id)])[0]


def _check_visit_refs(session: Session, campaign_id: int, data: dict[str, Any]) -> None:
    if "admin_unit_id" in data and session.get(AdminUnit, data["admin_unit_id"]) is None:
        raise field_error("admin_unit_id", f"Administrative unit {data['admin_unit_id']} does not exist.")
    _check_agency(session, "host_agency_id", data.get("host_agency_id"))
    for i, cp in enumerate(data.get("counterparts") or []):
        _check_agency(session, f"counterparts[{i}].agency_id", cp.get("agency_id"))
    members = set(session.scalars(sa.select(col(TeamMember.id)).where(col(TeamMember.campaign_id) == campaign_id)))
    for mid in data.get("team_member_ids") or []:
        if mid not in members:
            raise field_error("team_member_ids", f"Team member {mid} is not in this campaign's team.")
    for i, t in enumerate(data.get("targets") or []):
        producer = session.get(Producer, t["producer_id"])
        if producer is None:
            raise field_error(f"targets[{i}].producer_id", f"Producer {t['producer_id']} does not exist.")
        if t.get("product_id") is not None:
            product = session.get(Product, t["product_id"])
            if product is None or product.producer_id != producer.id:
                raise field_error(f"targets[{i}].product_id",
                                  f"Product {t['product_id']} is not a product of producer {producer.id}.")


def _set_targets(session: Session, visit_id: int, targets: list[dict[str, Any]]) -> None:
    session.execute(sa.delete(VisitTarget).where(col(VisitTarget.visit_id) == visit_id))
    seen = set()
    for t in targets:
        key = (t["producer_id"], t.get("product_id"))
        if key not in seen:
            seen.add(key)
            session.add(VisitTarget(visit_id=visit_id, producer_id=t["producer_id"], product_id=t.get("product_id")))


def create_visit(session: Session, caller: Caller, campaign_id: int, data: VisitCreate) -> VisitRead:
    c = _active_for_parts(session, caller, campaign_id)
    raw = data.model_dump(mode="json")
    _check_visit_refs(session, campaign_id, raw)
    now = utcnow()
    v = Visit(campaign_id=campaign_id, kind=data.kind, starts_at=data.starts_at, ends_at=data.ends_at,
              place=data.place, admin_unit_id=data.admin_unit_id, host_agency_id=data.host_agency_id,
              programme=data.programme, counterparts=raw["counterparts"], team_member_ids=data.team_member_ids,
              created_at=now, updated_at=now)
    session.add(v)
    session.flush()
    _set_targets(session, v.id or 0, raw["targets"])
    _add_unit(session, c, data.admin_unit_id)
    session.flush()
    _refresh_due(session, campaign_id, data.admin_unit_id)
    audit.record(session, caller, "visit.create", "visit", v.id, None, {**audit.snapshot(v), "targets": raw["targets"]})
    session.commit()
    return get_visit(session, caller, v.id or 0)


def update_visit(session: Session, caller: Caller, visit_id: int, data: VisitUpdate, if_match: str | None) -> VisitRead:
    v = _visit(session, caller, visit_id)
    c = _active_for_parts(session, caller, v.campaign_id)
    check_if_match(if_match, v.version)
    if v.status != "planned":
        raise Conflict("The visit has started; its plan no longer changes here.", code="visit_not_planned")
    changes = data.model_dump(mode="json", exclude_unset=True)
    for field in ("kind", "starts_at", "ends_at", "place", "admin_unit_id"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    for field in ("starts_at", "ends_at"):
        if field in changes:
            changes[field] = getattr(data, field)
            if changes[field].tzinfo is None:
                raise field_error(field, "Give times with their UTC offset, e.g. 2024-05-14T08:00:00+07:00.")
    if (changes.get("ends_at") or v.ends_at) <= (changes.get("starts_at") or v.starts_at):
        raise field_error("ends_at", "The visit ends before it starts.")
    _check_visit_refs(session, v.campaign_id, changes)
    targets = changes.pop("targets", None)
    if (changes.get("kind") or v.kind) == "site_visit" and targets == []:
        raise field_error("targets", "A site visit needs the producer to visit (targets).")
    before = audit.snapshot(v)
    old_unit = v.admin_unit_id
    for key in ("counterparts", "team_member_ids"):
        if key in changes and changes[key] is None:
            changes[key] = []
    apply_changes(v, changes)
    if targets is not None:
        _set_targets(session, v.id or 0, targets)
    _add_unit(session, c, v.admin_unit_id)
    session.flush()
    for unit in {old_unit, v.admin_unit_id}:
        _refresh_due(session, v.campaign_id, unit)
    audit.record(session, caller, "visit.update", "visit", v.id, before, audit.snapshot(v))
    session.commit()
    return get_visit(session, caller, visit_id)


def delete_visit(session: Session, caller: Caller, visit_id: int) -> None:
    v = _visit(session, caller, visit_id)
    _active_for_parts(session, caller, v.campaign_id)
    if v.status != "planned":
        raise Conflict("A visit that has started cannot be deleted.", code="visit_not_planned")
    audit.record(session, caller, "visit.delete", "visit", v.id, audit.snapshot(v), None)
    session.execute(sa.delete(VisitTarget).where(col(VisitTarget.visit_id) == v.id))
    session.delete(v)
    session.flush()
    _refresh_due(session, v.campaign_id, v.admin_unit_id)
    session.commit()


# ---- tasks ----------------------------------------------------------------------------------

def _new_task(session: Session, c: Campaign, data: TaskCreate, *, kind: str = "plan", position: int | None = None
              ) -> Task:
    _check_agency(session, "assignee_agency_id", data.assignee_agency_id)
    _check_user(session, "assignee_user_id", data.assignee_user_id)
    if data.admin_unit_id is not None and session.get(AdminUnit, data.admin_unit_id) is None:
        raise field_error("admin_unit_id", f"Administrative unit {data.admin_unit_id} does not exist.")
    if position is None:
        position = (session.scalar(sa.select(sa.func.max(Task.position)).where(
            col(Task.campaign_id) == c.id, col(Task.position) < 1000)) or 0) + 1
    now = utcnow()
    task = Task(campaign_id=c.id, kind=kind, position=position, description=data.description,  # type: ignore[arg-type]
                assignee_agency_id=data.assignee_agency_id, assignee_user_id=data.assignee_user_id,
                assignee_label=data.assignee_label, admin_unit_id=data.admin_unit_id, due_date=data.due_date,
                due_date_manual=data.due_date is not None, created_at=now, updated_at=now)
    session.add(task)
    session.flush()
    return task


def _task_read(row: Any, day: date) -> TaskRead:
    task, agency_name, user_name = row
    overdue = task.status in ("open", "in_progress") and task.due_date is not None and task.due_date < day
    return TaskRead.model_validate({**task.model_dump(), "assignee_agency_name": agency_name,
                                    "assignee_user_name": user_name, "overdue": overdue})


def _task_stmt(caller: Caller) -> Any:
    stmt = (sa.select(Task, col(Agency.name), col(User.full_name))
            .outerjoin(Agency, col(Agency.id) == col(Task.assignee_agency_id))
            .outerjoin(User, col(User.id) == col(Task.assignee_user_id)))
    if policies.is_local(caller):
        stmt = stmt.where(sa.or_(col(Task.admin_unit_id).in_(policies.local_units(caller)),
                                 col(Task.assignee_user_id) == caller.id))
    if policies.is_producer(caller):
        stmt = stmt.where(sa.false())
    return stmt


def list_tasks(session: Session, caller: Caller, campaign_id: int, page: PageParams, *, status: str | None = None,
               overdue: bool | None = None, kind: str | None = None) -> TaskPage:
    visible_campaign(session, caller, campaign_id)
    stmt = _task_stmt(caller).where(col(Task.campaign_id) == campaign_id)
    day = today()
    if status:
        stmt = stmt.where(col(Task.status) == status)
    if kind:
        stmt = stmt.where(col(Task.kind) == kind)
    late = sa.and_(col(Task.status).in_(("open", "in_progress")), col(Task.due_date) < day)
    if overdue is True:
        stmt = stmt.where(late)
    elif overdue is False:
        stmt = stmt.where(sa.not_(late) | col(Task.due_date).is_(None))
    rows, cursor = keyset_page(session, stmt, [col(Task.position), col(Task.id)], page,
                               key=lambda r: [r[0].position, r[0].id])
    return TaskPage(items=[_task_read(r, day) for r in rows], next_cursor=cursor)


def _task(session: Session, caller: Caller, campaign_id: int, task_id: int) -> Any:
    visible_campaign(session, caller, campaign_id)
    row = session.execute(_task_stmt(caller).where(col(Task.id) == task_id,
                                                   col(Task.campaign_id) == campaign_id)).first()
    if row is None:
        raise NotFound(f"Task {task_id} does not exist.", code="task_not_found")
    return row


def get_task(session: Session, caller: Caller, campaign_id: int, task_id: int) -> TaskRead:
    return _task_read(_task(session, caller, campaign_id, task_id), today())


def create_task(session: Session, caller: Caller, campaign_id: int, data: TaskCreate) -> TaskRead:
    c = _active_for_parts(session, caller, campaign_id)
    task = _new_task(session, c, data, kind="follow_up" if c.status != "draft" else "plan")
    audit.record(session, caller, "task.create", "task", task.id, None, audit.snapshot(task))
    session.commit()
    return get_task(session, caller, campaign_id, task.id or 0)


def update_task(session: Session, caller: Caller, campaign_id: int, task_id: int, data: TaskUpdate,
                if_match: str | None) -> TaskRead:
    task = _task(session, caller, campaign_id, task_id)[0]
    c = session.get(Campaign, campaign_id)
    assert c is not None
    changes = data.model_dump(exclude_unset=True)
    assignee = task.assignee_user_id == caller.id or (
        policies.is_local(caller) and task.admin_unit_id is not None)
    if not policies.can_edit(caller) and (not assignee or set(changes) - {"status"}):
        raise Forbidden("You may only change the status of a task given to you.", code="forbidden_role")
    if c.status not in ACTIVE:
        raise Conflict(f"The campaign is {c.status}; its tasks no longer change.", code="campaign_closed")
    check_if_match(if_match, task.version)
    for field in ("description", "status"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    if task.kind == "plan" and c.status != "draft" and "description" in changes:
        raise Conflict("The wording of a task of the issued plan changes only by amendment.",
                       code="campaign_not_editable")
    if task.kind == "local_report" and changes.get("status") == "done" and not policies.can_edit(caller):
        report = session.scalar(sa.select(col(LocalReport.status)).where(
            col(LocalReport.campaign_id) == campaign_id, col(LocalReport.admin_unit_id) == task.admin_unit_id))
        if report not in ("submitted", "accepted"):
            raise Conflict("The unit's report has not been sent: submitting the report completes this task.",
                           code="local_report_not_submitted", report_status=report)
    _check_agency(session, "assignee_agency_id", changes.get("assignee_agency_id"))
    _check_user(session, "assignee_user_id", changes.get("assignee_user_id"))
    before = audit.snapshot(task)
    if "due_date" in changes:
        changes["due_date_manual"] = changes["due_date"] is not None
    if "status" in changes:
        changes["done_at"] = utcnow() if changes["status"] == "done" else None
    apply_changes(task, changes)
    if task.kind == "local_report" and "due_date" in changes and changes["due_date"] is None:
        task.due_date = _report_due(session, campaign_id, task.admin_unit_id or 0)
    audit.record(session, caller, "task.update", "task", task.id, before, audit.snapshot(task))
    session.commit()
    return get_task(session, caller, campaign_id, task_id)


# ---- local reports --------------------------------------------------------------------------

REPORT_TRANSITIONS: dict[str, dict[str, str]] = {
    "draft": {"submitted": "writer"},
    "returned": {"submitted": "writer"},
    "submitted": {"accepted": "reviewer", "returned": "reviewer"},
}


def _report_stmt(caller: Caller) -> Any:
    stmt = (sa.select(LocalReport, col(AdminUnit.name), col(Task.due_date))
            .join(AdminUnit, col(AdminUnit.id) == col(LocalReport.admin_unit_id))
            .outerjoin(Task, sa.and_(col(Task.campaign_id) == col(LocalReport.campaign_id),
                                     col(Task.admin_unit_id) == col(LocalReport.admin_unit_id),
                                     col(Task.kind) == "local_report"))
            .where(policies.unit_part_filter(caller, col(LocalReport.admin_unit_id))))
    if policies.is_producer(caller):
        stmt = stmt.where(sa.false())
    return stmt


def _report_allowed(caller: Caller, status: str) -> list[str]:
    allowed = []
    for to, who in REPORT_TRANSITIONS.get(status, {}).items():
        if (who == "writer" and policies.can_write_report(caller)) or (
                who == "reviewer" and policies.can_review_report(caller)):
            allowed.append(to)
    return allowed


def is_late(due: date | None, status: str, submitted_on: date | None, day: date) -> bool:
    if due is None:
        return False
    if submitted_on is not None and status in ("submitted", "accepted"):
        return submitted_on > due
    return day > due


def _attachments(session: Session, report_ids: list[int]) -> dict[int, list[LocalReportAttachment]]:
    out: dict[int, list[LocalReportAttachment]] = {i: [] for i in report_ids}
    for f in session.scalars(sa.select(LocalReportAttachment).where(
            col(LocalReportAttachment.report_id).in_(report_ids)).order_by(col(LocalReportAttachment.id))):
        out[f.report_id].append(f)
    return out


def _report_read(session: Session, caller: Caller, row: Any,
                 files: list[LocalReportAttachment] | None = None) -> LocalReportRead:
    report, unit_name, due = row
    if files is None:
        files = _attachments(session, [report.id])[report.id]
    submitted_on = local_date(report.submitted_at) if report.submitted_at else None
    return LocalReportRead.model_validate({
        **report.model_dump(), "admin_unit_name": unit_name, "due_date": due,
        "late": is_late(due, report.status, submitted_on, today()),
        "attachments": [AttachmentRead.model_validate(f, from_attributes=True) for f in files],
        "allowed_transitions": _report_allowed(caller, report.status)})


def list_reports(session: Session, caller: Caller, campaign_id: int, page: PageParams, *,
                 status: str | None = None) -> LocalReportPage:
    visible_campaign(session, caller, campaign_id)
    stmt = _report_stmt(caller).where(col(LocalReport.campaign_id) == campaign_id)
    if status:
        stmt = stmt.where(col(LocalReport.status) == status)
    rows, cursor = keyset_page(session, stmt, [col(LocalReport.id)], page, key=lambda r: [r[0].id])
    files = _attachments(session, [r[0].id for r in rows])
    return LocalReportPage(items=[_report_read(session, caller, r, files[r[0].id]) for r in rows],
                           next_cursor=cursor)


def _report_row(session: Session, caller: Caller, campaign_id: int, report_id: int) -> Any:
    visible_campaign(session, caller, campaign_id)
    row = session.execute(_report_stmt(caller).where(col(LocalReport.id) == report_id,
                                                     col(LocalReport.campaign_id) == campaign_id)).first()
    if row is None:
        raise NotFound(f"Report {report_id} does not exist.", code="local_report_not_found")
    return row


def get_report(session: Session, caller: Caller, campaign_id: int, report_id: int) -> LocalReportRead:
    return _report_read(session, caller, _report_row(session, caller, campaign_id, report_id))


def create_report(session: Session, caller: Caller, campaign_id: int, data: LocalReportCreate) -> LocalReportRead:
    c = visible_campaign(session, caller, campaign_id)
    if not policies.can_write_report(caller):
        raise Forbidden("Only the unit's local officer (or a coordinator) writes its report.", code="forbidden_role")
    if c.status not in ("issued", "in_progress", "reporting"):
        raise Conflict("Reports are written once the plan is issued and until the campaign closes.",
                       code="campaign_not_open_for_reports")
    if session.get(CampaignUnit, (campaign_id, data.admin_unit_id)) is None:
        raise field_error("admin_unit_id", "The unit is not part of this campaign.")
    if not session.scalar(sa.select(sa.literal(1)).where(
            policies.unit_part_filter(caller, sa.literal(data.admin_unit_id)))):
        raise field_error("admin_unit_id", "You may write the report of your own unit only.")
    if session.scalar(sa.select(col(LocalReport.id)).where(col(LocalReport.campaign_id) == campaign_id,
                                                           col(LocalReport.admin_unit_id) == data.admin_unit_id)):
        raise Conflict("The unit's report already exists; edit it.", code="local_report_exists")
    now = utcnow()
    pc = _unit_agency(session, data.admin_unit_id)
    report = LocalReport(campaign_id=campaign_id, admin_unit_id=data.admin_unit_id, agency_id=pc.id if pc else None,
                         figures=data.figures.model_dump(mode="json", exclude_none=True), results=data.results,
                         difficulties=data.difficulties, recommendations=data.recommendations, created_by=caller.id,
                         created_at=now, updated_at=now)
    session.add(report)
    session.flush()
    audit.record(session, caller, "local_report.create", "local_report", report.id, None, audit.snapshot(report))
    session.commit()
    return get_report(session, caller, campaign_id, report.id or 0)


def update_report(session: Session, caller: Caller, campaign_id: int, report_id: int, data: LocalReportUpdate,
                  if_match: str | None) -> LocalReportRead:
    report = _report_row(session, caller, campaign_id, report_id)[0]
    if not policies.can_write_report(caller):
        raise Forbidden("Only the unit's local officer (or a coordinator) edits its report.", code="forbidden_role")
    check_if_match(if_match, report.version)
    if report.status not in ("draft", "returned"):
        raise Conflict("A submitted report no longer changes unless it is returned.", code="local_report_locked",
                       current_status=report.status)
    changes = data.model_dump(exclude_unset=True)
    if "figures" in changes:
        changes["figures"] = data.figures.model_dump(mode="json", exclude_none=True) if data.figures else {}
    before = audit.snapshot(report)
    apply_changes(report, changes)
    audit.record(session, caller, "local_report.update", "local_report", report.id, before, audit.snapshot(report))
    session.commit()
    return get_report(session, caller, campaign_id, report_id)


def report_transition(session: Session, caller: Caller, campaign_id: int, report_id: int,
                      data: ReportTransition) -> LocalReportRead:
    report = _report_row(session, caller, campaign_id, report_id)[0]
    targets = REPORT_TRANSITIONS.get(report.status, {})
    if data.to not in targets:
        raise Conflict(f"A report in state '{report.status}' cannot move to '{data.to}'.",
                       code="transition_not_allowed", allowed=list(targets))
    if data.to not in _report_allowed(caller, report.status):
        raise Forbidden(f"Your role may not move this report to '{data.to}'.", code="transition_forbidden",
                        allowed=_report_allowed(caller, report.status))
    if data.to == "returned" and not data.note:
        raise field_error("note", "Say what the unit must complete or correct (note).")
    if data.to == "submitted" and not (report.results or "").strip():
        raise Conflict("Write the results section before submitting the report.", code="local_report_incomplete")
    before = audit.snapshot(report)
    now = utcnow()
    changes: dict[str, Any] = {"status": data.to}
    if data.to == "submitted":
        changes.update(submitted_at=now, submitted_by=caller.id)
    else:
        changes.update(reviewed_at=now, reviewed_by=caller.id, review_comment=data.note)
    apply_changes(report, changes)
    task = session.scalars(sa.select(Task).where(col(Task.campaign_id) == campaign_id,
                                                 col(Task.admin_unit_id) == report.admin_unit_id,
                                                 col(Task.kind) == "local_report")).first()
    if task is not None and data.to in ("submitted", "returned"):
        done = data.to == "submitted"
        apply_changes(task, {"status": "done" if done else "open", "done_at": now if done else None})
    audit.record(session, caller, f"local_report.{data.to}", "local_report", report.id, before,
                 {**audit.snapshot(report), "note": data.note})
    outbox.emit(session, f"local_report.{data.to}", "local_report", report.id, {
        "campaign_id": campaign_id, "report_id": report.id, "admin_unit_id": report.admin_unit_id,
        "status": data.to, "note": data.note})
    session.commit()
    return get_report(session, caller, campaign_id, report_id)


def add_attachment(session: Session, caller: Caller, campaign_id: int, report_id: int, upload: BinaryIO,
                   filename: str, declared_size: int | None) -> AttachmentRead:
    report = _report_row(session, caller, campaign_id, report_id)[0]
    if not policies.can_write_report(caller):
        raise Forbidden("Only the unit's local officer (or a coordinator) attaches files.", code="forbidden_role")
    if report.status not in ("draft", "returned"):
        raise Conflict("A submitted report no longer changes unless it is returned.", code="local_report_locked")
    stored = storage.store_upload(upload, filename, declared_size, get_settings().upload_max_bytes)
    att = LocalReportAttachment(report_id=report_id, filename=stored.filename, content_type=stored.content_type,
                                size=stored.size, sha256=stored.sha256, storage_key=stored.key, uploaded_by=caller.id,
                                created_at=utcnow())
    session.add(att)
    session.flush()
    apply_changes(report, {})
    audit.record(session, caller, "local_report.attach", "local_report", report_id, None,
                 {"attachment_id": att.id, "filename": stored.filename, "size": stored.size, "sha256": stored.sha256})
    session.commit()
    return AttachmentRead.model_validate(att, from_attributes=True)


def attachment_file(session: Session, caller: Caller, campaign_id: int, report_id: int,
                    attachment_id: int) -> tuple[Path, str, str]:
    _report_row(session, caller, campaign_id, report_id)
    att = session.get(LocalReportAttachment, attachment_id)
    if att is None or att.report_id != report_id:
        raise NotFound(f"Attachment {attachment_id} does not exist.", code="attachment_not_found")
    return storage.path_of(att.storage_key), att.filename, att.content_type
