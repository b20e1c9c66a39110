"""Every list of the OpenAPI document answers a malformed `?cursor=` with 422 `invalid_cursor` naming the parameter,
never a 500 (the outside security test found 13 lists answering 500)."""
from __future__ import annotations

import base64
import json
from typing import Any

import sqlalchemy as sa

from ocop.campaigns.models import Campaign, Visit
from ocop.inspections.models import Finding
from ocop.registry.models import Product
from tests.campaigns.helpers import API


def b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


MALFORMED = [
    "garbage!!", "%%%", "ñ-not-ascii", "A" * 500,  # not base64, or base64 of no JSON
    b64({"id": 1}), b64("x"), b64(7), b64(None), b64([]),  # JSON of another shape
    b64(["x"]), b64([None]), b64([True]), b64([1.5]), b64([[1]]), b64([{"a": 1}]),  # values of the wrong type
    b64([10**40]), b64([2**63]), b64([-(2**63) - 1]), b64([1e308]),  # beyond any 64-bit column
    b64(["x", 1]), b64([1, "x"]), b64([None, 1]), b64([1.5, 1]), b64([[1], 1]), b64([1, 10**30]),
    b64(["2024-01-01T00:00:00+00:00", 10**30]), b64(["not a date", 1]), b64([1, 2, "x"]), b64([1, 2, 10**30]),
    b64([1, 2, 3, 4]),
] + [base64.urlsafe_b64encode(b"\xff\xfe[1]").decode()]  # not UTF-8


def list_operations(client: Any) -> list[tuple[str, list[str]]]:
    """(path, names of its path parameters) of every GET taking a `cursor` query parameter."""
    spec = client.get(f"{API}/openapi.json").json()
    found = []
    for path, operations in spec["paths"].items():
        params = operations.get("get", {}).get("parameters", [])
        if any(p["name"] == "cursor" and p["in"] == "query" for p in params):
            found.append((path, [p["name"] for p in params if p["in"] == "path"]))
    return found


def path_values(client: Any, session: Any, admin: dict[str, str]) -> dict[str, int]:
    """A value from the demo data for every path parameter a list takes."""
    hook = client.post(f"{API}/webhooks", json={"url": "https://example.org/ocop-hook", "event_types": ["*"]},
                       headers=admin)
    assert hook.status_code == 201, hook.text
    finding = session.scalar(sa.select(Finding.id).order_by(Finding.id))
    visit = session.scalar(sa.select(Visit.id).order_by(Visit.id))
    return {
        "product_id": session.scalar(sa.select(Product.id).order_by(Product.id)),
        "campaign_id": session.scalar(sa.select(Campaign.id).where(Campaign.status == "draft").order_by(Campaign.id)),
        "visit_id": visit, "finding_id": finding, "webhook_id": hook.json()["id"],
    }


def test_every_list_answers_a_malformed_cursor_with_a_422_naming_it(client, session, as_user):
    admin = as_user("admin")
    values = path_values(client, session, admin)
    operations = list_operations(client)
    assert len(operations) >= 25  # the walk really found the lists
    unfilled = [(path, name) for path, names in operations for name in names if values.get(name) is None]
    assert not unfilled, f"no demo value for these path parameters: {unfilled}"
    failures = []
    for path, names in operations:
        url = path.format(**{n: values[n] for n in names})
        assert url.startswith(API)
        baseline = client.get(url, headers=admin)
        assert baseline.status_code == 200, (url, baseline.status_code, baseline.text)  # the list itself works
        for cursor in MALFORMED:
            r = client.get(url, params={"cursor": cursor}, headers=admin)
            ok = (r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
                  and r.json()["code"] == "invalid_cursor" and r.json()["errors"][0]["loc"] == ["query", "cursor"])
            if not ok:
                failures.append((url, cursor, r.status_code, r.text[:200]))
    assert not failures, failures


def test_the_change_feed_names_changed_since_and_still_takes_its_own_cursors(client, as_user):
    admin = as_user("admin")
    for cursor in [c for c in MALFORMED if len(c) <= 200]:  # longer is refused by the parameter's own limit
        r = client.get(f"{API}/compliance/products", params={"changed_since": cursor}, headers=admin)
        assert r.status_code == 422, (cursor, r.status_code, r.text)
        assert r.json()["code"] == "invalid_cursor" and r.json()["errors"][0]["loc"] == ["query", "changed_since"]
    first = client.get(f"{API}/compliance/products", params={"limit": 2}, headers=admin).json()
    after = client.get(f"{API}/compliance/products", params={"changed_since": first["next_cursor"], "limit": 2},
                       headers=admin)
    assert after.status_code == 200
    same = client.get(f"{API}/compliance/products", params={"cursor": first["next_cursor"], "limit": 2},
                      headers=admin)
    assert same.status_code == 200 and same.json() == after.json()


def test_a_good_cursor_still_pages(client, as_user):
    """The stricter decoding keeps every real cursor working: a list walked to its end in small pages."""
    admin = as_user("admin")
    for path in ("/audit-events", "/producers", "/findings"):
        seen, cursor, pages = [], None, 0
        while True:
            r = client.get(f"{API}{path}", params={"limit": 3, **({"cursor": cursor} if cursor else {})},
                           headers=admin)
            assert r.status_code == 200, r.text
            seen += [item["id"] for item in r.json()["items"]]
            cursor, pages = r.json()["next_cursor"], pages + 1
            if not cursor or pages > 200:
                break
        whole = [item["id"] for item in client.get(f"{API}{path}", params={"limit": 200}, headers=admin).json()["items"]]
        assert seen[:len(whole)] == whole and len(set(seen)) == len(seen) >= len(whole) and pages > 1
