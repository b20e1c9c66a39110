"""Who may see and do what in inspection work.

- coordinator, leader, admin and viewer see every finding; inspectors those of campaigns whose team
  includes them; local officers those placed in their units; producers those about themselves.
  Local officers and producers never see internal notes.
- Recording (answers, evidence, findings, actions, verification) is for members of the campaign's team;
  the head approves and reopens visits.
- An action's owner answers it: the producer's members, or the unit's local officers.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.campaigns.models import TeamMember
from ocop.core.caller import Caller
from ocop.core.errors import Forbidden
from ocop.org import policies as org_policies
from ocop.registry.models import ProducerMember

from .models import CorrectiveAction, Finding

ALL_SEEING = ("admin", "coordinator", "leader", "viewer")


def sees_all(caller: Caller) -> bool:
    return caller.kind == "user" and caller.has(*ALL_SEEING)


def is_outsider(caller: Caller) -> bool:
    """Local officers and producers: they see findings about them, never internal notes."""
    return caller.kind == "user" and not caller.has(*ALL_SEEING, "inspector")


def own_producers(caller: Caller) -> sa.Select[Any]:
    return sa.select(col(ProducerMember.producer_id)).where(col(ProducerMember.user_id) == caller.id)


def team_campaigns(caller: Caller) -> sa.Select[Any]:
    return sa.select(col(TeamMember.campaign_id)).where(col(TeamMember.user_id) == caller.id)


def visible_findings(caller: Caller) -> sa.ColumnElement[bool]:
    if sees_all(caller):
        return sa.true()
    if caller.kind != "user":
        return sa.false()
    conditions: list[sa.ColumnElement[bool]] = []
    if caller.has("inspector"):
        conditions.append(col(Finding.campaign_id).in_(team_campaigns(caller)))
    if caller.has("local_officer") and caller.scope_unit_id is not None:
        conditions.append(col(Finding.admin_unit_id).in_(org_policies.units_within(caller.scope_unit_id)))
    if caller.has("producer"):
        conditions.append(col(Finding.producer_id).in_(own_producers(caller)))
    return sa.or_(*conditions) if conditions else sa.false()


def team_role(session: Session, caller: Caller, campaign_id: int) -> str | None:
    if caller.kind != "user":
        return None
    return session.scalar(sa.select(col(TeamMember.role)).where(col(TeamMember.campaign_id) == campaign_id,
                                                                col(TeamMember.user_id) == caller.id))


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
