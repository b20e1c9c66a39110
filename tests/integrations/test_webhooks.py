"""Webhooks: subscriptions, SSRF refusals, deliveries made with the event, signatures checked by an independent
implementation (the standardwebhooks package), retries with backoff against a real local receiver, replay."""
from __future__ import annotations

import base64
import socket
import threading
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook

from ocop.core.db import utcnow
from ocop.integrations import service as webhooks
from ocop.integrations.models import WebhookDelivery, WebhookSubscription
from tests.campaigns.helpers import API, add_head, draft, move
from tests.conftest import PG_URL, count


def subscribe(client, as_user, url, types=("campaign.submitted",)):
    r = client.post(f"{API}/webhooks", json={"url": url, "event_types": list(types)}, headers=as_user("admin"))
    assert r.status_code == 201, r.text
    return r.json()


def submit_a_plan(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    add_head(client, session, co, c["id"])
    assert move(client, co, c["id"], "submitted").status_code == 200
    return c


def send_all() -> None:
    with httpx.Client(timeout=5) as http:
        while webhooks.deliver_one(http):
            pass


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/x", "http://10.1.2.3/hook", "http://169.254.169.254/latest",
                                 "http://[::1]/hook", "http://localhost:9000/", "http://192.168.1.10/h",
                                 "ftp://example.org/x",
                                 # not private, but not on the internet either: shared (carrier-grade NAT),
                                 # "this network", benchmarking, documentation, broadcast, multicast, reserved
                                 "http://100.64.1.1/hook", "http://0.0.0.0:8080/", "http://198.18.0.1/",
                                 "http://192.0.2.1/", "http://203.0.113.7/", "http://255.255.255.255/",
                                 "http://224.0.0.1/", "http://240.0.0.1/",
                                 # IPv6 forms that carry a local IPv4 address, and IPv6's own local ranges
                                 "http://[::ffff:127.0.0.1]/", "http://[::ffff:100.64.0.1]/", "http://[2002:7f00:1::1]/",
                                 "http://[64:ff9b::a00:1]/", "http://[fc00::1]/", "http://[fe80::1]/", "http://[::]/",
                                 "http://[2001:db8::1]/"])
def test_targets_that_are_not_public_internet_addresses_are_refused(client, as_user, session, url):
    r = client.post(f"{API}/webhooks", json={"url": url, "event_types": ["*"]}, headers=as_user("admin"))
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "url"]]
    assert count(session, WebhookSubscription) == 0


def test_names_are_checked_by_what_they_resolve_to(client, as_user, session, monkeypatch):
    monkeypatch.setattr(webhooks, "resolve_host", lambda host: {"cgnat.example.org": ["100.64.0.9"],
                                                                "mixed.example.org": ["93.184.216.34", "10.0.0.1"],
                                                                "public.example.org": ["93.184.216.34"]}[host])
    for host in ("cgnat.example.org", "mixed.example.org"):
        r = client.post(f"{API}/webhooks", json={"url": f"https://{host}/hook", "event_types": ["*"]},
                        headers=as_user("admin"))
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "url"], r.text
    r = client.post(f"{API}/webhooks", json={"url": "https://public.example.org/hook", "event_types": ["*"]},
                    headers=as_user("admin"))
    assert r.status_code == 201, r.text


def test_a_name_that_resolves_elsewhere_at_delivery_time_is_not_contacted(client, session, as_user, receiver,
                                                                          monkeypatch):
    """DNS rebinding: the name was public when subscribed and points at a loopback receiver when the event is
    sent. The delivery is refused with its reason and nothing reaches the receiver."""
    rec = receiver([])
    port = rec.server.server_address[1]
    answers = {"hooks.partner.example": ["93.184.216.34"]}
    monkeypatch.setattr(webhooks, "resolve_host", lambda host: answers[host])
    sub = subscribe(client, as_user, f"http://hooks.partner.example:{port}/hooks/ocop")
    submit_a_plan(client, session, as_user)
    answers["hooks.partner.example"] = ["127.0.0.2"]  # the allow-list holds 127.0.0.1 only
    send_all()
    assert rec.received == []
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=as_user("admin")).json()["items"][0]
    assert log["status"] == "dead" and log["log"][0]["status_code"] is None
    assert "127.0.0.2" in log["last_error"] and "not a public internet address" in log["last_error"]


