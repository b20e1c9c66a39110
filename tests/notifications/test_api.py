"""The caller's own notifications over HTTP: list (newest first, cursor pages, unread filter), the unread count,
marking one or all read; someone else's is 404, no sign-in 401, an API client 403."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.core.db import utcnow
from ocop.notifications.models import Notification
from tests.campaigns.helpers import API
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user

URL = f"{API}/notifications"


def inbox(session, user_id, n):
    now = utcnow()
    rows = [Notification(user_id=user_id, kind="task.overdue", title=f"Nhiệm vụ quá hạn số {i}",
                         body=f"Nhiệm vụ số {i} đã quá hạn.", link="/ke-hoach/1?tab=nhiem-vu", subject_type="task",
                         subject_id=i, created_at=now) for i in range(n)]
    session.add_all(rows)
    session.commit()
    return [r.id for r in rows]


def headers_of(client, user):
    return {"Authorization": f"Bearer {sign_in(client, user.username, PASSWORD)['access_token']}"}


def test_list_pages_newest_first_and_filters_unread(client, session):
    me, other = make_user(session, "viewer"), make_user(session, "viewer")
    mine = inbox(session, me.id, 5)
    theirs = inbox(session, other.id, 2)
    h = headers_of(client, me)
    assert client.get(f"{URL}/unread-count", headers=h).json() == {"unread": 5}
    seen, cursor = [], None
    while True:
        r = client.get(URL, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=h)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(mine, reverse=True) and not set(seen) & set(theirs)
    first = client.get(URL, params={"limit": 1}, headers=h).json()["items"][0]
    assert first["title"] == "Nhiệm vụ quá hạn số 4" and first["read_at"] is None and first["kind"] == "task.overdue"
    assert first["link"] == "/ke-hoach/1?tab=nhiem-vu" and first["subject_type"] == "task"

    r = client.post(f"{URL}/{mine[1]}/read", headers=h)
    assert r.status_code == 200 and r.json()["id"] == mine[1] and r.json()["read_at"]
    again = client.post(f"{URL}/{mine[1]}/read", headers=h).json()
    assert again["read_at"] == r.json()["read_at"]  # reading twice keeps the first time
    assert client.get(f"{URL}/unread-count", headers=h).json() == {"unread": 4}
    unread = [i["id"] for i in client.get(URL, params={"unread": True}, headers=h).json()["items"]]
    assert unread == sorted(set(mine) - {mine[1]}, reverse=True)
    assert [i["id"] for i in client.get(URL, params={"unread": False}, headers=h).json()["items"]] == [mine[1]]

    r = client.post(f"{URL}/{theirs[0]}/read", headers=h)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "notification_not_found"
    assert client.post(f"{URL}/999999999/read", headers=h).status_code == 404

    assert client.post(f"{URL}/read-all", headers=h).json() == {"updated": 4}
    assert client.get(f"{URL}/unread-count", headers=h).json() == {"unread": 0}
    assert client.post(f"{URL}/read-all", headers=h).json() == {"updated": 0}
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == other.id, Notification.read_at.is_(None))) == 2  # the other's stay unread
    assert client.get(f"{URL}/unread-count", headers=headers_of(client, other)).json() == {"unread": 2}


def test_sign_in_required_and_not_for_api_clients(client, as_client):
    for method, path in (("GET", URL), ("GET", f"{URL}/unread-count"), ("POST", f"{URL}/read-all"),
                         ("POST", f"{URL}/1/read")):
        r = client.request(method, path)
        assert r.status_code == 401 and r.json()["code"] == "not_authenticated", (method, path)
    h = as_client("compliance:read", "registry:read", "campaigns:read")
    for method, path in (("GET", URL), ("GET", f"{URL}/unread-count"), ("POST", f"{URL}/read-all"),
                         ("POST", f"{URL}/1/read")):
        r = client.request(method, path, headers=h)
        assert r.status_code == 403 and r.json()["code"] == "not_for_clients", (method, path)


def test_the_demo_coordinator_finds_reminders_in_the_list(client, as_user):
    h = as_user("coordinator")
    items = client.get(URL, params={"limit": 200}, headers=h).json()["items"]
    kinds = {i["kind"] for i in items}
    assert {"certificate.expiring", "action.overdue"} <= kinds
    cert = next(i for i in items if i["kind"] == "certificate.expiring")
    assert cert["link"].startswith("/san-pham?sp=") and "Giấy chứng nhận OCOP" in cert["title"]
    assert client.get(f"{URL}/unread-count", headers=h).json()["unread"] == len(items)


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    ops = {paths[f"{URL}{tail}"][m]["operationId"] for tail, m in (
        ("", "get"), ("/unread-count", "get"), ("/{notification_id}/read", "post"), ("/read-all", "post"))}
    assert ops == {"notifications-list", "notifications-unread-count", "notifications-read", "notifications-read-all"}
    assert paths[URL]["get"]["tags"] == ["notifications"]
