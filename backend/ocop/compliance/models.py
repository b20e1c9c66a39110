from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import pk_column, ts_column

STATUSES = ("compliant", "conditional", "non_compliant", "expired", "revoked", "not_certified")


class ComplianceStatus(SQLModel, table=True):
    """A product's status now: one row per product, written in the transaction that changed it."""

    __tablename__ = "compliance_status"
    __table_args__ = (sa.CheckConstraint(f"status IN {STATUSES!r}", name="status"),)

    product_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("product.id"), primary_key=True))
    producer_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("producer.id"), nullable=False,
                                                 index=True))
    admin_unit_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True, index=True))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False, index=True))
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    certificate: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    open_findings: dict[str, int] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    # the next day on which the passing of time alone changes the status (an expiry, an action falling due)
    next_check_on: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True, index=True))
    updated_at: datetime = Field(sa_column=ts_column())


class ComplianceHistory(SQLModel, table=True):
    """Effective-dated history: the status in force from `effective_from` until the next row."""

    __tablename__ = "compliance_history"
    __table_args__ = (sa.Index("ix_compliance_history_product_from", "product_id", "effective_from", "id"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    product_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("product.id"), nullable=False))
    effective_from: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    certificate: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    open_findings: dict[str, int] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    recorded_at: datetime = Field(sa_column=ts_column())


class ComplianceChange(SQLModel, table=True):
    """The change feed. On PostgreSQL each row keeps its transaction id, and readers only pass rows whose
    transaction is older than every transaction still running: nothing committed later can sort before them."""

    __tablename__ = "compliance_change"
    __table_args__ = (sa.Index("ix_compliance_change_position", "txid", "seq"),)  # the feed's order and cursor

    seq: int | None = Field(default=None, sa_column=pk_column())
    product_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("product.id"), nullable=False,
                                                index=True))
    txid: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))  # 0: SQLite
    changed_at: datetime = Field(sa_column=ts_column())
