from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column

VISIT_STATES = ("planned", "in_progress", "submitted", "approved", "locked")
FINDING_STATES = ("open", "action_required", "response_submitted", "verified", "closed", "dismissed", "escalated")
SEVERITIES = ("observation", "minor", "major", "critical")
ACTION_STATES = ("open", "responded", "accepted")
ESCALATIONS = ("revocation_proposed", "sanction_referred")


def _fk(target: str, nullable: bool = False, index: bool = True, ondelete: str | None = None) -> Any:
    return sa.Column(sa.BigInteger, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _version() -> Any:
    return sa.Column(sa.Integer, nullable=False, server_default="1")


class ChecklistAnswer(Optimistic, SQLModel, table=True):
    """The answer to one checklist item in a visit (for one product, when the item is about a product)."""

    __tablename__ = "checklist_answer"
    __table_args__ = (
        sa.Index("uq_checklist_answer_visit_item_product", "visit_id", "item_code", "product_key", unique=True),
        sa.CheckConstraint("value IS NULL OR value IN ('yes', 'no', 'na')", name="value"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    visit_id: int = Field(sa_column=_fk("visit.id", index=False))
    item_code: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    checklist_item_id: int = Field(sa_column=_fk("checklist_item.id"))
    product_id: int | None = Field(default=None, sa_column=_fk("product.id", nullable=True))
    product_key: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    value: str | None = Field(default=None, sa_column=sa.Column(sa.String(3), nullable=True))
    number_value: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    text_value: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    failed: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("false")))
    answered_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    answered_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=_version())


class Finding(Optimistic, SQLModel, table=True):
    __tablename__ = "finding"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {FINDING_STATES!r}", name="status"),
        sa.CheckConstraint(f"severity IN {SEVERITIES!r}", name="severity"),
        sa.Index("ix_finding_producer_item", "producer_id", "item_code"),
        sa.Index("ix_finding_status_id", "status", "id"),
        sa.Index("ix_finding_campaign_unit", "campaign_id", "admin_unit_id"),  # also the tallies' recount
        sa.Index("uq_finding_visit_item_product", "visit_id", "item_code", "product_key", unique=True,
                 sqlite_where=sa.text("item_code IS NOT NULL"), postgresql_where=sa.text("item_code IS NOT NULL")),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=_fk("campaign.id", index=False))  # ix_finding_campaign_unit
    visit_id: int | None = Field(default=None, sa_column=_fk("visit.id", nullable=True))
    producer_id: int = Field(sa_column=_fk("producer.id", index=False))
    product_id: int | None = Field(default=None, sa_column=_fk("product.id", nullable=True))
    product_key: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    admin_unit_id: int | None = Field(default=None, sa_column=_fk("admin_unit.id", nullable=True))
    content_area: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    checklist_item_id: int | None = Field(default=None, sa_column=_fk("checklist_item.id", nullable=True, index=False))
    item_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    category: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    severity: str = Field(sa_column=sa.Column(sa.String(20), nullable=False, index=True))
    description: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    legal_reference: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    recommendation: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    internal_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    status: str = Field(default="open", sa_column=sa.Column(sa.String(30), nullable=False))
    status_reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    escalation: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    automatic: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False,
                                                               server_default=sa.text("false")))
    repeat_of_id: int | None = Field(default=None, sa_column=_fk("finding.id", nullable=True, index=False))
    repeat_count: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=_version())


class CorrectiveAction(Optimistic, SQLModel, table=True):
    __tablename__ = "corrective_action"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {ACTION_STATES!r}", name="status"),
        sa.CheckConstraint("kind IN ('corrective', 'preventive')", name="kind"),
        sa.CheckConstraint("owner_type IN ('producer', 'unit')", name="owner_type"),
        sa.Index("ix_corrective_action_status_due", "status", "due_date"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    finding_id: int = Field(sa_column=_fk("finding.id"))
    kind: str = Field(default="corrective", sa_column=sa.Column(sa.String(20), nullable=False))
    description: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    owner_type: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    owner_producer_id: int | None = Field(default=None, sa_column=_fk("producer.id", nullable=True))
    owner_unit_id: int | None = Field(default=None, sa_column=_fk("admin_unit.id", nullable=True))
    due_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    status: str = Field(default="open", sa_column=sa.Column(sa.String(20), nullable=False))
    response: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    responded_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    responded_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    verification_comment: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    verified_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    verified_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    rejections: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    overdue_notified_on: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=_version())


class Evidence(SQLModel, table=True):
    """A file that shows something: a photo at the site, a test report, an owner's proof of correction."""

    __tablename__ = "evidence"
    __table_args__ = (
        # a tablet's upload sent again (its answer lost with the connection) is the same evidence
        sa.Index("uq_evidence_uploader_client_key", "uploaded_by", "client_key", unique=True,
                 sqlite_where=sa.text("client_key IS NOT NULL"), postgresql_where=sa.text("client_key IS NOT NULL")),
        sa.CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude"),
        sa.CheckConstraint("longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    visit_id: int | None = Field(default=None, sa_column=_fk("visit.id", nullable=True))
    item_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    # the product the photo or document shows (one of the visit's or the finding's producer's)
    product_id: int | None = Field(default=None, sa_column=_fk("product.id", nullable=True))
    finding_id: int | None = Field(default=None, sa_column=_fk("finding.id", nullable=True))
    action_id: int | None = Field(default=None, sa_column=_fk("corrective_action.id", nullable=True))
    filename: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    content_type: str = Field(sa_column=sa.Column(sa.String(100), nullable=False))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    thumbnail_key: str | None = Field(default=None, sa_column=sa.Column(sa.String(255), nullable=True))
    captured_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    # where the device was when it was taken (when it gave a position)
    latitude: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    longitude: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    accuracy_m: float | None = Field(default=None, sa_column=sa.Column(sa.Float, nullable=True))
    # the Idempotency-Key the device sent the upload with (uploads are not replayed by the middleware)
    client_key: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    uploaded_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True, index=False))
    uploaded_at: datetime = Field(sa_column=ts_column())
