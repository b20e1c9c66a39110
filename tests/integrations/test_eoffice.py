"""E-office exchange: edXML out and back in, answers joining their campaign, duplicates, hostile packages."""
from __future__ import annotations

import codecs
import hashlib
import io
import os
from datetime import date

import pytest
import sqlalchemy as sa

from ocop.campaigns.models import Campaign
from ocop.integrations import edxml, service
from ocop.integrations.models import EofficeDocument
from ocop.org.models import Agency
from tests.campaigns.helpers import API, seeded
from tests.conftest import count

NS = edxml.NS


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
    assert parsed.number == original["document_number"] and parsed.kind == "plan"
    assert (parsed.doc_type, parsed.type_detail, parsed.type_name) == ("1", "0", "Kế hoạch")
    # the recipients' agencies that have an e-office code: UBND tỉnh first, then the departments (seeded codes)
    assert [o.organ_id for o in parsed.receivers][0] == "000.00.00.H36"
    assert all(o.organ_id.endswith(".H36") for o in parsed.receivers)
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
    assert r.status_code == 202 and r.json()["state"] == "waiting" and r.json()["campaign_id"] is None, r.text
    assert "somebody-else,1" in r.json()["reason"]  # an answer to nothing sent from here waits in the inbox


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
    too_big = b"<x>" + b"a" * (service.package_max_bytes() - 6) + b"</x>"
    r = post(client, eoffice, too_big)
    assert r.status_code == 413 and r.json()["max_bytes"] == service.package_max_bytes(), r.text
    assert post(client, as_user("coordinator"), b"<x/>").status_code == 403
    unknown = edxml.build(edxml.Package(
        document_id="X,1", sender=edxml.Organ("999.99.99.Z99"), receivers=[], code_number="1", code_notation="KH-X",
        place="Hà Nội", promulgation_date=None, doc_type="KH", type_name="Kế hoạch", subject="Kế hoạch lạ"))
    monkeypatch.setattr(settings, "eoffice_max_bytes", 20 * 1024 * 1024)
    r = post(client, eoffice, unknown)
    assert r.status_code == 202 and r.json()["state"] == "waiting", r.text  # kept in the inbox, never lost


def test_notices_travel_as_a_notice_package(client, session, as_user, eoffice):
    from tests.factories import unit_id

    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/notice.edxml", params={"unit_id": unit_id(session, "187")},
                   headers=eoffice)
    assert r.status_code == 200
    pkg = edxml.parse(r.content)
    assert pkg.kind == "notice" and pkg.type_name == "Thông báo" and pkg.subject.startswith("Thông báo lịch")
    word = word_text(pkg.attachments[0].data)
    assert word.count("THÔNG BÁO") == 1 and "tại huyện Chi Lăng" in word and "Lộc Bình" not in word
    r = client.get(f"{API}/campaigns/{cid}/documents/report.edxml", headers=eoffice)
    assert r.status_code == 200
    report = edxml.parse(r.content)
    assert report.kind == "report" and "BÁO CÁO" in word_text(report.attachments[0].data)
    assert client.get(f"{API}/campaigns/{cid}/documents/minutes.edxml", headers=eoffice).status_code == 404


def plan(document_id: str = "000.00.00.H36,2026,501", **fields: object) -> edxml.Package:
    """A plan (KH) from the provincial People's Committee (000.00.00.H36 in the fixture)."""
    values: dict[str, object] = dict(
        document_id=document_id, sender=edxml.Organ("000.00.00.H36", "UBND tỉnh Lạng Sơn"), receivers=[],
        code_number="15", code_notation="KH-UBND", place="Lạng Sơn", promulgation_date=date(2026, 3, 2),
        doc_type="KH", type_name="Kế hoạch", subject="Kế hoạch kiểm tra sản phẩm OCOP năm 2026")
    values.update(fields)
    return edxml.Package(**values)  # type: ignore[arg-type]


def test_long_texts_fit_and_long_identifiers_are_refused_by_name(client, session, as_user, eoffice):
    r = post(client, eoffice, edxml.build(plan(subject="Kiểm tra " * 625, place="Lạng Sơn " * 112,
                                               signer_name="Nguyễn Văn A" * 40, content="Nội dung. " * 1000,
                                               code_number="9" * 50)))
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["number"] == "9" * 50 + "/KH-UBND"  # 58 characters: kept whole
    assert doc["subject"] == ("Kiểm tra " * 625).strip()  # the inbox keeps the whole subject (5,000 characters)
    c = client.get(f"{API}/campaigns/{doc['campaign_id']}", headers=as_user("coordinator")).json()
    assert len(c["title"]) == 500 and c["title"].endswith("…") and 90 <= len(c["place"]) <= 100
    assert len(c["signer_name"]) <= 200 and c["signer_name"].endswith("…")

    before = (count(session, EofficeDocument), count(session, Campaign))
    for package, element in (
            (plan("000.00.00.H36,2026,502", code_number="8" * 53, code_notation="KH-UBND"), "Code/CodeNumber"),
            (plan("D" * 201), "DocumentId"),
            (plan("000.00.00.H36,2026,503", doc_type="K" * 21), "DocumentType/Type"),
            (plan("000.00.00.H36,2026,504", promulgation_date=date(1990, 1, 1)), "PromulgationInfo/PromulgationDate")):
        r = post(client, eoffice, edxml.build(package))
        assert r.status_code == 422 and r.json()["code"] == "edxml_invalid", r.text
        assert ["body", element] in [e["loc"] for e in r.json()["errors"]], r.text
    assert (count(session, EofficeDocument), count(session, Campaign)) == before


