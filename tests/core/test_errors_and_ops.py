from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ocop.core.config import Settings
from ocop.main import create_app


def is_problem(r, status, code=None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    body = r.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body), body
    assert body["status"] == status
    if code:
        assert body["code"] == code, body
    return body


def test_unknown_routes_are_404_problems(client, as_user):
    is_problem(client.get("/api/v1/does-not-exist", headers=as_user("admin")), 404, "not_found")
    is_problem(client.post("/api/v1/does-not-exist"), 404, "not_found")
    is_problem(client.get("/api"), 404)


def test_wrong_method_is_405_problem(client, as_user):
    body = is_problem(client.delete("/api/v1/users", headers=as_user("admin")), 405, "method_not_allowed")
    assert body["instance"] == "/api/v1/users"


def test_validation_error_has_errors_list(client, as_user):
    body = is_problem(client.post("/api/v1/users", json={"username": 12}, headers=as_user("admin")), 422,
                      "validation_error")
    locs = [tuple(e["loc"]) for e in body["errors"]]
    assert ("body", "username") in locs and ("body", "full_name") in locs
    assert all({"loc", "msg", "type"} <= set(e) for e in body["errors"])


def test_malformed_json_is_422(client, as_user):
    r = client.post("/api/v1/users", content=b"{not json", headers={**as_user("admin"),
                                                                      "Content-Type": "application/json"})
    is_problem(r, 422, "validation_error")


def test_wrong_query_type_is_422(client, as_user):
    is_problem(client.get("/api/v1/users", params={"limit": "many"}, headers=as_user("admin")), 422)
    is_problem(client.get("/api/v1/users/abc", headers=as_user("admin")), 422)


def test_authentication_and_permission_errors(client, as_user):
    body = is_problem(client.get("/api/v1/users"), 401, "not_authenticated")
    assert "traceback" not in str(body).lower()
    is_problem(client.post("/api/v1/users", json={"username": "abc", "full_name": "A", "password": "x" * 12,
                                                  "roles": ["viewer"]}, headers=as_user("viewer")), 403)


def test_unexpected_error_is_500_problem_without_traceback(app):
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/boom", headers={"X-Request-ID": "trace-me-1"})
    body = is_problem(r, 500, "internal_error")
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert r.headers["x-request-id"] == "trace-me-1"
    assert body["instance"] == "/api/v1/boom"


def test_request_id_is_echoed_or_made(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces\n"})
    assert r.headers["x-request-id"] != "bad id with spaces\n" and len(r.headers["x-request-id"]) == 32


def test_security_headers(client):
    r = client.get("/")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_health_ready_and_metrics_per_route_template(app, client, as_user):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "up"
    uid = client.get("/api/v1/users", headers=as_user("admin")).json()["items"][0]["id"]
    client.get(f"/api/v1/users/{uid}", headers=as_user("admin"))
    local = TestClient(app, client=("127.0.0.1", 50000))  # /metrics answers loopback (see tests/core/test_edges)
    text = local.get("/metrics").text
    assert 'route="/api/v1/users/{user_id}"' in text
    assert f"/api/v1/users/{uid}\"" not in text
    assert "ocop_http_request_duration_seconds_bucket" in text


def test_readyz_reports_a_dead_database(client):
    from ocop.core import db

    dead = db.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    db.set_engine(dead)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["database"] == "down"


def test_cors_only_for_configured_origins(monkeypatch, settings):
    monkeypatch.setattr(settings, "cors_origins", "https://ocop.langson.gov.vn")
    with TestClient(create_app()) as c:
        ok = c.options("/api/v1/me", headers={"Origin": "https://ocop.langson.gov.vn",
                                              "Access-Control-Request-Method": "GET"})
        bad = c.options("/api/v1/me", headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "GET"})
    assert ok.headers.get("access-control-allow-origin") == "https://ocop.langson.gov.vn"
    assert "access-control-allow-origin" not in bad.headers


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("OCOP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Settings().check_production()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError):
        Settings().check_production()
    monkeypatch.setenv("SECRET_KEY", "a" * 40)
    Settings().check_production()


def test_spa_fallback_serves_index_for_client_routes(client, tmp_path, monkeypatch, settings):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root>OCOP SPA</div>", encoding="utf-8")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    monkeypatch.setattr(settings, "spa_dir", tmp_path)
    with TestClient(create_app()) as c:
        assert "OCOP SPA" in c.get("/tai-khoan").text
        r = c.get("/assets/app.js")
        assert r.status_code == 200 and "immutable" in r.headers["cache-control"]
        assert c.get("/assets/missing.js").status_code == 404
        assert c.get("/../../etc/passwd").status_code in (200, 404)
        assert "root:" not in c.get("/..%2f..%2fetc/passwd").text
