"""GET /compliance/statuses: the current status of every visible product (pages, filters, visibility, exports)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from ocop import api
from ocop.compliance.models import ComplianceStatus
from ocop.core.dates import add_months, today
from ocop.registry.models import Certificate
from tests.campaigns.helpers import API, unit_id
from tests.exports.helpers import (
    assert_csv_matches_xlsx,
    column,
    csv_rows,
    is_problem_422,
    local,
    pages,
    xlsx,
)

PATH = "compliance/statuses"
HEADER = ["Mã sản phẩm", "Sản phẩm", "Chủ thể", "Đơn vị hành chính", "Tình trạng tuân thủ", "Lý do",
          "Số giấy chứng nhận", "Hạng sao", "Hiệu lực đến", "Tình trạng giấy chứng nhận",
          "Phát hiện mức nhẹ chưa khắc phục", "Phát hiện mức nặng chưa khắc phục",
          "Phát hiện mức nghiêm trọng chưa khắc phục", "Cập nhật lúc"]
STATUS = {"compliant": "Tuân thủ", "conditional": "Có điều kiện", "non_compliant": "Không tuân thủ",
          "expired": "Hết hiệu lực", "revoked": "Bị thu hồi", "not_certified": "Chưa chứng nhận"}


def product_ids(client, headers, **params):
    return {p["id"] for p in pages(client, "products", headers, **params)[0]}


def test_pages_through_every_visible_product_with_its_status(client, as_user, catalogue):
    co = as_user("coordinator")
    listed, n = pages(client, PATH, co)
    ids = [s["product_id"] for s in listed]
    assert n == 2 and len(ids) == 56 and ids == sorted(ids) and set(ids) == product_ids(client, co)
    small, n = pages(client, PATH, co, limit=9)
    assert [s["product_id"] for s in small] == ids and n == 7
    by_id = {s["product_id"]: s for s in listed}
    for p in catalogue["products"]:
        item = by_id[p["id"]]
        assert (item["product_name"], item["producer_id"], item["producer_name"]) == (
            p["name"], p["producer_id"], p["producer_name"])
        one = client.get(f"{API}/compliance/products/{p['id']}", headers=co).json()
        assert (item["status"], item["certificate"], item["open_findings"]) == (
            one["status"], one["certificate"], one["open_findings"])
        assert item["status"] == ("not_certified" if p["name"].endswith(("03", "07", "11", "15")) else "compliant")
    na = by_id[catalogue["na"]["id"]]
    assert na["admin_unit_name"] == "Xã Chi Lăng" and na["status"] == "conditional"
    assert na["open_findings"] == {"minor": 1, "major": 0, "critical": 0} and na["reasons"]


def test_filters(client, session, as_user, catalogue):
    co = as_user("coordinator")
    everything = pages(client, PATH, co)[0]
    for st in ("compliant", "not_certified", "expired"):
        listed = pages(client, PATH, co, status=st)[0]
        assert listed and [s["product_id"] for s in listed] == [s["product_id"] for s in everything
                                                                if s["status"] == st], st
    locbinh = unit_id(session, "188")
    listed = pages(client, PATH, co, unit_id=locbinh)[0]
    assert {s["product_id"] for s in listed} == product_ids(client, co, unit_id=locbinh)
    assert {p["id"] for p in catalogue["products"][10:15]} <= {s["product_id"] for s in listed}
    mine = pages(client, PATH, co, producer_id=catalogue["producer"]["id"])[0]
    assert [s["product_id"] for s in mine] == [catalogue["products"][15]["id"]]
    assert is_problem_422(client.get(f"{API}/{PATH}", params={"status": "valid"}, headers=co), "status")
    assert is_problem_422(client.get(f"{API}/{PATH}", params={"format": "ods"}, headers=co), "format")


def test_what_the_caller_may_not_see_is_absent(client, session, as_user, as_client, monkeypatch, catalogue):
    na = catalogue["na"]["id"]
    for username in ("local_locbinh", "local_chilang", "producer_dongbanh", "viewer"):
        h = as_user(username)
        listed = {s["product_id"] for s in pages(client, PATH, h)[0]}
        assert listed == product_ids(client, h), username
    assert na not in {s["product_id"] for s in pages(client, PATH, as_user("local_locbinh"))[0]}
    own = {s["product_id"] for s in pages(client, PATH, as_user("producer_dongbanh"))[0]}
    assert own == {na} | {p["id"] for p in catalogue["products"][:10]}
    # partner systems read it with compliance:read
    assert api.CLIENT_ROUTES[("GET", "/compliance/statuses")] == "compliance:read"
    h = as_client("compliance:read", admin_unit_id=unit_id(session, "188"))
    listed = {s["product_id"] for s in pages(client, PATH, h)[0]}
    assert listed == {s["product_id"] for s in pages(client, PATH, as_user("local_locbinh"))[0]}
    assert na not in listed
    r = client.get(f"{API}/{PATH}", headers=as_client("registry:read"))
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"


def test_statuses_that_time_has_moved_are_brought_up_to_date(client, session, as_user, catalogue):
    co = as_user("coordinator")
    pid = catalogue["products"][3]["id"]  # not yet recognised
    r = client.post(f"{API}/certificates", headers=co, json={
        "product_id": pid, "decision_date": add_months(today(), -2).isoformat(), "stars": 3,
        "valid_to": (today() + timedelta(days=10)).isoformat()})
    assert r.status_code == 201, r.text
    item = next(s for s in pages(client, PATH, co)[0] if s["product_id"] == pid)
    assert item["status"] == "compliant" and item["certificate"]["status"] == "expiring"
    # days pass and the daily job has not run: the certificate ended yesterday, the stored status is due
    session.execute(sa.update(Certificate).where(Certificate.product_id == pid).values(
        valid_to=today() - timedelta(days=1)))
    session.execute(sa.update(ComplianceStatus).where(ComplianceStatus.product_id == pid).values(
        next_check_on=today()))
    session.commit()
    expired = pages(client, PATH, co, status="expired")[0]
    assert pid in {s["product_id"] for s in expired}
    item = next(s for s in expired if s["product_id"] == pid)
    assert item["certificate"]["status"] == "expired" and item["reasons"][0]["code"] == "certificate_expired"


def test_export_is_the_whole_filtered_list(client, session, as_user, catalogue):
    co = as_user("coordinator")
    listed, _ = pages(client, PATH, co)
    r, header, rows = xlsx(client, PATH, co)
    assert "tinh-trang-tuan-thu-ocop.xlsx" in r.headers["content-disposition"]
    assert header == HEADER
    assert column(header, rows, "Mã sản phẩm") == [s["product_id"] for s in listed]
    assert column(header, rows, "Sản phẩm") == [s["product_name"] for s in listed]
    assert column(header, rows, "Chủ thể") == [s["producer_name"] for s in listed]
    assert column(header, rows, "Tình trạng tuân thủ") == [STATUS[s["status"]] for s in listed]
    assert column(header, rows, "Lý do") == ["; ".join(x["detail"] for x in s["reasons"]) or None for s in listed]
    assert column(header, rows, "Hạng sao") == [(s["certificate"] or {}).get("stars") for s in listed]
    assert [d.date() if d else None for d in column(header, rows, "Hiệu lực đến")] == [
        date.fromisoformat(s["certificate"]["valid_to"]) if s["certificate"] else None for s in listed]
    for label, key in (("Phát hiện mức nhẹ chưa khắc phục", "minor"), ("Phát hiện mức nặng chưa khắc phục", "major"),
                       ("Phát hiện mức nghiêm trọng chưa khắc phục", "critical")):
        assert column(header, rows, label) == [s["open_findings"][key] for s in listed]
    assert [d.replace(second=0, microsecond=0) for d in column(header, rows, "Cập nhật lúc")] == [
        local(s["updated_at"]).replace(second=0, microsecond=0) for s in listed]
    r, c_header, c_rows = csv_rows(client, PATH, co)
    assert "tinh-trang-tuan-thu-ocop.csv" in r.headers["content-disposition"]
    assert_csv_matches_xlsx(header, rows, c_header, c_rows)
    for username, params in (("coordinator", {"status": "not_certified"}), ("local_locbinh", {}),
                             ("producer_dongbanh", {}), ("viewer", {"unit_id": unit_id(session, "187")})):
        h = as_user(username)
        listed = pages(client, PATH, h, **params)[0]
        _, header, rows = xlsx(client, PATH, h, **params)
        assert listed and column(header, rows, "Mã sản phẩm") == [s["product_id"] for s in listed], username
