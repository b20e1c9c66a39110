from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ocop.audit.models import AuditEvent
from ocop.core.dates import today
from ocop.registry.models import Product
from tests.conftest import count
from tests.factories import unit_id
from tests.registry.test_rules import make_tax_code

API = "/api/v1"


def producer_id(client, headers, name):
    items = client.get(f"{API}/producers", params={"q": name}, headers=headers).json()["items"]
    assert items, name
    return items[0]["id"]


def product_by_name(client, headers, name):
    items = client.get(f"{API}/products", params={"q": name}, headers=headers).json()["items"]
    return next(p for p in items if p["name"] == name)


def test_seeded_sample_has_every_status(client, as_user):
    h = as_user("coordinator")
    seen, total = set(), 0
    for st in ("valid", "expiring", "expired", "revoked", "superseded"):
        page = client.get(f"{API}/certificates", params={"status": st, "limit": 200}, headers=h).json()
        assert all(c["status"] == st for c in page["items"])  # the SQL filter agrees with the derivation
        total += len(page["items"])
        if page["items"]:
            seen.add(st)
    assert seen == {"valid", "expiring", "expired", "revoked", "superseded"}
    assert total == len(client.get(f"{API}/certificates", params={"limit": 200}, headers=h).json()["items"])
    all_products = client.get(f"{API}/products", params={"limit": 200}, headers=h).json()["items"]
    assert len(all_products) == 40 and all(p["is_sample"] for p in all_products)
    placeholders = client.get(f"{API}/producers", params={"q": "chu the chua xac dinh", "limit": 200},
                              headers=h).json()["items"]
    assert len(placeholders) > 5
    assert all(p["is_sample"] and p["name"].startswith("Chủ thể chưa xác định — ") for p in placeholders)


def test_search_without_accents(client, as_user):
    h = as_user("viewer")
    names = [p["name"] for p in client.get(f"{API}/products", params={"q": "na chi lang"}, headers=h).json()["items"]]
    assert "Na Chi Lăng" in names
    producers = client.get(f"{API}/producers", params={"q": "dong banh"}, headers=h).json()["items"]
    assert [p["name"] for p in producers] == ["HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành"]
    # searching products also finds them by their producer
    assert {p["name"] for p in client.get(f"{API}/products", params={"q": "DONG BANH"}, headers=h).json()["items"]} \
        == {"Na Chi Lăng"}


def test_filters(client, as_user):
    h = as_user("viewer")
    chilang = client.get(f"{API}/admin-units", params={"code": "187"}, headers=h).json()["items"][0]["id"]
    in_chilang = client.get(f"{API}/products", params={"unit_id": chilang, "limit": 200}, headers=h).json()["items"]
    assert "Na Chi Lăng" in {p["name"] for p in in_chilang} and "Trà diếp cá Lúa Vy" in {p["name"] for p in in_chilang}
    assert "Mật ong ngũ gia bì" not in {p["name"] for p in in_chilang}
    four = client.get(f"{API}/products", params={"stars": 4, "limit": 200}, headers=h).json()["items"]
    assert four and all(p["certificate"]["stars"] == 4 for p in four)
    soon = (today() + timedelta(days=100)).isoformat()
    expiring = client.get(f"{API}/products", params={"expiring_before": soon, "limit": 200}, headers=h).json()["items"]
    assert expiring and all(p["certificate"]["valid_to"] < soon for p in expiring)
    group1 = client.get(f"{API}/products", params={"group": 1, "limit": 200}, headers=h).json()["items"]
    assert group1 and all(p["group_number"] == 1 for p in group1)
    assert client.get(f"{API}/products", params={"stars": 2}, headers=h).status_code == 422
    none = client.get(f"{API}/products", params={"certificate_status": "none"}, headers=h).json()["items"]
    assert [p["name"] for p in none] == ["Tinh dầu hồi (Nông Văn Tú)"]


