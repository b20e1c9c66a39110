"""A control character already in the database (put there before the API refused them, or by an import) never
breaks an export: one U+0001 in a producer's name used to break every XLSX export of the province."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from ocop.inspections.models import Finding
from ocop.registry.models import Producer, Product
from tests.campaigns.helpers import API

BROKEN = "HTX \x01Đồng\x1f Bành\x0b"  # what openpyxl cannot write
CLEAN = "HTX Đồng Bành"


def test_exports_with_control_characters_in_the_data_succeed_in_both_formats(client, session, as_user):
    producer = session.scalars(sa.select(Producer).join(Product, Product.producer_id == Producer.id)
                               .join(Finding, Finding.producer_id == Producer.id).order_by(Producer.id)).first()
    assert producer is not None
    session.execute(sa.update(Producer).where(Producer.id == producer.id).values(name=BROKEN))
    finding = session.scalars(sa.select(Finding).where(Finding.producer_id == producer.id)).first()
    assert finding is not None
    session.execute(sa.update(Finding).where(Finding.id == finding.id).values(
        description="\tThiếu hạn sử dụng\x02\ndòng hai"))
    session.commit()
    admin = as_user("admin")
    for path in ("producers", "products", "findings"):
        r = client.get(f"{API}/{path}", params={"format": "xlsx"}, headers=admin)
        assert r.status_code == 200, (path, r.text[:300])
        cells = [str(v) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)
                 for v in row if v is not None]
        assert any(CLEAN in v for v in cells), path  # the row is there, without the characters
        assert not any(c in v for v in cells for c in "\x01\x02\x0b\x1f"), path
        r = client.get(f"{API}/{path}", params={"format": "csv"}, headers=admin)
        assert r.status_code == 200, (path, r.text[:300])
        text = r.content.decode("utf-8")
        assert CLEAN in text and not any(c in text for c in "\x01\x02\x0b\x1f"), path  # stripped the same way
    r = client.get(f"{API}/findings", params={"format": "csv"}, headers=admin)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8").removeprefix("\ufeff"))))
    # a leading tab could start a formula in a spreadsheet: quoted like = + - @; line breaks stay
    assert "'\tThiếu hạn sử dụng\ndòng hai" in [v for row in rows for v in row]


def test_a_leading_tab_or_carriage_return_is_quoted_like_a_formula():
    from ocop.core.export import _cell

    assert [_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\x01=1+1", "a\tb", "ok")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1+1", "'\r=1+1", "'=1+1", "a\tb", "ok"]
    assert _cell(["=a", "b\x00"]) == "'=a, b"


def test_documents_and_packages_with_control_characters_in_the_data_stay_readable(client, session, as_user):
    """Word documents and e-office packages are XML: a control character in a stored title must not make them
    unreadable (Word refuses such a file, lxml refuses to write it)."""
    from docx import Document

    from ocop.campaigns.models import Campaign
    from ocop.integrations import edxml
    from tests.campaigns.helpers import seeded

    cid = seeded(session, 2024)
    session.execute(sa.update(Campaign).where(Campaign.id == cid).values(title="Kiểm tra\x01 OCOP\x1f năm 2024"))
    session.commit()
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=as_user("coordinator"))
    assert r.status_code == 200, r.text[:300]
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "Kiểm tra OCOP năm 2024".upper() in text.upper()
    pkg = edxml.Package(document_id="x,2026,1", sender=edxml.Organ("000.00.00.G22", "Sở\x02 NN"), receivers=[],
                        code_number="1", code_notation="KH-SNN", place="Lạng Sơn", promulgation_date=None,
                        doc_type="KH", type_name="Kế hoạch", subject="Kế hoạch\x01 kiểm tra")
    parsed = edxml.parse(edxml.build(pkg))
    assert parsed.subject == "Kế hoạch kiểm tra" and parsed.sender.name == "Sở NN"
