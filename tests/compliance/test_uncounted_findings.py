"""Statuses stored while findings of unissued campaigns still counted are checked again (migration e5a1c9d27f30),
and partner systems then read the right status, through the fast lane too."""
from __future__ import annotations

import importlib.util

import sqlalchemy as sa

from ocop.compliance.models import ComplianceStatus
from ocop.core.config import REPO_ROOT
from ocop.registry.models import Product
from tests.campaigns.helpers import API, seeded
from tests.factories import legacy_finding


def migration():  # type: ignore[no-untyped-def]
    path = next((REPO_ROOT / "alembic" / "versions").glob("*_e5a1c9d27f30_*.py"))
    spec = importlib.util.spec_from_file_location("recheck_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_status_stored_with_a_draft_campaigns_finding_is_corrected(client, session, as_client):
    partner = as_client("compliance:read")
    na = session.scalar(sa.select(Product.id).where(Product.name == "Na Chi Lăng"))
    url = f"{API}/compliance/products/{na}"
    right = client.get(url, headers=partner).json()
    assert right["status"] == "conditional"
    fid, _, _ = legacy_finding(session, seeded(session, 2026), na)
    # what the old code stored: the draft campaign's critical finding made the product non-compliant
    row = session.get(ComplianceStatus, na)
    row.status, row.reasons = "non_compliant", [*row.reasons, {"code": "open_finding", "finding_id": fid,
                                                                "detail": "Nội dung bịa đặt"}]
    row.open_findings = {**row.open_findings, "critical": 1}
    row.next_check_on = None
    session.commit()
    assert client.get(url, headers=partner).json()["status"] == "non_compliant"  # the fast lane's stored row
    session.execute(migration().RECHECK)
    session.commit()
    now = client.get(url, headers=partner).json()
    assert (now["status"], now["reasons"], now["open_findings"]) == (
        right["status"], right["reasons"], right["open_findings"])
