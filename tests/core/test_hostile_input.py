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
    r = client.post(f"{API}/campaigns/{cid}/amendments", headers=as_user("leader"),  # the leader amends
                    json={"reason": "Sửa nội dung", "changes": {"content_areas": None}})
    assert r.status_code == 422 and "content_areas" in r.text
    draft = seeded(session, 2026)
    d = client.get(f"{API}/campaigns/{draft}", headers=co)
    r = client.patch(f"{API}/campaigns/{draft}", json={"title": None, "purposes": None},
                     headers={**co, "If-Match": d.headers["etag"]})
    assert r.status_code == 422 and "purposes" in r.text and "title" in r.text
    assert client.get(f"{API}/campaigns/{cid}", headers=co).json() == before
    assert client.get(f"{API}/campaigns/{draft}", headers=co).json()["version"] == d.json()["version"]


# ---- control characters in text -----------------------------------------------------------------------------

def refused(r, loc):  # type: ignore[no-untyped-def]
    """A 422 problem naming `loc` as holding a control character."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert [e["loc"] for e in errors if e["type"] == "control_character"] == [loc], errors
    return errors


def test_control_characters_are_refused_in_names_titles_and_usernames(client, session, as_user):
    from tests.factories import unit_id

    co, admin = as_user("coordinator"), as_user("admin")
    producer = {"kind": "cooperative", "name": "HTX Nông sản\u0001 Chi Lăng", "admin_unit_id": unit_id(session, "06463")}
    refused(client.post(f"{API}/producers", json=producer, headers=co), ["body", "name"])
    refused(client.post(f"{API}/producers", json={**producer, "name": "HTX Nông sản\nChi Lăng"}, headers=co),
            ["body", "name"])  # a name is one line
    refused(client.post(f"{API}/producers", json={**producer, "name": "HTX Chi Lăng", "note": "ghi chú\u007f"},
                        headers=co), ["body", "note"])
    ok = client.post(f"{API}/producers", json={**producer, "name": "HTX Chi Lăng", "note": "dòng một\ndòng hai\t."},
                     headers=co)
    assert ok.status_code == 201, ok.text  # free text keeps its line breaks and tabs
    assert ok.json()["note"] == "dòng một\ndòng hai\t."

    from tests.campaigns.helpers import draft

    plan = {"title": "Kiểm tra sản phẩm OCOP\u0000 quý III", "year": 2026, "place": "Lạng Sơn"}
    refused(client.post(f"{API}/campaigns", json=plan, headers=co), ["body", "title"])
    refused(client.post(f"{API}/campaigns", json={**plan, "title": "Kiểm tra\tquý III"}, headers=co),
            ["body", "title"])
    # inside a nested object, the error names the field itself
    c = draft(client, session, co)
    bases = [{"number": "148/QĐ-TTg\u001b", "issuer": "Thủ tướng Chính phủ"}]
    etag = client.get(f"{API}/campaigns/{c['id']}", headers=co).headers["etag"]
    refused(client.patch(f"{API}/campaigns/{c['id']}", json={"legal_bases": bases}, headers={**co, "If-Match": etag}),
            ["body", "legal_bases", 0, "number"])

    user = {"username": "nguyen.van.b\n", "full_name": "Nguyễn Văn B", "password": "mat-khau-dai-1",
            "roles": ["inspector"]}
    refused(client.post(f"{API}/users", json=user, headers=admin), ["body", "username"])
    refused(client.post(f"{API}/users", json={**user, "username": "nguyen.van.b", "full_name": "Nguyễn\nVăn B"},
                        headers=admin), ["body", "full_name"])
    r = client.post(f"{API}/api-clients", json={"name": "Đối tác\u0007", "scopes": ["compliance:read"]},
                    headers=admin)
    refused(r, ["body", "name"])
    r = client.post(f"{API}/webhooks", json={"url": "https://example.org/h", "event_types": ["*"],
                                              "description": "mô tả\u0008"}, headers=admin)
    refused(r, ["body", "description"])


def test_a_finding_description_refuses_control_characters_but_keeps_line_breaks(client, session, as_user):
    from tests.integrations.test_idempotency import body

    ins = as_user("inspector1")
    refused(client.post(f"{API}/findings", json=body(session, "Nhãn thiếu\u0001 hạn sử dụng"), headers=ins),
            ["body", "description"])
    ok = client.post(f"{API}/findings", json=body(session, "Nhãn thiếu hạn sử dụng.\r\nBao bì\tkhác hồ sơ."),
                     headers=ins)
    assert ok.status_code == 201, ok.text
    assert ok.json()["description"] == "Nhãn thiếu hạn sử dụng.\r\nBao bì\tkhác hồ sơ."


def test_every_request_body_is_a_strict_model():
    """Unknown fields and control characters are refused by one shared base: every model a route reads from a
    request body (and every model nested in one) derives from it."""
    import typing

    from fastapi.routing import APIRoute
    from pydantic import BaseModel

    from ocop.api import authenticated, hot_reads, public
    from ocop.core.schemas import Strict

    def routes(items):  # type: ignore[no-untyped-def]
        for r in items:
            if isinstance(r, APIRoute):
                yield r
            elif hasattr(r, "original_router"):  # an included router
                yield from routes(r.original_router.routes)
            elif hasattr(r, "routes"):
                yield from routes(r.routes)

    def models(t, out):  # type: ignore[no-untyped-def]
        if isinstance(t, type) and issubclass(t, BaseModel) and t not in out:
            out.add(t)
            for f in t.model_fields.values():
                models(f.annotation, out)
        for a in typing.get_args(t):
            models(a, out)
        return out

    found: set[type] = set()
    for route in routes([*public.routes, *authenticated.routes, *hot_reads.routes]):
        for param in route.dependant.body_params:
            models(param.field_info.annotation, found)
    assert len(found) > 40
    assert sorted(m.__name__ for m in found if not issubclass(m, Strict)) == []
