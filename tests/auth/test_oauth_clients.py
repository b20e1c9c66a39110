"""API clients authenticate at the token endpoint as real OAuth2 clients do (RFC 6749 §2.3.1): HTTP Basic
(`client_secret_basic`, the default of Authlib and Spring Security) or the form (`client_secret_post`), driven
here by Authlib's own client against a real server."""
from __future__ import annotations

import base64
from pathlib import Path

import httpx
from authlib.integrations.httpx_client import OAuth2Client

from tests.conftest import DEMO_PASSWORD
from tests.servers import live_server

API = "/api/v1"


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def _new_client(base: str, *scopes: str) -> dict[str, str]:
    with httpx.Client(base_url=base) as http:
        t = http.post(f"{API}/auth/token", data={"grant_type": "password", "username": "admin",
                                                  "password": DEMO_PASSWORD})
        assert t.status_code == 200, t.text
        r = http.post(f"{API}/api-clients", json={"name": "Hệ thống Sở Công Thương", "scopes": list(scopes)},
                      headers={"Authorization": f"Bearer {t.json()['access_token']}"})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


def test_authlib_clients_fetch_tokens_with_basic_and_post_against_a_real_server(private_database, tmp_path: Path):
    with live_server(private_database, tmp_path, workers=1) as server:
        c = _new_client(server.base, "compliance:read")
        token_url = f"{server.base}{API}/auth/token"
        for method in ("client_secret_basic", "client_secret_post"):
            with OAuth2Client(c["client_id"], c["client_secret"], token_endpoint_auth_method=method,
                              base_url=server.base) as oauth:
                token = oauth.fetch_token(token_url, grant_type="client_credentials")
                assert token["token_type"].lower() == "bearer", method
                assert token["scope"] == "compliance:read", method
                r = oauth.get(f"{API}/compliance/products", params={"limit": 5})  # the token is sent as Bearer
                assert r.status_code == 200, (method, r.text)
                assert r.json()["items"], method

        # a wrong secret over Basic: 401 invalid_client with a Basic challenge
        with OAuth2Client(c["client_id"], "ocs_wrong", token_endpoint_auth_method="client_secret_basic") as oauth:
            r = oauth.post(token_url, data={"grant_type": "client_credentials"},
                           auth=oauth.client_auth("client_secret_basic"))
        assert r.status_code == 401, r.text
        assert r.headers["www-authenticate"] == 'Basic realm="ocop"'
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["error"] == "invalid_client"
        assert r.json()["status"] == 401

        # Authlib raises the OAuth2 error for it too
        with OAuth2Client(c["client_id"], "ocs_wrong", token_endpoint_auth_method="client_secret_basic") as oauth:
            try:
                oauth.fetch_token(token_url, grant_type="client_credentials")
            except Exception as exc:  # authlib's OAuthError
                assert getattr(exc, "error", None) == "invalid_client"
            else:
                raise AssertionError("a wrong secret was accepted")

        # both methods at once: 400 invalid_request, no token
        r = httpx.post(token_url, headers=_basic(c["client_id"], c["client_secret"]),
                       data={"grant_type": "client_credentials", "client_id": c["client_id"],
                             "client_secret": c["client_secret"]})
        assert r.status_code == 400, r.text
        assert r.json()["error"] == "invalid_request"
        assert "access_token" not in r.json()


def test_basic_credentials_are_form_urlencoded_and_checked(client, as_user):
    c = client.post(f"{API}/api-clients", json={"name": "Đối tác", "scopes": ["registry:read"]},
                    headers=as_user("admin")).json()
    url, grant = f"{API}/auth/token", {"grant_type": "client_credentials"}
    # RFC 6749 Appendix B: each part is form-urlencoded before base64 (here '_' as %5F and '-' as %2D)
    encoded_secret = c["client_secret"].replace("_", "%5F").replace("-", "%2D")
    r = client.post(url, data=grant, headers=_basic(c["client_id"], encoded_secret))
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "registry:read"
    # client_id in the form may repeat the Basic client, but not name another one
    assert client.post(url, data={**grant, "client_id": c["client_id"]},
                       headers=_basic(c["client_id"], c["client_secret"])).status_code == 200
    r = client.post(url, data={**grant, "client_id": "ocp_other"}, headers=_basic(c["client_id"], c["client_secret"]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    # a Basic header that cannot be read, or an unknown client: 401 with the Basic challenge
    for header in ({"Authorization": "Basic !!!not-base64"}, _basic("ocp_unknown", c["client_secret"]),
                   {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}):
        r = client.post(url, data=grant, headers=header)
        assert r.status_code == 401, (header, r.text)
        assert r.json()["error"] == "invalid_client"
        assert r.headers["www-authenticate"] == 'Basic realm="ocop"'
    # a wrong secret in the form stays 401 invalid_client (no Basic attempt was made)
    r = client.post(url, data={**grant, "client_id": c["client_id"], "client_secret": "ocs_wrong"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
