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
