"""Packages as real e-office platforms send them: numeric DocumentType codes, the kind in TypeName or the
CodeNotation prefix, prefixed envelope, slash dates, a signature block and a Word attachment."""
from __future__ import annotations

import hashlib

import pytest

from ocop.integrations import edxml
from tests.campaigns.helpers import API
from tests.integrations.edxml_platform import platform_package, word_docx
from tests.integrations.test_eoffice import post

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def test_a_real_platforms_plan_becomes_a_draft_campaign(client, session, as_user, eoffice):
    word = word_docx()
    assert 200_000 < len(word) < 600_000
    package = platform_package(docx=word)
    parsed = edxml.parse(package)
    assert (parsed.doc_type, parsed.type_detail, parsed.type_name, parsed.kind) == ("1", "0", "Kế hoạch", "plan")
    assert parsed.signature is not None and DSIG.strip("{}").encode() in parsed.signature
    r = post(client, eoffice, package)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["doc_type"], doc["type_detail"], doc["type_name"], doc["kind"]) == ("1", "0", "Kế hoạch", "plan")
    assert doc["number"] == "112/KH-UBND"
    assert doc["attachments"][0]["name"] == "KH-112-UBND.docx"
    assert doc["attachments"][0]["sha256"] == hashlib.sha256(word).hexdigest()
    c = client.get(f"{API}/campaigns/{doc['campaign_id']}", headers=as_user("coordinator")).json()
    assert c["status"] == "draft" and c["document_date"] == "2026-03-02" and c["signer_name"] == "Hồ Tiến Thiệu"
    assert c["title"] == "Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm 2026"


@pytest.mark.parametrize("type_name, notation, kind", [
    ("Kế hoạch", "KH-UBND", "plan"), ("KẾ HOẠCH", "UBND", "plan"), ("Ke hoach", "", "plan"),
    ("", "KH-UBND", "plan"), ("", "112/KH-UBND", "plan"), ("Thông báo", "TB-SNN", "notice"),
    ("", "TB-SNN", "notice"), ("Báo cáo", "", "report"), ("", "BC-UBND", "report"),
    ("Công văn", "UBND-KT", "official_letter"), ("Quyết định", "QĐ-UBND", "decision"), ("", "QĐ-UBND", "decision"),
    ("Tờ trình", "TTr-UBND", "other")])
def test_the_kind_is_read_from_the_type_name_or_the_notation_whatever_type_holds(type_name, notation, kind):
    for code in ("1", "18", "KH"):
        if code == "KH" and kind == "other":
            continue
        assert edxml.kind_of(type_name, notation, code) == kind, (type_name, notation, code)


def test_a_signature_block_is_kept_in_the_stored_package(client, session, eoffice, storage_dir):
    from ocop.core import storage
    from ocop.integrations.models import EofficeDocument

    package = platform_package("000.00.00.H36,2026,1202", number="113", docx=b"PK" + b"x" * 1000)
    r = post(client, eoffice, package)
    assert r.status_code == 201, r.text
    doc = session.get(EofficeDocument, r.json()["id"])
    assert doc.header["signed"] is True
    assert b"<SignatureValue>c2lnbmF0dXJlLXZhbHVl</SignatureValue>" in storage.path_of(doc.storage_key).read_bytes()
    # and a package we build again from the parsed one carries it
    again = edxml.parse(edxml.build(edxml.parse(package)))
    assert again.signature is not None and b"c2lnbmF0dXJlLXZhbHVl" in again.signature


def test_notices_and_reports_go_out_with_their_own_header_and_recipients(client, session, as_user, eoffice):
    import sqlalchemy as sa

    from ocop.org.models import AdminUnit, Agency
    from tests.campaigns.helpers import seeded
    from tests.factories import unit_id

    chilang = unit_id(session, "187")
    # Chi Lăng's People's Committee has an e-office code: the notice for Chi Lăng goes to it
    committee = session.scalars(sa.select(Agency).where(Agency.kind == "peoples_committee",
                                                        Agency.admin_unit_id == chilang)).first()
    if committee is None:
        from ocop.core.db import utcnow

        committee = Agency(code="UBND-CL", name="Ủy ban nhân dân huyện Chi Lăng", search_name="uy ban nhan dan huyen chi lang",
                           kind="peoples_committee", admin_unit_id=chilang, created_at=utcnow(), updated_at=utcnow())
        session.add(committee)
    committee.eoffice_code = "000.07.30.H36"
    session.commit()
    cid = seeded(session, 2024)
    plan = edxml.parse(client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=eoffice).content)
    unit_name = session.get(AdminUnit, chilang).name
    r = client.get(f"{API}/campaigns/{cid}/documents/notice.edxml", params={"unit_id": chilang}, headers=eoffice)
    notice = edxml.parse(r.content)  # our own parser reads our packages
    assert (notice.doc_type, notice.type_detail, notice.type_name, notice.kind) == ("1", "0", "Thông báo", "notice")
    assert notice.subject.startswith("Thông báo lịch kiểm tra") and unit_name in notice.subject
    assert notice.code_number == "" and notice.code_notation.startswith("TB-") and notice.promulgation_date
    assert [o.organ_id for o in notice.receivers] == ["000.07.30.H36"]
    assert notice.to_places[0] == f"UBND {unit_name} (thực hiện)" and "Lưu" not in " ".join(notice.to_places)
    assert notice.to_places != plan.to_places and notice.content != plan.content and notice.content
    report = edxml.parse(client.get(f"{API}/campaigns/{cid}/documents/report.edxml", headers=eoffice).content)
    assert (report.doc_type, report.type_name, report.kind) == ("1", "Báo cáo", "report")
    assert report.subject.startswith("Báo cáo kết quả kiểm tra") and report.code_notation.startswith("BC-")
    assert [o.organ_id for o in report.receivers] == ["000.00.00.H36"]  # the provincial People's Committee
    assert report.to_places[0] == "UBND tỉnh (B/c)" and report.to_places != plan.to_places
