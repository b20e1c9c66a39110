"""The demo round trip on the seeded data alone: the agencies carry their e-office codes, the 2024 plan goes out as
edXML, and a plan package from the provincial People's Committee comes back as a draft campaign."""
from __future__ import annotations

import sqlalchemy as sa

from ocop.integrations import edxml
from ocop.org.models import Agency
from tests.campaigns.helpers import API, seeded
from tests.integrations.edxml_platform import platform_package
from tests.integrations.test_eoffice import post


def test_the_demo_round_trip_works_on_the_seeded_agencies(client, session, as_user, as_client, settings):
    codes = dict(session.execute(sa.select(Agency.code, Agency.eoffice_code)).all())
    assert codes["UBND-T"] == "000.00.00.H36" and codes["SNNMT"] == settings.eoffice_agency_code
    assert codes["SNN"] is None  # no longer in force: a code names one agency
    cid = seeded(session, 2024)
    coordinator = as_user("coordinator")
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.edxml", headers=coordinator)
    assert r.status_code == 200, r.text
    out = edxml.parse(r.content)
    assert out.sender.organ_id == settings.eoffice_agency_code and out.kind == "plan"
    assert "000.00.00.H36" in [o.organ_id for o in out.receivers]  # the plan goes to UBND tỉnh
    r = post(client, as_client("eoffice:write"), platform_package("000.00.00.H36,2026,42", docx=b"PK" + b"d" * 500))
    assert r.status_code == 201 and r.json()["state"] == "taken", r.text
    c = client.get(f"{API}/campaigns/{r.json()['campaign_id']}", headers=coordinator).json()
    ubnd = session.scalars(sa.select(Agency.id).where(Agency.code == "UBND-T")).one()
    assert c["status"] == "draft" and c["issuing_agency_id"] == ubnd and c["document_number"] == "112/KH-UBND"
