"""Findings come from real inspection work: a running campaign, a producer and product its visits inspect. What
a caller may not see of a campaign they may not see of its findings. Only findings of issued plans move a
product's compliance. A corrective action goes to a unit that exists and sees the finding."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from ocop.campaigns.models import Visit, VisitTarget
from ocop.core.dates import today
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.registry.models import Producer, Product
from tests.campaigns.helpers import API, issued, move, seeded, unit_id, user, visit
from tests.conftest import count
from tests.exports.helpers import column, xlsx
from tests.factories import legacy_finding


def status_of(client, headers, product_id):
    r = client.get(f"{API}/compliance/products/{product_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["status"], r.json()["reasons"]


def refused(r, code, field):
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == code and ["body", field] in [e["loc"] for e in body["errors"]], body


@pytest.fixture
def na(client, as_user):
    return next(p for p in client.get(f"{API}/products", params={"q": "na chi lang"},
                                      headers=as_user("coordinator")).json()["items"] if p["name"] == "Na Chi Lăng")


@pytest.fixture
def running(client, session, as_user, na):
    """A campaign in Chi Lăng with inspector1 in the team and a site visit to Đồng Bành (Na Chi Lăng) that has
    started: the campaign is in progress."""
    co = as_user("coordinator")
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187")])
    assert client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector1")},
                       headers=co).status_code == 201
    day = today() + timedelta(days=1)
    r = visit(client, co, c["id"], unit_id(session, "187"), f"{day}T08:00:00+07:00", f"{day}T10:00:00+07:00",
              kind="site_visit", targets=[{"producer_id": na["producer_id"], "product_id": na["id"]}])
    assert r.status_code == 201, r.text
    v = r.json()
    r = client.post(f"{API}/visits/{v['id']}/transitions", json={"to": "in_progress"}, headers=as_user("inspector1"))
    assert r.status_code == 200, r.text
    return {"campaign": c, "visit": v}


def finding(campaign_id, producer_id, product_id=None, severity="critical", **extra):
    return {"campaign_id": campaign_id, "producer_id": producer_id, "severity": severity, "category": "mark_use",
            "description": "Dùng nhãn hiệu OCOP cho sản phẩm chưa được công nhận.",
            **({"product_id": product_id} if product_id else {}), **extra}


# ---- where a finding may be written --------------------------------------------------------------------------


def test_no_finding_in_a_campaign_that_is_not_being_carried_out(client, session, as_user, na):
    co, leader = as_user("coordinator"), as_user("leader")
    before = status_of(client, co, na["id"])
    n = count(session, Finding)
    # the 2026 draft: the coordinator is its secretary, it has no visit yet
    r = client.post(f"{API}/findings", json=finding(seeded(session, 2026), na["producer_id"], na["id"]), headers=co)
    refused(r, "campaign_not_in_progress", "campaign_id")
    # issued, its site visit at Đồng Bành scheduled but not started
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187")])
    day = today() + timedelta(days=1)
    assert visit(client, co, c["id"], unit_id(session, "187"), f"{day}T08:00:00+07:00", f"{day}T10:00:00+07:00",
                 kind="site_visit", targets=[{"producer_id": na["producer_id"], "product_id": na["id"]}]
                 ).status_code == 201
    refused(client.post(f"{API}/findings", json=finding(c["id"], na["producer_id"], na["id"]), headers=leader),
            "campaign_not_in_progress", "campaign_id")
    # cancelled
    assert move(client, leader, c["id"], "cancelled", note="Hoãn kiểm tra").status_code == 200
    refused(client.post(f"{API}/findings", json=finding(c["id"], na["producer_id"], na["id"]), headers=leader),
            "campaign_not_in_progress", "campaign_id")
    # nothing written, and what partner systems read has not moved
    assert count(session, Finding) == n
    assert status_of(client, co, na["id"]) == before


def test_only_producers_and_products_the_visits_inspect(client, session, as_user, na, running):
    ins, co = as_user("inspector1"), as_user("coordinator")
    c24 = seeded(session, 2024)  # in progress; site visits to Đồng Bành (Na), Lúa Vy, Lộc Bình and Mẫu Sơn
    scheduled = sa.select(VisitTarget.producer_id).join(Visit, Visit.id == VisitTarget.visit_id).where(
        Visit.campaign_id == c24)
    other = session.scalars(sa.select(Product).join(Producer, Producer.id == Product.producer_id).where(
        Product.producer_id.not_in(scheduled), Product.current_certificate_id.is_not(None))
        .order_by(Product.id)).first()
    assert other is not None
    second = client.post(f"{API}/products", json={"producer_id": na["producer_id"], "name": "Mứt na Đồng Bành"},
                         headers=co).json()  # Đồng Bành's, not among the visit's products
    luavy_visit = session.scalar(sa.select(VisitTarget.visit_id).join(Product, Product.id == VisitTarget.product_id)
                                 .where(Product.name == "Trà diếp cá Lúa Vy"))
    before = {p: status_of(client, co, p) for p in (other.id, na["id"], second["id"])}
    n = count(session, Finding)

    refused(client.post(f"{API}/findings", json=finding(c24, other.producer_id, other.id), headers=ins),
            "producer_not_scheduled", "producer_id")
    refused(client.post(f"{API}/findings", json=finding(c24, na["producer_id"], second["id"]), headers=ins),
            "product_not_scheduled", "product_id")
    # a visit of another campaign; a visit of this campaign to another producer
    refused(client.post(f"{API}/findings", json=finding(c24, na["producer_id"], na["id"],
                                                        visit_id=running["visit"]["id"]), headers=ins),
            "visit_not_in_campaign", "visit_id")
    refused(client.post(f"{API}/findings", json=finding(c24, na["producer_id"], na["id"], visit_id=luavy_visit),
                        headers=ins), "producer_not_scheduled", "producer_id")
    assert count(session, Finding) == n
    assert {p: status_of(client, co, p) for p in before} == before

    # what the visit inspects is accepted, with or without naming the visit
    r = client.post(f"{API}/findings", json=finding(running["campaign"]["id"], na["producer_id"], na["id"],
                                                    visit_id=running["visit"]["id"]), headers=ins)
    assert r.status_code == 201, r.text
    assert client.post(f"{API}/findings", json=finding(c24, na["producer_id"], na["id"], severity="minor"),
                       headers=ins).status_code == 201
    assert client.post(f"{API}/findings", json=finding(c24, na["producer_id"], severity="observation"),
                       headers=ins).status_code == 201  # about the producer as a whole

    # moving the finding to a product the visit does not inspect is refused the same way
    f = r.json()
    r = client.patch(f"{API}/findings/{f['id']}", json={"product_id": second["id"]},
                     headers={**ins, "If-Match": f'"{f["version"]}"'})
    refused(r, "product_not_scheduled", "product_id")
    assert client.get(f"{API}/findings/{f['id']}", headers=ins).json()["product_id"] == na["id"]
    assert status_of(client, co, second["id"]) == before[second["id"]]


def test_an_unscheduled_product_of_the_visited_producer_is_refused_when_the_visit_names_products(
        client, session, as_user, na, running):
    """A visit whose targets name the producer without a product covers every product of it."""
    ins, co = as_user("inspector1"), as_user("coordinator")
    second = client.post(f"{API}/products", json={"producer_id": na["producer_id"], "name": "Mứt na Đồng Bành"},
                         headers=co).json()
    cid = running["campaign"]["id"]
    refused(client.post(f"{API}/findings", json=finding(cid, na["producer_id"], second["id"]), headers=ins),
            "product_not_scheduled", "product_id")
    day = today() + timedelta(days=2)
    whole = visit(client, co, cid, unit_id(session, "187"), f"{day}T08:00:00+07:00", f"{day}T10:00:00+07:00",
                  kind="site_visit", targets=[{"producer_id": na["producer_id"]}])
    assert whole.status_code == 201, whole.text
    r = client.post(f"{API}/findings", json=finding(cid, na["producer_id"], second["id"],
                                                    visit_id=whole.json()["id"]), headers=ins)
    assert r.status_code == 201, r.text


# ---- compliance counts only findings of issued plans --------------------------------------------------------


def test_a_cancelled_campaigns_findings_stop_counting(client, session, as_user, na, running):
    co, ins, leader = as_user("coordinator"), as_user("inspector1"), as_user("leader")
    before = status_of(client, co, na["id"])  # conditional: the seed's open minor finding
    r = client.post(f"{API}/findings", json=finding(running["campaign"]["id"], na["producer_id"], na["id"],
                                                    visit_id=running["visit"]["id"]), headers=ins)
    assert r.status_code == 201, r.text
    now, reasons = status_of(client, co, na["id"])
    assert now == "non_compliant" and r.json()["id"] in [x.get("finding_id") for x in reasons]
    assert move(client, leader, running["campaign"]["id"], "cancelled", note="Kế hoạch bị hủy").status_code == 200
    assert status_of(client, co, na["id"]) == before
    partner = as_user("viewer")  # the fast lane's precomputed row says the same
    assert status_of(client, partner, na["id"]) == before


def test_a_draft_campaigns_finding_is_invisible_and_does_not_count(client, session, as_user, na):
    """A finding that reached a draft campaign before the rule (or by any other way): only those who see the draft
    see it; it moves no status, no dashboard figure."""
    co = as_user("coordinator")
    before = status_of(client, co, na["id"])
    figures = {u: client.get(f"{API}/dashboard", headers=as_user(u)).json()["findings_total"]
               for u in ("local_chilang", "producer_dongbanh", "viewer", "coordinator")}
    f, a, e = legacy_finding(session, seeded(session, 2026), na["id"])
    assert client.get(f"{API}/findings/{f}", headers=co).status_code == 200  # the coordinator sees drafts
    assert status_of(client, co, na["id"]) == before
    for username in ("local_chilang", "producer_dongbanh", "viewer"):
        h = as_user(username)
        for path in (f"findings/{f}", f"findings/{f}/timeline", f"findings/{f}/actions",
                     f"findings/{f}/actions/{a}", f"findings/{f}/evidence", f"evidence/{e}"):
            assert client.get(f"{API}/{path}", headers=h).status_code == 404, (username, path)
        listed = client.get(f"{API}/findings", params={"producer_id": na["producer_id"], "limit": 200},
                            headers=h).json()["items"]
        assert listed and f not in [x["id"] for x in listed], username
        _, header, rows = xlsx(client, "findings", h)
        assert rows and f not in column(header, rows, "Mã phát hiện"), username
        actions = client.get(f"{API}/actions", params={"limit": 200}, headers=h).json()["items"]
        assert a not in [x["id"] for x in actions], username
        assert client.get(f"{API}/dashboard", headers=h).json()["findings_total"] == figures[username], username
    assert client.get(f"{API}/dashboard", headers=co).json()["findings_total"] == figures["coordinator"]
    # its overdue action obliges no one: no `action.overdue` event for partners, nothing on the product
    from ocop.core.outbox import OutboxEvent
    from ocop.inspections.service import notify_overdue

    notify_overdue(session)
    session.commit()
    assert count(session, OutboxEvent, OutboxEvent.event_type == "action.overdue",
                 OutboxEvent.aggregate_id == str(a)) == 0
    assert status_of(client, co, na["id"]) == before


# ---- who owns a corrective action ----------------------------------------------------------------------------


def test_an_actions_unit_exists_and_sees_the_finding(client, session, as_user, na, running):
    ins = as_user("inspector1")
    r = client.post(f"{API}/findings", json=finding(running["campaign"]["id"], na["producer_id"], na["id"],
                                                    severity="minor", visit_id=running["visit"]["id"]), headers=ins)
    fid = r.json()["id"]
    url = f"{API}/findings/{fid}/actions"
    due = (today() + timedelta(days=10)).isoformat()

    def action(unit):
        return client.post(url, json={"description": "Đôn đốc chủ thể", "owner_type": "unit", "due_date": due,
                                      "owner_unit_id": unit}, headers=ins)

    refused(action(987654321), "owner_unit_not_found", "owner_unit_id")
    # Lộc Bình's officers do not see a Chi Lăng finding; Xã Chi Lăng's do not see a plan naming the district
    refused(action(unit_id(session, "188")), "owner_unit_cannot_see_finding", "owner_unit_id")
    refused(action(unit_id(session, "06463")), "owner_unit_cannot_see_finding", "owner_unit_id")
    assert count(session, CorrectiveAction, CorrectiveAction.finding_id == fid) == 0
    assert client.get(f"{API}/findings/{fid}", headers=ins).json()["status"] == "open"
    ok = action(unit_id(session, "187"))
    assert ok.status_code == 201, ok.text
    answer = client.post(f"{url}/{ok.json()['id']}/response", json={"response": "Đã đôn đốc"},
                         headers=as_user("local_chilang"))
    assert answer.status_code == 200, answer.text
