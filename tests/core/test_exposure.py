"""What the server shows outside a developer's machine: no default secret, /metrics not public, the deployment
files passing the real client address and believing it only from nginx."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from fastapi.testclient import TestClient

from ocop.core.config import REPO_ROOT, Settings


def test_metrics_are_for_loopback_unless_configured(app, client, settings, monkeypatch):
    r = client.get("/metrics")  # the test client is 203.0.113.10
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    for address in ("127.0.0.1", "127.8.0.1", "::1"):
        assert TestClient(app, client=(address, 1)).get("/metrics").status_code == 200, address
    monkeypatch.setattr(settings, "metrics_allowed", "10.0.0.0/8, 203.0.113.0/24")
    assert client.get("/metrics").status_code == 200
    assert TestClient(app, client=("198.51.100.1", 1)).get("/metrics").status_code == 404
    monkeypatch.setattr(settings, "metrics_allowed", "")
    monkeypatch.setattr(settings, "metrics_public", True)
    assert client.get("/metrics").status_code == 200


def test_metrics_through_a_trusted_proxy_count_the_real_client(app, settings, monkeypatch):
    monkeypatch.setattr(settings, "trusted_proxies", "127.0.0.1")
    local_proxy = TestClient(app, client=("127.0.0.1", 1))
    assert local_proxy.get("/metrics", headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 404
    assert local_proxy.get("/metrics").status_code == 200


def test_outside_development_the_default_secret_is_refused(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for env in ("production", "staging", "Production "):
        monkeypatch.setenv("OCOP_ENV", env)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            Settings().check_production()
    monkeypatch.setenv("OCOP_ENV", "development")
    Settings().check_production()
    monkeypatch.setenv("OCOP_ENV", "staging")
    monkeypatch.setenv("OCOP_TRUSTED_PROXIES", "10.0.0.0/33")
    monkeypatch.setenv("SECRET_KEY", "b" * 40)
    with pytest.raises(ValueError, match="OCOP_TRUSTED_PROXIES"):
        Settings().check_production()


def test_the_server_does_not_start_in_production_with_the_default_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "OCOP_ENV")}
    code = "from ocop.main import create_app; create_app(); print('started')"
    run = subprocess.run([sys.executable, "-c", code], env={**env, "OCOP_ENV": "production"}, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "SECRET_KEY" in run.stderr and "started" not in run.stdout
    run = subprocess.run([sys.executable, "-c", code], env={**env, "OCOP_ENV": "production", "SECRET_KEY": "c" * 40},
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "started" in run.stdout, run.stderr


def test_the_image_and_compose_default_to_production_and_trust_only_nginx():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "ENV OCOP_ENV=production" in dockerfile
    spec = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = spec["services"]
    assert services["api"]["environment"]["OCOP_ENV"] == services["worker"]["environment"]["OCOP_ENV"] == \
        "production"
    nginx_ip = services["web"]["networks"]["default"]["ipv4_address"]
    assert services["api"]["environment"]["OCOP_TRUSTED_PROXIES"] == f"${{OCOP_TRUSTED_PROXIES:-{nginx_ip}}}"
    assert "ports" not in services["api"]  # the API is reached through nginx only
    nginx = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "$proxy_add_x_forwarded_for" not in nginx  # would append to what the client sent
    assert nginx.count("proxy_set_header X-Forwarded-For $remote_addr;") == nginx.count("proxy_pass ")
    assert "location = /metrics" in nginx
