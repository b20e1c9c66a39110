"""Who may see and do what in inspection work.

- coordinator, leader and admin see every finding; the viewer those of issued campaigns; inspectors those of
  campaigns whose team includes them; local officers those placed in their units; producers those about
  themselves.
  Local officers and producers never see internal notes.
- API clients with `findings:read` see the findings of campaigns issued or later (never drafts, submitted or
  cancelled ones), only those placed in their unit when they are limited to one, and never internal notes.
- Recording (answers, evidence, findings, actions, verification) is for members of the campaign's team;
  the head approves and reopens visits.
- An action's owner answers it: the producer's members, or the unit's local officers.
- What a caller may not see of a campaign they may not see of its findings (nor of their actions, evidence,
  timelines or counts): every finding filter is also a filter on the campaign.
- A producer's user is never one of the team, whatever the team table says.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.campaigns import policies as campaign_policies
from ocop.campaigns.models import Campaign, TeamMember
from ocop.core.caller import Caller
from ocop.core.errors import Forbidden
from ocop.org import policies as org_policies
from ocop.registry.models import ProducerMember

from .models import CorrectiveAction, Finding

ALL_SEEING = ("admin", "coordinator", "leader", "viewer")


def sees_all(caller: Caller) -> bool:
    return caller.kind == "user" and caller.has(*ALL_SEEING)


def is_outsider(caller: Caller) -> bool:
    """Local officers, producers and API clients: they see findings about them, never internal notes."""
    return caller.kind != "user" or not caller.has(*ALL_SEEING, "inspector")


def own_producers(caller: Caller) -> sa.Select[Any]:
    return sa.select(col(ProducerMember.producer_id)).where(col(ProducerMember.user_id) == caller.id)


def team_campaigns(caller: Caller) -> sa.Select[Any]:
    return sa.select(col(TeamMember.campaign_id)).where(col(TeamMember.user_id) == caller.id)


def visible_campaign_ids(caller: Caller) -> sa.Select[Any]:
    """Ids of the campaigns the caller sees (campaigns.policies.visible_campaigns), for a subquery."""
    return sa.select(col(Campaign.id)).where(campaign_policies.visible_campaigns(caller))


def visible_findings(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Finding: the caller's share of findings (by role), only of campaigns the caller sees."""
    if campaign_policies.sees_everything(caller):
        return sa.true()
    if caller.kind == "client":
        return client_findings(caller)
    if caller.kind != "user":
        return sa.false()
    conditions: list[sa.ColumnElement[bool]] = []
    if sees_all(caller):  # the viewer: every finding of the campaigns it sees (not drafts)
        conditions.append(sa.true())
    if caller.has("inspector"):
        conditions.append(col(Finding.campaign_id).in_(team_campaigns(caller)))
    if caller.has("local_officer") and caller.scope_unit_id is not None:
        conditions.append(col(Finding.admin_unit_id).in_(org_policies.units_within(caller.scope_unit_id)))
    if caller.has("producer"):
        conditions.append(col(Finding.producer_id).in_(own_producers(caller)))
    if not conditions:
        return sa.false()
    return sa.and_(sa.or_(*conditions), col(Finding.campaign_id).in_(visible_campaign_ids(caller)))


def client_findings(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Finding for an API client: `findings:read`, campaigns issued or later, its unit when limited."""
    if "findings:read" not in caller.scopes:
        return sa.false()
    published = col(Finding.campaign_id).in_(
        sa.select(col(Campaign.id)).where(col(Campaign.status).in_(campaign_policies.PUBLISHED)))
    if caller.scope_unit_id is None:
        return published
    return sa.and_(published, col(Finding.admin_unit_id).in_(org_policies.units_within(caller.scope_unit_id)))


def unit_officer(unit_id: int) -> Caller:
    """A local officer of the unit, as the policies see one (to ask what such an officer could see)."""
    return Caller(kind="user", id=0, name="", roles=frozenset({"local_officer"}), scope_unit_id=unit_id)


def unit_sees_finding(session: Session, unit_id: int, finding_id: int) -> bool:
    """Whether the unit's local officers see the finding (and so can answer an action they own on it)."""
    return session.scalar(sa.select(sa.literal(1)).select_from(Finding).where(
        col(Finding.id) == finding_id, visible_findings(unit_officer(unit_id)))) is not None


def team_role(session: Session, caller: Caller, campaign_id: int) -> str | None:
    if caller.kind != "user" or caller.has("producer"):
        return None  # a producer's user never passes the team check, even if the team table names them
    return session.scalar(sa.select(col(TeamMember.role)).where(
        col(TeamMember.campaign_id) == campaign_id, col(TeamMember.user_id) == caller.id,
        ~sa.exists().where(col(ProducerMember.user_id) == caller.id)))


def require_team(session: Session, caller: Caller, campaign_id: int, action: str = "record inspection work") -> str:
    role = team_role(session, caller, campaign_id)
    if role is None:
        raise Forbidden(f"Only members of the campaign's team may {action}.", code="not_in_team")
    return role


def is_owner(session: Session, caller: Caller, action: CorrectiveAction) -> bool:
    if caller.kind != "user":
        return False
    if action.owner_type == "producer" and action.owner_producer_id is not None and caller.has("producer"):
        return bool(session.scalar(sa.select(sa.literal(1)).where(
            col(ProducerMember.producer_id) == action.owner_producer_id, col(ProducerMember.user_id) == caller.id)))
    if action.owner_type == "unit" and action.owner_unit_id is not None and caller.has("local_officer") \
            and caller.scope_unit_id is not None:
        return bool(session.scalar(sa.select(sa.literal(1)).where(
            sa.literal(action.owner_unit_id).in_(org_policies.units_within(caller.scope_unit_id)))))
    return False
