"""Field work without signal: what an inspector takes offline in one request (GET /me/visits/offline), and the
evidence a tablet sends back later (the product it shows, where it was taken, sent again without doubling)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ocop.core.dates import today
from ocop.inspections import service
from ocop.inspections.models import Evidence
from tests.campaigns.helpers import API, issued, unit_id, user, visit
from tests.conftest import count
from tests.inspections.test_visits_findings import jpeg

BUNDLE = f"{API}/me/visits/offline"


def product(client, headers, q, name):
    return next(p for p in client.get(f"{API}/products", params={"q": q}, headers=headers).json()["items"]
                if p["name"] == name)


def at(days: int, hour: str) -> str:
    return f"{today() + timedelta(days=days)}T{hour}:00+07:00"


@pytest.fixture
def field(client, session, as_user):
    """A campaign in Chi Lăng with inspector1 in the team: a site visit to Đồng Bành (Na Chi Lăng) tomorrow, started,
    with a finding on Na and a corrective action; a second visit in 30 days; a third tomorrow for another member
    only."""
    co, ins = as_user("coordinator"), as_user("inspector1")
    na = product(client, co, "na chi lang", "Na Chi Lăng")
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187")])
    team = client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector1")}, headers=co)
    assert team.status_code == 201, team.text
    other = client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector3")}, headers=co)
    assert other.status_code == 201, other.text
    target = [{"producer_id": na["producer_id"], "product_id": na["id"]}]
    unit = unit_id(session, "187")
    near = visit(client, co, c["id"], unit, at(1, "08:00"), at(1, "10:00"), kind="site_visit", targets=target).json()
    far = visit(client, co, c["id"], unit, at(30, "08:00"), at(30, "10:00"), kind="site_visit", targets=target).json()
    theirs = visit(client, co, c["id"], unit, at(1, "14:00"), at(1, "16:00"), kind="site_visit", targets=target,
                   team_member_ids=[other.json()["id"]]).json()
    assert client.post(f"{API}/visits/{near['id']}/transitions", json={"to": "in_progress"},
                       headers=ins).status_code == 200
    f = client.post(f"{API}/findings", headers=ins, json={
        "campaign_id": c["id"], "visit_id": near["id"], "producer_id": na["producer_id"], "product_id": na["id"],
        "severity": "minor", "category": "labelling", "description": "Nhãn chưa ghi hạn sử dụng."})
    assert f.status_code == 201, f.text
    a = client.post(f"{API}/findings/{f.json()['id']}/actions", headers=ins, json={
        "description": "In lại nhãn có hạn sử dụng.", "due_date": str(today() + timedelta(days=30))})
    assert a.status_code == 201, a.text
    return {"campaign": c, "near": near, "far": far, "theirs": theirs, "na": na, "finding": f.json(),
            "action": a.json()}


def test_the_bundle_holds_what_the_visit_screen_shows(client, as_user, field):
    ins = as_user("inspector1")
    r = client.get(BUNDLE, headers=ins)
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["days"] == 14 and b["limit"] == 50 and b["truncated"] is False
    by_id = {v["visit"]["id"]: v for v in b["visits"]}
    near = by_id[field["near"]["id"]]
    # the schedule entry, the record and the answers as the visit screen reads them
    assert near["record"]["status"] == "in_progress" and "submitted" in near["record"]["allowed_transitions"]
    assert near["visit"]["targets"][0]["product_name"] == "Na Chi Lăng"
    assert near["answers"] == [] and near["campaign"]["id"] == field["campaign"]["id"]
    # not 30 days away by default, nor a visit that names other members only
    assert field["far"]["id"] not in by_id and field["theirs"]["id"] not in by_id
    # the campaign's checklist
    checklist = next(c for c in b["checklists"] if c["campaign_id"] == field["campaign"]["id"])
    assert sum(len(s["items"]) for s in checklist["checklist"]["sections"]) > 10
    # the producer, its products and certificates, its open finding with the action
    p = next(p for p in b["producers"] if p["producer"]["id"] == field["na"]["producer_id"])
    assert field["na"]["id"] in [x["id"] for x in p["products"]]
    assert p["certificates"] and {c["producer_id"] for c in p["certificates"]} == {field["na"]["producer_id"]}
    assert field["finding"]["id"] in [f["id"] for f in p["findings"]]
    assert all(f["status"] in ("open", "action_required", "response_submitted", "escalated") for f in p["findings"])
    assert field["action"]["id"] in [a["id"] for a in p["actions"]]

    longer = client.get(BUNDLE, params={"days": 45}, headers=ins).json()
    assert field["far"]["id"] in [v["visit"]["id"] for v in longer["visits"]]
    for days in (0, 61, "x"):
        bad = client.get(BUNDLE, params={"days": days}, headers=ins)
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_the_bundle_holds_nothing_of_another_team(client, as_user, field):
    """inspector2 is not in this campaign's team: none of its visits, nor its findings, reach their tablet."""
    r = client.get(BUNDLE, params={"days": 60}, headers=as_user("inspector2"))
    assert r.status_code == 200, r.text
    b = r.json()
    ours = {field["near"]["id"], field["far"]["id"], field["theirs"]["id"]}
    assert not ours & {v["visit"]["id"] for v in b["visits"]}
    assert field["campaign"]["id"] not in [c["campaign_id"] for c in b["checklists"]]
    assert field["finding"]["id"] not in [f["id"] for p in b["producers"] for f in p["findings"]]
    # the member the third visit names has it (and not the others of the team)
    theirs = client.get(BUNDLE, headers=as_user("inspector3")).json()
    assert {v["visit"]["id"] for v in theirs["visits"]} & ours == {field["theirs"]["id"], field["near"]["id"]}
    # a producer's user is never one of a team
    assert client.get(BUNDLE, headers=as_user("producer_dongbanh")).status_code == 403


