from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from ocop.audit.models import AuditEvent


def test_admin_and_leader_read_others_are_forbidden(client, as_user):
    for user in ("admin", "leader"):
        r = client.get("/api/v1/audit-events", headers=as_user(user))
        assert r.status_code == 200 and r.json()["items"], r.text
    for user in ("coordinator", "inspector1", "viewer", "local_chilang", "producer_dongbanh"):
        r = client.get("/api/v1/audit-events", headers=as_user(user))
        assert r.status_code == 403 and r.json()["code"] == "forbidden_role"


def test_filters_and_newest_first(client, as_user):
    admin = as_user("admin")
    r = client.post("/api/v1/users", headers=admin, json={
        "username": "audit.subject", "full_name": "Đối tượng Kiểm toán", "password": "long-password-1",
        "roles": ["viewer"]})
    uid = r.json()["id"]
    events = client.get("/api/v1/audit-events", headers=admin,
                        params={"entity_type": "user", "entity_id": str(uid)}).json()["items"]
    assert [e["action"] for e in events] == ["user.create"]
    assert events[0]["actor_name"] == "admin" and events[0]["request_id"]
    everything = client.get("/api/v1/audit-events", headers=admin, params={"limit": 5}).json()["items"]
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True)
    assert client.get("/api/v1/audit-events", headers=admin, params={"since": "not-a-date"}).status_code == 422


def test_audit_trail_is_append_only_in_the_database(session):
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) > 0
    with pytest.raises(DBAPIError):
        session.execute(sa.update(AuditEvent).values(actor_name="someone else"))
        session.flush()
    session.rollback()
    with pytest.raises(DBAPIError):
        session.execute(sa.delete(AuditEvent))
        session.flush()
    session.rollback()


def test_pagination_walks_everything_once(client, as_user):
    admin = as_user("admin")
    seen, cursor = [], None
    while True:
        params = {"limit": 37}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/audit-events", headers=admin, params=params).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) > 100
