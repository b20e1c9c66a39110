"""Tax codes since 1 July 2025 (Circular 86/2024/TT-BTC): household businesses use the 12-digit personal
identification number; enterprises, cooperatives and cooperative groups keep 10 digits (10-3 for a branch)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from ocop.registry.models import Producer
from ocop.registry.schemas import ProducerCreate, tax_code_problem
from tests.factories import unit_id
from tests.registry.test_import import HEADER, job, upload
from tests.registry.test_rules import make_tax_code

API = "/api/v1"
PIN = "020190001234"  # Lạng Sơn (020), a woman born in the 1900s (1), 1990, then six digits


def _body(session, **over):
    return {"kind": "household_business", "name": "Hộ kinh doanh Hoàng Thị Mai", "tax_code": PIN,
            "admin_unit_id": unit_id(session, "06463"), **over}


def _tax_errors(r):
    assert r.status_code == 422, r.text
    return [e for e in r.json()["errors"] if e["loc"] == ["body", "tax_code"]]


def test_the_form_depends_on_the_kind():
    assert tax_code_problem(PIN, "household_business") is None
    assert tax_code_problem(make_tax_code("490012346"), "household_business") is None  # an older code
    assert tax_code_problem(make_tax_code("490012346"), "enterprise") is None
    assert tax_code_problem(make_tax_code("490012346") + "-001", "cooperative") is None
    for kind in ("enterprise", "cooperative", "cooperative_group"):
        assert "10 chữ số" in (tax_code_problem(PIN, kind) or ""), kind
    assert "12 chữ số" in (tax_code_problem("02019000123", "household_business") or "")
    assert "001 đến 096" in (tax_code_problem("000190001234", "household_business") or "")
    assert "001 đến 096" in (tax_code_problem("097190001234", "household_business") or "")
    for bad in ("0201900012345", "02019000123a", "020-190001234"):
        assert tax_code_problem(bad, "household_business") is not None, bad
    with pytest.raises(ValidationError) as err:
        ProducerCreate(kind="enterprise", name="Công ty A", admin_unit_id=1, tax_code=PIN)
    assert err.value.errors()[0]["loc"] == ("tax_code",)


def test_a_household_business_with_its_personal_number_is_created_found_and_saved(client, as_user, session):
    h = as_user("coordinator")
    r = client.post(f"{API}/producers", json=_body(session), headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["tax_code"] == PIN
    found = client.get(f"{API}/producers", params={"q": PIN}, headers=h).json()["items"]
    assert [p["id"] for p in found] == [r.json()["id"]]
    assert session.get(Producer, r.json()["id"]).tax_code == PIN
    # uniqueness as for any tax code
    dup = client.post(f"{API}/producers", json=_body(session, name="Hộ khác"), headers=h)
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_tax_code"


def test_an_enterprise_with_twelve_digits_is_refused_with_the_form_that_applies(client, as_user, session):
    r = client.post(f"{API}/producers", json=_body(session, kind="enterprise", name="Công ty TNHH Mai"),
                    headers=as_user("coordinator"))
    errors = _tax_errors(r)
    assert errors and "Mã số thuế của doanh nghiệp" in errors[0]["msg"] and "10 chữ số" in errors[0]["msg"]


def test_a_household_business_with_eleven_digits_is_refused(client, as_user, session):
    r = client.post(f"{API}/producers", json=_body(session, tax_code=PIN[:11]), headers=as_user("coordinator"))
    errors = _tax_errors(r)
    assert errors and "hộ kinh doanh" in errors[0]["msg"] and "12 chữ số" in errors[0]["msg"]


def test_patch_checks_the_kind_and_tax_code_together(client, as_user, session):
    h = as_user("coordinator")
    created = client.post(f"{API}/producers", json=_body(session), headers=h).json()
    pid = created["id"]
    # only the kind changes: the stored 12-digit number does not fit an enterprise
    r = client.patch(f"{API}/producers/{pid}", json={"kind": "enterprise"}, headers={**h, "If-Match": '"1"'})
    errors = _tax_errors(r)
    assert errors and "doanh nghiệp" in errors[0]["msg"]
    assert session.get(Producer, pid).kind == "household_business"
    # kind and a 10-digit code together are fine
    code = make_tax_code("490012346")
    r = client.patch(f"{API}/producers/{pid}", json={"kind": "enterprise", "tax_code": code},
                     headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    # only the tax code changes: a 12-digit number does not fit the (stored) enterprise kind
    r = client.patch(f"{API}/producers/{pid}", json={"tax_code": PIN}, headers={**h, "If-Match": '"2"'})
    assert _tax_errors(r)
    session.expire_all()
    assert session.get(Producer, pid).tax_code == code


def _csv(rows):
    header = [*HEADER, "Mã số thuế"]
    return "\n".join(",".join(str(c) for c in r) for r in [header, *rows]).encode()


def test_an_import_saves_a_household_business_with_its_personal_number(client, as_user, session):
    h = as_user("coordinator")
    row = [1, "Trà hoa vàng Mai", "Hộ kinh doanh Hoàng Thị Mai", "Hộ kinh doanh", "Xã Chi Lăng", 3, 60,
           "2865/QĐ-UBND", "31/12/2025", "", PIN]
    body = job(client, h, upload(client, h, _csv([row]), "ho-kinh-doanh.csv").json()["id"])
    assert body["status"] == "ready", body
    assert client.post(f"{API}/imports/{body['id']}/commit", headers=h).status_code == 202
    assert job(client, h, body["id"])["status"] == "committed"
    found = client.get(f"{API}/producers", params={"q": PIN}, headers=h).json()["items"]
    assert [(p["name"], p["kind"], p["tax_code"]) for p in found] == [
        ("Hộ kinh doanh Hoàng Thị Mai", "household_business", PIN)]
    # the same file again changes nothing
    again = job(client, h, upload(client, h, _csv([row]), "ho-kinh-doanh.csv").json()["id"])
    assert again["summary"]["unchanged"] == 1


def test_an_import_refuses_a_wrong_form_for_the_kind_naming_the_column(client, as_user, session):
    h = as_user("coordinator")
    rows = [[1, "Trà hoa vàng", "Công ty TNHH Trà Mai", "Doanh nghiệp", "Xã Chi Lăng", 3, 60, "", "", "", PIN],
            [2, "Na sấy", "Hộ kinh doanh Lý Văn Na", "Hộ kinh doanh", "Xã Chi Lăng", 3, 60, "", "", "", PIN[:11]]]
    body = job(client, h, upload(client, h, _csv(rows), "sai-mst.csv").json()["id"])
    assert body["status"] == "invalid"
    errors = [r["errors"] for r in body["rows"]]
    assert [e[0]["column"] for e in errors] == ["Mã số thuế", "Mã số thuế"]
    assert "doanh nghiệp" in errors[0][0]["message"] and "12 chữ số" in errors[1][0]["message"]
