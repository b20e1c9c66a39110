"""Scope across the 2025 reorganisation: a former district covers the communes formed from it."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.core.caller import Caller
from ocop.org import policies
from ocop.org.models import AdminUnit
from tests.factories import make_user, unit_id

CHI_LANG_NEW = {"Xã Chi Lăng", "Xã Quan Sơn", "Xã Chiến Thắng", "Xã Nhân Lý", "Xã Bằng Mạc", "Xã Vạn Linh"}


def names_within(client, headers, code):
    uid = client.get("/api/v1/admin-units", params={"code": code}, headers=headers).json()["items"][0]["id"]
    items = client.get("/api/v1/admin-units", params={"within": uid, "limit": 200}, headers=headers).json()["items"]
    return {u["name"] for u in items}


def test_former_district_covers_the_communes_formed_from_it(client, as_user):
    names = names_within(client, as_user("viewer"), "187")
    assert names == {"Huyện Chi Lăng"} | CHI_LANG_NEW
    # Xã Thất Khê was formed from a "xã Chi Lăng" of Tràng Định, not of Chi Lăng district
    assert "Xã Thất Khê" not in names
    assert "Xã Thất Khê" in names_within(client, as_user("viewer"), "180")


def test_province_covers_everything_and_a_new_commune_only_itself(client, as_user):
    assert len(names_within(client, as_user("viewer"), "20")) == 77
    assert names_within(client, as_user("viewer"), "06463") == {"Xã Chi Lăng"}


def test_new_commune_knows_its_predecessors(client, as_user):
    unit = client.get("/api/v1/admin-units", params={"code": "06463"}, headers=as_user("viewer")).json()["items"][0]
    pred = client.get(f"/api/v1/admin-units/{unit['predecessor_ids'][0]}", headers=as_user("viewer")).json()
    assert pred["name"] == "Huyện Chi Lăng" and pred["valid_to"] == "2025-06-30"
    assert unit["valid_from"] == "2025-07-01" and "Thị trấn Đồng Mỏ" in unit["formed_from_text"]


def test_scope_filter_applies_to_records_in_old_and_new_units(session):
    officer = Caller(kind="user", id=1, name="x", roles=frozenset({"local_officer"}),
                     scope_unit_id=unit_id(session, "187"))
    rows = session.scalars(sa.select(AdminUnit.name).where(policies.scope_filter(officer, AdminUnit.id))).all()
    assert set(rows) == {"Huyện Chi Lăng"} | CHI_LANG_NEW
    nobody = Caller(kind="user", id=1, name="x", roles=frozenset({"local_officer"}))
    assert session.scalars(sa.select(AdminUnit.id).where(policies.scope_filter(nobody, AdminUnit.id))).all() == []
    coordinator = Caller(kind="user", id=1, name="x", roles=frozenset({"coordinator"}))
    assert len(session.scalars(sa.select(AdminUnit.id).where(policies.scope_filter(coordinator, AdminUnit.id)))
               .all()) == 77


def test_local_officer_sees_users_placed_in_old_and_new_units(client, as_user, session):
    in_new = make_user(session, "producer", username="hop.tac.xa.chilang", scope_unit="06481")  # Xã Chiến Thắng
    in_old = make_user(session, "viewer", username="can.bo.huyen", agency="UBND-H-187")
    elsewhere = make_user(session, "producer", username="hop.tac.xa.locbinh", scope_unit="06529")  # Xã Lộc Bình
    thatkhe = make_user(session, "producer", username="hop.tac.xa.thatkhe", scope_unit="06040")  # Xã Thất Khê
    officer = as_user("local_chilang")
    seen = {u["username"] for u in client.get("/api/v1/users", headers=officer).json()["items"]}
    assert {"local_chilang", in_new.username, in_old.username} <= seen
    assert elsewhere.username not in seen and thatkhe.username not in seen and "local_locbinh" not in seen
    assert client.get(f"/api/v1/users/{elsewhere.id}", headers=officer).status_code == 404
    assert client.get(f"/api/v1/users/{in_new.id}", headers=officer).status_code == 200
    seen_lb = {u["username"] for u in client.get("/api/v1/users", headers=as_user("local_locbinh")).json()["items"]}
    assert elsewhere.username in seen_lb and in_new.username not in seen_lb


def test_agencies_within_a_former_district(client, as_user):
    viewer = as_user("viewer")
    district = client.get("/api/v1/admin-units", params={"code": "187"}, headers=viewer).json()["items"][0]
    items = client.get("/api/v1/agencies", params={"within_unit": district["id"], "limit": 200},
                       headers=viewer).json()["items"]
    names = {a["name"] for a in items}
    assert "Ủy ban nhân dân huyện Chi Lăng" in names and "Ủy ban nhân dân xã Chi Lăng" in names
    assert "Ủy ban nhân dân xã Thất Khê" not in names
