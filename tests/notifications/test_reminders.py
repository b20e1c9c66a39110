"""Reminders of the daily job: certificates at 90, 30 and 0 days, overdue tasks and actions, local reports falling
due. Each fires once, tells exactly the people concerned, and becomes one webhook event."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from ocop.cli import app as cli
from ocop.core.dates import add_months, today
from ocop.inspections.models import Finding
from ocop.notifications import service as notifications
from ocop.notifications.models import Notification, ReminderLog
from ocop.org.models import User
from ocop.registry import service as registry
from ocop.registry.models import Producer, Product
from tests.campaigns.helpers import API, agency, draft, issued, unit_id, user, visit
from tests.conftest import PG_URL
from tests.factories import make_user
from tests.notifications.helpers import certificate, daily, dongbanh_product, events, told

CERT_PEOPLE = ["coordinator", "local_chilang", "producer_dongbanh"]


def inactive_coordinator(session):
    u = make_user(session, "coordinator", full_name="Điều phối viên đã nghỉ")
    session.execute(sa.update(User).where(User.id == u.id).values(active=False))
    session.commit()
    return u


def test_certificate_reminders_at_90_30_and_0_days_fire_once_each(client, session, as_user):
    co, day = as_user("coordinator"), today()
    inactive_coordinator(session)
    pid = dongbanh_product(client, co)
    cert = certificate(client, co, pid, valid_to=day + timedelta(days=90))
    later = certificate(client, co, dongbanh_product(client, co), valid_to=day + timedelta(days=91))

    first = daily(day)
    assert first["reminders_certificate_expiring"] == 1 and first["notifications_created"] == 3
    assert told(session, "certificate", cert["id"]) == CERT_PEOPLE  # each once; the inactive coordinator not
    n = session.scalars(sa.select(Notification).where(Notification.subject_id == cert["id"],
                                                      Notification.subject_type == "certificate")).first()
    assert n.kind == "certificate.expiring" and n.link == f"/san-pham?sp={pid}" and n.read_at is None
    assert "sắp hết hiệu lực" in n.title and cert["certificate_number"] in n.body and "còn 90 ngày" in n.body
    (event,) = events(session, "certificate", cert["id"])
    assert event.event_type == "certificate.expiring"
    assert event.payload["days_left"] == 90 and event.payload["threshold"] == 90
    assert event.payload["certificate_number"] == cert["certificate_number"] and event.payload["product_id"] == pid
    assert event.payload["valid_to"] == (day + timedelta(days=90)).isoformat() and event.payload["product_name"]
    assert told(session, "certificate", later["id"]) == []  # 91 days out: nothing yet

    for again in (day, day, day + timedelta(days=1), day + timedelta(days=59)):  # same day twice; 31 days out
        daily(again)
    assert told(session, "certificate", cert["id"]) == CERT_PEOPLE
    assert len(events(session, "certificate", cert["id"])) == 1

    daily(day + timedelta(days=60))  # 30 days out
    assert told(session, "certificate", cert["id"], "certificate.expiring") == sorted(CERT_PEOPLE * 2)
    thirty = events(session, "certificate", cert["id"])[-1]
    assert thirty.event_type == "certificate.expiring" and thirty.payload["days_left"] == 30
    daily(day + timedelta(days=61))
    daily(day + timedelta(days=90))  # the last day of validity
    assert told(session, "certificate", cert["id"], "certificate.expired") == CERT_PEOPLE
    expired = events(session, "certificate", cert["id"])[-1]
    assert expired.event_type == "certificate.expired" and expired.payload["days_left"] == 0
    for again in (day + timedelta(days=90), day + timedelta(days=91), day + timedelta(days=120)):
        daily(again)
    assert len(told(session, "certificate", cert["id"])) == 9
    assert [e.event_type for e in events(session, "certificate", cert["id"])] == [
        "certificate.expiring", "certificate.expiring", "certificate.expired"]
    assert told(session, "certificate", later["id"], "certificate.expiring") == sorted(CERT_PEOPLE * 2)
    assert "local_locbinh" not in told(session, "certificate", later["id"])


def test_a_renewed_certificate_gets_fresh_reminders_and_the_old_one_no_more(client, session, as_user):
    co, day = as_user("coordinator"), today()
    pid = dongbanh_product(client, co)
    old = certificate(client, co, pid, valid_to=day + timedelta(days=10))
    daily(day)
    assert told(session, "certificate", old["id"]) == CERT_PEOPLE  # first seen 10 days out: the 30-day reminder
    assert events(session, "certificate", old["id"])[0].payload["threshold"] == 30
    renewed = certificate(client, co, pid, valid_to=add_months(day, 36), decided=day + timedelta(days=1))
    daily(day + timedelta(days=10))  # the old one's last day: it is superseded, so nothing
    assert told(session, "certificate", old["id"]) == CERT_PEOPLE and told(session, "certificate", renewed["id"]) == []
    end = add_months(day, 36)
    daily(end - timedelta(days=90))
    assert told(session, "certificate", renewed["id"]) == CERT_PEOPLE
    assert len(events(session, "certificate", old["id"])) == 1


def test_a_certificate_that_ended_long_ago_or_was_revoked_gets_nothing(client, session, as_user):
    co, day = as_user("coordinator"), today()
    old = certificate(client, co, dongbanh_product(client, co), valid_to=day - timedelta(days=200))
    revoked = certificate(client, co, dongbanh_product(client, co), valid_to=day + timedelta(days=20))
    r = client.post(f"{API}/certificates/{revoked['id']}/revocation", json={
        "decision_number": "9/QĐ-UBND", "decision_date": day.isoformat(), "reason": "Ngừng sản xuất"},
        headers={**co, "If-Match": f'"{revoked["version"]}"'})
    assert r.status_code == 200, r.text
    recent = certificate(client, co, dongbanh_product(client, co), valid_to=day - timedelta(days=3))
    daily(day)
    assert told(session, "certificate", old["id"]) == [] and told(session, "certificate", revoked["id"]) == []
    assert told(session, "certificate", recent["id"], "certificate.expired") == CERT_PEOPLE
    assert events(session, "certificate", recent["id"])[0].payload["days_left"] == -3


def test_overdue_tasks_tell_the_assignee_or_its_agency_or_the_coordinators(client, session, as_user):
    co, day = as_user("coordinator"), today()
    c = issued(client, session, as_user)
    gone = make_user(session, "inspector", agency="SKHCN", full_name="Cán bộ đã nghỉ")
    session.execute(sa.update(User).where(User.id == gone.id).values(active=False))
    session.commit()
    due = (day + timedelta(days=2)).isoformat()
    ids = {}
    for name, body in (("user", {"assignee_user_id": user(session, "inspector2")}),
                       ("agency", {"assignee_agency_id": agency(session, "SKHCN")}),
                       ("nobody", {"assignee_label": "Các đơn vị liên quan"}),
                       ("done", {"assignee_user_id": user(session, "inspector1")})):
        r = client.post(f"{API}/campaigns/{c['id']}/tasks", json={"description": f"Nhiệm vụ {name}", "due_date": due,
                                                                   **body}, headers=co)
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    r = client.patch(f"{API}/campaigns/{c['id']}/tasks/{ids['done']}", json={"status": "done"},
                     headers={**co, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    plan = draft(client, session, co, tasks=[{"description": "Việc của bản nháp", "due_date": due,
                                              "assignee_user_id": user(session, "inspector3")}])

    daily(day + timedelta(days=2))  # due today: not overdue yet
    assert told(session, "task", ids["user"]) == []
    result = daily(day + timedelta(days=3))
    assert result["reminders_task_overdue"] >= 3
    assert told(session, "task", ids["user"]) == ["inspector2"]
    assert told(session, "task", ids["agency"]) == ["inspector3"]  # the agency's active users
    assert told(session, "task", ids["nobody"]) == ["coordinator"]
    assert told(session, "task", ids["done"]) == []
    draft_task = client.get(f"{API}/campaigns/{plan['id']}/tasks", headers=co).json()["items"][0]["id"]
    assert told(session, "task", draft_task) == []  # a draft plan's tasks are not anyone's yet
    (event,) = events(session, "task", ids["user"])
    assert event.event_type == "task.overdue" and event.payload["campaign_id"] == c["id"]
    assert event.payload["days_overdue"] == 1 and event.payload["due_date"] == due
    n = session.scalars(sa.select(Notification).where(Notification.subject_id == ids["user"],
                                                      Notification.subject_type == "task")).one()
    assert n.link == f"/ke-hoach/{c['id']}?tab=nhiem-vu" and "quá hạn 1 ngày" in n.body
    daily(day + timedelta(days=3))
    daily(day + timedelta(days=4))
    assert told(session, "task", ids["user"]) == ["inspector2"] and len(events(session, "task", ids["agency"])) == 1


def test_local_reports_falling_due_tell_the_units_officers_only(client, session, as_user):
    co, day = as_user("coordinator"), today()
    chilang, locbinh = unit_id(session, "187"), unit_id(session, "188")
    c = issued(client, session, as_user, unit_ids=[chilang, locbinh])
    for unit, offset in ((chilang, 10), (locbinh, 12)):  # reports due 7 days before the working session
        start = day + timedelta(days=offset)
        r = visit(client, co, c["id"], unit, f"{start}T08:00:00+07:00", f"{start}T11:00:00+07:00")
        assert r.status_code == 201, r.text
    tasks = {t["admin_unit_id"]: t for t in client.get(f"{API}/campaigns/{c['id']}/tasks",
                                                       params={"kind": "local_report"}, headers=co).json()["items"]}
    assert tasks[chilang]["due_date"] == (day + timedelta(days=3)).isoformat()
    # Lộc Bình writes and sends its report in time: no reminder for it
    lb = as_user("local_locbinh")
    r = client.post(f"{API}/campaigns/{c['id']}/local-reports", json={
        "admin_unit_id": locbinh, "results": "Đã triển khai kế hoạch."}, headers=lb)
    assert r.status_code == 201, r.text
    assert client.post(f"{API}/campaigns/{c['id']}/local-reports/{r.json()['id']}/transitions",
                       json={"to": "submitted"}, headers=lb).status_code == 200

    daily(day)  # Chi Lăng's is due in 3 days, within the 7 lead days
    task = tasks[chilang]["id"]
    assert told(session, "task", task, "local_report.due") == ["local_chilang"]
    assert told(session, "task", tasks[locbinh]["id"]) == []
    (event,) = events(session, "task", task)
    assert event.event_type == "local_report.due" and event.payload["days_left"] == 3
    assert event.payload["admin_unit_id"] == chilang and event.payload["report_id"] is None
    n = session.scalars(sa.select(Notification).where(Notification.subject_id == task,
                                                      Notification.subject_type == "task")).one()
    assert n.link == f"/ke-hoach/{c['id']}?tab=bao-cao" and "chưa được lập" in n.body
    daily(day)
    daily(day + timedelta(days=1))
    assert len(told(session, "task", task)) == 1
    daily(day + timedelta(days=3))  # the due day
    assert told(session, "task", task, "local_report.due") == ["local_chilang", "local_chilang"]
    assert events(session, "task", task)[-1].payload["days_left"] == 0
    daily(day + timedelta(days=4))  # then it is an overdue task; the unit's committee has no users: its officers
    assert told(session, "task", task, "task.overdue") == ["local_chilang"]
    assert [e.event_type for e in events(session, "task", task)] == ["local_report.due", "local_report.due",
                                                                      "task.overdue"]
    assert told(session, "task", tasks[locbinh]["id"]) == []


def test_overdue_actions_tell_the_owner_and_the_coordinators(client, session, as_user):
    day = today()
    luavy = session.scalar(sa.select(Product).where(Product.name == "Trà diếp cá Lúa Vy"))
    finding = session.scalar(sa.select(Finding.id).where(Finding.product_id == luavy.id))
    owner = make_user(session, "producer", username="producer_luavy")
    registry.add_member(session, luavy.producer_id, owner.id)
    session.commit()
    ins, due = as_user("inspector1"), (day + timedelta(days=5)).isoformat()
    ids = {}
    for name, body in (("producer", {}), ("unit", {"owner_type": "unit", "owner_unit_id": unit_id(session, "187")})):
        r = client.post(f"{API}/findings/{finding}/actions", json={
            "description": f"Gia hạn giấy chứng nhận ATTP ({name})", "due_date": due, **body}, headers=ins)
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]

    daily(day + timedelta(days=5))
    assert told(session, "corrective_action", ids["producer"]) == []
    daily(day + timedelta(days=6))
    assert told(session, "corrective_action", ids["producer"]) == ["coordinator", "producer_luavy"]
    assert told(session, "corrective_action", ids["unit"]) == ["coordinator", "local_chilang"]
    n = session.scalars(sa.select(Notification).where(Notification.subject_id == ids["unit"],
                                                      Notification.subject_type == "corrective_action")).first()
    assert n.kind == "action.overdue" and n.link == f"/phat-hien/{finding}" and "Trà diếp cá Lúa Vy" in n.body
    daily(day + timedelta(days=6))
    daily(day + timedelta(days=7))
    assert told(session, "corrective_action", ids["unit"]) == ["coordinator", "local_chilang"]
    # the webhook event stays the one inspections emits, once
    assert [e.event_type for e in events(session, "corrective_action", ids["unit"])] == ["action.overdue"]


def test_the_daily_command_prints_the_reminders_and_the_emails(client, session):
    result = CliRunner().invoke(cli, ["daily"])
    assert result.exit_code == 0, result.output
    assert "reminders_certificate_expiring=0" in result.output  # the seed already sent today's
    assert "notifications_created=0" in result.output and "emails_sent=0" in result.output


def test_the_seeded_demo_has_notifications(session):
    counts = dict(session.execute(sa.select(User.username, sa.func.count()).join(
        Notification, Notification.user_id == User.id).group_by(User.username)).all())
    assert counts.get("coordinator", 0) >= 2 and counts.get("local_chilang", 0) >= 1


def test_a_reminder_key_is_claimed_once(session):
    run = notifications._Run(session, today())
    first = run.claim("test.once", "certificate", 1, 90, today())
    assert first is not None
    assert run.claim("test.once", "certificate", 1, 90, today()) is None
    assert run.claim("test.once", "certificate", 1, 90, today() + timedelta(days=1)) is not None  # a new due date


@pytest.mark.skipif(not PG_URL, reason="concurrent transactions need PostgreSQL")
def test_two_daily_jobs_at_once_never_fire_one_reminder_twice(template):
    """Two transactions claim the same key: the second waits for the first and then inserts nothing."""
    from sqlmodel import Session

    from ocop.core import db as core_db

    engine = core_db.make_engine(template)
    day, got = today(), {}
    try:
        with Session(engine) as a, Session(engine) as b:
            got["a"] = notifications._Run(a, day).claim("test.race", "certificate", 42, 30, day)

            def second() -> None:
                got["b"] = notifications._Run(b, day).claim("test.race", "certificate", 42, 30, day)
                b.commit()

            t = threading.Thread(target=second)
            t.start()
            t.join(0.5)
            assert t.is_alive()  # blocked by the first transaction's row
            a.commit()
            t.join(10)
        assert got["a"] is not None and got["b"] is None
    finally:
        with Session(engine) as s:
            s.execute(sa.delete(ReminderLog).where(ReminderLog.kind == "test.race"))
            s.commit()
        engine.dispose()


def test_ceased_producers_get_no_certificate_reminders(client, session, as_user):
    co, day = as_user("coordinator"), today()
    pid = dongbanh_product(client, co)
    cert = certificate(client, co, pid, valid_to=day + timedelta(days=30))
    producer = session.scalar(sa.select(Product.producer_id).where(Product.id == pid))
    session.execute(sa.update(Producer).where(Producer.id == producer).values(status="ceased"))
    session.commit()
    daily(day)
    assert told(session, "certificate", cert["id"]) == []
