"""API clients: credentials, rotation, revocation, scopes over every route, unit limits."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from ocop.api import ANY_SCOPE, CLIENT_ROUTES
from ocop.auth.models import ApiClient
from ocop.registry.models import Product
from tests.campaigns.helpers import API, seeded, unit_id
from tests.conftest import count

ALL = ["compliance:read", "registry:read", "campaigns:read", "findings:read", "eoffice:write", "webhooks:manage"]


def new_client(client, as_user, **body):
    r = client.post(f"{API}/api-clients", json={"name": "Hệ thống đối tác", "scopes": ALL, **body},
                    headers=as_user("admin"))
    assert r.status_code == 201, r.text
    return r.json()


def token(client, c, secret=None, scope=None):
    data = {"grant_type": "client_credentials", "client_id": c["client_id"], "client_secret": secret or
            c["client_secret"], **({"scope": scope} if scope else {})}
    return client.post(f"{API}/auth/token", data=data)


def bearer(client, c, **kw):
    r = token(client, c, **kw)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_admin_registers_a_client_whose_secret_is_shown_once(client, session, as_user):
    c = new_client(client, as_user)
    assert c["client_secret"].startswith("ocs_") and c["client_id"].startswith("ocp_")
    stored = session.get(ApiClient, c["id"])
    assert c["client_secret"] not in stored.secret_hash and stored.secret_hash.startswith("$argon2")
    got = client.get(f"{API}/api-clients/{c['id']}", headers=as_user("admin")).json()
    assert "client_secret" not in got and got["scopes"] == sorted(ALL)
    assert client.get(f"{API}/api-clients", headers=as_user("coordinator")).status_code == 403
    assert client.post(f"{API}/api-clients", json={"name": "x", "scopes": ["everything"]},
                       headers=as_user("admin")).status_code == 422
    r = token(client, c, scope="compliance:read")
    assert r.status_code == 200 and r.json()["scope"] == "compliance:read" and r.json()["token_type"] == "bearer"
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert me["kind"] == "client" and me["scopes"] == ["compliance:read"]
    session.expire_all()
    assert session.get(ApiClient, c["id"]).last_used_at is not None


def test_bad_credentials_scopes_revocation_and_expiry(client, session, as_user):
    c = new_client(client, as_user, scopes=["compliance:read"])
    r = token(client, c, secret="ocs_wrong")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = token(client, {**c, "client_id": "ocp_unknown"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = token(client, c, scope="registry:read")
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    h = bearer(client, c)
    assert client.get(f"{API}/compliance/products", headers=h).status_code == 200
    assert client.post(f"{API}/api-clients/{c['id']}/revoke", headers=as_user("admin")).json()["revoked_at"]
    assert token(client, c).status_code == 401
    assert client.get(f"{API}/compliance/products", headers=h).status_code == 401  # tokens already issued stop
    expired = new_client(client, as_user, expires_at="2020-01-01T00:00:00+07:00")
    assert token(client, expired).status_code == 401


def test_rotation_keeps_the_old_secret_for_the_grace_period(client, session, as_user):
    c = new_client(client, as_user)
    r = client.post(f"{API}/api-clients/{c['id']}/rotate", json={"grace_hours": 2}, headers=as_user("admin"))
    assert r.status_code == 200 and r.json()["client_secret"] != c["client_secret"] and r.json()["previous_secret_until"]
    assert token(client, c).status_code == 200  # old secret, within the grace period
    assert token(client, c, secret=r.json()["client_secret"]).status_code == 200
    r2 = client.post(f"{API}/api-clients/{c['id']}/rotate", json={"grace_hours": 0}, headers=as_user("admin"))
    assert token(client, c, secret=r.json()["client_secret"]).status_code == 401
    assert token(client, c, secret=r2.json()["client_secret"]).status_code == 200


def _routes(app):
    """Every operation of the OpenAPI document (the contract lists them all)."""
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(API):
            for method in operations:
                yield method.upper(), path.removeprefix(API)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_is_either_declared_for_clients_or_refused(client, session, as_user, app):
    public = {"/auth/token", "/auth/refresh", "/auth/logout", "/public/certificates/{certificate_number}"}
    full = bearer(client, new_client(client, as_user))
    walked = 0
    for method, path in sorted(set(_routes(app))):
        if path in public or path.startswith("/public/"):
            continue
        r = client.request(method, API + _concrete(path), headers=full)
        needed = CLIENT_ROUTES.get((method, path))
        if needed is None:
            assert r.status_code == 403 and r.json()["code"] == "not_for_clients", (method, path, r.status_code)
        else:
            assert r.status_code != 403, (method, path, r.text)
        walked += 1
    assert walked > 80
    declared = set(_routes(app))
    assert set(CLIENT_ROUTES) <= declared  # the table names no route that does not exist


@pytest.mark.parametrize("scope", ["compliance:read", "registry:read", "campaigns:read"])
def test_each_declared_route_needs_its_scope(client, session, as_user, scope):
    other = [s for s in ALL if s != scope]
    h = bearer(client, new_client(client, as_user, scopes=other))
    for (method, path), needed in CLIENT_ROUTES.items():
        if needed == scope:
            r = client.request(method, API + _concrete(path), headers=h)
            assert r.status_code == 403 and r.json()["code"] == "insufficient_scope", (path, r.text)


def test_a_client_limited_to_a_unit_sees_only_that_unit(client, session, as_user):
    lb = new_client(client, as_user, admin_unit_id=unit_id(session, "188"))
    h = bearer(client, lb)
    na = session.scalar(sa.select(Product.id).where(Product.name == "Na Chi Lăng"))
    ruou = session.scalar(sa.select(Product.id).where(Product.name == "Rượu khoai lang Lộc Bình"))
    assert client.get(f"{API}/compliance/products/{na}", headers=h).status_code == 404
    r = client.get(f"{API}/compliance/products/{ruou}", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "expired"
    assert client.get(f"{API}/compliance/products/{ruou}", headers={**h, "If-None-Match": r.headers["ETag"]}) \
        .status_code == 304
    feed, cursor = [], None
    while True:
        page = client.get(f"{API}/compliance/products", params={"limit": 100, **({"changed_since": cursor}
                                                                                if cursor else {})}, headers=h).json()
        if not page["items"]:
            break
        feed += page["items"]
        cursor = page["next_cursor"]
    assert feed and na not in {i["product_id"] for i in feed} and ruou in {i["product_id"] for i in feed}
    products = client.get(f"{API}/products", params={"limit": 200}, headers=h).json()["items"]
    assert products and all(p["id"] != na for p in products)
    cid = seeded(session, 2024)
    visits = client.get(f"{API}/campaigns/{cid}/visits", headers=h).json()["items"]
    assert visits and {v["admin_unit_id"] for v in visits} == {unit_id(session, "188")}
    assert client.get(f"{API}/campaigns/{seeded(session, 2026)}", headers=h).status_code == 404  # a draft
    assert count(session, ApiClient) == 1


def test_each_client_has_its_own_rate_limit(client, session, as_user, settings, monkeypatch):
    from ocop.core.ratelimit import client_limiter

    client_limiter.reset()
    monkeypatch.setattr(settings, "client_rate_limit", 3)
    a, b = bearer(client, new_client(client, as_user)), bearer(client, new_client(client, as_user))
    for _ in range(3):
        assert client.get(f"{API}/compliance/products", headers=a).status_code == 200
    r = client.get(f"{API}/compliance/products", headers=a)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and r.json()["code"] == "rate_limited"
    assert client.get(f"{API}/compliance/products", headers=b).status_code == 200  # another client is not slowed
    assert client.get(f"{API}/compliance/products", headers=as_user("coordinator")).status_code == 200
    client_limiter.reset()


def test_sign_in_routes_are_limited_per_address(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "auth_rate_limit", 3)
    codes = [client.post(f"{API}/auth/token", data={"grant_type": "password", "username": "nobody",
                                                    "password": "x"}).status_code for _ in range(4)]
    assert codes[:3] == [400, 400, 400] or codes[:3] == [401, 401, 401]
    assert codes[3] == 429
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": "x"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_the_openapi_document_shows_what_clients_may_call(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for (method, path), scope in CLIENT_ROUTES.items():
        assert paths[API + path][method.lower()]["x-api-client-scope"] == ("any" if scope == ANY_SCOPE else scope)
    assert "x-api-client-scope" not in paths[f"{API}/users"]["get"]
