"""Who may produce which document and manage templates.

- plan (KH): whoever sees the campaign; notices (TB): whoever sees the campaign's internal parts (not producers).
- minutes (BB): whoever sees the visit (its unit's officers and the visited producers included: they sign it).
- report (BC): the province-wide staff who see the campaign (not local officers or producers: it covers every
  unit).
- decision establishing the team (QĐ): the same staff, drafts and issued versions alike.
- conclusion notices (TB kết luận, once the campaign reports): drafts for the same staff; an issued one also for whom
  it is addressed to (the local officers of its unit, the members of its producer); others get 404.
- templates: administrators manage them; coordinators and leaders read them and preview.
- issuing the decision, a notice, the report or a conclusion notice (with the register's number and date): the
  campaign's runners (administrators, coordinators, leaders); the issued versions are read by whoever may read that
  document.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ocop.campaigns import policies as campaign_policies
from ocop.core.caller import Caller
from ocop.core.errors import Forbidden
from ocop.inspections import policies as inspection_policies
from ocop.org import policies as org_policies

TEMPLATE_READERS = ("admin", "coordinator", "leader")


def require_user(caller: Caller) -> None:
    if caller.kind != "user":
        raise Forbidden("Documents are for signed-in users.", code="forbidden_role")


def may_report(caller: Caller) -> bool:
    """Users who see the whole province's part of a campaign; API clients (the e-office) not limited to a unit."""
    if caller.kind == "client":
        return caller.scope_unit_id is None
    return not (campaign_policies.is_producer(caller) or campaign_policies.is_local(caller))


def require_report(caller: Caller) -> None:
    if not may_report(caller):
        raise Forbidden("The results report covers every unit: it is for the department's staff.",
                        code="forbidden_role")


def require_issue(caller: Caller) -> None:
    """Who issues a campaign's documents: those who run campaigns (campaigns.service.RUNNERS)."""
    require_user(caller)
    if not caller.has(*campaign_policies.ALL_SEEING):
        raise Forbidden("Only coordinators, leaders and administrators issue the campaign's documents.",
                        code="forbidden_role")


def require_template_read(caller: Caller) -> None:
    require_user(caller)
    caller.require(*TEMPLATE_READERS, action="see the document templates")


def require_template_admin(caller: Caller) -> None:
    require_user(caller)
    caller.require("admin", action="replace document templates")


def tally_visibility(caller: Caller, campaign_column: Any, unit_column: Any) -> sa.ColumnElement[bool] | None:
    """`inspections.policies.visible_findings` said over counts kept per campaign and unit; None when the caller
    sees findings by producer (then counts come from the findings themselves)."""
    if inspection_policies.sees_all(caller):
        return sa.true()
    if caller.kind != "user" or caller.has("producer"):
        return None if caller.kind == "user" else sa.false()
    conditions: list[sa.ColumnElement[bool]] = []
    if caller.has("inspector"):
        conditions.append(campaign_column.in_(inspection_policies.team_campaigns(caller)))
    if caller.has("local_officer") and caller.scope_unit_id is not None:
        conditions.append(unit_column.in_(org_policies.units_within(caller.scope_unit_id)))
    return sa.or_(*conditions) if conditions else sa.false()
