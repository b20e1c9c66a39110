"""Every document speaks as of its own date, whenever it is printed: the demo 2024 plan and notices name the 2024
department, its notation and the year 2024, the people with their honorific, position and agency, the units in
lower case inside a sentence; the notice gives each day's hours, its own recipients and ends with './.'. The demo
2024 campaign's work is dated in 2024."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from docx import Document

from ocop.audit.models import AuditEvent
from ocop.campaigns.models import Campaign, TeamMember, Visit
from ocop.core.dates import today
from ocop.inspections.models import ChecklistAnswer, CorrectiveAction, Finding
from ocop.notifications.models import Notification
from ocop.org.models import AdminUnit
from tests.campaigns.helpers import API, seeded, user
from tests.factories import agency_id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# words a Vietnamese document never holds, but a half-translated one does
ENGLISH = {"the", "and", "listed", "not", "of", "is", "are", "with", "from", "plan", "team", "represented", "none",
           "null", "true", "false", "this", "that", "unit", "agency"}


def flat(text: str) -> str:
    return " ".join(text.split())


def read(r) -> tuple[list[str], list[list[str]]]:  # type: ignore[no-untyped-def]
    """The body's paragraphs and each table's cells, as a reader sees them (whitespace collapsed)."""
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    doc = Document(io.BytesIO(r.content))
    paragraphs = [flat(p.text) for p in doc.paragraphs if p.text.strip()]
    tables = [[flat(c.text) for row in t.rows for c in row.cells] for t in doc.tables]
    return paragraphs, tables


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if w in ENGLISH}


def masthead(tables: list[list[str]]) -> str:
    return " ".join(tables[0])


def body_end(paragraphs: list[str]) -> str:
    """The body's last paragraph (the recipients and the signer sit in the closing table after it, the appendices
    after that)."""
    return next((paragraphs[i - 1] for i, p in enumerate(paragraphs) if p.startswith("PHỤ LỤC")), paragraphs[-1])


def test_the_2024_plan_speaks_as_of_2024(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    paragraphs, tables = read(client.get(f"{API}/campaigns/{cid}/documents/plan.docx",
                                         headers=as_user("coordinator")))
    head = masthead(tables)
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in head and "MÔI TRƯỜNG" not in head
    assert f"Số: {c.document_number}" in head and c.document_number.endswith("/KH-SNN")
    assert "Lạng Sơn, ngày 15 tháng 3 năm 2024" in head
    text = "\n".join(paragraphs + [cell for t in tables for cell in t])
    assert "Ông/Bà" not in text
    members = paragraphs[paragraphs.index("Danh sách thành viên đoàn kiểm tra:") + 1:
                         paragraphs.index("2. Thành phần làm việc với đoàn kiểm tra")]
    assert members[0] == "- Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và PTNT – Trưởng đoàn;"
    assert "- Bà Nguyễn Thị Thu Hà, Chuyên viên Chi cục Phát triển nông thôn – Thư ký." in members
    assert len(members) == session.scalar(sa.select(sa.func.count()).select_from(TeamMember)
                                          .where(TeamMember.campaign_id == cid))
    assert "- Huyện Chi Lăng: từ ngày 14/5/2024 đến ngày 15/5/2024;" in paragraphs  # a line starts with a capital
    assert body_end(paragraphs).endswith("./.")
    assert english_words(text) == set()


def test_a_2024_notice_speaks_as_of_its_visits(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    chilang = session.scalar(sa.select(AdminUnit.id).where(AdminUnit.code == "187"))
    paragraphs, tables = read(client.get(f"{API}/campaigns/{cid}/documents/notice.docx",
                                         params={"unit_id": chilang}, headers=as_user("coordinator")))
    head = masthead(tables)
    # the department of 2024, its notation in the blank number, the year of the visits in the blank date line
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in head and "MÔI TRƯỜNG" not in head
    assert re.search(r"Số: /TB-SNN(\s|$)", head) and "SNNMT" not in head
    assert "ngày tháng năm 2024" in head
    if today().year != 2024:
        assert f"năm {today().year}" not in head
    text = "\n".join(paragraphs + [cell for t in tables for cell in t])
    assert "Ông/Bà" not in text and "SNNMT" not in text and "Môi trường" not in text
    # the unit inside a sentence, in lower case; the plan cited with its number, date and the agency of its date
    assert "Lịch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại huyện Chi Lăng" in paragraphs
    assert "Huyện Chi Lăng" not in text
    day = c.document_date
    preamble = next(p for p in paragraphs if p.startswith("Thực hiện Kế hoạch số"))
    assert preamble.startswith(f"Thực hiện Kế hoạch số {c.document_number} ngày {day.day:02d}/{day.month}/{day.year} "
                               "của Sở Nông nghiệp và Phát triển nông thôn về kiểm tra tình hình")
    assert preamble.endswith("thông báo lịch kiểm tra tại huyện Chi Lăng như sau:")
    # each day's hours, morning and afternoon
    hours = paragraphs[paragraphs.index("1. Thời gian") + 1: paragraphs.index("2. Địa điểm")]
    assert hours == ["- Ngày 14/5/2024: buổi sáng từ 08 giờ 00 đến 10 giờ 30, buổi chiều từ 14 giờ 00 đến 16 giờ 00;",
                     "- Ngày 15/5/2024: buổi sáng từ 08 giờ 00 đến 11 giờ 00."]
    # the team with honorific, position and agency; the contact person
    team = paragraphs[paragraphs.index("3. Thành phần đoàn kiểm tra") + 1:
                      paragraphs.index("4. Thành phần làm việc với đoàn")]
    assert team[0] == "- Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và PTNT – Trưởng đoàn;"
    assert "- Bà Trần Thị Mai, Chuyên viên Sở Y tế – Thành viên;" in team
    assert ("Thông tin liên hệ: Bà Nguyễn Thị Thu Hà, Chuyên viên Chi cục Phát triển nông thôn, điện thoại "
            "0205 3812 345.") in paragraphs
    # the notice's own recipients: the unit's committee, the team's agencies, the producers visited, the archive
    recipients = tables[-1][0]
    assert recipients.startswith("Nơi nhận: - UBND huyện Chi Lăng (thực hiện);")
    assert "- Sở Y tế (phối hợp);" in recipients and "- HTX Lúa Vy (thực hiện);" in recipients
    assert recipients.endswith("- Lưu: VT, PTNT.") and "UBND các huyện, thành phố" not in recipients
    assert body_end(paragraphs).endswith("./.")
    assert english_words(text) == set()
    assert "{{" not in text and "{%" not in text


def test_a_notice_printed_now_for_a_2026_campaign_names_the_merged_department(client, session, as_user):
    """The same rule the other way: a campaign of 2026 names the department of 2026, even with people whose user
    still points at the 2024 agencies."""
    cid = seeded(session, 2026)
    co = as_user("coordinator")
    unit = session.scalar(sa.select(AdminUnit.id).where(AdminUnit.code == "06463"))
    day = today()
    r = client.post(f"{API}/campaigns/{cid}/visits", json={
        "kind": "working_session", "starts_at": f"{day.year}-06-10T08:00:00+07:00",
        "ends_at": f"{day.year}-06-10T11:00:00+07:00", "place": "Hội trường UBND xã Chi Lăng", "admin_unit_id": unit},
        headers=co)
    assert r.status_code == 201, r.text
    paragraphs, tables = read(client.get(f"{API}/campaigns/{cid}/documents/notice.docx", headers=co))
    head = masthead(tables)
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in head and re.search(r"Số: /TB-SNNMT(\s|$)", head)
    assert f"năm {day.year}" in head
    team = paragraphs[paragraphs.index("3. Thành phần đoàn kiểm tra") + 1:
                      paragraphs.index("4. Thành phần làm việc với đoàn")]
    assert team[0] == "- Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và Môi trường – Trưởng đoàn;"
    assert "tại xã Chi Lăng" in "\n".join(paragraphs)


def test_honorifics_through_the_team_api_and_in_the_plan(client, session, as_user):
    cid = seeded(session, 2026)
    co = as_user("coordinator")
    r = client.post(f"{API}/campaigns/{cid}/team", json={
        "full_name": "Hoàng Thị Lan", "honorific": "Bà", "title": "Phó Chi cục trưởng",
        "agency_id": agency_id(session, "SNNMT-CCPTNT"), "role": "member"}, headers=co)
    assert r.status_code == 201, r.text
    member = r.json()
    assert member["honorific"] == "Bà"
    bad = client.post(f"{API}/campaigns/{cid}/team", json={"full_name": "Nguyễn Văn B", "honorific": "Ông/Bà"},
                      headers=co)
    assert bad.status_code == 422
    bad = client.patch(f"{API}/campaigns/{cid}/team/{member['id']}", json={"honorific": "Anh"},
                       headers={**co, "If-Match": f'"{member["version"]}"'})
    assert bad.status_code == 422
    paragraphs, _ = read(client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=co))
    assert "- Bà Hoàng Thị Lan, Phó Chi cục trưởng Chi cục Phát triển nông thôn – Thành viên;" in paragraphs
    # without an honorific, the name alone
    r = client.patch(f"{API}/campaigns/{cid}/team/{member['id']}", json={"honorific": None},
                     headers={**co, "If-Match": f'"{member["version"]}"'})
    assert r.status_code == 200 and r.json()["honorific"] is None
    paragraphs, _ = read(client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=co))
    assert "- Hoàng Thị Lan, Phó Chi cục trưởng Chi cục Phát triển nông thôn – Thành viên;" in paragraphs
    assert not any("Ông/Bà" in p for p in paragraphs)
    assert user(session, "leader")  # the demo accounts stay


def test_the_demo_2024_work_is_dated_in_2024(client, session, as_user):
    cid = seeded(session, 2024)
    first_visit = session.scalar(sa.select(sa.func.min(Visit.starts_at)).where(Visit.campaign_id == cid))
    findings = session.scalars(sa.select(Finding).where(Finding.campaign_id == cid)).all()
    assert findings and all(f.created_at.year == 2024 and f.created_at.replace(tzinfo=None) >=
                            first_visit.replace(tzinfo=None) for f in findings)
    actions = session.scalars(sa.select(CorrectiveAction).join(Finding, Finding.id == CorrectiveAction.finding_id)
                              .where(Finding.campaign_id == cid)).all()
    assert actions and all(a.due_date.year == 2024 and a.created_at.year == 2024 for a in actions)
    assert all(a.responded_at.year == 2024 for a in actions if a.responded_at)
    answered = session.scalars(sa.select(ChecklistAnswer.answered_at).join(Visit, Visit.id == ChecklistAnswer.visit_id)
                               .where(Visit.campaign_id == cid)).all()
    assert answered and {a.year for a in answered} == {2024}
    # the reminders the 2024 campaign brought (an overdue action, a late report) are dated then
    told = session.scalars(sa.select(Notification).where(Notification.subject_type == "corrective_action",
                                                         Notification.subject_id.in_([a.id for a in actions]))).all()
    assert told and {n.created_at.year for n in told} == {2024}
    trail = session.scalars(sa.select(AuditEvent.occurred_at).where(
        AuditEvent.entity_type == "finding", AuditEvent.entity_id.in_([str(f.id) for f in findings]))).all()
    assert trail and {t.year for t in trail} == {2024}
    # as the API shows them: a finding's action due in 2024
    f = next(f for f in findings if f.status != "dismissed")
    r = client.get(f"{API}/findings/{f.id}", headers=as_user("coordinator"))
    assert r.status_code == 200, r.text
    assert r.json()["created_at"].startswith("2024-")
