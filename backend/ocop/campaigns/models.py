from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column

CAMPAIGN_STATUSES = ("draft", "submitted", "issued", "in_progress", "reporting", "closed", "cancelled")
TEAM_ROLES = ("head", "deputy", "member", "secretary")
VISIT_KINDS = ("working_session", "site_visit")
TASK_STATUSES = ("open", "in_progress", "done", "cancelled")
REPORT_STATUSES = ("draft", "submitted", "accepted", "returned")
ANSWER_TYPES = ("yes_no_na", "number", "text", "photo")
EVIDENCE_KINDS = ("none", "document", "photo")
SEVERITIES = ("observation", "minor", "major", "critical")
TEMPLATE_STATUSES = ("draft", "published", "frozen")


def _fk(target: str, nullable: bool = False, index: bool = True, ondelete: str | None = None) -> Any:
    return sa.Column(sa.BigInteger, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _text(nullable: bool = True) -> Any:
    return sa.Column(sa.Text, nullable=nullable)


def _json(default: Any = None) -> Any:
    return sa.Column(sa.JSON, nullable=False, default=default)


class ChecklistTemplate(SQLModel, table=True):
    """A versioned checklist. `code` names the family; (code, version) is unique. A campaign's own
    copy (campaign_id set) is editable while the campaign is a draft and frozen when it is issued."""

    __tablename__ = "checklist_template"
    __table_args__ = (
        sa.UniqueConstraint("code", "version"),
        sa.CheckConstraint(f"status IN {TEMPLATE_STATUSES!r}", name="status"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    code: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    version: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    based_on_id: int | None = Field(default=None, sa_column=_fk("checklist_template.id", nullable=True, index=False))
    campaign_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("campaign.id", use_alter=True), nullable=True, index=True))
    note: str | None = Field(default=None, sa_column=_text())
    created_at: datetime = Field(sa_column=ts_column())
    published_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))


