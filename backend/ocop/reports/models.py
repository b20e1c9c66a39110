from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import pk_column, ts_column

TEMPLATE_KINDS = ("plan", "notice", "minutes", "report", "decision", "conclusion")


class DocumentTemplate(SQLModel, table=True):
    """An administrator's Word template for one kind of document, versioned; at most one version per kind is
    active, and without one the built-in default applies."""

    __tablename__ = "document_template"
    __table_args__ = (
        sa.UniqueConstraint("kind", "version"),
        sa.CheckConstraint(f"kind IN {TEMPLATE_KINDS!r}", name="kind"),
        sa.Index("ux_document_template_active", "kind", unique=True, postgresql_where=sa.text("active"),
                 sqlite_where=sa.text("active")),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    kind: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    version: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    filename: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    active: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("false")))
    created_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id"),
                                                                     nullable=True))
    created_at: datetime = Field(sa_column=ts_column())


class VisitMinutes(SQLModel, table=True):
    """The minutes of a visit as rendered when it was approved: they freeze with it. The file lives in storage
    under `storage_key`; when storage could not take it at approval, the bytes wait in `pending_content` (the
    approval does not fail) until the worker, or the first download, writes them there."""

    __tablename__ = "visit_minutes"
    __table_args__ = (sa.Index("ix_visit_minutes_pending", "visit_id",
                               postgresql_where=sa.text("pending_content IS NOT NULL"),
                               sqlite_where=sa.text("pending_content IS NOT NULL")),)

    visit_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("visit.id", ondelete="CASCADE"),
                                              primary_key=True, autoincrement=False))
    template_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("document_template.id"), nullable=True))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    created_at: datetime = Field(sa_column=ts_column())
    pending_content: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))


ISSUED_KINDS = ("plan", "decision", "notice", "report", "conclusion")
UNSCOPED = "scope_unit_id IS NULL AND scope_producer_id IS NULL"


class IssuedDocument(SQLModel, table=True):
    """One issued version of a campaign's document (KH, QĐ, TB per unit, BC, TB kết luận per unit or per producer):
    the exact .docx as it was issued with the number and date the clerk took from the agency's register, kept in
    storage under `storage_key` and served as issued; a correction is a new version (with its reason in `note`), the earlier ones stay readable. The PDF is
    made once from that .docx (LibreOffice) and kept under `pdf_storage_key`. When storage cannot take the .docx at
    issue, its bytes wait in `pending_content` (as the minutes' do) until the first download writes them."""

    __tablename__ = "issued_document"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "kind", "scope_unit_id", "version"),
        # a NULL scope is not equal to another in a unique constraint: the unscoped kinds (the plan, the decision, the
        # report) get their own index, and so do the producers' conclusion notices (their unit scope is NULL)
        sa.Index("ux_issued_document_unscoped", "campaign_id", "kind", "version", unique=True,
                 postgresql_where=sa.text(UNSCOPED), sqlite_where=sa.text(UNSCOPED)),
        sa.Index("ux_issued_document_producer", "campaign_id", "kind", "scope_producer_id", "version", unique=True,
                 postgresql_where=sa.text("scope_producer_id IS NOT NULL"),
                 sqlite_where=sa.text("scope_producer_id IS NOT NULL")),
        sa.CheckConstraint("scope_unit_id IS NULL OR scope_producer_id IS NULL", name="one_scope"),
        sa.CheckConstraint(f"kind IN {ISSUED_KINDS!r}", name="kind"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.Index("ix_issued_document_number", "number"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("campaign.id", ondelete="CASCADE"),
                                                 nullable=False))
    kind: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    scope_unit_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("admin_unit.id"), nullable=True))  # the unit notified (TB, TB kết luận)
    scope_producer_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("producer.id"), nullable=True))  # the producer a conclusion notice is sent to
    version: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    number: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    document_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    pdf_storage_key: str | None = Field(default=None, sa_column=sa.Column(sa.String(255), nullable=True))
    template_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("document_template.id"), nullable=True))
    issued_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id"),
                                                                    nullable=True))
    issued_at: datetime = Field(sa_column=ts_column())
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))  # why a correction
    pending_content: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))


class FindingTally(SQLModel, table=True):
    """Findings not dismissed, counted per (campaign, unit, category, severity), kept in the transaction that
    changes them, so that the dashboard reads thousands of rows instead of a million."""

    __tablename__ = "finding_tally"
    __table_args__ = (sa.Index("ix_finding_tally_campaign", "campaign_id"),
                      sa.Index("ix_finding_tally_unit", "admin_unit_id"))

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("campaign.id", ondelete="CASCADE"),
                                                 nullable=False))
    admin_unit_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    category: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    severity: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    n: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))


class ActionTally(SQLModel, table=True):
    """Corrective actions of findings not dismissed, counted per (campaign, unit, state, overdue on the day they
    were counted). An overdue action stays overdue as days pass; one not yet due may become so, hence
    `counted_on`: tallies counted before today are counted again (by the daily job, or before a read)."""

    __tablename__ = "action_tally"
    __table_args__ = (sa.Index("ix_action_tally_campaign", "campaign_id"),
                      sa.Index("ix_action_tally_counted_on", "counted_on"))

    id: int | None = Field(default=None, sa_column=pk_column())
    campaign_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("campaign.id", ondelete="CASCADE"),
                                                 nullable=False))
    admin_unit_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    overdue: bool = Field(sa_column=sa.Column(sa.Boolean, nullable=False))
    counted_on: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    n: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
