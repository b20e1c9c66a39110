from __future__ import annotations

import json
import logging

from typer.testing import CliRunner

from ocop.cli import app
from ocop.core.logging import JsonFormatter, request_id_var
from tests.conftest import sign_in


def test_create_admin_makes_an_account_that_signs_in(client, session):
    result = CliRunner().invoke(app, ["create-admin", "--username", "Quan.Tri2", "--full-name", "Quản trị 2",
                                      "--password", "a-strong-password"])
    assert result.exit_code == 0, result.output
    assert "created: quan.tri2" in result.output
    token = sign_in(client, "quan.tri2", "a-strong-password")["access_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["roles"] == ["admin"] and me["full_name"] == "Quản trị 2"
    again = CliRunner().invoke(app, ["create-admin", "--username", "quan.tri2", "--full-name", "x",
                                     "--password", "a-strong-password"])
    assert again.exit_code == 0 and "exists" in again.output
    weak = CliRunner().invoke(app, ["create-admin", "--username", "q3", "--full-name", "x", "--password", "short"])
    assert weak.exit_code != 0


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("ocop.test", logging.INFO, __file__, 1, "xin chào %s", ("Lạng Sơn",), None)
    record.route = "/api/v1/users"
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    data = json.loads(line)
    assert data["msg"] == "xin chào Lạng Sơn" and data["request_id"] == "req-42"
    assert data["level"] == "info" and data["route"] == "/api/v1/users" and data["ts"].endswith("+00:00")


def test_daily_job_from_the_command_line_and_the_worker(client, session):
    from ocop.core.outbox import OutboxEvent
    from tests.conftest import count

    result = CliRunner().invoke(app, ["daily"])
    assert result.exit_code == 0, result.output
    assert "actions_overdue=1" in result.output  # the seeded overdue action at Lúa Vy
    assert count(session, OutboxEvent, OutboxEvent.event_type == "action.overdue") == 1
    again = CliRunner().invoke(app, ["worker", "--once"])
    assert again.exit_code == 0, again.output
    assert count(session, OutboxEvent, OutboxEvent.event_type == "action.overdue") == 1  # once per action
