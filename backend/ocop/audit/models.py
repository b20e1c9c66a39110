from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import pk_column, ts_column


class AuditEvent(SQLModel, table=True):
    """Append-only: the migration installs triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_entity", "entity_type", "entity_id", "id"),
        sa.Index("ix_audit_event_actor", "actor_id", "id"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    occurred_at: datetime = Field(sa_column=ts_column(index=True))
    actor_type: str = Field(sa_column=sa.Column(sa.String(16), nullable=False))
    actor_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    actor_name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    action: str = Field(sa_column=sa.Column(sa.String(80), nullable=False, index=True))
    entity_type: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    entity_id: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    before: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    request_id: str | None = Field(default=None, sa_column=sa.Column(sa.String(128), nullable=True))
