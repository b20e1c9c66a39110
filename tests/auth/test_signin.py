from __future__ import annotations

from datetime import timedelta

import argon2
import sqlalchemy as sa

from ocop.auth.models import LoginFailure
from ocop.core.db import utcnow
from tests.conftest import DEMO_PASSWORD, count, sign_in

TOKEN = "/api/v1/auth/token"


def login(client, username, password, ip_port=None):
    return client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password})


def assert_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["code"] == code, body
    assert {"type", "title", "detail", "instance"} <= set(body)
    return body


def test_password_grant_returns_tokens_cookie_and_me(client):
    r = login(client, "coordinator", DEMO_PASSWORD)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    assert body["access_token"] and body["refresh_token"]
    cookie = r.headers["set-cookie"]
    assert "ocop_refresh=" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["username"] == "coordinator" and me["full_name"] == "Nguyễn Thị Thu Hà"
    assert me["roles"] == ["coordinator"] and me["agency"]["short_name"] == "Chi cục PTNT"


def test_username_is_case_insensitive(client):
    assert login(client, "  Coordinator ", DEMO_PASSWORD).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    wrong = assert_problem(login(client, "viewer", "not-the-password"), 400, "invalid_grant")
    unknown = assert_problem(login(client, "nobody-here", "not-the-password"), 400, "invalid_grant")
    assert wrong["error"] == unknown["error"] == "invalid_grant"
    assert wrong["detail"] == unknown["detail"]


def test_unknown_user_costs_an_argon2_verification(client, monkeypatch):
    calls = []
    real = argon2.PasswordHasher.verify

    def spy(self, hash_, password):
        calls.append(hash_)
        return real(self, hash_, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    login(client, "nobody-here", "whatever-password")
    login(client, "viewer", "whatever-password")
    assert len(calls) == 2 and all(h.startswith("$argon2") for h in calls)


def test_inactive_user_cannot_sign_in(client, as_user):
    admin = as_user("admin")
    uid = client.get("/api/v1/users", params={"q": "viewer"}, headers=admin).json()["items"][0]["id"]
    r = client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert_problem(login(client, "viewer", DEMO_PASSWORD), 400, "invalid_grant")


def test_missing_fields_and_unsupported_grant(client):
    body = assert_problem(client.post(TOKEN, data={"grant_type": "password", "username": "x"}), 400,
                          "invalid_request")
    assert body["error"] == "invalid_request"
    body = assert_problem(client.post(TOKEN, data={"grant_type": "authorization_code"}), 400,
                          "unsupported_grant_type")
    assert body["error"] == "unsupported_grant_type"
    r = client.post(TOKEN, data={})
    assert_problem(r, 422, "validation_error")
    r = client.post(TOKEN, json={"grant_type": "password"})
    assert r.status_code == 422


def test_lockout_after_five_failures_even_with_the_right_password(client, session):
    for _ in range(5):
        assert_problem(login(client, "inspector1", "wrong-password"), 400, "invalid_grant")
    body = assert_problem(login(client, "inspector1", DEMO_PASSWORD), 400, "account_locked")
    assert body["error"] == "invalid_grant"
    r = login(client, "inspector1", DEMO_PASSWORD)
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    # another account is not affected
    assert login(client, "inspector2", DEMO_PASSWORD).status_code == 200
    # the lock is audited once
    audits = client.get("/api/v1/audit-events", params={"action": "user.locked"},
                        headers={"Authorization": f"Bearer {sign_in(client, 'admin')['access_token']}"}).json()
    assert len(audits["items"]) == 1


def test_lock_ends_after_fifteen_minutes(client, session):
    for _ in range(5):
        login(client, "inspector1", "wrong-password")
    assert login(client, "inspector1", DEMO_PASSWORD).status_code == 400
    # age the failures past the window
    session.execute(sa.update(LoginFailure).values(at=utcnow() - timedelta(minutes=16)))
    session.commit()
    assert login(client, "inspector1", DEMO_PASSWORD).status_code == 200


def test_success_clears_earlier_failures(client, session):
    for _ in range(4):
        login(client, "inspector1", "wrong-password")
    assert login(client, "inspector1", DEMO_PASSWORD).status_code == 200
    assert count(session, LoginFailure, LoginFailure.username == "inspector1") == 0
    for _ in range(4):
        login(client, "inspector1", "wrong-password")
    assert login(client, "inspector1", DEMO_PASSWORD).status_code == 200


def test_an_address_that_fails_often_is_throttled(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "ip_max_failures", 6)
    for i in range(6):  # spread over usernames so that no account lock is involved
        assert login(client, f"guess{i}", "x").status_code == 400
    r = login(client, "coordinator", DEMO_PASSWORD)
    assert_problem(r, 429, "too_many_attempts")
    assert int(r.headers["retry-after"]) > 0