def test_a_delivery_connects_to_the_address_it_checked(client, session, as_user, receiver, monkeypatch):
    """The name is resolved once per delivery and the request goes to that address with the name as Host: a
    second, different answer from the DNS (between check and connect) is never asked for."""
    rec = receiver([])
    port = rec.server.server_address[1]
    calls: list[str] = []

    def resolve(host: str) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"] if len(calls) <= 2 else ["10.9.9.9"]  # subscription, first lookup of the delivery

    monkeypatch.setattr(webhooks, "resolve_host", resolve)
    subscribe(client, as_user, f"http://hooks.partner.example:{port}/hooks/ocop")
    submit_a_plan(client, session, as_user)
    send_all()
    assert len(calls) == 2 and len(rec.received) == 1  # "hooks.partner.example" is in no real DNS
    assert {k.lower(): v for k, v in rec.received[0][0].items()}["host"] == f"hooks.partner.example:{port}"


def test_a_name_that_does_not_resolve_now_is_retried(client, session, as_user, receiver, monkeypatch):
    receiver([])

    def nowhere(host: str) -> list[str]:
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(webhooks, "resolve_host", nowhere)
    sub = subscribe(client, as_user, "https://later.partner.example/hook")
    submit_a_plan(client, session, as_user)
    send_all()
    d = session.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub["id"])).one()
    session.refresh(d)
    assert d.status == "retrying" and "cannot be resolved" in d.last_error


def test_the_allow_list_opens_a_private_target_and_the_secret_is_shown_once(client, as_user, session, receiver):
    rec = receiver([])
    sub = subscribe(client, as_user, rec.url)
    assert sub["secret"].startswith("whsec_")
    stored = session.get(WebhookSubscription, sub["id"])
    assert sub["secret"] not in stored.secret_encrypted
    assert "secret" not in client.get(f"{API}/webhooks/{sub['id']}", headers=as_user("admin")).json()
    assert client.get(f"{API}/webhooks", headers=as_user("coordinator")).status_code == 403


def test_deliveries_are_signed_retried_with_backoff_and_keep_their_id(client, session, as_user, receiver):
    rec = receiver([500, 503])
    sub = subscribe(client, as_user, rec.url)
    c = submit_a_plan(client, session, as_user)
    d = session.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub["id"])).one()
    assert d.event_type == "campaign.submitted" and d.status == "pending"
    gaps = []
    for _ in range(3):
        before = utcnow()
        send_all()
        session.expire_all()
        d = session.get(WebhookDelivery, d.id)
        if d.status == "retrying":
            gaps.append((d.next_attempt_at - before).total_seconds())
            session.execute(sa.update(WebhookDelivery).where(WebhookDelivery.id == d.id)
                            .values(next_attempt_at=utcnow()))  # the clock moves on
            session.commit()
    assert d.status == "delivered" and d.attempts == 3
    assert 25 <= gaps[0] <= 35 and 55 <= gaps[1] <= 65  # 30 s, then 60 s
    ids = {h["webhook-id"] for h, _ in rec.received}
    assert len(rec.received) == 3 and ids == {f"msg_{d.event_id}"}
    verifier = Webhook(sub["secret"])
    for headers, body in rec.received:
        payload = verifier.verify(body, {k.lower(): v for k, v in headers.items()})
        assert payload["type"] == "campaign.submitted" and payload["data"]["campaign_id"] == c["id"]
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=as_user("admin")).json()["items"][0]
    assert [a["status_code"] for a in log["log"]] == [500, 503, 200] and log["webhook_id"] == f"msg_{d.event_id}"
    # replay sends it again, with the same id
    r = client.post(f"{API}/webhooks/{sub['id']}/deliveries/{d.id}/replay", headers=as_user("admin"))
    assert r.status_code == 200 and r.json()["status"] == "pending"
    send_all()
    assert len(rec.received) == 4 and rec.received[-1][0]["webhook-id"] == f"msg_{d.event_id}"


def test_a_day_of_failures_makes_a_delivery_dead(client, session, as_user, receiver):
    rec = receiver([500] * 10)
    sub = subscribe(client, as_user, rec.url)
    submit_a_plan(client, session, as_user)
    session.execute(sa.update(WebhookDelivery).values(created_at=utcnow() - timedelta(hours=23, minutes=59, seconds=45)))  # the next try would pass 24 h
    session.commit()
    send_all()
    session.expire_all()
    d = session.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub["id"])).one()
    assert d.status == "dead" and d.last_status_code == 500


def test_events_of_a_refused_change_are_never_delivered(client, session, as_user, receiver):
    rec = receiver([])
    subscribe(client, as_user, rec.url, types=("*",))
    co = as_user("coordinator")
    c = draft(client, session, co)
    assert move(client, co, c["id"], "submitted").status_code == 409  # no head: nothing written
    assert count(session, WebhookDelivery) == 0
    add_head(client, session, co, c["id"])
    move(client, co, c["id"], "submitted")
    assert count(session, WebhookDelivery) == 1
    send_all()
    assert len(rec.received) == 1