def test_scope_local_officers_and_producers(client, as_user):
    lb, cl = as_user("local_locbinh"), as_user("local_chilang")
    dongbanh = producer_id(client, as_user("coordinator"), "dong banh")
    assert client.get(f"{API}/producers/{dongbanh}", headers=cl).status_code == 200
    r = client.get(f"{API}/producers/{dongbanh}", headers=lb)
    assert r.status_code == 404 and r.json()["code"] == "producer_not_found"
    lb_names = {p["name"] for p in client.get(f"{API}/products", params={"limit": 200}, headers=lb).json()["items"]}
    assert "Rượu khoai lang Lộc Bình" in lb_names and "Na Chi Lăng" not in lb_names
    mine = client.get(f"{API}/producers", headers=as_user("producer_dongbanh")).json()["items"]
    assert [p["id"] for p in mine] == [dongbanh]
    products = client.get(f"{API}/products", headers=as_user("producer_dongbanh")).json()["items"]
    assert [p["name"] for p in products] == ["Na Chi Lăng"]


def test_create_producer_validation_permissions_and_audit(client, as_user, session):
    unit = unit_id(session, "06463")  # Xã Chi Lăng
    body = {"kind": "cooperative", "name": "HTX Thử nghiệm Chi Lăng", "admin_unit_id": unit,
            "tax_code": make_tax_code("490012346"), "phone": "0205 3812 000"}
    assert client.post(f"{API}/producers", json=body, headers=as_user("viewer")).status_code == 403
    assert client.post(f"{API}/producers", json=body, headers=as_user("inspector1")).status_code == 403
    bad = client.post(f"{API}/producers", json={**body, "tax_code": "4900123450"}, headers=as_user("coordinator"))
    assert bad.status_code == 422 and "Mã số thuế" in str(bad.json()["errors"])
    assert client.post(f"{API}/producers", json={**body, "kind": "company"},
                       headers=as_user("coordinator")).status_code == 422
    # a local officer registers an applicant in their own units (a commune formed from their district) ...
    r = client.post(f"{API}/producers", json=body, headers=as_user("local_chilang"))
    assert r.status_code == 201, r.text
    assert r.json()["product_count"] == 0 and r.headers["location"].endswith(str(r.json()["id"]))
    # ... but not elsewhere
    r2 = client.post(f"{API}/producers", json={**body, "name": "HTX khác", "tax_code": None,
                                               "admin_unit_id": unit_id(session, "06529")},
                     headers=as_user("local_chilang"))
    assert r2.status_code == 422
    dup = client.post(f"{API}/producers", json={**body, "name": "HTX trùng"}, headers=as_user("coordinator"))
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_tax_code"
    assert count(session, AuditEvent, AuditEvent.action == "producer.create") == 1
    pid = r.json()["id"]
    patch = client.patch(f"{API}/producers/{pid}", json={"status": "suspended"},
                         headers={**as_user("coordinator"), "If-Match": '"1"'})
    assert patch.status_code == 200 and patch.json()["status"] == "suspended"
    assert client.patch(f"{API}/producers/{pid}", json={"status": "ceased"},
                        headers={**as_user("coordinator"), "If-Match": '"1"'}).status_code == 412
    assert client.patch(f"{API}/producers/{pid}", json={"status": "ceased"},
                        headers=as_user("coordinator")).status_code == 428


