from __future__ import annotations

import base64
import json
import time

from fastapi.testclient import TestClient
from jose import jwt

from ocop.core.config import get_settings
from tests.conftest import DEMO_PASSWORD, sign_in

ME = "/api/v1/me"


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def me_status(client, token):
    r = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    if r.status_code == 401:
        assert r.headers["content-type"].startswith("application/problem+json")
    return r.status_code


def claims_of(token):
    return jwt.get_unverified_claims(token)


def test_valid_token_is_accepted(client):
    assert me_status(client, sign_in(client, "viewer")["access_token"]) == 200


def test_alg_none_is_refused(client):
    claims = claims_of(sign_in(client, "viewer")["access_token"])
    forged = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    assert me_status(client, forged) == 401


def test_another_algorithm_with_the_same_secret_is_refused(client):
    claims = claims_of(sign_in(client, "viewer")["access_token"])
    other = jwt.encode(claims, get_settings().secret_key.get_secret_value(), algorithm="HS512")
    assert me_status(client, other) == 401


def test_bad_signature_is_refused(client):
    claims = claims_of(sign_in(client, "viewer")["access_token"])
    claims["sub"] = "user:1"  # try to become someone else
    forged = jwt.encode(claims, "another-secret-another-secret-1234", algorithm="HS256")
    assert me_status(client, forged) == 401
    token = sign_in(client, "viewer")["access_token"]
    head, body, sig = token.split(".")
    tampered = f"{head}.{b64({**claims_of(token), 'sub': 'user:1'})}.{sig}"
    assert me_status(client, tampered) == 401


def test_expired_token_is_refused(client):
    claims = claims_of(sign_in(client, "viewer")["access_token"])
    claims["exp"] = int(time.time()) - 5
    expired = jwt.encode(claims, get_settings().secret_key.get_secret_value(), algorithm="HS256")
    assert me_status(client, expired) == 401


def test_garbage_and_refresh_token_as_access_are_refused(client):
    pair = sign_in(client, "viewer")
    assert me_status(client, "not-a-token") == 401
    assert me_status(client, pair["refresh_token"]) == 401
    r = client.get(ME, headers={"Authorization": "Basic dmlld2VyOmRlbW8="})
    assert r.status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(client):
    first = sign_in(client, "viewer")
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert me_status(client, second["access_token"]) == 200
    # replaying the first token is detected ...
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_reused"
    # ... and the whole family is revoked, including the newest token
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 401
    # another sign-in (another family) is unaffected
    other = sign_in(client, "viewer")
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_refresh_from_the_cookie_and_logout(app):
    # on loopback (plain HTTP in development) the cookie is not Secure, so this HTTP client sends it back
    client = TestClient(app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000))
    sign_in(client, "coordinator")  # sets the httpOnly cookie on the client
    r = client.post("/api/v1/auth/refresh", json={})
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/auth/logout")
    assert r.status_code == 204
    r = client.post("/api/v1/auth/refresh", json={})
    assert r.status_code == 401


def test_logout_revokes_a_body_token(client):
    pair = sign_in(client, "viewer")
    client.cookies.clear()
    assert client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    r = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 401


def test_refresh_with_unknown_or_missing_token(client):
    client.cookies.clear()
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"}).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={}).status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": 5}).status_code == 422


def test_password_change_ends_other_sessions(client):
    pair = sign_in(client, "viewer")
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    r = client.post("/api/v1/me/password", json={"current_password": "wrong", "new_password": "a-new-password-1"},
                    headers=headers)
    assert r.status_code == 400 and r.json()["code"] == "wrong_password"
    r = client.post("/api/v1/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "short"},
                    headers=headers)
    assert r.status_code == 422
    r = client.post("/api/v1/me/password",
                    json={"current_password": DEMO_PASSWORD, "new_password": "a-new-password-1"}, headers=headers)
    assert r.status_code == 204
    assert me_status(client, pair["access_token"]) == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert sign_in(client, "viewer", "a-new-password-1")["access_token"]
