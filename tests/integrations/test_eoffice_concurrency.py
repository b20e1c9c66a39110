"""Thirty copies of one edXML package at the same moment, against a real server (uvicorn, two workers) and a
real database: one record and one draft campaign, every other copy answered 200 as a duplicate, never a 500."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from ocop.core.config import get_settings
from ocop.integrations import edxml
from tests.conftest import DEMO_PASSWORD, pg_url
from tests.servers import live_server

COPIES = 30


@pytest.fixture
def live(private_database: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    engine = sa.create_engine(pg_url(private_database))
    with engine.begin() as c:
        c.execute(sa.text("UPDATE agency SET eoffice_code = '000.00.00.H36' WHERE code = 'UBND-T'"))
        c.execute(sa.text("UPDATE agency SET eoffice_code = :ours WHERE code = 'SNNMT'"),
                  {"ours": get_settings().eoffice_agency_code})
    engine.dispose()
    with live_server(private_database, tmp_path) as server:
        yield server.base, private_database


def test_thirty_copies_of_one_package_at_once(live: tuple[str, str]) -> None:
    base, database = live
    with httpx.Client(base_url=base, timeout=60) as c:
        admin = c.post("/api/v1/auth/token", data={"grant_type": "password", "username": "admin",
                                                    "password": DEMO_PASSWORD}).json()["access_token"]
        made = c.post("/api/v1/api-clients", json={"name": "Văn phòng điện tử", "scopes": ["eoffice:write"]},
                      headers={"Authorization": f"Bearer {admin}"}).json()
        token = c.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": made["client_id"],
                                                   "client_secret": made["client_secret"]}).json()["access_token"]
    package = edxml.build(edxml.Package(
        document_id="000.00.00.H36,2026,3030", sender=edxml.Organ("000.00.00.H36", "UBND tỉnh Lạng Sơn"),
        receivers=[], code_number="30", code_notation="KH-UBND", place="Lạng Sơn",
        promulgation_date=date(2026, 3, 2), doc_type="KH", type_name="Kế hoạch",
        subject="Kế hoạch kiểm tra sản phẩm OCOP năm 2026",
        attachments=[edxml.Attachment("kh", "ke-hoach.docx", "application/octet-stream", b"PK" + b"x" * 200_000)]))
    start = threading.Barrier(COPIES)

    def once(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
            start.wait()
            return c.post("/api/v1/eoffice/inbound", content=package, headers={"Content-Type": "application/xml"})

    with ThreadPoolExecutor(COPIES) as pool:
        results = list(pool.map(once, range(COPIES)))
    assert Counter(r.status_code for r in results) == {201: 1, 200: COPIES - 1}, \
        Counter((r.status_code, r.text[:200]) for r in results if r.status_code not in (200, 201))
    created = next(r.json() for r in results if r.status_code == 201)
    assert {r.json()["id"] for r in results} == {created["id"]}
    assert all(r.json()["duplicate"] for r in results if r.status_code == 200)
    engine = sa.create_engine(pg_url(database))
    with engine.connect() as c:
        assert c.scalar(sa.text("SELECT count(*) FROM eoffice_document WHERE document_id = '000.00.00.H36,2026,3030'")) == 1
        assert c.scalar(sa.text("SELECT count(*) FROM campaign WHERE document_number = '30/KH-UBND'")) == 1
        assert c.scalar(sa.text("SELECT count(*) FROM audit_event WHERE action = 'eoffice.receive'")) == 1
    engine.dispose()
