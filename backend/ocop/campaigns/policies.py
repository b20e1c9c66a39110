"""Who may see and do what in campaigns, as query filters and checks.

- admin, coordinator, leader: every campaign; viewer: every campaign once it is past its draft.
- inspector: the campaigns whose team includes them.
- local officer: issued campaigns that include one of their units, and only their units' parts.
- producer: issued campaigns that visit them, and only those visits.
What the caller may not see answers 404; what they see but may not do answers 403.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden
from ocop.org import policies as org_policies
from ocop.org.models import UserRole
from ocop.registry.models import ProducerMember

from .models import Campaign, CampaignUnit, TeamMember, Visit, VisitTarget

EDITORS = ("admin", "coordinator")
ALL_SEEING = ("admin", "coordinator", "leader")
PUBLISHED = ("issued", "in_progress", "reporting", "closed")


def _user(caller: Caller) -> bool:
    return caller.kind == "user"


def sees_everything(caller: Caller) -> bool:
    return _user(caller) and caller.has(*ALL_SEEING)


def is_local(caller: Caller) -> bool:
    return _user(caller) and caller.has("local_officer") and not sees_everything(caller)


def is_producer(caller: Caller) -> bool:
    return _user(caller) and caller.has("producer") and not caller.has(*ALL_SEEING, "local_officer", "inspector",
                                                                            "viewer")


def _own_producers(caller: Caller) -> sa.Select[Any]:
    return sa.select(col(ProducerMember.producer_id)).where(col(ProducerMember.user_id) == caller.id)


def local_units(caller: Caller) -> sa.Select[Any]:
    if caller.scope_unit_id is None:
        return sa.select(sa.literal(-1)).where(sa.false())
    return org_policies.units_within(caller.scope_unit_id)


def visible_campaigns(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Campaign."""
    if sees_everything(caller):
        return sa.true()
    if caller.kind == "client":
        if "campaigns:read" not in caller.scopes:
            return sa.false()
        published = col(Campaign.status).in_(PUBLISHED)
        if caller.scope_unit_id is None:
            return published
        return sa.and_(published, col(Campaign.id).in_(sa.select(col(CampaignUnit.campaign_id)).where(
            col(CampaignUnit.admin_unit_id).in_(org_policies.units_within(caller.scope_unit_id)))))
    conditions: list[sa.ColumnElement[bool]] = []
    if caller.has("viewer"):
        conditions.append(col(Campaign.status).in_(PUBLISHED))
    if caller.has("inspector"):
        conditions.append(col(Campaign.id).in_(
            sa.select(col(TeamMember.campaign_id)).where(col(TeamMember.user_id) == caller.id)))
    if caller.has("local_officer"):
        conditions.append(sa.and_(col(Campaign.status).in_(PUBLISHED), col(Campaign.id).in_(
            sa.select(col(CampaignUnit.campaign_id)).where(col(CampaignUnit.admin_unit_id).in_(local_units(caller))))))
    if caller.has("producer"):
        conditions.append(sa.and_(col(Campaign.status).in_(PUBLISHED), col(Campaign.id).in_(
            sa.select(col(Visit.campaign_id)).join(VisitTarget, col(VisitTarget.visit_id) == col(Visit.id))
            .where(col(VisitTarget.producer_id).in_(_own_producers(caller))))))
    return sa.or_(*conditions) if conditions else sa.false()


def unit_part_filter(caller: Caller, unit_column: Any) -> sa.ColumnElement[bool]:
    """Parts of a campaign placed in a unit (visits, tasks, reports): local officers (and API clients limited
    to a unit) see their units' only."""
    if is_local(caller) or (caller.kind == "client" and caller.scope_unit_id is not None):
        return unit_column.in_(local_units(caller))
    return sa.true()


def visible_visits(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Visit, within a campaign the caller sees."""
    if is_producer(caller):
        return col(Visit.id).in_(sa.select(col(VisitTarget.visit_id)).where(
            col(VisitTarget.producer_id).in_(_own_producers(caller))))
    return unit_part_filter(caller, col(Visit.admin_unit_id))


def sees_internal_parts(caller: Caller) -> bool:
    """Team, checklist and tasks: not for producers."""
    return not is_producer(caller)


def can_edit(caller: Caller) -> bool:
    return _user(caller) and caller.has(*EDITORS)


def require_edit(caller: Caller, action: str = "change a campaign") -> None:
    if not can_edit(caller):
        raise Forbidden(f"Only coordinators and administrators may {action}.", code="forbidden_role")


def require_oversight(caller: Caller, action: str) -> None:
    """What editors prepare, the leader reads (API.md: the leader reads everything)."""
    if not (_user(caller) and caller.has("leader", *EDITORS)):
        raise Forbidden(f"Only coordinators, leaders and administrators may {action}.", code="forbidden_role")


def require_leader(caller: Caller, action: str) -> None:
    if not (_user(caller) and caller.has("leader", "admin")):
        raise Forbidden(f"Only the leader may {action}.", code="forbidden_role")


def is_producer_user(session: Session, user_id: int) -> bool:
    """A producer's user (the `producer` role, or a member of a producer): never one of an inspection team, who
    would then verify their own corrective actions."""
    return session.scalar(sa.select(sa.literal(1)).where(sa.or_(
        sa.exists().where(col(UserRole.user_id) == user_id, col(UserRole.role) == "producer"),
        sa.exists().where(col(ProducerMember.user_id) == user_id)))) is not None


def can_write_report(caller: Caller) -> bool:
    return _user(caller) and caller.has("local_officer", *EDITORS)


def can_review_report(caller: Caller) -> bool:
    return _user(caller) and caller.has("coordinator", "leader", "admin")
