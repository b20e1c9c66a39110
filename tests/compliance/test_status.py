"""Compliance status: each case with its reasons, the boundaries, history (as_of), ETags and the change feed."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from ocop.compliance import service as compliance
from ocop.compliance.models import ComplianceStatus
from ocop.core.dates import add_months, today
from ocop.inspections.models import CorrectiveAction
from ocop.registry.models import Product
from tests.campaigns.helpers import API
from tests.conftest import PG_URL


def product_id(session, name):
    pid = session.scalar(sa.select(Product.id).where(Product.name == name))
    assert pid is not None, name
    return pid


def status(client, headers, pid, **params):
    r = client.get(f"{API}/compliance/products/{pid}", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_seeded_statuses_cover_every_case_with_reasons(client, session, as_user):
    h = as_user("viewer")
    na = status(client, h, product_id(session, "Na Chi Lăng"))
    assert na["status"] == "conditional" and na["open_findings"] == {"minor": 1, "major": 0, "critical": 0}
    assert {r["code"] for r in na["reasons"]} == {"open_finding", "action_pending"}
    assert na["certificate"]["stars"] == 4 and na["certificate"]["status"] == "valid"
    luavy = status(client, h, product_id(session, "Trà diếp cá Lúa Vy"))
    assert luavy["status"] == "non_compliant"
    assert {r["code"] for r in luavy["reasons"]} == {"open_finding", "action_overdue"}
    assert all(r.get("finding_id") for r in luavy["reasons"])
    assert status(client, h, product_id(session, "Rượu men lá A Múi"))["status"] == "revoked"
    assert status(client, h, product_id(session, "Rượu khoai lang Lộc Bình"))["status"] == "expired"
    statuses = {s for (s,) in session.execute(sa.select(ComplianceStatus.status).distinct())}
    assert {"compliant", "conditional", "non_compliant", "expired", "revoked"} <= statuses
    producer = client.get(f"{API}/compliance/producers/{na['producer_id']}", headers=h).json()
    assert producer["status"] == "conditional" and len(producer["products"]) == 1


def make_product(client, headers, decided=None, stars=4, valid_to=None):
    producer = client.get(f"{API}/producers", params={"q": "dong banh"}, headers=headers).json()["items"][0]["id"]
    import uuid

    p = client.post(f"{API}/products", json={"producer_id": producer, "name": f"Sản phẩm thử {uuid.uuid4().hex[:8]}"},
                    headers=headers).json()
    if decided:
        body = {"product_id": p["id"], "decision_date": decided.isoformat(), "stars": stars}
        if valid_to:
            body["valid_to"] = valid_to.isoformat()
        r = client.post(f"{API}/certificates", json=body, headers=headers)
        assert r.status_code == 201, r.text
    return p["id"]


def test_certificate_changes_move_the_status_in_the_same_transaction(client, session, as_user):
    co = as_user("coordinator")
    pid = make_product(client, co)
    first = status(client, co, pid)
    assert first["status"] == "not_certified" and first["certificate"] is None
    cert = client.post(f"{API}/certificates", json={"product_id": pid, "decision_date": add_months(today(), -2)
                                                    .isoformat(), "stars": 3}, headers=co).json()
    assert status(client, co, pid)["status"] == "compliant"
    r = client.post(f"{API}/certificates/{cert['id']}/revocation", json={
        "decision_number": "12/QĐ-UBND", "decision_date": today().isoformat(), "reason": "Ngừng sản xuất"},
        headers={**co, "If-Match": f'"{cert["version"]}"'})
    assert r.status_code == 200, r.text
    revoked = status(client, co, pid)
    assert revoked["status"] == "revoked" and "Ngừng sản xuất" in revoked["reasons"][0]["detail"]


def test_expiry_boundary_is_the_day_after_valid_to(client, session, as_user):
    co = as_user("coordinator")
    day = today()
    ends_today = make_product(client, co, day - timedelta(days=400), valid_to=day)
    ended = make_product(client, co, day - timedelta(days=400), valid_to=day - timedelta(days=1))
    last = status(client, co, ends_today)
    assert last["status"] == "compliant" and {r["code"] for r in last["reasons"]} == {"certificate_expiring"}
    gone = status(client, co, ended)
    assert gone["status"] == "expired" and gone["reasons"][0]["code"] == "certificate_expired"
    # the day before it expired it was in force (the certificate answers before any status was recorded)
    before = status(client, co, ended, as_of=(day - timedelta(days=1)).isoformat())
    assert before["status"] == "compliant" and before["certificate"]["status"] == "expiring"
    assert "certificate_only" in {r["code"] for r in before["reasons"]}
    assert status(client, co, ended, as_of=(day - timedelta(days=500)).isoformat())["status"] == "not_certified"


def test_overdue_boundary_and_as_of(client, session, as_user):
    h = as_user("coordinator")
    pid = product_id(session, "Na Chi Lăng")
    action = session.scalars(sa.select(CorrectiveAction).where(CorrectiveAction.status == "responded")).first()
    assert action is not None
    # reopen the answered action with a due date of today: still conditional; tomorrow it is overdue
    session.execute(sa.update(CorrectiveAction).where(CorrectiveAction.id == action.id)
                    .values(status="open", due_date=today()))
    session.commit()
    compliance.recompute(session, {pid})
    session.commit()
    assert status(client, h, pid)["status"] == "conditional"
    session.execute(sa.update(CorrectiveAction).where(CorrectiveAction.id == action.id)
                    .values(due_date=today() - timedelta(days=1)))
    session.commit()
    compliance.recompute(session, {pid})
    session.commit()
    now = status(client, h, pid)
    assert now["status"] == "non_compliant" and "action_overdue" in {r["code"] for r in now["reasons"]}
    # as_of: yesterday the action was not overdue yet; the day before the 2024 visit recorded the findings (seed),
    # the product was compliant, as certified then
    before = status(client, h, pid, as_of=(today() - timedelta(days=1)).isoformat())
    assert before["status"] == "conditional" and before["as_of"] == (today() - timedelta(days=1)).isoformat()
    assert status(client, h, pid, as_of="2024-05-13")["status"] == "compliant"
    assert status(client, h, pid, as_of=today().isoformat())["status"] == "non_compliant"
    assert status(client, h, pid, as_of="2020-01-01")["status"] == "not_certified"  # before its first certificate


def test_etag_and_304_and_visibility(client, session, as_user):
    pid = product_id(session, "Na Chi Lăng")
    h = as_user("producer_dongbanh")
    r = client.get(f"{API}/compliance/products/{pid}", headers=h)
    assert r.status_code == 200 and r.headers["ETag"]
    again = client.get(f"{API}/compliance/products/{pid}", headers={**h, "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = product_id(session, "Rượu men lá A Múi")
    assert client.get(f"{API}/compliance/products/{other}", headers=h).status_code == 404
    assert client.get(f"{API}/compliance/products/{other}", headers=as_user("local_chilang")).status_code == 404
    assert client.get(f"{API}/compliance/products/{other}", headers=as_user("local_locbinh")).status_code == 200


def test_change_feed_pages_in_order_and_never_ends(client, session, as_user):
    h = as_user("coordinator")
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"changed_since": cursor} if cursor else {})}
        page = client.get(f"{API}/compliance/products", params=params, headers=h).json()
        assert page["next_cursor"]
        if not page["items"]:
            break
        seen += [i["product_id"] for i in page["items"]]
        assert page["items"][-1]["position"] == page["next_cursor"]
        cursor = page["next_cursor"]
    assert set(seen) == {p for (p,) in session.execute(sa.select(Product.id))}
    if PG_URL:
        return  # here every test runs inside one open transaction, which the feed rightly does not pass yet;
        # test_change_feed_misses_nothing_under_concurrent_writes covers PostgreSQL with real commits
    pid = make_product(client, h)
    page = client.get(f"{API}/compliance/products", params={"changed_since": cursor}, headers=h).json()
    assert [i["product_id"] for i in page["items"]] == [pid] and page["items"][0]["status"] == "not_certified"
    assert client.get(f"{API}/compliance/products", params={"changed_since": "garbage"}, headers=h).status_code == 422


@pytest.mark.serial  # another process's open transaction rightly holds the feed back: not beside other tests
@pytest.mark.skipif(not PG_URL, reason="concurrent commits need PostgreSQL")
def test_change_feed_misses_nothing_under_concurrent_writes(template):
    """Writers commit out of sequence order while a reader follows the feed: every change arrives."""
    from ocop.core import db as core_db
    from ocop.core.caller import Caller
    from ocop.core.pagination import PageParams

    engine = core_db.make_engine(template)
    reader = Caller(kind="user", id=1, name="admin", roles=frozenset({"admin"}))
    with Session(engine) as s:
        ids = [p for (p,) in s.execute(sa.select(Product.id).order_by(Product.id).limit(12))]
        start = compliance.feed(s, reader, None, PageParams(limit=200, cursor=None))
        cursor = start.next_cursor
        while True:
            page = compliance.feed(s, reader, cursor, PageParams(limit=200, cursor=None))
            s.rollback()
            if not page.items:
                break
            cursor = page.next_cursor
    written: list[int] = []
    inserted: list[int] = []  # the feed rows this test adds, removed at the end (the template is shared)
    hold = threading.Event()

    def slow_writer() -> None:  # takes its sequence number first, commits last
        with Session(engine) as s:
            inserted.append(s.execute(sa.insert(compliance.ComplianceChange).values(
                product_id=ids[0], txid=sa.func.txid_current(), changed_at=sa.func.now())
                .returning(compliance.ComplianceChange.seq)).scalar_one())
            hold.wait(10)
            s.commit()
            written.append(ids[0])

    t = threading.Thread(target=slow_writer)
    t.start()
    import time

    time.sleep(0.3)
    with Session(engine) as s:
        for pid in ids[1:6]:
            inserted.append(s.execute(sa.insert(compliance.ComplianceChange).values(
                product_id=pid, txid=sa.func.txid_current(), changed_at=sa.func.now())
                .returning(compliance.ComplianceChange.seq)).scalar_one())
            s.commit()
            written.append(pid)
    got: list[int] = []
    with Session(engine) as s:
        page = compliance.feed(s, reader, cursor, PageParams(limit=200, cursor=None))
        s.rollback()
        got += [i.product_id for i in page.items]
        cursor = page.next_cursor
    hold.set()
    t.join()
    for _ in range(5):
        with Session(engine) as s:
            page = compliance.feed(s, reader, cursor, PageParams(limit=200, cursor=None))
            s.rollback()
        got += [i.product_id for i in page.items]
        cursor = page.next_cursor
    assert sorted(got) == sorted(written)
    with Session(engine) as s:
        s.execute(sa.delete(compliance.ComplianceChange).where(compliance.ComplianceChange.seq.in_(inserted)))
        s.commit()
    engine.dispose()


def test_the_fast_read_says_what_the_full_read_says(client, session, as_user):
    h = as_user("coordinator")
    for name in ("Na Chi Lăng", "Trà diếp cá Lúa Vy", "Rượu men lá A Múi"):
        pid = product_id(session, name)
        fast = client.get(f"{API}/compliance/products/{pid}", headers=h)
        full = client.get(f"{API}/compliance/products/{pid}", params={"as_of": today().isoformat()}, headers=h)
        assert fast.status_code == full.status_code == 200
        assert fast.json() == {**full.json(), "updated_at": fast.json()["updated_at"]}
        assert fast.headers["content-type"] == "application/json"
    assert client.get(f"{API}/compliance/products/999999", headers=h).status_code == 404
    assert client.get(f"{API}/compliance/products/1", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_fast_lane_leaves_every_other_case_to_the_route(client, session, as_user, as_client, settings,
                                                              monkeypatch):
    from ocop.core.ratelimit import client_limiter

    pid = product_id(session, "Na Chi Lăng")
    url = f"{API}/compliance/products/{pid}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer x.y.z"}).status_code == 401
    assert client.get(url, headers=as_user("local_locbinh")).status_code == 404  # not theirs
    r = client.get(url, headers=as_user("viewer"))
    assert r.status_code == 200 and r.headers["x-request-id"] and r.headers["content-security-policy"]
    assert client.get(url, headers={**as_user("viewer"), "If-None-Match": r.headers["ETag"]}).status_code == 304
    h = as_client("compliance:read")
    monkeypatch.setattr(settings, "client_rate_limit", 2)
    client_limiter.reset()
    assert [client.get(url, headers=h).status_code for _ in range(3)] == [200, 200, 429]
