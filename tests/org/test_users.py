from __future__ import annotations

import sqlalchemy as sa

from ocop.audit.models import AuditEvent
from ocop.org.models import User
from tests.conftest import count, sign_in
from tests.factories import agency_id

NEW = {"username": "nguyen.van.a", "full_name": "Nguyễn Văn A", "password": "mat-khau-dai-1",
       "email": "a@example.vn", "phone": "0912 345 678", "title": "Chuyên viên", "roles": ["inspector"]}


def audit_of(session, uid, action=None):
    stmt = sa.select(AuditEvent).where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(uid))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return session.scalars(stmt.order_by(AuditEvent.id)).all()


def create(client, headers, **over):
    return client.post("/api/v1/users", json={**NEW, **over}, headers=headers)


def test_admin_creates_a_user_who_can_sign_in(client, as_user, session):
    r = create(client, as_user("admin"), agency_id=agency_id(session, "SYT"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"/api/v1/users/{body['id']}" and r.headers["etag"] == '"1"'
    assert body["roles"] == ["inspector"] and body["active"] is True and "password" not in r.text
    events = audit_of(session, body["id"], "user.create")
    assert len(events) == 1 and events[0].after["username"] == "nguyen.van.a"
    assert "password_hash" not in events[0].after and events[0].actor_name == "admin"
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer " + sign_in(client, "nguyen.van.a",
                                                                                  "mat-khau-dai-1")["access_token"]})
    assert me.json()["agency"]["short_name"] == "Sở YT"


def test_bad_input_is_refused_and_writes_nothing(client, as_user, session):
    admin = as_user("admin")
    before_users, before_audit = count(session, User), count(session, AuditEvent)
    cases = [
        ({"username": "A b"}, "username"), ({"password": "short"}, "password"), ({"roles": ["king"]}, "roles"),
        ({"roles": []}, "roles"), ({"email": "not-an-email"}, "email"), ({"phone": "call me"}, "phone"),
        ({"agency_id": 999999}, "agency_id"), ({"scope_unit_id": 999999}, "scope_unit_id"),
        ({"roles": ["local_officer"]}, "scope_unit_id"), ({"unexpected": 1}, "unexpected"),
        ({"roles": ["viewer", "viewer"]}, "roles"),
    ]
    for over, field in cases:
        r = create(client, admin, **over)
        assert r.status_code == 422, (over, r.text)
        assert any(field in map(str, e["loc"]) for e in r.json()["errors"]), (over, r.json())
    assert create(client, admin, username="coordinator").status_code == 409
    assert count(session, User) == before_users and count(session, AuditEvent) == before_audit


def test_only_admin_manages_users(client, as_user):
    for user in ("coordinator", "leader", "viewer", "inspector1", "local_chilang"):
        assert create(client, as_user(user)).status_code == 403
    uid = create(client, as_user("admin")).json()["id"]
    r = client.patch(f"/api/v1/users/{uid}", json={"title": "x"}, headers={**as_user("leader"), "If-Match": '"1"'})
    assert r.status_code == 403
    r = client.post(f"/api/v1/users/{uid}/password", json={"new_password": "another-pass-1"},
                    headers=as_user("coordinator"))
    assert r.status_code == 403