class ChecklistItem(Optimistic, SQLModel, table=True):
    __tablename__ = "checklist_item"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "code"),
        sa.CheckConstraint(f"answer_type IN {ANSWER_TYPES!r}", name="answer_type"),
        sa.CheckConstraint(f"evidence IN {EVIDENCE_KINDS!r}", name="evidence"),
        sa.CheckConstraint(f"severity IN {SEVERITIES!r}", name="severity"),
        sa.CheckConstraint("content_area >= 1", name="content_area"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    template_id: int = Field(sa_column=_fk("checklist_template.id", ondelete="CASCADE"))
    code: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    content_area: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    position: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    applies_to: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    question: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    guidance: str | None = Field(default=None, sa_column=_text())
    legal_reference: str | None = Field(default=None, sa_column=_text())
    answer_type: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    evidence: str = Field(default="none", sa_column=sa.Column(sa.String(20), nullable=False))
    severity: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class Campaign(Optimistic, SQLModel, table=True):
    """The inspection plan (Kế hoạch kiểm tra) and everything hanging off it."""

    __tablename__ = "campaign"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {CAMPAIGN_STATUSES!r}", name="status"),
        # the agency's register starts again each year: a plan number is unique per agency and year of its date
        sa.Index("ux_campaign_plan_number", "issuing_agency_id", "document_number",
                 sa.func.extract("year", sa.column("document_date")), unique=True),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    status: str = Field(default="draft", sa_column=sa.Column(sa.String(20), nullable=False, index=True))
    year: int = Field(sa_column=sa.Column(sa.Integer, nullable=False, index=True))
    doc_type: str = Field(default="KH", sa_column=sa.Column(sa.String(10), nullable=False))
    document_number: str | None = Field(default=None, sa_column=sa.Column(sa.String(60), nullable=True))
    issuing_agency_id: int = Field(sa_column=_fk("agency.id"))
    place: str = Field(sa_column=sa.Column(sa.String(100), nullable=False))
    document_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    title: str = Field(sa_column=sa.Column(sa.String(500), nullable=False))
    search_title: str = Field(sa_column=sa.Column(sa.String(500), nullable=False))
    introduction: str | None = Field(default=None, sa_column=_text())
    legal_bases: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    purposes: list[str] = Field(default_factory=list, sa_column=_json(list))
    requirements: list[str] = Field(default_factory=list, sa_column=_json(list))
    content_areas: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    methods: list[str] = Field(default_factory=list, sa_column=_json(list))
    targets: list[str] = Field(default_factory=list, sa_column=_json(list))
    team_composition: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    counterparts: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    period: dict[str, Any] = Field(default_factory=dict, sa_column=_json(dict))
    period_start: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    period_end: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    closing: str | None = Field(default=None, sa_column=_text())
    signer_prefix: str | None = Field(default=None, sa_column=sa.Column(sa.String(10), nullable=True))
    signer_title: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    signer_name: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    recipients: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    checklist_template_id: int | None = Field(default=None, sa_column=_fk("checklist_template.id", nullable=True))
    revision: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    issued_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    issued_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class CampaignRevision(SQLModel, table=True):
    """An issued version of the plan, readable for ever: revision 1 at issue, one more per amendment."""

    __tablename__ = "campaign_revision"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "revision"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id"))
    revision: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    document_number: str | None = Field(default=None, sa_column=sa.Column(sa.String(60), nullable=True))
    reason: str | None = Field(default=None, sa_column=_text())
    content: dict[str, Any] = Field(sa_column=_json())
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    created_at: datetime = Field(sa_column=ts_column())


class CampaignUnit(SQLModel, table=True):
    """An administrative unit the campaign inspects (a district in 2024, a commune from 2025)."""

    __tablename__ = "campaign_unit"

    campaign_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("campaign.id", ondelete="CASCADE"),
                                                 primary_key=True))
    admin_unit_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id"), primary_key=True,
                                                   index=True))
    created_at: datetime = Field(sa_column=ts_column())


