"""Dashboard figures equal direct counts on generated data, for the whole province, a unit and a period."""
from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from ocop.campaigns.models import Campaign
from ocop.compliance.models import ComplianceStatus
from ocop.core.dates import today
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit, User
from ocop.registry import service as registry_service
from ocop.registry.models import Certificate, Producer, Product
from tests.campaigns.helpers import API, seeded
from tests.factories import unit_id

CATEGORIES = ["mark_use", "labelling", "food_safety", "traceability", "quality_management", "other"]
SEVERITIES = ["observation", "minor", "major", "critical"]
STATUSES = ["open", "action_required", "verified", "closed", "dismissed"]


def generate(session, n: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Findings spread over producers, units, categories, severities, states and two years, with actions."""
    rnd = random.Random(7)
    cid = seeded(session, 2024)
    producers = session.execute(sa.select(Producer.id, Producer.admin_unit_id)).all()
    now = datetime.now(UTC)
    findings = []
    for i in range(n):
        pid, uid = rnd.choice(producers)
        findings.append(Finding(
            campaign_id=cid, producer_id=pid, admin_unit_id=uid, product_key=10_000 + i,
            category=rnd.choice(CATEGORIES), severity=rnd.choice(SEVERITIES), status=rnd.choice(STATUSES),
            description=f"Tồn tại thử {i}", created_at=now - timedelta(days=rnd.randint(0, 700)), updated_at=now))
    session.add_all(findings)
    session.flush()
    for f in findings[: n // 2]:
        session.add(CorrectiveAction(finding_id=f.id, description="Khắc phục", owner_type="producer",
                                     owner_producer_id=f.producer_id, due_date=today() + timedelta(days=rnd.randint(-60, 60)),
                                     status=rnd.choice(["open", "responded", "accepted"]), created_at=now, updated_at=now))
    session.commit()


def as_counts(rows: list[dict]) -> dict[str, int]:
    return {r["key"]: r["count"] for r in rows}


def direct_findings(session, *where) -> dict[str, Counter]:  # type: ignore[no-untyped-def]
    rows = session.execute(sa.select(Finding.category, Finding.severity, Finding.admin_unit_id)
                           .where(Finding.status != "dismissed", *where)).all()
    return {"category": Counter(r[0] for r in rows), "severity": Counter(r[1] for r in rows),
            "unit": Counter(r[2] for r in rows)}


def test_province_figures_equal_direct_counts(client, session, as_user):
    generate(session)
    r = client.get(f"{API}/dashboard", headers=as_user("coordinator"))
    assert r.status_code == 200, r.text
    d = r.json()
    direct = direct_findings(session)
    assert as_counts(d["findings_by_category"]) == dict(direct["category"])
    assert as_counts(d["findings_by_severity"]) == dict(direct["severity"])
    assert {u["admin_unit_id"]: u["count"] for u in d["findings_by_unit"]} == dict(direct["unit"])
    assert d["findings_total"] == sum(direct["severity"].values())
    overdue = session.scalar(sa.select(sa.func.count()).select_from(CorrectiveAction).join(
        Finding, Finding.id == CorrectiveAction.finding_id).where(
        Finding.status != "dismissed", CorrectiveAction.status == "open", CorrectiveAction.due_date < today()))
    assert d["actions_overdue"] == overdue > 0
    # products and their current certificates
    day = today()
    rows = session.execute(sa.select(Product, Certificate).outerjoin(
        Certificate, Certificate.id == Product.current_certificate_id).where(Product.status == "active")).all()
    statuses = Counter(registry_service.status_of(c, day) for _, c in rows if c is not None)
    assert as_counts(d["certificates"]) == dict(statuses)
    stars = Counter(str(c.stars) if c is not None and registry_service.status_of(c, day) in ("valid", "expiring")
                    else "none" for _, c in rows)
    assert as_counts(d["products_by_stars"]) == dict(stars)
    assert sum(u["count"] for u in d["products_by_unit"]) == len(rows)
    horizon = date(day.year + 1, day.month, 1)
    calendar = Counter(f"{c.valid_to:%Y-%m}" for _, c in rows if c is not None
                       and registry_service.status_of(c, day) in ("valid", "expiring") and c.valid_to < horizon)
    assert len(d["expiry_calendar"]) == 12
    assert {m["month"]: m["count"] for m in d["expiry_calendar"] if m["count"]} == dict(calendar)
    compliance = dict(session.execute(sa.select(ComplianceStatus.status, sa.func.count())
                                      .group_by(ComplianceStatus.status)).all())
    assert as_counts(d["compliance"]) == compliance
    # campaign progress: the 2024 campaign's findings and visits
    c2024 = next(c for c in d["campaigns"] if c["year"] == 2024)
    assert c2024["findings"] == session.scalar(sa.select(sa.func.count()).select_from(Finding).where(
        Finding.campaign_id == c2024["campaign_id"], Finding.status != "dismissed"))
    assert c2024["visits_total"] >= c2024["visits_done"] > 0
    assert [t["year"] for t in d["trend"]] == sorted(t["year"] for t in d["trend"])


def test_unit_and_period_filters(client, session, as_user):
    generate(session)
    co = as_user("coordinator")
    district = unit_id(session, "187")  # a former district: its communes then and the communes formed from them
    d = client.get(f"{API}/dashboard", params={"unit_id": district}, headers=co).json()
    direct = direct_findings(session, Finding.admin_unit_id.in_(org_policies.units_within(district)))
    assert d["findings_total"] == sum(direct["severity"].values()) > 0
    assert as_counts(d["findings_by_severity"]) == dict(direct["severity"])
    producers = session.scalar(sa.select(sa.func.count()).select_from(Product).join(
        Producer, Producer.id == Product.producer_id).where(
        Product.status == "active", Producer.admin_unit_id.in_(org_policies.units_within(district))))
    assert sum(u["count"] for u in d["products_by_unit"]) == producers
    # a period selects the campaigns whose planned period meets it, and their findings
    c2024 = session.get(Campaign, seeded(session, 2024))
    start, end = c2024.period_start, c2024.period_end
    d = client.get(f"{API}/dashboard", params={"from": start.isoformat(), "to": end.isoformat()}, headers=co).json()
    direct = direct_findings(session, Finding.campaign_id == c2024.id)
    assert as_counts(d["findings_by_category"]) == dict(direct["category"])
    assert [c["campaign_id"] for c in d["campaigns"]] == [c2024.id]
    assert d["period_from"] == start.isoformat()
    later = client.get(f"{API}/dashboard", params={"from": "2027-01-01", "to": "2027-12-31"}, headers=co).json()
    assert later["findings_total"] == 0 and later["campaigns"] == [] and later["actions_overdue"] == 0
    assert later["products_by_stars"] == d["products_by_stars"]  # the registry is counted as it stands today
    bad = client.get(f"{API}/dashboard", params={"from": end.isoformat(), "to": start.isoformat()}, headers=co)
    assert bad.status_code == 422 and bad.json()["errors"]
    assert client.get(f"{API}/dashboard", params={"unit_id": 999999}, headers=co).status_code == 422
    assert client.get(f"{API}/dashboard", params={"from": "yesterday"}, headers=co).status_code == 422


def test_a_local_officer_sees_their_units_figures_only(client, session, as_user):
    generate(session)
    officer = session.scalars(sa.select(User).where(User.username == "local_chilang")).one()
    within = org_policies.units_within(officer.scope_unit_id)
    d = client.get(f"{API}/dashboard", headers=as_user("local_chilang")).json()
    direct = direct_findings(session, Finding.admin_unit_id.in_(within))
    assert d["findings_total"] == sum(direct["severity"].values()) > 0
    assert {u["admin_unit_id"] for u in d["findings_by_unit"]} <= set(session.scalars(within))
    everyone = client.get(f"{API}/dashboard", headers=as_user("coordinator")).json()
    assert d["findings_total"] < everyone["findings_total"]
    unit_names = set(session.scalars(sa.select(AdminUnit.name).where(AdminUnit.id.in_(within))))
    assert {u["name"] for u in d["products_by_unit"]} <= unit_names
    # the campaigns are those the officer may open (published ones that include the unit), not the province's
    theirs = {c["id"] for c in client.get(f"{API}/campaigns", headers=as_user("local_chilang")).json()["items"]
              if c["status"] not in ("draft", "cancelled")}
    assert {c["campaign_id"] for c in d["campaigns"]} == theirs and theirs
    assert len(everyone["campaigns"]) >= len(theirs)
    assert client.get(f"{API}/dashboard").status_code == 401


def test_tallies_follow_every_change_in_the_same_transaction(client, session, as_user):
    from ocop.reports.models import ActionTally, FindingTally

    co = as_user("coordinator")
    cid = seeded(session, 2024)
    before = client.get(f"{API}/dashboard", headers=co).json()
    # the team dismisses an open finding through the API: it leaves the counts, and so do its actions
    finding = session.scalars(sa.select(Finding).where(Finding.campaign_id == cid, Finding.status == "open")).first()
    r = client.post(f"{API}/findings/{finding.id}/transitions", json={"to": "dismissed", "note": "Không thuộc phạm vi"},
                    headers=as_user("leader"))
    assert r.status_code == 200, r.text
    after = client.get(f"{API}/dashboard", headers=co).json()
    assert after["findings_total"] == before["findings_total"] - 1
    session.expire_all()
    tally = session.scalar(sa.select(sa.func.sum(FindingTally.n)))
    assert tally == session.scalar(sa.select(sa.func.count()).select_from(Finding).where(Finding.status != "dismissed"))
    kept = session.scalar(sa.select(sa.func.sum(ActionTally.n))) or 0
    counted = session.scalar(sa.select(sa.func.count()).select_from(CorrectiveAction).join(
        Finding, Finding.id == CorrectiveAction.finding_id).where(Finding.status != "dismissed"))
    assert kept == counted


def test_actions_falling_due_overnight_are_counted_the_next_day(client, session, as_user):
    from ocop.reports.models import ActionTally

    co = as_user("coordinator")
    before = client.get(f"{API}/dashboard", headers=co).json()["actions_overdue"]
    # an open action due today is not overdue today
    finding = session.scalars(sa.select(Finding).where(Finding.status.in_(("open", "action_required")),
                                                       Finding.campaign_id == seeded(session, 2024))).first()
    r = client.post(f"{API}/findings/{finding.id}/actions", headers=as_user("inspector1"), json={
        "description": "Bổ sung sổ theo dõi tem", "owner_type": "producer", "due_date": today().isoformat()})
    assert r.status_code == 201, r.text
    action = session.get(CorrectiveAction, r.json()["id"])
    assert client.get(f"{API}/dashboard", headers=co).json()["actions_overdue"] == before
    # a day passes: the action's due day is now behind us, while the tallies were counted yesterday (raw SQL, as
    # time passing changes no row through the application)
    session.execute(sa.update(CorrectiveAction).where(CorrectiveAction.id == action.id)
                    .values(due_date=today() - timedelta(days=1)))
    session.execute(sa.update(ActionTally).values(counted_on=today() - timedelta(days=1)))
    session.commit()
    stale = session.scalar(sa.select(sa.func.sum(ActionTally.n)).where(ActionTally.overdue))
    assert stale == before  # what the tallies say until they are counted again
    after = client.get(f"{API}/dashboard", headers=co).json()["actions_overdue"]
    assert after == before + 1
    assert session.scalar(sa.select(sa.func.min(ActionTally.counted_on))) == today()
