"""Secrets never reach the audit trail: webhook secrets (and their ciphertext), API client secrets and their
hashes, password hashes, refresh tokens. Checked in the raw JSON that the administrator and the leader read."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.audit import service as audit
from ocop.audit.models import AuditEvent
from ocop.auth.models import ApiClient, RefreshToken
from ocop.core.db import utcnow
from ocop.integrations.models import WebhookSubscription
from ocop.org.models import User
from tests.conftest import DEMO_PASSWORD, sign_in

API = "/api/v1"


def trail(client, headers) -> str:
    """Every audit event as the API sends it, raw."""
    text, cursor = "", None
    while True:
        r = client.get(f"{API}/audit-events", headers=headers, params={"limit": 200, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        text += r.text
        cursor = r.json()["next_cursor"]
        if not cursor:
            return text


def test_no_secret_material_in_the_audit_trail(client, session, as_user, settings, monkeypatch):
    admin = as_user("admin")
    monkeypatch.setattr(settings, "webhook_allowed_targets", "127.0.0.1")
    hook = client.post(f"{API}/webhooks", json={"url": "http://127.0.0.1:9/hook", "event_types": ["*"]},
                       headers=admin)
    assert hook.status_code == 201, hook.text
    r = client.patch(f"{API}/webhooks/{hook.json()['id']}", json={"description": "Đối tác"},
                     headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    made = client.post(f"{API}/api-clients", json={"name": "Đối tác", "scopes": ["compliance:read"]}, headers=admin)
    assert made.status_code == 201, made.text
    rotated = client.post(f"{API}/api-clients/{made.json()['id']}/rotate", json={"grace_hours": 2},
                          headers={**admin, "If-Match": '"1"'})
    assert rotated.status_code == 200, rotated.text
    tokens = sign_in(client, "viewer")
    viewer = {"Authorization": f"Bearer {tokens['access_token']}"}
    r = client.post(f"{API}/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "a-new-long-pass-42"},
                    headers=viewer)
    assert r.status_code == 204, r.text

    session.expire_all()
    sub = session.get(WebhookSubscription, hook.json()["id"])
    api_client = session.get(ApiClient, made.json()["id"])
    user = session.scalars(sa.select(User).where(User.username == "viewer")).one()
    secrets = {
        "webhook secret": hook.json()["secret"],
        "webhook secret (base64 part)": hook.json()["secret"].removeprefix("whsec_"),
        "webhook ciphertext": sub.secret_encrypted,
        "client secret": made.json()["client_secret"],
        "rotated client secret": rotated.json()["client_secret"],
        "client secret hash": api_client.secret_hash,
        "previous client secret hash": api_client.previous_secret_hash,
        "password hash": user.password_hash,
        "refresh token": tokens["refresh_token"],
    }
    secrets.update({f"refresh token hash {i}": h for i, h in enumerate(session.scalars(sa.select(RefreshToken.token_hash)))})
    assert all(secrets.values())
    for who in ("admin", "leader"):
        text = trail(client, as_user(who))
        assert "webhook.create" in text and "api_client.rotate" in text and "user.password_change" in text
        leaked = [name for name, value in secrets.items() if value in text]
        assert leaked == [], f"{who} reads {leaked}"
        for key in ("secret_encrypted", "secret_hash", "password_hash", "token_hash", "client_secret"):
            assert f'"{key}"' not in text, key


def test_secrets_are_dropped_at_every_depth_and_from_older_events(client, session, as_user):
    """Whatever a service hands to record(), and events written before the rule."""
    event = audit.record(session, None, "test.nested", "test", 1, None,
                         {"name": "x", "password_changed_at": utcnow(), "nested": {"refresh_token": "rt-secret-1",
                                                                                   "items": [{"secret_hash": "h-1"}]}})
    assert event.after == {"name": "x", "password_changed_at": event.after["password_changed_at"],
                           "nested": {"items": [{}]}}
    # a row written by an older version, straight into the table
    session.add(AuditEvent(occurred_at=utcnow(), actor_type="system", actor_name="system", action="test.old",
                           entity_type="webhook", entity_id="1", after={"url": "https://x.example", "secret_encrypted":
                                                                        "gAAAA-old-ciphertext"}))
    session.commit()
    text = client.get(f"{API}/audit-events", headers=as_user("admin"), params={"action": "test.old"}).text
    assert "https://x.example" in text and "gAAAA-old-ciphertext" not in text and "secret_encrypted" not in text