class TeamMember(Optimistic, SQLModel, table=True):
    __tablename__ = "team_member"
    __table_args__ = (
        sa.CheckConstraint(f"role IN {TEAM_ROLES!r}", name="role"),
        sa.CheckConstraint("user_id IS NOT NULL OR full_name IS NOT NULL", name="who"),
        sa.Index("uq_team_member_head", "campaign_id", unique=True, sqlite_where=sa.text("role = 'head'"),
                 postgresql_where=sa.text("role = 'head'")),
        sa.Index("uq_team_member_user", "campaign_id", "user_id", unique=True),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id", index=False))
    user_id: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True))
    full_name: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    agency_id: int | None = Field(default=None, sa_column=_fk("agency.id", nullable=True))
    honorific: str | None = Field(default=None, sa_column=sa.Column(sa.String(10), nullable=True))  # Ông / Bà
    title: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    role: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    invited_as_needed: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False,
                                                                       server_default=sa.text("false")))
    position: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class Visit(Optimistic, SQLModel, table=True):
    """A working session at a People's Committee or a site visit at a producer."""

    __tablename__ = "visit"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {VISIT_KINDS!r}", name="kind"),
        sa.CheckConstraint("ends_at > starts_at", name="times"),
        sa.Index("ix_visit_campaign_starts", "campaign_id", "starts_at"),
        sa.Index("ix_visit_campaign_status", "campaign_id", "status"),  # progress counts on the dashboard
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id", index=False))
    kind: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    status: str = Field(default="planned", sa_column=sa.Column(sa.String(20), nullable=False, index=True))
    starts_at: datetime = Field(sa_column=ts_column(default=False, index=True))
    ends_at: datetime = Field(sa_column=ts_column(default=False))
    place: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    admin_unit_id: int = Field(sa_column=_fk("admin_unit.id"))
    host_agency_id: int | None = Field(default=None, sa_column=_fk("agency.id", nullable=True))
    programme: str | None = Field(default=None, sa_column=_text())
    counterparts: list[dict[str, Any]] = Field(default_factory=list, sa_column=_json(list))
    # team members who go; empty means the whole team
    team_member_ids: list[int] = Field(default_factory=list, sa_column=_json(list))
    # the record of the visit (inspection work): planned → in_progress → submitted → approved → locked
    actual_start: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    actual_end: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    attendees: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(
        sa.JSON, nullable=False, default=list, server_default="[]"))
    gps_lat: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    gps_lon: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    gps_accuracy_m: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    record_note: str | None = Field(default=None, sa_column=_text())
    host_comments: str | None = Field(default=None, sa_column=_text())  # the inspected party's comments (minutes)
    submitted_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    approved_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    approved_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    locked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class VisitTarget(SQLModel, table=True):
    """A producer (and optionally one of its products) to inspect during a visit."""

    __tablename__ = "visit_target"
    __table_args__ = (sa.UniqueConstraint("visit_id", "producer_id", "product_id"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    visit_id: int = Field(sa_column=_fk("visit.id", ondelete="CASCADE"))
    producer_id: int = Field(sa_column=_fk("producer.id"))
    product_id: int | None = Field(default=None, sa_column=_fk("product.id", nullable=True))


class Task(Optimistic, SQLModel, table=True):
    """An assignment: a section VI item of the plan, a unit's report, or any follow-up."""

    __tablename__ = "campaign_task"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {TASK_STATUSES!r}", name="status"),
        sa.Index("ix_campaign_task_campaign_position", "campaign_id", "position"),
        sa.Index("uq_campaign_task_unit_report", "campaign_id", "admin_unit_id", unique=True,
                 sqlite_where=sa.text("kind = 'local_report'"), postgresql_where=sa.text("kind = 'local_report'")),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id", index=False))
    kind: str = Field(default="plan", sa_column=sa.Column(sa.String(20), nullable=False))
    position: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    description: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    assignee_agency_id: int | None = Field(default=None, sa_column=_fk("agency.id", nullable=True))
    assignee_user_id: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True))
    assignee_label: str | None = Field(default=None, sa_column=sa.Column(sa.String(300), nullable=True))
    admin_unit_id: int | None = Field(default=None, sa_column=_fk("admin_unit.id", nullable=True))
    due_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True, index=True))
    due_date_manual: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False,
                                                                     server_default=sa.text("false")))
    status: str = Field(default="open", sa_column=sa.Column(sa.String(20), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class LocalReport(Optimistic, SQLModel, table=True):
    """A local government's implementation report for the campaign."""

    __tablename__ = "local_report"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {REPORT_STATUSES!r}", name="status"),
        sa.UniqueConstraint("campaign_id", "admin_unit_id"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id", index=False))
    admin_unit_id: int = Field(sa_column=_fk("admin_unit.id"))
    agency_id: int | None = Field(default=None, sa_column=_fk("agency.id", nullable=True))
    status: str = Field(default="draft", sa_column=sa.Column(sa.String(20), nullable=False))
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=_json(dict))
    results: str | None = Field(default=None, sa_column=_text())
    difficulties: str | None = Field(default=None, sa_column=_text())
    recommendations: str | None = Field(default=None, sa_column=_text())
    submitted_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    submitted_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    reviewed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    reviewed_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    review_comment: str | None = Field(default=None, sa_column=_text())
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class LocalReportAttachment(SQLModel, table=True):
    __tablename__ = "local_report_attachment"

    id: int | None = Field(default=None, sa_column=pk_column())
    report_id: int = Field(sa_column=_fk("local_report.id", ondelete="CASCADE"))
    filename: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    content_type: str = Field(sa_column=sa.Column(sa.String(100), nullable=False))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    uploaded_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    created_at: datetime = Field(sa_column=ts_column())