def test_a_client_with_webhooks_manage_owns_its_subscriptions(client, session, as_user, as_client, receiver):
    rec = receiver([])
    h = as_client("webhooks:manage")
    mine = client.post(f"{API}/webhooks", json={"url": rec.url, "event_types": ["compliance.changed"]}, headers=h)
    assert mine.status_code == 201
    other = subscribe(client, as_user, rec.url)
    assert [w["id"] for w in client.get(f"{API}/webhooks", headers=h).json()["items"]] == [mine.json()["id"]]
    assert client.get(f"{API}/webhooks/{other['id']}", headers=h).status_code == 404
    assert client.patch(f"{API}/webhooks/{mine.json()['id']}", json={"active": False},
                        headers={**h, "If-Match": '"1"'}).json()["active"] is False


@pytest.mark.skipif(not PG_URL, reason="row locks need PostgreSQL")
def test_two_workers_never_send_one_delivery_twice(template, receiver, settings):
    """Deliveries committed for real; two workers race over them; each is sent exactly once."""
    from sqlmodel import Session

    from ocop.core import db as core_db
    from ocop.core.outbox import OutboxEvent

    rec = receiver([])
    engine = core_db.make_engine(template)
    saved_factory = core_db._session_factory
    core_db.set_session_factory(None)
    core_db.set_engine(engine)
    try:
        with Session(engine) as s:
            sub = WebhookSubscription(url=rec.url, event_types=["*"], secret_encrypted=webhooks._fernet().encrypt(
                b"whsec_" + base64.b64encode(b"k" * 32)).decode(), created_at=utcnow(),
                updated_at=utcnow())
            s.add(sub)
            s.flush()
            events = [OutboxEvent(event_type="test.race", aggregate_type="test", aggregate_id=str(i), payload={"i": i},
                                  occurred_at=utcnow()) for i in range(30)]
            s.add_all(events)
            s.flush()
            s.add_all([WebhookDelivery(subscription_id=sub.id, event_id=e.id, event_type=e.event_type,
                                       next_attempt_at=utcnow(), created_at=utcnow()) for e in events])
            s.commit()
            sub_id, event_ids = sub.id, [e.id for e in events]
        workers = [threading.Thread(target=send_all) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        sent = [h["webhook-id"] for h, _ in rec.received]
        assert sorted(sent) == sorted(f"msg_{i}" for i in event_ids)  # each once, none twice
    finally:
        with Session(engine) as s:
            s.execute(sa.delete(WebhookSubscription).where(WebhookSubscription.id == sub_id))
            s.execute(sa.delete(OutboxEvent).where(OutboxEvent.id.in_(event_ids)))
            s.commit()
        core_db.set_engine(None)
        core_db.set_session_factory(saved_factory)
        engine.dispose()


def test_clients_are_sent_only_events_about_what_they_may_read(client, session, as_user, as_client, receiver):
    """A client holding only webhooks:manage reads nothing, so it is sent nothing; compliance:read brings the
    compliance events; a draft plan's events reach the administrator's subscription only."""
    rec = receiver([])
    subs = {}
    for name, scopes in (("blind", ("webhooks:manage",)), ("compliance", ("webhooks:manage", "compliance:read")),
                         ("campaigns", ("webhooks:manage", "campaigns:read"))):
        r = client.post(f"{API}/webhooks", json={"url": rec.url, "event_types": ["*"]}, headers=as_client(*scopes))
        assert r.status_code == 201, r.text
        subs[name] = r.json()["id"]
    subs["admin"] = subscribe(client, as_user, rec.url, types=("*",))["id"]

    def sent() -> dict[str, set[str]]:
        rows = session.execute(sa.select(WebhookDelivery.subscription_id, WebhookDelivery.event_type)).all()
        return {name: {t for s, t in rows if s == sid} for name, sid in subs.items()}

    submit_a_plan(client, session, as_user)  # campaign.submitted: a draft, which no client may read
    assert sent() == {"blind": set(), "compliance": set(), "campaigns": set(), "admin": {"campaign.submitted"}}

    cert = client.get(f"{API}/certificates", params={"status": "valid", "limit": 1},
                      headers=as_user("coordinator")).json()["items"][0]
    r = client.post(f"{API}/certificates/{cert['id']}/revocation", headers={**as_user("coordinator"), "If-Match": '"1"'},
                    json={"decision_number": "12/QĐ-UBND", "decision_date": "2026-11-20", "reason": "Vi phạm nhãn"})
    assert r.status_code in (200, 201), r.text
    now = sent()
    assert "compliance.changed" in now["admin"] and "compliance.changed" in now["compliance"]
    assert now["blind"] == set() and "compliance.changed" not in now["campaigns"]
