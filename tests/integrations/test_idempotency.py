"""Idempotency-Key on POST: same key and body → the first response; another body → 422; keys are per caller."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.inspections.models import Finding
from tests.campaigns.helpers import API, seeded
from tests.conftest import count


def body(session, description="Nhãn thiếu hạn sử dụng"):
    from ocop.registry.models import Product

    na = session.scalars(sa.select(Product).where(Product.name == "Na Chi Lăng")).one()
    return {"campaign_id": seeded(session, 2024), "producer_id": na.producer_id, "product_id": na.id,
            "severity": "minor", "category": "labelling", "description": description}


def test_a_repeated_post_returns_the_first_response_and_creates_nothing_more(client, session, as_user):
    h = {**as_user("inspector1"), "Idempotency-Key": "9f1c2d1e-visit-42"}
    before = count(session, Finding)
    first = client.post(f"{API}/findings", json=body(session), headers=h)
    again = client.post(f"{API}/findings", json=body(session), headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert count(session, Finding) == before + 1
    other = client.post(f"{API}/findings", json=body(session, "Bao bì khác hồ sơ"), headers=h)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert count(session, Finding) == before + 1
    # without a key every POST counts; another caller's identical key is theirs alone
    client.post(f"{API}/findings", json=body(session), headers=as_user("inspector1"))
    assert count(session, Finding) == before + 2
    mine = client.post(f"{API}/findings", json=body(session), headers={**as_user("inspector2"),
                                                                       "Idempotency-Key": "9f1c2d1e-visit-42"})
    assert mine.status_code == 201 and mine.json()["id"] != first.json()["id"]


def test_refusals_are_replayed_too_but_nothing_is_stored_for_bad_tokens(client, session, as_user):
    h = {**as_user("viewer"), "Idempotency-Key": "k-1"}
    r1 = client.post(f"{API}/findings", json=body(session), headers=h)
    r2 = client.post(f"{API}/findings", json=body(session), headers=h)
    assert r1.status_code == r2.status_code == 403  # the viewer is in no team; the refusal is replayed as it was
    assert r2.json() == r1.json()
    r = client.post(f"{API}/findings", json=body(session), headers={"Authorization": "Bearer forged",
                                                                     "Idempotency-Key": "k-1"})
    assert r.status_code == 401
