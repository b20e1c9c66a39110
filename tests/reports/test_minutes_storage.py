"""Approving a visit does not depend on file storage: minutes rendered while storage is away are kept in the
database, served as frozen, and written to storage once it is back (by the worker or the first download)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ocop.campaigns.models import Visit
from ocop.core import storage
from ocop.reports import service as reports
from ocop.reports.models import VisitMinutes
from tests.campaigns.helpers import API, seeded
from tests.reports.test_templates import text_of


def submitted_visits(session, cid: int) -> list[int]:  # type: ignore[no-untyped-def]
    return list(session.scalars(sa.select(Visit.id).where(Visit.campaign_id == cid, Visit.status == "submitted")
                                .order_by(Visit.id)))


def break_storage(monkeypatch, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(settings, "storage_dir", blocker / "files")


def test_approval_commits_while_storage_is_away_and_the_minutes_follow(client, session, as_user, settings,
                                                                       monkeypatch, tmp_path, storage_dir):
    cid = seeded(session, 2024)
    vid = submitted_visits(session, cid)[0]
    break_storage(monkeypatch, settings, tmp_path)
    r = client.post(f"{API}/visits/{vid}/transitions", json={"to": "approved"}, headers=as_user("leader"))
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(Visit, vid).status == "approved"
    frozen = session.get(VisitMinutes, vid)
    assert frozen is not None and frozen.pending_content and frozen.size == len(frozen.pending_content)
    kept = frozen.pending_content
    # still away: the minutes are served from the database, as frozen
    co = as_user("coordinator")
    r = client.get(f"{API}/visits/{vid}/documents/minutes.docx", headers=co)
    assert r.status_code == 200 and r.content == kept and "BIÊN BẢN" in text_of(r.content)
    # storage is back: the worker's turn writes them, with the same bytes
    monkeypatch.setattr(settings, "storage_dir", storage_dir)
    assert reports.store_pending_minutes() == 1
    session.expire_all()
    frozen = session.get(VisitMinutes, vid)
    assert frozen.pending_content is None and storage.path_of(frozen.storage_key).read_bytes() == kept
    assert reports.store_pending_minutes() == 0
    r = client.get(f"{API}/visits/{vid}/documents/minutes.docx", headers=co)
    assert r.status_code == 200 and r.content == kept


def test_the_first_download_after_storage_returns_writes_the_file(client, session, as_user, settings, monkeypatch,
                                                                  tmp_path, storage_dir):
    cid = seeded(session, 2024)
    vid = submitted_visits(session, cid)[0]
    break_storage(monkeypatch, settings, tmp_path)
    assert client.post(f"{API}/visits/{vid}/transitions", json={"to": "approved"},
                       headers=as_user("leader")).status_code == 200
    session.expire_all()
    kept = session.get(VisitMinutes, vid).pending_content
    monkeypatch.setattr(settings, "storage_dir", storage_dir)
    r = client.get(f"{API}/visits/{vid}/documents/minutes.docx", headers=as_user("coordinator"))
    assert r.status_code == 200 and r.content == kept
    session.expire_all()
    frozen = session.get(VisitMinutes, vid)
    assert frozen.pending_content is None and storage.path_of(frozen.storage_key).read_bytes() == kept


def test_stored_minutes_are_not_rewritten_while_storage_is_away(client, session, as_user, settings, monkeypatch,
                                                                tmp_path, storage_dir):
    """A file that storage cannot show right now is not lost: 503, not minutes rendered again from today's data."""
    cid = seeded(session, 2024)
    vid = submitted_visits(session, cid)[0]
    assert client.post(f"{API}/visits/{vid}/transitions", json={"to": "approved"},
                       headers=as_user("leader")).status_code == 200
    session.expire_all()
    first = session.get(VisitMinutes, vid)
    key, data = first.storage_key, storage.path_of(first.storage_key).read_bytes()
    break_storage(monkeypatch, settings, tmp_path)
    r = client.get(f"{API}/visits/{vid}/documents/minutes.docx", headers=as_user("coordinator"))
    assert r.status_code == 503 and r.json()["code"] == "storage_unavailable" and r.headers["retry-after"]
    monkeypatch.setattr(settings, "storage_dir", storage_dir)
    r = client.get(f"{API}/visits/{vid}/documents/minutes.docx", headers=as_user("coordinator"))
    assert r.status_code == 200 and r.content == data
    session.expire_all()
    assert session.get(VisitMinutes, vid).storage_key == key
