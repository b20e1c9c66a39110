"""Data for the export tests, made through the HTTP API like a user."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ocop.core.dates import today
from tests.campaigns.helpers import API, issued, unit_id, user, visit
from tests.exports.helpers import product

SEVERITIES = ("observation", "minor", "major", "critical")
CATEGORIES = ("traceability", "labelling", "mark_use")


@pytest.fixture
def work(client, session, as_user):
    """A campaign in Chi Lăng and Lộc Bình with inspector1 in its team, in progress (its site visits to Đồng Bành
    and to HTX Nông nghiệp xanh Lộc Bình scheduled, the first started), and 56 findings, each with one action: 30
    about Đồng Bành (Chi Lăng), 26 about HTX Nông nghiệp xanh Lộc Bình. Severities, products, owners and due
    dates vary; every third action is overdue."""
    co, ins = as_user("coordinator"), as_user("inspector1")
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187"), unit_id(session, "188")])
    r = client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector1")}, headers=co)
    assert r.status_code == 201, r.text
    na = product(client, co, "na chi lang", "Na Chi Lăng")
    ruou = product(client, co, "ruou khoai lang", "Rượu khoai lang Lộc Bình")
    day = today() + timedelta(days=1)
    visits = []
    for p, unit, hours in ((na, "187", ("08", "10")), (ruou, "188", ("14", "16"))):
        r = visit(client, co, c["id"], unit_id(session, unit), f"{day}T{hours[0]}:00:00+07:00",
                  f"{day}T{hours[1]}:00:00+07:00", kind="site_visit",
                  targets=[{"producer_id": p["producer_id"], "product_id": p["id"]}])
        assert r.status_code == 201, r.text
        visits.append(r.json())
    r = client.post(f"{API}/visits/{visits[0]['id']}/transitions", json={"to": "in_progress"}, headers=ins)
    assert r.status_code == 200, r.text  # the first visit starts the campaign
    findings, actions = [], []
    for i in range(56):
        p = na if i < 30 else ruou
        body = {"campaign_id": c["id"], "producer_id": p["producer_id"], "severity": SEVERITIES[i % 4],
                "category": CATEGORIES[i % 3], "content_area": 1 + i % 2, "description": f"Phát hiện thử số {i}",
                "recommendation": f"Kiến nghị số {i}", **({"product_id": p["id"]} if i % 2 == 0 else {})}
        r = client.post(f"{API}/findings", json=body, headers=ins)
        assert r.status_code == 201, r.text
        findings.append(r.json())
        due = today() + timedelta(days=-5 if i % 3 == 0 else 20)
        r = client.post(f"{API}/findings/{findings[-1]['id']}/actions", headers=ins, json={
            "description": f"Khắc phục số {i}", "due_date": due.isoformat(),
            "owner_type": "unit" if i % 4 == 0 else "producer"})
        assert r.status_code == 201, r.text
        actions.append(r.json())
    return {"campaign": client.get(f"{API}/campaigns/{c['id']}", headers=co).json(), "findings": findings,
            "actions": actions, "na": na, "ruou": ruou, "visits": visits}


@pytest.fixture
def catalogue(client, session, as_user):
    """16 more products (56 in all, more than a page): 10 for Đồng Bành (Chi Lăng), 5 for HTX Nông nghiệp xanh
    Lộc Bình, one for a producer registered with every detail in Xã Chi Lăng. Three in four are recognised."""
    from ocop.core.dates import add_months
    from tests.registry.test_rules import make_tax_code

    co = as_user("coordinator")
    na = product(client, co, "na chi lang", "Na Chi Lăng")
    ruou = product(client, co, "ruou khoai lang", "Rượu khoai lang Lộc Bình")
    r = client.post(f"{API}/producers", headers=co, json={
        "kind": "enterprise", "name": "Công ty TNHH Thực phẩm Xứ Lạng", "admin_unit_id": unit_id(session, "06463"),
        "tax_code": make_tax_code("490077001"), "representative": "Lý Văn Minh", "phone": "0205 3811 222",
        "email": "xulang@example.vn", "address": "Thôn Đồng Bành, xã Chi Lăng"})
    assert r.status_code == 201, r.text
    producer = r.json()
    set1 = next(s for s in client.get(f"{API}/taxonomy", headers=co).json()["sets"] if s["number"] == 1)
    made = []
    for i in range(16):
        owner = na["producer_id"] if i < 10 else ruou["producer_id"] if i < 15 else producer["id"]
        r = client.post(f"{API}/products", headers=co, json={
            "producer_id": owner, "name": f"Sản phẩm thử xuất bảng {i:02d}", "product_set_id": set1["id"]})
        assert r.status_code == 201, r.text
        p = r.json()
        if i % 4 != 3:
            stars = 3 + i % 3
            r = client.post(f"{API}/certificates", headers=co, json={
                "product_id": p["id"], "decision_number": f"{100 + i}/QĐ-UBND", "stars": stars,
                "decision_date": add_months(today(), -2 - i).isoformat(), "score": {3: 60, 4: 80, 5: 95}[stars] + i % 5})
            assert r.status_code == 201, r.text
        made.append(p)
    return {"products": made, "producer": producer, "na": na, "ruou": ruou, "set": set1}
