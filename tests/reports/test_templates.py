"""Replaceable, versioned Word templates: upload, validation, activation, preview, sandbox; minutes rendered at
approval."""
from __future__ import annotations

import io

import sqlalchemy as sa
from docx import Document

from ocop.audit.models import AuditEvent
from ocop.campaigns.models import Visit
from ocop.reports.models import DocumentTemplate, VisitMinutes
from tests.campaigns.helpers import API, seeded
from tests.conftest import count

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def edited_default(client, admin, kind: str, line: str) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}/document-templates/defaults/{kind}.docx", headers=admin)
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    doc = Document(io.BytesIO(r.content))
    doc.paragraphs[0].insert_paragraph_before(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, headers, kind: str, data: bytes, **form):  # type: ignore[no-untyped-def]
    return client.post(f"{API}/document-templates/{kind}", headers=headers, data=form,
                       files={"file": (f"{kind}.docx", data, DOCX)})


def test_upload_activate_and_go_back_to_the_default(client, session, as_user):
    admin = as_user("admin")
    cid = seeded(session, 2026)  # a draft: rendered with the template in use (an issued plan stays as issued)
    plan_url = f"{API}/campaigns/{cid}/documents/plan.docx"
    r = upload(client, admin, "plan", edited_default(client, admin, "plan", "BẢN MẪU SỐ 1: {{ subject }}"),
               note="Thêm dòng thử")
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert v1["version"] == 1 and v1["active"] and r.headers["location"] == f"/api/v1/document-templates/{v1['id']}"
    assert "BẢN MẪU SỐ 1: Kiểm tra tình hình" in text_of(client.get(plan_url, headers=as_user("coordinator")).content)
    # a second version, stored but not yet in use
    r = upload(client, admin, "plan", edited_default(client, admin, "plan", "BẢN MẪU SỐ 2"), activate="false")
    v2 = r.json()
    assert r.status_code == 201 and v2["version"] == 2 and not v2["active"]
    assert "BẢN MẪU SỐ 1" in text_of(client.get(plan_url, headers=admin).content)
    assert client.post(f"{API}/document-templates/{v2['id']}/activate", headers=admin).json()["active"]
    text = text_of(client.get(plan_url, headers=admin).content)
    assert "BẢN MẪU SỐ 2" in text and "BẢN MẪU SỐ 1" not in text
    kinds = {k["kind"]: k for k in client.get(f"{API}/document-templates/kinds", headers=admin).json()["items"]}
    assert kinds["plan"]["active"]["id"] == v2["id"] and kinds["plan"]["versions"] == 2
    assert kinds["report"]["active"] is None
    listed = client.get(f"{API}/document-templates", params={"kind": "plan", "limit": 1}, headers=admin).json()
    assert [t["version"] for t in listed["items"]] == [2] and listed["next_cursor"]
    stored = client.get(f"{API}/document-templates/{v1['id']}/file", headers=admin)
    assert "BẢN MẪU SỐ 1" in text_of(stored.content)
    r = client.post(f"{API}/document-templates/plan/use-default", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is None
    text = text_of(client.get(plan_url, headers=admin).content)
    assert "BẢN MẪU SỐ" not in text and "KẾ HOẠCH" in text
    actions = set(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "document_template")))
    assert {"document_template.upload", "document_template.activate", "document_template.default"} <= actions


def test_bad_templates_are_refused_and_nothing_is_kept(client, session, as_user, monkeypatch, settings):
    admin = as_user("admin")
    before = count(session, DocumentTemplate)
    broken = edited_default(client, admin, "report", "{{ subject ")
    r = upload(client, admin, "report", broken)
    assert r.status_code == 422 and r.json()["code"] == "template_invalid"
    r = upload(client, admin, "report", b"not a word file at all")
    assert r.status_code == 422 and "Word" in r.json()["detail"]
    assert upload(client, admin, "memo", edited_default(client, admin, "plan", "x")).status_code == 422
    monkeypatch.setattr(settings, "template_max_bytes", 1000)
    assert upload(client, admin, "plan", edited_default(client, admin, "plan", "x")).status_code == 413
    assert count(session, DocumentTemplate) == before
    # only administrators replace templates; coordinators may look; others may not
    monkeypatch.setattr(settings, "template_max_bytes", 5 * 1024 * 1024)
    good = edited_default(client, admin, "plan", "x")
    assert upload(client, as_user("coordinator"), "plan", good).status_code == 403
    assert client.get(f"{API}/document-templates/kinds", headers=as_user("coordinator")).status_code == 200
    assert client.get(f"{API}/document-templates/kinds", headers=as_user("inspector1")).status_code == 403
    assert client.get(f"{API}/document-templates/999999", headers=admin).status_code == 404
    assert count(session, DocumentTemplate) == before


def test_templates_run_in_a_sandbox(client, session, as_user):
    admin = as_user("admin")
    cid = seeded(session, 2026)  # a draft: rendered with the template in use (the 2024 plan stays as issued)
    hostile = edited_default(client, admin, "plan", "X{{ ''.__class__.__mro__[1].__subclasses__() }}Y")
    r = upload(client, admin, "plan", hostile)
    assert r.status_code == 422 and r.json()["code"] == "template_unsafe"
    assert count(session, DocumentTemplate) == 0
    markup = edited_default(client, admin, "plan", "<b>{{ subject }}</b> & {{ '<i>' }}")
    assert upload(client, admin, "plan", markup).status_code == 201
    text = text_of(client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=admin).content)
    assert "<b>Kiểm tra tình hình" in text and "& <i>" in text  # escaped into the XML, not interpreted


def test_preview_fills_a_template_without_keeping_it(client, session, as_user):
    admin = as_user("admin")
    cid = seeded(session, 2024)
    before = count(session, DocumentTemplate)
    data = edited_default(client, admin, "report", "XEM TRƯỚC {{ subject }}")
    r = client.post(f"{API}/document-templates/preview", headers=as_user("coordinator"),
                    data={"kind": "report", "campaign_id": str(cid)}, files={"file": ("bc.docx", data, DOCX)})
    assert r.status_code == 200, r.text
    assert "XEM TRƯỚC Kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm năm 2024" in text_of(r.content)
    assert count(session, DocumentTemplate) == before
    r = client.post(f"{API}/document-templates/preview", headers=admin, data={"kind": "minutes", "campaign_id": str(cid)})
    assert r.status_code == 422 and r.json()["code"] == "visit_required"
    visit = session.scalars(sa.select(Visit.id).where(Visit.campaign_id == cid, Visit.status == "locked")).first()
    r = client.post(f"{API}/document-templates/preview", headers=admin,
                    data={"kind": "minutes", "campaign_id": str(cid), "visit_id": str(visit)})
    assert r.status_code == 200 and "BIÊN BẢN" in text_of(r.content)


def test_minutes_are_written_when_the_visit_is_approved(client, session, as_user):
    cid = seeded(session, 2024)
    v = session.scalars(sa.select(Visit).where(Visit.campaign_id == cid, Visit.status == "submitted")).first()
    assert session.get(VisitMinutes, v.id) is None
    r = client.post(f"{API}/visits/{v.id}/transitions", json={"to": "approved"}, headers=as_user("leader"))
    assert r.status_code == 200, r.text
    session.expire_all()
    frozen = session.get(VisitMinutes, v.id)
    assert frozen is not None and frozen.size > 0
    r = client.get(f"{API}/visits/{v.id}/documents/minutes.docx", headers=as_user("coordinator"))
    assert r.status_code == 200 and "BIÊN BẢN" in text_of(r.content)
