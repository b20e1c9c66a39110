"""Inputs a fuzzer (schemathesis over the OpenAPI document) found answered with 500: now clear 4xx problems that
change nothing."""
from __future__ import annotations

from tests.campaigns.helpers import API, seeded

HUGE = "2502209718300386714996589985792"  # beyond a 64-bit id


def test_numbers_beyond_any_stored_id_are_a_422(client, as_user):
    admin = as_user("admin")
    for path in (f"/findings/{HUGE}", f"/agencies?parent_id=-{HUGE}", f"/webhooks/{HUGE}/deliveries/1/replay"):
        method = client.post if path.endswith("replay") else client.get
        r = method(f"{API}{path}", headers=admin)
        assert r.status_code in (404, 422), (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post(f"{API}/products", json={"producer_id": -int(HUGE), "name": "Sản phẩm thử"}, headers=admin)
    assert r.status_code == 422 and r.json()["code"] in ("number_out_of_range", "validation_error")


def test_an_unreadable_webhook_url_is_a_422(client, as_user):
    r = client.post(f"{API}/webhooks", json={"event_types": ["*"], "url": "http://]x"}, headers=as_user("admin"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "url"]
    r = client.post(f"{API}/webhooks", json={"event_types": ["*"], "url": "http://example.org:port/x"},
                    headers=as_user("admin"))
    assert r.status_code == 422


def test_null_for_a_list_or_a_required_field_is_a_422_and_changes_nothing(client, session, as_user):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    before = client.get(f"{API}/campaigns/{cid}", headers=co).json()
    r = client.post(f"{API}/campaigns/{cid}/amendments", headers=co,
                    json={"reason": "Sửa nội dung", "changes": {"content_areas": None}})
    assert r.status_code == 422 and "content_areas" in r.text
    draft = seeded(session, 2026)
    d = client.get(f"{API}/campaigns/{draft}", headers=co)
    r = client.patch(f"{API}/campaigns/{draft}", json={"title": None, "purposes": None},
                     headers={**co, "If-Match": d.headers["etag"]})
    assert r.status_code == 422 and "purposes" in r.text and "title" in r.text
    assert client.get(f"{API}/campaigns/{cid}", headers=co).json() == before
    assert client.get(f"{API}/campaigns/{draft}", headers=co).json()["version"] == d.json()["version"]