def test_certificate_lifecycle_supersede_and_revoke(client, as_user, session):
    h = as_user("coordinator")
    pid = producer_id(client, h, "dong banh")
    product = client.post(f"{API}/products", json={"producer_id": pid, "name": "Na dai Đồng Bành",
                                                   "product_set_id": None}, headers=h)
    assert product.status_code == 201
    prod_id = product.json()["id"]
    assert client.post(f"{API}/products", json={"producer_id": pid, "name": "NA DAI DONG BANH"},
                       headers=h).status_code == 409
    first = client.post(f"{API}/certificates", headers=h, json={
        "product_id": prod_id, "decision_number": "100/QĐ-UBND", "decision_date": "2023-05-10", "stars": 3,
        "score": 65})
    assert first.status_code == 201, first.text
    assert first.json()["valid_to"] == "2026-05-09" and first.json()["criteria_version_id"]
    bad = client.post(f"{API}/certificates", headers=h, json={
        "product_id": prod_id, "decision_date": "2024-05-10", "stars": 4, "score": 60})
    assert bad.status_code == 422
    older = client.post(f"{API}/certificates", headers=h, json={
        "product_id": prod_id, "decision_date": "2023-01-10", "stars": 3})
    assert older.status_code == 409
    second = client.post(f"{API}/certificates", headers=h, json={
        "product_id": prod_id, "decision_number": "200/QĐ-UBND", "decision_date": "2025-11-20", "stars": 4,
        "score": 75.5})
    assert second.status_code == 201
    old = client.get(f"{API}/certificates/{first.json()['id']}", headers=h).json()
    assert old["status"] == "superseded" and old["superseded_by_id"] == second.json()["id"]
    assert client.get(f"{API}/products/{prod_id}", headers=h).json()["certificate"]["stars"] == 4
    cid = second.json()["id"]
    rev = {"decision_number": "300/QĐ-UBND", "decision_date": today().isoformat(),
           "reason": "Không duy trì sản xuất theo quy trình"}
    assert client.post(f"{API}/certificates/{cid}/revocation", json=rev, headers=as_user("leader")).status_code == 403
    assert client.post(f"{API}/certificates/{cid}/revocation", json=rev, headers=h).status_code == 428
    r = client.post(f"{API}/certificates/{cid}/revocation", json=rev, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["status"] == "revoked" and r.json()["revocation_reason"]
    again = client.post(f"{API}/certificates/{cid}/revocation", json=rev, headers={**h, "If-Match": '"2"'})
    assert again.status_code == 409
    actions = {e.action for e in session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "certificate"))}
    assert {"certificate.create", "certificate.supersede", "certificate.revoke"} <= actions


