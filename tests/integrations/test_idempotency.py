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


def test_a_key_longer_than_allowed_is_refused_not_ignored(client, session, as_user):
    before = count(session, Finding)
    for key in ("k" * 201, "bad\u0001key"):
        r = client.post(f"{API}/findings", json=body(session), headers={**as_user("inspector1"),
                                                                         "Idempotency-Key": key})
        assert r.status_code == 400 and r.json()["code"] == "idempotency_key_invalid", r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert count(session, Finding) == before
    r = client.post(f"{API}/findings", json=body(session), headers={**as_user("inspector1"),
                                                                     "Idempotency-Key": "k" * 200})
    assert r.status_code == 201


def test_the_same_key_with_another_query_string_is_not_replayed(client, session, as_user):
    h = {**as_user("inspector1"), "Idempotency-Key": "query-1"}
    before = count(session, Finding)
    assert client.post(f"{API}/findings?visit=1", json=body(session), headers=h).status_code == 201
    other = client.post(f"{API}/findings?visit=2", json=body(session), headers=h)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    again = client.post(f"{API}/findings?visit=1", json=body(session), headers=h)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert count(session, Finding) == before + 1


def test_every_json_content_type_takes_part(client, session, as_user):
    import json

    before = count(session, Finding)
    kinds = ("application/json; charset=utf-8", "application/merge-patch+json", "Application/Vnd.Ocop+JSON ; v=1")
    for i, kind in enumerate(kinds):
        h = {**as_user("inspector1"), "Idempotency-Key": f"kind-{i}", "Content-Type": kind}
        payload = json.dumps(body(session)).encode()
        first = client.post(f"{API}/findings", content=payload, headers=h)
        again = client.post(f"{API}/findings", content=payload, headers=h)
        assert first.status_code == again.status_code == 201, (kind, first.text)
        assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json(), kind
    assert count(session, Finding) == before + len(kinds)


def test_a_keyed_body_beyond_a_megabyte_is_refused_not_run_unprotected(client, session, as_user):
    before = count(session, Finding)
    r = client.post(f"{API}/findings", json=body(session, "x" * (1024 * 1024)),
                    headers={**as_user("inspector1"), "Idempotency-Key": "big-1"})
    assert r.status_code == 413 and r.json()["code"] == "idempotency_body_too_large"
    assert count(session, Finding) == before


def test_the_body_is_buffered_in_linear_time(client, session, as_user):
    """A body arriving in many small pieces (chunked) is collected and joined once, never rebuilt by repeated
    concatenation (quadratic: a 100 MB body in small chunks took 25 s)."""
    import asyncio
    import json

    from ocop.core.idempotency import IdempotencyMiddleware

    class Piece(bytes):
        def __radd__(self, other: bytes) -> bytes:  # `body += piece`
            raise AssertionError("the body is rebuilt by repeated concatenation")

    payload = json.dumps(body(session)).encode()
    pieces = [Piece(payload[i:i + 2]) for i in range(0, len(payload), 2)]
    seen: list[bytes] = []

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        more = True
        while more:
            message = await receive()
            seen.append(message.get("body", b""))
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"done"})

    async def run() -> list[dict]:
        queue = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]
        sent: list[dict] = []

        async def receive():  # type: ignore[no-untyped-def]
            return queue.pop(0)

        async def send(message):  # type: ignore[no-untyped-def]
            sent.append(message)

        token = as_user("inspector1")["Authorization"].encode()
        scope = {"type": "http", "method": "POST", "path": "/api/v1/findings", "query_string": b"",
                 "headers": [(b"authorization", token), (b"idempotency-key", b"linear-1"),
                             (b"content-type", b"application/json")]}
        await IdempotencyMiddleware(app)(scope, receive, send)
        return sent

    sent = asyncio.run(run())
    assert len(pieces) > 50 and sent[0]["status"] == 201 and b"".join(seen) == payload
