"""Factory functions for test data, built with the application's own services."""
from __future__ import annotations

import itertools

import sqlalchemy as sa
from sqlmodel import Session

from ocop.org.models import AdminUnit, Agency, User
from ocop.seed import ensure_user

_seq = itertools.count(1)
PASSWORD = "factory-password-1"


def unit_id(session: Session, code: str) -> int:
    uid = session.scalar(sa.select(AdminUnit.id).where(AdminUnit.code == code))
    assert uid is not None, code
    return uid


def agency_id(session: Session, code: str) -> int:
    aid = session.scalar(sa.select(Agency.id).where(Agency.code == code))
    assert aid is not None, code
    return aid


def make_user(session: Session, *roles: str, username: str | None = None, scope_unit: str | None = None,
              agency: str | None = None, full_name: str | None = None, password: str = PASSWORD) -> User:
    n = next(_seq)
    user, _ = ensure_user(
        session, username or f"user{n}", full_name or f"Người dùng {n}", list(roles or ("viewer",)), password,
        scope_unit_id=unit_id(session, scope_unit) if scope_unit else None,
        agency_id=agency_id(session, agency) if agency else None,
    )
    session.commit()
    return user


def legacy_finding(session: Session, campaign_id: int, product_id: int, severity: str = "critical"
                   ) -> tuple[int, int, int]:
    """A finding with an open action and a photo, written straight into the campaign (as the API once let any team
    member do in a draft campaign), its product marked for compliance as a finding's change marks it. Returns
    (finding, action, evidence) ids."""
    from datetime import timedelta

    from ocop.core import changes
    from ocop.core.dates import today
    from ocop.core.db import utcnow
    from ocop.inspections.models import CorrectiveAction, Evidence, Finding
    from ocop.registry.models import Producer, Product

    product = session.get(Product, product_id)
    assert product is not None
    producer = session.get(Producer, product.producer_id)
    assert producer is not None
    now = utcnow()
    f = Finding(campaign_id=campaign_id, producer_id=producer.id, product_id=product_id, product_key=product_id,
                admin_unit_id=producer.admin_unit_id, category="mark_use", severity=severity,
                description="Nội dung bịa đặt: dùng tem OCOP giả.", created_at=now, updated_at=now)
    session.add(f)
    session.flush()
    a = CorrectiveAction(finding_id=f.id, description="Thu hồi tem.", owner_type="producer",
                         owner_producer_id=producer.id, due_date=today() - timedelta(days=3), created_at=now,
                         updated_at=now)
    e = Evidence(finding_id=f.id, filename="tem.jpg", content_type="image/jpeg", size=3, sha256="0" * 64,
                 storage_key="legacy/tem.jpg", uploaded_at=now)
    session.add_all([a, e])
    session.flush()
    changes.mark(session, "product", [product_id])
    session.commit()
    return f.id or 0, a.id or 0, e.id or 0
