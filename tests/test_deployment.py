"""The deployment files say what the README promises (docker itself does not run here)."""
from __future__ import annotations

import yaml

from ocop.core.config import REPO_ROOT


def test_compose_has_database_api_worker_and_nginx():
    spec = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = spec["services"]
    assert set(services) == {"db", "api", "worker", "web"}
    db = services["db"]
    assert db["image"].startswith("postgres") and "pgdata" in spec["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    api = services["api"]
    assert "ocop db upgrade" in " ".join(api["command"])  # migrates on start
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert api["environment"]["OCOP_ENV"] == "production"
    assert services["worker"]["command"] == ["ocop", "worker"]
    assert services["web"]["build"]["dockerfile"] == "frontend.Dockerfile"
    nginx = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "location /api/" in nginx and "proxy_pass http://api:8000" in nginx
    assert "try_files $uri /index.html" in nginx


def test_worker_command_starts_and_stops():
    from typer.testing import CliRunner

    from ocop.cli import app

    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
