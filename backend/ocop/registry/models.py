from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column

PRODUCER_KINDS = ("enterprise", "cooperative", "cooperative_group", "household_business")
PRODUCER_STATUSES = ("active", "suspended", "ceased")
PRODUCT_STATUSES = ("active", "discontinued")


def _fk(target: str, nullable: bool = False, index: bool = True, ondelete: str | None = None) -> Any:
    return sa.Column(sa.BigInteger, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class CriteriaVersion(SQLModel, table=True):
    """The legal decision that defines the OCOP criteria, groups and product sets."""

    __tablename__ = "criteria_version"

    id: int | None = Field(default=None, sa_column=pk_column())
    code: str = Field(sa_column=sa.Column(sa.String(40), nullable=False, unique=True))
    decision_number: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    decision_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    amended_by: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    valid_from: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    valid_to: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))


class ProductGroup(SQLModel, table=True):
    __tablename__ = "product_group"
    __table_args__ = (sa.UniqueConstraint("criteria_version_id", "number"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    criteria_version_id: int = Field(sa_column=_fk("criteria_version.id"))
    number: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))


class ProductSet(SQLModel, table=True):
    __tablename__ = "product_set"
    __table_args__ = (sa.UniqueConstraint("criteria_version_id", "number"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    criteria_version_id: int = Field(sa_column=_fk("criteria_version.id"))
    group_id: int = Field(sa_column=_fk("product_group.id"))
    number: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    search_name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    confirmed: bool = Field(default=True, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("true")))


class Producer(Optimistic, SQLModel, table=True):
    __tablename__ = "producer"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN {PRODUCER_KINDS!r}", name="kind"),
        sa.CheckConstraint(f"status IN {PRODUCER_STATUSES!r}", name="status"),
        sa.Index("uq_producer_tax_code", "tax_code", unique=True),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    kind: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    search_name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False, index=True))
    tax_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(14), nullable=True))
    business_reg_no: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    representative: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    email: str | None = Field(default=None, sa_column=sa.Column(sa.String(254), nullable=True))
    address: str | None = Field(default=None, sa_column=sa.Column(sa.String(500), nullable=True))
    admin_unit_id: int | None = Field(default=None, sa_column=_fk("admin_unit.id", nullable=True))
    status: str = Field(default="active", sa_column=sa.Column(sa.String(20), nullable=False))
    is_sample: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("false")))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class ProducerMember(SQLModel, table=True):
    """A user who acts for a producer (role `producer`)."""

    __tablename__ = "producer_member"

    producer_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("producer.id", ondelete="CASCADE"),
                                                 primary_key=True))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                             primary_key=True, index=True))


class Product(Optimistic, SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {PRODUCT_STATUSES!r}", name="status"),
        sa.UniqueConstraint("producer_id", "search_name"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    producer_id: int = Field(sa_column=_fk("producer.id"))
    name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    search_name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False, index=True))
    # folded product and producer names, kept at write time: one trigram-indexed column to search
    search_text: str = Field(default="", sa_column=sa.Column(sa.String(700), nullable=False, server_default=""))
    product_set_id: int | None = Field(default=None, sa_column=_fk("product_set.id", nullable=True))
    description: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    status: str = Field(default="active", sa_column=sa.Column(sa.String(20), nullable=False))
    is_sample: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("false")))
    # the newest recognition decision, kept at write time so that lists need no aggregate per request
    current_certificate_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("certificate.id", use_alter=True), nullable=True, index=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class Certificate(Optimistic, SQLModel, table=True):
    """A recognition decision for a product. Status is derived from the dates (see service)."""

    __tablename__ = "certificate"
    __table_args__ = (
        sa.CheckConstraint("stars BETWEEN 3 AND 5", name="stars"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score"),
        sa.Index("ix_certificate_product_valid_to", "product_id", "valid_to"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    product_id: int = Field(sa_column=_fk("product.id"))
    certificate_number: str = Field(sa_column=sa.Column(sa.String(60), nullable=False, unique=True))
    decision_number: str | None = Field(default=None, sa_column=sa.Column(sa.String(60), nullable=True))
    decision_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    certifying_agency_id: int | None = Field(default=None, sa_column=_fk("agency.id", nullable=True))
    certifying_level: str = Field(default="province", sa_column=sa.Column(sa.String(20), nullable=False))
    criteria_version_id: int | None = Field(default=None, sa_column=_fk("criteria_version.id", nullable=True))
    score: float | None = Field(default=None, sa_column=sa.Column(sa.Numeric(5, 2, asdecimal=False), nullable=True))
    stars: int = Field(sa_column=sa.Column(sa.Integer, nullable=False, index=True))
    valid_from: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    valid_to: date = Field(sa_column=sa.Column(sa.Date, nullable=False, index=True))
    revocation_decision: str | None = Field(default=None, sa_column=sa.Column(sa.String(60), nullable=True))
    revocation_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    revocation_reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    superseded_by_id: int | None = Field(default=None, sa_column=_fk("certificate.id", nullable=True, index=False))
    superseded_on: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    is_sample: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("false")))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class StampIssue(SQLModel, table=True):
    """OCOP star stamps printed by the department and issued for a product."""

    __tablename__ = "stamp_issue"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    product_id: int = Field(sa_column=_fk("product.id"))
    certificate_id: int | None = Field(default=None, sa_column=_fk("certificate.id", nullable=True))
    issued_on: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    quantity: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    stars: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    serial_from: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    serial_to: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(sa_column=ts_column())


class ImportJob(SQLModel, table=True):
    """An uploaded registry file: dry run first, then commit (all rows or none)."""

    __tablename__ = "import_job"

    id: int | None = Field(default=None, sa_column=pk_column())
    kind: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    filename: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, index=True))
    size: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    storage_key: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    total_rows: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    processed_rows: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    summary: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    rows: list[dict[str, Any]] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    error: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_by: int | None = Field(default=None, sa_column=_fk("app_user.id", nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    finished_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    committed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    # the last sign of life of the process checking or committing it: an import in progress whose process stopped
    # reporting for OCOP_IMPORT_STALE_MINUTES is taken as abandoned (service.recover_abandoned_imports)
    heartbeat_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
