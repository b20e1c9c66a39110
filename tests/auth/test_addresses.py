"""Sign-in limits count the address a request really comes from: a lock holds for (username, address), an
X-Forwarded-For is believed only from OCOP_TRUSTED_PROXIES, and changing one's password is limited the same way."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ocop.core.caller import client_address
from tests.conftest import DEMO_PASSWORD, sign_in

TOKEN = "/api/v1/auth/token"


def login(client, username, password, **headers):
    return client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password},
                       headers=headers)


def from_address(app, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(app, client):
    for _ in range(5):
        assert login(client, "inspector1", "wrong-password").json()["code"] == "invalid_grant"
    assert login(client, "inspector1", DEMO_PASSWORD).json()["code"] == "account_locked"  # from 203.0.113.10
    elsewhere = from_address(app, "198.51.100.20")
    assert login(elsewhere, "inspector1", DEMO_PASSWORD).status_code == 200
    # and a success elsewhere does not lift the lock of the failing address
    assert login(client, "inspector1", DEMO_PASSWORD).json()["code"] == "account_locked"


def test_a_forwarded_for_from_an_untrusted_peer_is_ignored(client):
    for i in range(5):
        login(client, "inspector1", "wrong-password", **{"X-Forwarded-For": f"192.0.2.{i}"})
    r = login(client, "inspector1", DEMO_PASSWORD, **{"X-Forwarded-For": "192.0.2.99", "X-Real-IP": "192.0.2.98"})
    assert r.status_code == 400 and r.json()["code"] == "account_locked"


def test_a_forwarded_for_from_a_trusted_proxy_is_believed(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "trusted_proxies", "203.0.113.0/28, 10.0.0.1")  # the test client's peer
    for _ in range(5):
        login(client, "inspector1", "wrong-password", **{"X-Forwarded-For": "192.0.2.7"})
    assert login(client, "inspector1", DEMO_PASSWORD, **{"X-Forwarded-For": "192.0.2.7"}).json()["code"] == \
        "account_locked"
    # a client cannot escape by writing its own hop in front: the right-most untrusted hop counts
    r = login(client, "inspector1", DEMO_PASSWORD, **{"X-Forwarded-For": "198.51.100.1, 192.0.2.7, 10.0.0.1"})
    assert r.json()["code"] == "account_locked"
    # another real address behind the same proxy signs in
    assert login(client, "inspector1", DEMO_PASSWORD, **{"X-Forwarded-For": "192.0.2.8"}).status_code == 200


@pytest.mark.parametrize(("trusted", "peer", "headers", "expected"), [
    ("", "203.0.113.10", {"x-forwarded-for": "1.1.1.1"}, "203.0.113.10"),
    ("10.0.0.0/8", "203.0.113.10", {"x-forwarded-for": "1.1.1.1"}, "203.0.113.10"),
    ("10.0.0.0/8", "10.1.2.3", {"x-forwarded-for": "1.1.1.1"}, "1.1.1.1"),
    ("10.0.0.0/8", "10.1.2.3", {"x-forwarded-for": "6.6.6.6, 1.1.1.1, 10.9.9.9"}, "1.1.1.1"),
    ("10.0.0.0/8", "10.1.2.3", {"x-forwarded-for": "1.1.1.1:5555"}, "1.1.1.1"),
    ("10.0.0.0/8", "10.1.2.3", {"x-forwarded-for": "[2001:db8::5]:443"}, "2001:db8::5"),
    ("10.0.0.0/8", "10.1.2.3", {"x-real-ip": "1.1.1.1"}, "1.1.1.1"),
    ("10.0.0.0/8", "10.1.2.3", {}, "10.1.2.3"),
    ("10.0.0.0/8", "10.1.2.3", {"x-forwarded-for": "not-an-address"}, "10.1.2.3"),
    ("10.0.0.0/8,::1", "::1", {"x-forwarded-for": "1.1.1.1"}, "1.1.1.1"),
])
def test_client_address(settings, monkeypatch, trusted, peer, headers, expected):
    monkeypatch.setattr(settings, "trusted_proxies", trusted)
    scope = {"client": (peer, 1234), "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
    assert client_address(scope) == expected


def test_changing_the_password_is_limited_like_sign_in(app, client):
    headers = {"Authorization": f"Bearer {sign_in(client, 'viewer')['access_token']}"}

    def change(c, current):
        return c.post("/api/v1/me/password", json={"current_password": current, "new_password": "a-new-password-1"},
                      headers=headers)

    for _ in range(5):
        assert change(client, "not-the-password").json()["code"] == "wrong_password"
    r = change(client, DEMO_PASSWORD)  # even the right one, from this address, for a while
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    # the failures count for sign-in from this address too, not for another address
    assert login(client, "viewer", DEMO_PASSWORD).json()["code"] == "account_locked"
    assert change(from_address(app, "198.51.100.21"), DEMO_PASSWORD).status_code == 204
