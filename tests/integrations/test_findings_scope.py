"""`findings:read`: partner systems read findings of issued campaigns (their unit's when limited to one), their
actions and evidence metadata, never internal notes; and only clients holding it are sent finding events."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from ocop.inspections.models import Finding
from ocop.integrations.models import WebhookDelivery
from ocop.org.models import User
from ocop.registry.models import Product
from tests.authz.calls import World
from tests.campaigns.helpers import API, draft
from tests.factories import legacy_finding


def _scope_unit(session, username: str) -> int:
    return int(session.scalar(sa.select(col(User.scope_unit_id)).where(col(User.username) == username)))


def test_a_client_with_findings_read_reads_findings_actions_and_evidence_without_internal_notes(
        client, session, as_user, as_client):
    w = World(client, session, as_user)
    finding, action, evidence = w.f_open, w.a_open, w.e_finding  # in Chi Lăng, with an internal note
    assert client.get(f"{API}/findings/{finding}", headers=as_user("coordinator")).json()["internal_note"] == "Nội bộ."
    h = as_client("findings:read")

    r = client.get(f"{API}/findings/{finding}", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["internal_note"] is None and r.json()["description"] == "Nhãn thiếu hạn sử dụng."
    listed = client.get(f"{API}/findings", params={"limit": 200}, headers=h).json()["items"]
    assert finding in {f["id"] for f in listed}
    assert all(f["internal_note"] is None for f in listed)
    seeded_note = session.scalar(sa.select(col(Finding.id)).where(col(Finding.internal_note).is_not(None),
                                                                   col(Finding.id) != finding))
    assert seeded_note is not None and client.get(f"{API}/findings/{seeded_note}",
                                                  headers=h).json()["internal_note"] is None

    actions = client.get(f"{API}/findings/{finding}/actions", headers=h)
    assert actions.status_code == 200 and [a["id"] for a in actions.json()["items"]] == [action]
    assert client.get(f"{API}/findings/{finding}/actions/{action}", headers=h).json()["id"] == action
    ev = client.get(f"{API}/findings/{finding}/evidence", headers=h)
    assert ev.status_code == 200 and [e["id"] for e in ev.json()["items"]] == [evidence]

    # reading is all: writes and the internal working record stay refused
    assert client.patch(f"{API}/findings/{finding}", json={"recommendation": "x"},
                        headers={**h, "If-Match": '"1"'}).status_code == 403
    assert client.post(f"{API}/findings/{finding}/transitions", json={"to": "action_required"},
                       headers=h).status_code == 403
    assert client.post(f"{API}/findings/{finding}/actions", json={"description": "x", "due_date": "2030-01-01"},
                       headers=h).status_code == 403

    # without the scope: 403 insufficient_scope, whatever else the client holds
    other = as_client("campaigns:read", "compliance:read", "registry:read")
    for path in ("/findings", f"/findings/{finding}", f"/findings/{finding}/actions",
                 f"/findings/{finding}/evidence"):
        r = client.get(f"{API}{path}", headers=other)
        assert r.status_code == 403 and r.json()["code"] == "insufficient_scope", (path, r.text)


def test_a_unit_limited_client_sees_its_units_findings_and_no_draft_campaign_does(client, session, as_user,
                                                                                 as_client):
    w = World(client, session, as_user)
    chilang_finding = w.f_open
    chilang, locbinh = _scope_unit(session, "local_chilang"), _scope_unit(session, "local_locbinh")
    co = as_user("coordinator")
    in_locbinh = client.get(f"{API}/findings", params={"unit_id": locbinh, "limit": 200}, headers=co).json()["items"]
    in_chilang = client.get(f"{API}/findings", params={"unit_id": chilang, "limit": 200}, headers=co).json()["items"]
    assert in_locbinh and in_chilang

    h = as_client("findings:read", admin_unit_id=chilang)
    mine = {f["id"] for f in client.get(f"{API}/findings", params={"limit": 200}, headers=h).json()["items"]}
    assert mine == {f["id"] for f in in_chilang} and chilang_finding in mine
    assert client.get(f"{API}/findings/{chilang_finding}", headers=h).status_code == 200
    for f in in_locbinh:
        assert client.get(f"{API}/findings/{f['id']}", headers=h).status_code == 404
        assert client.get(f"{API}/findings/{f['id']}/actions", headers=h).status_code == 404
    assert client.get(f"{API}/findings", params={"unit_id": locbinh}, headers=h).json()["items"] == []

    # a draft campaign's finding: the coordinator sees it, no client does
    c = draft(client, session, co)
    product = session.scalar(sa.select(col(Product.id)).where(col(Product.name) == "Na Chi Lăng"))
    hidden, action, _ = legacy_finding(session, c["id"], product)
    assert client.get(f"{API}/findings/{hidden}", headers=co).status_code == 200
    anywhere = as_client("findings:read")
    assert client.get(f"{API}/findings/{hidden}", headers=anywhere).status_code == 404
    assert client.get(f"{API}/findings/{hidden}/actions", headers=anywhere).status_code == 404
    assert client.get(f"{API}/findings/{hidden}", headers=h).status_code == 404
    every = {f["id"] for f in client.get(f"{API}/findings", params={"limit": 200}, headers=anywhere).json()["items"]}
    assert hidden not in every and chilang_finding in every and {f["id"] for f in in_locbinh} <= every


def test_finding_events_go_only_to_clients_holding_findings_read(client, session, as_user, as_client,
                                                                 receiver):
    rec = receiver([])
    chilang, locbinh = _scope_unit(session, "local_chilang"), _scope_unit(session, "local_locbinh")
    subs = {}
    for name, scopes, limit in (("campaigns", ("webhooks:manage", "campaigns:read"), {}),
                                ("findings", ("webhooks:manage", "findings:read"), {}),
                                ("findings_chilang", ("webhooks:manage", "findings:read"), {"admin_unit_id": chilang}),
                                ("findings_locbinh", ("webhooks:manage", "findings:read"),
                                 {"admin_unit_id": locbinh})):
        r = client.post(f"{API}/webhooks", json={"url": rec.url, "event_types": ["*"]},
                        headers=as_client(*scopes, **limit))
        assert r.status_code == 201, r.text
        subs[name] = r.json()["id"]

    w = World(client, session, as_user)
    finding = w.f_open  # finding.created, in Chi Lăng
    r = client.post(f"{API}/findings/{finding}/transitions", json={"to": "action_required", "note": "Cần khắc phục."},
                    headers=as_user("inspector1"))
    assert r.status_code == 200, r.text  # finding.status_changed
    session.commit()
    rows = session.execute(sa.select(WebhookDelivery.subscription_id, WebhookDelivery.event_type)).all()
    sent = {name: {t for s, t in rows if s == sid} for name, sid in subs.items()}
    finding_events = {"finding.created", "finding.status_changed"}
    assert not {t for t in sent["campaigns"] if t.startswith(("finding.", "action."))}
    assert finding_events <= sent["findings"]
    assert finding_events <= sent["findings_chilang"]
    assert not sent["findings_locbinh"] & finding_events
