"""Ending a sign-in ends its access tokens at once, on every route and on the compliance fast lane (which remembers
callers for a few seconds); the hot read paths wait for the database off the event loop."""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ocop.auth import revocation
from ocop.auth import service as auth_service
from ocop.compliance import service as compliance_service
from ocop.core.dates import today
from ocop.registry.models import Product
from tests.conftest import sign_in

API = "/api/v1"


@pytest.fixture(autouse=True)
def no_remembered_callers():
    auth_service._callers.clear()
    yield
    auth_service._callers.clear()


def bearer(pair):
    return {"Authorization": f"Bearer {pair['access_token']}"}


@pytest.fixture
def product(session):
    pid = session.scalar(sa.select(Product.id).where(Product.name == "Na Chi Lăng"))
    assert pid is not None
    return pid


def fast(client, pair, pid):
    """The fast lane (GET of one product's status, no query string)."""
    return client.get(f"{API}/compliance/products/{pid}", headers=bearer(pair)).status_code


def routed(client, pair, pid):
    """The same read through the route (as_of skips the fast lane; authenticate_cached)."""
    return client.get(f"{API}/compliance/products/{pid}", params={"as_of": today().isoformat()},
                      headers=bearer(pair)).status_code


def me(client, pair):
    return client.get(f"{API}/me", headers=bearer(pair)).status_code


def test_logout_ends_the_access_token_at_once_everywhere(client, product):
    pair = sign_in(client, "viewer")
    other = sign_in(client, "viewer")  # another sign-in of the same user
    assert fast(client, pair, product) == routed(client, pair, product) == me(client, pair) == 200  # remembered
    client.cookies.clear()
    assert client.post(f"{API}/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    assert me(client, pair) == 401
    assert fast(client, pair, product) == 401
    assert routed(client, pair, product) == 401
    assert fast(client, other, product) == me(client, other) == 200


def test_another_process_learns_of_the_logout_from_the_database(client, product):
    pair = sign_in(client, "viewer")
    client.cookies.clear()
    assert client.post(f"{API}/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    revocation._ended_sessions.clear()  # as if the logout had happened in another worker process
    assert fast(client, pair, product) == 401 and me(client, pair) == 401


def test_logout_with_only_the_access_token_ends_it(client, product):
    pair = sign_in(client, "viewer")
    client.cookies.clear()
    assert client.post(f"{API}/auth/logout", headers=bearer(pair)).status_code == 204
    assert me(client, pair) == 401 and fast(client, pair, product) == 401
    assert client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401


def test_reusing_a_refresh_token_ends_the_family_access_tokens(client, product):
    first = sign_in(client, "viewer")
    second = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert fast(client, first, product) == fast(client, second, product) == 200
    r = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_reused"
    for pair in (first, second):
        assert me(client, pair) == 401
        assert fast(client, pair, product) == 401
        assert routed(client, pair, product) == 401


@pytest.mark.parametrize("change", ["deactivate", "reset_password"])
def test_deactivation_and_password_reset_end_remembered_callers(client, as_user, product, change):
    pair = sign_in(client, "viewer")
    assert fast(client, pair, product) == 200  # remembered for a few seconds
    admin = as_user("admin")
    user = client.get(f"{API}/users", params={"q": "viewer"}, headers=admin).json()["items"][0]
    if change == "deactivate":
        r = client.patch(f"{API}/users/{user['id']}", json={"active": False},
                         headers={**admin, "If-Match": f'"{user["version"]}"'})
        assert r.status_code == 200, r.text
    else:
        r = client.post(f"{API}/users/{user['id']}/password", json={"new_password": "another-password-1"},
                        headers=admin)
        assert r.status_code == 204, r.text
    assert fast(client, pair, product) == 401
    assert me(client, pair) == 401


# ---- the event loop never waits for the database --------------------------------------------------------------

def run_while_blocked(app, url, headers, monkeypatch, target, name):
    """Request `url` while `target.name` blocks (as a stalled database would), ask /healthz meanwhile, and return
    (when /healthz answered, when the blocked call returned, the blocked request's status)."""
    real = getattr(target, name)
    entered, release, returned = threading.Event(), threading.Event(), []

    def blocked(*args, **kwargs):
        entered.set()
        release.wait(3)
        returned.append(time.monotonic())
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, blocked)

    async def scenario():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            slow = asyncio.create_task(c.get(url, headers=headers))
            for _ in range(500):
                if entered.is_set():
                    break
                await asyncio.sleep(0.01)
            assert entered.is_set()
            health = await c.get("/healthz")
            answered = time.monotonic()
            assert health.status_code == 200
            release.set()
            return answered, (await slow).status_code

    answered, status = asyncio.run(scenario())
    return answered, returned[0], status


def test_the_fast_lane_resolves_callers_off_the_event_loop(app, client, product, monkeypatch):
    pair = sign_in(client, "viewer")
    answered, returned, status = run_while_blocked(app, f"{API}/compliance/products/{product}", bearer(pair),
                                                   monkeypatch, auth_service, "caller_from_claims")
    assert answered < returned and status == 200


def test_the_fast_lane_queries_off_the_event_loop(app, client, product, monkeypatch):
    pair = sign_in(client, "viewer")
    assert fast(client, pair, product) == 200  # the caller is remembered: only the status query is left
    answered, returned, status = run_while_blocked(app, f"{API}/compliance/products/{product}", bearer(pair),
                                                   monkeypatch, compliance_service, "fast_product_status")
    assert answered < returned and status == 200


def test_authenticate_cached_reads_callers_off_the_event_loop(app, client, product, monkeypatch):
    pair = sign_in(client, "viewer")
    url = f"{API}/compliance/products/{product}?as_of={today().isoformat()}"  # the route, not the fast lane
    answered, returned, status = run_while_blocked(app, url, bearer(pair), monkeypatch, auth_service,
                                                   "caller_from_claims")
    assert answered < returned and status == 200


def test_cookie_is_secure_unless_the_site_is_on_loopback(app, client, settings, monkeypatch):
    r = client.post(f"{API}/auth/token", data={"grant_type": "password", "username": "viewer",
                                               "password": "demo-password"})
    assert "secure" in [p.strip().lower() for p in r.headers["set-cookie"].split(";")]  # Host: testserver
    for base in ("http://127.0.0.1:8000", "http://localhost:5173", "http://[::1]:8000"):
        local = TestClient(app, base_url=base)
        r = local.post(f"{API}/auth/token", data={"grant_type": "password", "username": "viewer",
                                                  "password": "demo-password"})
        assert r.status_code == 200 and "secure" not in r.headers["set-cookie"].lower(), base
    monkeypatch.setattr(settings, "secure_cookies", True)  # forced, even on loopback
    r = TestClient(app, base_url="http://127.0.0.1:8000").post(
        f"{API}/auth/token", data={"grant_type": "password", "username": "viewer", "password": "demo-password"})
    assert "secure" in r.headers["set-cookie"].lower()