def test_edit_needs_if_match_and_rejects_stale_versions(client, as_user, session):
    admin = as_user("admin")
    uid = create(client, admin).json()["id"]
    url = f"/api/v1/users/{uid}"
    r = client.patch(url, json={"title": "Phó Trưởng phòng"}, headers=admin)
    assert r.status_code == 428 and r.json()["code"] == "precondition_required"
    r = client.patch(url, json={"title": "Phó Trưởng phòng", "roles": ["inspector", "viewer"]},
                     headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["etag"] == '"2"' and r.json()["roles"] == ["inspector", "viewer"]
    r = client.patch(url, json={"title": "lost update"}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 412 and r.json()["code"] == "stale_version"
    assert client.get(url, headers=admin).json()["title"] == "Phó Trưởng phòng"
    event = audit_of(session, uid, "user.update")[-1]
    assert event.before["title"] == "Chuyên viên" and event.after["title"] == "Phó Trưởng phòng"
    assert event.before["roles"] == ["inspector"] and event.after["roles"] == ["inspector", "viewer"]


def test_deactivate_ends_access_and_is_audited(client, as_user, session):
    admin = as_user("admin")
    uid = create(client, admin).json()["id"]
    token = sign_in(client, "nguyen.van.a", "mat-khau-dai-1")
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    r = client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": token["refresh_token"]}).status_code == 401
    assert len(audit_of(session, uid, "user.deactivate")) == 1
    assert client.delete(f"/api/v1/users/{uid}", headers=admin).status_code == 405  # never deleted
    r = client.patch(f"/api/v1/users/{uid}", json={"active": True}, headers={**admin, "If-Match": '"2"'})
    assert r.status_code == 200 and len(audit_of(session, uid, "user.activate")) == 1


def test_admin_cannot_lock_themselves_out(client, as_user):
    admin = as_user("admin")
    me = client.get("/api/v1/me", headers=admin).json()
    r = client.patch(f"/api/v1/users/{me['id']}", json={"active": False}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 409 and r.json()["code"] == "self_lockout"
    r = client.patch(f"/api/v1/users/{me['id']}", json={"roles": ["viewer"]}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 409


def test_reset_password(client, as_user, session):
    admin = as_user("admin")
    uid = create(client, admin).json()["id"]
    old = sign_in(client, "nguyen.van.a", "mat-khau-dai-1")
    r = client.post(f"/api/v1/users/{uid}/password", json={"new_password": "mat-khau-moi-2"}, headers=admin)
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {old['access_token']}"}).status_code == 401
    bad = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": "nguyen.van.a",
                                                  "password": "mat-khau-dai-1"})
    assert bad.status_code == 400
    assert sign_in(client, "nguyen.van.a", "mat-khau-moi-2")
    events = audit_of(session, uid, "user.password_reset")
    assert len(events) == 1 and "mat-khau" not in str(events[0].after)
    assert client.post(f"/api/v1/users/{uid}/password", json={"new_password": "x"}, headers=admin).status_code == 422
    assert client.post("/api/v1/users/999999/password", json={"new_password": "long-enough-1"},
                       headers=admin).status_code == 404


def test_search_without_accents_and_filters(client, as_user):
    admin = as_user("admin")
    items = client.get("/api/v1/users", params={"q": "nguyen thi thu ha"}, headers=admin).json()["items"]
    assert [u["username"] for u in items] == ["coordinator"]
    items = client.get("/api/v1/users", params={"role": "inspector"}, headers=admin).json()["items"]
    assert sorted(u["username"] for u in items) == ["inspector1", "inspector2", "inspector3"]
    assert client.get("/api/v1/users", params={"role": "king"}, headers=admin).status_code == 422


def test_users_page_limits(client, as_user):
    admin = as_user("admin")
    page = client.get("/api/v1/users", params={"limit": 3}, headers=admin).json()
    assert len(page["items"]) == 3 and page["next_cursor"]
    rest = client.get("/api/v1/users", params={"limit": 500, "cursor": page["next_cursor"]}, headers=admin).json()
    names = [u["username"] for u in page["items"] + rest["items"]]
    assert len(names) == len(set(names)) == 10 and rest["next_cursor"] is None
    assert client.get("/api/v1/users", params={"cursor": "garbage!"}, headers=admin).status_code == 422
    assert client.get("/api/v1/users", params={"limit": 0}, headers=admin).status_code == 422


def test_non_admin_roles_see_only_themselves(client, as_user):
    for user in ("viewer", "inspector1", "producer_dongbanh"):
        items = client.get("/api/v1/users", headers=as_user(user)).json()["items"]
        assert [u["username"] for u in items] == [user]
    admin_id = client.get("/api/v1/me", headers=as_user("admin")).json()["id"]
    r = client.get(f"/api/v1/users/{admin_id}", headers=as_user("viewer"))
    assert r.status_code == 404  # what you may not see does not exist for you
