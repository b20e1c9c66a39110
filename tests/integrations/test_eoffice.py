"""E-office exchange: edXML out and back in, answers joining their campaign, duplicates, hostile packages."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from ocop.campaigns.models import Campaign
from ocop.integrations import edxml
from ocop.integrations.models import EofficeDocument
from ocop.org.models import Agency
from tests.campaigns.helpers import API, seeded
from tests.conftest import count

NS = edxml.NS


@pytest.fixture
def eoffice(session, as_client, settings):
    """An e-office client (eoffice:write + campaigns:read) and our agency's e-office code on the department."""
    session.execute(sa.update(Agency).where(Agency.code == "SNNMT").values(eoffice_code=settings.eoffice_agency_code))
    session.execute(sa.update(Agency).where(Agency.code == "UBND-T").values(eoffice_code="000.00.00.H36"))
    session.commit()
    return as_client("eoffice:write", "campaigns:read")

def word_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def post(client, headers, data: bytes):
    return client.post(f"{API}/eoffice/inbound", content=data, headers={**headers, "Content-Type": "application/xml"})


def test_round_trip_a_plan_out_and_back_in(client, session, as_user, eoffice):
    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=as_user("coordinator"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert r.headers["content-disposition"].endswith('.edxml"')
    package = r.content
    parsed = edxml.parse(package)
    original = client.get(f"{API}/campaigns/{cid}", headers=as_user("coordinator")).json()
    assert parsed.number == original["document_number"] and parsed.doc_type == "KH"
    assert [o.organ_id for o in parsed.receivers] == ["000.00.00.H36"]  # UBND tỉnh, the one with a code
    assert parsed.attachments[0].name == "ke-hoach.docx"
    word = word_text(parsed.attachments[0].data)
    assert "KẾ HOẠCH" in word and f"Số: {original['document_number']}" in word
    # the package comes back as a received plan: a draft campaign with the same header fields
    r = post(client, eoffice, package)
    assert r.status_code == 201, r.text
    doc = r.json()
    new = client.get(f"{API}/campaigns/{doc['campaign_id']}", headers=as_user("coordinator")).json()
    assert new["status"] == "draft" and new["id"] != cid
    for field in ("title", "document_number", "document_date", "place", "signer_title", "signer_name"):
        assert new[field] == original[field], field
    assert [r["name"] for r in new["recipients"]][0].startswith("UBND tỉnh")
    assert doc["attachments"][0]["name"] == "ke-hoach.docx"
    # the same DocumentId again changes nothing
    again = post(client, eoffice, package)
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["id"] == doc["id"]
    assert count(session, Campaign) == 3


def answer(document_id: str, response_for: str) -> bytes:
    return edxml.build(edxml.Package(
        document_id=document_id, sender=edxml.Organ("000.00.00.H36", "UBND tỉnh Lạng Sơn"), receivers=[],
        code_number="15", code_notation="CV-UBND", place="Lạng Sơn", promulgation_date=None, doc_type="CV",
        type_name="Công văn", subject="Về việc kế hoạch kiểm tra OCOP", response_for_document_id=response_for))


def test_an_answer_joins_the_campaign_it_answers(client, session, as_user, eoffice):
    cid = seeded(session, 2024)
    sent = edxml.parse(client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=eoffice).content)
    r = post(client, eoffice, answer("000.00.00.H36,2026,77", sent.document_id))
    assert r.status_code == 201 and r.json()["campaign_id"] == cid
    r = post(client, eoffice, answer("000.00.00.H36,2026,78", "somebody-else,1"))
    assert r.status_code == 422 and r.json()["code"] == "edxml_unknown_response"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<DocumentId>&xxe;</DocumentId></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""


@pytest.mark.parametrize("data, code", [
    (XXE, "edxml_invalid"),
    (LAUGHS, "edxml_invalid"),
    (b"<edXML xmlns='http://example.org/other'><x/></edXML>", "edxml_invalid"),
    (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><unclosed>", "edxml_invalid"),
    (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><edXMLEnvelope/></edXML>", "edxml_invalid"),
])
def test_hostile_or_malformed_packages_are_refused_and_write_nothing(client, session, eoffice, data, code):
    before = (count(session, EofficeDocument), count(session, Campaign))
    r = post(client, eoffice, data)
    assert r.status_code == 422 and r.json()["code"] == code, r.text
    assert (count(session, EofficeDocument), count(session, Campaign)) == before


def test_oversized_packages_and_callers_without_the_scope(client, session, as_user, eoffice, settings, monkeypatch):
    monkeypatch.setattr(settings, "eoffice_max_bytes", 1000)
    assert post(client, eoffice, b"<x>" + b"a" * 2000 + b"</x>").status_code == 413
    assert post(client, as_user("coordinator"), b"<x/>").status_code == 403
    unknown = edxml.build(edxml.Package(
        document_id="X,1", sender=edxml.Organ("999.99.99.Z99"), receivers=[], code_number="1", code_notation="KH-X",
        place="Hà Nội", promulgation_date=None, doc_type="KH", type_name="Kế hoạch", subject="Kế hoạch lạ"))
    monkeypatch.setattr(settings, "eoffice_max_bytes", 20 * 1024 * 1024)
    r = post(client, eoffice, unknown)
    assert r.status_code == 422 and r.json()["code"] == "edxml_unknown_sender"


def test_notices_travel_as_a_notice_package(client, session, as_user, eoffice):
    from tests.factories import unit_id

    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/notice.edxml", params={"unit_id": unit_id(session, "187")},
                   headers=eoffice)
    assert r.status_code == 200
    pkg = edxml.parse(r.content)
    assert pkg.doc_type == "TB" and pkg.type_name == "Thông báo" and pkg.subject.startswith("Thông báo lịch")
    word = word_text(pkg.attachments[0].data)
    assert word.count("THÔNG BÁO") == 1 and "tại Huyện Chi Lăng" in word and "Lộc Bình" not in word
    r = client.get(f"{API}/campaigns/{cid}/documents/report.edxml", headers=eoffice)
    assert r.status_code == 200
    report = edxml.parse(r.content)
    assert report.doc_type == "BC" and "BÁO CÁO" in word_text(report.attachments[0].data)
    assert client.get(f"{API}/campaigns/{cid}/documents/minutes.edxml", headers=eoffice).status_code == 404
