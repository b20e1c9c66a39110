"""Shared steps for the notification tests."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from ocop.core.outbox import OutboxEvent
from ocop.notifications.models import Notification
from ocop.org.models import User
from ocop.worker import run_daily
from tests.campaigns.helpers import API


def daily(day: date) -> dict[str, int]:
    """The daily job as the worker and `ocop daily` run it (its own session, committed), on a chosen day."""
    return run_daily(day)


def told(session: Session, subject_type: str, subject_id: int, kind: str | None = None) -> list[str]:
    """Usernames notified about a subject, sorted (a name twice means two notifications)."""
    session.commit()  # end this session's transaction: see what the daily job committed
    stmt = (sa.select(User.username).join(Notification, Notification.user_id == User.id)
            .where(Notification.subject_type == subject_type, Notification.subject_id == subject_id))
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return sorted(session.scalars(stmt))


def events(session: Session, aggregate_type: str, aggregate_id: int, event_type: str | None = None
           ) -> list[OutboxEvent]:
    session.commit()
    stmt = sa.select(OutboxEvent).where(OutboxEvent.aggregate_type == aggregate_type,
                                        OutboxEvent.aggregate_id == str(aggregate_id)).order_by(OutboxEvent.id)
    if event_type:
        stmt = stmt.where(OutboxEvent.event_type == event_type)
    return list(session.scalars(stmt))


def dongbanh_product(client: Any, headers: dict[str, str]) -> int:
    """A new product of HTX Đồng Bành (in the commune of Chi Lăng, whose producer user is producer_dongbanh)."""
    producer = client.get(f"{API}/producers", params={"q": "dong banh"}, headers=headers).json()["items"][0]["id"]
    r = client.post(f"{API}/products", json={"producer_id": producer, "name": f"Na sấy thử {uuid.uuid4().hex[:8]}"},
                    headers=headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def certificate(client: Any, headers: dict[str, str], product_id: int, valid_to: date,
                decided: date | None = None) -> dict[str, Any]:
    decided = decided or valid_to - timedelta(days=1000)
    r = client.post(f"{API}/certificates", json={"product_id": product_id, "decision_date": decided.isoformat(),
                                                 "stars": 4, "valid_to": valid_to.isoformat()}, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())