def test_stamps_only_for_a_valid_certificate(client, as_user):
    h = as_user("coordinator")
    valid = client.get(f"{API}/products", params={"certificate_status": "valid"}, headers=h).json()["items"][0]
    expired = client.get(f"{API}/products", params={"certificate_status": "expired"}, headers=h).json()["items"][0]
    stars = valid["certificate"]["stars"]
    body = {"issued_on": today().isoformat(), "quantity": 1000, "stars": stars, "serial_from": "LS-000001",
            "serial_to": "LS-001000"}
    r = client.post(f"{API}/products/{valid['id']}/stamp-issues", json=body, headers=h)
    assert r.status_code == 201, r.text
    assert client.post(f"{API}/products/{valid['id']}/stamp-issues", json={**body, "quantity": 999},
                       headers=h).status_code == 422
    assert client.post(f"{API}/products/{valid['id']}/stamp-issues", json={**body, "stars": 5 if stars != 5 else 3},
                       headers=h).status_code == 422
    r = client.post(f"{API}/products/{expired['id']}/stamp-issues",
                    json={**body, "stars": expired["certificate"]["stars"]}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "certificate_not_valid"
    listed = client.get(f"{API}/products/{valid['id']}/stamp-issues", headers=as_user("viewer")).json()["items"]
    assert [s["quantity"] for s in listed] == [1000]


def test_public_verification_without_sign_in(client, as_user, settings, monkeypatch):
    from ocop.core.ratelimit import public_limiter

    public_limiter.reset()
    cert = client.get(f"{API}/certificates", params={"status": "valid"}, headers=as_user("viewer")).json()["items"][0]
    r = client.get(f"{API}/public/certificates/{cert['certificate_number']}")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"certificate_number", "product_name", "producer_name", "stars", "valid_from", "valid_to",
                         "status", "as_of"}
    assert body["status"] == "valid" and body["product_name"] == cert["product_name"]
    missing = client.get(f"{API}/public/certificates/NO-SUCH-NUMBER")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    monkeypatch.setattr(settings, "public_rate_limit", 3)
    public_limiter.reset()
    codes = [client.get(f"{API}/public/certificates/{cert['certificate_number']}").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = client.get(f"{API}/public/certificates/{cert['certificate_number']}")
    assert int(r.headers["retry-after"]) >= 1
    public_limiter.reset()


def test_exports_stream_the_whole_filtered_list(client, as_user):
    import csv
    import io

    from openpyxl import load_workbook

    h = as_user("viewer")
    r = client.get(f"{API}/products", params={"format": "csv", "limit": 2}, headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "san-pham-ocop.csv" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Tên sản phẩm", "Chủ thể"] and len(rows) == 41  # not one page: all 40
    r = client.get(f"{API}/products", params={"format": "xlsx", "q": "ruou"}, headers=h)
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names and all("Rượu" in n for n in names)
    lb = client.get(f"{API}/producers", params={"format": "csv"}, headers=as_user("local_locbinh"))
    text = lb.content.decode("utf-8-sig")
    assert "Đồng Bành" not in text and "Lộc Bình" in text
    assert client.get(f"{API}/products", params={"format": "pdf"}, headers=h).status_code == 422


def test_taxonomy_is_versioned_data(client, as_user):
    body = client.get(f"{API}/taxonomy", headers=as_user("viewer")).json()
    assert body["criteria_version"]["decision_number"] == "148/QĐ-TTg"
    assert len(body["groups"]) == 6 and len(body["sets"]) == 26
    assert [s["number"] for s in body["sets"]] == list(range(1, 27))
    assert all(s["confirmed"] == (s["number"] <= 7) for s in body["sets"])
    old = client.get(f"{API}/taxonomy", params={"on": "2020-01-01"}, headers=as_user("viewer")).json()
    assert old["criteria_version"]["decision_number"] == "1048/QĐ-TTg"


def test_nothing_half_written_on_a_rejected_product(client, as_user, session):
    before = count(session, Product), count(session, AuditEvent)
    h = as_user("coordinator")
    assert client.post(f"{API}/products", json={"producer_id": 999999, "name": "X"}, headers=h).status_code == 404
    assert client.post(f"{API}/products", json={"producer_id": 1, "name": ""}, headers=h).status_code == 422
    assert client.post(f"{API}/products", json={"producer_id": 1, "name": "X", "product_set_id": 9999},
                       headers=h).status_code == 422
    assert (count(session, Product), count(session, AuditEvent)) == before


def test_renaming_a_producer_keeps_product_search_in_step(client, as_user):
    h = as_user("coordinator")
    pid = producer_id(client, h, "dong banh")
    version = client.get(f"{API}/producers/{pid}", headers=h).json()["version"]
    r = client.patch(f"{API}/producers/{pid}", json={"name": "HTX Nông sản Đồng Bành Xanh"},
                     headers={**h, "If-Match": f'"{version}"'})
    assert r.status_code == 200
    found = client.get(f"{API}/products", params={"q": "nong san dong banh xanh"}, headers=h).json()["items"]
    assert [p["name"] for p in found] == ["Na Chi Lăng"]
    assert client.get(f"{API}/products", params={"q": "dich vu va san xuat"}, headers=h).json()["items"] == []
    # a product renamed is found by its new name together with its producer's
    prod = found[0]
    r = client.patch(f"{API}/products/{prod['id']}", json={"name": "Na dai Chi Lăng"},
                     headers={**h, "If-Match": f'"{prod["version"]}"'})
    assert r.status_code == 200
    assert [p["name"] for p in client.get(f"{API}/products", params={"q": "na dai chi lang htx nong san"},
                                          headers=h).json()["items"]] == ["Na dai Chi Lăng"]
