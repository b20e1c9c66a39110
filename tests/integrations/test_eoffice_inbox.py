"""The e-office inbox: a package that cannot be acted on automatically is kept (202, waiting) with its header,
attachments and the reason, listed for the department's office, and routed by a coordinator."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.audit.models import AuditEvent
from ocop.campaigns.models import Campaign
from ocop.integrations.models import EofficeDocument
from ocop.main import create_app
from ocop.org.models import Agency
from tests.campaigns.helpers import API, seeded
from tests.conftest import count
from tests.integrations.edxml_platform import platform_package
from tests.integrations.test_eoffice import post

UNKNOWN = "000.00.00.K99"
DOCX = b"PK\x03\x04" + b"w" * 5000


def audited(session, action: str) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_an_unknown_senders_plan_waits_and_once_mapped_the_next_becomes_a_draft(client, session, as_user,
                                                                               eoffice):
    agencies, campaigns = count(session, Agency), count(session, Campaign)
    r = post(client, eoffice, platform_package("K99,2026,1", sender=UNKNOWN, docx=DOCX))
    assert r.status_code == 202, r.text
    doc = r.json()
    assert doc["state"] == "waiting" and doc["kind"] == "plan" and doc["campaign_id"] is None
    assert UNKNOWN in doc["reason"] and r.headers["location"] == f"/api/v1/eoffice/documents/{doc['id']}"
    assert (count(session, Agency), count(session, Campaign)) == (agencies, campaigns)  # no agency made by itself
    coordinator = as_user("coordinator")
    inbox = client.get(f"{API}/eoffice/documents", params={"direction": "in", "state": "waiting"},
                       headers=coordinator).json()
    assert [i["id"] for i in inbox["items"]] == [doc["id"]] and inbox["next_cursor"] is None
    assert inbox["items"][0]["sender_name"] == "UBND tỉnh Lạng Sơn" and inbox["items"][0]["received_at"]
    # map the code to the agency: the package stays waiting, the agency carries the code
    target = session.scalars(sa.select(Agency).where(Agency.code == "SYT")).one()
    r = client.post(f"{API}/eoffice/documents/{doc['id']}/transitions", headers=coordinator,
                    json={"action": "map_sender", "agency_id": target.id})
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(Agency, target.id).eoffice_code == UNKNOWN
    assert audited(session, "eoffice.map_sender") == 1 and audited(session, "agency.update") >= 1
    # the next plan from that sender goes straight through
    r = post(client, eoffice, platform_package("K99,2026,2", sender=UNKNOWN, number="7", docx=DOCX))
    assert r.status_code == 201 and r.json()["state"] == "taken" and r.json()["campaign_id"], r.text
    c = client.get(f"{API}/campaigns/{r.json()['campaign_id']}", headers=coordinator).json()
    assert c["status"] == "draft" and c["issuing_agency_id"] == target.id
    # and the waiting one becomes a draft plan when the coordinator says so
    r = client.post(f"{API}/eoffice/documents/{doc['id']}/transitions", headers=coordinator,
                    json={"action": "create_plan"})
    assert r.status_code == 200 and r.json()["state"] == "routed" and r.json()["campaign_id"], r.text
    assert count(session, Campaign) == campaigns + 2 and audited(session, "eoffice.create_plan") == 1


def test_other_kinds_and_stray_answers_wait_with_header_and_attachments(client, session, as_user, eoffice,
                                                                        storage_dir):
    r = post(client, eoffice, platform_package("H36,2026,cv1", type_name="Công văn", notation="UBND-KT",
                                               subject="Về việc phối hợp kiểm tra", docx=DOCX))
    assert r.status_code == 202 and r.json()["kind"] == "official_letter", r.text
    letter = r.json()["id"]
    r = post(client, eoffice, platform_package("H36,2026,qd1", type_name="Quyết định", notation="QĐ-UBND",
                                               docx=DOCX))
    assert r.status_code == 202 and r.json()["kind"] == "decision"
    r = post(client, eoffice, platform_package("H36,2026,tl1", type_name="Công văn", notation="UBND-KT",
                                               response_for="nothing-we-sent,1", docx=DOCX))
    assert r.status_code == 202 and "nothing-we-sent,1" in r.json()["reason"]
    assert count(session, EofficeDocument) == 3 and audited(session, "eoffice.receive") == 3
    leader = as_user("leader")
    detail = client.get(f"{API}/eoffice/documents/{letter}", headers=leader).json()
    assert detail["header"]["code_notation"] == "UBND-KT" and detail["header"]["signer_name"] == "Hồ Tiến Thiệu"
    assert detail["header"]["signed"] is True and detail["type_name"] == "Công văn" and detail["doc_type"] == "1"
    assert detail["attachments"] == [{"n": 0, "name": "KH-112-UBND.docx", "size": len(DOCX), "sha256": detail[
        "attachments"][0]["sha256"], "content_type": detail["attachments"][0]["content_type"]}]
    got = client.get(f"{API}/eoffice/documents/{letter}/attachments/0", headers=leader)
    assert got.status_code == 200 and got.content == DOCX and "KH-112-UBND.docx" in got.headers["content-disposition"]
    assert client.get(f"{API}/eoffice/documents/{letter}/attachments/1", headers=leader).status_code == 404
    assert client.get(f"{API}/eoffice/documents/999999", headers=leader).status_code == 404
    for role in ("inspector", "viewer", "local_officer"):
        user = {"inspector": "inspector1", "viewer": "viewer", "local_officer": "local_chilang"}[role]
        assert client.get(f"{API}/eoffice/documents", headers=as_user(user)).status_code == 403
    # the leader reads but does not route; a coordinator dismisses with a reason (required), once
    url = f"{API}/eoffice/documents/{letter}/transitions"
    assert client.post(url, headers=leader, json={"action": "dismiss", "reason": "x"}).status_code == 403
    coordinator = as_user("coordinator")
    assert client.post(url, headers=coordinator, json={"action": "dismiss"}).status_code == 422
    r = client.post(url, headers=coordinator, json={"action": "dismiss", "reason": "Không thuộc phạm vi OCOP."})
    assert r.status_code == 200 and r.json()["state"] == "dismissed" and r.json()["reason"].startswith("Không")
    assert client.post(url, headers=coordinator, json={"action": "dismiss", "reason": "again"}).status_code == 409
    assert audited(session, "eoffice.dismiss") == 1
    waiting = client.get(f"{API}/eoffice/documents", params={"state": "waiting"}, headers=coordinator).json()
    assert len(waiting["items"]) == 2 and letter not in [i["id"] for i in waiting["items"]]
    page = client.get(f"{API}/eoffice/documents", params={"limit": 2}, headers=coordinator).json()
    rest = client.get(f"{API}/eoffice/documents", params={"limit": 2, "cursor": page["next_cursor"]},
                      headers=coordinator).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_a_waiting_document_is_attached_to_a_campaign(client, session, as_user, eoffice):
    cid = seeded(session, 2024)
    r = post(client, eoffice, platform_package("H36,2026,cv2", type_name="Công văn", notation="UBND-KT",
                                               docx=DOCX))
    doc = r.json()["id"]
    url = f"{API}/eoffice/documents/{doc}/transitions"
    coordinator = as_user("coordinator")
    assert client.post(url, headers=coordinator, json={"action": "attach", "campaign_id": 999999}).status_code == 422
    r = client.post(url, headers=coordinator, json={"action": "attach", "campaign_id": cid})
    assert r.status_code == 200 and r.json()["state"] == "routed" and r.json()["campaign_id"] == cid, r.text
    assert audited(session, "eoffice.attach") == 1
    # sent packages are in the outbox
    client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=coordinator)
    out = client.get(f"{API}/eoffice/documents", params={"direction": "out"}, headers=coordinator).json()["items"]
    assert [(i["state"], i["kind"], i["campaign_id"]) for i in out] == [("sent", "plan", cid)]


def test_unsafe_packages_are_still_refused_and_kept_nowhere(client, session, eoffice):
    package = platform_package("K99,2026,9", sender=UNKNOWN, docx=DOCX)
    for bad in (package.replace(b"?>\n", b"?>\n<!DOCTYPE edXML [<!ENTITY x \"y\">]>\n", 1),
                package.replace(b"QCVN_102_2016", b"QCVN_999", 2),
                package.replace(b"MessageHeader>", b"MessageHeaderX>")):
        r = post(client, eoffice, bad)
        assert r.status_code == 422 and r.json()["code"] == "edxml_invalid", r.text
    assert count(session, EofficeDocument) == 0


def test_an_attachment_is_never_served_as_a_page(client, as_user, eoffice):
    """The sender names each attachment's type: one that says text/html is downloaded as bytes, not rendered."""
    package = platform_package("H36,2026,html1", type_name="Công văn", notation="UBND-KT", docx=DOCX).replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"text/html")
    r = post(client, eoffice, package)
    assert r.status_code == 202, r.text
    got = client.get(f"{API}/eoffice/documents/{r.json()['id']}/attachments/0", headers=as_user("leader"))
    assert got.status_code == 200 and got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment")


def test_the_api_document_declares_every_answer_a_sender_gets():
    # a platform generating its client from /openapi.json must know that 202 (kept for a person) and 200 (the same
    # package again) are answers, not errors
    answers = create_app().openapi()["paths"][f"{API}/eoffice/inbound"]["post"]["responses"]
    assert {"200", "201", "202"} <= set(answers)
    assert answers["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/EofficeRead")
