"""Idempotency-Key on POST: same key and body → the first response; another body → 422; keys are per caller."""
from __future__ import annotations

from datetime import timedelta

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


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_ten_minutes(client, session, as_user):
    """A worker that dies between claiming a key and committing leaves an open claim and no work: a repeat waits
    (409) while the claim is recent, and runs once the claim is old enough to be abandoned."""
    from ocop.core.db import utcnow
    from ocop.core.idempotency import IdempotencyRecord

    h = {**as_user("inspector1"), "Idempotency-Key": "dead-worker-1"}
    before = count(session, Finding)
    first = client.post(f"{API}/findings", json=body(session), headers=h)
    assert first.status_code == 201

    def leave_open(minutes_ago: int) -> None:  # as the dead worker left it: claimed, nothing stored
        session.execute(sa.update(IdempotencyRecord).where(IdempotencyRecord.key == "dead-worker-1").values(
            status=None, committed=False, headers=None, body=None,
            created_at=utcnow() - timedelta(minutes=minutes_ago)))
        session.commit()

    leave_open(1)
    waiting = client.post(f"{API}/findings", json=body(session), headers=h)
    assert waiting.status_code == 409 and waiting.json()["code"] == "idempotency_in_progress"
    assert count(session, Finding) == before + 1
    leave_open(11)
    again = client.post(f"{API}/findings", json=body(session), headers=h)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers  # it ran
    assert count(session, Finding) == before + 2
    replay = client.post(f"{API}/findings", json=body(session), headers=h)
    assert replay.json() == again.json() and replay.headers["idempotent-replayed"] == "true"


def test_a_committed_claim_whose_answer_was_never_stored_is_not_run_again(client, session, as_user):
    """The request's transaction committed (its work is done) but its answer was not stored: however old the claim,
    a repeat is told to wait (409) and the work is not done a second time."""
    from ocop.core.db import utcnow
    from ocop.core.idempotency import IdempotencyRecord

    h = {**as_user("inspector1"), "Idempotency-Key": "committed-unanswered-1"}
    before = count(session, Finding)
    assert client.post(f"{API}/findings", json=body(session), headers=h).status_code == 201
    record = session.scalars(sa.select(IdempotencyRecord).where(
        IdempotencyRecord.key == "committed-unanswered-1")).one()  # type: ignore[arg-type]
    assert record.committed and record.status == 201  # marked in the request's own commit, then answered
    session.execute(sa.update(IdempotencyRecord).where(IdempotencyRecord.key == "committed-unanswered-1").values(
        status=None, headers=None, body=None, created_at=utcnow() - timedelta(hours=2)))
    session.commit()
    repeat = client.post(f"{API}/findings", json=body(session), headers=h)
    assert repeat.status_code == 409 and repeat.json()["code"] == "idempotency_in_progress", repeat.text
    assert count(session, Finding) == before + 1
