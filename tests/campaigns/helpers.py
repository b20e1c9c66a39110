"""Shared steps for campaign tests, through the HTTP API like a user."""
from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from ocop.campaigns.models import Campaign
from ocop.org.models import User
from tests.factories import agency_id as agency
from tests.factories import unit_id

API = "/api/v1"
PLAN_2024 = "Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh Lạng Sơn năm 2024"
_REGISTER = itertools.count(101)  # the numbers a clerk would take from the register, one per plan issued here


def register_number(code: str = "KH", notation: str = "SNNMT") -> str:
    """A fresh number as the agency's register gives it (the system never makes one up)."""
    return f"{next(_REGISTER)}/{code}-{notation}"


def user(session: Session, username: str) -> int:
    uid = session.scalar(sa.select(User.id).where(User.username == username))
    assert uid is not None, username
    return uid


def seeded(session: Session, year: int) -> int:
    cid = session.scalar(sa.select(Campaign.id).where(Campaign.year == year))
    assert cid is not None
    return cid


def draft(client: Any, session: Session, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Kiểm tra sản phẩm OCOP quý III", "year": 2026, "issuing_agency_id": agency(session, "SNNMT"),
        "place": "Lạng Sơn", "content_areas": [{"number": 1, "title": "Công tác quản lý chất lượng"},
                                               {"number": 2, "title": "Sử dụng nhãn hiệu OCOP"}],
        "period": {"kind": "quarter", "quarter": 3, "year": 2026},
        "legal_bases": [{"number": "148/QĐ-TTg", "date": "2023-02-24", "issuer": "Thủ tướng Chính phủ"}],
        **overrides,
    }
    r = client.post(f"{API}/campaigns", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def add_head(client: Any, session: Session, headers: dict[str, str], campaign_id: int) -> dict[str, Any]:
    r = client.post(f"{API}/campaigns/{campaign_id}/team", json={"user_id": user(session, "leader"), "role": "head"},
                    headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def move(client: Any, headers: dict[str, str], campaign_id: int, to: str, **extra: Any) -> Any:
    return client.post(f"{API}/campaigns/{campaign_id}/transitions", json={"to": to, **extra}, headers=headers)


def issued(client: Any, session: Session, as_user: Any, document_number: str | None = None,
           document_date: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A campaign the leader has issued (with a number from the register, dated today unless told), with the leader
    as head and the given units."""
    co = as_user("coordinator")
    c = draft(client, session, co, **overrides)
    add_head(client, session, co, c["id"])
    assert move(client, co, c["id"], "submitted").status_code == 200
    r = move(client, as_user("leader"), c["id"], "issued", document_number=document_number or register_number(),
             **({"document_date": document_date} if document_date else {}))
    assert r.status_code == 200, r.text
    return r.json()


def visit(client: Any, headers: dict[str, str], campaign_id: int, unit: int, start: str, end: str,
          kind: str = "working_session", **extra: Any) -> Any:
    return client.post(f"{API}/campaigns/{campaign_id}/visits", json={
        "kind": kind, "starts_at": start, "ends_at": end, "place": "Hội trường UBND", "admin_unit_id": unit, **extra},
        headers=headers)


__all__ = ["API", "PLAN_2024", "add_head", "agency", "draft", "issued", "move", "register_number", "seeded", "unit_id",
           "user", "visit"]
