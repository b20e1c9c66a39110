"""A producer is inspected, never one of the team; a unit's report task is done when its report is sent."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.campaigns.models import Task, TeamMember
from ocop.core.db import utcnow
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.registry.models import Product
from tests.campaigns.helpers import API, seeded, unit_id, user
from tests.conftest import count


def test_a_producers_user_is_never_added_to_a_team(client, session, as_user):
    co, cid = as_user("coordinator"), seeded(session, 2024)
    n = count(session, TeamMember, TeamMember.campaign_id == cid)
    for campaign in (cid, seeded(session, 2026)):
        r = client.post(f"{API}/campaigns/{campaign}/team", json={"user_id": user(session, "producer_dongbanh")},
                        headers=co)
        assert r.status_code == 422 and r.json()["code"] == "producer_not_team_member", r.text
        assert r.json()["errors"][0]["loc"] == ["body", "user_id"]
    assert count(session, TeamMember, TeamMember.campaign_id == cid) == n


def test_a_producer_in_the_team_table_still_never_passes_the_team_check(client, session, as_user):
    """Should a producer's user be in a team anyhow (added before the rule), it verifies nothing, writes nothing."""
    cid = seeded(session, 2024)
    now = utcnow()
    session.add(TeamMember(campaign_id=cid, user_id=user(session, "producer_dongbanh"), role="member",
                           created_at=now, updated_at=now))
    session.commit()
    prod = as_user("producer_dongbanh")
    fid, aid = session.execute(sa.select(CorrectiveAction.finding_id, CorrectiveAction.id)
                               .join(Finding, Finding.id == CorrectiveAction.finding_id)
                               .join(Product, Product.id == Finding.product_id)
                               .where(CorrectiveAction.status == "responded", Product.name == "Na Chi Lăng")).one()
    r = client.post(f"{API}/findings/{fid}/actions/{aid}/verification", json={"accepted": True}, headers=prod)
    assert r.status_code == 403 and r.json()["code"] == "not_in_team", r.text
    assert client.get(f"{API}/findings/{fid}/actions/{aid}", headers=prod).json()["status"] == "responded"
    na = session.get(Product, session.scalar(sa.select(Product.id).where(Product.name == "Na Chi Lăng")))
    r = client.post(f"{API}/findings", json={"campaign_id": cid, "producer_id": na.producer_id, "product_id": na.id,
                                             "severity": "critical", "description": "Tự ghi"}, headers=prod)
    assert r.status_code == 403, r.text
    assert client.get(f"{API}/findings/{fid}", headers=prod).json()["allowed_transitions"] == []


def test_the_report_task_is_not_done_while_the_report_is_a_draft(client, session, as_user):
    cid, locbinh = seeded(session, 2024), as_user("local_locbinh")
    task = session.scalars(sa.select(Task).where(Task.campaign_id == cid, Task.kind == "local_report",
                                                 Task.admin_unit_id == unit_id(session, "188"))).one()
    url = f"{API}/campaigns/{cid}/tasks/{task.id}"
    r = client.patch(url, json={"status": "done"}, headers={**locbinh, "If-Match": f'"{task.version}"'})
    assert r.status_code == 409 and r.json()["code"] == "local_report_not_submitted", r.text
    assert client.get(url, headers=locbinh).json()["status"] == "open"
    # the officer may still say the work has started; sending the report completes the task
    r = client.patch(url, json={"status": "in_progress"}, headers={**locbinh, "If-Match": f'"{task.version}"'})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    report = client.get(f"{API}/campaigns/{cid}/local-reports", headers=locbinh).json()["items"][0]
    assert report["status"] == "draft"
    r = client.post(f"{API}/campaigns/{cid}/local-reports/{report['id']}/transitions", json={"to": "submitted"},
                    headers=locbinh)
    assert r.status_code == 200, r.text
    assert client.get(url, headers=locbinh).json()["status"] == "done"