def test_a_subject_written_over_several_lines_becomes_a_one_line_title(client, as_user, eoffice):
    """Senders wrap long subjects; the campaign's title and place are one line (control characters refused there)."""
    r = post(client, eoffice, edxml.build(plan("000.00.00.H36,2026,701",
                                               subject="Kiểm tra việc thực hiện\n\tChương trình OCOP năm 2026",
                                               place="Lạng\r\nSơn")))
    assert r.status_code == 201, r.text
    c = client.get(f"{API}/campaigns/{r.json()['campaign_id']}", headers=as_user("coordinator")).json()
    assert c["title"] == "Kiểm tra việc thực hiện Chương trình OCOP năm 2026"
    assert c["place"] == "Lạng Sơn"


def test_a_number_already_used_by_another_document_is_a_conflict(client, session, eoffice):
    assert post(client, eoffice, edxml.build(plan("000.00.00.H36,2026,601"))).status_code == 201
    before = (count(session, EofficeDocument), count(session, Campaign))
    r = post(client, eoffice, edxml.build(plan("000.00.00.H36,2026,602", subject="Một kế hoạch khác cùng số")))
    assert r.status_code == 409 and r.json()["code"] == "edxml_number_taken", r.text
    assert r.json()["errors"][0]["loc"] == ["body", "Code/CodeNumber"]
    assert (count(session, EofficeDocument), count(session, Campaign)) == before


def test_a_document_id_is_its_senders_own(client, session, as_user, eoffice):
    """Two agencies may number alike: the same DocumentId from another sender is a new package."""
    session.execute(sa.update(Agency).where(Agency.code == "SYT").values(eoffice_code="000.00.00.K12"))
    session.commit()
    cid = seeded(session, 2024)
    sent = edxml.parse(client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=eoffice).content)
    first = answer("2026,77", sent.document_id)
    other = first.replace(b"000.00.00.H36", b"000.00.00.K12")
    assert post(client, eoffice, first).status_code == 201
    r = post(client, eoffice, other)
    assert r.status_code == 201 and not r.json()["duplicate"] and r.json()["sender_code"] == "000.00.00.K12"
    assert post(client, eoffice, other).json()["duplicate"] is True


def _as(data: bytes, encoding: str, bom: bool = True) -> bytes:
    text = data.decode("utf-8").replace("encoding='UTF-8'", f"encoding='{encoding.upper()}'", 1)
    encoded = text.encode(encoding)
    return (codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE if encoding == "utf-16-be"
            else b"") + encoded if bom else encoded


@pytest.mark.parametrize("encoding, bom", [("utf-16", True), ("utf-16-le", True), ("utf-16-be", False),
                                           ("utf-32", True)])
def test_the_dtd_rule_holds_in_every_encoding(client, session, eoffice, encoding, bom):
    clean = edxml.build(plan("000.00.00.H36,2026,701"))
    # a harmless internal entity that the package never uses: the parser alone would let it through
    with_dtd = clean.replace(b"?>\n", b"?>\n<!DOCTYPE edXML [<!ENTITY x \"y\">]>\n", 1)
    assert b"<!DOCTYPE" in with_dtd
    before = (count(session, EofficeDocument), count(session, Campaign))
    for hostile in (with_dtd, XXE, LAUGHS):
        r = post(client, eoffice, _as(hostile, encoding, bom))
        assert r.status_code == 422 and r.json()["code"] == "edxml_invalid", r.text
    assert (count(session, EofficeDocument), count(session, Campaign)) == before
    r = post(client, eoffice, _as(clean, encoding, bom))
    assert r.status_code == 201, r.text
    assert r.json()["subject"] == "Kế hoạch kiểm tra sản phẩm OCOP năm 2026"


def test_an_attachment_of_the_documented_size_is_taken(client, session, eoffice, settings, storage_dir):
    """OCOP_EOFFICE_MAX_BYTES of attachment (20 MB; base64 makes it 27 MB in the package) is taken; a byte more is
    413. libxml2 refuses a text node over 10 MB unless told otherwise: 7.5 MB of Word document used to be 422."""
    size = settings.eoffice_max_bytes
    word = os.urandom(size)
    package = edxml.build(plan("000.00.00.H36,2026,801", attachments=[
        edxml.Attachment("ke-hoach", "ke-hoach.docx", "application/octet-stream", word)]))
    assert len(package) > size * 4 // 3
    r = post(client, eoffice, package)
    assert r.status_code == 201, r.text
    assert r.json()["attachments"][0]["size"] == size
    assert r.json()["attachments"][0]["sha256"] == hashlib.sha256(word).hexdigest()
    over = edxml.build(plan("000.00.00.H36,2026,802", code_number="16", attachments=[
        edxml.Attachment("a", "a.docx", "application/octet-stream", word[: size // 2]),
        edxml.Attachment("b", "b.docx", "application/octet-stream", word[: size // 2 + 1])]))
    r = post(client, eoffice, over)
    assert r.status_code == 413, r.text