def test_the_bundle_is_capped(client, as_user, field, monkeypatch):
    ins = as_user("inspector1")
    full = [v["visit"]["id"] for v in client.get(BUNDLE, params={"days": 45}, headers=ins).json()["visits"]]
    assert len(full) >= 2 and full.index(field["near"]["id"]) < full.index(field["far"]["id"])  # soonest first
    monkeypatch.setattr(service, "OFFLINE_VISITS", 1)
    b = client.get(BUNDLE, params={"days": 45}, headers=ins).json()
    assert b["limit"] == 1 and b["truncated"] is True and [v["visit"]["id"] for v in b["visits"]] == full[:1]


# ---- evidence from the field ------------------------------------------------------------------------------------


def test_evidence_shows_a_product_of_the_producer_with_where_it_was_taken(client, session, as_user, field):
    ins, co = as_user("inspector1"), as_user("coordinator")
    vid, na = field["near"]["id"], field["na"]
    url = f"{API}/visits/{vid}/evidence"
    r = client.post(url, files={"file": ("nhan.jpg", jpeg(), "image/jpeg")}, headers=ins, data={
        "product_id": na["id"], "captured_at": "2026-05-14T09:12:00+07:00", "latitude": "21.6531",
        "longitude": "106.5782", "accuracy_m": "12.5"})
    assert r.status_code == 201, r.text
    e = r.json()
    assert (e["product_id"], e["latitude"], e["longitude"], e["accuracy_m"]) == (na["id"], 21.6531, 106.5782, 12.5)
    listed = client.get(url, headers=ins).json()["items"]
    assert [(x["id"], x["product_id"], x["latitude"]) for x in listed] == [(e["id"], na["id"], 21.6531)]
    n = count(session, Evidence)

    elsewhere = product(client, co, "lua vy", "Trà diếp cá Lúa Vy")  # another producer's
    r = client.post(url, files={"file": ("nhan.jpg", jpeg(), "image/jpeg")}, data={"product_id": elsewhere["id"]},
                    headers=ins)
    assert r.status_code == 422 and r.json()["code"] == "evidence_product_mismatch", r.text
    r = client.post(f"{API}/findings/{field['finding']['id']}/evidence", headers=ins,
                    files={"file": ("nhan.jpg", jpeg(), "image/jpeg")}, data={"product_id": elsewhere["id"]})
    assert r.status_code == 422 and r.json()["code"] == "evidence_product_mismatch", r.text
    for bad, field_name in (({"latitude": "91", "longitude": "106"}, "latitude"),
                            ({"latitude": "21", "longitude": "-181"}, "longitude"),
                            ({"latitude": "21.65"}, "longitude"),
                            ({"accuracy_m": "5"}, "accuracy_m")):
        r = client.post(url, files={"file": ("nhan.jpg", jpeg(), "image/jpeg")}, data=bad, headers=ins)
        assert r.status_code == 422, (bad, r.text)
        assert field_name in [e["loc"][-1] for e in r.json()["errors"]], r.json()
    assert count(session, Evidence) == n  # nothing half-written

    # on a finding, a product of the finding's producer
    r = client.post(f"{API}/findings/{field['finding']['id']}/evidence", headers=ins,
                    files={"file": ("nhan.jpg", jpeg(), "image/jpeg")},
                    data={"product_id": na["id"], "latitude": "21.6531", "longitude": "106.5782"})
    assert r.status_code == 201 and r.json()["product_id"] == na["id"], r.text


def test_an_upload_sent_again_with_its_key_is_one_evidence(client, session, as_user, field):
    """The tablet's answer was lost with the connection: it sends the photo again with the same Idempotency-Key."""
    ins = as_user("inspector1")
    url = f"{API}/visits/{field['near']['id']}/evidence"
    n = count(session, Evidence)
    sent = [client.post(url, files={"file": ("a.jpg", jpeg(), "image/jpeg")}, data={"item_code": "ND4.05"},
                        headers={**ins, "Idempotency-Key": "photo-7f3a"}) for _ in range(2)]
    assert [r.status_code for r in sent] == [201, 201], [r.text for r in sent]
    assert sent[0].json()["id"] == sent[1].json()["id"] and count(session, Evidence) == n + 1
    # another key is another photo; the same key for another visit's or finding's upload is refused
    other = client.post(url, files={"file": ("a.jpg", jpeg(), "image/jpeg")}, headers={**ins, "Idempotency-Key": "b"})
    assert other.status_code == 201 and other.json()["id"] != sent[0].json()["id"]
    r = client.post(f"{API}/findings/{field['finding']['id']}/evidence", files={"file": ("a.jpg", jpeg(), "image/jpeg")},
                    headers={**ins, "Idempotency-Key": "photo-7f3a"})
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused", r.text
    # keys are the uploader's own: another member's same key is their own photo
    mine = client.post(url, files={"file": ("a.jpg", jpeg(), "image/jpeg")},
                       headers={**as_user("inspector3"), "Idempotency-Key": "photo-7f3a"})
    assert mine.status_code == 201 and mine.json()["id"] != sent[0].json()["id"]
    assert count(session, Evidence) == n + 3
