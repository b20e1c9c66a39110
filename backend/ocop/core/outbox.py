"""The outbox: events written in the same transaction as the change they describe.

The webhook worker (integrations) reads this table in id order and delivers; services only call
`emit`. This module knows no domain: the payload is whatever the caller gives.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from . import changes
from .db import pk_column, ts_column, utcnow
from .logging import request_id_var


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    __table_args__ = (sa.Index("ix_outbox_event_aggregate", "aggregate_type", "aggregate_id"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    event_type: str = Field(sa_column=sa.Column(sa.String(60), nullable=False, index=True))
    aggregate_type: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    aggregate_id: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    payload: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    request_id: str | None = Field(default=None, sa_column=sa.Column(sa.String(64), nullable=True))
    occurred_at: datetime = Field(sa_column=ts_column())


def emit(session: Session, event_type: str, aggregate_type: str, aggregate_id: Any,
         payload: dict[str, Any]) -> OutboxEvent:
    """Add an event to the current transaction: it exists if and only if the change commits."""
    event = OutboxEvent(event_type=event_type, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id),
                        payload=payload, request_id=request_id_var.get(), occurred_at=utcnow())
    session.add(event)
    session.flush()
    changes.mark(session, "outbox_event", [event.id])  # webhooks fan out in the same transaction
    return event
